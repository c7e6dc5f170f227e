"""The portfolio over HTTP: every visible project with its phase, latest lights, next
milestone, benefit achievement and highest risk; filters and sort as a plain page and as an
htmx fragment; pagination; bad parameters refused with a message; the comparison of
municipalities on one indicator across projects; the municipality view."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from governance.benefits import service as benefits
from governance.benefits.models import Direction, Frequency, Unit
from governance.extensions import db
from governance.projects import plan
from governance.projects.models import Phase, Project, ProjectStatus
from governance.reporting.models import Light, ReportStatus, StatusReport
from governance.risks import service as risks
from governance.risks.models import RiskCategory, RiskKind, RiskStatus
from governance.roles.models import ProjectRoleKind
from tests.pages import text

TODAY = date(2013, 6, 3)
NBSP = "\u00a0"


@dataclass
class World:
    time: int
    klepp: int
    gjesdal: int
    luster: int
    indicator: int  # Kodeknekk's e-commerce share
    other_indicator: int  # the same indicator in Klepp's own project
    sogn_indicator: int


def _indicator(project, name="E-handelsdel", unit=Unit.PERCENT):
    return benefits.save_indicator(db.session, None, project, benefits.IndicatorInput(
        name=name, benefit_id=None, unit=unit, unit_label="", direction=Direction.HIGHER,
        frequency=Frequency.YEARLY, method="", data_source="", measured_by_person_id=None,
        is_ratio=False, ratio_factor=None))


def _report(project, period, light):
    db.session.add(StatusReport(project_id=project.id, period=period, organisation_id=None,
                                version=1, status=ReportStatus.PUBLISHED, overall=light,
                                published_at=TODAY))


@pytest.fixture
def world(app, monkeypatch, make_org, make_project, make_user, give_role) -> World:
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())
    time_, klepp, gjesdal, luster = (make_org(name=f"{n} kommune")
                                     for n in ("Time", "Klepp", "Gjesdal", "Luster"))
    kode = make_project(code="KODEKNEKK", name="Kodeknekk", owners=[time_, klepp, gjesdal],
                        phase=Phase.EXECUTION)
    sogn = make_project(code="SOGN", name="eHandel i Sogn", owners=[luster],
                        phase=Phase.PLANNING, status=ProjectStatus.PAUSED)
    own = make_project(code="KLEPP-EIGE", name="Klepp sitt eige", owners=[klepp],
                       phase=Phase.REALISATION, status=ProjectStatus.CLOSED)
    lead = make_user(username="lead")
    give_role(lead, kode, ProjectRoleKind.MUNICIPAL_LEAD, organisation=klepp)
    with app.app_context():
        stored = {p.code: db.session.get(Project, p.id) for p in (kode, sogn, own)}
        share = _indicator(stored["KODEKNEKK"])
        seed = {time_: ("0.8", "3", "8"), klepp: ("3.8", "8.4", "18.9"),
                gjesdal: ("3.3", "6.3", "20.2")}
        for org, (baseline, half, june) in seed.items():
            benefits.set_baseline(db.session, None, stored["KODEKNEKK"], share,
                                  organisation_id=org.id, value=Decimal(baseline),
                                  measured_on=date(2011, 12, 31), today=TODAY)
            for period, value in (("2012-H1", half), ("2012-06", june)):
                benefits.record_measurement(db.session, None, stored["KODEKNEKK"],
                                            benefits.MeasurementInput(share, org.id, period,
                                                                      Decimal(value), ""),
                                            today=TODAY)
        benefits.add_target(db.session, None, stored["KODEKNEKK"], share,
                            target_date=date(2013, 12, 31), value=Decimal(30))
        other = _indicator(stored["KLEPP-EIGE"], name="e-handelsdel ")
        benefits.record_measurement(db.session, None, stored["KLEPP-EIGE"],
                                    benefits.MeasurementInput(other, klepp.id, "2012",
                                                              Decimal("44.5"), ""),
                                    today=TODAY)
        sogn_indicator = _indicator(stored["SOGN"], name="Fakturafeil", unit=Unit.COUNT)
        _report(stored["KODEKNEKK"], "2013-04", Light.GREEN)
        _report(stored["KODEKNEKK"], "2013-05", Light.RED)
        _report(stored["SOGN"], "2013-05", Light.GREEN)
        risks.save_risk(db.session, None, stored["SOGN"], risks.RiskInput(
            kind=RiskKind.THREAT, title="Leverandørene henger etter", description="", cause="",
            consequence_text="", category=RiskCategory.OTHER, phase=None, probability=3,
            consequence=4, residual_probability=None, residual_consequence=None,
            owner_person_id=None, strategy=None, proximity=None,
            status=RiskStatus.IDENTIFIED, escalated=False), today=TODAY)
        for title, baseline, org in (("Buyer-oppsett ferdig", date(2013, 9, 1), klepp),
                                     ("Avtale signert", date(2013, 10, 1), None)):
            plan.create_milestone(db.session, None, stored["KODEKNEKK"], plan.MilestoneInput(
                title=title, description="", responsible_person_id=None,
                organisation_id=org.id if org else None, group_id=None,
                decision_point=None, baseline_date=baseline, forecast_date=None,
                actual_date=None, comment=""), today=TODAY)
        db.session.commit()
        return World(time_.id, klepp.id, gjesdal.id, luster.id, share.id, other.id,
                     sogn_indicator.id)


def plain(response) -> str:
    """The page's text without tags, with entities resolved and spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", text(response))
    return re.sub(r"\s+", " ", html_lib.unescape(body)).replace(NBSP, " ")


def project_order(response) -> list[str]:
    return re.findall(r'<td><a class="ds-link" href="/prosjekter/([^"]+)">', text(response))


def lead_client(make_client):
    browser = make_client()
    assert browser.login("lead").status_code == 303
    return browser


# ---- the overview ------------------------------------------------------------------------


def test_overview_shows_each_projects_lights_milestone_achievement_and_risk(world,
                                                                          admin_client):
    response = admin_client.get("/portefolje/")
    assert response.status_code == 200
    page = plain(response)
    assert "3 prosjekter" in page
    assert project_order(response) == ["SOGN", "KLEPP-EIGE", "KODEKNEKK"]  # by name
    row = row_of(response, "KODEKNEKK")
    # The newest published report's light (May, not April), the next open milestone with
    # its organisation and date, the average achievement: (8-0.8)/(30-0.8) = 25 %,
    # (18.9-3.8)/(30-3.8) = 58 %, (20.2-3.3)/(30-3.3) = 63 %: 48.7 % on average.
    assert "Gjennomføre" in row and "✕ Rød mai 2013" in row
    assert "Buyer-oppsett ferdig (Klepp kommune) 01.09.2013 ● I rute" in row
    assert "49 % 1 indikator" in row
    assert "ingen åpne risikoer" in row
    sogn = row_of(response, "SOGN")
    assert "Satt på pause" in sogn and "● Grønn mai 2013" in sogn
    assert "✕ Poengsum 12 Leverandørene henger etter" in sogn
    assert "ingen åpne milepæler" in sogn and "ingen måling" in sogn


def row_of(response, code: str) -> str:
    rows = re.findall(r"<tr>.*?</tr>", text(response), re.S)
    return plain_text(next(r for r in rows if f'href="/prosjekter/{code}"' in r))


def plain_text(fragment: str) -> str:
    body = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html_lib.unescape(body)).replace(NBSP, " ").strip()


def test_filters_by_phase_status_and_organisation(world, admin_client):
    assert project_order(admin_client.get("/portefolje/?fase=execution")) == ["KODEKNEKK"]
    assert project_order(admin_client.get("/portefolje/?status=closed")) == ["KLEPP-EIGE"]
    by_klepp = admin_client.get(f"/portefolje/?organisasjon={world.klepp}")
    assert project_order(by_klepp) == ["KLEPP-EIGE", "KODEKNEKK"]
    assert "2 prosjekter passer med filteret" in plain(by_klepp)
    # The chosen filter stays selected in the form, so the address can be bookmarked.
    assert f'<option value="{world.klepp}" selected>' in text(by_klepp)
    none = admin_client.get(f"/portefolje/?organisasjon={world.luster}&fase=execution")
    assert "0 prosjekter passer med filteret" in plain(none)
    assert "Ingen prosjekter passer med filteret" in plain(none)
    # Empty values mean "all".
    assert len(project_order(admin_client.get("/portefolje/?fase=&status=&organisasjon="))) == 3


def test_htmx_gets_only_the_results_fragment(world, admin_client):
    response = admin_client.htmx("GET", "/portefolje/", {"status": "active"})
    assert response.status_code == 200
    body = text(response).strip()
    assert body.startswith('<section id="results"') and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert project_order(response) == ["KODEKNEKK"]
    # A boosted request or a history restore gets the whole page.
    restored = admin_client.htmx("GET", "/portefolje/", {"status": "active"},
                                 **{"HX-History-Restore-Request": "true"})
    assert "<html" in text(restored)


def test_sort_by_column_both_ways_with_aria_sort_and_missing_values_last(world, admin_client):
    by_light = admin_client.get("/portefolje/?sorter=lys")
    assert project_order(by_light) == ["SOGN", "KODEKNEKK", "KLEPP-EIGE"]  # green, red, none
    assert project_order(admin_client.get("/portefolje/?sorter=-lys")) == [
        "KODEKNEKK", "SOGN", "KLEPP-EIGE"]
    page = text(by_light)
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a[^>]*sorter=-lys', page)
    assert page.count("aria-sort=") == 1
    # The sort survives a new filter: the form carries it.
    assert re.search(r'name="sorter" form="portfolio-filters" value="lys"', page)
    assert project_order(admin_client.get("/portefolje/?sorter=-navn")) == [
        "KODEKNEKK", "KLEPP-EIGE", "SOGN"]
    assert project_order(admin_client.get("/portefolje/?sorter=fase")) == [
        "SOGN", "KODEKNEKK", "KLEPP-EIGE"]  # Planlegge, Gjennomføre, Realisere
    assert project_order(admin_client.get("/portefolje/?sorter=-risiko")) == [
        "SOGN", "KLEPP-EIGE", "KODEKNEKK"]  # the one with a risk, then by name
    assert project_order(admin_client.get("/portefolje/?sorter=-gevinst")) == [
        "KODEKNEKK", "SOGN", "KLEPP-EIGE"]


def test_pages_of_the_portfolio(world, admin_client, monkeypatch):
    from governance.dashboards import portfolio

    monkeypatch.setattr(portfolio, "PAGE_SIZE", 2)
    first = admin_client.get("/portefolje/?sorter=-navn")
    assert project_order(first) == ["KODEKNEKK", "KLEPP-EIGE"]
    assert "3 prosjekter, viser 1–2" in plain(first)
    nav = re.search(r'<nav class="pagination".*?</nav>', text(first), re.S).group(0)
    assert 'aria-current="page"' in nav and "Neste side" in nav
    second = admin_client.get("/portefolje/?sorter=-navn&side=2")
    assert project_order(second) == ["SOGN"]
    assert "viser 3–3" in plain(second) and "Forrige side" in plain(second)
    beyond = admin_client.get("/portefolje/?side=3")
    assert beyond.status_code == 400
    assert "Side 3 finnes ikke: filteret gir 2 side(r)." in plain(beyond)


@pytest.mark.parametrize("query, message", [
    ("fase=ferdig", "Fasen «ferdig» finnes ikke."),
    ("status=gul", "Statusen «gul» finnes ikke."),
    ("organisasjon=abc", "Finner ikke organisasjonen «abc»"),
    ("organisasjon=99999999999999", "Finner ikke organisasjonen «99999999999999»"),
    ("sorter=pris", "Kan ikke sortere etter «pris»."),
    ("sorter=--navn", "Kan ikke sortere etter «--navn»."),
    ("side=0", "Sidetallet «0» er ugyldig."),
    ("side=-1", "Sidetallet «-1» er ugyldig."),
])
def test_bad_parameters_are_refused_with_a_message(world, admin_client, query, message):
    response = admin_client.get(f"/portefolje/?{query}")
    assert response.status_code == 400
    page = plain(response)
    assert "Filteret kan ikke brukes:" in page and message in page
    assert project_order(response) == []  # no list that seems to answer the bad filter


def test_a_municipal_lead_sees_only_their_projects(world, make_client):
    browser = lead_client(make_client)
    response = browser.get("/portefolje/")
    assert project_order(response) == ["KODEKNEKK"]
    assert "1 prosjekt" in plain(response)
    # The organisation filter offers only those in the lead's projects; Luster is refused.
    assert "Luster kommune" not in plain(response)
    refused = browser.get(f"/portefolje/?organisasjon={world.luster}")
    assert refused.status_code == 400
    assert "Luster" not in plain(refused)


def test_the_main_menu_links_the_portfolio(world, admin_client):
    page = text(admin_client.get("/portefolje/"))
    assert re.search(r'<a href="/portefolje/" aria-current="page">Portefølje</a>', page)
    organisations = text(admin_client.get("/admin/organisasjoner/"))
    assert f'href="/portefolje/organisasjoner/{world.klepp}"' in organisations


# ---- the comparison of municipalities ----------------------------------------------------


def test_comparison_shows_time_klepp_and_gjesdal_side_by_side(world, admin_client):
    response = admin_client.get(f"/portefolje/sammenligning?indikator={world.indicator}")
    assert response.status_code == 200
    table = plain_text(re.search(r'<table[^>]*id="comparison-table".*?</table>', text(response),
                                 re.S).group(0))
    # The latest of each (June 2012, not the first half) with the achievement toward 30 %.
    assert "Gjesdal kommune Kodeknekk juni 2012 20,2 % 3,3 % 30 % 31.12.2013 63 %" in table
    assert "Klepp kommune Kodeknekk juni 2012 18,9 % 3,8 % 30 % 31.12.2013 58 %" in table
    assert "Time kommune Kodeknekk juni 2012 8 % 0,8 % 30 % 31.12.2013 25 %" in table
    # The same indicator (name and unit) in Klepp's own project is set beside them.
    assert "Klepp kommune Klepp sitt eige 2012 44,5 % ikke satt ikke satt –" in table
    # A chart with a caption and its data table.
    page = text(response)
    assert 'data-chart="' in page and "Siste måling per kommune: E-handelsdel" in page
    assert "Time kommune (KODEKNEKK)" in html_lib.unescape(page)


def test_comparison_without_a_choice_and_with_a_bad_one(world, admin_client, make_client):
    start = admin_client.get("/portefolje/sammenligning")
    assert start.status_code == 200
    assert "Velg en indikator" in plain(start) and 'data-chart="' not in text(start)
    for bad in ("abc", "999999", "-1"):
        response = admin_client.get(f"/portefolje/sammenligning?indikator={bad}")
        assert response.status_code == 400
        assert f"Finner ikke indikatoren «{bad}» i prosjektene du ser." in plain(response)
    # An indicator of a project the lead cannot see is refused the same way.
    lead = lead_client(make_client)
    hidden = lead.get(f"/portefolje/sammenligning?indikator={world.sogn_indicator}")
    assert hidden.status_code == 400 and "Fakturafeil" not in plain(hidden)
    # The lead compares within Kodeknekk only: Klepp's own project stays out.
    seen = plain(lead.get(f"/portefolje/sammenligning?indikator={world.indicator}"))
    assert "Time kommune" in seen and "Klepp sitt eige" not in seen


# ---- one municipality --------------------------------------------------------------------


def test_municipality_view_lists_projects_reports_measurements_milestones_and_tasks(
        world, admin_client, app):
    with app.app_context():
        db.session.add(StatusReport(project_id=_id("KODEKNEKK"), period="2013-05",
                                    organisation_id=world.klepp, version=1,
                                    status=ReportStatus.PUBLISHED, overall=Light.YELLOW,
                                    published_at=TODAY))
        db.session.commit()
    response = admin_client.get(f"/portefolje/organisasjoner/{world.klepp}")
    assert response.status_code == 200
    page = plain(response)
    assert "Klepp kommune" in page
    projects = section(response, "projects-heading")
    assert "Kodeknekk Eier og deltaker Gjennomføre Aktiv ▲ Gul mai 2013" in projects
    assert "Klepp sitt eige Eier og deltaker Realisere Avsluttet ingen rapport" in projects
    assert "eHandel i Sogn" not in projects
    assert "mai 2013 Kodeknekk ▲ Gul publisert" in section(response, "reports-heading")
    readings = section(response, "measurements-heading")
    assert "E-handelsdel Kodeknekk juni 2012 18,9 % 58 %" in readings
    assert "Klepp sitt eige 2012 44,5 %" in readings
    assert "Buyer-oppsett ferdig Kodeknekk 01.09.2013 ● I rute" in section(
        response, "milestones-heading")
    # June's reports are due (today is 03.06.2013); May's was published. The yearly
    # indicator has no value for 2012 in Kodeknekk (June is not the year); in Klepp's own
    # project it has.
    tasks = section(response, "tasks-heading")
    assert "Statusrapporten for juni 2013 er ikke levert (Kodeknekk)" in tasks
    assert "Statusrapporten for juni 2013 er ikke levert (Klepp sitt eige)" in tasks
    assert "Måling mangler: E-handelsdel, 2012 (Kodeknekk)" in tasks
    assert "Måling mangler: e-handelsdel, 2012 (Klepp sitt eige)" not in tasks
    assert "mai 2013" not in tasks


def _id(code: str) -> int:
    from sqlalchemy import select

    return db.session.scalar(select(Project.id).where(Project.code == code))


def section(response, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}">.*?</section>', text(response),
                      re.S)
    assert match, heading_id
    return plain_text(match.group(0))


def test_municipality_view_follows_what_the_user_may_see(world, make_client, admin_client):
    lead = lead_client(make_client)
    klepp = lead.get(f"/portefolje/organisasjoner/{world.klepp}")
    assert klepp.status_code == 200
    assert "Kodeknekk" in section(klepp, "projects-heading")
    assert "Klepp sitt eige" not in plain(klepp)
    # An organisation in none of the lead's projects, or none at all: 404.
    assert lead.get(f"/portefolje/organisasjoner/{world.luster}").status_code == 404
    assert lead.get("/portefolje/organisasjoner/999999").status_code == 404
    assert admin_client.get("/portefolje/organisasjoner/999999").status_code == 404
    assert admin_client.get("/portefolje/organisasjoner/99999999999").status_code == 404


def test_comparison_pages_through_many_municipalities(world, admin_client, monkeypatch):
    from governance.dashboards import portfolio

    monkeypatch.setattr(portfolio, "COMPARISON_PAGE_SIZE", 2)
    address = f"/portefolje/sammenligning?indikator={world.indicator}"

    def table(response) -> str:
        return plain_text(re.search(r'<table[^>]*id="comparison-table".*?</table>',
                                    text(response), re.S).group(0))

    first = admin_client.get(address)
    assert first.status_code == 200
    assert "4 målinger, viser 1–2" in plain(first)
    # By municipality, then project: Klepp's own project before Kodeknekk.
    assert "Gjesdal kommune" in table(first) and "Klepp kommune Klepp sitt eige" in table(first)
    assert "Time kommune" not in table(first)
    second = admin_client.get(address + "&side=2")
    assert "viser 3–4" in plain(second)
    assert "Klepp kommune Kodeknekk" in table(second) and "Time kommune" in table(second)
    assert "Gjesdal" not in table(second)
    assert 'aria-current="page"' in text(second) and "Forrige side" in plain(second)
    beyond = admin_client.get(address + "&side=3")
    assert beyond.status_code == 400
    assert "Side 3 finnes ikke: sammenligningen har 2 side(r)." in plain(beyond)
    bad = admin_client.get(address + "&side=x")
    assert bad.status_code == 400 and "Sidetallet «x» er ugyldig." in plain(bad)


def test_municipality_view_bounds_its_lists_and_links_to_all(world, admin_client, monkeypatch):
    from governance.dashboards import portfolio

    monkeypatch.setattr(portfolio, "MUNICIPALITY_LIST_SIZE", 1)
    response = admin_client.get(f"/portefolje/organisasjoner/{world.klepp}")
    readings = section(response, "measurements-heading")
    # Newest first: Klepp's own yearly 2012 reading ends after Kodeknekk's June 2012.
    assert "Klepp sitt eige 2012 44,5 %" in readings
    assert "E-handelsdel Kodeknekk juni 2012" not in readings
    assert "Viser de 1 siste av 2 målinger. Vis alle målingene" in readings
    link = f'href="/portefolje/organisasjoner/{world.klepp}?alle=ja#measurements-heading"'
    assert link in text(response)
    everything = admin_client.get(f"/portefolje/organisasjoner/{world.klepp}?alle=ja")
    readings = section(everything, "measurements-heading")
    assert "E-handelsdel Kodeknekk juni 2012 18,9 % 58 %" in readings
    assert "Klepp sitt eige 2012 44,5 %" in readings
    assert "Viser de" not in plain(everything)
