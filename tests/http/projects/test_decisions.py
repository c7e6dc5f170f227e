"""Phases and checklists, the decision log, steering group meetings and the calendar feed,
over HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, update

from governance.extensions import db
from governance.projects import decisions as decision_service
from governance.projects import plan
from governance.projects.models import (
    AgendaItem,
    CalendarToken,
    Checkpoint,
    CheckpointStatus,
    Decision,
    DecisionBody,
    DecisionOutcome,
    DecisionPoint,
    Meeting,
    Phase,
    PhaseRecord,
    Project,
    ProjectStatus,
)
from governance.roles.models import GroupKind, ProjectRole, ProjectRoleKind, User
from tests.pages import field_error, input_value, text

TODAY = date(2013, 6, 3)
CODE = "EHANDEL"
BASE = f"/prosjekter/{CODE}"

PLANNING_MANDATORY = [
    "Interessentanalysen er gjort",
    "Usikkerheten er analysert og vurdert som akseptabel",
    "Gevinstrealiseringsplanen er avtalt med gevinstansvarlig",
    "Styringsdokumentet er signert",
]


@dataclass
class World:
    project: int
    sogndal: int
    luster: int
    kari_role: int
    katrine_user: int


@pytest.fixture
def world(app, monkeypatch, make_org, make_project, make_user, give_role,
          add_to_group) -> World:
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    project = make_project(code=CODE, name="eHandel i Sogn", owners=[sogndal],
                           participants=[sogndal, luster], phase=Phase.PLANNING,
                           start_date=date(2013, 4, 12))
    katrine = make_user(username="katrine", full_name="Katrine Wilson")
    ingrid = make_user(username="ingrid", full_name="Ingrid Hauge")
    olav = make_user(username="olav", full_name="Olav Eier")
    kari = make_user(username="kari", full_name="Kari Bø")
    give_role(katrine, project, ProjectRoleKind.PROJECT_LEADER)
    give_role(olav, project, ProjectRoleKind.PROJECT_OWNER, organisation=sogndal)
    kari_role = give_role(kari, project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    add_to_group(ingrid, project, GroupKind.STEERING_GROUP)
    return World(project=project.id, sogndal=sogndal.id, luster=luster.id,
                 kari_role=kari_role.id, katrine_user=katrine.id)


def signed_in(make_client, username: str):
    browser = make_client()
    assert browser.login(username).status_code == 303
    return browser


@pytest.fixture
def katrine(world, make_client):
    """The project leader."""
    return signed_in(make_client, "katrine")


@pytest.fixture
def ingrid(world, make_client):
    """A steering group member."""
    return signed_in(make_client, "ingrid")


@pytest.fixture
def kari(world, make_client):
    """Municipal project lead for Sogndal: reads, records no decisions."""
    return signed_in(make_client, "kari")


# ---- reading the database ------------------------------------------------------------------


def project_state(app, project_id: int) -> tuple:
    with app.app_context():
        project = db.session.get(Project, project_id)
        records = db.session.execute(
            select(PhaseRecord.phase, PhaseRecord.started_on, PhaseRecord.decision_id,
                   PhaseRecord.note)
            .where(PhaseRecord.project_id == project_id).order_by(PhaseRecord.id)).all()
        return project.phase, project.status, [tuple(r) for r in records]


def count(app, model, **where) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return db.session.scalar(stmt)


def checkpoints(app, project_id: int, phase: Phase) -> dict[str, int]:
    with app.app_context():
        return {c.text: c.id for c in db.session.scalars(
            select(Checkpoint).where(Checkpoint.project_id == project_id,
                                     Checkpoint.phase == phase))}


def checkpoint(app, checkpoint_id: int) -> Checkpoint | None:
    with app.app_context():
        found = db.session.get(Checkpoint, checkpoint_id)
        if found is not None:
            db.session.expunge(found)
        return found


def settle(app, project_id: int, phase: Phase, status=CheckpointStatus.DONE) -> None:
    """Mark every mandatory checkpoint of the phase as settled."""
    with app.app_context():
        db.session.execute(
            update(Checkpoint).where(Checkpoint.project_id == project_id,
                                     Checkpoint.phase == phase,
                                     Checkpoint.mandatory.is_(True)).values(status=status))
        db.session.commit()


def decisions_in(app, project_id: int) -> list[Decision]:
    with app.app_context():
        found = db.session.scalars(select(Decision).where(Decision.project_id == project_id)
                                   .order_by(Decision.id)).all()
        for decision in found:
            db.session.expunge(decision)
        return list(found)


def decision_data(**overrides) -> dict:
    data = {
        "decision_point": "", "title": "Godkjenning av prosjektplan",
        "decided_on": "2013-04-22", "body": "steering_group", "case_number": "sak 1/13",
        "outcome": "approved", "conditions": "", "text": "Prosjektplanen godkjennes.",
        "meeting_id": "",
    }
    data.update(overrides)
    return data


def bp3_data(**overrides) -> dict:
    return decision_data(**{"decision_point": "bp3", "title": "Styringsdokumentet",
                            "decided_on": "2013-06-03", "case_number": "sak 7/13",
                            "text": "Gjennomføringen kan starte.", **overrides})


def entry_of(page: str, decision_id: int) -> str:
    match = re.search(rf'<li id="vedtak-{decision_id}".*?</li>', page, re.S)
    assert match, f"decision {decision_id} is not in the log"
    return match.group(0)


# ---- phases and checklists -----------------------------------------------------------------


def test_phases_page_shows_the_phase_history_and_the_checklists(world, katrine):
    response = katrine.get(f"{BASE}/faser")
    assert response.status_code == 200
    page = text(response)
    assert "Prosjektet er i fasen <strong>Planlegge</strong>" in page
    assert "4 obligatoriske sjekkpunkter må avklares før fasen kan avsluttes." in page
    assert re.search(r'<th scope="row">Planlegge</th><td>12.04.2013</td><td>pågår</td>', page)
    for heading in ("Idé", "Konsept", "Planlegge (nåværende fase)", "Gjennomføre", "Avslutte",
                    "Realisere"):
        assert f">{heading}</h3>" in page, heading
    assert "Sjekkpunkter: 0 av 11 avklart" in page
    for item in PLANNING_MANDATORY:
        assert item in page
    assert f'action="{BASE}/faser/bytt"' in page
    # The phase change form suggests the next phase, from today.
    assert re.search(r'<option selected value="execution">|<option value="execution" selected>',
                     page)
    assert input_value(page, "started_on") == "2013-06-03"


def test_readers_see_the_checklists_without_forms(world, kari):
    page = text(kari.get(f"{BASE}/faser"))
    assert "Interessentanalysen er gjort" in page and "Åpent" in page
    assert f"{BASE}/faser/bytt" not in page
    assert f"{BASE}/faser/sjekkpunkt" not in page


def test_checklist_item_saved_with_htmx_swaps_only_that_item(app, world, katrine):
    item = checkpoints(app, world.project, Phase.PLANNING)["Interessentanalysen er gjort"]
    page = text(katrine.get(f"{BASE}/faser"))
    version = input_value(page, f"c{item}-version_id")
    response = katrine.htmx("POST", f"{BASE}/faser/sjekkpunkt/{item}", {
        f"c{item}-status": "done", f"c{item}-comment": "Gjort på oppstartsmøtet",
        f"c{item}-version_id": version})
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith(f'<li id="checkpoint-{item}"')
    assert body.count('<li id="checkpoint-') == 1
    assert "<html" not in body
    assert "Lagret: Utført." in body
    assert input_value(body, f"c{item}-comment") == "Gjort på oppstartsmøtet"
    saved = checkpoint(app, item)
    assert (saved.status, saved.comment) == (CheckpointStatus.DONE, "Gjort på oppstartsmøtet")
    assert "3 obligatoriske sjekkpunkter må avklares" in text(katrine.get(f"{BASE}/faser"))


def test_a_stale_checklist_item_gets_409_with_the_current_values(app, world, katrine,
                                                                 make_client):
    item = checkpoints(app, world.project, Phase.PLANNING)["Styringsdokumentet er signert"]
    deputy = signed_in(make_client, "katrine")  # the same leader in a second tab
    version = input_value(text(katrine.get(f"{BASE}/faser")), f"c{item}-version_id")
    assert deputy.htmx("POST", f"{BASE}/faser/sjekkpunkt/{item}", {
        f"c{item}-status": "not_relevant", f"c{item}-comment": "Erstattet av avtale",
        f"c{item}-version_id": version}).status_code == 200
    response = katrine.htmx("POST", f"{BASE}/faser/sjekkpunkt/{item}", {
        f"c{item}-status": "open", f"c{item}-comment": "Gammel fane",
        f"c{item}-version_id": version})
    assert response.status_code == 409
    body = text(response)
    assert body.lstrip().startswith(f'<li id="checkpoint-{item}"')
    assert "Noen andre lagret dette sjekkpunktet i mellomtiden" in body
    assert input_value(body, f"c{item}-comment") == "Erstattet av avtale"
    assert re.search(r'<option selected value="not_relevant">|'
                     r'<option value="not_relevant" selected>', body)
    saved = checkpoint(app, item)
    assert (saved.status, saved.comment) == (CheckpointStatus.NOT_RELEVANT,
                                             "Erstattet av avtale")


def test_checklist_item_without_javascript_redirects_and_bad_status_is_422(app, world,
                                                                           katrine):
    item = checkpoints(app, world.project, Phase.PLANNING)["Interessentanalysen er gjort"]
    response = katrine.post(f"{BASE}/faser/sjekkpunkt/{item}", {
        f"c{item}-status": "done", f"c{item}-comment": "", f"c{item}-version_id": "1"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/faser"
    assert "Sjekkpunktet er lagret." in text(katrine.get(f"{BASE}/faser"))
    refused = katrine.post(f"{BASE}/faser/sjekkpunkt/{item}", {
        f"c{item}-status": "kanskje", f"c{item}-comment": "", f"c{item}-version_id": "2"})
    assert refused.status_code == 422
    assert field_error(text(refused), f"c{item}-status") == "Ugyldig valg."
    assert checkpoint(app, item).status == CheckpointStatus.DONE


def test_leader_adds_and_deletes_checkpoints(app, world, katrine):
    response = katrine.post(f"{BASE}/faser/sjekkpunkt/ny", {
        "phase": "planning", "text": "Personvernkonsekvensene er vurdert", "mandatory": "y"})
    assert response.status_code == 303
    with app.app_context():
        added = db.session.scalar(select(Checkpoint).where(
            Checkpoint.text == "Personvernkonsekvensene er vurdert"))
        assert (added.phase, added.mandatory, added.status, added.position) == (
            Phase.PLANNING, True, CheckpointStatus.OPEN, 12)
        added_id = added.id
    page = text(katrine.get(f"{BASE}/faser"))
    assert "Sjekkpunktet er lagt til." in page
    assert "5 obligatoriske sjekkpunkter må avklares" in page

    refused = katrine.post(f"{BASE}/faser/sjekkpunkt/ny", {"phase": "planning", "text": " "})
    assert refused.status_code == 422
    assert field_error(text(refused), "text") == "Dette feltet må fylles ut."

    response = katrine.post(f"{BASE}/faser/sjekkpunkt/{added_id}/slett")
    assert response.status_code == 303
    assert checkpoint(app, added_id) is None
    assert "Sjekkpunktet er flyttet til papirkurven." in text(katrine.get(f"{BASE}/faser"))


def test_only_the_leader_changes_checklists_and_phases(app, world, ingrid, kari):
    item = checkpoints(app, world.project, Phase.PLANNING)["Interessentanalysen er gjort"]
    before = count(app, Checkpoint), project_state(app, world.project)
    for browser in (ingrid, kari):
        assert browser.post(f"{BASE}/faser/sjekkpunkt/{item}", {
            f"c{item}-status": "done", f"c{item}-version_id": "1"}).status_code == 403
        assert browser.post(f"{BASE}/faser/sjekkpunkt/ny", {
            "phase": "planning", "text": "Nytt"}).status_code == 403
        assert browser.post(f"{BASE}/faser/sjekkpunkt/{item}/slett").status_code == 403
        assert browser.post(f"{BASE}/faser/bytt", {
            "phase": "concept", "started_on": "2013-06-01"}).status_code == 403
    assert (count(app, Checkpoint), project_state(app, world.project)) == before
    assert checkpoint(app, item).status == CheckpointStatus.OPEN


def test_open_mandatory_checkpoints_block_the_phase_change_and_are_named(app, world, katrine):
    before = project_state(app, world.project)
    response = katrine.post(f"{BASE}/faser/bytt", {
        "phase": "execution", "started_on": "2013-06-03", "note": "Klar"})
    assert response.status_code == 422
    assert field_error(text(response), "phase") == (
        "Fasen kan ikke avsluttes før de obligatoriske sjekkpunktene er avklart. Åpne: "
        + "; ".join(PLANNING_MANDATORY) + ".")
    assert project_state(app, world.project) == before

    # One left open: only that one is named.
    settle(app, world.project, Phase.PLANNING)
    last = checkpoints(app, world.project, Phase.PLANNING)["Styringsdokumentet er signert"]
    with app.app_context():
        db.session.get(Checkpoint, last).status = CheckpointStatus.OPEN
        db.session.commit()
    response = katrine.post(f"{BASE}/faser/bytt", {
        "phase": "execution", "started_on": "2013-06-03"})
    assert response.status_code == 422
    assert field_error(text(response), "phase") == (
        "Fasen kan ikke avsluttes før de obligatoriske sjekkpunktene er avklart. Åpne: "
        "Styringsdokumentet er signert.")
    assert project_state(app, world.project) == before


def test_phase_change_when_the_checkpoints_are_settled(app, world, katrine):
    settle(app, world.project, Phase.PLANNING, CheckpointStatus.NOT_RELEVANT)
    response = katrine.post(f"{BASE}/faser/bytt", {
        "phase": "execution", "started_on": "2013-06-01", "note": "Vedtatt i e-post"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/faser"
    assert project_state(app, world.project) == (
        Phase.EXECUTION, ProjectStatus.ACTIVE,
        [(Phase.PLANNING, date(2013, 4, 12), None, ""),
         (Phase.EXECUTION, date(2013, 6, 1), None, "Vedtatt i e-post")])
    page = text(katrine.get(f"{BASE}/faser"))
    assert "Prosjektet er nå i fasen Gjennomføre." in page
    assert re.search(r'<th scope="row">Planlegge</th><td>12.04.2013</td><td>01.06.2013</td>',
                     page)
    assert re.search(r'<th scope="row">Gjennomføre</th><td>01.06.2013</td><td>pågår</td>'
                     r"\s*<td> Vedtatt i e-post</td>", page)


def test_jumping_over_a_phase_is_blocked_by_its_open_mandatory_checkpoints(app, world,
                                                                          katrine):
    """Planlegge → Avslutte passes Gjennomføre, whose mandatory checkpoints are all open."""
    settle(app, world.project, Phase.PLANNING)
    before = project_state(app, world.project)
    response = katrine.post(f"{BASE}/faser/bytt", {
        "phase": "closing", "started_on": "2013-06-03"})
    assert response.status_code == 422
    assert "Leveransene svarer til resultatmålene og planen" in (
        field_error(text(response), "phase") or "")
    assert project_state(app, world.project) == before


def test_moving_back_a_phase_needs_no_checkpoints(app, world, katrine):
    response = katrine.post(f"{BASE}/faser/bytt", {
        "phase": "concept", "started_on": "2013-06-03", "note": "Konseptet må revurderes"})
    assert response.status_code == 303
    assert project_state(app, world.project)[0] == Phase.CONCEPT


@pytest.mark.parametrize("data, field, message", [
    ({"phase": "planning", "started_on": "2013-06-03"}, "phase",
     "Prosjektet er allerede i denne fasen."),
    ({"phase": "concept", "started_on": "2013-06-04"}, "started_on",
     "Datoen kan ikke være fram i tid."),
    ({"phase": "concept", "started_on": "2013-04-11"}, "started_on",
     "Datoen kan ikke være før forrige faseskifte."),
    ({"phase": "concept", "started_on": ""}, "started_on", "Dette feltet må fylles ut."),
    ({"phase": "concept", "started_on": "2013-02-30"}, "started_on",
     "Skriv en gyldig dato, for eksempel 22.04.2013."),
    ({"phase": "mars", "started_on": "2013-06-03"}, "phase", "Ugyldig valg."),
], ids=["same phase", "future", "before the last change", "no date", "invalid date",
        "unknown phase"])
def test_bad_phase_change_is_422_and_nothing_changes(app, world, katrine, data, field,
                                                     message):
    before = project_state(app, world.project)
    response = katrine.post(f"{BASE}/faser/bytt", data)
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert project_state(app, world.project) == before


# ---- decisions -----------------------------------------------------------------------------


def test_approved_bp3_moves_the_project_to_execution(app, world, katrine):
    settle(app, world.project, Phase.PLANNING)
    form = text(katrine.get(f"{BASE}/vedtak/nytt"))
    assert input_value(form, "decided_on") == "2013-06-03"
    response = katrine.post(f"{BASE}/vedtak/nytt", bp3_data())
    assert response.status_code == 303
    [decision] = decisions_in(app, world.project)
    assert response.headers["Location"] == f"{BASE}/vedtak#vedtak-{decision.id}"
    assert (decision.decision_point, decision.outcome, decision.body, decision.case_number,
            decision.decided_on, decision.recorded_by_id) == (
        DecisionPoint.BP3, DecisionOutcome.APPROVED, DecisionBody.STEERING_GROUP, "sak 7/13",
        TODAY, world.katrine_user)
    assert project_state(app, world.project) == (
        Phase.EXECUTION, ProjectStatus.ACTIVE,
        [(Phase.PLANNING, date(2013, 4, 12), None, ""),
         (Phase.EXECUTION, TODAY, decision.id, "")])

    log = text(katrine.get(f"{BASE}/vedtak"))
    assert "Vedtaket er registrert, og prosjektet er nå i fasen Gjennomføre." in log
    entry = entry_of(log, decision.id)
    for shown in ("BP3: start gjennomføringen", "Styringsdokumentet", "Godkjent", "03.06.2013",
                  "Styringsgruppen", "sak 7/13", "Gjennomføringen kan starte.",
                  "Katrine Wilson"):
        assert shown in entry, shown
    phases = text(katrine.get(f"{BASE}/faser"))
    assert "Prosjektet er i fasen <strong>Gjennomføre</strong>" in phases
    assert f'href="{BASE}/vedtak#vedtak-{decision.id}"' in phases


def test_approved_bp3_with_open_mandatory_checkpoints_saves_nothing(app, world, katrine):
    before = project_state(app, world.project)
    response = katrine.post(f"{BASE}/vedtak/nytt", bp3_data())
    assert response.status_code == 422
    assert field_error(text(response), "decision_point") == (
        "Fasen kan ikke avsluttes før de obligatoriske sjekkpunktene er avklart. Åpne: "
        + "; ".join(PLANNING_MANDATORY) + ".")
    assert decisions_in(app, world.project) == []
    assert project_state(app, world.project) == before


def test_a_rejected_decision_point_is_logged_and_moves_nothing(app, world, katrine):
    before = project_state(app, world.project)
    response = katrine.post(f"{BASE}/vedtak/nytt", bp3_data(outcome="rejected"))
    assert response.status_code == 303
    assert len(decisions_in(app, world.project)) == 1
    assert project_state(app, world.project) == before
    log = text(katrine.get(f"{BASE}/vedtak"))
    assert "Vedtaket er registrert." in log and "Avvist" in log


def test_approved_bp6_closes_the_project(app, make_project, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())
    project = make_project(code="GEVINST", phase=Phase.REALISATION)
    settle(app, project.id, Phase.REALISATION)
    response = admin_client.post("/prosjekter/GEVINST/vedtak/nytt", bp3_data(
        decision_point="bp6", title="Gevinstene er tatt ut", body="owner"))
    assert response.status_code == 303
    phase, status, records = project_state(app, project.id)
    assert (phase, status, len(records)) == (Phase.REALISATION, ProjectStatus.CLOSED, 1)
    log = text(admin_client.get("/prosjekter/GEVINST/vedtak"))
    assert "Vedtaket er registrert, og prosjektet er avsluttet." in log


@pytest.mark.parametrize("overrides, field, message", [
    ({"decision_point": "bp1"}, "decision_point",
     "BP1 godkjenner overgangen fra fasen Idé, men prosjektet er i fasen Planlegge."),
    ({"decision_point": "bp4"}, "decision_point",
     "BP4 godkjenner overgangen fra fasen Gjennomføre, men prosjektet er i fasen Planlegge."),
    ({"body": ""}, "body", "Velg hvilket organ som fattet vedtaket."),
    ({"outcome": ""}, "outcome", "Velg utfallet av vedtaket."),
    ({"decided_on": "2013-06-04"}, "decided_on", "Vedtaksdatoen kan ikke være fram i tid."),
    ({"decided_on": ""}, "decided_on", "Dette feltet må fylles ut."),
    ({"decided_on": "2013-13-13"}, "decided_on",
     "Skriv en gyldig dato, for eksempel 22.04.2013."),
    ({"outcome": "approved_with_conditions", "conditions": " "}, "conditions",
     "Skriv vilkårene når vedtaket er godkjent med vilkår."),
    ({"decision_point": "", "title": ""}, "title", "Skriv hva vedtaket gjelder."),
    ({"body": "kommunestyret"}, "body", "Ugyldig valg."),
    ({"meeting_id": "999999"}, "meeting_id", "Ugyldig valg."),
], ids=["BP1 in planning", "BP4 in planning", "no body", "no outcome", "future date",
        "no date", "invalid date", "conditions missing", "no subject", "unknown body",
        "unknown meeting"])
def test_bad_decision_is_422_with_the_message_and_nothing_saved(app, world, katrine,
                                                               overrides, field, message):
    settle(app, world.project, Phase.PLANNING)
    before = project_state(app, world.project)
    response = katrine.post(f"{BASE}/vedtak/nytt", bp3_data(**overrides))
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert decisions_in(app, world.project) == []
    assert project_state(app, world.project) == before


def test_a_decision_point_dated_before_the_phase_began_is_refused_at_the_date(app, world,
                                                                             katrine):
    """The planning phase began 12.04.2013: BP3 cannot have ended it on 01.04.2013."""
    settle(app, world.project, Phase.PLANNING)
    before = project_state(app, world.project)
    response = katrine.post(f"{BASE}/vedtak/nytt", bp3_data(decided_on="2013-04-01"))
    assert response.status_code == 422
    assert decisions_in(app, world.project) == []
    assert project_state(app, world.project) == before
    assert field_error(text(response), "decided_on") == (
        "Datoen kan ikke være før forrige faseskifte.")


def test_a_meeting_of_another_project_cannot_be_named(app, world, katrine, make_project):
    other = make_project(code="ANNET")
    with app.app_context():
        meeting = decision_service.create_meeting(
            db.session, None, db.session.get(Project, other.id), decision_service.MeetingInput(
                body=DecisionBody.STEERING_GROUP, meeting_date=date(2013, 5, 1),
                starts_at=None, location="", notes=""))
        db.session.commit()
        meeting_id = meeting.id
    response = katrine.post(f"{BASE}/vedtak/nytt", decision_data(meeting_id=str(meeting_id)))
    assert response.status_code == 422
    assert field_error(text(response), "meeting_id") == "Ugyldig valg."
    assert decisions_in(app, world.project) == []


def test_a_correction_supersedes_the_old_decision_and_both_stay(app, world, katrine):
    assert katrine.post(f"{BASE}/vedtak/nytt", decision_data()).status_code == 303
    [old] = decisions_in(app, world.project)
    form = text(katrine.get(f"{BASE}/vedtak/{old.id}/rett"))
    assert input_value(form, "case_number") == "sak 1/13"
    assert "Det nye vedtaket erstatter vedtaket fra 22.04.2013." in form

    response = katrine.post(f"{BASE}/vedtak/{old.id}/rett", decision_data(
        decided_on="2013-04-25", case_number="sak 2/13",
        text="Prosjektplanen godkjennes med rettet budsjett."))
    assert response.status_code == 303
    first, correction = decisions_in(app, world.project)
    assert response.headers["Location"] == f"{BASE}/vedtak#vedtak-{correction.id}"
    assert first.id == old.id and first.case_number == "sak 1/13"  # untouched
    assert correction.supersedes_id == old.id and correction.case_number == "sak 2/13"

    log = text(katrine.get(f"{BASE}/vedtak"))
    old_entry, new_entry = entry_of(log, old.id), entry_of(log, correction.id)
    assert "decision--superseded" in old_entry and "sak 1/13" in old_entry
    assert "Erstattet av vedtaket fra 25.04.2013." in old_entry
    assert f'href="#vedtak-{correction.id}"' in old_entry
    assert "Rett vedtaket" not in old_entry
    assert "Retter" in new_entry and f'href="#vedtak-{old.id}"' in new_entry
    assert "decision--superseded" not in new_entry and "Rett vedtaket" in new_entry


def test_a_decision_cannot_be_superseded_twice(app, world, katrine):
    katrine.post(f"{BASE}/vedtak/nytt", decision_data())
    [old] = decisions_in(app, world.project)
    assert katrine.post(f"{BASE}/vedtak/{old.id}/rett",
                        decision_data(case_number="sak 2/13")).status_code == 303
    response = katrine.post(f"{BASE}/vedtak/{old.id}/rett", decision_data(case_number="sak 3/13"))
    assert response.status_code == 422
    assert field_error(text(response), "decision_point") == (
        "Vedtaket er allerede rettet av et nyere vedtak. Rett det nyeste.")
    assert [d.case_number for d in decisions_in(app, world.project)] == ["sak 1/13", "sak 2/13"]


def test_correcting_an_approved_decision_point_does_not_move_the_phase_again(app, world,
                                                                             katrine):
    settle(app, world.project, Phase.PLANNING)
    katrine.post(f"{BASE}/vedtak/nytt", bp3_data())
    [bp3] = decisions_in(app, world.project)
    response = katrine.post(f"{BASE}/vedtak/{bp3.id}/rett", bp3_data(case_number="sak 8/13"))
    assert response.status_code == 303
    phase, _, records = project_state(app, world.project)
    assert phase == Phase.EXECUTION and len(records) == 2
    # Corrected to rejected: the phase stays, and the leader is told.
    [_, correction] = decisions_in(app, world.project)
    response = katrine.post(f"{BASE}/vedtak/{correction.id}/rett",
                            bp3_data(case_number="sak 9/13", outcome="rejected"))
    assert response.status_code == 303
    assert project_state(app, world.project)[0] == Phase.EXECUTION
    log = text(katrine.get(f"{BASE}/vedtak"))
    assert "Det rettede vedtaket var godkjent. Fasen er ikke endret tilbake" in log


def test_decisions_are_never_deleted(app, world, katrine):
    katrine.post(f"{BASE}/vedtak/nytt", decision_data())
    [decision] = decisions_in(app, world.project)
    decision_rules = {rule.endpoint for rule in app.url_map.iter_rules()
                      if "/vedtak" in rule.rule}
    assert decision_rules == {"decisions.log", "decisions.record", "decisions.correct"}
    assert katrine.post(f"{BASE}/vedtak/{decision.id}/slett").status_code == 404
    assert katrine.client.delete(f"{BASE}/vedtak/{decision.id}").status_code in (404, 405)
    assert len(decisions_in(app, world.project)) == 1


@pytest.mark.parametrize("who", ["ingrid", "olav"])
def test_steering_group_member_and_owner_record_decisions(app, world, make_client, who):
    browser = signed_in(make_client, who)
    assert browser.get(f"{BASE}/vedtak/nytt").status_code == 200
    response = browser.post(f"{BASE}/vedtak/nytt", decision_data())
    assert response.status_code == 303
    [decision] = decisions_in(app, world.project)
    log = text(browser.get(f"{BASE}/vedtak"))
    assert "Registrer vedtak" in log and "Rett vedtaket" in log
    assert browser.post(f"{BASE}/vedtak/{decision.id}/rett",
                        decision_data(case_number="sak 2/13")).status_code == 303


def test_a_municipal_lead_may_not_record_decisions(app, world, kari, katrine):
    katrine.post(f"{BASE}/vedtak/nytt", decision_data())
    [decision] = decisions_in(app, world.project)
    assert kari.get(f"{BASE}/vedtak/nytt").status_code == 403
    assert kari.post(f"{BASE}/vedtak/nytt", decision_data(title="Kapret")).status_code == 403
    assert kari.get(f"{BASE}/vedtak/{decision.id}/rett").status_code == 403
    assert kari.post(f"{BASE}/vedtak/{decision.id}/rett",
                     decision_data(title="Kapret")).status_code == 403
    assert len(decisions_in(app, world.project)) == 1
    log = text(kari.get(f"{BASE}/vedtak"))
    assert "Godkjenning av prosjektplan" in log
    assert "Registrer vedtak" not in log and "Rett vedtaket" not in log


def test_decision_of_another_project_is_404(app, world, katrine, make_project, admin_client):
    make_project(code="ANNET")
    admin_client.post("/prosjekter/ANNET/vedtak/nytt", decision_data())
    with app.app_context():
        foreign = db.session.scalar(select(Decision.id))
    assert katrine.get(f"{BASE}/vedtak/{foreign}/rett").status_code == 404
    assert katrine.post(f"{BASE}/vedtak/{foreign}/rett", decision_data()).status_code == 404
    assert count(app, Decision) == 1


# ---- meetings ------------------------------------------------------------------------------


def meeting_data(**overrides) -> dict:
    data = {"body": "steering_group", "meeting_date": "2013-06-20", "starts_at": "10:00",
            "location": "Sogn regionråd, Leikanger", "notes": "Andre møte.", "version_id": ""}
    data.update(overrides)
    return data


def create_meeting(browser, **overrides) -> int:
    response = browser.post(f"{BASE}/moter/nytt", meeting_data(**overrides))
    assert response.status_code == 303, text(response)
    match = re.fullmatch(rf"{BASE}/moter/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def test_create_a_meeting_with_its_agenda(app, world, ingrid):
    meeting_id = create_meeting(ingrid)
    page = text(ingrid.get(f"{BASE}/moter/{meeting_id}"))
    assert "Møtet er lagt inn. Legg til sakene på sakslisten." in page
    assert "Styringsgruppen 20.06.2013" in page
    assert "10:00" in page and "Sogn regionråd, Leikanger" in page
    assert "Ingen saker på sakslisten ennå." in page

    for case, title in (("sak 5/13", "Status for leverandøraktivering"),
                        ("sak 6/13", "Budsjett 2014")):
        response = ingrid.post(f"{BASE}/moter/{meeting_id}/saker",
                               {"case_number": case, "title": title})
        assert response.status_code == 303
    page = text(ingrid.get(f"{BASE}/moter/{meeting_id}"))
    assert "<strong>sak 5/13</strong> Status for leverandøraktivering" in page
    assert page.index("sak 5/13") < page.index("sak 6/13")
    with app.app_context():
        items = db.session.execute(select(AgendaItem.id, AgendaItem.position, AgendaItem.title)
                                   .order_by(AgendaItem.position)).all()
    assert [(p, t) for _, p, t in items] == [(1, "Status for leverandøraktivering"),
                                              (2, "Budsjett 2014")]

    refused = ingrid.post(f"{BASE}/moter/{meeting_id}/saker", {"case_number": "sak 7/13",
                                                                "title": ""})
    assert refused.status_code == 422
    assert field_error(text(refused), "title") == "Dette feltet må fylles ut."
    assert count(app, AgendaItem) == 2

    response = ingrid.post(f"{BASE}/moter/{meeting_id}/saker/{items[0].id}/slett")
    assert response.status_code == 303
    page = text(ingrid.get(f"{BASE}/moter/{meeting_id}"))
    assert "Saken er flyttet til papirkurven." in page
    assert "Status for leverandøraktivering" not in page and "Budsjett 2014" in page


@pytest.mark.parametrize("data, field, message", [
    ({"meeting_date": ""}, "meeting_date", "Dette feltet må fylles ut."),
    ({"meeting_date": "2013-02-30"}, "meeting_date",
     "Skriv en gyldig dato, for eksempel 22.04.2013."),
    ({"starts_at": "25:00"}, "starts_at", "Skriv et gyldig klokkeslett, for eksempel 10:00."),
    ({"body": "bygdelaget"}, "body", "Ugyldig valg."),
], ids=["no date", "invalid date", "invalid time", "unknown body"])
def test_bad_meeting_is_422_and_nothing_saved(app, world, katrine, data, field, message):
    response = katrine.post(f"{BASE}/moter/nytt", meeting_data(**data))
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert count(app, Meeting) == 0


def test_a_stale_meeting_edit_gets_409_with_the_current_values(app, world, katrine, ingrid):
    meeting_id = create_meeting(katrine)
    version = input_value(text(katrine.get(f"{BASE}/moter/{meeting_id}/rediger")), "version_id")
    assert ingrid.post(f"{BASE}/moter/{meeting_id}/rediger", meeting_data(
        location="Rådhuset i Sogndal", version_id=version)).status_code == 303
    response = katrine.post(f"{BASE}/moter/{meeting_id}/rediger", meeting_data(
        location="Gamle fanen", starts_at="12:00", version_id=version))
    assert response.status_code == 409
    body = text(response)
    assert "Noen andre lagret møtet i mellomtiden" in body
    assert input_value(body, "location") == "Rådhuset i Sogndal"
    assert input_value(body, "version_id") != version
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.location, meeting.starts_at) == ("Rådhuset i Sogndal", time(10, 0))


def test_meeting_edit_saves(app, world, katrine):
    meeting_id = create_meeting(katrine)
    version = input_value(text(katrine.get(f"{BASE}/moter/{meeting_id}/rediger")), "version_id")
    response = katrine.post(f"{BASE}/moter/{meeting_id}/rediger", meeting_data(
        body="owner", meeting_date="2013-06-21", starts_at="", version_id=version))
    assert response.status_code == 303
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.body, meeting.meeting_date, meeting.starts_at) == (
            DecisionBody.OWNER, date(2013, 6, 21), None)
    assert "Prosjekteier 21.06.2013" in text(katrine.get(f"{BASE}/moter/{meeting_id}"))


def test_meeting_page_lists_the_decisions_made_there(app, world, katrine):
    meeting_id = create_meeting(katrine, meeting_date="2013-04-22")
    form = text(katrine.get(f"{BASE}/vedtak/nytt?mote={meeting_id}"))
    assert input_value(form, "decided_on") == "2013-04-22"
    assert re.search(rf'<option selected value="{meeting_id}">|'
                     rf'<option value="{meeting_id}" selected>', form)
    assert katrine.post(f"{BASE}/vedtak/nytt", decision_data(
        meeting_id=str(meeting_id))).status_code == 303
    katrine.post(f"{BASE}/vedtak/nytt", decision_data(title="Ikke fra møtet",
                                                     case_number="sak 9/13"))
    page = text(katrine.get(f"{BASE}/moter/{meeting_id}"))
    decided = page[page.index("Vedtak i møtet"):]
    assert "sak 1/13: Godkjenning av prosjektplan</a> – Godkjent" in decided
    assert "Ikke fra møtet" not in decided
    log = text(katrine.get(f"{BASE}/vedtak"))
    assert f'href="{BASE}/moter/{meeting_id}">22.04.2013</a>' in log


def test_next_meeting_is_shown_on_the_project_page(app, world, katrine):
    assert "ikke satt opp" in text(katrine.get(f"/prosjekter/{CODE}"))
    create_meeting(katrine, meeting_date="2013-05-15", starts_at="09:00")  # past
    later = create_meeting(katrine, meeting_date="2013-09-10", starts_at="")
    soon = create_meeting(katrine, meeting_date="2013-06-20", starts_at="10:00")
    for title in ("Status", "Budsjett"):
        katrine.post(f"{BASE}/moter/{soon}/saker", {"case_number": "", "title": title})
    page = text(katrine.get(f"/prosjekter/{CODE}"))
    next_meeting = re.search(r"<dt>Neste møte</dt>\s*<dd>(.*?)</dd>", page, re.S).group(1)
    assert f'href="{BASE}/moter/{soon}"' in next_meeting
    assert "20.06.2013 kl. 10:00" in next_meeting and "(2 saker)" in next_meeting
    meetings = text(katrine.get(f"{BASE}/moter"))
    upcoming = meetings[meetings.index("Kommende møter"):meetings.index("Tidligere møter")]
    assert upcoming.index(f"/moter/{soon}") < upcoming.index(f"/moter/{later}")
    assert "15.05.2013" in meetings[meetings.index("Tidligere møter"):]


def test_a_municipal_lead_reads_meetings_but_may_not_change_them(app, world, katrine, kari):
    meeting_id = create_meeting(katrine)
    katrine.post(f"{BASE}/moter/{meeting_id}/saker", {"case_number": "", "title": "Status"})
    with app.app_context():
        item = db.session.scalar(select(AgendaItem.id))
    assert kari.get(f"{BASE}/moter/{meeting_id}").status_code == 200
    assert kari.get(f"{BASE}/moter/nytt").status_code == 403
    assert kari.post(f"{BASE}/moter/nytt", meeting_data()).status_code == 403
    assert kari.post(f"{BASE}/moter/{meeting_id}/rediger",
                     meeting_data(location="Kapret", version_id="1")).status_code == 403
    assert kari.post(f"{BASE}/moter/{meeting_id}/saker", {"title": "Kapret"}).status_code == 403
    assert kari.post(f"{BASE}/moter/{meeting_id}/saker/{item}/slett").status_code == 403
    assert (count(app, Meeting), count(app, AgendaItem)) == (1, 1)


# ---- the calendar feed ---------------------------------------------------------------------


def new_feed_path(browser) -> str:
    response = browser.post(f"{BASE}/kalender", {"action": "create"})
    assert response.status_code == 200
    match = re.search(r'<input[^>]*id="feed-url"[^>]*value="([^"]+)"', text(response))
    assert match, "no feed address shown"
    url = match.group(1)
    assert url.startswith("http://localhost/kalender/") and url.endswith(".ics")
    return url.removeprefix("http://localhost")


def events(response) -> dict[str, object]:
    """SUMMARY → DTSTART of each event in the feed."""
    calendar = Calendar.from_ical(response.get_data())
    return {str(event["SUMMARY"]): event.decoded("DTSTART")
            for event in calendar.walk("VEVENT")}


@pytest.fixture
def plan_with_everything(app, world, katrine):
    """A milestone for Sogndal, a decision point milestone, an undated one, an approved BP3
    and a corrected decision, and a meeting at 10:00 with its agenda."""
    settle(app, world.project, Phase.PLANNING)
    with app.app_context():
        project = db.session.get(Project, world.project)
        for title, organisation, baseline, point in (
            ("Buyer-oppsett ferdig", world.sogndal, date(2013, 9, 1), None),
            ("Overlevering til drift", None, date(2014, 3, 1), DecisionPoint.BP4),
            ("Uten dato", None, None, None),
        ):
            plan.create_milestone(db.session, None, project, plan.MilestoneInput(
                title=title, description="", responsible_person_id=None,
                organisation_id=organisation, group_id=None, decision_point=point,
                baseline_date=baseline, forecast_date=None, actual_date=None, comment=""),
                today=TODAY)
        db.session.commit()
    assert katrine.post(f"{BASE}/vedtak/nytt", bp3_data()).status_code == 303
    assert katrine.post(f"{BASE}/vedtak/nytt", decision_data(
        title="Budsjett 2013", case_number="sak 2/13")).status_code == 303
    old = next(d for d in decisions_in(app, world.project) if d.title == "Budsjett 2013")
    assert katrine.post(f"{BASE}/vedtak/{old.id}/rett", decision_data(
        title="Budsjett 2013, rettet", case_number="sak 3/13",
        decided_on="2013-04-23")).status_code == 303
    meeting_id = create_meeting(katrine)
    katrine.post(f"{BASE}/moter/{meeting_id}/saker", {"case_number": "sak 5/13",
                                                      "title": "Status"})
    create_meeting(katrine, body="owner", meeting_date="2013-09-30", starts_at="")
    return meeting_id


def test_calendar_feed_lists_milestones_decisions_and_meetings(app, world, katrine, client,
                                                               plan_with_everything):
    page = text(katrine.get(f"{BASE}/kalender"))
    assert "Du har ingen kalenderadresse for dette prosjektet." in page
    path = new_feed_path(katrine)
    response = client.get(path)  # a calendar program: not signed in
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.get_data())
    assert str(calendar["X-WR-CALNAME"]) == "eHandel i Sogn (EHANDEL)"
    found = events(response)
    oslo_ten = found.pop("Styringsgruppen: eHandel i Sogn")
    assert oslo_ten.replace(tzinfo=None) == datetime(2013, 6, 20, 10, 0)
    assert str(oslo_ten.tzinfo) == "Europe/Oslo"
    assert found == {
        "Milepæl: Buyer-oppsett ferdig (Sogndal kommune)": date(2013, 9, 1),
        "Beslutningspunkt: Overlevering til drift": date(2014, 3, 1),
        "Vedtak: BP3 – Godkjent": TODAY,
        "Vedtak: Budsjett 2013, rettet – Godkjent": date(2013, 4, 23),
        "Prosjekteier: eHandel i Sogn": date(2013, 9, 30),
    }
    meeting = next(e for e in calendar.walk("VEVENT")
                   if str(e["SUMMARY"]) == "Styringsgruppen: eHandel i Sogn")
    assert "sak 5/13 Status" in str(meeting["DESCRIPTION"])
    assert str(meeting["LOCATION"]) == "Sogn regionråd, Leikanger"


def test_the_address_is_shown_once_and_only_its_hash_is_stored(app, world, katrine):
    path = new_feed_path(katrine)
    token = path.removeprefix("/kalender/").removesuffix(".ics")
    page = text(katrine.get(f"{BASE}/kalender"))
    assert token not in page
    assert "Du har en kalenderadresse som ble laget" in page
    with app.app_context():
        stored = db.session.scalars(select(CalendarToken)).all()
        assert len(stored) == 1 and stored[0].token_hash != token
        assert token not in stored[0].token_hash


def test_unknown_token_is_404(world, client):
    assert client.get("/kalender/finnes-ikke.ics").status_code == 404
    assert client.get("/kalender/" + "x" * 200 + ".ics").status_code == 404


def test_a_revoked_address_stops_working(app, world, katrine, client):
    path = new_feed_path(katrine)
    assert client.get(path).status_code == 200
    response = katrine.post(f"{BASE}/kalender", {"action": "revoke"})
    assert response.status_code == 303
    assert client.get(path).status_code == 404
    page = text(katrine.get(f"{BASE}/kalender"))
    assert "Kalenderadressen er stoppet." in page
    assert "Du har ingen kalenderadresse for dette prosjektet." in page


def test_a_new_address_revokes_the_old_one(world, katrine, client):
    old = new_feed_path(katrine)
    new = new_feed_path(katrine)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_unknown_action_is_400(world, katrine):
    assert katrine.post(f"{BASE}/kalender", {"action": "slett-alt"}).status_code == 400


def test_the_address_stops_working_when_the_role_ends(app, world, kari, client):
    path = new_feed_path(kari)
    assert client.get(path).status_code == 200
    with app.app_context():
        db.session.get(ProjectRole, world.kari_role).valid_to = date(2001, 1, 1)
        db.session.commit()
    assert client.get(path).status_code == 404


def test_the_address_stops_working_when_the_account_is_disabled(app, world, kari, client):
    path = new_feed_path(kari)
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "kari")).is_active_account = False
        db.session.commit()
    assert client.get(path).status_code == 404


def test_each_users_address_is_their_own(world, katrine, kari, client):
    katrines = new_feed_path(katrine)
    karis = new_feed_path(kari)
    assert katrines != karis
    kari.post(f"{BASE}/kalender", {"action": "revoke"})
    assert client.get(karis).status_code == 404
    assert client.get(katrines).status_code == 200
