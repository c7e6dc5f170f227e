"""Budget and cost sharing in the browser: eHandel i Sogn's budget for 2013 with its chart,
a budget line and an actual cost entered by keyboard, Kongsbergregionen's 700 000 kr compared
under every key (the issue's "done when"), a key refused with its errors, and the settlement
with its export.

The live server's demo database is shared by all browser tests, so what a test saves is taken
away again when it ends, pass or fail (the ``restored`` fixture): an actual cost changes the
budget other tests read, and a chosen key changes the settlement.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import assert_accessible, visit

pytestmark = pytest.mark.browser

EHANDEL = "/prosjekter/EHANDEL-SOGN/okonomi"
KONGSBERG = "/prosjekter/INNKJOP-KONGSBERG/okonomi"
COORDINATOR = "Regional innkjøpskoordinator (100 % stilling)"
SEVEN = ["Flesberg kommune", "Hjartdal kommune", "Kongsberg kommune", "Nore og Uvdal kommune",
         "Notodden kommune", "Rollag kommune", "Tinn kommune"]
KEYS = ["Like deler", "Folketall", "50 % likt, 50 % folketall", "Faste prosentandeler"]
# The demo's 700 000 kr by each key (populations for 2008 and fixed percentages are the
# demo's; the shares worked out by hand, see tests/unit/test_finance.py).
SHARES = {
    "Flesberg kommune": (100_000, 35_478, 67_739, 56_000),
    "Hjartdal kommune": (100_000, 21_832, 60_916, 42_000),
    "Kongsberg kommune": (100_000, 335_672, 217_836, 280_000),
    "Nore og Uvdal kommune": (100_000, 35_478, 67_739, 56_000),
    "Notodden kommune": (100_000, 169_201, 134_600, 140_000),
    "Rollag kommune": (100_000, 19_103, 59_552, 42_000),
    "Tinn kommune": (100_000, 83_236, 91_618, 84_000),
}
POPULATIONS = {"Flesberg kommune": 2_600, "Hjartdal kommune": 1_600,
               "Kongsberg kommune": 24_600, "Nore og Uvdal kommune": 2_600,
               "Notodden kommune": 12_400, "Rollag kommune": 1_400, "Tinn kommune": 6_100}


def kr(kroner: int) -> re.Pattern:
    """An amount as shown: 335 672 kr, with (no-break) spaces."""
    grouped = f"{kroner:,}".replace(",", r"\s")
    return re.compile(rf"^{grouped}\skr$")


def _row_of(table: Locator, header: str) -> Locator:
    return table.get_by_role("row").filter(
        has=table.page.get_by_role("rowheader", name=header, exact=True))


# ---- clean-up ----------------------------------------------------------------------------


@pytest.fixture
def restored(live_server) -> Iterator[dict[str, Callable[..., None]]]:
    """``actual(project_code, line_name, year, period)``: an actual cost the test is about to
    save, deleted afterwards. ``choice(project_code, cost_name)``: a shared cost whose key the
    test is about to choose, put back without a key afterwards. ``key(project_code, name)``:
    a key that must not outlive the test."""
    actuals: list[tuple[str, str, int, str]] = []
    choices: list[tuple[str, str]] = []
    keys: list[tuple[str, str]] = []
    yield {"actual": lambda *a: actuals.append(a), "choice": lambda *a: choices.append(a),
           "key": lambda *a: keys.append(a)}

    from sqlalchemy import select

    from governance.extensions import db
    from governance.finance.models import ActualCost, BudgetLine, CostKey, SharedCost
    from governance.projects.models import Project

    with live_server.app.app_context():
        for code, name, year, period in actuals:
            for actual in db.session.scalars(
                    select(ActualCost).join(BudgetLine, BudgetLine.id == ActualCost.line_id)
                    .join(Project, Project.id == BudgetLine.project_id)
                    .where(Project.code == code, BudgetLine.name == name,
                           BudgetLine.year == year, ActualCost.period == period)):
                db.session.delete(actual)
        for code, name in choices:
            for cost in db.session.scalars(
                    select(SharedCost).join(Project, Project.id == SharedCost.project_id)
                    .where(Project.code == code, SharedCost.name == name)):
                cost.key_id = None
        for code, name in keys:
            for key in db.session.scalars(
                    select(CostKey).join(Project, Project.id == CostKey.project_id)
                    .where(Project.code == code, CostKey.name == name)):
                db.session.delete(key)
        db.session.commit()


def _expect_chart_drawn(page: Page, chart_id: str) -> None:
    plot = page.locator(f"#{chart_id} .chart__plot")
    expect(plot).to_have_count(1)
    expect(plot).to_have_attribute("data-drawn", "true")
    expect(plot.locator("svg.main-svg").first).to_be_visible()


# ---- the budget --------------------------------------------------------------------------


def test_ehandel_budget_2013_with_actual_forecast_and_chart(page: Page, sign_in):
    sign_in("katrine")
    visit(page, f"{EHANDEL}/?ar=2013")
    expect(page.get_by_role("heading", level=1)).to_have_text("Økonomi 2013: eHandel i Sogn")
    expect(page.get_by_role("navigation", name="Budsjettår").get_by_role(
        "link", name="2013")).to_have_attribute("aria-current", "page")

    costs = page.get_by_role("table", name="Felles kostnader 2013")
    expect(_row_of(costs, "Løn prosjektleiar").get_by_role("cell")).to_have_text(
        ["Lønn", kr(300_000), kr(187_500), kr(300_000), kr(0)])
    expect(_row_of(costs, "Møtekostnadar skipingsmøte").get_by_role("cell")).to_have_text(
        ["Reiser og møter", kr(15_000), kr(17_450), kr(17_450), kr(2_450)])
    expect(_row_of(costs, "Sum").get_by_role("cell")).to_have_text(
        [kr(400_000), kr(236_500), kr(402_450), kr(2_450)])
    income = page.get_by_role("table", name="Inntekter 2013")
    expect(_row_of(income, "Sum").get_by_role("cell")).to_have_text(
        [kr(385_000), kr(0), kr(385_000), kr(0)])
    summary = page.get_by_role("region", name="Felles budsjett 2013")
    expect(summary).to_contain_text(re.compile(r"Resultat\s*-15\s000\skr"))
    expect(summary).to_contain_text("Innenfor toleransen")

    # Each of the six participants carries 60 000 + 5 000 + 2 400 kr itself.
    own = page.get_by_role("table", name="Egne kostnader per kommune 2013")
    expect(own.locator("tbody tr")).to_have_count(6)
    expect(_row_of(own, "Luster kommune").get_by_role("cell")).to_have_text(
        [kr(67_400), kr(0), kr(67_400)])
    expect(_row_of(own, "Sum").get_by_role("cell")).to_have_text(
        [kr(404_400), kr(0), kr(404_400)])

    # The chart of the years is drawn, and its table has each year and the total.
    _expect_chart_drawn(page, "budget-chart")
    expect(page.locator("#budget-chart figcaption")).to_have_text(
        "Felles kostnader per år: budsjett, regnskap og prognose")
    details = page.locator("#budget-chart details")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    years = details.get_by_role("table")
    expect(years).to_be_visible()
    expect(_row_of(years, "2013").get_by_role("cell")).to_have_text(
        [kr(400_000), kr(236_500), kr(402_450), kr(2_450)])
    expect(_row_of(years, "2014").get_by_role("cell")).to_have_text(
        [kr(660_000), kr(0), kr(660_000), kr(0)])
    expect(_row_of(years, "Totalt").get_by_role("cell")).to_have_text(
        [kr(1_090_000), kr(236_500), kr(1_092_450), kr(2_450)])
    assert_accessible(page)


def test_an_actual_cost_is_entered_by_keyboard(page: Page, sign_in, restored):
    restored["actual"]("EHANDEL-SOGN", "Diverse", 2013, "2013-10")
    sign_in("katrine")
    visit(page, f"{EHANDEL}/?ar=2013")
    with page.expect_navigation():
        page.get_by_role("table", name="Felles kostnader 2013").get_by_role(
            "link", name="Diverse", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diverse 2013")
    expect(page.get_by_text("Ingen regnskapstall ennå.")).to_be_visible()
    assert_accessible(page)

    month = page.get_by_label("Måned", exact=True)
    amount = page.get_by_label("Regnskap (kr)", exact=True)
    comment = page.get_by_label("Kommentar", exact=True)
    save = page.get_by_role("button", name="Lagre regnskapstallet")

    def type_in(period: str, kroner: str) -> None:
        month.focus()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(period)
        page.keyboard.press("Tab")
        expect(amount).to_be_focused()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(kroner)
        page.keyboard.press("Tab")
        expect(comment).to_be_focused()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type("Møterom oktober")
        page.keyboard.press("Tab")
        expect(save).to_be_focused()

    # A month that is not a month: refused, with the message at the field and in the summary.
    type_in("2013-13", "1 250")
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 422
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Måned: Skriv måneden som 2013-03.")).to_be_visible()
    expect(month).to_have_attribute("aria-invalid", "true")
    expect(month).to_have_value("2013-13")
    expect(amount).to_have_value("1 250")
    assert_accessible(page)

    type_in("2013-10", "1 250")
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.ok
    expect(page.locator("#messages")).to_contain_text("Regnskapstallet for 2013-10 er lagret.")
    months = page.get_by_role("region", name="Regnskap per måned")
    expect(_row_of(months, "oktober 2013").get_by_role("cell")).to_contain_text(
        [kr(1_250), "Møterom oktober"])
    expect(page.locator("dl.facts")).to_contain_text(re.compile(r"Regnskap hittil\s*1\s250\skr"))
    assert_accessible(page)

    # Deleted again by keyboard.
    # The month is in the button's name for screen readers ("Flytt til papirkurven: oktober 2013").
    page.get_by_role("button", name=re.compile(r"^Flytt til papirkurven\s*: oktober 2013$")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Regnskapstallet er flyttet til papirkurven.")
    expect(page.get_by_text("Ingen regnskapstall ennå.")).to_be_visible()
    assert_accessible(page)


# ---- cost sharing ------------------------------------------------------------------------


def _comparison(page: Page) -> Locator:
    return page.get_by_role("table", name=f"{COORDINATOR} fordelt etter hver nøkkel, i kroner")


def test_kongsberg_shares_under_each_key_add_up_to_700_000(page: Page, sign_in):
    sign_in("admin")
    visit(page, f"{KONGSBERG}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Kostnadsfordeling", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kostnadsfordeling: Innkjøpssamarbeid i Kongsbergregionen")
    expect(page.get_by_role("heading", level=2, name=f"{COORDINATOR}, 2008")).to_be_visible()

    table = _comparison(page)
    expect(table.locator("thead th")).to_have_text(["Deltaker", "Folketall 2008", *KEYS])
    expect(table.locator("tbody tr")).to_have_count(7)
    for name in SEVEN:
        population = f"{POPULATIONS[name]:,}".replace(",", r"\s")
        expect(_row_of(table, name).get_by_role("cell")).to_have_text(
            [re.compile(rf"^{population}$"), *(kr(share) for share in SHARES[name])])
    # Each key's column adds up to exactly the cost.
    expect(_row_of(table, "Sum").get_by_role("cell")).to_have_text(
        ["", kr(700_000), kr(700_000), kr(700_000), kr(700_000)])
    for column in range(4):
        assert sum(shares[column] for shares in SHARES.values()) == 700_000

    # The chart of the shares is drawn; its figures are in the table above.
    chart = page.locator("figure.chart").filter(has_text="Andel per kommune for")
    expect(chart.locator("figcaption")).to_have_text(
        f"Andel per kommune for {COORDINATOR} etter hver nøkkel")
    _expect_chart_drawn(page, chart.get_attribute("id"))
    expect(chart.locator(".chart__plot")).to_have_attribute(
        "aria-label", re.compile(r"^Andel per kommune .*tallene står i tabellen over\.$"))
    expect(chart.locator(".legendtext")).to_have_text(KEYS)
    assert_accessible(page)


def test_fixed_percentages_that_do_not_add_up_are_shown_at_the_fields(page: Page, sign_in,
                                                                      restored):
    restored["key"]("INNKJOP-KONGSBERG", "Prøvenøkkel")
    sign_in("admin")
    visit(page, f"{KONGSBERG}/fordeling")
    with page.expect_navigation():
        page.get_by_role("link", name="Ny fordelingsnøkkel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny fordelingsnøkkel")
    assert_accessible(page)

    page.get_by_label("Navn på nøkkelen").fill("Prøvenøkkel")
    page.get_by_label("Fordeling").select_option(label="Faste prosentandeler")
    for name, percent in zip(SEVEN, ["10", "10", "30", "10", "20", "5", "5,5"], strict=True):
        page.get_by_label(f"{name} (%)").fill(percent)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Lagre").click()
    assert navigation.value.status == 422

    message = "Prosentandelene må bli 100 til sammen; nå blir de 90,5."
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(message)
    fieldset = page.get_by_role("group", name="Faste prosentandeler")
    expect(fieldset.locator("#percent-error")).to_have_text(message)
    kongsberg = page.get_by_label("Kongsberg kommune (%)")
    expect(kongsberg).to_have_attribute("aria-invalid", "true")
    expect(kongsberg).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.get_by_label("Tinn kommune (%)")).to_have_value("5,5")
    assert_accessible(page)

    # Nothing was saved.
    visit(page, f"{KONGSBERG}/fordeling")
    expect(_comparison(page).locator("thead th")).to_have_text(
        ["Deltaker", "Folketall 2008", *KEYS])


def test_a_chosen_key_gives_the_settlement_and_its_export(page: Page, sign_in, restored):
    restored["choice"]("INNKJOP-KONGSBERG", COORDINATOR)
    sign_in("admin")
    visit(page, f"{KONGSBERG}/fordeling")
    section = page.get_by_role("region", name=f"{COORDINATOR}, 2008: 700 000 kr")
    expect(section).to_contain_text("Ingen nøkkel valgt ennå.")
    section.get_by_label("Valgt nøkkel").select_option(label="Folketall")
    with page.expect_navigation():
        section.get_by_role("button", name=re.compile(r"^Bruk nøkkelen")).click()
    expect(page.locator("#messages")).to_contain_text(f"«Folketall» er valgt for {COORDINATOR}.")
    expect(section).to_contain_text("Valgt nøkkel: Folketall.")
    expect(_comparison(page).locator("thead th").nth(3)).to_have_text(
        re.compile(r"^Folketall\s*valgt$"))
    assert_accessible(page)

    visit(page, f"{KONGSBERG}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Oppgjør 2008", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Oppgjør 2008: Innkjøpssamarbeid i Kongsbergregionen")
    settlement = page.get_by_role("table", name="Oppgjør per kommune 2008")
    for name in SEVEN:
        share = SHARES[name][1]
        expect(_row_of(settlement, name).get_by_role("cell")).to_have_text(
            [kr(share), kr(0), kr(0), kr(share)])
    expect(_row_of(settlement, "Sum").get_by_role("cell")).to_have_text(
        [kr(700_000), kr(0), kr(0), kr(700_000)])
    expect(page.get_by_text("Ikke med i oppgjøret ennå:")).to_have_count(0)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned CSV").click()
    assert download.value.suggested_filename == "oppgjor-INNKJOP-KONGSBERG-2008.csv"
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(body), delimiter=";")}
    assert rows["Kongsberg kommune"] == ["335672", "0", "0", "335672"]
    assert rows["Sum"] == ["700000", "0", "0", "700000"]


def test_the_settlement_without_a_chosen_key_says_what_is_missing(page: Page, sign_in):
    sign_in("katrine")
    visit(page, f"{EHANDEL}/oppgjor?ar=2013")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Oppgjør 2013: eHandel i Sogn")
    settlement = page.get_by_role("table", name="Oppgjør per kommune 2013")
    expect(_row_of(settlement, "Sogndal kommune").get_by_role("cell")).to_have_text(
        [kr(0), kr(67_400), kr(0), kr(67_400)])
    expect(_row_of(settlement, "Sum").get_by_role("cell")).to_have_text(
        [kr(0), kr(404_400), kr(0), kr(404_400)])
