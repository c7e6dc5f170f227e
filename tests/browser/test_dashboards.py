"""The steering group's dashboard in the browser: Ingrid Hauge, chair of eHandel Sogn's
steering group, opens the dashboard from the project page on 28.08.2013; every panel is
filled from the demo data, the charts are drawn, and a panel fetches itself again when its
domain announces a change (the others stay as they are).

The agenda item the test adds to the meeting of 16.09.2013 is removed again at the end, so
the other browser tests see the demo data unchanged.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.support import NBSP, assert_accessible, is_htmx_response, visit

pytestmark = pytest.mark.browser

DASHBOARD = "/prosjekter/EHANDEL-SOGN/dashbord"
CHARTS = ["#dashboard-light-history", "#dashboard-timeline-chart", "#dashboard-trend-chart",
          "#dashboard-heat-map", "#dashboard-budget-chart"]

# What a steering group member reads in each panel on 28.08.2013.
FILLED = {
    "status": ["Fra prosjektets siste publiserte statusrapport, august 2013.",
               "Totalvurdering"],
    "rapportering": ["Har ikke rapportert for august 2013 (5 av 6)", "Årdal kommune"],
    "moter": ["Styringsgruppen 16.09.2013 kl. 12:00", "sak 5/13: Status for leverandøraktivering",
              "Godkjenning av styringsdokumentet."],
    "milepaler": ["Buyer-oppsett ferdig (Luster kommune)", "Frist 13.09.2013"],
    "risiko": ["7 åpne risikoer", "6. For lite ressursar i kommunane til lokalt arbeid",
               "Poengsum 20 (5 × 4)"],
    "okonomi": ["Felles kostnader 2013", f"400{NBSP}000{NBSP}kr", f"236{NBSP}500{NBSP}kr"],
    "gevinster": ["Årleg ordrevolum via e-handel (del av berekningsgrunnlaget)"],
}


@pytest.fixture
def on_28_august(live_server, monkeypatch):
    monkeypatch.setitem(live_server.app.config, "GOVERNANCE_TODAY", "2013-08-28")


def _expect_drawn(page: Page, charts: list[str]) -> None:
    for chart in charts:
        plot = page.locator(f"{chart} .chart__plot")
        expect(plot).to_have_attribute("data-drawn", "true")
        expect(plot.locator("svg.main-svg").first).to_be_visible()


def test_steering_group_member_reads_every_panel_and_its_charts(page: Page, sign_in,
                                                                on_28_august):
    sign_in("ingrid")
    visit(page, "/prosjekter/EHANDEL-SOGN")
    with page.expect_navigation():
        page.get_by_role("link", name="Åpne dashbordet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashbord: eHandel i Sogn")
    assert_accessible(page)
    for name, texts in FILLED.items():
        panel = page.locator(f"#panel-{name}")
        expect(panel.get_by_role("heading", level=2)).to_be_visible()
        for text in texts:
            expect(panel).to_contain_text(text)
    _expect_drawn(page, CHARTS)
    # Every chart has its numbers as a table too.
    heat_map = page.locator("#dashboard-heat-map")
    heat_map.get_by_text("Vis tallene som tabell").click()
    expect(heat_map.get_by_role("link", name="2 risikoer med sannsynlighet 3 og konsekvens 4")
           ).to_be_visible()
    # Each panel links to the page behind it.
    with page.expect_navigation():
        page.locator("#panel-risiko").get_by_role("link", name="Risikoregisteret").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risikoregister: eHandel i Sogn")
    assert_accessible(page)


def test_a_panel_refreshes_itself_when_its_domain_changes(page: Page, sign_in, live_server,
                                                          on_28_august):
    from governance.extensions import db
    from governance.projects import decisions
    from governance.projects.models import AgendaItem, Meeting, Project

    sign_in("ingrid")
    visit(page, DASHBOARD)
    _expect_drawn(page, CHARTS)
    page.evaluate("""() => ['panel-moter', 'panel-risiko', 'panel-milepaler'].forEach(
        id => { document.getElementById(id).dataset.before = 'ja'; })""")
    moter = page.locator("#panel-moter")
    expect(moter).not_to_contain_text("sak 6/13")

    app = live_server.app
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        meeting = db.session.scalar(select(Meeting).where(
            Meeting.project_id == project.id).order_by(Meeting.meeting_date.desc()))
        item = decisions.add_agenda_item(db.session, None, meeting, case_number="sak 6/13",
                                         title="Avtale om drift")
        db.session.commit()
        item_id, meeting_id = item.id, meeting.id
    try:
        # Someone changed a meeting: the meetings panel (only) fetches itself again.
        with page.expect_response(is_htmx_response(f"{DASHBOARD}/moter")) as answer:
            page.evaluate("() => htmx.trigger(document.body, 'meetings-changed')")
        assert answer.value.status == 200
        expect(moter).to_contain_text("sak 6/13: Avtale om drift")
        expect(moter).not_to_have_attribute("data-before", "ja")  # swapped in place
        expect(page.locator("#panel-risiko")).to_have_attribute("data-before", "ja")
        expect(page.locator("#panel-milepaler")).to_have_attribute("data-before", "ja")
        assert_accessible(page)

        # An event with nothing new behind it: 204, the panel stays as it is.
        with page.expect_response(is_htmx_response(f"{DASHBOARD}/milepaler")) as answer:
            page.evaluate("() => htmx.trigger(document.body, 'milestones-changed')")
        assert answer.value.status == 204
        expect(page.locator("#panel-milepaler")).to_have_attribute("data-before", "ja")

        # What the panel shows is out of date (its fingerprint no longer matches): it comes
        # back with its charts drawn again.
        page.evaluate("""() => document.getElementById('panel-milepaler')
            .setAttribute('hx-vals', '{"vist": "utdatert"}')""")
        with page.expect_response(is_htmx_response(f"{DASHBOARD}/milepaler")) as answer:
            page.evaluate("() => htmx.trigger(document.body, 'milestones-changed')")
        assert answer.value.status == 200
        expect(page.locator("#panel-milepaler")).not_to_have_attribute("data-before", "ja")
        _expect_drawn(page, ["#dashboard-timeline-chart", "#dashboard-trend-chart"])
        expect(page.locator("#panel-milepaler")).to_contain_text(
            "Buyer-oppsett ferdig (Luster kommune)")
        assert_accessible(page)
    finally:
        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            decisions.remove_agenda_item(db.session, None, meeting,
                                         db.session.get(AgendaItem, item_id))
            db.session.commit()


def test_steering_group_member_downloads_the_pack_and_the_workbooks(page: Page, sign_in,
                                                                    on_28_august):
    """From the dashboard: the PDF for the meeting papers and the four Excel workbooks."""
    import io
    from pathlib import Path

    from openpyxl import load_workbook

    sign_in("ingrid")
    visit(page, DASHBOARD)
    downloads = page.get_by_role("region", name="Last ned")
    with page.expect_download() as download:
        downloads.get_by_role("link", name="Styringsgruppepakke (PDF)").click()
    assert download.value.suggested_filename == "EHANDEL-SOGN-styringsgruppepakke-2013-08-28.pdf"
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000

    expected = {
        "Milepæler (Excel)": ("milepaler", "Milepæler", "Buyer-oppsett ferdig"),
        "Gevinstplan med målinger (Excel)": ("gevinster", "Indikatorer",
                                             "Årleg ordrevolum via e-handel"),
        "Risikoregister (Excel)": ("risiko", "Risikoregister",
                                   "For lite ressursar i kommunane til lokalt arbeid"),
        "Budsjett og regnskap (Excel)": ("budsjett", "Budsjettlinjer", None),
    }
    for link, (name, sheet, title) in expected.items():
        with page.expect_download() as download:
            downloads.get_by_role("link", name=link).click()
        assert download.value.suggested_filename == f"EHANDEL-SOGN-{name}-2013-08-28.xlsx"
        workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert sheet in workbook.sheetnames
        cells = [str(cell) for row in workbook[sheet].iter_rows(values_only=True)
                 for cell in row if cell is not None]
        assert cells, f"{sheet} is empty"
        if title:
            assert any(title in cell for cell in cells), f"{title!r} not in {sheet}"
