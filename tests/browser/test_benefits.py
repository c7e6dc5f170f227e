"""The benefits realisation plan: overview, indicator pages with charts, measurement entry
row by row, import with a checked preview, the start page's due measurements and the plan
as a printable document.

The live server's demo database is shared by all browser tests (tables are not emptied), so:

- the pages with the seed's figures (Kodeknekk's e-commerce share, eHandel i Sogn's ratio
  indicator) are only read;
- each test that saves measurements uses an organisation and periods no other test uses,
  and the ``measurements_removed`` fixture deletes them afterwards, pass or fail: a saved
  measurement changes what other tests read (the latest value on an indicator page, the
  measurements the start page says are due).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from tests.browser.support import assert_accessible, is_htmx_response, visit

pytestmark = pytest.mark.browser

KODEKNEKK = "/prosjekter/KODEKNEKK/gevinster"
EHANDEL = "/prosjekter/EHANDEL-SOGN/gevinster"

SHARE = "Kjøp via e-handel (del av innkjøpa)"
OFFICE = "Avtalelojalitet, kontorrekvisita"
AVERAGE = "Avtalelojalitet, snitt alle kategoriar"
VOLUME = "Årleg ordrevolum via e-handel (del av berekningsgrunnlaget)"

NOT_A_NUMBER = "Verdi: Skriv et tall, for eksempel 15,5."


# ---- clean-up ----------------------------------------------------------------------------


@pytest.fixture
def measurements_removed(live_server) -> Iterator[Callable[..., None]]:
    """``remove(project_code, organisation_name, *periods)``: the measurements the test is
    about to save, deleted from the shared database when the test ends."""
    made: list[tuple[str, str, str]] = []

    def remove(project: str, organisation: str, *periods: str) -> None:
        made.extend((project, organisation, period) for period in periods)

    yield remove

    from governance.benefits import service
    from governance.benefits.models import Measurement
    from governance.extensions import db
    from governance.organisations.models import Organisation
    from governance.projects.models import Project

    with live_server.app.app_context():
        for code, name, period in made:
            found = db.session.scalars(
                select(Measurement)
                .join(Project, Project.id == Measurement.project_id)
                .join(Organisation, Organisation.id == Measurement.organisation_id)
                .where(Project.code == code, Organisation.name == name,
                       Measurement.period == period)).all()
            for measurement in found:
                service.delete_measurement(db.session, None, measurement)
        db.session.commit()


# ---- helpers -------------------------------------------------------------------------------


def _mark_document(page: Page) -> None:
    """A marker that a full page load would wipe out."""
    page.evaluate("() => { window.__sameDocument = 'ja'; }")


def _same_document(page: Page) -> None:
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"


def _open_indicator(page: Page, overview: str, name: str) -> None:
    """From the plan's overview, the indicator's page through its link."""
    visit(page, f"{overview}/")
    indicators = page.get_by_role(
        "table", name="Indikatorene med siste måling og måloppnåelse for hele prosjektet")
    with page.expect_navigation():
        indicators.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert_accessible(page)


def _expect_charts_drawn(page: Page) -> None:
    for chart in ["#indicator-chart", "#achievement-chart"]:
        plot = page.locator(f"{chart} .chart__plot")
        expect(plot).to_have_count(1)
        expect(plot).to_have_attribute("data-drawn", "true")
        expect(plot.locator("svg.main-svg").first).to_be_visible()


def _row_of(table: Locator, header: str) -> Locator:
    return table.get_by_role("row").filter(
        has=table.page.get_by_role("rowheader", name=header, exact=True))


def _open_entry_screen(page: Page, overview: str, organisation: str, period: str) -> None:
    """The entry screen for one organisation and period, chosen as a user does."""
    visit(page, f"{overview}/registrering")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer målinger")
    page.get_by_label("Organisasjon", exact=True).select_option(label=organisation)
    page.get_by_label("Periode", exact=True).fill(period)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Vis", exact=True).click()
    assert navigation.value.ok
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        re.compile(rf"^{re.escape(organisation)}, {re.escape(period)} \("))
    assert_accessible(page)


def _entry_row(page: Page, indicator: str) -> Locator:
    """The indicator's row (<li>) on the entry screen, by its heading."""
    return page.locator("li.entry-row").filter(has=page.get_by_role(
        "heading", level=3, name=re.compile(rf"^{re.escape(indicator)} \(")))


def _save_row(page: Page, row: Locator) -> int:
    """Click the row's "Lagre"; the status of the htmx answer."""
    path = row.locator("form").get_attribute("hx-post")
    assert path, "the row's form does not post through htmx"
    with page.expect_response(is_htmx_response(path, "POST")) as answer:
        row.get_by_role("button", name=re.compile(r"^Lagre\b")).click()
    return answer.value.status


def _mark_rows(page: Page) -> None:
    page.evaluate("() => document.querySelectorAll('li.entry-row')"
                  ".forEach(li => { li.__before = true; })")


def _replaced_rows(page: Page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('li.entry-row')]"
                         ".filter(li => li.__before !== true).map(li => li.id)")


def _expect_saved(page: Page, row: Locator, indicator: str) -> None:
    """The row's own announcement, told in the live region, and focus on its "Lagre"."""
    expect(row.locator("[data-announce]")).to_have_text(f"Lagret: {indicator}.")
    expect(page.locator("#live-status")).to_have_text(f"Lagret: {indicator}.")
    expect(row.get_by_role("button", name=re.compile(r"^Lagre\b"))).to_be_focused()
    expect(row.locator("[data-error-summary]")).to_have_count(0)


def _expect_refused(row: Locator, value: str) -> None:
    """The row's own error summary (focused) and the field marked, with what was typed."""
    summary = row.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Rett opp dette før du lagrer:")
    link = summary.get_by_role("link", name=NOT_A_NUMBER)
    expect(link).to_be_visible()
    field = row.get_by_label("Verdi", exact=True)
    expect(link).to_have_attribute("href", f"#{field.get_attribute('id')}")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value(value)


# ---- the indicator pages -------------------------------------------------------------------


def test_kodeknekk_indicator_shows_the_seed_figures_and_achievement(page: Page, sign_in):
    sign_in("admin")
    visit(page, f"{KODEKNEKK}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Gevinstrealiseringsplan: Kodeknekk"))
    # The goals as a tree, the benefits, and the indicators with the whole project's figures.
    expect(page.locator("ul.goal-tree ul.goal-tree").first).to_contain_text(
        "Større del av innkjøpa via e-handel")
    benefits = page.get_by_role("table", name="Gevinstene med type, verdi, ansvarlig og eiere")
    expect(benefits.get_by_role("row").filter(has=page.get_by_role(
        "link", name="Lågare transaksjonskostnader gjennom automatisering", exact=True))
    ).to_contain_text("Time kommune, Klepp kommune, Gjesdal kommune")
    indicators = page.get_by_role(
        "table", name="Indikatorene med siste måling og måloppnåelse for hele prosjektet")
    share_row = indicators.get_by_role("row").filter(
        has=page.get_by_role("link", name=SHARE, exact=True))
    # Baseline: the average of 0,8, 3,8 and 3,3; latest 2012-06: the average of 8, 18,9 and
    # 20,2; (15,7 − 2,63) / (30 − 2,63) = 48 %.
    expect(share_row.get_by_role("cell")).to_have_text([
        "2,63 %", re.compile(r"^30\s%\sinnen 31\.12\.2013\s*40\s%\sinnen 31\.12\.2014$"),
        "15,7 % (2012-06)", "48 %"])
    # The seed's figures end in 2012: measurements are overdue.
    missing = page.get_by_role("region", name="Målinger som mangler")
    expect(missing.get_by_role("listitem").filter(has_text=f"{SHARE} – Gjesdal kommune")
           ).to_have_count(1)

    _open_indicator(page, KODEKNEKK, SHARE)
    expect(page.get_by_role("listitem").filter(has_text="innen 31.12.2013")).to_contain_text(
        "30 % innen 31.12.2013")
    standings = page.get_by_role(
        "table", name="Nullpunkt, siste måling og måloppnåelse for hver organisasjon")
    seed = {  # baseline 2011, latest (2012-06), achievement against 30 % by 31.12.2013
        "Time kommune": ("0,8", "8", "25"),
        "Klepp kommune": ("3,8", "18,9", "58"),
        "Gjesdal kommune": ("3,3", "20,2", "63"),
    }
    for organisation, (baseline, latest, achieved) in seed.items():
        cells = _row_of(standings, organisation).get_by_role("cell")
        expect(cells).to_have_text([
            re.compile(rf"^{baseline}\s%\s*31\.12\.2011$"),
            re.compile(rf"^{latest}\s%\s*2012-06$"),
            re.compile(r"^30\s%\s*31\.12\.2013$"),
            re.compile(rf"^{achieved}\s%"),
        ])
    expect(_row_of(standings, "Hele prosjektet").get_by_role("cell")).to_have_text([
        "2,63 %", re.compile(r"^15,7\s%\s*2012-06$"), re.compile(r"^30\s%\s*31\.12\.2013$"),
        "48 %"])

    # Both charts drawn, each with its caption.
    _expect_charts_drawn(page)
    expect(page.locator("#indicator-chart figcaption")).to_have_text(
        f"{SHARE} per organisasjon over tid, med mål")
    expect(page.locator("#achievement-chart figcaption")).to_have_text(
        "Måloppnåelse per organisasjon")
    assert_accessible(page)

    # The charts' data tables open and hold the figures.
    for chart in ["#indicator-chart", "#achievement-chart"]:
        details = page.locator(f"{chart} details")
        details.locator("summary").click()
        expect(details).to_have_attribute("open", "")
        expect(details.get_by_role("table")).to_be_visible()
    points = page.locator("#indicator-chart details table")
    for organisation, (_baseline, latest, achieved) in seed.items():
        june = _row_of(points, organisation).filter(has_text="2012-06")
        expect(june.get_by_role("cell")).to_have_text(
            ["2012-06", f"{latest} %", f"{latest} %", f"{achieved} %", ""])
    expect(_row_of(points, "Time kommune").filter(has_text="2012-H1").get_by_role("cell")
           ).to_contain_text(["2012-H1", "3 %", "3 %"])
    # The targets, after the measurements.
    for day, target in [("31.12.2013", "30 %"), ("31.12.2014", "40 %")]:
        expect(points.get_by_role("row").filter(has_text=day).get_by_role("cell")
               ).to_have_text([day, "", target, "", ""])
    achievement = page.locator("#achievement-chart details table")
    for organisation, (_baseline, _latest, achieved) in seed.items():
        expect(_row_of(achievement, organisation).get_by_role("cell")).to_have_text(
            [f"{achieved} %"])
    assert_accessible(page)


def test_ratio_indicator_shows_targets_as_share_of_operating_costs(page: Page, sign_in):
    sign_in("katrine")
    _open_indicator(page, EHANDEL, VOLUME)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(
        "Rapporteres i kroner; vises som prosent av beregningsgrunnlaget "
        "(driftskostnader × 0,25)")
    # 15 % of the calculation base (operating costs × 0,25) is 3,75 % of operating costs.
    expect(page.get_by_role("listitem").filter(has_text="innen 22.04.2014")).to_contain_text(
        "15 % innen 22.04.2014 (= 3,75 % av driftskostnadene)")
    expect(page.get_by_role("listitem").filter(has_text="innen 22.04.2015")).to_contain_text(
        "25 % innen 22.04.2015 (= 6,25 % av driftskostnadene)")
    standings = page.get_by_role(
        "table", name="Nullpunkt, siste måling og måloppnåelse for hver organisasjon")
    expect(_row_of(standings, "Luster kommune").get_by_role("cell").first).to_have_text(
        re.compile(r"^0\s%\s*31\.12\.2012$"))
    _expect_charts_drawn(page)
    assert_accessible(page)


# ---- measurement entry ---------------------------------------------------------------------


def test_municipal_lead_saves_a_measurement_in_place(page: Page, sign_in,
                                                     measurements_removed):
    period = "2026-02"
    measurements_removed("EHANDEL-SOGN", "Luster kommune", period)
    comment = f"Tal frå Visma ({uuid.uuid4().hex[:6]})"
    sign_in("per")
    visit(page, f"{EHANDEL}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Registrer målinger", exact=True).click()
    assert_accessible(page)
    # Per reports for Luster only.
    organisation = page.get_by_label("Organisasjon", exact=True)
    expect(organisation.locator("option")).to_have_text(["Luster kommune"])
    _open_entry_screen(page, EHANDEL, "Luster kommune", period)
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Luster kommune, 2026-02 (01.02.2026–28.02.2026)")
    _mark_document(page)

    row = _entry_row(page, VOLUME)
    expect(row).to_have_count(1)
    expect(row.get_by_role("heading", level=3)).to_have_text(f"{VOLUME} (kr)")
    value = row.get_by_label("Verdi", exact=True)
    expect(value).to_have_value("")

    # Not a number: refused in the row, with what he typed kept.
    value.fill("abc")
    row.get_by_label("Kommentar", exact=True).fill(comment)
    assert _save_row(page, row) == 422
    _expect_refused(row, "abc")
    expect(row.get_by_label("Kommentar", exact=True)).to_have_value(comment)
    _same_document(page)
    assert_accessible(page)

    # Corrected and saved in place.
    row.get_by_label("Verdi", exact=True).fill("187 500")
    assert _save_row(page, row) == 200
    _expect_saved(page, row, VOLUME)
    expect(row.get_by_label("Verdi", exact=True)).to_have_value("187500")
    expect(row.get_by_label("Verdi", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(row.get_by_label("Kommentar", exact=True)).to_have_value(comment)
    _same_document(page)
    assert_accessible(page)

    # Saved for real.
    page.reload()
    row = _entry_row(page, VOLUME)
    expect(row.get_by_label("Verdi", exact=True)).to_have_value("187500")
    expect(row.get_by_label("Kommentar", exact=True)).to_have_value(comment)
    expect(row.locator(".button-row")).to_contain_text(
        re.compile(r"Lagret \d{2}\.\d{2}\.\d{4}"))
    assert_accessible(page)

    # The indicator page has it in Luster's figures.
    _open_indicator(page, EHANDEL, VOLUME)
    page.locator("#indicator-chart details summary").click()
    luster = _row_of(page.locator("#indicator-chart details table"), "Luster kommune")
    expect(luster.filter(has_text=period).get_by_role("cell")).to_contain_text(
        [period, re.compile(r"^187\s500\skr$")])
    expect(luster.filter(has_text=period)).to_contain_text(comment)
    assert_accessible(page)


def test_rows_are_saved_one_at_a_time_and_keep_what_was_typed(page: Page, sign_in,
                                                              measurements_removed):
    """Three rows for an organisation and a period: each saved on its own. eHandel i Sogn
    has one indicator, so this uses Kodeknekk's three (and the administrator, who may report
    for every participant)."""
    period = "2026-03"
    measurements_removed("KODEKNEKK", "Klepp kommune", period)
    sign_in("admin")
    _open_entry_screen(page, KODEKNEKK, "Klepp kommune", period)
    expect(page.locator("li.entry-row")).to_have_count(3)
    _mark_document(page)
    _mark_rows(page)

    share, office, average = (_entry_row(page, name) for name in (SHARE, OFFICE, AVERAGE))
    share.get_by_label("Verdi", exact=True).fill("21,5")
    share.get_by_label("Kommentar", exact=True).fill("Frå Visma")
    office.get_by_label("Verdi", exact=True).fill("84")
    average.get_by_label("Verdi", exact=True).fill("abc")

    # The middle row is saved; the others keep what was typed and were not replaced.
    assert _save_row(page, office) == 200
    _expect_saved(page, office, OFFICE)
    expect(office.get_by_label("Verdi", exact=True)).to_have_value("84")
    assert _replaced_rows(page) == [office.get_attribute("id")]
    expect(share.get_by_label("Verdi", exact=True)).to_have_value("21,5")
    expect(share.get_by_label("Kommentar", exact=True)).to_have_value("Frå Visma")
    expect(average.get_by_label("Verdi", exact=True)).to_have_value("abc")
    expect(page.locator("li.entry-row")).to_have_count(3)
    _same_document(page)
    assert_accessible(page)

    # "abc" is refused in its own row only.
    _mark_rows(page)
    assert _save_row(page, average) == 422
    _expect_refused(average, "abc")
    assert _replaced_rows(page) == [average.get_attribute("id")]
    expect(page.locator("[data-error-summary]")).to_have_count(1)
    for other in (share, office):
        expect(other.get_by_label("Verdi", exact=True)).not_to_have_attribute(
            "aria-invalid", "true")
    expect(share.get_by_label("Verdi", exact=True)).to_have_value("21,5")
    expect(office.locator("[data-announce]")).to_have_text(f"Lagret: {OFFICE}.")
    _same_document(page)
    assert_accessible(page)

    # The first row is saved; the refused row stays as it was.
    _mark_rows(page)
    assert _save_row(page, share) == 200
    _expect_saved(page, share, SHARE)
    assert _replaced_rows(page) == [share.get_attribute("id")]
    expect(share.get_by_label("Verdi", exact=True)).to_have_value("21,5")
    expect(average.locator("[data-error-summary]")).to_be_visible()
    expect(average.get_by_label("Verdi", exact=True)).to_have_value("abc")
    _same_document(page)
    assert_accessible(page)

    # After a reload: the two saved values, and nothing for the refused one.
    page.reload()
    share, office, average = (_entry_row(page, name) for name in (SHARE, OFFICE, AVERAGE))
    expect(share.get_by_label("Verdi", exact=True)).to_have_value("21,5")
    expect(share.get_by_label("Kommentar", exact=True)).to_have_value("Frå Visma")
    expect(office.get_by_label("Verdi", exact=True)).to_have_value("84")
    expect(average.get_by_label("Verdi", exact=True)).to_have_value("")
    for saved in (share, office):
        expect(saved.locator(".button-row")).to_contain_text(
            re.compile(r"Lagret \d{2}\.\d{2}\.\d{4}"))
    expect(average.locator(".button-row")).not_to_contain_text("Lagret")
    assert_accessible(page)


def test_two_refused_rows_at_once_stay_accessible(page: Page, sign_in, measurements_removed):
    """Each refused row has its own error summary; two at a time must not share ids."""
    period = "2026-04"
    measurements_removed("KODEKNEKK", "Time kommune", period)
    sign_in("admin")
    _open_entry_screen(page, KODEKNEKK, "Time kommune", period)
    office, average = _entry_row(page, OFFICE), _entry_row(page, AVERAGE)
    office.get_by_label("Verdi", exact=True).fill("abc")
    average.get_by_label("Verdi", exact=True).fill("xyz")
    assert _save_row(page, office) == 422
    _expect_refused(office, "abc")
    assert _save_row(page, average) == 422
    _expect_refused(average, "xyz")
    expect(page.locator("[data-error-summary]")).to_have_count(2)
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"ids used twice on the entry screen: {duplicates}"
    assert_accessible(page)


# ---- import --------------------------------------------------------------------------------


def _upload(page: Page, path: Path, status: int) -> None:
    visit(page, f"{EHANDEL}/import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer målinger")
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(str(path))
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sjekk filen").click()
    assert navigation.value.status == status, navigation.value.status
    expect(page.get_by_role("heading", level=2, name=f"Forhåndsvisning: {path.name}")
           ).to_be_visible()


def _preview(page: Page) -> Locator:
    return page.get_by_role("table", name="Radene i filen, med feil der de finnes")


def _save_import(page: Page, count: int) -> None:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=f"Lagre {count} målinger").click()
    assert navigation.value.ok
    expect(page).to_have_url(re.compile(rf"{EHANDEL}/$"))
    expect(page.locator("#messages")).to_contain_text(f"{count} målinger er lagret.")
    assert_accessible(page)


def _expect_entry(page: Page, period: str, value: str, comment: str = "") -> None:
    _open_entry_screen(page, EHANDEL, "Luster kommune", period)
    row = _entry_row(page, VOLUME)
    expect(row.get_by_label("Verdi", exact=True)).to_have_value(value)
    expect(row.get_by_label("Kommentar", exact=True)).to_have_value(comment)


def test_import_checks_every_row_and_saves_all_or_nothing(page: Page, sign_in, tmp_path,
                                                         measurements_removed):
    measurements_removed("EHANDEL-SOGN", "Luster kommune", "2026-05", "2026-06")
    sign_in("per")
    visit(page, f"{EHANDEL}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Importer målinger", exact=True).click()
    assert_accessible(page)

    # Row 3: Sogndal, which Per may not report for; row 4: not a number.
    bad = tmp_path / "maalingar.csv"
    bad.write_text(
        "indikator;organisasjon;periode;verdi;kommentar\n"
        f"{VOLUME};Luster kommune;2026-05;125000;Frå Visma\n"
        f"{VOLUME};Sogndal kommune;2026-05;90000;\n"
        f"{VOLUME};Luster kommune;2026-06;tolv;\n", encoding="utf-8")
    _upload(page, bad, 422)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("2 rader har feil. Ingenting er lagret.")
    expect(summary.get_by_role("listitem")).to_have_text([
        "Rad 3, kolonne organisasjon: «Sogndal kommune» er ikke en organisasjon du kan "
        "rapportere for i prosjektet.",
        "Rad 4, kolonne verdi: «tolv» er ikke et tall.",
    ])
    preview = _preview(page)
    expect(_row_of(preview, "2").get_by_role("cell").last).to_have_text("OK")
    expect(_row_of(preview, "3").get_by_role("cell").last).to_have_text(
        "organisasjon: «Sogndal kommune» er ikke en organisasjon du kan rapportere for i "
        "prosjektet.")
    expect(_row_of(preview, "4").get_by_role("cell").last).to_have_text(
        "verdi: «tolv» er ikke et tall.")
    expect(page.get_by_role("button", name=re.compile(r"^Lagre"))).to_have_count(0)
    assert_accessible(page)

    # Nothing was saved, not even the good row.
    _expect_entry(page, "2026-05", "")

    # The file put right: checked, then saved.
    good = tmp_path / "maalingar-retta.csv"
    good.write_text(
        "indikator;organisasjon;periode;verdi;kommentar\n"
        f"{VOLUME};Luster kommune;2026-05;125000;Frå Visma\n"
        f"{VOLUME};Luster kommune;2026-06;\"90 000,50\";\n", encoding="utf-8")
    _upload(page, good, 200)
    expect(page.get_by_role("status").filter(has_text="sjekket")).to_have_text(
        "Alle 2 rader er sjekket og klare til å lagres.")
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    expect(_preview(page).get_by_role("row").filter(has_text="OK")).to_have_count(2)
    assert_accessible(page)
    _save_import(page, 2)

    _expect_entry(page, "2026-05", "125000", "Frå Visma")
    _expect_entry(page, "2026-06", "90000,5")


def test_import_from_excel(page: Page, sign_in, tmp_path, measurements_removed):
    from openpyxl import Workbook

    measurements_removed("EHANDEL-SOGN", "Luster kommune", "2026-07", "2026-08")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indikator", "Organisasjon", "Periode", "Verdi", "Kommentar"])
    # A period typed as a date in Excel is read as its month.
    sheet.append([VOLUME, "Luster kommune", datetime(2026, 7, 1), 64000, "Juli"])
    sheet.append([VOLUME, "Luster kommune", "2026-08", 70500.25, None])
    path = tmp_path / "maalingar.xlsx"
    workbook.save(path)

    sign_in("per")
    _upload(page, path, 200)
    preview = _preview(page)
    expect(_row_of(preview, "2").get_by_role("cell")).to_have_text(
        [VOLUME, "Luster kommune", "2026-07", "64000", "Juli", "OK"])
    expect(_row_of(preview, "3").get_by_role("cell")).to_have_text(
        [VOLUME, "Luster kommune", "2026-08", "70500.25", "", "OK"])
    assert_accessible(page)
    _save_import(page, 2)

    _expect_entry(page, "2026-07", "64000", "Juli")
    _expect_entry(page, "2026-08", "70500,25")


# ---- the start page ------------------------------------------------------------------------


def test_start_page_lists_the_measurements_a_municipal_lead_owes(page: Page, sign_in):
    sign_in("per")
    visit(page, "/")
    due = page.get_by_role("region", name="Målinger du skal registrere")
    expect(due).to_be_visible()
    # The indicator is measured yearly: the last whole year, 2025, has no value for Luster.
    name = f"{VOLUME} for Luster kommune, 2025"
    link = due.get_by_role("link", name=name, exact=True)
    expect(link).to_be_visible()
    expect(due.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=name, exact=True))).to_contain_text("(eHandel i Sogn)")
    with page.expect_navigation():
        link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer målinger")
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Luster kommune, 2025 (01.01.2025–31.12.2025)")
    expect(page.get_by_label("Organisasjon", exact=True)).to_have_value(
        re.compile(r"^\d+$"))
    expect(page.get_by_label("Organisasjon", exact=True).locator("option:checked")
           ).to_have_text("Luster kommune")
    expect(page.get_by_label("Periode", exact=True)).to_have_value("2025")
    expect(_entry_row(page, VOLUME).get_by_label("Verdi", exact=True)).to_have_value("")
    assert_accessible(page)


def test_a_later_month_does_not_hide_the_missing_year(page: Page, sign_in,
                                                      measurements_removed):
    """A value for a month of 2026 says nothing about 2025: the yearly measurement for 2025 is
    still missing, on the start page and in the plan's list."""
    period = "2026-01"
    measurements_removed("EHANDEL-SOGN", "Luster kommune", period)
    sign_in("per")
    _open_entry_screen(page, EHANDEL, "Luster kommune", period)
    row = _entry_row(page, VOLUME)
    row.get_by_label("Verdi", exact=True).fill("5000")
    assert _save_row(page, row) == 200
    _expect_saved(page, row, VOLUME)
    assert_accessible(page)

    visit(page, "/")
    expect(page.get_by_role("region", name="Målinger du skal registrere").get_by_role(
        "link", name=f"{VOLUME} for Luster kommune, 2025", exact=True)).to_be_visible()
    visit(page, f"{EHANDEL}/")
    expect(page.get_by_role("region", name="Målinger som mangler").get_by_role(
        "listitem").filter(has_text=f"{VOLUME} – Luster kommune, periode 2025")
           ).to_have_count(1)


# ---- the plan as a document ----------------------------------------------------------------


def test_plan_document_prints_without_the_approval_form(page: Page, sign_in):
    sign_in("katrine")
    visit(page, f"{EHANDEL}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Planen som dokument", exact=True).click()
    expect(page).to_have_url(re.compile(rf"{EHANDEL}/plan$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gevinstrealiseringsplan: eHandel i Sogn")
    document = page.locator("article.plan-document")
    expect(document.get_by_role("heading", level=2)).to_contain_text(
        ["1. Mål", "2. Gevinster", "3. Indikatorer, nullpunkt og mål", "4. Eiere og ansvar",
         "5. Måleplan", "Godkjenninger"])
    expect(document.get_by_role("heading", level=3, name=VOLUME)).to_be_visible()
    expect(document).to_contain_text("15 % innen 22.04.2014; 25 % innen 22.04.2015")
    approval = page.locator("section.no-print").filter(
        has=page.get_by_role("heading", name="Registrer godkjenning"))
    expect(approval).to_be_visible()
    expect(approval.get_by_role("button", name="Registrer godkjenning")).to_be_visible()
    back = page.get_by_role("link", name="Tilbake til gevinstplanen")
    expect(back).to_be_visible()
    assert_accessible(page)

    # Printed: the document without the approval form or the link back.
    page.emulate_media(media="print")
    try:
        expect(approval).to_be_hidden()
        expect(back).to_be_hidden()
        expect(document).to_be_visible()
        expect(document.get_by_role("heading", level=1)).to_be_visible()
    finally:
        page.emulate_media(media="screen")
    expect(approval).to_be_visible()
