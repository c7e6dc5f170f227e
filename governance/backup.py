"""Backup and restore of the whole database: SQLite through its online backup API,
PostgreSQL through pg_dump / pg_restore.

Every backup file gets a JSON manifest beside it (``<file>.json``): the Alembic revision,
the time, the file's size and SHA-256, and each table's row count and checksum. A
restore checks the file against the manifest before it touches anything, and checks the
restored tables against it afterwards.

The checksum of a table is the SHA-256 of its rows in primary-key order, each row written
as JSON with its values normalised (dates and times in ISO form, timestamps in UTC,
decimals without trailing zeros, booleans as true/false, enums as the stored text, JSON
with sorted keys), so that the same data gives the same checksum on SQLite and
PostgreSQL. No Flask imports: the click commands in governance/commands.py call this.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.engine.url import URL
from sqlalchemy.pool import NullPool

MANIFEST_FORMAT = "styringsrommet-backup/1"
MANIFEST_SUFFIX = ".json"
PLAIN_TABLES = ("alembic_version",)  # bookkeeping, not data: ignored when asking "empty?"
_CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal or failure, with a message for the person at the command line."""


@dataclass
class TableDigest:
    rows: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "sha256": self.sha256}


@dataclass
class BackupResult:
    path: Path
    manifest_path: Path
    manifest: dict[str, Any]
    seconds: float


@dataclass
class Difference:
    table: str
    expected: TableDigest | None
    actual: TableDigest | None

    @property
    def what(self) -> str:
        if self.expected is None:
            return "finnes ikke i manifestet"
        if self.actual is None:
            return "mangler i databasen"
        if self.expected.rows != self.actual.rows:
            return f"radantall {self.actual.rows}, manifestet sier {self.expected.rows}"
        return "sjekksummen er ulik"


@dataclass
class Comparison:
    expected: dict[str, TableDigest]
    actual: dict[str, TableDigest]
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def lines(self) -> list[str]:
        """One line per table: name, rows expected and found, checksum verdict."""
        wrong = {d.table: d for d in self.differences}
        names = sorted(set(self.expected) | set(self.actual))
        width = max((len(n) for n in names), default=10)
        out = [f"{'tabell':<{width}}  {'manifest':>9}  {'database':>9}  sjekksum"]
        for name in names:
            exp = self.expected.get(name)
            act = self.actual.get(name)
            verdict = "ok" if name not in wrong else f"AVVIK: {wrong[name].what}"
            out.append(f"{name:<{width}}  {_rows(exp):>9}  {_rows(act):>9}  {verdict}")
        return out


def _rows(digest: TableDigest | None) -> str:
    return "-" if digest is None else str(digest.rows)


def compare(expected: dict[str, TableDigest], actual: dict[str, TableDigest]) -> Comparison:
    comparison = Comparison(expected, actual)
    for name in sorted(set(expected) | set(actual)):
        exp, act = expected.get(name), actual.get(name)
        if exp != act:
            comparison.differences.append(Difference(name, exp, act))
    return comparison


# ---- checksums -----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as JSON-ready text/number, the same for SQLite and PostgreSQL."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return str(value)
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          default=str)
    return str(value)


def _column_type(name: str, model: sa.Table | None) -> sa.types.TypeEngine:
    """The model's type for the column (so values come back as Python dates, decimals,
    booleans on both databases); enums as their stored text; raw for unknown columns."""
    if model is None or name not in model.c:
        return sa.types.NULLTYPE
    col_type = model.c[name].type
    if isinstance(col_type, sa.Enum):
        return sa.String()
    return col_type


def table_digests(conn: Connection, metadata: sa.MetaData) -> dict[str, TableDigest]:
    """Row count and checksum of every table in the database behind ``conn``."""
    inspector = sa.inspect(conn)
    postgres = conn.dialect.name == "postgresql"
    digests: dict[str, TableDigest] = {}
    for name in sorted(inspector.get_table_names()):
        model = metadata.tables.get(name)
        names = sorted(c["name"] for c in inspector.get_columns(name))
        table = sa.table(name, *[sa.column(n, _column_type(n, model)) for n in names])
        keys = inspector.get_pk_constraint(name).get("constrained_columns") or names
        order = []
        for key in keys:
            column = table.c[key]
            if postgres and isinstance(column.type, sa.String):
                column = column.collate("C")  # byte order, as SQLite sorts
            order.append(column)
        digest = hashlib.sha256()
        digest.update(json.dumps(names).encode() + b"\n")
        rows = 0
        result = conn.execution_options(stream_results=True, yield_per=2000).execute(
            sa.select(*table.c).order_by(*order)
        )
        for row in result:
            line = json.dumps([_plain(v) for v in row], ensure_ascii=False,
                              separators=(",", ":"))
            digest.update(line.encode() + b"\n")
            rows += 1
        digests[name] = TableDigest(rows, digest.hexdigest())
    return digests


def _revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def data_rows(conn: Connection) -> tuple[int, int]:
    """(rows, tables holding them) over the data tables: (0, 0) means empty."""
    rows = tables = 0
    for name in sa.inspect(conn).get_table_names():
        if name in PLAIN_TABLES:
            continue
        count = conn.execute(
            sa.select(sa.func.count()).select_from(sa.table(name))
        ).scalar_one()
        if count:
            rows += count
            tables += 1
    return rows, tables


# ---- files and manifests -------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path_for(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def read_manifest(path: Path) -> dict[str, Any]:
    manifest_path = manifest_path_for(path)
    if not manifest_path.exists():
        raise BackupError(
            f"Fant ikke manifestet {manifest_path}. Det skrives ved siden av "
            "sikkerhetskopien og trengs for å kontrollere den."
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        tables = manifest["tables"]
        manifest["expected"] = {
            name: TableDigest(int(d["rows"]), str(d["sha256"])) for name, d in tables.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"Manifestet {manifest_path} kan ikke leses: {error}") from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"Manifestet {manifest_path} har et ukjent format.")
    return manifest


def _write_manifest(path: Path, manifest: dict[str, Any]) -> Path:
    target = manifest_path_for(path)
    part = target.with_name(target.name + ".part")
    part.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    part.chmod(0o600)
    part.replace(target)
    return target


def _manifest(kind: str, path: Path, revision: str | None,
              digests: dict[str, TableDigest], created: dt.datetime) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "kind": kind,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "alembic_revision": revision,
        "file": path.name,
        "size": path.stat().st_size,
        "sha256": file_sha256(path),
        "tables": {name: d.as_dict() for name, d in digests.items()},
    }


def kind_of(url: str | URL) -> str:
    backend = make_url(url).get_backend_name()
    if backend in ("sqlite", "postgresql"):
        return backend
    raise BackupError(f"Sikkerhetskopi støttes bare for SQLite og PostgreSQL, ikke {backend}.")


def default_path(instance_path: Path, kind: str, now: dt.datetime) -> Path:
    suffix = "sqlite" if kind == "sqlite" else "dump"
    return instance_path / "backups" / f"styringsrommet-{now:%Y%m%dT%H%M%SZ}.{suffix}"


def _check_target_free(path: Path) -> None:
    for candidate in (path, manifest_path_for(path)):
        if candidate.exists():
            raise BackupError(f"{candidate} finnes allerede; velg et annet navn.")
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _engine(url: str | URL) -> Engine:
    return sa.create_engine(url, poolclass=NullPool)


@contextlib.contextmanager
def _connect(url: str | URL) -> Iterator[Connection]:
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def database_digests(url: str | URL, metadata: sa.MetaData) -> dict[str, TableDigest]:
    with _connect(url) as conn:
        return table_digests(conn, metadata)


def _remove(*paths: Path) -> None:
    for path in paths:
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"),
                          Path(f"{path}-journal")):
            candidate.unlink(missing_ok=True)


# ---- SQLite --------------------------------------------------------------------------


def _sqlite_file(url: str | URL) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Databasen ligger i minnet eller er gitt som URI; "
                          "bare en SQLite-fil kan sikkerhetskopieres.")
    return Path(database)


def _sqlite_copy(source: Path, target: Path, *, read_only: bool) -> None:
    """Copy ``source`` into ``target`` with SQLite's online backup API: one step, so the
    copy is one consistent snapshot; in WAL mode the app's writers are not blocked."""
    uri = f"file:{source}?mode=ro" if read_only else f"file:{source}"
    src = sqlite3.connect(uri, uri=True, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"SQLite kunne ikke lese {source}: {error}") from None
    finally:
        dst.close()
        src.close()


def _sqlite_integrity(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} er ikke en lesbar SQLite-database: {error}") from None
    if result != ["ok"]:
        raise BackupError(f"Integritetskontrollen av {path} feilet: {'; '.join(result[:5])}")


def _sqlite_single_file(path: Path) -> None:
    """Rollback journal instead of WAL, so the copy is one file that opens anywhere."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _backup_sqlite(url: str | URL, target: Path, metadata: sa.MetaData) -> dict[str, Any]:
    source = _sqlite_file(url)
    if not source.exists():
        raise BackupError(f"Databasefilen {source} finnes ikke.")
    created = _utcnow()
    part = target.with_name(target.name + ".part")
    _remove(part)
    try:
        _sqlite_copy(source, part, read_only=False)
        _sqlite_single_file(part)
        _sqlite_integrity(part)
        with _connect(f"sqlite:///{part}") as conn:
            digests = table_digests(conn, metadata)
            revision = _revision(conn)
        _sqlite_single_file(part)  # opening it through SQLAlchemy switched it to WAL
        _remove(Path(f"{part}-wal"), Path(f"{part}-shm"))
        part.chmod(0o600)
        part.replace(target)
    finally:
        _remove(part)
    return _manifest("sqlite", target, revision, digests, created)


def _sqlite_working_copy(path: Path, manifest: dict[str, Any], metadata: sa.MetaData,
                         directory: Path) -> tuple[Path, Comparison]:
    """Copy the backup beside the target, check it and compare it with the manifest.
    The backup file itself is only read."""
    _sqlite_integrity(path)
    handle, name = tempfile.mkstemp(prefix=".gjenoppretting-", suffix=".sqlite", dir=directory)
    os.close(handle)
    work = Path(name)
    try:
        work.unlink()
        _sqlite_copy(path, work, read_only=True)
        _sqlite_integrity(work)
        comparison = compare(manifest["expected"], database_digests(f"sqlite:///{work}",
                                                                     metadata))
    except BaseException:
        _remove(work)
        raise
    return work, comparison


def _restore_sqlite(path: Path, url: str | URL, work: Path) -> None:
    target = _sqlite_file(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Into the live file through the backup API: one write transaction, so other
    # connections see the old database or the new one, never half of it.
    src = sqlite3.connect(f"file:{work}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        dst.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Gjenopprettingen til {target} feilet: {error}") from None
    finally:
        dst.close()
        src.close()


# ---- PostgreSQL ----------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"Fant ikke {name}. Installer PostgreSQL-klientverktøyene (pakken "
            f"postgresql-client) i samme hovedversjon som serveren."
        )
    return found


def _pg_env(url: str | URL) -> dict[str, str]:
    """libpq's environment variables for the URL: no password on a command line."""
    parsed = make_url(url)
    env = dict(os.environ)
    values = {
        "PGHOST": parsed.host or parsed.query.get("host"),
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
        "PGSSLMODE": parsed.query.get("sslmode"),
    }
    for key, value in values.items():
        if isinstance(value, tuple):
            value = value[0]
        if value:
            env[key] = str(value)
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    # A fixed argument list, no shell; the executable comes from shutil.which.
    result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL,  # noqa: S603
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise BackupError(f"{what} feilet (kode {result.returncode}): {message}")


def _pg_readable(path: Path) -> None:
    """Read the whole dump (every table's data), as a restore would, without restoring."""
    _run([_tool("pg_restore"), f"--file={os.devnull}", str(path)], dict(os.environ),
         f"Kontrollen av {path}")


def _backup_postgres(url: str | URL, target: Path, metadata: sa.MetaData) -> dict[str, Any]:
    pg_dump = _tool("pg_dump")
    _tool("pg_restore")
    created = _utcnow()
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    env = _pg_env(url)
    engine = _engine(url)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            # pg_dump reads the snapshot this transaction sees, so the checksums taken
            # here describe exactly the dump, however busy the database is meanwhile.
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                 f"--file={part}"],
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            try:
                digests = table_digests(conn, metadata)
                revision = _revision(conn)
            finally:
                _, stderr = process.communicate()
            conn.rollback()
        if process.returncode != 0:
            message = stderr.decode(errors="replace").strip()
            raise BackupError(f"pg_dump feilet (kode {process.returncode}): {message}")
        _pg_readable(part)
        part.chmod(0o600)
        part.replace(target)
    except sa.exc.OperationalError as error:
        raise BackupError(f"Fikk ikke kontakt med databasen: {error.orig}") from None
    finally:
        engine.dispose()
        part.unlink(missing_ok=True)
    return _manifest("postgresql", target, revision, digests, created)


def _restore_postgres(path: Path, url: str | URL) -> None:
    parsed = make_url(url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", "--no-password",
          f"--dbname={parsed.database}", str(path)],
         _pg_env(url), "pg_restore")


# ---- the two commands ----------------------------------------------------------------


def backup(url: str | URL, metadata: sa.MetaData, instance_path: Path,
           target: Path | None = None) -> BackupResult:
    """Back up the database at ``url`` into ``target`` (or instance/backups/...)."""
    kind = kind_of(url)
    started = time.perf_counter()
    target = (target or default_path(instance_path, kind, _utcnow())).resolve()
    _check_target_free(target)
    if kind == "sqlite":
        manifest = _backup_sqlite(url, target, metadata)
    else:
        manifest = _backup_postgres(url, target, metadata)
    manifest_path = _write_manifest(target, manifest)
    return BackupResult(target, manifest_path, manifest, time.perf_counter() - started)


def check_file(path: Path) -> dict[str, Any]:
    """The manifest, once the file is there, has the manifest's size and SHA-256, and is
    of a kind this code can read. Raises BackupError otherwise."""
    if not path.is_file():
        raise BackupError(f"Fant ikke sikkerhetskopien {path}.")
    manifest = read_manifest(path)
    size = path.stat().st_size
    if size != manifest.get("size") or file_sha256(path) != manifest.get("sha256"):
        raise BackupError(
            f"{path} stemmer ikke med manifestet (størrelse {size} byte, manifestet sier "
            f"{manifest.get('size')}): filen er skadet eller avkortet. Ingenting er endret."
        )
    if manifest.get("kind") not in ("sqlite", "postgresql"):
        raise BackupError(f"Ukjent databasetype i manifestet: {manifest.get('kind')}.")
    return manifest


@dataclass
class RestorePlan:
    """What restore() found before touching anything."""

    path: Path
    manifest: dict[str, Any]
    kind: str
    existing_rows: int
    existing_tables: int
    pre_check: Comparison | None  # SQLite: the backup's own tables against the manifest
    work: Path | None = None

    def discard(self) -> None:
        if self.work is not None:
            _remove(self.work)
            self.work = None


def prepare_restore(path: Path, url: str | URL, metadata: sa.MetaData) -> RestorePlan:
    """Check the backup file and look at the target; changes nothing in the target."""
    path = path.resolve()
    manifest = check_file(path)
    kind = kind_of(url)
    if manifest["kind"] != kind:
        raise BackupError(
            f"Sikkerhetskopien er fra {manifest['kind']}, men den konfigurerte databasen "
            f"er {kind}. Ingenting er endret."
        )
    if kind == "sqlite":
        target = _sqlite_file(url)
        existing = (0, 0)
        if target.exists():
            with _connect(url) as conn:
                existing = data_rows(conn)
        target.parent.mkdir(parents=True, exist_ok=True)
        work, pre_check = _sqlite_working_copy(path, manifest, metadata, target.parent)
        return RestorePlan(path, manifest, kind, *existing, pre_check, work)
    _tool("pg_restore")
    _pg_readable(path)
    try:
        with _connect(url) as conn:
            existing = data_rows(conn)
    except sa.exc.OperationalError as error:
        raise BackupError(f"Fikk ikke kontakt med måldatabasen: {error.orig}") from None
    return RestorePlan(path, manifest, kind, *existing, None)


def restore(plan: RestorePlan, url: str | URL, metadata: sa.MetaData) -> Comparison:
    """Restore the checked backup into ``url`` and compare the result with the manifest."""
    try:
        if plan.kind == "sqlite":
            assert plan.work is not None
            _restore_sqlite(plan.path, url, plan.work)
        else:
            _restore_postgres(plan.path, url)
    finally:
        plan.discard()
    return compare(plan.manifest["expected"], database_digests(url, metadata))


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("byte", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "byte" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} byte"
