"""Status reports over HTTP: the project's periods (monthly by default; periods that do not
exist or come before the project are refused), a municipal lead's draft and its publication,
a published report frozen, corrections as new versions, the snapshot a published report keeps,
each lead writing only their own organisation's report, the project report beside the
municipalities' with the suggested lights and the reason an override needs, the tolerances,
who has not reported, and the start page's list of reports due."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from governance.extensions import db
from governance.projects import plan
from governance.projects.models import Milestone, Project
from governance.reporting.models import Light, ReportStatus, StatusReport
from governance.risks import service as risk_service
from governance.risks.models import Risk, RiskCategory, RiskKind, RiskStatus
from governance.roles.models import GroupKind, ProjectRoleKind
from tests.pages import field_error, input_value, text

TODAY = date(2013, 6, 3)
CODE = "EHANDEL"
BASE = f"/prosjekter/{CODE}/status"
NBSP = "\u00a0"


# ---- the world: eHandel i Sogn with two participants and a plan ---------------------------


@dataclass
class World:
    project: int
    sogndal: int
    luster: int
    leikanger: int  # not a participant
    milestones: dict[str, int]
    users: dict[str, int]


@pytest.fixture
def today(app, monkeypatch):
    """The app's today is 03.06.2013: June is the current period (a test may move on)."""
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())

    def move_to(day: date) -> None:
        monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", day.isoformat())

    return move_to


def add_milestone(app, project_id: int, title: str, **fields) -> int:
    with app.app_context():
        project = db.session.get(Project, project_id)
        data = plan.MilestoneInput(
            title=title, description="", responsible_person_id=None,
            organisation_id=fields.pop("organisation_id", None), group_id=None,
            decision_point=None, baseline_date=fields.pop("baseline_date", None),
            forecast_date=fields.pop("forecast_date", None),
            actual_date=fields.pop("actual_date", None), comment="")
        assert not fields, fields
        [milestone] = plan.create_milestone(db.session, None, project, data, today=TODAY)
        db.session.commit()
        return milestone.id


@pytest.fixture
def world(app, today, make_org, make_project, make_user, give_role, add_to_group) -> World:
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    leikanger = make_org(name="Leikanger kommune")
    project = make_project(code=CODE, name="eHandel i Sogn", owners=[sogndal],
                           participants=[sogndal, luster], start_date=date(2013, 4, 12))
    users = {
        "katrine": make_user(username="katrine", full_name="Katrine Wilson"),
        "kari": make_user(username="kari", full_name="Kari Bø"),
        "lars": make_user(username="lars", full_name="Lars Hauge"),
        "ingrid": make_user(username="ingrid", full_name="Ingrid Eide"),
    }
    give_role(users["katrine"], project, ProjectRoleKind.PROJECT_LEADER)
    give_role(users["kari"], project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    give_role(users["lars"], project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=luster)
    add_to_group(users["ingrid"], project, GroupKind.STEERING_GROUP)
    milestones = {
        "plan": add_milestone(app, project.id, "Prosjektplan godkjent",
                              baseline_date=date(2013, 4, 22), actual_date=date(2013, 4, 22)),
        # 10 days after the baseline: at risk with the default tolerance of 14 days.
        "luster": add_milestone(app, project.id, "Buyer-oppsett ferdig",
                                organisation_id=luster.id, baseline_date=date(2013, 9, 1),
                                forecast_date=date(2013, 9, 11)),
    }
    return World(project=project.id, sogndal=sogndal.id, luster=luster.id,
                 leikanger=leikanger.id, milestones=milestones,
                 users={name: user.id for name, user in users.items()})


def signed_in(make_client, username: str):
    browser = make_client()
    assert browser.login(username).status_code == 303
    return browser


@pytest.fixture
def katrine(world, make_client):
    """The project leader."""
    return signed_in(make_client, "katrine")


@pytest.fixture
def kari(world, make_client):
    """Municipal project lead for Sogndal."""
    return signed_in(make_client, "kari")


@pytest.fixture
def lars(world, make_client):
    """Municipal project lead for Luster."""
    return signed_in(make_client, "lars")


@pytest.fixture
def ingrid(world, make_client):
    """A steering group member: reads."""
    return signed_in(make_client, "ingrid")


# ---- reading the database and the pages ---------------------------------------------------


def reports(app) -> list[tuple]:
    """Every report as stored: (period, organisation, version, status, overall, schedule,
    schedule comment, override reason, done this period, row version)."""
    with app.app_context():
        rows = db.session.execute(select(
            StatusReport.period, StatusReport.organisation_id, StatusReport.version,
            StatusReport.status, StatusReport.overall, StatusReport.schedule,
            StatusReport.schedule_comment, StatusReport.override_reason,
            StatusReport.done_this_period, StatusReport.version_id)
            .order_by(StatusReport.id)).all()
        return [tuple(r) for r in rows]


def report_of(app, period: str, organisation_id: int | None, version: int = 1) -> StatusReport:
    with app.app_context():
        found = db.session.scalar(select(StatusReport).where(
            StatusReport.period == period, StatusReport.version == version,
            StatusReport.organisation_id.is_(None) if organisation_id is None
            else StatusReport.organisation_id == organisation_id))
        assert found is not None, (period, organisation_id, version)
        db.session.expunge(found)
        return found


def plain(markup: str) -> str:
    """What a reader sees: no tags, entities read, no-break spaces as spaces, one space."""
    words = html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).replace(NBSP, " ")
    return re.sub(r"\s+", " ", words).strip()


def selected(page: str, name: str) -> str:
    """The value chosen in the <select name=...>, "" for none."""
    select_tag = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert select_tag, f"no select {name}"
    option = re.search(r'<option selected value="([^"]*)"', select_tag.group(0))
    return option.group(1) if option else ""


def textarea(page: str, name: str) -> str | None:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    return html_lib.unescape(match.group(1)) if match else None


def side_by_side(page: str) -> dict[str, dict[str, str]]:
    """The period page's table as {column: {row: text}}, e.g. {"Luster kommune":
    {"Fremdrift": "✕ Rød"}}."""
    start = page.index('id="side-caption"')
    table = page[start:page.index("</table>", start)]
    columns = [plain(c) for c in re.findall(r'<th scope="col">(.*?)</th>', table, re.S)]
    result: dict[str, dict[str, str]] = {c: {} for c in columns[1:]}
    for row in re.findall(r'<tr><th scope="row">.*?</tr>', table, re.S):
        cells = [plain(c) for _, c in re.findall(r"<(th|td)[^>]*>(.*?)</\1>", row, re.S)]
        for column, cell in zip(columns[1:], cells[1:], strict=True):
            result[column][cells[0]] = cell
    return result


def write_path(period: str, who) -> str:
    return f"{BASE}/{period}/{who}"


LIGHTS = ("overall", "schedule", "cost", "quality", "risk", "benefits")


def report_data(version, action: str = "save", **fields) -> dict:
    data = {name: "" for name in LIGHTS}
    data.update({f"{name}_comment": "" for name in LIGHTS})
    data.update({"override_reason": "", "done_this_period": "", "next_period": "",
                 "needs_decision": "", "version_id": str(version), "action": action})
    data.update(fields)
    return data


def page_version(browser, period: str, who) -> str:
    value = input_value(text(browser.get(write_path(period, who))), "version_id")
    assert value is not None, "no version on the form"
    return value


def publish(browser, period: str, who, **fields) -> None:
    response = browser.post(write_path(period, who), report_data(
        page_version(browser, period, who), action="publish", **fields))
    assert response.status_code == 303, text(response)


def add_risk(app, world: World, title: str, probability: int, consequence: int) -> int:
    with app.app_context():
        project = db.session.get(Project, world.project)
        risk = risk_service.save_risk(db.session, None, project, risk_service.RiskInput(
            kind=RiskKind.THREAT, title=title, description="", cause="", consequence_text="",
            category=RiskCategory.OTHER, phase=None, probability=probability,
            consequence=consequence, residual_probability=None, residual_consequence=None,
            owner_person_id=None, strategy=None, proximity=None, status=RiskStatus.IDENTIFIED,
            escalated=False), today=TODAY)
        db.session.commit()
        return risk.id


# ---- periods ------------------------------------------------------------------------------


def test_periods_are_monthly_from_the_project_start(world, katrine):
    page = text(katrine.get(f"{BASE}/"))
    grid = page[page.index('id="grid-caption"'):]
    grid = grid[:grid.index("</thead>")]
    assert re.findall(r'status/(20\d\d-\d\d)">', grid) == ["2013-06", "2013-05", "2013-04"]
    assert "Gjeldende periode (juni 2013)" in page
    may = katrine.get(f"{BASE}/2013-05")
    assert may.status_code == 200
    assert "Status mai 2013: eHandel i Sogn" in text(may)
    assert "01.05.2013–31.05.2013" in text(may)
    # April, the month the project started, is a period too.
    assert katrine.get(f"{BASE}/2013-04").status_code == 200


@pytest.mark.parametrize("period", [
    "2013-13", "2013-00", "2013-03",  # no such month; before the project started
    "2013-07",  # not begun
    "2013-Q2", "2013-H1", "2013",  # not the project's monthly periods
    "mai-2013", "13-05", "2013-05-01",
])
def test_a_period_that_does_not_exist_is_refused(app, world, katrine, kari, period):
    for browser in (katrine, kari):
        assert browser.get(f"{BASE}/{period}").status_code == 404
    assert katrine.get(write_path(period, "prosjekt")).status_code == 404
    assert kari.get(write_path(period, world.sogndal)).status_code == 404
    assert kari.post(write_path(period, world.sogndal), report_data(
        0, overall="green", done_this_period="Skrevet")).status_code == 404
    assert katrine.post(write_path(period, "prosjekt"), report_data(
        0, action="publish", overall="green")).status_code == 404
    assert reports(app) == []


def test_quarterly_reporting_changes_the_periods(app, world, katrine):
    version = input_value(text(katrine.get(f"{BASE}/")), "version_id")
    response = katrine.post(f"{BASE}/toleranser", tolerance_data(
        version, reporting_frequency="quarterly"))
    assert response.status_code == 303
    page = text(katrine.get(f"{BASE}/"))
    assert "Gjeldende periode (2. kvartal 2013)" in page
    assert katrine.get(f"{BASE}/2013-Q2").status_code == 200
    assert "Status 2. kvartal 2013" in text(katrine.get(f"{BASE}/2013-Q2"))
    assert katrine.get(f"{BASE}/2013-05").status_code == 404
    assert katrine.get(f"{BASE}/2013-Q1").status_code == 404  # before the start
    assert katrine.get(f"{BASE}/2013-Q3").status_code == 404  # not begun


# ---- drafts, publishing, corrections ------------------------------------------------------


def test_a_municipal_lead_writes_a_draft_and_goes_on_with_it(app, world, kari):
    path = write_path("2013-05", world.sogndal)
    form = kari.get(path)
    assert form.status_code == 200
    assert "Statusrapport mai 2013 for Sogndal kommune" in text(form)
    assert "Ny rapport." in text(form)
    # A municipality's report is not pre-filled with the project's suggestion.
    assert selected(text(form), "schedule") == ""
    response = kari.post(path, report_data(
        input_value(text(form), "version_id"), overall="yellow", schedule="yellow",
        schedule_comment="Opplæringen er utsatt", done_this_period="Kontaktperson utpekt"))
    assert response.status_code == 303
    assert response.headers["Location"] == path
    assert reports(app) == [("2013-05", world.sogndal, 1, ReportStatus.DRAFT, Light.YELLOW,
                             Light.YELLOW, "Opplæringen er utsatt", "", "Kontaktperson utpekt",
                             2)]
    page = text(kari.get(path))
    assert "Utkastet er lagret." in page
    assert "Utkast, versjon 1." in page
    assert selected(page, "schedule") == "yellow"
    assert textarea(page, "schedule_comment") == "Opplæringen er utsatt"
    # Going on with the draft.
    assert kari.post(path, report_data(
        input_value(page, "version_id"), overall="green", schedule="green",
        done_this_period="Kontaktperson utpekt og opplært")).status_code == 303
    assert reports(app) == [("2013-05", world.sogndal, 1, ReportStatus.DRAFT, Light.GREEN,
                             Light.GREEN, "", "", "Kontaktperson utpekt og opplært", 3)]
    # The period page shows the draft as a draft.
    period = side_by_side(text(kari.get(f"{BASE}/2013-05")))
    assert period["Sogndal kommune"]["Rapportens status"] == "utkast : Sogndal kommune"
    assert period["Luster kommune"]["Rapportens status"] == "ikke startet"


def test_a_stale_draft_gets_409_with_the_current_values(app, world, kari, make_client):
    path = write_path("2013-05", world.sogndal)
    kari.post(path, report_data(0, schedule="green"))
    old = page_version(kari, "2013-05", world.sogndal)
    other_tab = signed_in(make_client, "kari")
    assert other_tab.post(path, report_data(old, schedule="red",
                                            schedule_comment="Fra den andre fanen")
                          ).status_code == 303
    after = reports(app)
    response = kari.post(path, report_data(old, schedule="yellow"))
    assert response.status_code == 409
    page = text(response)
    assert "Noen andre lagret rapporten i mellomtiden." in page
    assert selected(page, "schedule") == "red"
    assert textarea(page, "schedule_comment") == "Fra den andre fanen"
    assert reports(app) == after
    # Two people starting the same new report: the second is told, not overwritten.
    assert kari.post(write_path("2013-04", world.sogndal),
                     report_data(0, schedule="green")).status_code == 303
    assert other_tab.post(write_path("2013-04", world.sogndal),
                          report_data(0, schedule="red")).status_code == 409
    assert report_of(app, "2013-04", world.sogndal).schedule == Light.GREEN


def test_bad_lights_are_refused_and_nothing_saved(app, world, kari):
    path = write_path("2013-05", world.sogndal)
    response = kari.post(path, report_data(0, overall="blue", schedule="green"))
    assert response.status_code == 422
    assert field_error(text(response), "overall") == "Ugyldig valg."
    assert reports(app) == []
    long = kari.post(path, report_data(0, done_this_period="x" * 10_001))
    assert long.status_code == 422
    assert field_error(text(long), "done_this_period") == "Teksten kan ha høyst 10000 tegn."
    assert reports(app) == []


def test_publishing_needs_the_overall_light(app, world, kari):
    response = kari.post(write_path("2013-05", world.sogndal), report_data(
        0, action="publish", schedule="green", done_this_period="Mye"))
    assert response.status_code == 422
    assert field_error(text(response), "overall") == (
        "Sett totalvurderingen før rapporten publiseres.")
    assert reports(app) == []  # not even the draft half of the action


def test_a_published_report_is_frozen(app, world, kari):
    path = write_path("2013-05", world.sogndal)
    kari.post(path, report_data(0, overall="green", schedule="yellow",
                                schedule_comment="Litt sent"))
    version = page_version(kari, "2013-05", world.sogndal)
    response = kari.post(path, report_data(version, action="publish", overall="green",
                                           schedule="yellow", schedule_comment="Litt sent"))
    assert response.status_code == 303
    report = report_of(app, "2013-05", world.sogndal)
    assert response.headers["Location"] == f"{BASE}/rapport/{report.id}"
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_by_id == world.users["kari"]
    read = text(kari.get(f"{BASE}/rapport/{report.id}"))
    assert "Rapporten er publisert." in read
    assert re.search(r"Versjon 1, publisert [\d.]+ kl\. [\d:]+ av Kari Bø\.", plain(read))
    assert "Rett rapporten" in read
    before = reports(app)
    # The form is not offered again: the address leads to the report.
    again = kari.get(path)
    assert again.status_code == 303
    assert again.headers["Location"] == f"{BASE}/rapport/{report.id}"
    # Saving or publishing over it is refused with a message, and nothing changes.
    for action in ("save", "publish"):
        refused = kari.post(path, report_data(version, action=action, overall="red",
                                              schedule="red", schedule_comment="Endret"))
        assert refused.status_code == 422, action
        assert field_error(text(refused), "overall") == (
            "Rapporten er publisert og kan ikke endres. Lag en rettet versjon.")
        assert selected(text(refused), "schedule") == "red"  # what was typed is kept
    assert reports(app) == before


def test_a_correction_is_a_new_version_and_the_old_one_stays(app, world, kari):
    publish(kari, "2013-05", world.sogndal, overall="green", schedule="green",
            schedule_comment="Alt i rute")
    first = report_of(app, "2013-05", world.sogndal)
    response = kari.post(f"{BASE}/rapport/{first.id}/rett")
    assert response.status_code == 303
    assert response.headers["Location"] == write_path("2013-05", world.sogndal)
    form = text(kari.get(write_path("2013-05", world.sogndal)))
    assert "En ny versjon er laget som utkast." in form
    assert "Utkast, versjon 2." in form
    assert selected(form, "schedule") == "green"  # starts from the published content
    assert textarea(form, "schedule_comment") == "Alt i rute"
    assert kari.post(write_path("2013-05", world.sogndal), report_data(
        input_value(form, "version_id"), action="publish", overall="yellow",
        schedule="yellow", schedule_comment="Rettet: leverandøren er forsinket")
    ).status_code == 303
    second = report_of(app, "2013-05", world.sogndal, version=2)
    kept = report_of(app, "2013-05", world.sogndal, version=1)
    assert (kept.status, kept.schedule, kept.schedule_comment, kept.snapshot) == (
        ReportStatus.PUBLISHED, Light.GREEN, "Alt i rute", first.snapshot)
    assert (second.status, second.schedule) == (ReportStatus.PUBLISHED, Light.YELLOW)
    old_page = text(kari.get(f"{BASE}/rapport/{first.id}"))
    assert "Dette er en eldre versjon. Den er rettet av en nyere." in old_page
    assert "Alt i rute" in old_page and "Rett rapporten" not in old_page
    assert f'href="{BASE}/rapport/{second.id}">2</a>' in old_page
    new_page = text(kari.get(f"{BASE}/rapport/{second.id}"))
    assert "Rettet: leverandøren er forsinket" in new_page
    assert "eldre versjon" not in new_page
    # The period page shows the newest version.
    period = side_by_side(text(kari.get(f"{BASE}/2013-05")))
    assert period["Sogndal kommune"]["Fremdrift"].startswith("▲ Gul Rettet")
    # The old version cannot be corrected again.
    before = reports(app)
    refused = kari.post(f"{BASE}/rapport/{first.id}/rett", follow_redirects=True)
    assert "Det finnes allerede en nyere versjon av rapporten." in text(refused)
    assert reports(app) == before


def test_a_draft_cannot_be_corrected(app, world, kari):
    kari.post(write_path("2013-05", world.sogndal), report_data(0, overall="green"))
    draft = report_of(app, "2013-05", world.sogndal)
    before = reports(app)
    refused = kari.post(f"{BASE}/rapport/{draft.id}/rett", follow_redirects=True)
    assert "Bare en publisert rapport kan rettes." in text(refused)
    assert reports(app) == before


# ---- the snapshot -------------------------------------------------------------------------


def snapshot_rows(page: str) -> list[str]:
    section = re.search(r'<section aria-labelledby="snapshot-heading">.*?</section>', page,
                        re.S)
    assert section, "no snapshot on the page"
    table = section.group(0)[:section.group(0).index("</table>")]
    return [plain(row) for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S)]


def top_risks(page: str) -> list[str]:
    section = re.search(r'<section aria-labelledby="snapshot-heading">.*?</section>', page,
                        re.S).group(0)
    return [plain(item) for item in re.findall(r"<li>(.*?)</li>", section.split(
        "Største risikoer")[1].split("Gevinstoppnåelse")[0], re.S)]


def test_a_published_report_keeps_the_project_as_it_was(app, world, katrine, today):
    risk = add_risk(app, world, "Leverandørene henger etter", 4, 4)
    form = text(katrine.get(write_path("2013-05", "prosjekt")))
    # The project's report starts from the suggestion.
    lights = {name: selected(form, name) for name in LIGHTS}
    assert lights == {"overall": "red", "schedule": "yellow", "cost": "", "quality": "",
                      "risk": "red", "benefits": ""}
    assert katrine.post(write_path("2013-05", "prosjekt"), report_data(
        input_value(form, "version_id"), action="publish", **lights)).status_code == 303
    report = report_of(app, "2013-05", None)
    assert [m["status"] for m in report.snapshot["milestones"]] == ["done", "at_risk"]

    # Then the plan and the register change.
    with app.app_context():
        milestone = db.session.get(Milestone, world.milestones["luster"])
        plan.report_progress(db.session, None, milestone, forecast_date=date(2013, 10, 1),
                             actual_date=None, comment="", version_id=milestone.version_id,
                             today=TODAY)
        stored = db.session.get(Risk, risk)
        stored.probability, stored.consequence = 1, 2
        db.session.commit()
    milestones_now = text(katrine.get(f"/prosjekter/{CODE}/milepaler"))
    assert "Forsinket" in milestones_now

    page = text(katrine.get(f"{BASE}/rapport/{report.id}"))
    assert "Prosjektet slik det var ved publisering" in page
    assert snapshot_rows(page) == [
        "Prosjektplan godkjent 22.04.2013 22.04.2013 22.04.2013 Fullført",
        "Buyer-oppsett ferdig (Luster kommune) 01.09.2013 11.09.2013 I faresonen",
    ]
    assert top_risks(page) == ["1. Leverandørene henger etter: poengsum 16 (4 × 4)"]
    # A month on, the report still reads the same.
    today(date(2013, 7, 15))
    assert snapshot_rows(text(katrine.get(f"{BASE}/rapport/{report.id}")))[1].endswith(
        "01.09.2013 11.09.2013 I faresonen")


def test_a_draft_has_no_snapshot(app, world, kari):
    kari.post(write_path("2013-05", world.sogndal), report_data(0, overall="green"))
    draft = report_of(app, "2013-05", world.sogndal)
    assert draft.snapshot is None
    page = text(kari.get(f"{BASE}/rapport/{draft.id}"))
    assert "Utkast, versjon 1." in page
    assert "Prosjektet slik det var ved publisering" not in page
    assert "Fortsett på utkastet" in page


# ---- whose report ----------------------------------------------------------------------------


def test_a_municipal_lead_writes_only_their_own_organisations_report(app, world, kari, lars):
    publish(lars, "2013-05", world.luster, overall="green")
    luster = report_of(app, "2013-05", world.luster)
    before = reports(app)
    refused = [
        (kari.get(write_path("2013-05", world.luster)), 403),
        (kari.post(write_path("2013-05", world.luster), report_data(
            0, overall="red", done_this_period="Kapret")), 403),
        (kari.post(write_path("2013-06", world.luster), report_data(
            0, action="publish", overall="red")), 403),
        (kari.get(write_path("2013-05", "prosjekt")), 403),
        (kari.post(write_path("2013-05", "prosjekt"), report_data(0, overall="red")), 403),
        (kari.post(f"{BASE}/rapport/{luster.id}/rett"), 403),
        # Not a participant, or not an organisation at all.
        (kari.post(write_path("2013-05", world.leikanger), report_data(
            0, overall="red")), 404),
        (kari.get(write_path("2013-05", "999999999")), 404),
        (kari.get(write_path("2013-05", "sogndal")), 404),
    ]
    assert [status for response, status in refused] == [
        response.status_code for response, _ in refused]
    assert reports(app) == before
    # She reads Luster's report, but is not offered to correct it.
    page = text(kari.get(f"{BASE}/rapport/{luster.id}"))
    assert "Statusrapport mai 2013 for Luster kommune" in page
    assert "Rett rapporten" not in page
    # The period page offers her own organisation's report only.
    period = text(kari.get(f"{BASE}/2013-05"))
    buttons = re.search(r'<div class="button-row">(.*?)</div>', period, re.S).group(1)
    assert plain(buttons) == "Rapport for Sogndal kommune"


def test_a_steering_group_member_reads_but_writes_no_report(app, world, ingrid, kari):
    publish(kari, "2013-05", world.sogndal, overall="green")
    report = report_of(app, "2013-05", world.sogndal)
    assert ingrid.get(f"{BASE}/").status_code == 200
    assert ingrid.get(f"{BASE}/2013-05").status_code == 200
    assert ingrid.get(f"{BASE}/rapport/{report.id}").status_code == 200
    before = reports(app)
    assert ingrid.post(write_path("2013-05", world.luster),
                       report_data(0, overall="red")).status_code == 403
    assert ingrid.post(write_path("2013-05", "prosjekt"),
                       report_data(0, overall="red")).status_code == 403
    assert ingrid.post(f"{BASE}/rapport/{report.id}/rett").status_code == 403
    assert ingrid.post(f"{BASE}/toleranser", tolerance_data("1")).status_code == 403
    assert reports(app) == before


def test_reports_of_another_project_are_404(app, world, katrine, make_project, make_org):
    other = make_project(code="ANNET", start_date=date(2013, 1, 1))
    with app.app_context():
        db.session.add(StatusReport(project_id=other.id, period="2013-05", version=1,
                                    status=ReportStatus.PUBLISHED, overall=Light.RED,
                                    done_this_period="Hemmelig"))
        db.session.commit()
        foreign = db.session.scalar(select(StatusReport.id))
    assert katrine.get(f"{BASE}/rapport/{foreign}").status_code == 404
    assert katrine.post(f"{BASE}/rapport/{foreign}/rett").status_code == 404
    assert katrine.get(f"{BASE}/rapport/999999").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StatusReport)) == 1
    assert "Hemmelig" not in text(katrine.get(f"{BASE}/2013-05"))


# ---- the project report: side by side, the suggestion, the override ----------------------


def test_the_project_report_shows_the_municipalities_side_by_side(app, world, katrine, kari,
                                                                  lars):
    publish(kari, "2013-05", world.sogndal, overall="yellow", schedule="yellow",
            schedule_comment="Opplæringen er utsatt", cost="green", risk="green")
    publish(lars, "2013-05", world.luster, overall="red", schedule="red",
            schedule_comment="Leverandøren har ikke levert", cost="green", risk="yellow")
    page = text(katrine.get(f"{BASE}/2013-05"))
    table = side_by_side(page)
    assert list(table) == ["Forslag", "Prosjektet", "Luster kommune", "Sogndal kommune"]
    assert table["Sogndal kommune"]["Fremdrift"] == "▲ Gul Opplæringen er utsatt"
    assert table["Luster kommune"]["Fremdrift"] == "✕ Rød Leverandøren har ikke levert"
    assert table["Sogndal kommune"]["Økonomi"] == "● Grønn"
    assert table["Luster kommune"]["Risiko"] == "▲ Gul"
    assert table["Luster kommune"]["Gevinstoppnåelse"] == "ikke vurdert"
    assert table["Prosjektet"]["Totalvurdering"] == ""
    assert table["Prosjektet"]["Rapportens status"] == "ikke startet"
    # The suggestion: the worst of the municipalities' lights and the project's own figures.
    assert table["Forslag"]["Fremdrift"] == (
        "✕ Rød Rødt hos Luster kommune Milepæler i faresonen: 1")
    assert table["Forslag"]["Økonomi"] == "● Grønn"
    assert table["Forslag"]["Risiko"] == "▲ Gul"
    assert table["Forslag"]["Totalvurdering"] == "✕ Rød"
    assert "Ikke publisert ennå" not in page
    # The leader's form starts from the suggestion.
    form = text(katrine.get(write_path("2013-05", "prosjekt")))
    assert (selected(form, "overall"), selected(form, "schedule"), selected(form, "risk")) == (
        "red", "red", "yellow")


def test_the_suggestion_turns_red_outside_the_tolerances(app, world, katrine):
    add_risk(app, world, "Leverandørene henger etter", 3, 4)  # 12: the red threshold
    add_risk(app, world, "Lite forankring", 2, 3)  # 6: yellow
    table = side_by_side(text(katrine.get(f"{BASE}/2013-06")))
    assert table["Forslag"]["Risiko"] == (
        "✕ Rød Utenfor toleransen – til styringsgruppen Åpne risikoer med poengsum 12 eller "
        "mer: 1")
    assert table["Forslag"]["Fremdrift"] == "▲ Gul Milepæler i faresonen: 1"
    assert table["Forslag"]["Totalvurdering"] == (
        "✕ Rød Utenfor toleransen – til styringsgruppen")
    # Five days' tolerance: the milestone ten days late is outside it.
    version = input_value(text(katrine.get(f"{BASE}/")), "version_id")
    assert katrine.post(f"{BASE}/toleranser", tolerance_data(
        version, time_tolerance_days="5")).status_code == 303
    table = side_by_side(text(katrine.get(f"{BASE}/2013-06")))
    assert table["Forslag"]["Fremdrift"] == (
        "✕ Rød Utenfor toleransen – til styringsgruppen Milepæler forsinket utover "
        "toleransen på 5 dager: 1")


def add_budget(app, world: World, year: int, budget_kr: int, actual_kr: int) -> None:
    """One shared cost line with its budget and one month's actual cost."""
    from governance.finance import service as finance_service
    from governance.finance.models import Category, LineKind, Nature

    with app.app_context():
        project = db.session.get(Project, world.project)
        [line] = finance_service.save_line(db.session, None, project, finance_service.LineInput(
            year=year, kind=LineKind.COST, category=Category.SALARY, nature=Nature.OPERATING,
            name="Løn prosjektleiar", amount_ore=budget_kr * 100))
        finance_service.set_actual(db.session, None, project, line, period=f"{year}-05",
                                   amount_ore=actual_kr * 100, note="", today=TODAY)
        db.session.commit()


def test_costs_beyond_the_cost_tolerance_turn_the_suggestion_red(app, world, katrine):
    # Within the tolerance (10 %): 105 000 against 100 000.
    add_budget(app, world, 2013, 100_000, 105_000)
    assert side_by_side(text(katrine.get(f"{BASE}/2013-06")))["Forslag"]["Økonomi"] == (
        "ikke vurdert")
    # 30 000 more: the forecast is 135 000, 35 % over the budget.
    with app.app_context():
        from governance.finance import service as finance_service
        from governance.finance.models import BudgetLine

        line = db.session.scalars(select(BudgetLine)).one()
        finance_service.set_actual(db.session, None, db.session.get(Project, world.project),
                                   line, period="2013-06", amount_ore=30_000_00, note="",
                                   today=TODAY)
        db.session.commit()
    table = side_by_side(text(katrine.get(f"{BASE}/2013-06")))
    assert table["Forslag"]["Økonomi"] == (
        "✕ Rød Utenfor toleransen – til styringsgruppen Prognosen for de felles kostnadene "
        "2013 avviker 35 % fra budsjettet; toleransen er 10 %")


def test_a_published_report_keeps_the_budget_as_it_was(app, world, katrine):
    add_budget(app, world, 2013, 100_000, 40_000)
    form = text(katrine.get(write_path("2013-05", "prosjekt")))
    assert katrine.post(write_path("2013-05", "prosjekt"), report_data(
        input_value(form, "version_id"), action="publish", overall="yellow", schedule="yellow"
    )).status_code == 303
    report = report_of(app, "2013-05", None)
    assert report.snapshot["budget"]["actual_ore"] == 40_000_00
    with app.app_context():
        from governance.finance.models import ActualCost

        db.session.scalars(select(ActualCost)).one().amount_ore = 90_000_00
        db.session.commit()
    page = plain(text(katrine.get(f"{BASE}/rapport/{report.id}")))
    assert ("Budsjett Felles kostnader 2013, budsjett 100 000 kr Regnskap 40 000 kr "
            "Prognose 100 000 kr (avvik 0 %) Kostnadstoleranse ± 10 %") in page


def test_a_municipal_draft_does_not_count_in_the_suggestion(app, world, katrine, lars):
    lars.post(write_path("2013-05", world.luster), report_data(0, overall="red", cost="red"))
    table = side_by_side(text(katrine.get(f"{BASE}/2013-05")))
    assert table["Luster kommune"]["Økonomi"] == "✕ Rød"  # shown, as a draft
    assert table["Forslag"]["Økonomi"] == "ikke vurdert"  # not counted until published


def test_a_correction_being_written_does_not_hide_the_published_report(app, world, katrine,
                                                                        kari, lars):
    publish(kari, "2013-06", world.sogndal, overall="green")
    publish(lars, "2013-06", world.luster, overall="yellow", schedule="yellow")
    published = report_of(app, "2013-06", world.luster)
    assert lars.post(f"{BASE}/rapport/{published.id}/rett").status_code == 303
    assert report_of(app, "2013-06", world.luster, version=2).status == ReportStatus.DRAFT
    table = side_by_side(text(katrine.get(f"{BASE}/2013-06")))
    assert table["Luster kommune"]["Fremdrift"] == "▲ Gul"
    assert table["Forslag"]["Fremdrift"].startswith("▲ Gul")
    # Everyone has a published report for June: nobody is listed as missing.
    assert "Har ikke publisert rapport" not in text(katrine.get(f"{BASE}/"))


def test_a_past_period_is_judged_as_it_stood_at_its_end(app, world, katrine, today):
    # On 20.09.2013 the Luster milestone (baseline 01.09, forecast 11.09) is past due: late.
    today(date(2013, 9, 20))
    assert side_by_side(text(katrine.get(f"{BASE}/2013-09")))["Forslag"]["Fremdrift"] == (
        "✕ Rød Utenfor toleransen – til styringsgruppen Milepæler forsinket utover "
        "toleransen på 14 dager: 1")
    # May 2013 is judged at 31.05.2013, when it was only at risk.
    assert side_by_side(text(katrine.get(f"{BASE}/2013-05")))["Forslag"]["Fremdrift"] == (
        "▲ Gul Milepæler i faresonen: 1")


def test_overriding_the_suggested_light_needs_a_reason(app, world, katrine, lars):
    publish(lars, "2013-05", world.luster, overall="red", schedule="red")
    path = write_path("2013-05", "prosjekt")
    form = text(katrine.get(path))
    assert selected(form, "overall") == "red"
    response = katrine.post(path, report_data(
        input_value(form, "version_id"), action="publish", overall="yellow", schedule="red",
        done_this_period="Leverandørmøte holdt"))
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "override_reason") == (
        "Totalvurderingen avviker fra forslaget. Skriv hvorfor.")
    assert selected(page, "overall") == "yellow"
    assert textarea(page, "done_this_period") == "Leverandørmøte holdt"
    assert [r for r in reports(app) if r[1] is None] == []  # nothing half-saved
    # Saving a draft is refused the same way.
    assert katrine.post(path, report_data(
        input_value(form, "version_id"), overall="yellow")).status_code == 422
    assert [r for r in reports(app) if r[1] is None] == []
    # With a reason, it is published and the reason is shown.
    assert katrine.post(path, report_data(
        input_value(form, "version_id"), action="publish", overall="yellow", schedule="red",
        override_reason="Luster er forsinket, men resten av prosjektet er i rute")
    ).status_code == 303
    report = report_of(app, "2013-05", None)
    assert (report.overall, report.override_reason, report.status) == (
        Light.YELLOW, "Luster er forsinket, men resten av prosjektet er i rute",
        ReportStatus.PUBLISHED)
    read = text(katrine.get(f"{BASE}/rapport/{report.id}"))
    assert "Hvorfor totalvurderingen avviker fra forslaget" in read
    assert "Luster er forsinket, men resten av prosjektet er i rute" in read
    # The same light as the suggestion needs no reason.
    katrine.post(f"{BASE}/rapport/{report.id}/rett")
    version = page_version(katrine, "2013-05", "prosjekt")
    assert katrine.post(path, report_data(version, action="publish", overall="red",
                                          schedule="red")).status_code == 303
    assert report_of(app, "2013-05", None, version=2).override_reason == ""


def test_a_municipal_report_needs_no_reason(app, world, kari, lars):
    publish(lars, "2013-05", world.luster, overall="red", schedule="red")
    publish(kari, "2013-05", world.sogndal, overall="green")
    assert report_of(app, "2013-05", world.sogndal).overall == Light.GREEN


# ---- tolerances ---------------------------------------------------------------------------


def tolerance_data(version, **fields) -> dict:
    data = {"reporting_frequency": "monthly", "time_tolerance_days": "21",
            "cost_tolerance_percent": "5", "benefit_tolerance_percent": "15",
            "scope_tolerance": "Ingen nye kommuner i 2013", "quality_tolerance": "",
            "version_id": str(version)}
    data.update(fields)
    return data


def tolerances(app, world: World) -> tuple:
    with app.app_context():
        p = db.session.get(Project, world.project)
        return (p.reporting_frequency, p.time_tolerance_days, p.cost_tolerance_percent,
                p.benefit_tolerance_percent, p.scope_tolerance, p.quality_tolerance)


DEFAULT_TOLERANCES = ("monthly", 14, 10, 20, "", "")


def test_the_leader_saves_the_tolerances(app, world, katrine, ingrid):
    page = text(katrine.get(f"{BASE}/"))
    assert input_value(page, "time_tolerance_days") == "14"
    response = katrine.post(f"{BASE}/toleranser", tolerance_data(
        input_value(page, "version_id")))
    assert response.status_code == 303
    assert tolerances(app, world) == ("monthly", 21, 5, 15, "Ingen nye kommuner i 2013", "")
    page = text(katrine.get(f"{BASE}/"))
    assert "Toleransene er lagret." in page
    assert input_value(page, "time_tolerance_days") == "21"
    # Those who only read see them as facts.
    facts = plain(re.search(r'<dl class="facts">.*?</dl>', text(ingrid.get(f"{BASE}/")),
                            re.S).group(0))
    assert facts == ("Tid 21 dager Kostnad 5 % Gevinst 15 % Omfang Ingen nye kommuner i 2013 "
                     "Risiko poengsum fra 12")


@pytest.mark.parametrize("fields, field, message", [
    ({"time_tolerance_days": "3651"}, "time_tolerance_days", "Skriv et helt tall fra 0 til 3650."),
    ({"time_tolerance_days": ""}, "time_tolerance_days", "Skriv et helt tall fra 0 til 3650."),
    ({"time_tolerance_days": "to uker"}, "time_tolerance_days",
     "Skriv et helt tall, for eksempel 27 000."),
    ({"cost_tolerance_percent": "101"}, "cost_tolerance_percent",
     "Skriv et helt tall fra 0 til 100."),
    ({"benefit_tolerance_percent": "-5"}, "benefit_tolerance_percent",
     "Skriv et helt tall, for eksempel 27 000."),
    ({"reporting_frequency": "weekly"}, "reporting_frequency", "Ugyldig valg."),
    ({"scope_tolerance": "x" * 1001}, "scope_tolerance", "Teksten kan ha høyst 1000 tegn."),
])
def test_bad_tolerances_are_refused_and_nothing_saved(app, world, katrine, fields, field,
                                                      message):
    version = input_value(text(katrine.get(f"{BASE}/")), "version_id")
    response = katrine.post(f"{BASE}/toleranser", tolerance_data(version, **fields))
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert tolerances(app, world) == DEFAULT_TOLERANCES


def test_stale_tolerances_get_409_with_the_current_values(app, world, katrine, make_client):
    old = input_value(text(katrine.get(f"{BASE}/")), "version_id")
    other_tab = signed_in(make_client, "katrine")
    assert other_tab.post(f"{BASE}/toleranser", tolerance_data(
        old, time_tolerance_days="30")).status_code == 303
    response = katrine.post(f"{BASE}/toleranser", tolerance_data(
        old, time_tolerance_days="7"))
    assert response.status_code == 409
    page = text(response)
    assert "Noen andre lagret prosjektet i mellomtiden." in page
    assert input_value(page, "time_tolerance_days") == "30"
    assert input_value(page, "version_id") != old
    assert tolerances(app, world)[1] == 30


# ---- who has not reported -----------------------------------------------------------------


def test_the_leader_sees_who_has_not_reported(app, world, katrine, kari, lars):
    page = plain(text(katrine.get(f"{BASE}/")))
    assert ("Har ikke publisert rapport for juni 2013: Luster kommune, Sogndal kommune."
            in page)
    kari.post(write_path("2013-06", world.sogndal), report_data(0, overall="green"))
    page = plain(text(katrine.get(f"{BASE}/")))
    assert "juni 2013: Luster kommune, Sogndal kommune." in page  # a draft is not a report
    publish(kari, "2013-06", world.sogndal, overall="green")
    page = plain(text(katrine.get(f"{BASE}/")))
    assert "Har ikke publisert rapport for juni 2013: Luster kommune." in page
    assert "Ikke publisert ennå: Luster kommune." in plain(text(katrine.get(f"{BASE}/2013-06")))
    publish(lars, "2013-06", world.luster, overall="yellow")
    assert "Har ikke publisert rapport" not in text(katrine.get(f"{BASE}/"))
    # A municipal lead is not shown the list.
    assert "Har ikke publisert rapport" not in text(kari.get(f"{BASE}/"))


def test_the_overview_grid_and_the_history_of_lights(app, world, katrine, kari):
    publish(kari, "2013-05", world.sogndal, overall="green")
    publish(katrine, "2013-05", "prosjekt", overall="yellow", schedule="yellow",
            override_reason="Forsinket hos Luster")
    publish(katrine, "2013-06", "prosjekt", overall="yellow", schedule="yellow")
    kari.post(write_path("2013-06", world.sogndal), report_data(0, overall="red"))
    page = text(katrine.get(f"{BASE}/"))
    grid = page[page.index('id="grid-caption"'):]
    grid = grid[:grid.index("</table>")]
    rows = [plain(r) for r in re.findall(r'<tr><th scope="row">.*?</tr>', grid, re.S)]
    assert rows == ["Prosjektet ▲ Gul ▲ Gul ingen",
                    "Luster kommune ingen ingen ingen",
                    "Sogndal kommune utkast ● Grønn ingen"]
    history = page[page.index('aria-label="Lysene som tabell"'):]
    history = history[:history.index("</table>")]
    assert [plain(r) for r in re.findall(r'<tr><th scope="row">.*?</tr>', history, re.S)] == [
        "2013-05 ▲ Gul ▲ Gul ikke vurdert ikke vurdert ikke vurdert ikke vurdert",
        "2013-06 ▲ Gul ▲ Gul ikke vurdert ikke vurdert ikke vurdert ikke vurdert"]
    assert 'id="light-history"' in page


# ---- the start page -----------------------------------------------------------------------

DUE = "Statusrapporter du skal levere"


def due_section(page: str) -> str | None:
    match = re.search(r'<section aria-labelledby="due-reports-heading".*?</section>', page,
                      re.S)
    return match.group(0) if match else None


def test_the_start_page_lists_the_reports_a_lead_owes(app, world, today, kari, lars, katrine,
                                                      ingrid):
    page = text(kari.get("/"))
    section = due_section(page)
    assert section is not None
    assert plain(section) == (f"{DUE} Rapporten for juni 2013 fra Sogndal kommune er ikke "
                              "levert (eHandel i Sogn)")
    link = re.search(r'href="([^"]+)"', section).group(1)
    assert link == write_path("2013-06", world.sogndal)
    assert "Statusrapport juni 2013 for Sogndal kommune" in text(kari.get(link))
    assert "fra Luster kommune" in plain(due_section(text(lars.get("/"))))
    for other in (katrine, ingrid):
        assert DUE not in text(other.get("/"))
    # A draft is still due, and says so.
    kari.post(link, report_data(0, overall="green"))
    assert plain(due_section(text(kari.get("/")))).endswith(
        "er ikke levert (utkast finnes) (eHandel i Sogn)")
    # Published: no longer due. Last month's report does not count for this month.
    publish(kari, "2013-05", world.sogndal, overall="green")
    assert due_section(text(kari.get("/"))) is not None
    publish(kari, "2013-06", world.sogndal, overall="green")
    assert DUE not in text(kari.get("/"))
    # A new month, a new report due.
    today(date(2013, 7, 2))
    assert "Rapporten for juli 2013 fra Sogndal kommune er ikke levert" in plain(
        due_section(text(kari.get("/"))))


def test_two_project_level_reports_of_one_period_and_version_cannot_both_be_stored(app, world):
    """The project's own report has no organisation; a plain unique constraint lets NULLs
    repeat, so two project leaders starting the month's report at once could store two. The
    partial unique index refuses the second (start_report turns that into a 409)."""
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(StatusReport(project_id=world.project, period="2013-05",
                                    organisation_id=None, version=1))
        db.session.commit()
        db.session.add(StatusReport(project_id=world.project, period="2013-05",
                                    organisation_id=None, version=1))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # A new version of the same period, and another period, are fine.
        db.session.add_all([
            StatusReport(project_id=world.project, period="2013-05", organisation_id=None,
                         version=2),
            StatusReport(project_id=world.project, period="2013-06", organisation_id=None,
                         version=1)])
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(StatusReport).where(
            StatusReport.organisation_id.is_(None))) == 3
