"""Password hashing and rules, user names, and authenticate()."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from governance.errors import RuleViolation
from governance.extensions import db
from governance.roles import passwords, service
from governance.roles.models import User
from tests.conftest import PASSWORD


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session
        db.session.rollback()


def create(session, username="kari", password=PASSWORD, **fields):
    fields.setdefault("full_name", "Kari Nordmann")
    user = service.create_user(session, None, username=username, password=password, **fields)
    session.commit()
    return user


def count_users(session) -> int:
    return session.scalar(select(func.count()).select_from(User))


# ---- hashing -----------------------------------------------------------------------


def test_hash_is_argon2id_and_salted():
    first = passwords.hash_password(PASSWORD)
    second = passwords.hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert PASSWORD not in first
    assert first != second  # a fresh salt each time


def test_verify_accepts_the_password_and_nothing_else():
    stored = passwords.hash_password(PASSWORD)
    assert passwords.verify_password(stored, PASSWORD)
    assert not passwords.verify_password(stored, PASSWORD.upper())
    assert not passwords.verify_password(stored, PASSWORD + " ")
    assert not passwords.verify_password(stored, "")


def test_verify_against_a_broken_hash_is_false_not_an_error():
    assert not passwords.verify_password("not-a-hash", PASSWORD)
    assert not passwords.verify_password("", PASSWORD)


def test_stored_user_has_an_argon2id_hash_not_the_password(session):
    user = create(session)
    stored = session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert passwords.verify_password(stored, PASSWORD)


# ---- password rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Passordet må ha minst 8 tegn."),
        ("kort", "Passordet må ha minst 8 tegn."),
        ("sju-teg", "Passordet må ha minst 8 tegn."),
        ("x" * 257, "Passordet kan ha høyst 256 tegn."),
        ("passord1", "Passordet er for vanlig. Velg et annet."),
        ("12345678", "Passordet er for vanlig. Velg et annet."),
        ("Velkommen1", "Passordet er for vanlig. Velg et annet."),
        ("STYRINGSROMMET", "Passordet er for vanlig. Velg et annet."),
    ],
)
def test_weak_passwords_are_refused_with_a_norwegian_message(session, password, message):
    with pytest.raises(RuleViolation) as caught:
        service.create_user(session, None, username="ola", full_name="Ola Nordmann",
                            password=password)
    assert caught.value.field == "password"
    assert str(caught.value) == message
    session.rollback()
    assert count_users(session) == 0


@pytest.mark.parametrize("password", ["8 tegn!!", "x" * 256, "kommune-2026-høst"])
def test_long_enough_uncommon_passwords_are_accepted(session, password):
    user = create(session, password=password)
    assert passwords.verify_password(session.get(User, user.id).password_hash, password)


def test_password_reset_follows_the_same_rules(session):
    user = create(session)
    with pytest.raises(RuleViolation) as caught:
        service.reset_password(session, None, user, "passord")
    assert str(caught.value) == "Passordet må ha minst 8 tegn."
    session.rollback()
    assert passwords.verify_password(session.get(User, user.id).password_hash, PASSWORD)


# ---- user names --------------------------------------------------------------------


def test_username_is_stored_trimmed_and_in_lower_case(session):
    user = create(session, username="  Kari.Nordmann@Ringerike ")
    assert session.get(User, user.id).username == "kari.nordmann@ringerike"


@pytest.mark.parametrize("username", ["kari nordmann", "kåre", "ola/admin", "ola;--", "ølstad"])
def test_username_with_other_characters_is_refused(session, username):
    with pytest.raises(RuleViolation) as caught:
        create(session, username=username)
    assert caught.value.field == "username"
    assert str(caught.value) == "Brukernavnet kan bare ha små bokstaver a–z, tall og . _ - @."
    session.rollback()
    assert count_users(session) == 0


def test_empty_username_is_refused(session):
    with pytest.raises(RuleViolation) as caught:
        create(session, username="   ")
    assert caught.value.field == "username"
    assert str(caught.value) == "Brukernavn må fylles ut."


@pytest.mark.parametrize("again", ["kari", "KARI", " Kari "])
def test_duplicate_username_is_refused_whatever_the_case(session, again):
    create(session, username="kari")
    with pytest.raises(RuleViolation) as caught:
        create(session, username=again, full_name="Kari Andre")
    assert caught.value.field == "username"
    assert str(caught.value) == "Brukernavnet er allerede i bruk."
    session.rollback()
    assert count_users(session) == 1


def test_empty_full_name_is_refused(session):
    with pytest.raises(RuleViolation) as caught:
        create(session, full_name="  ")
    assert caught.value.field == "full_name"
    session.rollback()
    assert count_users(session) == 0


# ---- authenticate ------------------------------------------------------------------


def test_authenticate_returns_the_user_for_the_right_password(session):
    user = create(session)
    found = service.authenticate(session, "kari", PASSWORD)
    assert found is not None and found.id == user.id


def test_authenticate_ignores_the_case_and_spaces_of_the_username(session):
    user = create(session)
    found = service.authenticate(session, " KARI ", PASSWORD)
    assert found is not None and found.id == user.id


def test_authenticate_refuses_a_wrong_password(session):
    create(session)
    assert service.authenticate(session, "kari", "feil-passord-her") is None
    assert service.authenticate(session, "kari", PASSWORD.upper()) is None
    assert service.authenticate(session, "kari", "") is None


def test_authenticate_refuses_an_unknown_user(session):
    create(session)
    assert service.authenticate(session, "ukjent", PASSWORD) is None


def test_authenticate_refuses_a_disabled_user_even_with_the_right_password(session):
    admin = create(session, username="admin", full_name="Anne Admin", is_admin=True)
    user = create(session)
    service.set_active(session, admin, user, False)
    session.commit()
    assert service.authenticate(session, "kari", PASSWORD) is None
    service.set_active(session, admin, user, True)
    session.commit()
    assert service.authenticate(session, "kari", PASSWORD) is not None


def test_authenticate_after_reset_takes_only_the_new_password(session):
    user = create(session)
    service.reset_password(session, None, user, "et-helt-nytt-passord")
    session.commit()
    assert service.authenticate(session, "kari", PASSWORD) is None
    assert service.authenticate(session, "kari", "et-helt-nytt-passord") is not None


def test_an_admin_cannot_disable_themselves(session):
    admin = create(session, username="admin", full_name="Anne Admin", is_admin=True)
    with pytest.raises(RuleViolation):
        service.set_active(session, admin, admin, False)
    session.rollback()
    assert session.get(User, admin.id).is_active_account
