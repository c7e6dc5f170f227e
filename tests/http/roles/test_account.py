"""A user's own account page: changing one's own password."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.pages import field_error, text

NEW_PASSWORD = "mitt-nye-lange-passord"






def sign_in_status(make_client, username: str, password: str) -> int:
    return make_client().login(username, password).status_code


@pytest.fixture
def kari(make_user, make_client):
    """Kari, signed in on a client of her own."""
    make_user(username="kari", full_name="Kari Nordmann")
    browser = make_client()
    assert browser.login("kari").status_code == 303
    return browser


def test_account_page_shows_who_is_signed_in(kari):
    response = kari.get("/konto")
    assert response.status_code == 200
    page = text(response)
    assert "Kari Nordmann" in page and "kari" in page
    assert "Bytt passord" in page


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/konto")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logg-inn")


def test_wrong_current_password_is_422_and_nothing_changes(kari, make_client):
    response = kari.post("/konto", {"current_password": "ikke-mitt-passord",
                                    "password": NEW_PASSWORD})
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "current_password") == "Nåværende passord er feil."
    assert "ikke-mitt-passord" not in page and NEW_PASSWORD not in page
    assert kari.get("/konto").status_code == 200  # still signed in
    assert sign_in_status(make_client, "kari", NEW_PASSWORD) == 401
    assert sign_in_status(make_client, "kari", PASSWORD) == 303


@pytest.mark.parametrize(
    ("password", "message"),
    [("kort", "Passordet må ha minst 8 tegn."),
     ("Passord123", "Passordet er for vanlig. Velg et annet."),
     ("x" * 257, "Teksten kan ha høyst 256 tegn.")],
)
def test_weak_new_password_is_422_and_nothing_changes(kari, make_client, password, message):
    response = kari.post("/konto", {"current_password": PASSWORD, "password": password})
    assert response.status_code == 422
    assert field_error(text(response), "password") == message
    assert kari.get("/konto").status_code == 200
    assert sign_in_status(make_client, "kari", PASSWORD) == 303


def test_empty_fields_are_422_with_messages(kari):
    response = kari.post("/konto", {"current_password": "", "password": ""})
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "current_password") == "Dette feltet må fylles ut."
    assert field_error(page, "password") == "Dette feltet må fylles ut."


def test_changing_the_password(kari, make_client):
    response = kari.post("/konto", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/konto"
    kari.forget_token()  # the change starts a new session, with a new CSRF token
    page = kari.get("/konto")
    assert page.status_code == 200  # still signed in on this client
    assert "Passordet er endret." in text(page)
    assert sign_in_status(make_client, "kari", NEW_PASSWORD) == 303
    assert sign_in_status(make_client, "kari", PASSWORD) == 401
    # The new session works for writes too.
    assert kari.post("/logg-ut").status_code == 303
    assert kari.get("/konto").status_code == 302


def test_changing_the_password_signs_out_other_sessions(kari, make_client):
    elsewhere = make_client()
    assert elsewhere.login("kari").status_code == 303
    assert elsewhere.get("/konto").status_code == 200
    response = kari.post("/konto", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert response.status_code == 303
    after = elsewhere.get("/konto")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/logg-inn")
    assert kari.get("/konto").status_code == 200
