"""Milestones over HTTP: create (also one per participant), the leader's full edit, the inline
progress update with htmx, who may update what, stale versions, bad input, the slippage
history, the derived status, the baseline, deleting, filters and the trend table."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from governance.extensions import db
from governance.projects import plan
from governance.projects.models import Milestone, MilestoneDateChange, Project
from governance.roles.models import GroupKind, ProjectGroup, ProjectRoleKind, User
from tests.pages import field_error, input_value, text

TODAY = date(2013, 6, 3)
CODE = "EHANDEL"
BASE = f"/prosjekter/{CODE}"


# ---- the world: eHandel with two participants and two work groups -------------------------


@dataclass
class Plan:
    project: int
    sogndal: int
    luster: int
    leikanger: int  # not a participant
    supplier_group: int  # the work group Per is in
    training_group: int  # another work group
    steering_group: int
    siri: int  # Siri Fosse's person
    katrine_user: int
    kari_user: int
    milestones: dict[str, int]


@pytest.fixture
def today(app, monkeypatch):
    """The app's today is 03.06.2013 (a test may move it on)."""
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())

    def move_to(day: date) -> None:
        monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", day.isoformat())

    return move_to


def add_milestone(app, project_id: int, actor_id: int | None, title: str, **fields) -> int:
    """A milestone made the way the leader's form makes it, reported on TODAY."""
    with app.app_context():
        project = db.session.get(Project, project_id)
        actor = db.session.get(User, actor_id) if actor_id else None
        data = plan.MilestoneInput(
            title=title, description=fields.pop("description", ""),
            responsible_person_id=fields.pop("responsible_person_id", None),
            organisation_id=fields.pop("organisation_id", None),
            group_id=fields.pop("group_id", None), decision_point=None,
            baseline_date=fields.pop("baseline_date", None),
            forecast_date=fields.pop("forecast_date", None),
            actual_date=fields.pop("actual_date", None), comment=fields.pop("comment", ""),
        )
        assert not fields, fields
        [milestone] = plan.create_milestone(db.session, actor, project, data, today=TODAY)
        db.session.commit()
        return milestone.id


@pytest.fixture
def world(app, today, make_org, make_project, make_user, give_role, add_to_group) -> Plan:
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    leikanger = make_org(name="Leikanger kommune")
    project = make_project(code=CODE, name="eHandel i Sogn", owners=[sogndal],
                           participants=[sogndal, luster])
    katrine = make_user(username="katrine", full_name="Katrine Wilson")
    kari = make_user(username="kari", full_name="Kari Bø")
    per = make_user(username="per", full_name="Per Lunde")
    siri = make_user(username="siri", full_name="Siri Fosse")
    ingrid = make_user(username="ingrid", full_name="Ingrid Hauge")
    give_role(katrine, project, ProjectRoleKind.PROJECT_LEADER)
    give_role(kari, project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    add_to_group(per, project, GroupKind.WORK_GROUP, name="Leverandøraktivering")
    add_to_group(katrine, project, GroupKind.WORK_GROUP, name="Opplæring")
    siri_member = add_to_group(siri, project, GroupKind.PROJECT_GROUP)
    add_to_group(ingrid, project, GroupKind.STEERING_GROUP)
    with app.app_context():
        groups = {g.name: g for g in db.session.scalars(
            select(ProjectGroup).where(ProjectGroup.project_id == project.id))}
        steering = next(g for g in groups.values() if g.kind == GroupKind.STEERING_GROUP)
        supplier, training = groups["Leverandøraktivering"].id, groups["Opplæring"].id
        steering_id = steering.id
    milestones = {
        "plan": add_milestone(app, project.id, katrine.id, "Prosjektplan godkjent",
                              baseline_date=date(2013, 4, 22), actual_date=date(2013, 4, 22)),
        "sogndal": add_milestone(app, project.id, katrine.id, "Buyer-oppsett ferdig",
                                 organisation_id=sogndal.id, baseline_date=date(2013, 9, 1)),
        "luster": add_milestone(app, project.id, katrine.id, "Buyer-oppsett ferdig",
                                organisation_id=luster.id, baseline_date=date(2013, 9, 1),
                                forecast_date=date(2013, 9, 11)),
        "suppliers": add_milestone(app, project.id, katrine.id, "Leverandører aktivert",
                                   group_id=supplier, baseline_date=date(2013, 8, 15),
                                   forecast_date=date(2013, 9, 15)),
        "contract": add_milestone(app, project.id, katrine.id, "Driftsavtale signert",
                                  responsible_person_id=siri_member.person_id,
                                  baseline_date=date(2013, 5, 15)),
    }
    return Plan(project=project.id, sogndal=sogndal.id, luster=luster.id,
                leikanger=leikanger.id, supplier_group=supplier, training_group=training,
                steering_group=steering_id, siri=siri_member.person_id,
                katrine_user=katrine.id, kari_user=kari.id, milestones=milestones)


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


# ---- reading the database and the pages ---------------------------------------------------


def stored(app, milestone_id: int) -> Milestone | None:
    with app.app_context():
        found = db.session.get(Milestone, milestone_id)
        if found is not None:
            db.session.expunge(found)
        return found


def count(app, model, **where) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return db.session.scalar(stmt)


def date_changes(app, milestone_id: int) -> list[tuple]:
    """(reported on, who, baseline, forecast, actual) for each recorded change, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            select(MilestoneDateChange.reported_on, User.username,
                   MilestoneDateChange.baseline_date, MilestoneDateChange.forecast_date,
                   MilestoneDateChange.actual_date)
            .outerjoin(User, User.id == MilestoneDateChange.changed_by_id)
            .where(MilestoneDateChange.milestone_id == milestone_id)
            .order_by(MilestoneDateChange.id)).all()
        return [tuple(row) for row in rows]


def snapshot(app) -> list[tuple]:
    """Everything about every milestone and its history: to show nothing was saved."""
    with app.app_context():
        milestones = db.session.execute(
            select(Milestone.id, Milestone.title, Milestone.organisation_id, Milestone.group_id,
                   Milestone.baseline_date, Milestone.forecast_date, Milestone.actual_date,
                   Milestone.comment, Milestone.version_id).order_by(Milestone.id)).all()
        changes = db.session.scalar(select(func.count()).select_from(MilestoneDateChange))
        return [tuple(m) for m in milestones] + [("changes", changes)]


def row_of(page: str, milestone_id: int) -> str:
    match = re.search(rf'<tr id="milestone-{milestone_id}"[^>]*>.*?</tr>', page, re.S)
    assert match, f"no row for milestone {milestone_id}"
    return match.group(0)


def status_word(markup: str) -> str:
    match = re.search(r'<span class="status status--[a-z_]+"><span[^>]*>[^<]*</span> ([^<]+)'
                      r"</span>", markup)
    assert match, "no status shown"
    return match.group(1)


def progress_path(milestone_id: int) -> str:
    return f"{BASE}/milepaler/{milestone_id}/oppdater"


def progress_data(milestone_id: int, version, **fields) -> dict:
    prefix = f"m{milestone_id}-"
    return {
        prefix + "forecast_date": fields.get("forecast_date", ""),
        prefix + "actual_date": fields.get("actual_date", ""),
        prefix + "comment": fields.get("comment", ""),
        prefix + "version_id": str(version),
    }


def current_version(browser, milestone_id: int) -> str:
    """The version in the inline form, as a browser would have it."""
    response = browser.htmx("GET", progress_path(milestone_id))
    assert response.status_code == 200
    value = input_value(text(response), f"m{milestone_id}-version_id")
    assert value, "no version in the inline form"
    return value


def milestone_data(**overrides) -> dict:
    data = {
        "title": "Plattformabonnement fra 1. september", "description": "Avtalen er signert",
        "responsible_person_id": "", "organisation_id": "", "group_id": "",
        "decision_point": "", "baseline_date": "2013-09-01", "forecast_date": "2013-09-01",
        "actual_date": "", "comment": "",
    }
    data.update(overrides)
    return data


# ---- creating -----------------------------------------------------------------------------


def test_leader_creates_a_milestone_and_its_first_dates_are_recorded(app, world, katrine):
    assert katrine.get(f"{BASE}/milepaler/ny").status_code == 200
    response = katrine.post(f"{BASE}/milepaler/ny", milestone_data(
        organisation_id=str(world.luster), group_id=str(world.supplier_group),
        responsible_person_id=str(world.siri), decision_point="bp3",
        forecast_date="2013-09-10", comment="Avventer anbud"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/milepaler"
    with app.app_context():
        created = db.session.scalar(select(Milestone).where(
            Milestone.title == "Plattformabonnement fra 1. september"))
        assert (created.organisation_id, created.group_id, created.responsible_person_id) == (
            world.luster, world.supplier_group, world.siri)
        assert created.decision_point.name == "BP3"
        assert (created.baseline_date, created.forecast_date, created.actual_date) == (
            date(2013, 9, 1), date(2013, 9, 10), None)
        assert (created.description, created.comment) == ("Avtalen er signert", "Avventer anbud")
        new_id = created.id
    assert date_changes(app, new_id) == [
        (TODAY, "katrine", date(2013, 9, 1), date(2013, 9, 10), None)]

    page = text(katrine.get(f"{BASE}/milepaler"))
    assert "Milepælen er opprettet." in page
    row = row_of(page, new_id)
    assert "Plattformabonnement fra 1. september" in row and "Luster kommune" in row
    assert "Siri Fosse" in row and "Leverandøraktivering" in row
    assert "01.09.2013" in row and "10.09.2013" in row
    assert "9 dager etter grunnlinjen" in row
    assert status_word(row) == "I faresonen"


def test_an_empty_forecast_starts_at_the_baseline(app, world, katrine):
    katrine.post(f"{BASE}/milepaler/ny", milestone_data(forecast_date=""))
    with app.app_context():
        created = db.session.scalar(select(Milestone).where(
            Milestone.title == "Plattformabonnement fra 1. september"))
        assert created.forecast_date == date(2013, 9, 1)


def test_one_milestone_for_every_participant(app, world, katrine):
    response = katrine.post(f"{BASE}/milepaler/ny", milestone_data(
        title="Kontaktperson utpekt", for_every_participant="y"))
    assert response.status_code == 303
    with app.app_context():
        copies = db.session.scalars(select(Milestone).where(
            Milestone.title == "Kontaktperson utpekt").order_by(Milestone.id)).all()
        assert sorted(m.organisation_id for m in copies) == sorted([world.sogndal, world.luster])
        assert {m.series_id for m in copies} == {copies[0].id}
        ids = [m.id for m in copies]
    for milestone_id in ids:  # each tracked on its own
        assert len(date_changes(app, milestone_id)) == 1
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert "Milepælen er opprettet for 2 organisasjoner." in page
    assert "Sogndal kommune" in row_of(page, ids[0]) + row_of(page, ids[1])
    assert "Luster kommune" in row_of(page, ids[0]) + row_of(page, ids[1])
    # Updating one copy leaves the other as it was.
    version = current_version(katrine, ids[0])
    assert katrine.htmx("POST", progress_path(ids[0]), progress_data(
        ids[0], version, forecast_date="2013-09-20")).status_code == 200
    assert stored(app, ids[0]).forecast_date == date(2013, 9, 20)
    assert stored(app, ids[1]).forecast_date == date(2013, 9, 1)


def test_one_per_participant_needs_participants(app, make_project, make_org, admin_client,
                                                today):
    project = make_project(code="ALENE", owners=[make_org()], participants=[])
    response = admin_client.post("/prosjekter/ALENE/milepaler/ny", milestone_data(
        for_every_participant="y"))
    assert response.status_code == 422
    assert field_error(text(response), "for_every_participant") == (
        "Prosjektet har ingen deltakende organisasjoner ennå.")
    assert count(app, Milestone, project_id=project.id) == 0


@pytest.mark.parametrize("case", [
    "title missing", "organisation not a participant", "group not a work group",
    "steering group as work group", "actual date in the future", "invalid date",
])
def test_bad_milestone_is_refused_with_422_and_nothing_saved(app, world, katrine, case):
    data, field, message = {
        "title missing": ({"title": "  "}, "title", "Dette feltet må fylles ut."),
        "organisation not a participant": ({"organisation_id": str(world.leikanger)},
                                           "organisation_id", "Ugyldig valg."),
        "group not a work group": ({"group_id": "999999"}, "group_id", "Ugyldig valg."),
        "steering group as work group": ({"group_id": str(world.steering_group)}, "group_id",
                                         "Ugyldig valg."),
        "actual date in the future": ({"actual_date": "2013-06-04"}, "actual_date",
                                      "Faktisk dato kan ikke være fram i tid."),
        "invalid date": ({"baseline_date": "2013-02-30"}, "baseline_date",
                         "Skriv en gyldig dato, for eksempel 22.04.2013."),
    }[case]
    before = snapshot(app)
    response = katrine.post(f"{BASE}/milepaler/ny", milestone_data(**data))
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert snapshot(app) == before


def test_the_plan_rules_refuse_links_outside_the_project(app, world):
    """What the form's choices keep out, the service refuses too (a message for each)."""
    from governance.errors import RuleViolation

    def attempt(**fields):
        with app.app_context():
            project = db.session.get(Project, world.project)
            data = plan.MilestoneInput(
                title=fields.pop("title", "Milepæl"), description="",
                responsible_person_id=None, organisation_id=fields.pop("organisation_id", None),
                group_id=fields.pop("group_id", None), decision_point=None,
                baseline_date=None, forecast_date=None, actual_date=None, comment="")
            with pytest.raises(RuleViolation) as refused:
                plan.create_milestone(db.session, None, project, data, today=TODAY)
            db.session.rollback()
            return refused.value.message, refused.value.field

    assert attempt(title=" ") == ("Skriv en tittel på milepælen.", "title")
    assert attempt(organisation_id=world.leikanger) == (
        "Velg en av prosjektets deltakende organisasjoner.", "organisation_id")
    assert attempt(group_id=world.steering_group) == (
        "Velg en av prosjektets arbeidsgrupper.", "group_id")
    assert count(app, Milestone) == len(world.milestones)


def test_only_the_leader_creates_edits_deletes_and_sets_the_baseline(app, world, kari):
    sogndal = world.milestones["sogndal"]
    before = snapshot(app)
    assert kari.get(f"{BASE}/milepaler/ny").status_code == 403
    assert kari.post(f"{BASE}/milepaler/ny", milestone_data()).status_code == 403
    assert kari.get(f"{BASE}/milepaler/{sogndal}/rediger").status_code == 403
    assert kari.post(f"{BASE}/milepaler/{sogndal}/rediger",
                     milestone_data(version_id="1")).status_code == 403
    assert kari.post(f"{BASE}/milepaler/{sogndal}/slett").status_code == 403
    assert kari.post(f"{BASE}/milepaler/grunnlinje").status_code == 403
    assert snapshot(app) == before
    page = text(kari.get(f"{BASE}/milepaler"))
    assert "Ny milepæl" not in page and "Sett grunnlinje" not in page


# ---- the leader's full edit ----------------------------------------------------------------


def test_leader_edits_every_field_and_the_date_change_is_kept(app, world, katrine, today):
    contract = world.milestones["contract"]
    page = text(katrine.get(f"{BASE}/milepaler/{contract}/rediger"))
    assert input_value(page, "title") == "Driftsavtale signert"
    version = input_value(page, "version_id")
    today(date(2013, 6, 10))
    response = katrine.post(f"{BASE}/milepaler/{contract}/rediger", milestone_data(
        title="Driftsavtale med leverandør signert", organisation_id=str(world.sogndal),
        baseline_date="2013-05-15", forecast_date="2013-06-20", comment="Forhandlinger pågår",
        version_id=version))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/milepaler/{contract}"
    saved = stored(app, contract)
    assert (saved.title, saved.organisation_id, saved.forecast_date, saved.comment) == (
        "Driftsavtale med leverandør signert", world.sogndal, date(2013, 6, 20),
        "Forhandlinger pågår")
    assert saved.responsible_person_id is None
    assert date_changes(app, contract)[-1] == (
        date(2013, 6, 10), "katrine", date(2013, 5, 15), date(2013, 6, 20), None)
    detail = text(katrine.get(f"{BASE}/milepaler/{contract}"))
    assert "Milepælen er lagret." in detail
    assert "Forhandlinger pågår" in detail and "36 dager" in detail


def test_an_edit_that_leaves_the_dates_adds_no_date_change(app, world, katrine):
    plan_id = world.milestones["plan"]
    version = input_value(text(katrine.get(f"{BASE}/milepaler/{plan_id}/rediger")),
                          "version_id")
    response = katrine.post(f"{BASE}/milepaler/{plan_id}/rediger", milestone_data(
        title="Prosjektplan godkjent i styringsgruppen", baseline_date="2013-04-22",
        forecast_date="2013-04-22", actual_date="2013-04-22", version_id=version))
    assert response.status_code == 303
    assert stored(app, plan_id).title == "Prosjektplan godkjent i styringsgruppen"
    assert len(date_changes(app, plan_id)) == 1


def test_a_stale_full_edit_gets_409_with_the_current_values(app, world, katrine, kari):
    sogndal = world.milestones["sogndal"]
    page = text(katrine.get(f"{BASE}/milepaler/{sogndal}/rediger"))
    version = input_value(page, "version_id")
    # Kari reports progress in the meantime.
    assert kari.htmx("POST", progress_path(sogndal), progress_data(
        sogndal, current_version(kari, sogndal), forecast_date="2013-09-05",
        comment="Venter på opplæring")).status_code == 200
    after_kari = snapshot(app)
    response = katrine.post(f"{BASE}/milepaler/{sogndal}/rediger", milestone_data(
        title="Overskrevet", organisation_id=str(world.sogndal), baseline_date="2013-09-01",
        forecast_date="2013-10-01", comment="Katrines versjon", version_id=version))
    assert response.status_code == 409
    body = text(response)
    assert "Noen andre lagret denne milepælen i mellomtiden" in body
    assert input_value(body, "title") == "Buyer-oppsett ferdig"
    assert input_value(body, "forecast_date") == "2013-09-05"
    assert input_value(body, "comment") == "Venter på opplæring"
    assert input_value(body, "version_id") != version
    assert snapshot(app) == after_kari


def test_bad_full_edit_is_refused_and_nothing_saved(app, world, katrine):
    luster = world.milestones["luster"]
    version = input_value(text(katrine.get(f"{BASE}/milepaler/{luster}/rediger")),
                          "version_id")
    before = snapshot(app)
    for data, field, message in [
        ({"title": ""}, "title", "Dette feltet må fylles ut."),
        ({"actual_date": "2013-06-04"}, "actual_date", "Faktisk dato kan ikke være fram i tid."),
        ({"forecast_date": "i morgen"}, "forecast_date",
         "Skriv en gyldig dato, for eksempel 22.04.2013."),
        ({"organisation_id": str(world.leikanger)}, "organisation_id", "Ugyldig valg."),
    ]:
        response = katrine.post(f"{BASE}/milepaler/{luster}/rediger",
                                milestone_data(version_id=version, **data))
        assert response.status_code == 422, data
        assert field_error(text(response), field) == message
    assert snapshot(app) == before


# ---- the inline progress update ------------------------------------------------------------


def test_inline_update_swaps_the_row_and_updates_summary_out_of_band(app, world, katrine):
    suppliers = world.milestones["suppliers"]
    edit = katrine.htmx("GET", progress_path(suppliers))
    assert edit.status_code == 200
    assert text(edit).lstrip().startswith(f'<tr id="milestone-{suppliers}" class="editing">')
    assert "<html" not in text(edit)
    assert input_value(text(edit), f"m{suppliers}-forecast_date") == "2013-09-15"
    version = input_value(text(edit), f"m{suppliers}-version_id")

    response = katrine.htmx("POST", progress_path(suppliers), progress_data(
        suppliers, version, forecast_date="2013-08-20", comment="Nesten i rute"))
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "milestones-changed"
    assert "HX-Request" in response.headers["Vary"]
    body = text(response)
    assert "<html" not in body
    assert body.lstrip().startswith(f'<tr id="milestone-{suppliers}">')
    row = row_of(body, suppliers)
    assert "20.08.2013" in row and "Nesten i rute" in row
    assert status_word(row) == "I faresonen"
    assert "Lagret: Leverandører aktivert. Status: I faresonen." in row
    summary = re.search(r'<section id="milestone-summary"[^>]*>.*?</section>', body, re.S)
    assert summary and 'hx-swap-oob="true"' in summary.group(0)
    # Done 1, on track 1, at risk 2 (Luster and this one), late 1 (the contract).
    counts = re.findall(r"</span> ([^<]+)</span> <strong>(\d+)</strong>", summary.group(0))
    assert dict(counts) == {"Fullført": "1", "I rute": "1", "I faresonen": "2",
                            "Forsinket": "1"}
    # The charts are not in the answer: they fetch themselves on the event it sends.
    assert 'id="plan-charts"' not in body
    page = text(katrine.get(f"{BASE}/milepaler"))
    charts = re.search(r'<section id="plan-charts"[^>]*>', page).group(0)
    assert 'hx-trigger="milestones-changed from:body"' in charts
    assert f'hx-get="{BASE}/milepaler/diagrammer"' in charts

    saved = stored(app, suppliers)
    assert (saved.forecast_date, saved.comment) == (date(2013, 8, 20), "Nesten i rute")
    assert date_changes(app, suppliers)[-1] == (
        TODAY, "katrine", date(2013, 8, 15), date(2013, 8, 20), None)


def test_the_charts_fragment_shows_the_saved_dates(world, katrine):
    suppliers = world.milestones["suppliers"]
    before = text(katrine.htmx("GET", f"{BASE}/milepaler/diagrammer"))
    assert "20.08.2013" not in before
    version = input_value(text(katrine.htmx("GET", progress_path(suppliers))),
                          f"m{suppliers}-version_id")
    saved = katrine.htmx("POST", progress_path(suppliers), progress_data(
        suppliers, version, forecast_date="2013-08-20", comment=""))
    assert saved.status_code == 200

    response = katrine.htmx("GET", f"{BASE}/milepaler/diagrammer")
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    body = text(response)
    assert body.lstrip().startswith('<section id="plan-charts"')
    assert "<html" not in body
    assert 'id="trend-chart"' in body and 'id="timeline-chart"' in body
    # The timeline's table has the milestone on its new date, and the MTA table today's report.
    timeline_row = re.search(r"<tr><th scope=\"row\">Leverandører aktivert</th>.*?</tr>",
                             body, re.S).group(0)
    assert "20.08.2013" in timeline_row and "I faresonen" in timeline_row
    plain = katrine.get(f"{BASE}/milepaler/diagrammer")
    assert plain.status_code == 303
    assert plain.headers["Location"] == f"{BASE}/milepaler"


def test_cancelling_an_inline_edit_gives_the_row_back(world, katrine):
    suppliers = world.milestones["suppliers"]
    response = katrine.htmx("GET", f"{BASE}/milepaler/{suppliers}/rad")
    assert response.status_code == 200
    assert text(response).lstrip().startswith(f'<tr id="milestone-{suppliers}">')
    plain = katrine.get(f"{BASE}/milepaler/{suppliers}/rad")
    assert plain.status_code == 303
    assert plain.headers["Location"] == f"{BASE}/milepaler"


def test_plain_post_redirects_303_with_a_message(app, world, katrine):
    sogndal = world.milestones["sogndal"]
    form = text(katrine.get(progress_path(sogndal)))
    assert "<html" in form
    version = input_value(form, f"m{sogndal}-version_id")
    response = katrine.post(progress_path(sogndal), progress_data(
        sogndal, version, forecast_date="2013-09-01", actual_date="2013-06-03",
        comment="Ferdig før tiden"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/milepaler"
    assert stored(app, sogndal).actual_date == TODAY
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert "Milepælen «Buyer-oppsett ferdig» er oppdatert." in page
    assert status_word(row_of(page, sogndal)) == "Fullført"


def test_comment_only_update_adds_no_date_change(app, world, katrine):
    sogndal = world.milestones["sogndal"]
    response = katrine.htmx("POST", progress_path(sogndal), progress_data(
        sogndal, current_version(katrine, sogndal), forecast_date="2013-09-01",
        comment="Bare en kommentar"))
    assert response.status_code == 200
    assert stored(app, sogndal).comment == "Bare en kommentar"
    assert len(date_changes(app, sogndal)) == 1


@pytest.mark.parametrize("who, key, allowed", [
    ("kari", "sogndal", True),  # her own organisation's
    ("kari", "luster", False),
    ("kari", "plan", False),  # the whole project's
    ("per", "suppliers", True),  # his work group's
    ("per", "sogndal", False),
    ("siri", "contract", True),  # she is responsible
    ("siri", "suppliers", False),
    ("ingrid", "sogndal", False),  # the steering group reads
])
def test_who_may_update_a_milestone(app, world, make_client, who, key, allowed):
    browser = signed_in(make_client, who)
    milestone_id = world.milestones[key]
    before = snapshot(app)
    page = text(browser.get(f"{BASE}/milepaler"))
    link = f'href="{progress_path(milestone_id)}"'
    assert (link in row_of(page, milestone_id)) == allowed
    data = progress_data(milestone_id, stored(app, milestone_id).version_id,
                         forecast_date="2013-12-01", comment=f"Oppdatert av {who}")
    if not allowed:
        assert browser.get(progress_path(milestone_id)).status_code == 403
        assert browser.htmx("GET", progress_path(milestone_id)).status_code == 403
        assert browser.post(progress_path(milestone_id), data).status_code == 403
        assert browser.htmx("POST", progress_path(milestone_id), data).status_code == 403
        assert snapshot(app) == before
        return
    response = browser.htmx("POST", progress_path(milestone_id), data)
    assert response.status_code == 200
    saved = stored(app, milestone_id)
    assert (saved.forecast_date, saved.comment) == (date(2013, 12, 1), f"Oppdatert av {who}")
    assert date_changes(app, milestone_id)[-1][:2] == (TODAY, who)
    # Reporting is not editing: the full form stays the leader's.
    assert browser.get(f"{BASE}/milepaler/{milestone_id}/rediger").status_code == 403


def test_second_of_two_inline_saves_gets_409_with_current_values(app, world, katrine, kari):
    sogndal = world.milestones["sogndal"]
    kari_version = current_version(kari, sogndal)
    katrine_version = current_version(katrine, sogndal)
    assert kari_version == katrine_version
    first = kari.htmx("POST", progress_path(sogndal), progress_data(
        sogndal, kari_version, forecast_date="2013-09-08", comment="Kari: en uke senere"))
    assert first.status_code == 200
    after_first = snapshot(app)

    second = katrine.htmx("POST", progress_path(sogndal), progress_data(
        sogndal, katrine_version, forecast_date="2013-10-15", comment="Katrine overskriver"))
    assert second.status_code == 409
    assert "milestones-changed" not in second.headers.get("HX-Trigger", "")
    body = text(second)
    assert body.lstrip().startswith(f'<tr id="milestone-{sogndal}" class="editing">')
    assert "Noen andre lagret denne milepælen i mellomtiden" in body
    assert input_value(body, f"m{sogndal}-forecast_date") == "2013-09-08"
    assert input_value(body, f"m{sogndal}-comment") == "Kari: en uke senere"
    assert "Katrine overskriver" not in html_lib.unescape(body)
    assert input_value(body, f"m{sogndal}-version_id") != katrine_version
    assert snapshot(app) == after_first

    # Without JavaScript: the same refusal on the page of its own.
    plain = katrine.post(progress_path(sogndal), progress_data(
        sogndal, katrine_version, forecast_date="2013-10-15", comment="Katrine overskriver"))
    assert plain.status_code == 409
    assert "Noen andre lagret denne milepælen i mellomtiden" in text(plain)
    assert input_value(text(plain), f"m{sogndal}-comment") == "Kari: en uke senere"
    assert snapshot(app) == after_first


def test_a_missing_or_garbled_version_is_a_conflict_not_an_overwrite(app, world, katrine):
    sogndal = world.milestones["sogndal"]
    before = snapshot(app)
    for version in ("", "abc", "99999999999999999999"):
        response = katrine.htmx("POST", progress_path(sogndal), progress_data(
            sogndal, version, forecast_date="2013-12-24", comment="Uten versjon"))
        assert response.status_code == 409, version
    assert snapshot(app) == before


@pytest.mark.parametrize("key, fields, field, message", [
    ("sogndal", {"forecast_date": "2013-09-01", "actual_date": "2013-06-04"}, "actual_date",
     "Faktisk dato kan ikke være fram i tid."),
    ("sogndal", {"forecast_date": "2013-09-15", "actual_date": "2013-06-01"}, "forecast_date",
     "En milepæl med faktisk dato er nådd og har ingen prognose å endre. Fjern faktisk dato "
     "hvis den ikke er nådd likevel."),
    ("plan", {"forecast_date": "2013-05-01", "actual_date": "2013-04-22"}, "forecast_date",
     "En milepæl med faktisk dato er nådd og har ingen prognose å endre. Fjern faktisk dato "
     "hvis den ikke er nådd likevel."),
    ("sogndal", {"forecast_date": "2013-13-01"}, "forecast_date",
     "Skriv en gyldig dato, for eksempel 22.04.2013."),
    ("sogndal", {"forecast_date": "2013-09-01", "actual_date": "1. juni"}, "actual_date",
     "Skriv en gyldig dato, for eksempel 22.04.2013."),
    ("sogndal", {"forecast_date": ""}, "forecast_date",
     "Skriv en prognosedato, eller faktisk dato når den er nådd."),
], ids=["actual in the future", "forecast changed with actual", "forecast on a done one",
        "invalid forecast", "invalid actual", "no dates left"])
def test_bad_progress_is_refused_with_422_and_nothing_saved(app, world, katrine, key, fields,
                                                           field, message):
    milestone_id = world.milestones[key]
    version = current_version(katrine, milestone_id)
    before = snapshot(app)
    response = katrine.htmx("POST", progress_path(milestone_id),
                            progress_data(milestone_id, version, comment="Halvveis", **fields))
    assert response.status_code == 422
    assert "milestones-changed" not in response.headers.get("HX-Trigger", "")
    body = text(response)
    assert body.lstrip().startswith(f'<tr id="milestone-{milestone_id}" class="editing">')
    assert field_error(body, f"m{milestone_id}-{field}") == message
    assert snapshot(app) == before
    # The same without JavaScript.
    plain = katrine.post(progress_path(milestone_id),
                         progress_data(milestone_id, version, comment="Halvveis", **fields))
    assert plain.status_code == 422
    assert field_error(text(plain), f"m{milestone_id}-{field}") == message
    assert snapshot(app) == before


def test_clearing_the_actual_date_reopens_a_milestone(app, world, katrine):
    plan_id = world.milestones["plan"]
    response = katrine.htmx("POST", progress_path(plan_id), progress_data(
        plan_id, current_version(katrine, plan_id), forecast_date="2013-06-20"))
    assert response.status_code == 200
    saved = stored(app, plan_id)
    assert (saved.forecast_date, saved.actual_date) == (date(2013, 6, 20), None)
    # 58 days after its baseline of 22.04.2013: late, and counted so.
    assert status_word(row_of(text(response), plan_id)) == "Forsinket"


# ---- slippage history ----------------------------------------------------------------------


def test_every_date_change_is_shown_with_who_and_when(app, world, katrine, kari, today):
    sogndal = world.milestones["sogndal"]
    today(date(2013, 6, 10))
    assert kari.htmx("POST", progress_path(sogndal), progress_data(
        sogndal, current_version(kari, sogndal), forecast_date="2013-09-12")).status_code == 200
    today(date(2013, 7, 1))
    assert katrine.htmx("POST", progress_path(sogndal), progress_data(
        sogndal, current_version(katrine, sogndal),
        forecast_date="2013-10-01")).status_code == 200
    assert date_changes(app, sogndal) == [
        (TODAY, "katrine", date(2013, 9, 1), date(2013, 9, 1), None),
        (date(2013, 6, 10), "kari", date(2013, 9, 1), date(2013, 9, 12), None),
        (date(2013, 7, 1), "katrine", date(2013, 9, 1), date(2013, 10, 1), None),
    ]
    page = text(kari.get(f"{BASE}/milepaler/{sogndal}"))
    table = re.search(r'<caption[^>]*id="changes-caption".*?</tbody>', page, re.S).group(0)
    rows = [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", r)
            for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)][1:]
    assert rows == [  # newest first
        ["01.07.2013", "Katrine Wilson", "01.09.2013", "01.10.2013", ""],
        ["10.06.2013", "Kari Bø", "01.09.2013", "12.09.2013", ""],
        ["03.06.2013", "Katrine Wilson", "01.09.2013", "01.09.2013", ""],
    ]
    assert "30 dager" in page  # 01.10 is 30 days after the baseline


def test_milestone_page_of_another_project_is_404(app, world, katrine, make_project):
    other = make_project(code="ANNET")
    foreign = add_milestone(app, other.id, None, "Fremmed milepæl",
                            baseline_date=date(2013, 9, 1))
    assert katrine.get(f"{BASE}/milepaler/{foreign}").status_code == 404
    assert katrine.htmx("POST", progress_path(foreign), progress_data(
        foreign, 1, forecast_date="2013-10-01")).status_code == 404
    assert katrine.post(f"{BASE}/milepaler/{foreign}/slett").status_code == 404
    assert stored(app, foreign).forecast_date == date(2013, 9, 1)


# ---- derived status ------------------------------------------------------------------------


def test_status_words_follow_the_dates_and_the_projects_tolerance(app, world, katrine):
    page = text(katrine.get(f"{BASE}/milepaler"))
    words = {key: status_word(row_of(page, mid)) for key, mid in world.milestones.items()}
    assert words == {
        "plan": "Fullført",
        "sogndal": "I rute",
        "luster": "I faresonen",  # 10 days after the baseline, tolerance 14
        "suppliers": "Forsinket",  # 31 days after the baseline
        "contract": "Forsinket",  # past due and not done
    }
    assert "mer enn 14 dager etter grunnlinjen" in page
    with app.app_context():
        db.session.get(Project, world.project).time_tolerance_days = 5
        db.session.commit()
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert status_word(row_of(page, world.milestones["luster"])) == "Forsinket"
    with app.app_context():
        db.session.get(Project, world.project).time_tolerance_days = 45
        db.session.commit()
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert status_word(row_of(page, world.milestones["suppliers"])) == "I faresonen"
    assert status_word(row_of(page, world.milestones["contract"])) == "Forsinket"
    detail = text(katrine.get(f"{BASE}/milepaler/{world.milestones['suppliers']}"))
    assert status_word(detail) == "I faresonen"


def test_the_leader_sets_the_tolerance_on_the_project_form(app, world, katrine):
    form = text(katrine.get(f"/prosjekter/{CODE}/rediger"))
    assert input_value(form, "time_tolerance_days") == "14"
    response = katrine.post(f"/prosjekter/{CODE}/rediger", {
        "name": "eHandel i Sogn", "code": CODE, "purpose": "Et formål", "description": "",
        "status": "active", "start_date": "2013-04-12", "end_date": "2015-12-31",
        "owner_ids": [str(world.sogndal)],
        "participant_ids": [str(world.sogndal), str(world.luster)], "programme_id": "",
        "time_tolerance_days": "7", "version_id": input_value(form, "version_id")})
    assert response.status_code == 303
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert "mer enn 7 dager etter grunnlinjen" in page
    assert status_word(row_of(page, world.milestones["luster"])) == "Forsinket"


def test_the_project_page_sums_up_the_milestones(world, katrine):
    page = text(katrine.get(f"/prosjekter/{CODE}"))
    assert "Fullført: 1, I rute: 1, I faresonen: 1, Forsinket: 2" in page


# ---- baseline and deleting -----------------------------------------------------------------


def test_setting_the_baseline_copies_forecasts_of_open_milestones(app, world, katrine):
    response = katrine.post(f"{BASE}/milepaler/grunnlinje")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/milepaler"
    baselines = {key: stored(app, mid).baseline_date for key, mid in world.milestones.items()}
    assert baselines == {
        "plan": date(2013, 4, 22),  # done: kept
        "sogndal": date(2013, 9, 1),
        "luster": date(2013, 9, 11),
        "suppliers": date(2013, 9, 15),
        "contract": date(2013, 5, 15),
    }
    assert date_changes(app, world.milestones["luster"])[-1] == (
        TODAY, "katrine", date(2013, 9, 11), date(2013, 9, 11), None)
    assert len(date_changes(app, world.milestones["sogndal"])) == 1  # unchanged: no entry
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert "Grunnlinjen er satt for 2 milepæler." in page
    assert status_word(row_of(page, world.milestones["luster"])) == "I rute"
    assert status_word(row_of(page, world.milestones["suppliers"])) == "I rute"


def test_leader_deletes_a_milestone(app, world, katrine):
    luster = world.milestones["luster"]
    response = katrine.post(f"{BASE}/milepaler/{luster}/slett")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/milepaler"
    assert stored(app, luster) is None
    # In the wastebasket, with its date history, until restored.
    assert count(app, MilestoneDateChange, milestone_id=luster) == 1
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert "Milepælen «Buyer-oppsett ferdig» er flyttet til papirkurven." in page
    assert f'id="milestone-{luster}"' not in page
    assert katrine.get(f"{BASE}/milepaler/{luster}").status_code == 404


def test_a_municipal_lead_may_not_delete_even_her_own_milestone(app, world, kari):
    sogndal = world.milestones["sogndal"]
    assert kari.post(f"{BASE}/milepaler/{sogndal}/slett").status_code == 403
    assert stored(app, sogndal) is not None


# ---- filters -------------------------------------------------------------------------------


def shown_ids(markup: str) -> set[int]:
    return {int(i) for i in re.findall(r'<tr id="milestone-(\d+)"', markup)}


def test_filter_by_status_and_organisation(world, katrine):
    ids = world.milestones
    late = text(katrine.get(f"{BASE}/milepaler?status=late"))
    assert shown_ids(late) == {ids["suppliers"], ids["contract"]}
    assert "2 milepæler vises" in late
    assert re.search(r'<option value="late" selected>', late)
    luster = text(katrine.get(f"{BASE}/milepaler?organisasjon={world.luster}"))
    assert shown_ids(luster) == {ids["luster"]}
    assert "1 milepæl vises" in luster
    both = text(katrine.get(f"{BASE}/milepaler?status=on_track&organisasjon={world.luster}"))
    assert shown_ids(both) == set()
    assert "Ingen milepæler passer med utvalget." in both
    # The summary counts the whole plan whatever the filter.
    assert "<strong>2</strong>" in re.search(
        r'<section id="milestone-summary".*?</section>', luster, re.S).group(0)


def test_htmx_filter_returns_only_the_results(world, katrine):
    response = katrine.htmx("GET", f"{BASE}/milepaler", {"status": "done"})
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith('<section id="milestone-results"')
    assert "<html" not in body
    assert shown_ids(body) == {world.milestones["plan"]}
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("query", ["status=ukjent", "organisasjon=abc",
                                   "organisasjon=99999999999999999999", "status=%00"])
def test_odd_filter_values_show_everything(world, katrine, query):
    response = katrine.get(f"{BASE}/milepaler?{query}")
    assert response.status_code == 200
    if "status" in query:
        assert shown_ids(text(response)) == set(world.milestones.values())


# ---- trend analysis and timeline tables ----------------------------------------------------


def table_after(page: str, label: str) -> str:
    start = page.index(f'aria-label="{label}"')
    return page[start:page.index("</table>", start)]


def test_trend_table_lists_each_reported_date(app, world, katrine, today):
    luster = world.milestones["luster"]
    today(date(2013, 6, 17))
    katrine.htmx("POST", progress_path(luster), progress_data(
        luster, current_version(katrine, luster), forecast_date="2013-09-25"))
    today(date(2013, 7, 1))
    katrine.htmx("POST", progress_path(luster), progress_data(
        luster, current_version(katrine, luster), forecast_date="2013-10-09"))
    # Reported again the same day: the day's last report is the point.
    katrine.htmx("POST", progress_path(luster), progress_data(
        luster, current_version(katrine, luster), forecast_date="2013-10-02"))
    assert len(date_changes(app, luster)) == 4
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert 'id="trend-chart"' in page
    table = table_after(page, "Milepæltrendanalyse som tabell")
    group = re.search(r'<th scope="rowgroup" rowspan="3">Buyer-oppsett ferdig \(Luster kommune\)'
                      r"</th>(.*?)(<th scope=\"rowgroup\"|$)", table, re.S)
    assert group, "no rows for Luster's milestone"
    points = re.findall(r"<td>([\d.]+)</td><td>([\d.]+)</td>", group.group(1))
    assert points == [("03.06.2013", "11.09.2013"), ("17.06.2013", "25.09.2013"),
                      ("01.07.2013", "02.10.2013")]
    # The done milestone's point is its actual date.
    assert re.search(r"Prosjektplan godkjent</th><td>03.06.2013</td><td>22.04.2013</td>", table)


def test_timeline_table_lists_phases_milestones_and_today(world, katrine):
    page = text(katrine.get(f"{BASE}/milepaler"))
    table = table_after(page, "Tidslinjen som tabell")
    assert re.search(r'<th scope="row">Planlegge</th><td>Fase</td><td>12.04.2013</td>'
                     r"<td>pågår</td>", table)
    assert re.search(r'<th scope="row">Leverandører aktivert</th><td>Milepæl: Forsinket</td>'
                     r"<td>15.09.2013</td>", table)
    assert re.search(r'<th scope="row">I dag</th><td></td><td>03.06.2013</td>', table)


def test_empty_plan_has_no_trend_chart(app, make_project, admin_client, today):
    project = make_project(code="TOM")
    page = text(admin_client.get(f"/prosjekter/{project.code}/milepaler"))
    assert "Ingen milepæler ennå." in page
    assert "Trendanalysen vises når milepælene har datoer." in page
    assert "Sett grunnlinje" not in page


def test_dates_a_day_apart_are_not_confused(app, world, katrine):
    """A milestone due today is on track; yesterday is late."""
    due_today = add_milestone(app, world.project, world.katrine_user, "I dag",
                              baseline_date=TODAY)
    due_yesterday = add_milestone(app, world.project, world.katrine_user, "I går",
                                  baseline_date=TODAY - timedelta(days=1))
    page = text(katrine.get(f"{BASE}/milepaler"))
    assert status_word(row_of(page, due_today)) == "I rute"
    assert status_word(row_of(page, due_yesterday)) == "Forsinket"


def test_people_choices_on_the_form(world, katrine):
    page = text(katrine.get(f"{BASE}/milepaler/ny"))
    assert "Siri Fosse" in page and "Leverandøraktivering" in page
    # Only work groups may be chosen, only participants as organisation.
    group_select = re.search(r'<select[^>]*name="group_id".*?</select>', page, re.S).group(0)
    assert "Styringsgruppe" not in group_select
    org_select = re.search(r'<select[^>]*name="organisation_id".*?</select>', page,
                           re.S).group(0)
    assert "Luster kommune" in org_select and "Leikanger kommune" not in org_select
