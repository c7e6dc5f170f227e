"""The project dashboard over HTTP, on the demo data as of 28.08.2013: the whole page with
every panel filled in, each panel as an htmx fragment (and as a page of its own without
htmx), what the steering group reads in each (lights and their movement, late milestones,
achievement per municipality, the highest risk, budget figures, who has not reported, the
next meeting and open matters), the empty states of a new project, and who may see it."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from governance import demo as demo_data
from governance.dashboards.queries import PANELS
from governance.extensions import db
from governance.projects import decisions
from governance.projects.models import DecisionBody, DecisionOutcome, Project
from governance.reporting.models import Light, ReportStatus, StatusReport
from governance.risks import service as risk_service
from governance.risks.models import RiskCategory, RiskKind, RiskStatus
from governance.roles.models import GroupKind
from tests.pages import text

TODAY = date(2013, 8, 28)
EHANDEL = "/prosjekter/EHANDEL-SOGN/dashbord"
NBSP = "\u00a0"

# The event each panel listens for (what its domain sends as HX-Trigger after a change).
EVENTS = {
    "status": "reports-changed from:body",
    "milepaler": "milestones-changed from:body",
    "gevinster": "measurements-changed from:body",
    "risiko": "risks-changed from:body",
    "okonomi": "budget-changed from:body",
    "rapportering": "reports-changed from:body, roles-changed from:body",
    "moter": "meetings-changed from:body, decisions-changed from:body",
}


@pytest.fixture
def demo(app, monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())
    with app.app_context():
        demo_data.load(db.session)
        db.session.commit()


def sign_in(make_client, username: str, password: str | None = None):
    browser = make_client()
    response = browser.login(username, password or demo_data.DEMO_PASSWORDS[username])
    assert response.status_code == 303
    return browser


@pytest.fixture
def ingrid(demo, make_client):
    """Chair of eHandel Sogn's steering group."""
    return sign_in(make_client, "ingrid")


def words(page: str) -> str:
    """The page's text as a reader sees it: no tags, no chart data, single spaces."""
    page = re.sub(r'data-chart="[^"]*"', "", page)
    plain = html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).replace(NBSP, " ")
    return re.sub(r"\s+", " ", plain)


def panel_html(page: str, name: str) -> str:
    """The panel's root element (its <section> up to the next panel or the end)."""
    start = page.index(f'<section id="panel-{name}"')
    following = [page.index(f'<section id="panel-{other}"') for other in PANELS
                 if f'<section id="panel-{other}"' in page
                 and page.index(f'<section id="panel-{other}"') > start]
    return page[start:min(following)] if following else page[start:]


def panel_words(page: str, name: str) -> str:
    return words(panel_html(page, name))


# ---- the whole page ---------------------------------------------------------------------


def test_the_page_shows_every_panel_filled_from_the_project(ingrid):
    response = ingrid.get(EHANDEL)
    assert response.status_code == 200
    page = text(response)
    assert "<h1" in page and "Dashbord: eHandel i Sogn" in words(page)
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]
    # Every panel is on the page at first paint, each a fragment that fetches itself again
    # on its domain's event and links to the page behind it.
    for name in PANELS:
        root = re.search(rf'<section id="panel-{name}"[^>]*>', page)
        assert root, f"panel {name} missing"
        tag = root.group(0)
        assert f'hx-get="{EHANDEL}/{name}"' in tag
        assert f'hx-trigger="{EVENTS[name]}, every 120s"' in tag
        assert 'hx-swap="outerHTML"' in tag
    # The menu has the dashboard right after the overview, marked as the current page.
    nav = page[page.index('class="project-nav"'):]
    assert nav.index(">Oversikt<") < nav.index(">Dashbord<") < nav.index(">Organisering<")
    assert re.search(r'href="/prosjekter/EHANDEL-SOGN/dashbord" aria-current="page"', nav)
    # Charts carry their data for the browser and a caption.
    for chart in ("dashboard-light-history", "dashboard-timeline-chart",
                  "dashboard-trend-chart", "dashboard-heat-map", "dashboard-budget-chart"):
        assert re.search(rf'<figure class="chart" id="{chart}"', page), chart
    assert page.count("Vis tallene som tabell") == 5


def test_status_lights_show_the_latest_report_and_how_each_light_moved(app, ingrid):
    lights = panel_words(text(ingrid.get(EHANDEL)), "status")
    assert "Fra prosjektets siste publiserte statusrapport, august 2013." in lights
    assert "Totalvurdering ▲ Gul" in lights and "Økonomi ● Grønn" in lights
    assert "Risiko ▲ Gul" in lights
    # A July report with other lights: each of August's lights is compared with it.
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        db.session.add(StatusReport(
            project_id=project.id, period="2013-07", organisation_id=None, version=1,
            status=ReportStatus.PUBLISHED, overall=Light.RED, schedule=Light.YELLOW,
            cost=Light.YELLOW, quality=Light.GREEN, risk=Light.GREEN, benefits=Light.GREEN,
            published_at=datetime(2013, 8, 2, 9, 0)))
        db.session.commit()
    lights = panel_words(text(ingrid.get(f"{EHANDEL}/status",
                                         headers={"HX-Request": "true"})), "status")
    assert "Siden juli 2013" in lights
    assert "Totalvurdering ▲ Gul ▲ Bedre (var rød)" in lights
    assert "Fremdrift ▲ Gul = Uendret" in lights
    assert "Økonomi ● Grønn ▲ Bedre (var gul)" in lights
    assert "Risiko ▲ Gul ▼ Verre (var grønn)" in lights
    assert "juli 2013 ✕ Rød" in lights  # the history's table, oldest first
    assert lights.index("juli 2013 ✕ Rød") < lights.index("august 2013 ▲ Gul ▲ Gul")


def test_milestones_panel_lists_late_and_next_milestones(ingrid):
    milestones = panel_words(text(ingrid.get(EHANDEL)), "milepaler")
    assert "✕ Forsinket 5" in milestones and "✓ Fullført 7" in milestones
    late = milestones[milestones.index("Forsinket Buyer"):milestones.index("Neste milepæler")]
    assert "Buyer-oppsett ferdig (Luster kommune) Frist 13.09.2013 · 29 dager etter " \
           "grunnlinjen" in late
    assert "Styringsdokument klart til godkjenning Frist 18.10.2013" in late
    assert "Buyer-oppsett ferdig (Sogndal kommune)" not in late  # done on 09.08.2013
    # The timeline's and the trend chart's tables.
    assert "Buyer-oppsett ferdig (Sogndal kommune) Milepæl: Fullført 09.08.2013" in milestones
    assert "I dag 28.08.2013" in milestones
    assert "Milepæltrendanalyse (MTA)" in milestones


def test_benefits_panel_shows_achievement_per_indicator_and_municipality(demo, make_client):
    admin = sign_in(make_client, "admin")
    benefits = panel_words(text(admin.get("/prosjekter/KODEKNEKK/dashbord")), "gevinster")
    assert "Indikator Hele prosjektet Gjesdal kommune Klepp kommune Time kommune" in benefits
    # Kodeknekk's e-commerce share, June 2012, against its first target.
    assert "Kjøp via e-handel (del av innkjøpa) Siste hele periode: juni 2012 48 % 63 % " \
           "58 % 25 %" in benefits
    # eHandel Sogn has an indicator but no measurements yet: no achievement, no error.
    ehandel = panel_words(text(admin.get(EHANDEL)), "gevinster")
    assert "Årleg ordrevolum via e-handel (del av berekningsgrunnlaget) ingen ingen" in ehandel


def test_risk_panel_shows_the_highest_risks_and_the_heat_map(ingrid):
    page = text(ingrid.get(EHANDEL))
    risks = panel_words(page, "risiko")
    assert "7 åpne risikoer · 1 løftet til styringsgruppen." in risks
    top = risks[risks.index("Høyeste risikoer"):risks.index("Risikokart")]
    assert top.index("6. For lite ressursar i kommunane til lokalt arbeid Poengsum 20 (5 × 4)") \
        < top.index("1. Leiinga prioriterer ikkje innføringa Poengsum 15 (3 × 5)")
    # The heat map's table: two open risks with probability 3 and consequence 4, linking to
    # that cell of the register.
    assert re.search(r'href="/prosjekter/EHANDEL-SOGN/risiko/\?s=3&amp;k=4">2<', panel_html(
        page, "risiko"))


def test_a_new_risk_shows_at_once_in_the_heat_map(app, ingrid):
    """The chart is kept between requests, but never past a change of its data."""
    before = panel_html(text(ingrid.get(f"{EHANDEL}/risiko", headers={"HX-Request": "true"})),
                        "risiko")
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        risk_service.save_risk(db.session, None, project, risk_service.RiskInput(
            kind=RiskKind.THREAT, title="Leverandøren går konkurs", description="", cause="",
            consequence_text="", category=RiskCategory.OTHER, phase=None, probability=1,
            consequence=1, residual_probability=None, residual_consequence=None,
            owner_person_id=None, strategy=None, proximity=None,
            status=RiskStatus.IDENTIFIED, escalated=False, note=""), today=TODAY)
        db.session.commit()
    after = panel_html(text(ingrid.get(f"{EHANDEL}/risiko", headers={"HX-Request": "true"})),
                       "risiko")
    assert "8 åpne risikoer" in words(after)
    assert re.search(r'risiko/\?s=1&amp;k=1">1<', after)
    chart = re.compile(r'data-chart="([^"]*)"')
    assert chart.search(before).group(1) != chart.search(after).group(1)


def test_budget_panel_shows_this_years_shared_budget_against_actual(ingrid):
    budget = panel_words(text(ingrid.get(EHANDEL)), "okonomi")
    assert "Felles kostnader 2013 Budsjett 400 000 kr Regnskap hittil 236 500 kr " \
           "Prognose 402 450 kr Avvik 2 450 kr (0,6 %)" in budget
    assert "Innenfor toleransen (± 10 %)" in budget
    assert "2014 660 000 kr 0 kr 660 000 kr 0 kr" in budget  # the chart's table


def test_reporting_panel_names_who_has_not_reported(ingrid):
    reporting = panel_words(text(ingrid.get(EHANDEL)), "rapportering")
    assert "Periode august 2013 Prosjektets rapport publisert" in reporting
    assert "Har ikke rapportert for august 2013 (5 av 6) Leikanger kommune Lærdal kommune " \
           "Sogn og Fjordane fylkeskommune Sogndal kommune Årdal kommune" in reporting
    assert "Luster kommune" not in reporting  # published its August report


def test_meetings_panel_shows_the_next_meeting_and_open_matters(app, ingrid):
    meetings = panel_words(text(ingrid.get(EHANDEL)), "moter")
    assert "Neste møte Styringsgruppen 16.09.2013 kl. 12:00" in meetings
    assert "sak 5/13: Status for leverandøraktivering" in meetings
    # What the project report says needs a decision by the steering group.
    assert "Godkjenning av styringsdokumentet. Trenger beslutning, fra statusrapporten for " \
           "august 2013" in meetings
    # A postponed decision is open until it is decided again.
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        decisions.record_decision(db.session, None, project, decisions.DecisionInput(
            decision_point=None, title="Felles innkjøpsreglement", decided_on=date(2013, 8, 20),
            body=DecisionBody.STEERING_GROUP, case_number="sak 4/13",
            outcome=DecisionOutcome.POSTPONED, conditions="", text=""), today=TODAY)
        db.session.commit()
    meetings = panel_words(text(ingrid.get(f"{EHANDEL}/moter",
                                           headers={"HX-Request": "true"})), "moter")
    assert "Felles innkjøpsreglement (sak 4/13) Utsatt 20.08.2013" in meetings


# ---- each panel: fragment, page, unknown names ----------------------------------------------


@pytest.mark.parametrize("name", PANELS)
def test_each_panel_is_a_fragment_for_htmx_and_a_page_without(ingrid, name):
    fragment = ingrid.get(f"{EHANDEL}/{name}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    body = text(fragment).strip()
    assert body.startswith(f'<section id="panel-{name}"') and body.endswith("</section>")
    assert "<html" not in body and "<h1" not in body
    assert "HX-Request" in fragment.headers["Vary"]
    page = ingrid.get(f"{EHANDEL}/{name}")
    assert page.status_code == 200
    full = text(page)
    assert full.lstrip().lower().startswith("<!doctype html>")
    assert "Dashbord: eHandel i Sogn" in words(full)
    assert f'<section id="panel-{name}"' in full
    others = [n for n in PANELS if n != name and f'<section id="panel-{n}"' in full]
    assert others == []  # only this panel


def test_a_panel_asking_again_gets_nothing_new_until_its_data_changes(app, ingrid):
    """The two-minute poll: an unchanged panel answers 204 (htmx swaps nothing, so an open data
    table stays open); after a change the new panel comes back with a new fingerprint."""
    page = text(ingrid.get(EHANDEL))
    shown = re.search(r'data-digest="([0-9a-f]+)"', panel_html(page, "risiko")).group(1)
    assert f'hx-vals=\'{{"vist": "{shown}"}}\'' in panel_html(page, "risiko")
    again = ingrid.get(f"{EHANDEL}/risiko?vist={shown}", headers={"HX-Request": "true"})
    assert again.status_code == 204 and again.get_data() == b""
    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        risk_service.save_risk(db.session, None, project, risk_service.RiskInput(
            kind=RiskKind.THREAT, title="Nøkkelperson slutter", description="", cause="",
            consequence_text="", category=RiskCategory.OTHER, phase=None, probability=5,
            consequence=5, residual_probability=None, residual_consequence=None,
            owner_person_id=None, strategy=None, proximity=None,
            status=RiskStatus.IDENTIFIED, escalated=False, note=""), today=TODAY)
        db.session.commit()
    changed = ingrid.get(f"{EHANDEL}/risiko?vist={shown}", headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert "Nøkkelperson slutter" in words(text(changed))
    assert f'data-digest="{shown}"' not in text(changed)
    # Without htmx the address is an ordinary page, whatever the fingerprint says.
    assert ingrid.get(f"{EHANDEL}/risiko?vist={shown}").status_code == 200


@pytest.mark.parametrize("path", [f"{EHANDEL}/finnes-ikke", f"{EHANDEL}/STATUS",
                                  "/prosjekter/FINNES-IKKE/dashbord",
                                  "/prosjekter/FINNES-IKKE/dashbord/status"])
def test_unknown_panel_or_project_is_not_found(ingrid, path):
    response = ingrid.get(path)
    assert response.status_code == 404
    assert "Finner ikke siden" in text(response)


# ---- empty states -----------------------------------------------------------------------


def test_a_new_project_shows_a_sentence_in_every_panel(app, make_client, make_project,
                                                      make_user, add_to_group, monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())
    project = make_project(code="NYTT", name="Nytt prosjekt")
    member = make_user(username="styremedlem")
    add_to_group(member, project, GroupKind.STEERING_GROUP)
    browser = make_client()
    assert browser.login("styremedlem").status_code == 303
    page = text(browser.get("/prosjekter/NYTT/dashbord"))
    expected = {
        "status": "Ingen publiserte statusrapporter ennå.",
        "milepaler": "Ingen milepæler ennå.",
        "gevinster": "Ingen indikatorer ennå",
        "risiko": "Ingen åpne risikoer i registeret.",
        "okonomi": "Ingen budsjett er lagt inn ennå.",
        "rapportering": "Prosjektets rapport ikke påbegynt",
        "moter": "Ingen kommende møter er satt opp.",
    }
    for name, sentence in expected.items():
        assert sentence in panel_words(page, name), name
    assert "Ingen utsatte vedtak eller saker meldt til styringsgruppen." in panel_words(
        page, "moter")
    assert 'id="dashboard-heat-map"' not in page and 'id="dashboard-budget-chart"' not in page


# ---- who may see it ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["ingrid", "per", "kari", "katrine"])
def test_everyone_in_the_project_sees_the_dashboard(demo, make_client, username):
    browser = sign_in(make_client, username)
    assert browser.get(EHANDEL).status_code == 200
    assert browser.get(f"{EHANDEL}/risiko", headers={"HX-Request": "true"}).status_code == 200


def test_someone_outside_the_project_gets_not_found(demo, make_client, make_user):
    """As the project page: a project the user has no role in is not there (404)."""
    make_user(username="utenfor")
    browser = make_client()
    assert browser.login("utenfor").status_code == 303
    for path in (EHANDEL, f"{EHANDEL}/status", f"{EHANDEL}/okonomi"):
        response = browser.get(path, headers={"HX-Request": "true"})
        assert response.status_code == 404, path
        assert "400 000" not in text(response)


def test_signed_out_visitor_is_sent_to_sign_in(demo, client):
    response = client.get(EHANDEL)
    assert response.status_code in (302, 303)
    assert "/logg-inn" in response.headers["Location"]


def test_project_page_links_to_the_dashboard(ingrid):
    page = text(ingrid.get("/prosjekter/EHANDEL-SOGN"))
    assert re.search(r'<a class="ds-button" data-variant="primary" '
                     r'href="/prosjekter/EHANDEL-SOGN/dashbord">Åpne dashbordet</a>', page)

