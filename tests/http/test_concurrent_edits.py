"""Two people save the same thing at the same moment, on PostgreSQL: a milestone's inline
update, a status report's draft, a measurement (stored already, or new to both), and the
API's measurement write. Both loaded the same version; their requests run in two threads,
released together. The first to write holds its transaction open until the database shows
the other one waiting for its lock, so the overlap is certain, not hoped for. One of them
is saved (200/303), the other gets 409 with the winner's values on the page; the database
holds the winner's values with one history record, and nothing else changed."""

from __future__ import annotations

import html as html_lib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from governance.benefits import service as benefit_service
from governance.benefits.models import Direction, Frequency, Indicator, Measurement, Unit
from governance.extensions import db
from governance.history.models import ChangeRecord
from governance.projects import plan
from governance.projects.models import Milestone, MilestoneDateChange, Project
from governance.reporting.models import StatusReport
from governance.roles.models import ProjectRoleKind, User
from tests.dbstate import Monitor, counts, grown, postgres_only
from tests.pages import input_value, text

TODAY = date(2013, 6, 3)
CODE = "SAMTID"
PERIOD = "2013-05"


@dataclass
class World:
    project: int
    sogndal: int
    milestone: int
    indicator: int
    users: dict[str, int]


@pytest.fixture
def world(app, monkeypatch, make_org, make_project, make_user, give_role) -> World:
    postgres_only(app)
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    project = make_project(code=CODE, name="Samtidig redigering", owners=[sogndal],
                           participants=[sogndal, luster], start_date=date(2013, 1, 1))
    katrine = make_user(username="katrine", full_name="Katrine Wilson")
    kari = make_user(username="kari", full_name="Kari Bø")
    # Both may edit Sogndal's milestone, report and measurements.
    give_role(katrine, project, ProjectRoleKind.PROJECT_LEADER)
    give_role(kari, project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    with app.app_context():
        stored = db.session.get(Project, project.id)
        [milestone] = plan.create_milestone(db.session, None, stored, plan.MilestoneInput(
            title="Buyer-oppsett ferdig", description="", responsible_person_id=None,
            organisation_id=sogndal.id, group_id=None, decision_point=None,
            baseline_date=date(2013, 9, 1), forecast_date=date(2013, 9, 1), actual_date=None,
            comment="I rute"), today=TODAY)
        indicator = benefit_service.save_indicator(
            db.session, None, stored, benefit_service.IndicatorInput(
                name="E-handelsandel", benefit_id=None, unit=Unit.PERCENT, unit_label="",
                direction=Direction.HIGHER, frequency=Frequency.MONTHLY, method="",
                data_source="", measured_by_person_id=None, is_ratio=False,
                ratio_factor=None))
        db.session.commit()
        ids = milestone.id, indicator.id
    return World(project=project.id, sogndal=sogndal.id, milestone=ids[0], indicator=ids[1],
                 users={"katrine": katrine.id, "kari": kari.id})


@pytest.fixture
def browsers(world, make_client):
    """Katrine (the project leader) and Kari (Sogndal's lead), each in a browser of her own."""
    signed = {}
    for name in ("katrine", "kari"):
        browser = make_client()
        assert browser.login(name).status_code == 303
        browser.token()  # fetched now, not during the race
        signed[name] = browser
    return signed


# ---- the race ----------------------------------------------------------------------------


class HoldFirstWriter:
    """While installed, the first request that flushes a change to ``model`` keeps its
    transaction (and the row's lock) open until another connection waits for that lock."""

    def __init__(self, app, model):
        self.model = model
        self.monitor = Monitor(app)
        self.lock = threading.Lock()
        self.holder: int | None = None
        self.overlapped = False

    def after_flush(self, session: Session, _context) -> None:
        if not any(isinstance(obj, self.model) for obj in (*session.new, *session.dirty)):
            return
        with self.lock:
            if self.holder is not None:
                return
            self.holder = threading.get_ident()
        pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        self.overlapped = self.monitor.wait_until_blocked_by(pid)

    def __enter__(self):
        event.listen(Session, "after_flush", self.after_flush)
        return self

    def __exit__(self, *exc):
        event.remove(Session, "after_flush", self.after_flush)
        self.monitor.dispose()


def race(app, model, calls: dict[str, Callable]) -> dict:
    """Run the calls in threads released together; their results by name."""
    barrier = threading.Barrier(len(calls), timeout=10)
    results: dict = {}
    failures: list[BaseException] = []

    def run(name: str, call: Callable) -> None:
        try:
            barrier.wait()
            results[name] = call()
        except BaseException as error:  # noqa: BLE001 - reported in the test's thread
            failures.append(error)

    with HoldFirstWriter(app, model) as hold:
        threads = [threading.Thread(target=run, args=item) for item in calls.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads), "a request hangs"
    if failures:
        raise failures[0]
    assert hold.overlapped, "the second request never waited for the first one's lock"
    return results


def outcome(results: dict, saved: tuple[int, ...] = (200, 303)) -> tuple[str, str]:
    """(winner, loser): exactly one saved, exactly one 409."""
    statuses = {name: response.status_code for name, response in results.items()}
    winners = [name for name, status in statuses.items() if status in saved]
    losers = [name for name, status in statuses.items() if status == 409]
    assert len(winners) == 1 and len(losers) == 1, statuses
    return winners[0], losers[0]


def history(app, table: str, row_id) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(ChangeRecord.action, ChangeRecord.actor_id, ChangeRecord.after)
            .where(ChangeRecord.table_name == table, ChangeRecord.row_id == str(row_id))
            .order_by(ChangeRecord.id)).all()]


def field_text(page: str, name: str) -> str | None:
    """An input's value or a textarea's text."""
    value = input_value(page, name)
    if value is not None:
        return value
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    return html_lib.unescape(match.group(1)) if match else None


# ---- the milestone's inline update ---------------------------------------------------------


def test_two_inline_milestone_updates_at_once_one_wins_the_other_gets_409(app, world,
                                                                           browsers):
    path = f"/prosjekter/{CODE}/milepaler/{world.milestone}/oppdater"
    prefix = f"m{world.milestone}-"
    versions = {name: input_value(text(browser.htmx("GET", path)), prefix + "version_id")
                for name, browser in browsers.items()}
    assert versions["katrine"] == versions["kari"] == "1"
    wanted = {"katrine": ("2013-09-20", "Katrine: forsinket leveranse"),
              "kari": ("2013-10-15", "Kari: venter på leverandøren")}
    before = counts(app)

    def save(name):
        forecast, comment = wanted[name]
        return lambda: browsers[name].htmx("POST", path, {
            prefix + "forecast_date": forecast, prefix + "actual_date": "",
            prefix + "comment": comment, prefix + "version_id": versions[name]})

    results = race(app, Milestone, {name: save(name) for name in browsers})
    winner, loser = outcome(results, saved=(200,))
    forecast, comment = wanted[winner]
    # The loser's row is the form again, now with the winner's values and version.
    page = text(results[loser])
    assert field_text(page, prefix + "comment") == comment
    assert field_text(page, prefix + "forecast_date") == forecast
    assert input_value(page, prefix + "version_id") == "2"
    assert wanted[loser][1] not in page
    with app.app_context():
        stored = db.session.get(Milestone, world.milestone)
        assert (stored.forecast_date.isoformat(), stored.comment, stored.version_id) == \
            (forecast, comment, 2)
        changes = db.session.scalars(select(MilestoneDateChange.forecast_date).where(
            MilestoneDateChange.milestone_id == world.milestone)
            .order_by(MilestoneDateChange.id)).all()
        assert [d.isoformat() for d in changes] == ["2013-09-01", forecast]
    updates = [r for r in history(app, "milestone", world.milestone) if r[0] == "update"]
    assert len(updates) == 1
    assert updates[0][1] == world.users[winner]
    assert updates[0][2]["comment"] == comment
    # One history record of the milestone and one dated forecast; nothing else.
    assert grown(before, counts(app)) == {"change_record": 1, "milestone_date_change": 1}


# ---- a status report's draft ---------------------------------------------------------------


def report_form(version: str, done: str) -> dict:
    lights = ("overall", "schedule", "cost", "quality", "risk", "benefits")
    data = {name: "" for name in lights}
    data.update({f"{name}_comment": "" for name in lights})
    data.update({"override_reason": "", "done_this_period": done, "next_period": "",
                 "needs_decision": "", "version_id": version, "action": "save"})
    return data


@pytest.mark.parametrize("started_first", [True, False], ids=["draft", "new"])
def test_two_saves_of_one_report_draft_at_once_one_wins_the_other_gets_409(
        app, world, browsers, started_first):
    path = f"/prosjekter/{CODE}/status/2013-06/{world.sogndal}"
    if started_first:
        first = browsers["katrine"].post(path, report_form("0", "Utkast startet"))
        assert first.status_code == 303, text(first)
    versions = {name: input_value(text(browser.get(path)), "version_id")
                for name, browser in browsers.items()}
    assert versions["katrine"] == versions["kari"] == ("2" if started_first else "0")
    after = 3 if started_first else 2  # a new report is made, then saved
    wanted = {"katrine": "Katrine: leverandørene er aktivert",
              "kari": "Kari: opplæringen er ferdig i Sogndal"}
    with app.app_context():
        report_id = db.session.scalar(select(StatusReport.id))
    earlier = len(history(app, "status_report", report_id)) if started_first else 0
    before = counts(app)
    results = race(app, StatusReport, {
        name: (lambda name=name: browsers[name].post(path, report_form(versions[name],
                                                                       wanted[name])))
        for name in browsers})
    winner, loser = outcome(results, saved=(303,))
    page = text(results[loser])
    assert "Noen andre har" in page or "i mellomtiden" in page
    assert field_text(page, "done_this_period") == wanted[winner]
    assert wanted[loser] not in page
    assert input_value(page, "version_id") == str(after)
    with app.app_context():
        reports = db.session.scalars(select(StatusReport)).all()
        assert [(r.done_this_period, r.version_id, r.author_id) for r in reports] == \
            [(wanted[winner], after, world.users[winner])]
        report_id = reports[0].id
    records = history(app, "status_report", report_id)[earlier:]
    assert {actor for _action, actor, _after in records} == {world.users[winner]}
    assert records[-1][2]["done_this_period"] == wanted[winner]
    assert [action for action, _actor, _after in records] == (
        ["update"] if started_first else ["insert", "update"])
    assert grown(before, counts(app)) == (
        {"change_record": 1} if started_first else {"change_record": 2, "status_report": 1})


# ---- a measurement: stored already, and new to both -----------------------------------------


def entry_path(world: World) -> str:
    return (f"/prosjekter/{CODE}/gevinster/registrering/{world.sogndal}/{PERIOD}/"
            f"{world.indicator}")


def entry_version(world: World, browser) -> str | None:
    page = text(browser.get(f"/prosjekter/{CODE}/gevinster/registrering",
                            query_string={"organisasjon": world.sogndal, "periode": PERIOD}))
    return input_value(page, f"i{world.indicator}-version_id")


def measurements(app) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(
            Measurement.value, Measurement.comment, Measurement.version_id,
            Measurement.entered_by_id)).all()]


def store_measurement(app, world: World, value: str) -> int:
    with app.app_context():
        stored = db.session.get(Project, world.project)
        indicator = db.session.get(Indicator, world.indicator)
        saved = benefit_service.record_measurement(
            db.session, None, stored, benefit_service.MeasurementInput(
                indicator, world.sogndal, PERIOD, Decimal(value), "Første tall"), today=TODAY)
        db.session.commit()
        return saved.id


def value_shown(page: str, world: World) -> str | None:
    value = input_value(page, f"i{world.indicator}-value")
    return value.replace(",", ".") if value else value


@pytest.mark.parametrize("stored_first", [True, False], ids=["stored", "new"])
def test_two_entries_of_one_measurement_at_once_one_wins_the_other_gets_409(
        app, world, browsers, stored_first):
    if stored_first:
        store_measurement(app, world, "10")
    versions = {name: entry_version(world, browser) for name, browser in browsers.items()}
    assert versions["katrine"] == versions["kari"] == ("1" if stored_first else "0")
    wanted = {"katrine": ("41", "Katrines tall"), "kari": ("42", "Karis tall")}
    prefix = f"i{world.indicator}-"
    before = counts(app)

    def save(name):
        value, comment = wanted[name]
        return lambda: browsers[name].htmx("POST", entry_path(world), {
            prefix + "value": value, prefix + "comment": comment,
            prefix + "version_id": versions[name]})

    results = race(app, Measurement, {name: save(name) for name in browsers})
    winner, loser = outcome(results, saved=(200,))
    value, comment = wanted[winner]
    page = text(results[loser])
    assert Decimal(value_shown(page, world)) == Decimal(value)
    assert input_value(page, prefix + "comment") == comment
    assert wanted[loser][1] not in page
    version = 2 if stored_first else 1
    assert input_value(page, prefix + "version_id") == str(version)
    assert measurements(app) == [(Decimal(value), comment, version, world.users[winner])]
    with app.app_context():
        row_id = db.session.scalar(select(Measurement.id))
    records = history(app, "measurement", row_id)
    mine = [r for r in records if r[1] == world.users[winner]]
    assert len(mine) == 1 and mine[0][0] == ("update" if stored_first else "insert")
    assert Decimal(mine[0][2]["value"]) == Decimal(value)
    assert grown(before, counts(app)) == (
        {"change_record": 1} if stored_first else {"change_record": 1, "measurement": 1})


# ---- the API's measurement write -----------------------------------------------------------


@pytest.mark.parametrize("stored_first", [True, False], ids=["stored", "new"])
def test_two_api_writes_of_one_measurement_at_once_one_wins_the_other_gets_409(
        app, world, stored_first):
    from governance.api import service as api_service

    secrets = {}
    with app.app_context():
        for name, user_id in world.users.items():
            user = db.session.get(User, user_id)
            _token, secrets[name] = api_service.create_token(
                db.session, user, user, name="Fagsystem", expires_on=None, today=TODAY)
        db.session.commit()
    version = 0
    if stored_first:
        store_measurement(app, world, "10")
        version = 1
    path = f"/api/v1/projects/{CODE}/indicators/{world.indicator}/measurements"
    wanted = {"katrine": "41.5", "kari": "42.5"}
    before = counts(app)

    def write(name):
        client = app.test_client()
        return lambda: client.post(path, headers={"Authorization": f"Bearer {secrets[name]}"},
                                   json={"organisation_id": world.sogndal, "period": PERIOD,
                                         "value": float(wanted[name]), "comment": name,
                                         "version_id": version})

    results = race(app, Measurement, {name: write(name) for name in wanted})
    winner, loser = outcome(results, saved=(200, 201))
    assert results[winner].status_code == (200 if stored_first else 201)
    problem = json.loads(results[loser].get_data(as_text=True))["error"]
    assert problem["status"] == 409
    assert Decimal(str(problem["current"]["value"])) == Decimal(wanted[winner])
    assert problem["current"]["comment"] == winner
    assert problem["current"]["version_id"] == version + 1
    assert [(v, c) for v, c, _version, _by in measurements(app)] == \
        [(Decimal(wanted[winner]), winner)]
    assert grown(before, counts(app)) == (
        {"change_record": 1} if stored_first else {"change_record": 1, "measurement": 1})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Measurement)) == 1
