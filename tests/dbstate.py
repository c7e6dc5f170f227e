"""What the database holds, for tests that check nothing else changed: every table's rows,
and a second connection to PostgreSQL that watches (and ends) the app's connections."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from governance.extensions import db

# Bookkeeping of signing in (last seen, attempts): not governance data, and a request may
# move it on even when its action fails.
BOOKKEEPING = frozenset({"user_session", "login_attempt", "api_token", "alembic_version"})


def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def postgres_only(app) -> None:
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: row locks and backend connections (SQLite serialises "
                    "writers and has no server); set GOVERNANCE_TEST_POSTGRES_URL")


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | str | type(None)) else repr(value)


def contents(app) -> dict[str, list[tuple]]:
    """Every row of every table (bookkeeping excluded), sorted, as plain values."""
    result: dict[str, list[tuple]] = {}
    with app.app_context():
        db.session.remove()
        with db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                if table.name in BOOKKEEPING:
                    continue
                rows = conn.execute(select(table)).all()
                result[table.name] = sorted((tuple(_plain(v) for v in row) for row in rows),
                                            key=repr)
    return result


def counts(app) -> dict[str, int]:
    return {name: len(rows) for name, rows in contents(app).items()}


def grown(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The tables whose row count changed, with the difference."""
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


class Monitor:
    """A connection of its own (autocommit) to the app's PostgreSQL database."""

    def __init__(self, app):
        self.engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool,
                                    isolation_level="AUTOCOMMIT")

    def scalar(self, sql: str, **params) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def app_backends(self) -> list[int]:
        """The pids of the other connections to this database (the app's pool)."""
        with self.engine.connect() as conn:
            return list(conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")).scalars())

    def terminate(self, pids: list[int] | None = None, timeout: float = 10) -> int:
        """End these backends (default: all of the app's) and wait until they are gone."""
        pids = self.app_backends() if pids is None else pids
        with self.engine.connect() as conn:
            for pid in pids:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + timeout
        while set(pids) & set(self.app_backends()):
            assert time.monotonic() < deadline, "the backends did not end"
            time.sleep(0.005)
        return len(pids)

    def wait_until_blocked_by(self, pid: int, timeout: float = 10) -> bool:
        """True once another backend waits for a lock ``pid`` holds; False at the timeout."""
        deadline = time.monotonic() + timeout
        with self.engine.connect() as conn:
            while time.monotonic() < deadline:
                if conn.execute(text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE :pid = ANY(pg_blocking_pids(pid))"), {"pid": pid}).scalar():
                    return True
                time.sleep(0.005)
        return False

    def dispose(self) -> None:
        self.engine.dispose()
