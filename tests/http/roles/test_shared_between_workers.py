"""Several workers serve the same users: two app instances on the same database (and the
same Redis, when it holds the throttle) stand in for two gunicorn workers. What one of them
learns (failed sign-ins, a session, a CSRF token) the other one sees."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from governance.extensions import db
from governance.roles.models import LoginAttempt
from tests.conftest import Browserless, make_test_app

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def second_worker(app):
    """Factory: another app on the same database, with the given settings."""
    made = []

    def make(**overrides):
        other = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], **overrides)
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379")
    return client


def _throttled_across(worker_a, worker_b, username: str) -> None:
    a = Browserless(worker_a.test_client())
    b = Browserless(worker_b.test_client())
    for _ in range(5):
        assert a.login(username, "feil-passord").status_code == 401
    refused = b.login(username)  # the right password, on the other worker
    assert refused.status_code == 429
    assert "For mange mislykkede forsøk" in refused.get_data(as_text=True)


def test_failed_sign_ins_on_one_worker_throttle_the_other_database(app, second_worker,
                                                                    make_user):
    make_user(username="kari")
    _throttled_across(app, second_worker(), "kari")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 5


def test_failed_sign_ins_on_one_worker_throttle_the_other_redis(app, second_worker, make_user):
    client = _redis()
    username = f"kari-{uuid.uuid4().hex[:8]}"
    make_user(username=username)
    worker_a = second_worker(GOVERNANCE_THROTTLE_STORAGE=REDIS_URL)
    worker_b = second_worker(GOVERNANCE_THROTTLE_STORAGE=REDIS_URL)
    try:
        _throttled_across(worker_a, worker_b, username)
        # The counts are in Redis, not in the database.
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
        keys = client.keys("styringsrommet:login-failures:*")
        assert sum(client.zcard(key) for key in keys) >= 5
    finally:
        from governance.roles.throttle import throttle_key

        client.delete(f"styringsrommet:login-failures:{throttle_key(username, '127.0.0.1')}")


def test_a_session_started_on_one_worker_is_valid_on_the_other(app, second_worker, make_user):
    make_user(username="kari", full_name="Kari Nordmann")
    worker_a = Browserless(app.test_client())
    assert worker_a.login("kari").status_code == 303
    token = worker_a.token()  # a CSRF token from a page of the first worker
    worker_b = Browserless(second_worker().test_client())
    cookie = worker_a.client.get_cookie("styringsrommet")
    worker_b.client.set_cookie(cookie.key, cookie.value)
    assert "Hei, Kari Nordmann" in worker_b.get("/").get_data(as_text=True)
    # The other worker accepts the token: signing out there ends the session on the
    # server, so the first worker no longer knows the user either.
    assert worker_b.post("/logg-ut", {"csrf_token": token}).status_code == 303
    assert worker_a.get("/").status_code == 302
