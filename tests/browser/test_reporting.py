"""Status reports in the browser: two municipal leads and the project leader report on one
period; the period page shows the three side by side with the suggested lights; overriding
the suggestion needs a reason; a published report keeps its snapshot of the project.

The live server's demo database is shared by all browser tests (tables are not emptied), so:

- each test writes the reports of a period of eHandel i Sogn no other test reads (2013-10 and
  2013-11; the demo's reports are for 2013-08), and its fixture deletes them afterwards, so
  the risk register's "since the last published report" stays the demo's;
- the snapshot test changes a milestone no other test reads directly in the database and puts
  it back, whatever happens.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import delete, select

from tests.browser.support import assert_accessible, visit

pytestmark = pytest.mark.browser

PROJECT = "/prosjekter/EHANDEL-SOGN"
STATUS = f"{PROJECT}/status"
FLOW_PERIOD = "2013-10"  # oktober 2013
SNAPSHOT_PERIOD = "2013-11"  # november 2013
FIRST_DELIVERY = "Første innlevering: organisering, gevinstplan og leverandøranalyse"


@pytest.fixture
def reports_removed_afterwards(live_server):
    """Delete the reports the test writes for its periods (and check none were there)."""
    from governance.extensions import db
    from governance.projects.models import Project
    from governance.reporting.models import StatusReport

    def remove(periods: tuple[str, ...]) -> int:
        with live_server.app.app_context():
            project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
            # A table-level delete: the app refuses an ORM delete of published reports (they
            # are evidence), but this test's own reports must go so the next test starts clean.
            reports = StatusReport.__table__
            removed = db.session.execute(delete(reports).where(
                reports.c.project_id == project.id, reports.c.period.in_(periods)))
            db.session.commit()
            return removed.rowcount

    periods: list[str] = []

    def use(*chosen: str) -> None:
        periods.extend(chosen)
        assert remove(chosen) == 0, f"another test left reports for {chosen}"

    yield use
    if periods:
        remove(tuple(periods))


def _as(page: Page, sign_in, username: str) -> None:
    """Sign the page in as another user (one browser, one person at a time)."""
    page.context.clear_cookies()
    sign_in(username)


def _dimension(page: Page, name: str) -> Locator:
    return page.get_by_role("group", name=name, exact=True)


def _fill(page: Page, lights: dict[str, str], comments: dict[str, str]) -> None:
    """Choose a light per dimension and write the comments, as a user would."""
    for dimension, light in lights.items():
        _dimension(page, dimension).get_by_label(dimension, exact=True).select_option(
            label=light)
    for dimension, comment in comments.items():
        _dimension(page, dimension).get_by_label("Kommentar").fill(comment)


def _expect_lights(page: Page, lights: dict[str, str], comments: dict[str, str]) -> None:
    for dimension, light in lights.items():
        select = _dimension(page, dimension).get_by_label(dimension, exact=True)
        expect(select.locator("option:checked")).to_have_text(light)
    for dimension, comment in comments.items():
        expect(_dimension(page, dimension).get_by_label("Kommentar")).to_have_value(comment)


def _submit(page: Page, button: str, status: int = 200) -> None:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    assert navigation.value.status == status, navigation.value.status
    assert_accessible(page)


def _side_by_side(page: Page) -> dict[str, dict[str, str]]:
    """The period's table as {column: {row: text}}, e.g. {"Luster kommune": {"Fremdrift":
    "✕ Rød …"}}."""
    table = page.get_by_role("table", name=re.compile("^Lys per dimensjon"))
    columns = [c.strip() for c in table.locator("thead th").all_inner_texts()]
    result: dict[str, dict[str, str]] = {c: {} for c in columns[1:]}
    for row in table.locator("tbody tr").all():
        cells = [" ".join(c.split()) for c in
                 row.locator(":scope > th, :scope > td").all_inner_texts()]
        for column, text in zip(columns[1:], cells[1:], strict=True):
            result[column][cells[0]] = text
    return result


def _municipal_report(page: Page, sign_in, username: str, organisation: str,
                      lights: dict[str, str], comments: dict[str, str], done: str) -> None:
    """A municipal lead writes a draft, comes back to it, and publishes it."""
    _as(page, sign_in, username)
    visit(page, f"{STATUS}/{FLOW_PERIOD}")
    # A municipal lead is offered the report of their own organisation only.
    buttons = page.locator(".button-row").get_by_role("link")
    expect(buttons).to_have_text([f"Rapport for {organisation}"])
    with page.expect_navigation():
        buttons.click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Statusrapport oktober 2013 for {organisation}")
    expect(page.get_by_text("Ny rapport.")).to_be_visible()
    # A municipality's report has no suggestion to override.
    expect(page.get_by_label("Hvorfor totalvurderingen avviker fra forslaget")).to_have_count(0)

    _fill(page, lights, comments)
    page.get_by_label("Gjort i perioden").fill(done)
    _submit(page, "Lagre utkast")
    expect(page.locator("#messages")).to_contain_text("Utkastet er lagret.")
    expect(page.get_by_text("Utkast, versjon 1.")).to_be_visible()
    # The draft comes back as it was written.
    page.reload()
    assert_accessible(page)
    _expect_lights(page, lights, comments)
    expect(page.get_by_label("Gjort i perioden")).to_have_value(done)

    _submit(page, "Lagre og publiser")
    expect(page.locator("#messages")).to_contain_text("Rapporten er publisert.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Statusrapport oktober 2013 for {organisation}")
    expect(page.get_by_text(re.compile(r"^Versjon 1, publisert .* av "))).to_be_visible()
    table = page.get_by_role("table", name="Lys og kommentar per dimensjon")
    for dimension, light in lights.items():
        expect(table.get_by_role("row", name=re.compile(rf"^{dimension}\b"))).to_contain_text(
            light)
    for comment in comments.values():
        expect(table).to_contain_text(comment)


LUSTER_LIGHTS = {"Totalvurdering": "Gul", "Fremdrift": "Rød", "Økonomi": "Grønn",
                 "Kvalitet og omfang": "Grønn", "Risiko": "Gul", "Gevinstoppnåelse": "Grønn"}
LUSTER_COMMENTS = {"Fremdrift": "Buyer-oppsettet ventar framleis på IT i Luster.",
                   "Risiko": "Lite folk i innkjøp i haust."}
SOGNDAL_LIGHTS = {"Totalvurdering": "Gul", "Fremdrift": "Gul", "Økonomi": "Rød",
                  "Kvalitet og omfang": "Grønn", "Risiko": "Grønn",
                  "Gevinstoppnåelse": "Gul"}
SOGNDAL_COMMENTS = {"Økonomi": "Lisenskostnaden for Visma vart høgare enn budsjettert."}


def test_two_municipal_leads_and_the_project_leader_report_on_one_period(
        page: Page, sign_in, reports_removed_afterwards):
    reports_removed_afterwards(FLOW_PERIOD)

    _municipal_report(page, sign_in, "per", "Luster kommune", LUSTER_LIGHTS, LUSTER_COMMENTS,
                      "Kontaktpersonar registrert.")
    _municipal_report(page, sign_in, "kari", "Sogndal kommune", SOGNDAL_LIGHTS,
                      SOGNDAL_COMMENTS, "Opplæring av bestillarane.")

    # The project leader sees both municipalities' reports side by side, and the suggestion
    # made from them (and from the project's own figures against its tolerances).
    _as(page, sign_in, "katrine")
    visit(page, f"{STATUS}/{FLOW_PERIOD}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Status oktober 2013: eHandel i Sogn")
    table = _side_by_side(page)
    for dimension, light in LUSTER_LIGHTS.items():
        assert light in table["Luster kommune"][dimension], (dimension, table["Luster kommune"])
    for dimension, light in SOGNDAL_LIGHTS.items():
        assert light in table["Sogndal kommune"][dimension], (dimension,
                                                              table["Sogndal kommune"])
    assert LUSTER_COMMENTS["Fremdrift"] in table["Luster kommune"]["Fremdrift"]
    assert SOGNDAL_COMMENTS["Økonomi"] in table["Sogndal kommune"]["Økonomi"]
    for organisation in ("Luster kommune", "Sogndal kommune"):
        assert table[organisation]["Rapportens status"].startswith("publisert"), table
        expect(page.get_by_role("link", name=re.compile(rf"^publisert ?: {organisation}$"))
               ).to_be_visible()
    assert table["Prosjektet"]["Rapportens status"] == "ikke startet"
    # Sogndal's red cost turns the suggestion red, and says why.
    assert table["Forslag"]["Økonomi"].startswith("✕ Rød"), table["Forslag"]
    assert "Rødt hos Sogndal kommune" in table["Forslag"]["Økonomi"]
    assert "Rødt hos Luster kommune" in table["Forslag"]["Fremdrift"]
    assert table["Forslag"]["Gevinstoppnåelse"].startswith("▲ Gul"), table["Forslag"]
    # The demo's late milestones and red risks are outside the tolerances: overall red.
    assert table["Forslag"]["Totalvurdering"].startswith("✕ Rød"), table["Forslag"]
    assert "Utenfor toleransen – til styringsgruppen" in table["Forslag"]["Totalvurdering"]
    missing = page.get_by_text(re.compile(r"^Ikke publisert ennå:"))
    expect(missing).not_to_contain_text("Luster kommune")
    expect(missing).not_to_contain_text("Sogndal kommune")
    expect(missing).to_contain_text("Leikanger kommune")

    with page.expect_navigation():
        page.get_by_role("link", name="Skriv prosjektets rapport").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statusrapport oktober 2013 for prosjektet")
    overall = _dimension(page, "Totalvurdering")
    expect(overall.locator(".suggestion")).to_contain_text("Forslag: ✕ Rød")
    expect(_dimension(page, "Økonomi").locator(".suggestion")).to_contain_text(
        "Rødt hos Sogndal kommune")
    # The new project report starts from the suggested lights.
    expect(overall.get_by_label("Totalvurdering").locator("option:checked")).to_have_text("Rød")
    expect(_dimension(page, "Økonomi").get_by_label("Økonomi").locator(
        "option:checked")).to_have_text("Rød")

    # Overriding the suggestion without a reason is refused, and said so accessibly.
    _fill(page, {"Totalvurdering": "Gul"},
          {"Totalvurdering": "Forseinkingane er tekne inn att i planen."})
    _submit(page, "Lagre utkast", status=422)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Totalvurderingen avviker fra forslaget. Skriv hvorfor.")
    reason = page.get_by_label("Hvorfor totalvurderingen avviker fra forslaget")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(
        re.compile("Totalvurderingen avviker fra forslaget. Skriv hvorfor."))
    # What was typed stays, nothing was saved.
    _expect_lights(page, {"Totalvurdering": "Gul"},
                   {"Totalvurdering": "Forseinkingane er tekne inn att i planen."})
    expect(page.get_by_text("Ny rapport.")).to_be_visible()
    summary.get_by_role("link", name=re.compile("Totalvurderingen avviker")).click()
    expect(reason).to_be_focused()

    reason_text = "Luster og Sogndal har tiltak på plass; styringsgruppa er orientert."
    reason.fill(reason_text)
    page.get_by_label("Trenger beslutning fra styringsgruppen").fill(
        "Godkjenne revidert framdriftsplan.")
    _submit(page, "Lagre og publiser")
    expect(page.locator("#messages")).to_contain_text("Rapporten er publisert.")
    report = page.get_by_role("table", name="Lys og kommentar per dimensjon")
    expect(report.get_by_role("row", name=re.compile("^Totalvurdering"))).to_contain_text("Gul")
    expect(page.get_by_role("heading", name="Hvorfor totalvurderingen avviker fra forslaget")
           ).to_be_visible()
    expect(page.get_by_text(reason_text)).to_be_visible()

    # All three on the period page.
    with page.expect_navigation():
        page.get_by_role("link", name="Tilbake til perioden").click()
    assert_accessible(page)
    table = _side_by_side(page)
    assert table["Prosjektet"]["Totalvurdering"] == "▲ Gul", table["Prosjektet"]
    assert table["Prosjektet"]["Økonomi"] == "✕ Rød", table["Prosjektet"]
    for column in ("Prosjektet", "Luster kommune", "Sogndal kommune"):
        assert table[column]["Rapportens status"].startswith("publisert"), table[column]
    assert table["Forslag"]["Totalvurdering"].startswith("✕ Rød")
    expect(page.get_by_role("link", name="Se prosjektets rapport")).to_be_visible()

    # The overview shows the period's project light and the light history with a table.
    visit(page, f"{STATUS}/")
    history = page.locator("#light-history")
    expect(history.locator(".chart__plot")).to_have_attribute("data-drawn", "true")
    history.get_by_text("Vis tallene som tabell").click()
    expect(history.get_by_role("row", name=re.compile(rf"^{FLOW_PERIOD}\b"))).to_contain_text(
        "Gul")
    assert_accessible(page)


def test_a_published_report_keeps_its_snapshot_when_the_milestones_change(
        page: Page, sign_in, live_server, reports_removed_afterwards):
    from governance.extensions import db
    from governance.projects.models import Milestone, Project

    reports_removed_afterwards(SNAPSHOT_PERIOD)
    sign_in("katrine")
    visit(page, f"{STATUS}/{SNAPSHOT_PERIOD}/prosjekt")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statusrapport november 2013 for prosjektet")
    page.get_by_label("Gjort i perioden").fill("Leverandøraktivering held fram.")
    _submit(page, "Lagre og publiser")  # the suggested lights, as they are
    expect(page.locator("#messages")).to_contain_text("Rapporten er publisert.")
    report_url = page.url

    snapshot = page.get_by_role("region", name="Prosjektet slik det var ved publisering")
    row = snapshot.get_by_role("row", name=re.compile(rf"^{re.escape(FIRST_DELIVERY)}"))
    expect(row.get_by_role("cell").last).to_have_text("Fullført")
    expect(row).to_contain_text("28.06.2013")
    expect(snapshot.get_by_role("listitem").filter(
        has_text="For lite ressursar i kommunane til lokalt arbeid")).to_contain_text(
        "poengsum 20")

    # The milestone is no longer delivered (as if the date was entered by mistake).
    with live_server.app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        milestone = db.session.scalar(select(Milestone).where(
            Milestone.project_id == project.id, Milestone.title == FIRST_DELIVERY))
        milestone_id, actual = milestone.id, milestone.actual_date
        assert actual == date(2013, 6, 28)
        milestone.actual_date = None
        db.session.commit()
    try:
        # Today's plan shows the change ...
        visit(page, f"{PROJECT}/milepaler")
        today_row = page.locator("#milestone-results tbody > tr").filter(
            has=page.get_by_role("link", name=FIRST_DELIVERY, exact=True))
        expect(today_row).to_contain_text("Forsinket")
        expect(today_row).not_to_contain_text("Fullført")

        # ... the published report still shows the project as it was.
        visit(page, report_url)
        row = page.get_by_role("region", name="Prosjektet slik det var ved publisering") \
            .get_by_role("row", name=re.compile(rf"^{re.escape(FIRST_DELIVERY)}"))
        expect(row.get_by_role("cell").last).to_have_text("Fullført")
        expect(row).to_contain_text("28.06.2013")

        # A published report is frozen: its writing page leads to the report.
        with page.expect_navigation():
            page.goto(f"{STATUS}/{SNAPSHOT_PERIOD}/prosjekt")
        assert page.url == report_url
        expect(page.get_by_role("button", name="Lagre utkast")).to_have_count(0)
        expect(page.get_by_role("button", name="Rett rapporten")).to_be_visible()
        assert_accessible(page)
    finally:
        with live_server.app.app_context():
            db.session.get(Milestone, milestone_id).actual_date = actual
            db.session.commit()


def test_who_has_not_reported_is_visible(page: Page, sign_in):
    # The municipal lead's start page tells them their report for the current period is due.
    sign_in("per")
    visit(page, "/")
    due = page.get_by_role("region", name="Statusrapporter du skal levere")
    link = due.get_by_role("link", name=re.compile(
        r"^Rapporten for \w+ \d{4} fra Luster kommune er ikke levert$"))
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Statusrapport \w+ \d{4} for Luster kommune$"))

    # The project leader sees who has not published for the current period.
    page.context.clear_cookies()
    sign_in("katrine")
    visit(page, f"{STATUS}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statusrapporter: eHandel i Sogn")
    expect(page.get_by_text(re.compile(r"^Har ikke publisert rapport for \w+ \d{4}:"))
           ).to_contain_text("Luster kommune")
    # The demo's published reports for August 2013 are in the light history.
    history = page.locator("#light-history")
    history.get_by_text("Vis tallene som tabell").click()
    expect(history.get_by_role("row", name=re.compile(r"^2013-08\b"))).to_contain_text("Gul")
    assert_accessible(page)
