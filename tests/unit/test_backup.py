"""flask backup / flask restore: the restore drill, an online backup while the app writes,
and the refusals (data in the way, a damaged file, a manifest that does not match).

Runs on SQLite, and on PostgreSQL too when GOVERNANCE_TEST_POSTGRES_URL is set (the
``app`` fixture is parametrised); a restore always goes into a new, empty database.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from governance import backup, demo
from governance.extensions import db
from governance.history.recorder import set_actor
from tests.conftest import TOKEN_PATTERN, Browserless, make_test_app


def kind(flask_app) -> str:
    return make_url(flask_app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()


def url_of(flask_app) -> str:
    return flask_app.config["SQLALCHEMY_DATABASE_URI"]


def backup_file(tmp_path: Path, flask_app, name: str = "kopi") -> Path:
    return tmp_path / f"{name}.{'sqlite' if kind(flask_app) == 'sqlite' else 'dump'}"


def contents(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its raw rows in primary-key order: computed
    here with plain SQL, independently of governance.backup's checksums."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            quote = conn.dialect.identifier_preparer.quote
            found = {}
            for name in inspector.get_table_names():
                columns = sorted(quote(c["name"]) for c in inspector.get_columns(name))
                keys = [quote(k) for k in inspector.get_pk_constraint(name)["constrained_columns"]]
                rows = conn.execute(text(
                    f"SELECT {', '.join(columns)} FROM {quote(name)} "  # noqa: S608
                    f"ORDER BY {', '.join(keys or columns)}"
                )).all()
                found[name] = (len(rows), hashlib.sha256(
                    repr([tuple(row) for row in rows]).encode()).hexdigest())
            return found
    finally:
        engine.dispose()


def project_page(flask_app, code: str = "EHANDEL-SOGN") -> str:
    """The demo project's page as the administrator sees it, without the per-request
    nonce and the per-session CSRF token."""
    client = Browserless(flask_app.test_client())
    assert client.login("admin", demo.DEMO_PASSWORDS["admin"]).status_code == 303
    response = client.get(f"/prosjekter/{code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for token in set(TOKEN_PATTERN.findall(html)):
        html = html.replace(token, "TOKEN")
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)


@pytest.fixture
def empty_app(make_database_url):
    """Factory: an app on a new, empty database of the given kind (not migrated)."""
    apps = []

    def make(database_kind: str):
        flask_app = make_test_app(make_database_url(database_kind))
        apps.append(flask_app)
        return flask_app

    yield make
    for flask_app in apps:
        with flask_app.app_context():
            db.engine.dispose()


def load_demo(flask_app) -> None:
    result = flask_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def make_backup(flask_app, path: Path):
    result = flask_app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    return result


def add_organisation(flask_app, name: str) -> None:
    from governance.organisations import service
    from governance.organisations.models import OrganisationKind

    with flask_app.app_context():
        set_actor(db.session, None, "test")
        service.create_organisation(db.session, None, name=name,
                                    kind=OrganisationKind.MUNICIPALITY)
        db.session.commit()


# ---- the restore drill ---------------------------------------------------------------


def test_restore_drill_into_an_empty_database(app, empty_app, tmp_path):
    load_demo(app)
    path = backup_file(tmp_path, app)
    output = make_backup(app, path).output
    manifest_path = Path(f"{path}.json")
    assert f"Sikkerhetskopi: {path}" in output and f"Manifest: {manifest_path}" in output
    manifest = json.loads(manifest_path.read_text())
    assert manifest["size"] == path.stat().st_size > 0
    assert f"({manifest['size']} byte)" in output

    source = contents(url_of(app))
    assert source["project"][0] == 3 and source["change_record"][0] > 100
    assert {name: t["rows"] for name, t in manifest["tables"].items()} == {
        name: rows for name, (rows, _) in source.items()
    }
    with app.app_context():
        assert manifest["alembic_revision"] == db.session.execute(
            text("SELECT version_num FROM alembic_version")).scalar()

    restored = empty_app(kind(app))
    result = restored.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert f"alle {len(source)} tabeller stemmer med manifestet" in result.output
    assert re.search(r"^project\s+3\s+3\s+ok$", result.output, re.MULTILINE)

    # Compared here too, not only by the command: raw rows and the module's checksums.
    assert contents(url_of(restored)) == source
    with restored.app_context():
        digests = backup.database_digests(url_of(restored), db.metadata)
    assert {n: d.as_dict() for n, d in digests.items()} == manifest["tables"]

    page = project_page(restored)
    assert "eHandel i Sogn" in page and "Katrine Wilson" in page
    assert page == project_page(app)


def test_restore_check_compares_without_restoring(app, empty_app, tmp_path):
    load_demo(app)
    path = backup_file(tmp_path, app)
    make_backup(app, path)
    target = empty_app(kind(app))
    if kind(app) == "postgresql":
        with target.app_context():
            db.create_all()  # an empty schema, so there is something to leave alone
    before = contents(url_of(target))
    result = target.test_cli_runner().invoke(args=["restore", "--check", str(path)])
    assert result.exit_code == 0, result.output
    assert "Ingenting er gjenopprettet" in result.output
    assert contents(url_of(target)) == before


# ---- online backup while the app writes ----------------------------------------------


def test_online_backup_while_the_app_writes(app, empty_app, tmp_path):
    """A writer keeps creating organisations (and renaming the previous one, in the same
    transaction) while `flask backup` runs: the copy is one consistent moment."""
    from governance.organisations import service
    from governance.organisations.models import Organisation, OrganisationKind

    load_demo(app)
    stop = threading.Event()
    committed: list[int] = []
    errors: list[BaseException] = []

    def write() -> None:
        with app.app_context():
            try:
                set_actor(db.session, None, "skriver")
                previous = None
                number = 0
                while not stop.is_set():
                    created = service.create_organisation(
                        db.session, None, name=f"Skriver {number}",
                        kind=OrganisationKind.MUNICIPALITY)
                    if previous is not None:
                        org = db.session.get(Organisation, previous)
                        service.update_organisation(
                            db.session, None, org, name=f"{org.name} endret", kind=org.kind,
                            org_number=None, version_id=org.version_id)
                    previous = created.id
                    db.session.commit()
                    number += 1
                    committed.append(number)
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                errors.append(error)
            finally:
                db.session.remove()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(committed) < 20 and writer.is_alive():
            threading.Event().wait(0.01)
        before = len(committed)
        path = backup_file(tmp_path, app)
        make_backup(app, path)
        during = len(committed) - before
        while len(committed) < before + during + 20 and writer.is_alive():
            threading.Event().wait(0.01)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors, errors
    assert during > 0, "the writer made no progress while the backup ran"

    if kind(app) == "sqlite":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    restored = empty_app(kind(app))
    result = restored.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output  # the manifest describes the same moment

    engine = create_engine(url_of(restored), poolclass=NullPool)
    with engine.connect() as conn:
        names = [row[0] for row in conn.execute(text(
            "SELECT name FROM organisation WHERE name LIKE 'Skriver %' ORDER BY id"))]
        inserts = conn.execute(text(
            "SELECT count(*) FROM change_record c JOIN organisation o "
            "ON c.row_id = CAST(o.id AS VARCHAR(64)) "
            "WHERE c.table_name = 'organisation' AND c.action = 'insert' "
            "AND o.name LIKE 'Skriver %'")).scalar()
        renames = conn.execute(text(
            "SELECT count(*) FROM change_record WHERE table_name = 'organisation' "
            "AND action = 'update' AND actor_name = 'skriver'")).scalar()
    engine.dispose()
    count = len(names)
    assert before <= count <= len(committed)
    # Every organisation but the newest was renamed in the transaction that made the next.
    assert names == [f"Skriver {n} endret" for n in range(count - 1)] + [f"Skriver {count - 1}"]
    assert inserts == count and renames == count - 1


# ---- refusals --------------------------------------------------------------------------


def test_backup_refuses_an_existing_file(app, tmp_path):
    path = backup_file(tmp_path, app)
    path.write_bytes(b"noe som var her fra f\xc3\xb8r")
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code != 0
    assert "finnes allerede" in result.output
    assert path.read_bytes() == "noe som var her fra før".encode()
    assert not Path(f"{path}.json").exists()


def test_backup_refuses_when_pg_dump_is_missing(app, tmp_path, monkeypatch):
    if kind(app) != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL")
    monkeypatch.setenv("PATH", str(tmp_path))
    path = backup_file(tmp_path, app)
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code != 0
    assert "Fant ikke pg_dump" in result.output
    assert not path.exists() and not Path(f"{path}.json").exists()


def test_restore_over_data_needs_yes(app, tmp_path):
    load_demo(app)
    path = backup_file(tmp_path, app)
    make_backup(app, path)
    add_organisation(app, "Laget etter kopien")
    before = contents(url_of(app))

    runner = app.test_cli_runner()
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code != 0
    assert "har data" in refused.output and "--yes" in refused.output
    assert "ingenting er endret" in refused.output
    answered_no = runner.invoke(args=["restore", str(path)], input="n\n")
    assert answered_no.exit_code != 0
    assert contents(url_of(app)) == before

    done = runner.invoke(args=["restore", "--yes", str(path)])
    assert done.exit_code == 0, done.output
    after = contents(url_of(app))
    assert after != before
    assert after["organisation"][0] == before["organisation"][0] - 1


def _forge_manifest(path: Path) -> None:
    """Make the manifest agree with a damaged file, so the content check must catch it."""
    manifest_path = Path(f"{path}.json")
    manifest = json.loads(manifest_path.read_text())
    manifest["size"] = path.stat().st_size
    manifest["sha256"] = backup.file_sha256(path)
    manifest_path.write_text(json.dumps(manifest))


@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_a_damaged_backup_is_refused_before_anything_is_touched(app, tmp_path, damage):
    load_demo(app)
    path = backup_file(tmp_path, app)
    make_backup(app, path)
    add_organisation(app, "Laget etter kopien")
    before = contents(url_of(app))
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:
        third = len(data) // 3
        path.write_bytes(data[:third] + b"\x55" * third + data[2 * third:])

    runner = app.test_cli_runner()
    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code != 0
    assert "skadet eller avkortet" in result.output and "Ingenting er endret" in result.output
    assert contents(url_of(app)) == before

    _forge_manifest(path)
    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code != 0
    assert re.search(r"Integritetskontrollen|ikke en lesbar|Kontrollen av .* feilet",
                     result.output), result.output
    assert contents(url_of(app)) == before
    assert list(tmp_path.glob(".gjenoppretting-*")) == []


def test_a_manifest_mismatch_is_reported(app, empty_app, tmp_path):
    load_demo(app)
    path = backup_file(tmp_path, app)
    make_backup(app, path)
    manifest_path = Path(f"{path}.json")
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["project"]["rows"] = 99
    manifest["tables"]["risk"]["sha256"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))

    target = empty_app(kind(app))
    result = target.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code != 0
    assert re.search(r"^project\s+99\s+3\s+AVVIK: radantall 3, manifestet sier 99$",
                     result.output, re.MULTILINE), result.output
    assert re.search(r"^risk\s+(\d+)\s+\1\s+AVVIK: sjekksummen er ulik$", result.output,
                     re.MULTILINE), result.output
    assert re.search(r"^organisation\s+(\d+)\s+\1\s+ok$", result.output, re.MULTILINE)
    if kind(app) == "sqlite":
        # Found in the backup itself, before the target was touched.
        assert "Ingenting er endret" in result.output
        assert not Path(make_url(url_of(target)).database).exists()
    else:
        # PostgreSQL can only compare after pg_restore; the command says so and fails.
        assert "stemmer ikke med manifestet etter gjenopprettingen" in result.output


def test_restore_refuses_a_backup_of_the_other_database_kind(app, empty_app, tmp_path):
    if kind(app) != "postgresql":
        pytest.skip("needs both database kinds")
    sqlite_app = empty_app("sqlite")
    with sqlite_app.app_context():
        db.create_all()
    path = tmp_path / "kopi.sqlite"
    make_backup(sqlite_app, path)
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code != 0
    assert "Sikkerhetskopien er fra sqlite" in result.output


def test_the_same_data_has_the_same_checksums_on_sqlite_and_postgresql(app, empty_app):
    """Dates, times, decimals, booleans, enums and JSON are normalised, so the demo data
    loaded into both databases gives the same checksums, table by table. Timestamps and
    password hashes differ between two loads, so they are set alike first; the history
    records them too, so it is left out."""
    from datetime import datetime

    import sqlalchemy as sa
    from flask_migrate import upgrade

    if kind(app) != "postgresql":
        pytest.skip("needs both database kinds")
    digests = []
    for database_kind in ("sqlite", "postgresql"):
        fresh = empty_app(database_kind)
        with fresh.app_context():
            upgrade()
            set_actor(db.session, None, "demodata")
            demo.load(db.session)
            db.session.commit()
            with db.engine.begin() as conn:
                for table in db.metadata.sorted_tables:
                    for column in table.columns:
                        if isinstance(column.type, sa.DateTime):
                            conn.execute(table.update().where(column.is_not(None))
                                         .values({column.name: datetime(2013, 4, 22, 9, 30)}))
                conn.execute(text("UPDATE user_account SET password_hash = 'samme'"))
            digests.append(backup.database_digests(url_of(fresh), db.metadata))
    on_sqlite, on_postgres = digests
    assert on_sqlite["project"].rows == 3 and on_sqlite["budget_line"].rows > 0
    del on_sqlite["change_record"], on_postgres["change_record"]
    assert on_sqlite == on_postgres
