"""The risk register in the browser: the 5×5 heat maps (before and after measures) show the
demo's risks in the right cells, the same counts as their data tables; a click on a cell of
the map, or on a count in the table (by keyboard too), filters the list with htmx.

These tests only read the demo data, so they do not depend on the order of the tests.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import assert_accessible, is_htmx_response, visit

pytestmark = pytest.mark.browser

EHANDEL = "/prosjekter/EHANDEL-SOGN/risiko/"
KONGSBERG = "/prosjekter/INNKJOP-KONGSBERG/risiko/"

# (probability, consequence) -> open risks, from governance/demo_risks.py: eHandel Sogn's
# obstacles as re-assessed in September 2013 (resources up to 5 × 4, competence down to
# 3 × 3), and Kongsberg's risks of not doing the project.
EHANDEL_CELLS = {(5, 4): 1, (4, 3): 1, (3, 5): 1, (3, 4): 2, (3, 3): 2}
EHANDEL_RESIDUAL = {(3, 3): 1, (3, 2): 1, (2, 3): 3, (2, 2): 2}
KONGSBERG_CELLS = {(4, 4): 1, (4, 3): 2, (3, 4): 2, (3, 3): 1, (3, 2): 1, (2, 5): 1}
KONGSBERG_RESIDUAL = {(2, 3): 2, (2, 2): 4, (1, 4): 1, (1, 2): 1}

# The two eHandel risks with probability 3 and consequence 4.
CELL_3_4 = ["Rammeavtalane eignar seg ikkje for e-handel",
            "Teknologi og løysingar: integrasjon og leverandørkatalogar blir forseinka"]

# The heat map's numbers as drawn: each label's cell found from the axes' tick labels.
DRAWN_COUNTS = """
plot => {
  const centre = el => { const r = el.getBoundingClientRect();
                         return [r.left + r.width / 2, r.top + r.height / 2]; };
  const ticks = cls => [...plot.querySelectorAll(`.${cls} text`)]
      .map(t => [Number(t.textContent), centre(t)]);
  const nearest = (list, value, axis) => list.reduce((best, tick) =>
      Math.abs(tick[1][axis] - value) < Math.abs(best[1][axis] - value) ? tick : best)[0];
  const xs = ticks("xtick"), ys = ticks("ytick");
  return [...plot.querySelectorAll(".heatmap-label text")]
    .filter(t => t.textContent.trim() !== "")
    .map(t => { const [x, y] = centre(t);
                return [nearest(ys, y, 1), nearest(xs, x, 0), Number(t.textContent)]; });
}
"""


# The middle of the cell (probability, consequence) on the screen, from the axes' ticks.
CELL_CENTRE = """
(plot, [p, c]) => {
  const tick = (cls, v) => [...plot.querySelectorAll(`.${cls} text`)]
      .find(t => Number(t.textContent) === v).getBoundingClientRect();
  const x = tick("xtick", c), y = tick("ytick", p);
  return [x.left + x.width / 2, y.top + y.height / 2];
}
"""


def _charts_drawn(page: Page) -> None:
    page.wait_for_function("() => [...document.querySelectorAll('[data-chart]')]"
                           ".every(plot => plot.dataset.drawn === 'true')")


def _drawn_counts(figure: Locator) -> dict[tuple[int, int], int]:
    plot = figure.locator(".chart__plot")
    expect(plot).to_have_attribute("data-drawn", "true")
    return {(p, c): n for p, c, n in plot.evaluate(DRAWN_COUNTS)}


def _table_counts(figure: Locator) -> dict[tuple[int, int], int]:
    """The counts in the heat map's data table: rows are probability 5 … 1, columns
    consequence 1 … 5."""
    table = figure.get_by_role("table")
    consequences = [int(c) for c in table.locator("thead th").all_inner_texts()[1:]]
    counts = {}
    for row in table.locator("tbody tr").all():
        probability = int(row.locator("th").inner_text())
        for consequence, cell in zip(consequences, row.locator("td").all(), strict=True):
            link = cell.get_by_role("link")
            if link.count():
                counts[(probability, consequence)] = int(link.inner_text().split()[0])
            else:
                assert cell.inner_text().strip() == "", cell.inner_text()
    return counts


def _listed(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#risk-list tbody th a").all_inner_texts()]


def _mark_document(page: Page) -> None:
    page.evaluate("() => { window.__sameDocument = 'ja'; }")


def _same_document(page: Page) -> None:
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"


@pytest.mark.parametrize(
    ("username", "path", "cells", "residual"),
    [("katrine", EHANDEL, EHANDEL_CELLS, EHANDEL_RESIDUAL),
     ("admin", KONGSBERG, KONGSBERG_CELLS, KONGSBERG_RESIDUAL)],
    ids=["ehandel-sogn", "kongsberg"],
)
def test_heat_maps_show_the_demo_risks_in_their_cells(page: Page, sign_in, username, path,
                                                      cells, residual):
    sign_in(username)
    visit(page, path)
    before = page.get_by_role("figure", name="Åpne risikoer før tiltak")
    after = page.get_by_role("figure", name="Åpne risikoer etter tiltak")

    assert _drawn_counts(before) == cells
    assert _drawn_counts(after) == residual
    for figure in (before, after):
        figure.get_by_text("Vis tallene som tabell").click()
    assert_accessible(page)
    assert _table_counts(before) == cells
    assert _table_counts(after) == residual
    # Every open risk is in the list, and in one cell of each map.
    expect(page.locator("#risk-list [data-announce]")).to_contain_text(
        f"{sum(cells.values())} risikoer vises")
    expect(page.locator("#risk-list tbody tr")).to_have_count(sum(cells.values()))
    # The cells' colours follow the thresholds (gult fra 5, rødt fra 12): never colour alone,
    # the count is in the cell.
    matrix = before.get_by_role("table")
    expect(matrix.get_by_role("row", name=re.compile(r"^5\b")).locator("td").nth(3)
           ).to_have_class(re.compile(r"\bzone-2\b"))
    expect(matrix.get_by_role("row", name=re.compile(r"^1\b")).locator("td").nth(0)
           ).to_have_class(re.compile(r"\bzone-0\b"))


def test_clicking_a_heat_map_cell_filters_the_list_in_place(page: Page, sign_in):
    sign_in("katrine")
    visit(page, EHANDEL)
    _charts_drawn(page)
    assert len(_listed(page)) == sum(EHANDEL_CELLS.values())
    _mark_document(page)

    # Probability 3, consequence 4 in the map before measures: click the middle of the cell.
    plot = page.locator("#heat-map .chart__plot")
    plot.scroll_into_view_if_needed()
    x, y = plot.evaluate(CELL_CENTRE, [3, 4])
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('.chart__plot')"
                         " !== null", [x, y]), "the cell is not on the screen"
    with page.expect_response(is_htmx_response("/risiko/")) as answer:
        page.mouse.click(x, y)
    assert answer.value.status == 200
    assert "s=3" in answer.value.url and "k=4" in answer.value.url
    announce = page.locator("#risk-list [data-announce]")
    expect(announce).to_contain_text("Viser risikoene med sannsynlighet 3 og konsekvens 4: 2.")
    assert sorted(_listed(page)) == sorted(CELL_3_4)
    _same_document(page)
    expect(page).to_have_url(re.compile(r"/risiko/\?s=3&k=4$"))
    # The charts were not swapped: the list only.
    expect(page.locator("#heat-map .chart__plot")).to_have_attribute("data-drawn", "true")
    # Screen readers hear what the list shows now.
    expect(page.locator("#live-status")).to_have_text(re.compile(
        r"^Viser risikoene med sannsynlighet 3 og konsekvens 4: 2\."))
    assert_accessible(page)

    # "Vis alle åpne" brings the whole list back, in place too.
    with page.expect_response(is_htmx_response("/risiko/")):
        announce.get_by_role("link", name="Vis alle åpne").click()
    expect(page.locator("#risk-list tbody tr")).to_have_count(sum(EHANDEL_CELLS.values()))
    _same_document(page)
    assert_accessible(page)


def test_the_matrix_table_filters_the_list_by_keyboard(page: Page, sign_in):
    sign_in("katrine")
    visit(page, EHANDEL)
    _charts_drawn(page)
    _mark_document(page)
    after = page.get_by_role("figure", name="Åpne risikoer etter tiltak")
    summary = after.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    link = after.get_by_role("link", name="3 risikoer med sannsynlighet 2 og konsekvens 3")
    expect(link).to_be_visible()
    # Tab through the table to the count: 1 at 3 × 2, 1 at 3 × 3, 2 at 2 × 2, then 3 at 2 × 3.
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(link).to_be_focused()
    with page.expect_response(is_htmx_response("/risiko/")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    announce = page.locator("#risk-list [data-announce]")
    expect(announce).to_have_text(re.compile(
        r"^\s*Viser risikoene med sannsynlighet 2 og konsekvens 3 etter tiltak: 3\."))
    expect(page.locator("#risk-list tbody tr")).to_have_count(3)
    for row in page.locator("#risk-list tbody tr").all():
        expect(row.locator("td").nth(2)).to_contain_text("(2 × 3)")
    _same_document(page)
    expect(page).to_have_url(re.compile(r"/risiko/\?s=2&k=3&etter=1$"))
    # Focus stays where the user was, on the count they chose.
    expect(link).to_be_focused()
    assert_accessible(page)

    # Back in the browser's history: the whole list again.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/risiko/$"))
    expect(page.locator("#risk-list tbody tr")).to_have_count(sum(EHANDEL_CELLS.values()))
    assert_accessible(page)


def test_a_filtered_address_opens_the_filtered_list(page: Page, sign_in):
    sign_in("katrine")
    visit(page, f"{EHANDEL}?s=3&k=4")
    expect(page.locator("#risk-list [data-announce]")).to_contain_text(
        "Viser risikoene med sannsynlighet 3 og konsekvens 4: 2.")
    assert sorted(_listed(page)) == sorted(CELL_3_4)
    # Nonsense in the address is no filter, never an error.
    visit(page, f"{EHANDEL}?s=9&k=x")
    expect(page.locator("#risk-list tbody tr")).to_have_count(sum(EHANDEL_CELLS.values()))


def test_a_risk_page_shows_the_assessment_measures_and_history(page: Page, sign_in):
    sign_in("per")
    visit(page, EHANDEL)
    with page.expect_navigation():
        page.get_by_role("link", name="For lite ressursar i kommunane til lokalt arbeid",
                         exact=True).click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "6. For lite ressursar i kommunane til lokalt arbeid")
    facts = page.locator("dl.facts")
    # The scales' meanings are shown, not only the numbers.
    expect(facts).to_contain_text("Poengsum")
    expect(facts.locator("dd.score-cell")).to_have_text("20")
    expect(facts).to_contain_text("Løftet til styringsgruppen")
    # Every re-assessment is kept: April's 16 and September's 20.
    history = page.get_by_role("table", name="Alle vurderinger av risikoen, nyeste først")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("16.09.2013")
    expect(rows.nth(0)).to_contain_text("20 (5 × 4)")
    expect(rows.nth(1)).to_contain_text("22.04.2013")
    expect(rows.nth(1)).to_contain_text("16 (4 × 4)")
    # A municipal lead reads the register; only the project leader changes it.
    expect(page.get_by_role("link", name="Vurder på nytt")).to_have_count(0)
