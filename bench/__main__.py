"""The benchmark: server time, SQL queries and size of every page type and htmx action, on the
demo data and on a large generated data set, against the framework floor; and the browser's
figures (the dashboard's LCP and CLS, JavaScript bytes per page type).

    .venv/bin/python -m bench                     # SQLite: demo data, then the large set
    .venv/bin/python -m bench --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python -m bench --small --only dashbord --repeat 50 --skip-browser

With --database, SQLite runs first and PostgreSQL after it (a fresh database is made on the
server for each data set and dropped afterwards). Times are measured in-process with Flask's
test client (no network), after one warm-up request; "floor" is a bare Flask route returning
the same bytes through the same kind of client.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import event, select

from bench.pages import _database, _floor_client, _percentile

PAGE_GOAL_MS = 60.0
FLOOR_GOAL = 4.0
DASHBOARD_GOAL_MS = 200.0
MILESTONE_GOAL_MS = 30.0
PANELS = ("status", "milepaler", "gevinster", "risiko", "okonomi", "rapportering", "moter")
WORKBOOKS = ("milepaler", "gevinster", "risiko", "budsjett")
TOKEN_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Case:
    name: str
    kind: str  # page, panel, export, api, action
    endpoint: str
    path: str  # formatted with the context
    htmx: bool = False
    # A write: (client, context, round) -> (path, form data), prepared outside the timing.
    write: Callable | None = None
    demo_only: bool = False


def _milestone_write(app, ctx: dict, round_: int):
    from governance.extensions import db
    from governance.projects.models import Milestone

    with app.app_context():
        version = db.session.scalar(select(Milestone.version_id).where(
            Milestone.id == ctx["milestone_id"]))
    prefix = f"m{ctx['milestone_id']}-"
    forecast = ctx["today"] + timedelta(days=40 + round_ % 7)
    return (f"/prosjekter/{ctx['code']}/milepaler/{ctx['milestone_id']}/oppdater",
            {prefix + "forecast_date": forecast.isoformat(), prefix + "actual_date": "",
             prefix + "comment": f"Runde {round_}", prefix + "version_id": str(version)})


def _measurement_write(app, ctx: dict, round_: int):
    from governance.benefits.models import Measurement
    from governance.extensions import db

    entry = ctx["entry"]
    with app.app_context():
        version = db.session.scalar(select(Measurement.version_id).where(
            Measurement.indicator_id == entry["indicator_id"],
            Measurement.organisation_id == entry["organisation_id"],
            Measurement.period == entry["period"])) or 0
    prefix = f"i{entry['indicator_id']}-"
    return (f"/prosjekter/{ctx['code']}/gevinster/registrering/{entry['organisation_id']}/"
            f"{entry['period']}/{entry['indicator_id']}",
            {prefix + "value": f"{20 + round_ % 9},5", prefix + "comment": "",
             prefix + "version_id": str(version)})


def cases() -> list[Case]:
    p = "/prosjekter/{code}"
    found = [
        Case("start page", "page", "main.start", "/"),
        Case("project list", "page", "projects.index", "/prosjekter/"),
        Case("project", "page", "projects.show", p),
        Case("organisation chart", "page", "organisation.chart", p + "/organisering"),
        Case("milestones", "page", "plan.milestones", p + "/milepaler"),
        Case("phases", "page", "decisions.phases", p + "/faser"),
        Case("decision log", "page", "decisions.log", p + "/vedtak"),
        Case("meetings", "page", "decisions.meetings", p + "/moter"),
        Case("benefits plan", "page", "benefits.overview", p + "/gevinster/"),
        Case("benefits (Kodeknekk)", "page", "benefits.overview",
             "/prosjekter/KODEKNEKK/gevinster/", demo_only=True),
        Case("measurement entry", "page", "benefits.entry", p + "/gevinster/registrering"),
        Case("status overview", "page", "reporting.overview", p + "/status/"),
        Case("status period", "page", "reporting.period", p + "/status/{period}"),
        Case("risk register", "page", "risks.register", p + "/risiko/"),
        Case("budget", "page", "finance.overview", p + "/okonomi/?ar={year}"),
        Case("cost sharing (Kongsberg)", "page", "finance.sharing",
             "/prosjekter/INNKJOP-KONGSBERG/okonomi/fordeling", demo_only=True),
        Case("settlement", "page", "finance.settlement", p + "/okonomi/oppgjor?ar={year}"),
        Case("project history", "page", "projects.history", p + "/historikk"),
        Case("dashboard", "page", "dashboards.project", p + "/dashbord"),
    ]
    found += [Case(f"panel {name}", "panel", "dashboards.panel", p + f"/dashbord/{name}",
                   htmx=True) for name in PANELS]
    found += [
        Case("portfolio", "page", "portfolio.index", "/portefolje/"),
        Case("portfolio, phase filter", "page", "portfolio.index",
             "/portefolje/?fase=execution"),
        Case("portfolio, sorted", "page", "portfolio.index", "/portefolje/?sorter=navn"),
        Case("comparison", "page", "portfolio.compare", "/portefolje/sammenligning"),
        Case("municipality", "page", "portfolio.municipality",
             "/portefolje/organisasjoner/{organisation_id}"),
        Case("steering group pack", "page", "pack.printable", p + "/styringsgruppepakke"),
        Case("settlement export (xlsx)", "export", "finance.settlement_export",
             p + "/okonomi/oppgjor/{year}.xlsx"),
    ]
    found += [Case(f"workbook {name}", "export", "pack.workbook", p + f"/eksport/{name}.xlsx")
              for name in WORKBOOKS]
    found += [
        Case("API projects", "api", "api.projects", "/api/v1/projects"),
        Case("htmx: milestone update", "action", "plan.report_progress", "", htmx=True,
             write=_milestone_write),
        Case("htmx: measurement row save", "action", "benefits.entry_row", "", htmx=True,
             write=_measurement_write),
        Case("htmx: heat map cell", "action", "risks.register", p + "/risiko/?s=3&k=4",
             htmx=True),
        Case("htmx: project search", "action", "projects.index", "/prosjekter/?q=felles",
             htmx=True),
        Case("htmx: portfolio filter", "action", "portfolio.index",
             "/portefolje/?fase=execution", htmx=True),
    ]
    return found


# ---- the app and its data ----------------------------------------------------------------


def make_app(database_url: str, large: bool):
    from flask_migrate import upgrade

    from governance import create_app, demo
    from governance.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "bench-secret-key",
                      "GOVERNANCE_THROTTLE_STORAGE": "database"})
    made = None
    with app.app_context(), contextlib.redirect_stderr(io.StringIO()):
        upgrade()  # quietly: Alembic's logging goes to stderr
        demo.load(db.session)
        db.session.commit()
        if large:
            from bench.dataset import generate

            made = generate(db.session)
    return app, made


def context(app, code: str) -> dict:
    """What the paths and writes of one project need: a period with reports, a year with
    a budget, a participant, an open milestone, an indicator row to save."""
    from sqlalchemy import func

    from governance.benefits.models import Indicator, Measurement
    from governance.extensions import db
    from governance.finance.models import BudgetLine
    from governance.projects.models import Milestone, Project
    from governance.reporting.models import ReportStatus, StatusReport

    with app.app_context():
        project = db.session.scalar(select(Project).where(Project.code == code))
        period = db.session.scalar(
            select(StatusReport.period).where(StatusReport.project_id == project.id,
                                              StatusReport.status == ReportStatus.PUBLISHED)
            .order_by(StatusReport.period.desc()).limit(1))
        year = db.session.scalar(select(func.min(BudgetLine.year)).where(
            BudgetLine.project_id == project.id))
        milestone_id = db.session.scalar(
            select(Milestone.id).where(Milestone.project_id == project.id,
                                       Milestone.actual_date.is_(None))
            .order_by(Milestone.id).limit(1))
        participants = [o.id for o in project.participants]
        row = db.session.execute(
            select(Measurement.indicator_id, Measurement.organisation_id, Measurement.period)
            .join(Indicator, Indicator.id == Measurement.indicator_id)
            .where(Measurement.project_id == project.id,
                   Measurement.organisation_id.in_(participants))
            .order_by(Measurement.period_end.desc(), Measurement.id).limit(1)).first()
        if row is None:  # no measurements yet: the first indicator's row for a past period
            from governance.benefits.achievement import period_for

            indicator = db.session.scalar(select(Indicator).where(
                Indicator.project_id == project.id).order_by(Indicator.id).limit(1))
            if indicator is not None:
                day = (project.start_date or date(2013, 1, 1)) + timedelta(days=200)
                row = (indicator.id, participants[0],
                       period_for(indicator.frequency, day).code)
        return {
            "code": code, "period": period or "2013-08", "year": year or date.today().year,
            "organisation_id": participants[0], "milestone_id": milestone_id,
            "entry": dict(indicator_id=row[0], organisation_id=row[1], period=row[2])
            if row else None,
            "today": date.today(),
        }


def api_token(app) -> str | None:
    """A bearer token of the admin account (through the API's own service), or None."""
    try:
        from governance.api import service as api_service
    except ImportError:
        return None
    from governance.extensions import db
    from governance.roles.models import User

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        try:
            _token, secret = api_service.create_token(
                db.session, None, admin, name="benchmark", expires_on=None,
                today=date.today())
        except Exception as error:  # the API is being built: measure the rest
            print(f"No API token ({type(error).__name__}); the API is skipped.",
                  file=sys.stderr)
            return None
        db.session.commit()
    return secret


# ---- measuring ---------------------------------------------------------------------------


@dataclass
class Result:
    median: float
    p95: float
    floor: float
    queries: int
    size: int

    @property
    def ratio(self) -> float:
        return self.median / self.floor if self.floor else float("inf")


@dataclass
class Bench:
    app: Flask
    client: object
    statements: list
    token: str = ""
    api: str | None = None
    errors: list = field(default_factory=list)

    def headers(self, case: Case) -> dict:
        headers = {"HX-Request": "true"} if case.htmx else {}
        if case.kind == "api" and self.api:
            headers["Authorization"] = f"Bearer {self.api}"
        return headers

    def request(self, case: Case, ctx: dict, round_: int):
        """(send, expected status): the request to time, prepared."""
        headers = self.headers(case)
        if case.write is not None:
            path, data = case.write(self.app, ctx, round_)
            data["csrf_token"] = self.token
            return lambda: self.client.post(path, data=data, headers=headers)
        path = case.path.format(**ctx)
        return lambda: self.client.get(path, headers=headers)

    def run(self, case: Case, ctx: dict, repeat: int) -> Result | None:
        warm = self.request(case, ctx, -1)()  # warm-up
        if warm.status_code != 200:
            self.errors.append(f"{case.name} ({ctx['code']}): HTTP {warm.status_code}")
            return None
        times, queries, response = [], 0, None
        for round_ in range(repeat):
            send = self.request(case, ctx, round_)
            self.statements.clear()
            started = time.perf_counter()
            response = send()
            times.append((time.perf_counter() - started) * 1000)
            queries = len(self.statements)
            if response.status_code != 200:
                raise RuntimeError(f"{case.name}: {response.status_code} "
                                   f"{response.get_data(as_text=True)[:300]}")
        body = response.get_data()
        floor = _floor_client({"bytes": body})
        floor.get("/")
        floors = []
        for _ in range(repeat):
            started = time.perf_counter()
            floor.get("/")
            floors.append((time.perf_counter() - started) * 1000)
        return Result(statistics.median(times), _percentile(times, .95),
                      statistics.median(floors), queries, len(body))


def prepare(app) -> Bench:
    from governance.extensions import db

    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client = app.test_client()
    page = client.get("/logg-inn")
    token = TOKEN_PATTERN.search(page.get_data(as_text=True)).group(1)
    answer = client.post("/logg-inn", data={"username": "admin", "password": "admin-demo-2026",
                                            "csrf_token": token})
    assert answer.status_code == 303, f"sign-in failed: {answer.status_code}"
    page = client.get("/konto")
    token = TOKEN_PATTERN.search(page.get_data(as_text=True)).group(1)
    return Bench(app=app, client=client, statements=statements, token=token,
                 api=api_token(app) if "api.projects" in app.view_functions else None)


def applicable(app, only: str) -> tuple[list[Case], list[Case]]:
    chosen, skipped = [], []
    for case in cases():
        if only and only not in case.name and only not in case.path \
                and only not in case.endpoint:
            continue
        (chosen if case.endpoint in app.view_functions else skipped).append(case)
    return chosen, skipped


def run_set(app, label: str, contexts: dict[str, dict], chosen: list[Case], repeat: int,
            large: bool) -> dict[tuple[str, str], Result]:
    bench = prepare(app)
    results = {}
    for case in chosen:
        for where, ctx in contexts.items():
            if case.demo_only and where != "demo":
                continue
            if case.kind == "api" and not bench.api:
                continue
            if case.write is _measurement_write and not ctx["entry"]:
                continue
            result = bench.run(case, ctx, repeat)
            if result is not None:
                results[(case.name, where)] = result
        print(f"  {label}: {case.name}", file=sys.stderr, end="\r" if sys.stderr.isatty()
              else "\n")
    for error in bench.errors:
        print(f"  {label}: not measured, {error}", file=sys.stderr)
    results["errors"] = bench.errors
    return results


# ---- reporting ---------------------------------------------------------------------------


def _fmt(result: Result | None, what: str) -> str:
    if result is None:
        return "-"
    return {"median": f"{result.median:.1f}", "p95": f"{result.p95:.1f}",
            "floor": f"{result.floor:.2f}", "ratio": f"{result.ratio:.0f}x",
            "queries": str(result.queries), "size": f"{result.size / 1024:.1f}k"}[what]


def report(kind: str, chosen: list[Case], small: dict, large: dict | None,
           typical: str) -> list[str]:
    lines = []
    w = 30
    if large is None:
        lines.append(f"{kind}, demo data (EHANDEL-SOGN); times in ms")
        lines.append(f"{'page / action':{w}} {'median':>7} {'p95':>7} {'floor':>6} "
                     f"{'ratio':>6} {'queries':>7} {'size':>7}")
        for case in chosen:
            r = small.get((case.name, "demo"))
            if r:
                lines.append(f"{case.name:{w}} {_fmt(r, 'median'):>7} {_fmt(r, 'p95'):>7} "
                             f"{_fmt(r, 'floor'):>6} {_fmt(r, 'ratio'):>6} "
                             f"{_fmt(r, 'queries'):>7} {_fmt(r, 'size'):>7}")
        return lines
    lines.append(f"{kind}; times in ms. large = 500-project set: {typical} (a typical "
                 "generated project) and EHANDEL-SOGN; small = demo data only")
    lines.append(f"{'':{w}} {'large ' + typical:-^38} {'large EHANDEL':-^15} "
                 f"{'small':-^15} {'queries':-^23}")
    lines.append(f"{'page / action':{w}} {'median':>7} {'p95':>7} {'floor':>6} {'ratio':>6} "
                 f"{'size':>7} {'median':>7} {'p95':>7} {'median':>7} {'p95':>7} "
                 f"{'small':>5} {'large':>5} {'typ.':>5} {'':5}")
    for case in chosen:
        t, d = large.get((case.name, "typical")), large.get((case.name, "demo"))
        s = small.get((case.name, "demo"))
        flag = ""
        if s and d and d.queries > s.queries:
            flag = "GROWS"
        elif s and t and t.queries != s.queries:
            flag = "differs"
        lines.append(
            f"{case.name:{w}} {_fmt(t, 'median'):>7} {_fmt(t, 'p95'):>7} {_fmt(t, 'floor'):>6} "
            f"{_fmt(t, 'ratio'):>6} {_fmt(t, 'size'):>7} {_fmt(d, 'median'):>7} "
            f"{_fmt(d, 'p95'):>7} {_fmt(s, 'median'):>7} {_fmt(s, 'p95'):>7} "
            f"{_fmt(s, 'queries'):>5} {_fmt(d, 'queries'):>5} {_fmt(t, 'queries'):>5} {flag}")
    return lines


def goals(kind: str, chosen: list[Case], small: dict, large: dict | None) -> list[str]:
    """Every figure against its goal: ok / OVER."""
    measured = large if large is not None else small
    lines = [f"{kind}: goals ({'large set' if large is not None else 'demo data'})"]

    def mark(ok: bool) -> str:
        return "ok" if ok else "OVER"

    for case in chosen:
        results = [r for (name, _where), r in measured.items() if name == case.name]
        if not results:
            continue
        worst = max(results, key=lambda r: r.median)
        checks = []
        if case.kind in ("page", "panel"):
            checks.append(f"median {worst.median:5.1f} < {PAGE_GOAL_MS:.0f} ms "
                          f"{mark(worst.median < PAGE_GOAL_MS):4}")
            ratio = max(r.ratio for r in results)
            checks.append(f"floor ratio {ratio:4.0f}x <= {FLOOR_GOAL:.0f}x "
                          f"{mark(ratio <= FLOOR_GOAL):4}")
        if case.name == "htmx: milestone update":
            checks.append(f"median {worst.median:5.1f} < {MILESTONE_GOAL_MS:.0f} ms "
                          f"{mark(worst.median < MILESTONE_GOAL_MS):4}")
        if large is not None and case.kind in ("page", "panel"):
            s = small.get((case.name, "demo"))
            d = large.get((case.name, "demo"))
            if s and d:
                checks.append(f"queries small {s.queries} = large {d.queries} "
                              f"{mark(d.queries <= s.queries)}")
        if checks:
            lines.append(f"  {case.name:30} " + "   ".join(checks))
    for where in ("typical", "demo"):
        parts = [measured.get(("dashboard", where))] + [
            measured.get((f"panel {name}", where)) for name in PANELS]
        if parts[0] is not None and all(parts):
            total = sum(r.median for r in parts)
            label = "typical project" if where == "typical" else "EHANDEL-SOGN"
            lines.append(f"  {'dashboard total, ' + label:30} page + {len(PANELS)} panels "
                         f"{total:5.1f} < {DASHBOARD_GOAL_MS:.0f} ms "
                         f"{mark(total < DASHBOARD_GOAL_MS)}")
    return lines


def bench_database(kind: str, server: str | None, args) -> tuple[list[str], str | None]:
    """Run the small and (unless --small) the large set on one kind of database; the
    printed lines, and the URL of the large database kept for the browser (SQLite only)."""
    url, clean_small = _database(server)
    try:
        app, _made = make_app(url, large=False)
        chosen, skipped = applicable(app, args.only)
        small = run_set(app, f"{kind} small", {"demo": context(app, "EHANDEL-SOGN")}, chosen,
                        args.repeat, large=False)
        from governance.extensions import db

        with app.app_context():
            db.engine.dispose()
    finally:
        clean_small()
    lines = []
    if skipped:
        lines.append(f"{kind}: not in this app (skipped): "
                     + ", ".join(sorted({c.name for c in skipped})))
    large = None
    typical = "PRJ-250"
    if not args.small:
        from bench.dataset import describe

        url, clean_large = _database(server)
        try:
            app, made = make_app(url, large=True)
            lines.append(f"{kind}: " + describe(made))
            contexts = {"typical": context(app, typical), "demo": context(app, "EHANDEL-SOGN")}
            large = run_set(app, f"{kind} large", contexts, chosen, args.repeat, large=True)
            if not args.skip_browser and server is None:
                from bench import browser

                lines.append("")
                lines += browser.measure(app, contexts["typical"])
            with app.app_context():
                db.engine.dispose()
        finally:
            clean_large()
    elif not args.skip_browser and server is None:
        from bench import browser

        url, clean = _database(None)
        try:
            app, _made = make_app(url, large=False)
            lines.append("")
            lines += browser.measure(app, context(app, "EHANDEL-SOGN"))
            with app.app_context():
                db.engine.dispose()
        finally:
            clean()
    for label, results in (("small", small), ("large", large or {})):
        for error in results.pop("errors", []):
            lines.append(f"{kind} {label}: NOT MEASURED: {error}")
    out = report(f"{kind}, {args.repeat} requests each after one warm-up", chosen, small,
                 large, typical)
    return out + [""] + goals(kind, chosen, small, large) + [""] + lines, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="also run on this PostgreSQL server (URL)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="",
                        help="only cases whose name, address or endpoint contains this")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--small", action="store_true", help="demo data only")
    args = parser.parse_args()
    output, _ = bench_database("SQLite", None, args)
    print("\n".join(output), flush=True)
    if args.database:
        output, _ = bench_database("PostgreSQL", args.database, args)
        print()
        print("\n".join(output), flush=True)


if __name__ == "__main__":
    main()
