"""The load test: gunicorn and PostgreSQL under many signed-in users, on loopback.

    .venv/bin/python -m bench.load                          # 50 users, 60 s, the large data set
    .venv/bin/python -m bench.load --small --users 10 --duration 15
    .venv/bin/python -m bench.load --workers 3 --threads 4 --throttle redis://127.0.0.1:6379/0

It makes a fresh database on the PostgreSQL server (dropped afterwards, also on failure or
Ctrl+C), migrates it, loads the demo data and the benchmark's large data set (bench/dataset.py;
``--small``: the demo data only), gives every simulated user an account of its own with a role
in a project (project leader or municipal project lead) and objects of its own to write to (a
milestone, a measurement row, a draft status report), starts the production command
(scripts/serve: migrations, then gunicorn) on a free loopback port, and runs locust headless
(bench/locustfile.py) for the sign-in ramp plus ``--duration`` seconds. Afterwards it counts
the writes in the database and compares them with the successful writes locust recorded.

Exit status 0 only when no request failed, every write is accounted for and the p95 of pages
(under 300 ms) and htmx fragments (under 150 ms) meet their goals (``--no-goals``: timings
are printed but not judged, for CI).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "lasttest-passord-2026"  # noqa: S105 - throwaway accounts in a throwaway database
GOALS_MS = {"page": 300.0, "htmx": 150.0}
KINDS = ("milestone", "measurement", "report")


# ---- the users and what they write to ----------------------------------------------------


def prepare(app, count: int, today: date | None = None) -> list[dict]:
    """``count`` accounts, each with a role in a project and a milestone, a measurement row
    and a draft status report no other account writes to. Projects with indicators are
    shared out in turn (one each on the large data set)."""
    from sqlalchemy import select

    from governance.benefits.achievement import period_for
    from governance.benefits.models import Indicator
    from governance.errors import RuleViolation
    from governance.extensions import db
    from governance.projects import plan
    from governance.projects.models import Project
    from governance.reporting import service as report_service
    from governance.roles import service as role_service
    from governance.roles.models import ProjectRole, ProjectRoleKind

    today = today or date.today()
    accounts: list[dict] = []
    with app.app_context():
        session = db.session
        projects = [p for p in session.scalars(select(Project).order_by(Project.id))
                    if p.participants and session.scalar(select(Indicator.id).where(
                        Indicator.project_id == p.id).limit(1)) is not None]
        if not projects:
            raise RuntimeError("no project with indicators and participants to write to")
        taken_reports: set[tuple] = set()
        for number in range(count):
            project = projects[number % len(projects)]
            slot = number // len(projects)
            participants = sorted(o.id for o in project.participants)
            leader = number % 2 == 0
            organisation_id = participants[slot % len(participants)]
            username = f"last-{number + 1:03d}"
            user = role_service.create_user(
                session, None, username=username, full_name=f"Last Testesen {number + 1}",
                password=PASSWORD, organisation_id=organisation_id)
            person = role_service.person_for_user(session, user)
            session.add(ProjectRole(
                project_id=project.id, person_id=person.id,
                role=ProjectRoleKind.PROJECT_LEADER if leader
                else ProjectRoleKind.MUNICIPAL_LEAD,
                organisation_id=None if leader else organisation_id,
                valid_from=date(2000, 1, 1), valid_to=None))
            forecast = today + timedelta(days=60)
            milestone = plan.create_milestone(session, None, project, plan.MilestoneInput(
                title=f"Lasttest {username}", description="",
                responsible_person_id=person.id,
                organisation_id=None if leader else organisation_id, group_id=None,
                decision_point=None, baseline_date=forecast, forecast_date=forecast,
                actual_date=None, comment=""), today=today)[0]
            indicator = session.scalar(select(Indicator).where(
                Indicator.project_id == project.id).order_by(Indicator.id).limit(1))
            # A past period of the indicator's frequency, a year further back per slot.
            measured = period_for(indicator.frequency, date(today.year - 1 - slot, 6, 15))
            report_org = None if leader else organisation_id
            report = _draft_report(session, project, report_org, taken_reports, today,
                                   report_service, RuleViolation)
            accounts.append({
                "username": username, "password": PASSWORD, "user_id": user.id,
                "code": project.code, "role": "project leader" if leader
                else "municipal lead", "milestone_id": milestone.id,
                "entry": {"organisation_id": organisation_id, "period": measured.code,
                          "indicator_id": indicator.id},
                "report": {"period": report.period,
                           "who": "prosjekt" if report_org is None else str(report_org)},
            })
        session.commit()
    return accounts


def _draft_report(session, project, organisation_id, taken, today, report_service,
                  rule_violation):
    """A draft report of the project (or participant) for a period no one else writes,
    made now so that every save in the test is an update."""
    from governance.benefits.achievement import period_for
    from governance.benefits.models import Frequency

    frequency = Frequency.QUARTERLY if project.reporting_frequency == "quarterly" \
        else Frequency.MONTHLY
    day = today.replace(day=1)
    for _ in range(240):
        day = (day - timedelta(days=1)).replace(day=1)
        period = period_for(frequency, day)
        key = (project.id, organisation_id, period.code)
        if key in taken:
            continue
        try:
            checked = report_service.check_period(project, period.code, today)
        except rule_violation:
            break  # before the project started
        existing = report_service.latest(session, project.id, period.code, organisation_id)
        if existing is not None and existing.published:
            continue
        taken.add(key)
        return report_service.start_report(session, None, project, checked, organisation_id)
    raise RuntimeError(f"no free reporting period in {project.code}")


def count_writes(app, user_ids: list[int]) -> dict[str, int]:
    """What the test's accounts wrote, as the database records it: one milestone date
    change per saved forecast, one change record per saved measurement and per saved
    report."""
    from sqlalchemy import func, select

    from governance.extensions import db
    from governance.history.models import ChangeRecord
    from governance.projects.models import MilestoneDateChange

    with app.app_context():
        session = db.session

        def records(table: str) -> int:
            return session.scalar(select(func.count()).select_from(ChangeRecord).where(
                ChangeRecord.table_name == table, ChangeRecord.actor_id.in_(user_ids)))

        found = {
            "milestone": session.scalar(select(func.count()).select_from(MilestoneDateChange)
                                        .where(MilestoneDateChange.changed_by_id.in_(user_ids))),
            "measurement": records("measurement"),
            "report": records("status_report"),
        }
        db.session.remove()
    return found


# ---- the server and locust ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(database_url: str, port: int, workers: int | None,
                       threads: int | None, throttle: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("GOVERNANCE_")}
    env.update({
        "GOVERNANCE_ENV": "production",
        "GOVERNANCE_SECRET_KEY": secrets.token_hex(32),
        "GOVERNANCE_DATABASE_URL": database_url,
        "GOVERNANCE_THROTTLE_STORAGE": throttle,
        "GOVERNANCE_BIND": f"127.0.0.1:{port}",
        # Plain http on loopback: a Secure cookie would never be sent back.
        "GOVERNANCE_SECURE_COOKIES": "0",
    })
    if workers:
        env["GOVERNANCE_WORKERS"] = str(workers)
    if threads:
        env["GOVERNANCE_THREADS"] = str(threads)
    return env


def start_server(env: dict[str, str], log: Path, port: int, wait: float = 90.0):
    """scripts/serve in its own process group; returns once it answers."""
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(  # noqa: S603 - our own script, no shell
            [str(ROOT / "scripts" / "serve")], cwd=ROOT, env=env, stdout=handle,
            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}):\n"
                               + _tail(log))
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/logg-inn", timeout=5) as r:
                if r.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    stop_server(process)
    raise RuntimeError(f"the server did not answer within {wait:.0f} s:\n" + _tail(log))


def stop_server(process) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # gunicorn: graceful stop of every worker
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def run_locust(port: int, plan: Path, results: Path, log: Path, users: int,
               spawn_rate: float, seconds: int, think: str = "5-15") -> dict:
    env = dict(os.environ, GOVERNANCE_LOAD_PLAN=str(plan), GOVERNANCE_LOAD_RESULTS=str(results),
               GOVERNANCE_LOAD_THINK=think)
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
               "--headless", "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s",
               "--host", f"http://127.0.0.1:{port}", "--stop-timeout", "15",
               "--only-summary", "--loglevel", "WARNING"]
    with log.open("wb") as handle:
        process = subprocess.Popen(  # noqa: S603 - a fixed command, no shell
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            process.wait(timeout=seconds + 90)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)  # locust writes its results on quit
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            raise
    if not results.exists():
        raise RuntimeError("locust wrote no results:\n" + _tail(log))
    return json.loads(results.read_text(encoding="utf-8"))


# ---- figures ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (the value below which ``share`` of the values lie)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Figures:
    count: int = 0
    failures: int = 0
    times: list[float] = field(default_factory=list)

    def add(self, ms: float, ok: bool) -> None:
        self.count += 1
        self.failures += 0 if ok else 1
        self.times.append(ms)

    def row(self, label: str) -> str:
        return (f"{label:<28} {self.count:>6} {self.failures:>5} "
                f"{percentile(self.times, .5):>7.0f} {percentile(self.times, .95):>7.0f} "
                f"{max(self.times, default=0):>7.0f}")


@dataclass
class Outcome:
    classes: dict[str, Figures]
    names: dict[tuple[str, str], Figures]
    errors: int
    failure_examples: list[str]
    conflicts: dict[str, int]
    recorded: dict[str, int]
    counted: dict[str, int]
    requests: int
    ramp: Figures = field(default_factory=Figures)

    @property
    def writes_match(self) -> bool:
        return all(self.recorded.get(k, 0) == self.counted.get(k, 0) for k in KINDS)

    def p95(self, kind: str) -> float:
        figures = self.classes.get(kind)
        return percentile(figures.times, .95) if figures else 0.0

    def goals_met(self) -> bool:
        return all(self.p95(kind) < goal for kind, goal in GOALS_MS.items())


def summarise(results: dict, counted: dict[str, int]) -> Outcome:
    classes: dict[str, Figures] = {}
    names: dict[tuple[str, str], Figures] = {}
    ramp = Figures()
    for kind, name, ms, ok, steady in results["samples"]:
        if not steady and kind != "sign-in":  # during the ramp: counted, not timed
            ramp.add(ms, ok)
            continue
        classes.setdefault(kind, Figures()).add(ms, ok)
        names.setdefault((kind, name), Figures()).add(ms, ok)
    return Outcome(classes=classes, names=names, errors=results["failure_count"],
                   failure_examples=results["failures"], conflicts=results["conflicts"],
                   recorded={k: results["writes"].get(k, 0) for k in KINDS}, counted=counted,
                   requests=len(results["samples"]), ramp=ramp)


def render(outcome: Outcome, judge_goals: bool, seconds: int) -> str:
    head = f"{'':<28} {'count':>6} {'fail':>5} {'median':>7} {'p95':>7} {'max':>7}"
    steady = outcome.requests - outcome.ramp.count
    lines = [f"Requests: {outcome.requests} in {seconds} s, {outcome.ramp.count} of them while "
             f"users were still signing in (counted for errors, not timed: p95 "
             f"{percentile(outcome.ramp.times, .95):.0f} ms), {steady} after "
             f"(times in ms):", head]
    for kind in ("page", "htmx", "sign-in"):
        rows = sorted((name, figures) for (k, name), figures in outcome.names.items()
                      if k == kind)
        if not rows:
            continue
        lines.append(outcome.classes[kind].row(f"[{kind}] all"))
        lines += [figures.row("  " + name) for name, figures in rows]
    lines += ["", "Writes          locust   database"]
    for kind in KINDS:
        recorded, counted = outcome.recorded[kind], outcome.counted[kind]
        verdict = "OK" if recorded == counted else "MISMATCH"
        lines.append(f"  {kind:<13} {recorded:>7} {counted:>10}   {verdict}")
    if any(outcome.conflicts.values()):
        lines.append(f"  conflicts (409, not counted as writes): {outcome.conflicts}")
    lines += ["", "Goals"]
    for kind, goal in GOALS_MS.items():
        p95 = outcome.p95(kind)
        verdict = ("ok" if p95 < goal else "OVER") if judge_goals else "(not judged)"
        lines.append(f"  p95 {kind:<5} under {goal:>4.0f} ms: {p95:>6.0f} ms  {verdict}")
    lines.append(f"  errors 0: {outcome.errors}  {'ok' if outcome.errors == 0 else 'FAILED'}")
    lines.append(f"  writes accounted for: {'ok' if outcome.writes_match else 'MISMATCH'}")
    if outcome.failure_examples:
        lines += ["", "First failures:"] + [f"  {text}" for text in outcome.failure_examples[:10]]
    return "\n".join(lines)


# ---- the whole run ------------------------------------------------------------------------


@dataclass
class Options:
    database: str = DEFAULT_SERVER
    users: int = 50
    duration: int = 60
    spawn_rate: float = 2.0
    think: str = "5-15"
    workers: int | None = None
    threads: int | None = None
    throttle: str = "database"
    small: bool = False


def run(options: Options, say=print) -> tuple[Outcome, int]:
    """Make the database, serve, load, count; returns (outcome, seconds of load)."""
    from bench.__main__ import make_app
    from bench.dataset import describe
    from bench.pages import _database

    url, drop = _database(options.database)
    server = app = None
    try:
        with tempfile.TemporaryDirectory(prefix="styringsrommet-load-") as folder:
            work = Path(folder)
            started = time.perf_counter()
            app, made = make_app(url, large=not options.small)
            say(describe(made) if made else "Demo data only (--small).")
            accounts = prepare(app, options.users)
            plan = work / "plan.json"
            plan.write_text(json.dumps({"users": accounts}), encoding="utf-8")
            say(f"{len(accounts)} accounts ready in {time.perf_counter() - started:.0f} s "
                f"({sum(a['role'] == 'project leader' for a in accounts)} project leaders, "
                f"{sum(a['role'] == 'municipal lead' for a in accounts)} municipal leads).")
            port = free_port()
            env = server_environment(url, port, options.workers, options.threads,
                                     options.throttle)
            server = start_server(env, work / "server.log", port)
            from governance.gunicorn_conf import default_workers

            say(f"gunicorn on 127.0.0.1:{port}: {options.workers or default_workers()} "
                f"workers, {options.threads or 1} thread(s) each; throttle in "
                f"{options.throttle}.")
            seconds = math.ceil(options.users / options.spawn_rate) + options.duration
            say("Load average before: " + _load_average())
            results = run_locust(port, plan, work / "results.json", work / "locust.log",
                                 options.users, options.spawn_rate, seconds, options.think)
            say("Load average after:  " + _load_average()
                + " (other programs on the machine slow the figures down)")
            stop_server(server)
            log = (work / "server.log").read_text(errors="replace")
            if "Traceback" in log:
                say("The server log has a traceback:\n" + _tail(work / "server.log", 40))
            counted = count_writes(app, [a["user_id"] for a in accounts])
            outcome = summarise(results, counted)
            if "Traceback" in log:
                outcome.errors += 1
            return outcome, seconds
    finally:
        stop_server(server)
        if app is not None:
            from governance.extensions import db

            with app.app_context():
                db.engine.dispose()
        drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_SERVER,
                        help=f"a PostgreSQL server URL ({DEFAULT_SERVER})")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60,
                        help="seconds at full load, after the sign-in ramp (60)")
    parser.add_argument("--spawn-rate", type=float, default=2.0,
                        help="users signing in per second during the ramp (2)")
    parser.add_argument("--think", default="5-15",
                        help="seconds a user waits between actions, MIN-MAX (5-15)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (2 per core + 1)")
    parser.add_argument("--threads", type=int, help="threads per worker (1: sync workers)")
    parser.add_argument("--throttle", default="database",
                        help='sign-in throttle storage: "database" or a redis:// URL')
    parser.add_argument("--small", action="store_true", help="the demo data only")
    parser.add_argument("--no-goals", action="store_true",
                        help="print the timings without judging them")
    args = parser.parse_args(argv)
    try:
        low, high = (float(part) for part in args.think.split("-"))
        if not 0 <= low <= high:
            raise ValueError
    except ValueError:
        parser.error("--think takes MIN-MAX seconds, e.g. 5-15")
    if not args.database.startswith("postgresql"):
        parser.error("the load test needs a PostgreSQL server URL")
    options = Options(database=args.database, users=args.users, duration=args.duration,
                      spawn_rate=args.spawn_rate, workers=args.workers, threads=args.threads,
                      throttle=args.throttle, small=args.small, think=args.think)
    outcome, seconds = run(options, say=lambda text: print(text, flush=True))
    print(render(outcome, not args.no_goals, seconds))
    ok = outcome.errors == 0 and outcome.writes_match and (
        args.no_goals or outcome.goals_met())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
