"""A short load test for CI: the production command (scripts/serve: gunicorn, several workers)
on PostgreSQL, ten signed-in users for 15 s on the demo data (bench/load.py). Only runs when
GOVERNANCE_TEST_POSTGRES_URL names a server. It asserts what a user would notice under load:
no failed request, and every save they were told succeeded is in the database exactly once.
Timings are printed, never asserted (they depend on the machine)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL,
                                reason="needs GOVERNANCE_TEST_POSTGRES_URL (a PostgreSQL server)")


def test_ten_users_for_fifteen_seconds_without_errors_and_every_write_kept(capsys):
    from bench import load

    server = make_url(POSTGRES_URL)
    if server.drivername == "postgresql":
        server = server.set(drivername="postgresql+psycopg")
    outcome, seconds = load.run(load.Options(
        database=server.render_as_string(hide_password=False), users=10, duration=15,
        spawn_rate=10, think="1-3", small=True), say=lambda _text: None)
    with capsys.disabled():
        print("\n" + load.render(outcome, judge_goals=False, seconds=seconds))

    assert outcome.errors == 0, outcome.failure_examples
    # Every user signed in and worked: pages, htmx fragments and saves were all made.
    assert outcome.classes["sign-in"].count >= 2 * 10
    assert outcome.classes["page"].count > 0 and outcome.classes["htmx"].count > 0
    assert sum(outcome.recorded.values()) > 0
    assert outcome.recorded == outcome.counted
    assert not any(outcome.conflicts.values())  # each user writes only to its own objects
