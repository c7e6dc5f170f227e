"""The database going away, and actions failing half-way.

- Connections ended between requests (PostgreSQL: pg_terminate_backend), also every pooled
  connection at once as after a server restart: the next requests work (pool pre-ping).
- A connection lost in the middle of a request (PostgreSQL: the request's own backend is
  ended between two of its statements; SQLite: "database is locked"): the page, the htmx
  request and the API answer 503 (the page says "Tjenesten er midlertidig utilgjengelig",
  with Retry-After, never cached, no traceback); a write saves nothing; the next request
  works again without restarting anything.
- The database out of reach altogether (no new connection can be made): 503 too, also for a
  signed-in user whose session cannot be read.
- A failure after some rows of a multi-row action were written (creating a project, a
  milestone for every participant, an import, publishing a report, a decision that moves
  the phase, a budget line per participant): 503, the database holds exactly what it held
  before, and doing it again afterwards works.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import event, select, update

from governance.benefits import service as benefit_service
from governance.benefits.models import Direction, Frequency, Unit
from governance.extensions import db
from governance.projects import plan
from governance.projects.models import Checkpoint, Milestone, Phase, Project
from governance.roles.models import ProjectRoleKind, User
from tests.conftest import Browserless
from tests.dbstate import Monitor, contents, is_postgres, postgres_only
from tests.pages import input_value, text

TODAY = date(2013, 6, 3)
CODE = "FEIL"
BASE = f"/prosjekter/{CODE}"
UNAVAILABLE = "Tjenesten er midlertidig utilgjengelig"
# Signing in keeps its own bookkeeping; those writes are not part of the action.
BOOKKEEPING = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(user_session|login_attempt'
                         r'|api_token)\b', re.I)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


@dataclass
class World:
    project: int
    sogndal: int
    luster: int
    leikanger: int
    milestone: int
    token: str


@pytest.fixture
def world(app, monkeypatch, make_org, make_project, make_user, give_role) -> World:
    from governance.api import service as api_service

    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    leikanger = make_org(name="Leikanger kommune")
    project = make_project(code=CODE, name="Feil underveis", owners=[sogndal],
                           participants=[sogndal, luster, leikanger],
                           start_date=date(2013, 1, 1))
    katrine = make_user(username="katrine", full_name="Katrine Wilson",
                        can_create_projects=True, organisation_id=sogndal.id)
    give_role(katrine, project, ProjectRoleKind.PROJECT_LEADER)
    with app.app_context():
        stored = db.session.get(Project, project.id)
        [milestone] = plan.create_milestone(db.session, None, stored, plan.MilestoneInput(
            title="Buyer-oppsett ferdig", description="", responsible_person_id=None,
            organisation_id=sogndal.id, group_id=None, decision_point=None,
            baseline_date=date(2013, 9, 1), forecast_date=date(2013, 9, 1), actual_date=None,
            comment="I rute"), today=TODAY)
        for name in ("E-handelsandel", "Fakturafeil"):
            benefit_service.save_indicator(db.session, None, stored, benefit_service.IndicatorInput(
                name=name, benefit_id=None, unit=Unit.PERCENT, unit_label="",
                direction=Direction.HIGHER, frequency=Frequency.MONTHLY, method="",
                data_source="", measured_by_person_id=None, is_ratio=False,
                ratio_factor=None))
        user = db.session.get(User, katrine.id)
        _token, secret = api_service.create_token(db.session, user, user, name="Fagsystem",
                                                  expires_on=None, today=TODAY)
        db.session.commit()
        milestone_id = milestone.id
    return World(project=project.id, sogndal=sogndal.id, luster=luster.id,
                 leikanger=leikanger.id, milestone=milestone_id, token=secret)


@pytest.fixture
def katrine(world, make_client):
    browser = make_client()
    assert browser.login("katrine").status_code == 303
    browser.token()
    return browser


# ---- injecting faults --------------------------------------------------------------------


class Fault:
    """At the ``nth`` statement matching ``pattern``, make it fail: on PostgreSQL with
    ``kill`` by ending the request's own backend just before the statement (a real lost
    connection), otherwise by raising the driver's own OperationalError from the driver
    call (as "database is locked" or a failing disk would)."""

    def __init__(self, app, pattern: str, nth: int = 1, *, kill: bool = False,
                 message: str = "database is locked"):
        self.app = app
        self.pattern = re.compile(pattern, re.I | re.S)
        self.nth = nth
        self.kill = kill and is_postgres(app)
        self.message = message
        self.seen = 0
        self.writes_before = 0
        self.fired = False

    def _matches(self, statement: str) -> bool:
        if self.fired:
            return False
        if WRITE.match(statement) and not BOOKKEEPING.match(statement):
            self.writes_before += 1
        if not self.pattern.search(statement):
            return False
        self.seen += 1
        if self.seen < self.nth:
            return False
        self.fired = True
        if WRITE.match(statement) and not BOOKKEEPING.match(statement):
            self.writes_before -= 1  # the failing statement wrote nothing
        return True

    def before_cursor_execute(self, conn, cursor, statement, parameters, context, many):
        if self._matches(statement):
            pid = conn.connection.dbapi_connection.info.backend_pid
            self.monitor.terminate([pid])

    def do_execute(self, cursor, statement, parameters, context=None):
        if self._matches(statement):
            raise self.dbapi.OperationalError(self.message)

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        self.dbapi = self.engine.dialect.loaded_dbapi
        if self.kill:
            self.monitor = Monitor(self.app)
            event.listen(self.engine, "before_cursor_execute", self.before_cursor_execute)
        else:
            for name in ("do_execute", "do_executemany", "do_execute_no_params"):
                event.listen(self.engine, name, self._handler(name))
        return self

    def _handler(self, name):
        if not hasattr(self, "_handlers"):
            self._handlers = {}
        if name not in self._handlers:
            if name == "do_execute_no_params":
                self._handlers[name] = lambda cursor, statement, context=None: \
                    self.do_execute(cursor, statement, None, context)
            else:
                self._handlers[name] = self.do_execute
        return self._handlers[name]

    def __exit__(self, *exc):
        if self.kill:
            event.remove(self.engine, "before_cursor_execute", self.before_cursor_execute)
            self.monitor.dispose()
        else:
            for name, handler in self._handlers.items():
                event.remove(self.engine, name, handler)


def assert_unavailable(response) -> None:
    """The 503 page a person sees: the Norwegian title, no traceback, not to be cached."""
    page = text(response)
    assert response.status_code == 503, page[:500]
    assert UNAVAILABLE in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert response.headers.get("Retry-After", "").isdigit()
    assert "no-store" in response.headers.get("Cache-Control", "")


def assert_api_unavailable(response) -> None:
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    problem = json.loads(text(response))["error"]
    assert problem["status"] == 503
    assert problem["message"] == "Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt."
    assert response.headers.get("Retry-After", "").isdigit()
    assert "no-store" in response.headers.get("Cache-Control", "")


# ---- connections ended between requests ---------------------------------------------------


def test_connections_ended_between_requests_are_replaced(app, world, katrine):
    postgres_only(app)
    assert katrine.get(f"{BASE}/milepaler").status_code == 200
    monitor = Monitor(app)
    try:
        assert monitor.terminate() >= 1  # the pool's idle connection
        response = katrine.get(f"{BASE}/milepaler")
        assert response.status_code == 200
        assert "Buyer-oppsett ferdig" in text(response)
        assert monitor.app_backends(), "the app connected again"
    finally:
        monitor.dispose()


def test_after_a_server_restart_every_pooled_connection_is_replaced(app, world, katrine):
    postgres_only(app)
    with app.app_context():
        held = [db.engine.connect() for _ in range(4)]
        for conn in held:
            conn.exec_driver_sql("SELECT 1")
        for conn in held:
            conn.close()
        assert db.engine.pool.checkedin() >= 4
    monitor = Monitor(app)
    try:
        assert monitor.terminate() >= 4
        path = f"{BASE}/milepaler/{world.milestone}/oppdater"
        version = input_value(text(katrine.get(path)), f"m{world.milestone}-version_id")
        for page in (f"{BASE}/milepaler", "/prosjekter/", f"{BASE}/status/",
                     f"{BASE}/gevinster/"):
            assert katrine.get(page).status_code == 200, page
        saved = katrine.post(path, {f"m{world.milestone}-forecast_date": "2013-09-30",
                                    f"m{world.milestone}-actual_date": "",
                                    f"m{world.milestone}-comment": "Etter omstart",
                                    f"m{world.milestone}-version_id": version})
        assert saved.status_code == 303
        api = app.test_client().get(f"/api/v1/projects/{CODE}/milestones",
                                    headers={"Authorization": f"Bearer {world.token}"})
        assert api.status_code == 200
    finally:
        monitor.dispose()
    with app.app_context():
        assert db.session.get(Milestone, world.milestone).comment == "Etter omstart"


# ---- a connection lost in the middle of a request -----------------------------------------

MILESTONE_READ = r"\bFROM milestone\b"


@pytest.mark.parametrize("kind", ["page", "htmx", "api"])
def test_a_connection_lost_in_the_middle_of_a_request_gives_503_then_works(
        app, world, katrine, kind):
    def ask():
        if kind == "page":
            return katrine.get(f"{BASE}/milepaler")
        if kind == "htmx":
            return katrine.htmx("GET", f"{BASE}/milepaler/{world.milestone}/oppdater")
        return app.test_client().get(f"/api/v1/projects/{CODE}/milestones",
                                     headers={"Authorization": f"Bearer {world.token}"})

    with Fault(app, MILESTONE_READ, kill=True) as fault:
        response = ask()
    assert fault.fired
    if kind == "api":
        assert_api_unavailable(response)
    else:
        assert_unavailable(response)
        if kind == "htmx":
            # htmx does not swap a 5xx; the page's script tells the user in its live region
            # (app.js). The answer is the error page, never a half-drawn fragment.
            assert 'id="main"' in text(response) or "<html" in text(response)
    again = ask()
    assert again.status_code == 200
    assert "Buyer-oppsett ferdig" in text(again)


def test_a_connection_lost_in_the_middle_of_a_save_saves_nothing_then_works(
        app, world, katrine):
    path = f"{BASE}/milepaler/{world.milestone}/oppdater"
    prefix = f"m{world.milestone}-"
    version = input_value(text(katrine.get(path)), prefix + "version_id")
    data = {prefix + "forecast_date": "2013-10-01", prefix + "actual_date": "",
            prefix + "comment": "Forsinket", prefix + "version_id": version}
    before = contents(app)
    # The date change is recorded after the milestone row was written.
    with Fault(app, r"^\s*INSERT INTO milestone_date_change", kill=True) as fault:
        assert_unavailable(katrine.post(path, data))
    assert fault.fired and fault.writes_before >= 1
    assert contents(app) == before
    # The same form again (same version): saved now.
    assert katrine.post(path, data).status_code == 303
    with app.app_context():
        stored = db.session.get(Milestone, world.milestone)
        assert (stored.forecast_date, stored.comment) == (date(2013, 10, 1), "Forsinket")


# ---- the database out of reach --------------------------------------------------------------


class Unreachable:
    """No connection can be made, and the pooled ones are gone (a server that is down)."""

    def __init__(self, app):
        self.app = app

    def refuse(self, dialect, conn_rec, cargs, cparams):
        raise self.dbapi.OperationalError("connection refused: is the server running?")

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        self.dbapi = self.engine.dialect.loaded_dbapi
        if is_postgres(self.app):
            monitor = Monitor(self.app)
            monitor.terminate()
            monitor.dispose()
        self.engine.pool.dispose()
        event.listen(self.engine, "do_connect", self.refuse)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "do_connect", self.refuse)


def test_a_database_out_of_reach_gives_503_and_the_app_recovers(app, world, katrine):
    with Unreachable(app):
        # A signed-in user: even reading the session needs the database.
        assert_unavailable(katrine.get(f"{BASE}/milepaler"))
        assert_unavailable(katrine.htmx("GET", f"{BASE}/milepaler/{world.milestone}/oppdater"))
        # The sign-in page needs no database; signing in does.
        stranger = Browserless(app.test_client())
        assert stranger.get("/logg-inn").status_code == 200
        assert_unavailable(stranger.login("katrine"))
        assert_api_unavailable(app.test_client().get(
            f"/api/v1/projects/{CODE}/milestones",
            headers={"Authorization": f"Bearer {world.token}"}))
    response = katrine.get(f"{BASE}/milepaler")
    assert response.status_code == 200
    assert "Buyer-oppsett ferdig" in text(response)


# ---- a failure half-way through an action --------------------------------------------------


def settle_planning(app, world: World) -> None:
    with app.app_context():
        db.session.execute(update(Checkpoint).where(
            Checkpoint.project_id == world.project, Checkpoint.phase == Phase.PLANNING,
            Checkpoint.mandatory.is_(True)).values(status="done"))
        db.session.commit()


def report_form(version: str, action: str = "save", **lights) -> dict:
    names = ("overall", "schedule", "cost", "quality", "risk", "benefits")
    data = {name: lights.get(name, "") for name in names}
    data.update({f"{name}_comment": "" for name in names})
    data.update({"override_reason": "", "done_this_period": "Leverandørene er aktivert",
                 "next_period": "", "needs_decision": "", "version_id": version,
                 "action": action})
    return data


def import_payload(katrine) -> str:
    rows = ["indikator;organisasjon;periode;verdi;kommentar"] + [
        f"{name};Sogndal kommune;2013-0{month};{month}0;Fra Visma"
        for name in ("E-handelsandel", "Fakturafeil") for month in (1, 2, 3)]
    response = katrine.post(f"{BASE}/gevinster/import", {
        "file": (io.BytesIO(("\n".join(rows) + "\n").encode()), "maalinger.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 200, text(response)
    payload = input_value(text(response), "payload")
    assert payload
    return payload


def prepare(action: str, app, world: World, katrine) -> tuple[str, dict]:
    """The request that performs the action: (path, form data)."""
    if action == "project":
        return "/prosjekter/nytt", {
            "name": "eHandel i Nordfjord", "code": "NORDFJORD", "purpose": "Innføre e-handel",
            "description": "", "phase": "planning", "status": "active",
            "start_date": "2013-04-22", "end_date": "2015-12-31",
            "owner_ids": [str(world.sogndal), str(world.luster)],
            "participant_ids": [str(world.sogndal), str(world.luster), str(world.leikanger)],
            "programme_id": ""}
    if action == "milestone_per_participant":
        return f"{BASE}/milepaler/ny", {
            "title": "Kontaktperson utpekt", "description": "", "responsible_person_id": "",
            "organisation_id": "", "group_id": "", "decision_point": "",
            "baseline_date": "2013-09-01", "forecast_date": "2013-09-01", "actual_date": "",
            "comment": "", "for_every_participant": "y"}
    if action == "import":
        return f"{BASE}/gevinster/import/lagre", {"payload": import_payload(katrine)}
    if action == "publish":
        path = f"{BASE}/status/2013-06/{world.sogndal}"
        assert katrine.post(path, report_form("0")).status_code == 303
        version = input_value(text(katrine.get(path)), "version_id")
        return path, report_form(version, "publish", overall="green", schedule="green")
    if action == "decision":
        settle_planning(app, world)
        return f"{BASE}/vedtak/nytt", {
            "decision_point": "bp3", "title": "Styringsdokumentet", "decided_on": "2013-06-03",
            "body": "steering_group", "case_number": "sak 7/13", "outcome": "approved",
            "conditions": "", "text": "Gjennomføringen kan starte.", "meeting_id": ""}
    if action == "budget_per_participant":
        return f"{BASE}/okonomi/linjer/ny", {
            "year": "2013", "kind": "cost", "category": "licences", "nature": "operating",
            "name": "Årleg abonnementsavgift", "amount_ore": "5 000", "organisation": "alle",
            "note": ""}
    raise AssertionError(action)


# (action, the statement that fails, which one of them): each fails after earlier rows
# of the same action were written.
HALF_WAY = [
    ("project", r"^\s*INSERT INTO change_record", 2),
    # PostgreSQL writes several new rows of a table in one statement: fail on the next table.
    ("milestone_per_participant", r"^\s*INSERT INTO milestone_date_change\b", 1),
    ("import", r"^\s*INSERT INTO measurement\b", 4),
    ("publish", r"^\s*INSERT INTO change_record", 1),
    ("decision", r"^\s*(UPDATE|INSERT INTO) phase_record\b", 1),
    ("budget_per_participant", r"^\s*INSERT INTO change_record\b", 1),
]


@pytest.mark.parametrize(("action", "pattern", "nth"), HALF_WAY,
                         ids=[item[0] for item in HALF_WAY])
def test_a_failure_half_way_leaves_nothing_and_a_retry_works(app, world, katrine, action,
                                                             pattern, nth):
    path, data = prepare(action, app, world, katrine)
    before = contents(app)
    with Fault(app, pattern, nth, message="disk I/O error") as fault:
        response = katrine.post(path, data)
    assert fault.fired, f"the action never ran {pattern!r} {nth} times"
    assert fault.writes_before >= 1, "nothing was written before the failure"
    assert response.status_code == 503, text(response)[:300]
    assert UNAVAILABLE in text(response)
    assert contents(app) == before, "a half-written change was kept"
    retry = katrine.post(path, data)
    assert retry.status_code == 303, text(retry)[:500]
    after = contents(app)
    assert after != before
    assert len(after["change_record"]) > len(before["change_record"])


def test_the_session_is_usable_after_a_failed_request(app, world, katrine):
    """After a failure the request's session is rolled back and its connection returned."""
    with app.app_context():
        pool = db.engine.pool
        out_before = pool.checkedout()
    with Fault(app, MILESTONE_READ):
        assert_unavailable(katrine.get(f"{BASE}/milepaler"))
    with app.app_context():
        assert db.engine.pool.checkedout() == out_before
        assert db.session.scalar(select(Milestone.title)) == "Buyer-oppsett ferdig"
