"""The steering group pack over HTTP, on the demo data: the printable page, the PDF and the
four Excel workbooks, as a steering group member of eHandel i Sogn downloads them before the
meeting on 16.09.2013. Today is 30.08.2013: August's project report and Luster's are
published, the other municipalities have not reported."""

from __future__ import annotations

import io
import re
import sys
import zlib
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from governance import demo
from governance.extensions import db
from governance.projects.models import Milestone, Project
from governance.risks.models import Risk
from governance.roles.models import ProjectRoleKind
from tests.conftest import Browserless

TODAY = "2013-08-30"
BASE = "/prosjekter/EHANDEL-SOGN"
NBSP = "\u00a0"
MALICIOUS = '=HYPERLINK("http://x")'


@pytest.fixture
def demo_data(app, monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY)
    with app.app_context():
        demo.load(db.session)
        db.session.commit()


def signed_in(app, username: str) -> Browserless:
    browser = Browserless(app.test_client())
    assert browser.login(username, demo.DEMO_PASSWORDS[username]).status_code == 303
    return browser


@pytest.fixture
def ingrid(app, demo_data) -> Browserless:
    """Chair of eHandel i Sogn's steering group."""
    return signed_in(app, "ingrid")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True)).replace(NBSP, " ")


def workbook_of(response):
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def rows_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def column(sheet, heading: str) -> int:
    headings = [cell.value for cell in sheet[1]]
    assert heading in headings, headings
    return headings.index(heading) + 1


# ---- the printable page ---------------------------------------------------------------------


def test_the_printable_page_has_the_dashboard_and_the_status_report(ingrid):
    response = ingrid.get(f"{BASE}/styringsgruppepakke")
    assert response.status_code == 200
    page = text_of(response)
    assert "Styringsgruppemøte 16.09.2013" in page
    assert "Laget</dt><dd>30.08.2013" in page
    # The lights carry words, from August's published project report.
    lights = page[page.index("Statuslys"):page.index('id="pack-milestones-heading"')]
    assert "Totalvurdering" in lights and "Gul" in lights and "Grønn" in lights
    # The status report in full, with its comment and what needs deciding.
    assert "Statusrapport for august 2013" in page
    assert "Styringsdokumentet er forseinka; Luster manglar buyer-oppsett." in page
    assert "Godkjenning av styringsdokumentet." in page
    # Who has not reported for August: Sogndal has not, Luster has.
    reporting = page[page.index("Rapportering for august 2013"):]
    reporting = reporting[:reporting.index("</section>")]
    assert "Sogndal kommune" in reporting and "Luster kommune" not in reporting
    # The top risk and the budget.
    assert "Leiinga prioriterer ikkje innføringa" in page
    assert "Felles kostnader per år" in page and " kr" in page
    # Download links, and a print stylesheet that drops the app's frame.
    assert f'href="{BASE}/styringsgruppepakke.pdf"' in page
    for name in ("milepaler", "gevinster", "risiko", "budsjett"):
        assert f'href="{BASE}/eksport/{name}.xlsx"' in page
    assert "css/pack.css" in page


def test_late_and_next_milestones_are_listed_with_their_dates(app, ingrid):
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        milestones = db.session.scalars(select(Milestone).where(
            Milestone.project_id == project.id)).all()
        late = next(m for m in milestones if m.actual_date is None
                    and (m.forecast_date or m.baseline_date) < date(2013, 8, 30))
        title, due = late.title, (late.forecast_date or late.baseline_date)
    page = text_of(ingrid.get(f"{BASE}/styringsgruppepakke"))
    section = page[page.index("Forsinkede milepæler"):page.index("Neste milepæler")]
    assert title in section and due.strftime("%d.%m.%Y") in section and "Forsinket" in section


def test_user_text_is_escaped_on_the_page(app, ingrid):
    with app.app_context():
        risk = db.session.scalar(select(Risk).where(Risk.number == 1).join(Project).where(
            Project.code == "EHANDEL-SOGN"))
        risk.title = "<b>Fet</b> risiko"
        db.session.commit()
    body = ingrid.get(f"{BASE}/styringsgruppepakke").get_data(as_text=True)
    assert "&lt;b&gt;Fet&lt;/b&gt; risiko" in body and "<b>Fet</b>" not in body


def test_a_project_without_reports_risks_or_budget_says_so(app, make_project, make_user,
                                                          give_role, monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY)
    project = make_project(code="TOMT", name="Tomt prosjekt")
    leader = make_user(username="leder")
    give_role(leader, project, ProjectRoleKind.PROJECT_LEADER)
    browser = Browserless(app.test_client())
    assert browser.login("leder").status_code == 303
    page = text_of(browser.get("/prosjekter/TOMT/styringsgruppepakke"))
    assert "Det finnes ingen publisert statusrapport for prosjektet." in page
    assert "Prosjektet har ingen publisert statusrapport ennå" in page
    assert "Ingen åpne trusler i risikoregisteret." in page
    assert "Prosjektet har ikke noe budsjett ennå." in page
    assert "Styringsgruppemøte" not in page
    # The workbooks of an empty project have their headings and nothing else.
    sheet = workbook_of(browser.get("/prosjekter/TOMT/eksport/risiko.xlsx"))["Risikoregister"]
    assert sheet.max_row == 1 and sheet["A1"].value == "Nr."


# ---- the PDF --------------------------------------------------------------------------------


def pdf_outline(data: bytes) -> str:
    """The PDF's bookmarks (WeasyPrint makes one of every heading), from its compressed
    object streams."""
    found = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            found.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(found).decode("latin-1")


def test_the_pdf_pack_is_a_pdf_with_the_project_and_its_sections(ingrid):
    response = ingrid.get(f"{BASE}/styringsgruppepakke.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="EHANDEL-SOGN-styringsgruppepakke-2013-08-30.pdf"')
    outline = pdf_outline(response.data)
    assert "/Title (eHandel i Sogn \\(EHANDEL-SOGN\\))" in outline
    # The sections' headings (those in plain ASCII: the others are stored in UTF-16).
    for heading in ("Statuslys", "Budsjett mot regnskap", "Rapportering for august 2013",
                    "Statusrapport for august 2013"):
        assert f"/Title ({heading})" in outline, heading


def test_the_pdf_fetches_nothing_over_the_network(app, ingrid, monkeypatch):
    import weasyprint

    fetched = []
    real_html = weasyprint.HTML

    def spy(*args, url_fetcher, **kwargs):
        def fetch(url, *rest, **more):
            fetched.append(url)
            return url_fetcher(url, *rest, **more)

        return real_html(*args, url_fetcher=fetch, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    with app.app_context():
        risk = db.session.scalar(select(Risk).where(Risk.number == 2).join(Project).where(
            Project.code == "EHANDEL-SOGN"))
        risk.title = '<img src="http://example.invalid/spor.png"> Sporing'
        db.session.commit()
    response = ingrid.get(f"{BASE}/styringsgruppepakke.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert fetched == []  # the user's "image" is text, and the CSS is inline


def test_without_weasyprint_the_pdf_answers_503_and_points_to_the_printable_page(
        ingrid, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without Pango
    response = ingrid.get(f"{BASE}/styringsgruppepakke.pdf")
    assert response.status_code == 503
    page = text_of(response)
    assert "PDF-en kan ikke lages nå" in page
    assert f'href="{BASE}/styringsgruppepakke"' in page


# ---- the workbooks --------------------------------------------------------------------------


def test_the_milestone_workbook_has_dates_statuses_and_the_date_history(ingrid):
    response = ingrid.get(f"{BASE}/eksport/milepaler.xlsx")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="EHANDEL-SOGN-milepaler-2013-08-30.xlsx"')
    book = workbook_of(response)
    assert book.sheetnames == ["Milepæler", "Datoendringer"]
    sheet = book["Milepæler"]
    assert [c.value for c in sheet[1]][:9] == [
        "Milepæl", "Organisasjon", "Ansvarlig", "Arbeidsgruppe", "Beslutningspunkt",
        "Grunnlinje", "Prognose", "Faktisk dato", "Status"]
    assert sheet.freeze_panes == "A2"
    baseline = sheet.cell(row=2, column=column(sheet, "Grunnlinje"))
    assert isinstance(baseline.value, datetime) and baseline.is_date
    assert baseline.number_format == "DD.MM.YYYY"
    statuses = {row[column(sheet, "Status") - 1] for row in rows_of(sheet)[1:]}
    assert {"Fullført", "Forsinket"} <= statuses
    history = book["Datoendringer"]
    assert history.max_row > sheet.max_row  # the slippage history: several per milestone
    assert history.cell(row=2, column=column(history, "Meldt dato")).is_date


def test_the_budget_workbook_has_amounts_as_numbers_in_kroner(ingrid):
    book = workbook_of(ingrid.get(f"{BASE}/eksport/budsjett.xlsx"))
    assert book.sheetnames == ["Budsjettlinjer", "Regnskap per måned", "Oppgjør"]
    lines = book["Budsjettlinjer"]
    rows = rows_of(lines)
    name, budget = column(lines, "Linje") - 1, column(lines, "Budsjett") - 1
    transfer = next(r for r in rows[1:] if "verføring" in str(r[name]) or r[budget] == 85_000)
    assert transfer[budget] == 85_000 and isinstance(transfer[budget], int | float | Decimal)
    cell = lines.cell(row=rows.index(transfer) + 1, column=budget + 1)
    assert cell.data_type == "n" and "kr" in cell.number_format and "#,##0" in cell.number_format
    month = book["Regnskap per måned"]
    assert month.cell(row=2, column=column(month, "Måned")).is_date
    settlement = book["Oppgjør"]
    assert {r[1] for r in rows_of(settlement)[1:]} >= {"Sogndal kommune", "Luster kommune"}


def test_the_risk_workbook_has_scores_owners_and_measures(ingrid):
    book = workbook_of(ingrid.get(f"{BASE}/eksport/risiko.xlsx"))
    assert book.sheetnames == ["Risikoregister", "Tiltak"]
    register = book["Risikoregister"]
    rows = rows_of(register)
    assert rows[0][:7] == ["Nr.", "Type", "Risiko", "Kategori", "Sannsynlighet (1–5)",
                           "Konsekvens (1–5)", "Poengsum"]
    first = next(r for r in rows[1:] if r[2] == "Leiinga prioriterer ikkje innføringa")
    assert first[6] == first[4] * first[5]
    assert first[column(register, "Risikoeier") - 1] == "Katrine Wilson"
    measures = book["Tiltak"]
    assert measures.max_row >= 2
    assert measures.cell(row=2, column=column(measures, "Frist")).number_format == "DD.MM.YYYY"


def test_the_benefits_workbook_has_goals_indicators_and_measurements(app, demo_data):
    admin = signed_in(app, "admin")
    book = workbook_of(admin.get("/prosjekter/KODEKNEKK/eksport/gevinster.xlsx"))
    assert book.sheetnames == ["Mål", "Gevinster", "Indikatorer", "Målverdier", "Målinger"]
    measurements = book["Målinger"]
    rows = rows_of(measurements)
    organisation, value = column(measurements, "Organisasjon") - 1, column(
        measurements, "Verdi") - 1
    assert {"Time kommune", "Klepp kommune", "Gjesdal kommune"} <= {r[organisation]
                                                                   for r in rows[1:]}
    assert all(isinstance(r[value], int | float) for r in rows[1:])
    achieved = [measurements.cell(row=n + 1, column=column(measurements, "Måloppnåelse"))
                for n, r in enumerate(rows) if n and r[column(measurements, "Måloppnåelse") - 1]
                is not None]
    assert achieved and all("%" in c.number_format for c in achieved)
    indicators = book["Indikatorer"]
    assert "Hele prosjektet" in {r[column(indicators, "Organisasjon") - 1]
                                 for r in rows_of(indicators)[1:]}


def test_user_text_that_looks_like_a_formula_is_written_as_text(app, ingrid):
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        milestone = db.session.scalars(select(Milestone).where(
            Milestone.project_id == project.id).order_by(Milestone.id)).first()
        milestone.title = MALICIOUS
        milestone.comment = "@SUM(1+1)"
        risk = db.session.scalar(select(Risk).where(Risk.project_id == project.id,
                                                    Risk.number == 1))
        risk.title = "+47 cmd|' /C calc'!A0"
        db.session.commit()
    sheet = workbook_of(ingrid.get(f"{BASE}/eksport/milepaler.xlsx"))["Milepæler"]
    titles = [c for (c,) in sheet.iter_rows(min_row=2, max_col=1)]
    cell = next(c for c in titles if "HYPERLINK" in str(c.value))
    assert cell.value == "'" + MALICIOUS and cell.data_type == "s"
    comments = [c.value for (c,) in sheet.iter_rows(
        min_row=2, min_col=column(sheet, "Kommentar"), max_col=column(sheet, "Kommentar"))]
    assert "'@SUM(1+1)" in comments
    register = workbook_of(ingrid.get(f"{BASE}/eksport/risiko.xlsx"))["Risikoregister"]
    assert "'+47 cmd|' /C calc'!A0" in [r[2] for r in rows_of(register)]


# ---- who may ---------------------------------------------------------------------------------


def test_unknown_workbook_and_unknown_project_answer_404(ingrid):
    assert ingrid.get(f"{BASE}/eksport/kontakter.xlsx").status_code == 404
    assert ingrid.get(f"{BASE}/eksport/milepaler.csv").status_code == 404
    assert ingrid.get("/prosjekter/FINNES-IKKE/styringsgruppepakke").status_code == 404
    assert ingrid.get("/prosjekter/FINNES-IKKE/eksport/risiko.xlsx").status_code == 404


def test_a_project_the_user_has_no_role_in_answers_404(app, demo_data):
    ingrid = signed_in(app, "ingrid")
    for path in ("/styringsgruppepakke", "/styringsgruppepakke.pdf", "/eksport/risiko.xlsx"):
        response = ingrid.get("/prosjekter/KODEKNEKK" + path)
        assert response.status_code == 404, path


def test_signed_out_visitors_are_sent_to_sign_in(app, demo_data):
    anonymous = Browserless(app.test_client())
    for path in ("/styringsgruppepakke", "/styringsgruppepakke.pdf", "/eksport/budsjett.xlsx"):
        response = anonymous.get(BASE + path)
        assert response.status_code in (302, 303) and "/logg-inn" in response.location, path
