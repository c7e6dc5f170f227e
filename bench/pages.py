"""Server time of the main pages on the demo data: median and p95, SQL queries, response size,
and the ratio to the framework floor (a bare Flask route returning the same bytes).

    .venv/bin/python -m bench.pages                  # SQLite in a temporary file
    .venv/bin/python -m bench.pages --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python -m bench.pages --repeat 50 --only okonomi

The PostgreSQL URL names a server; a fresh database is made there and dropped afterwards.
Times are measured in-process with Flask's test client (no network), after one warm-up
request per page.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from flask import Flask, Response
from sqlalchemy import create_engine, event, make_url, text

PAGES = [
    ("start page", "/"),
    ("project list", "/prosjekter/"),
    ("project", "/prosjekter/EHANDEL-SOGN"),
    ("organisation chart", "/prosjekter/EHANDEL-SOGN/organisering"),
    ("milestones", "/prosjekter/EHANDEL-SOGN/milepaler"),
    ("phases", "/prosjekter/EHANDEL-SOGN/faser"),
    ("decision log", "/prosjekter/EHANDEL-SOGN/vedtak"),
    ("benefits plan", "/prosjekter/EHANDEL-SOGN/gevinster/"),
    ("benefits (Kodeknekk)", "/prosjekter/KODEKNEKK/gevinster/"),
    ("status overview", "/prosjekter/EHANDEL-SOGN/status/"),
    ("status period", "/prosjekter/EHANDEL-SOGN/status/2013-08"),
    ("risk register", "/prosjekter/EHANDEL-SOGN/risiko/"),
    ("risk register, one cell", "/prosjekter/EHANDEL-SOGN/risiko/?s=3&k=4"),
    ("budget 2013", "/prosjekter/EHANDEL-SOGN/okonomi/?ar=2013"),
    ("cost sharing (Kongsberg)", "/prosjekter/INNKJOP-KONGSBERG/okonomi/fordeling"),
    ("settlement 2013", "/prosjekter/EHANDEL-SOGN/okonomi/oppgjor?ar=2013"),
    ("settlement export (xlsx)", "/prosjekter/EHANDEL-SOGN/okonomi/oppgjor/2013.xlsx"),
]


def _database(url: str | None):
    """(database URL, clean-up) for a fresh database."""
    if url is None:
        folder = tempfile.TemporaryDirectory()
        return f"sqlite:///{Path(folder.name) / 'bench.sqlite'}", folder.cleanup
    server = make_url(url)
    name = f"styringsrommet_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def _app(database_url: str):
    from flask_migrate import upgrade

    from governance import create_app, demo
    from governance.extensions import db

    app = create_app({"GOVERNANCE_DATABASE_URL": database_url,
                      "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "TESTING": True})
    with app.app_context():
        upgrade()
        demo.load(db.session)
        db.session.commit()
    return app


def _floor_client(body: dict):
    bare = Flask("floor")

    @bare.route("/")
    def floor():
        return Response(body["bytes"], mimetype="text/html")

    return bare.test_client()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="", help="only pages whose address contains this")
    args = parser.parse_args()

    url, clean_up = _database(args.database)
    try:
        app = _app(url)
        from governance.extensions import db

        statements: list[str] = []
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute",
                     lambda *a: statements.append(a[2]))
        client = app.test_client()
        answer = client.post("/logg-inn", data={"username": "admin",
                                                "password": "admin-demo-2026"})
        assert answer.status_code == 303, "sign-in failed"
        body: dict = {}
        floor = _floor_client(body)
        kind = "PostgreSQL" if args.database else "SQLite"
        print(f"{kind}, {args.repeat} requests per page after one warm-up; times in ms")
        print(f"{'page':28} {'median':>7} {'p95':>7} {'floor':>6} {'ratio':>6} "
              f"{'queries':>7} {'bytes':>8}")
        for name, path in PAGES:
            if args.only not in path:
                continue
            response = client.get(path)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            times = []
            for _ in range(args.repeat):
                statements.clear()
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(statements)
            body["bytes"] = response.get_data()
            floor.get("/")
            floors = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                floor.get("/")
                floors.append((time.perf_counter() - started) * 1000)
            median, floor_median = statistics.median(times), statistics.median(floors)
            print(f"{name:28} {median:7.1f} {_percentile(times, 0.95):7.1f} "
                  f"{floor_median:6.2f} {median / floor_median:6.1f} {queries:7d} "
                  f"{len(body['bytes']):8d}")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
