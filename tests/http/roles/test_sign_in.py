"""Sign-in, throttling, server-side sessions and their time-outs, language choice."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from governance.extensions import db
from governance.roles.models import LoginAttempt, UserSession


def test_sign_in_and_out(client, make_user, caplog):
    make_user(username="kari", full_name="Kari Nordmann")
    with caplog.at_level(logging.INFO, logger="governance.security"):
        response = client.login("kari")
    assert response.status_code == 303
    assert "Hei, Kari Nordmann" in client.get("/").get_data(as_text=True)
    assert any("sign-in succeeded" in r.message for r in caplog.records)
    assert client.post("/logg-ut").status_code == 303
    assert client.get("/").status_code == 302


def test_wrong_password_gives_401_with_message_and_is_logged(client, make_user, caplog):
    make_user(username="kari")
    with caplog.at_level(logging.WARNING, logger="governance.security"):
        response = client.login("kari", "feil-passord")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "Feil brukernavn eller passord." in html
    assert "feil-passord" not in html  # the password is not echoed back
    failure_logs = [r.message for r in caplog.records if "sign-in failed" in r.message]
    assert failure_logs and all("feil-passord" not in m for m in failure_logs)


def test_unknown_user_gets_the_same_message(client):
    response = client.login("ingen-slik", "noe-passord")
    assert response.status_code == 401
    assert "Feil brukernavn eller passord." in response.get_data(as_text=True)


def test_empty_fields_give_422_with_field_messages(client):
    response = client.post("/logg-inn", {"username": "", "password": ""})
    assert response.status_code == 422
    assert "Dette feltet må fylles ut." in response.get_data(as_text=True)


def test_username_is_case_insensitive(client, make_user):
    make_user(username="kari")
    assert client.login("KARI").status_code == 303


def test_sixth_failure_within_a_minute_is_throttled(app, client, make_user):
    make_user(username="kari")
    for _ in range(5):
        assert client.login("kari", "feil-passord").status_code == 401
    throttled = client.login("kari")  # even the right password is refused now
    assert throttled.status_code == 429
    assert "For mange mislykkede forsøk" in throttled.get_data(as_text=True)
    # No permanent lockout: once the failures are older than the window, sign-in works.
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.at -= timedelta(minutes=2)
        db.session.commit()
    assert client.login("kari").status_code == 303


def test_throttle_is_per_username(client, make_user):
    make_user(username="kari")
    make_user(username="ola")
    for _ in range(5):
        client.login("kari", "feil-passord")
    assert client.login("ola").status_code == 303


def test_successful_sign_in_clears_failures(app, client, make_user):
    make_user(username="kari")
    for _ in range(4):
        client.login("kari", "feil-passord")
    assert client.login("kari").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_redis_throttle_storage(app, make_user):
    """The same limit with the counts in Redis (shared by all workers)."""
    from governance.roles.throttle import RedisThrottle, throttle_key

    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379")
    throttle = RedisThrottle("redis://127.0.0.1:6379/15", max_failures=5, window_seconds=60)
    key = throttle_key("kari", f"test-{id(throttle)}")
    throttle.clear(key)
    for _ in range(5):
        assert not throttle.blocked(key)
        throttle.record_failure(key)
    assert throttle.blocked(key)
    throttle.clear(key)
    assert not throttle.blocked(key)


def test_session_cookie_flags(client, make_user):
    make_user(username="kari")
    response = client.login("kari")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_sign_in_starts_a_new_session(client, make_user):
    make_user(username="kari")
    client.get("/logg-inn")
    before = client.client.get_cookie("styringsrommet").value
    client.login("kari")
    after = client.client.get_cookie("styringsrommet").value
    assert before != after
    with client.client.session_transaction() as session:
        assert "sid" in session


def test_sign_out_ends_the_session_on_the_server(app, client, make_user):
    """A copy of the cookie taken before sign-out no longer works afterwards."""
    make_user(username="kari")
    client.login("kari")
    stolen = client.client.get_cookie("styringsrommet").value
    client.post("/logg-ut")
    thief = app.test_client()
    thief.set_cookie("styringsrommet", stolen)
    assert thief.get("/").status_code == 302
    with app.app_context():
        ended = db.session.scalars(select(UserSession)).one()
        assert ended.ended_at is not None and ended.end_reason == "signed_out"


@pytest.mark.parametrize(
    ("column", "age", "reason"),
    [("last_seen_at", timedelta(hours=3), "idle_timeout"),
     ("created_at", timedelta(hours=13), "absolute_timeout")],
)
def test_sessions_time_out(app, client, make_user, column, age, reason):
    make_user(username="kari")
    client.login("kari")
    with app.app_context():
        live = db.session.scalars(select(UserSession)).one()
        setattr(live, column, getattr(live, column) - age)
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert "/logg-inn" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalars(select(UserSession)).one().end_reason == reason


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_sign_in_never_redirects_off_site(client, make_user, target):
    make_user(username="kari")
    response = client.post("/logg-inn",
                           {"username": "kari", "password": "riktig-hest-batteri",
                            "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_local_next(client, make_user):
    make_user(username="kari")
    response = client.post("/logg-inn", {"username": "kari", "password": "riktig-hest-batteri",
                                         "next": "/prosjekter/?q=sogn"})
    assert response.headers["Location"] == "/prosjekter/?q=sogn"


def test_language_choice_for_anonymous_and_signed_in_users(app, client, make_user):
    response = client.post("/sprak", {"lang": "nn", "next": "/logg-inn"})
    assert response.status_code == 303
    assert '<html lang="nn"' in client.get("/logg-inn").get_data(as_text=True)
    user = make_user(username="kari")
    client.login("kari")
    client.post("/sprak", {"lang": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)
    from governance.roles.models import User

    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"
    # The choice follows the user to a new session.
    client.post("/logg-ut")
    client.login("kari")
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_refused_with_a_message(client):
    response = client.post("/sprak", {"lang": "xx", "next": "/logg-inn"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Ukjent språk." in html
    assert '<html lang="nb"' in html
