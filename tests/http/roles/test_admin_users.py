"""User administration over HTTP: create, edit, reset password, disable, history, access.

Tests with more than one person signed in use ``make_client`` for every one of them:
the ``client`` fixture keeps its last request context open (``with test_client()``), and
another client's request made meanwhile would share its ``g`` (signed-in user, CSRF token).
"""

from __future__ import annotations

import html
import json
import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from governance.extensions import db
from governance.history.models import ChangeRecord
from governance.roles import passwords
from governance.roles.models import User
from tests.conftest import PASSWORD
from tests.pages import field_error, input_value, text

BASE = "/admin/brukere"
NEW_PASSWORD = "et-helt-nytt-passord"


# ---- helpers -----------------------------------------------------------------------








def history_entries(page: str) -> list[dict]:
    """The history table as read on screen: who, what, and {field: (before, after)}."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    entries: list[dict] = []
    for row in re.findall(r"<tr>(.*?)</tr>", body.group(1) if body else "", re.S):
        first = re.findall(r'<td rowspan="\d+">(.*?)</td>', row, re.S)
        if first:
            what = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(first[2])).split())
            entries.append({"who": html.unescape(first[1]).strip(), "what": what,
                            "fields": {}})
        field = re.search(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
                          row, re.S)
        if field:
            label, before, after = (html.unescape(part).strip() for part in field.groups())
            entries[-1]["fields"][label] = (before, after)
    return entries


def heading(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return html.unescape(match.group(1)) if match else ""


def user_row(app, username: str) -> dict | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            return None
        return {
            "full_name": user.full_name, "email": user.email,
            "organisation_id": user.organisation_id, "is_admin": user.is_admin,
            "can_create_projects": user.can_create_projects,
            "active": user.is_active_account, "password_hash": user.password_hash,
        }


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def user_urls(app, user_id: int) -> list[tuple[str, str]]:
    """(method, url) for every endpoint under /admin/brukere, from the URL map."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith(BASE):
                continue
            url = url_for(rule.endpoint, **{name: user_id for name in rule.arguments})
            urls += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


@pytest.fixture
def admin(make_user):
    return make_user(username="admin", is_admin=True, full_name="Anne Admin")


@pytest.fixture
def browser(make_client):
    """Factory: a new client, signed in as ``username``."""

    def signed_in(username: str, password: str = PASSWORD):
        new = make_client()
        assert new.login(username, password).status_code == 303
        return new

    return signed_in


def can_sign_in(make_client, username: str, password: str) -> bool:
    response = make_client().login(username, password)
    assert response.status_code in (303, 401), response.status_code
    return response.status_code == 303


NEW_USER = {
    "username": "kari", "full_name": "Kari Nordmann", "email": "kari@ringerike.kommune.no",
    "organisation_id": "", "can_create_projects": "y", "password": "kari-sitt-passord",
}


# ---- create ------------------------------------------------------------------------


def test_admin_lists_users_with_their_status(app, admin_client, make_user):
    make_user(username="kari", full_name="Kari Nordmann")
    ola = make_user(username="ola", full_name="Ola Nordmann")
    with app.app_context():
        db.session.get(User, ola.id).is_active_account = False
        db.session.commit()
    response = admin_client.get(f"{BASE}/")
    assert response.status_code == 200
    page = text(response)
    assert "Kari Nordmann" in page and "Ola Nordmann" in page
    assert "Deaktivert" in page and "Aktiv" in page
    assert "$argon2" not in page


def test_admin_creates_a_user_who_can_then_sign_in(app, admin, browser, make_client, make_org):
    organisation = make_org(name="Ringerike kommune")
    admin_client = browser("admin")
    form = admin_client.get(f"{BASE}/ny")
    assert form.status_code == 200
    assert "Ringerike kommune" in text(form)
    response = admin_client.post(
        f"{BASE}/ny", {**NEW_USER, "username": " Kari ", "organisation_id": organisation.id}
    )
    assert response.status_code == 303
    listing = text(admin_client.get(response.headers["Location"]))
    assert "Brukeren Kari Nordmann er opprettet." in listing
    saved = user_row(app, "kari")
    assert saved is not None
    assert saved["organisation_id"] == organisation.id
    assert saved["can_create_projects"] and not saved["is_admin"] and saved["active"]
    assert saved["password_hash"].startswith("$argon2id$")

    kari = make_client()
    assert kari.login("kari", "kari-sitt-passord").status_code == 303
    assert "Hei, Kari Nordmann" in text(kari.get("/"))


def test_duplicate_username_is_422_and_not_saved(app, admin_client, make_user):
    make_user(username="kari", full_name="Kari Første")
    response = admin_client.post(f"{BASE}/ny", {**NEW_USER, "username": "KARI"})
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "username") == "Brukernavnet er allerede i bruk."
    assert count_users(app) == 2  # the admin and the first Kari
    assert user_row(app, "kari")["full_name"] == "Kari Første"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "Passordet må ha minst 8 tegn."),
        ("passord123", "Passordet er for vanlig. Velg et annet."),
        ("Sommer2025", "Passordet er for vanlig. Velg et annet."),
        ("x" * 257, "Teksten kan ha høyst 256 tegn."),
        ("", "Dette feltet må fylles ut."),
    ],
)
def test_weak_password_is_422_with_the_message(app, admin_client, password, message):
    response = admin_client.post(f"{BASE}/ny", {**NEW_USER, "password": password})
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "password") == message
    assert input_value(page, "password") == ""  # the password is not sent back
    assert input_value(page, "username") == "kari"  # the rest is kept
    assert user_row(app, "kari") is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"username": "kari nordmann"}, "username",
         "Brukernavnet kan bare ha små bokstaver a–z, tall og . _ - @."),
        ({"username": ""}, "username", "Dette feltet må fylles ut."),
        ({"username": "k" * 81}, "username", "Teksten kan ha høyst 80 tegn."),
        ({"full_name": ""}, "full_name", "Dette feltet må fylles ut."),
        ({"email": "ikke-en-adresse"}, "email", "Skriv en gyldig e-postadresse."),
        ({"organisation_id": "999999"}, "organisation_id", "Ugyldig valg."),
        ({"organisation_id": "tull"}, "organisation_id", "Ugyldig valg."),
    ],
)
def test_other_bad_input_is_422_next_to_the_field(app, admin_client, data, field, message):
    response = admin_client.post(f"{BASE}/ny", {**NEW_USER, **data})
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert count_users(app) == 1


# ---- who may ------------------------------------------------------------------------


CHANGE = {"username": "inntrenger", "full_name": "Overtatt", "is_admin": "y",
          "password": "inntrengerens-passord", "active": "0"}


def test_every_user_url_is_found_in_the_url_map(app):
    urls = user_urls(app, 1)
    assert len({url for _, url in urls}) >= 6
    assert {method for method, _ in urls} == {"GET", "POST"}


def test_signed_in_non_admin_gets_403_on_every_user_url(app, client, make_user):
    target = make_user(username="kari", full_name="Kari Nordmann")
    make_user(username="vanlig", can_create_projects=True)
    assert client.login("vanlig").status_code == 303
    before = user_row(app, "kari")
    for method, url in user_urls(app, target.id):
        response = client.get(url) if method == "GET" else client.post(url, CHANGE)
        assert response.status_code == 403, (method, url)
        assert "Du har ikke tilgang" in text(response)
    assert user_row(app, "kari") == before
    assert user_row(app, "inntrenger") is None
    assert not user_row(app, "vanlig")["is_admin"]
    assert count_users(app) == 2


def test_anonymous_is_sent_to_sign_in_from_every_user_url(app, client, make_user):
    target = make_user(username="kari")
    before = user_row(app, "kari")
    for method, url in user_urls(app, target.id):
        response = client.get(url) if method == "GET" else client.post(url, CHANGE)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/logg-inn"), (method, url)
    assert user_row(app, "kari") == before
    assert count_users(app) == 1


def test_unknown_user_is_404(app, admin_client):
    for method, url in user_urls(app, 999_999):
        if "999999" not in url:
            continue
        response = admin_client.get(url) if method == "GET" else admin_client.post(url, CHANGE)
        assert response.status_code == 404, (method, url)
    assert count_users(app) == 1


# ---- edit --------------------------------------------------------------------------


def test_admin_edits_a_user(app, admin_client, make_user, make_org):
    organisation = make_org(name="Hole kommune")
    kari = make_user(username="kari", full_name="Kari Nordmann")
    page = text(admin_client.get(f"{BASE}/{kari.id}"))
    assert input_value(page, "full_name") == "Kari Nordmann"
    assert "$argon2" not in page
    response = admin_client.post(
        f"{BASE}/{kari.id}",
        {"full_name": "Kari N. Hansen", "email": "kari@hole.kommune.no",
         "organisation_id": organisation.id, "is_admin": "y"},
    )
    assert response.status_code == 303
    assert "Endringene er lagret." in text(admin_client.get(response.headers["Location"]))
    saved = user_row(app, "kari")
    assert (saved["full_name"], saved["email"], saved["organisation_id"]) == (
        "Kari N. Hansen", "kari@hole.kommune.no", organisation.id)
    assert saved["is_admin"] and not saved["can_create_projects"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Dette feltet må fylles ut."),
        ({"full_name": "x" * 201}, "full_name", "Teksten kan ha høyst 200 tegn."),
        ({"email": "kari@"}, "email", "Skriv en gyldig e-postadresse."),
        ({"organisation_id": "424242"}, "organisation_id", "Ugyldig valg."),
    ],
)
def test_bad_edit_is_422_and_changes_nothing(app, admin_client, make_user, data, field,
                                             message):
    kari = make_user(username="kari", full_name="Kari Nordmann")
    before = user_row(app, "kari")
    response = admin_client.post(
        f"{BASE}/{kari.id}", {"full_name": "Kari N. Hansen", "email": "", **data}
    )
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert user_row(app, "kari") == before


def test_admin_cannot_remove_their_own_admin_role(app, admin_client):
    response = admin_client.post(
        f"{BASE}/{admin_client.user.id}", {"full_name": "Anne Admin", "email": ""}
    )
    assert response.status_code == 422
    assert field_error(text(response), "is_admin") == (
        "Du kan ikke fjerne din egen administratorrolle."
    )
    assert user_row(app, "admin")["is_admin"]
    assert admin_client.get(f"{BASE}/").status_code == 200


# ---- password reset ----------------------------------------------------------------


def test_reset_password_ends_the_users_sessions(app, admin, make_user, browser, make_client):
    kari = make_user(username="kari")
    kari_browser = browser("kari")
    assert kari_browser.get("/konto").status_code == 200
    admin_browser = browser("admin")

    response = admin_browser.post(f"{BASE}/{kari.id}/passord", {"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert "er logget ut overalt" in text(admin_browser.get(response.headers["Location"]))

    after = kari_browser.get("/konto")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/logg-inn")
    assert not can_sign_in(make_client, "kari", PASSWORD)
    assert can_sign_in(make_client, "kari", NEW_PASSWORD)
    # The administrator is still signed in.
    assert admin_browser.get(f"{BASE}/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [("kort", "Passordet må ha minst 8 tegn."),
     ("qwerty123", "Passordet er for vanlig. Velg et annet."),
     ("", "Dette feltet må fylles ut.")],
)
def test_weak_reset_password_is_422_and_nothing_changes(app, admin, make_user, browser,
                                                       make_client, password, message):
    kari = make_user(username="kari")
    kari_browser = browser("kari")
    admin_browser = browser("admin")
    response = admin_browser.post(f"{BASE}/{kari.id}/passord", {"password": password})
    assert response.status_code == 422
    assert field_error(text(response), "password") == message
    assert kari_browser.get("/konto").status_code == 200  # still signed in
    assert can_sign_in(make_client, "kari", PASSWORD)


# ---- disable and enable ------------------------------------------------------------


def test_disabling_a_user_ends_their_session_and_refuses_sign_in(app, admin, make_user,
                                                                 browser, make_client):
    kari = make_user(username="kari", full_name="Kari Nordmann")
    kari_browser = browser("kari")
    assert kari_browser.get("/konto").status_code == 200
    admin_browser = browser("admin")

    response = admin_browser.post(f"{BASE}/{kari.id}/aktiv", {"active": "0"})
    assert response.status_code == 303
    page = text(admin_browser.get(response.headers["Location"]))
    assert "Kari Nordmann er deaktivert og logget ut." in page
    assert "Brukeren er deaktivert og kan ikke logge inn." in page
    assert not user_row(app, "kari")["active"]

    after = kari_browser.get("/konto")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/logg-inn")
    refused = make_client().login("kari")
    assert refused.status_code == 401
    assert "Feil brukernavn eller passord." in text(refused)

    response = admin_browser.post(f"{BASE}/{kari.id}/aktiv", {"active": "1"})
    assert response.status_code == 303
    assert "Kari Nordmann kan logge inn igjen." in text(
        admin_browser.get(response.headers["Location"]))
    assert user_row(app, "kari")["active"]
    assert can_sign_in(make_client, "kari", PASSWORD)


def test_admin_cannot_disable_themselves(app, admin_client):
    response = admin_client.post(f"{BASE}/{admin_client.user.id}/aktiv", {"active": "0"})
    assert response.status_code == 303
    page = text(admin_client.get(response.headers["Location"]))
    assert "Du kan ikke deaktivere din egen bruker." in page
    assert "Brukeren er deaktivert" not in page
    assert user_row(app, "admin")["active"]
    assert admin_client.get(f"{BASE}/").status_code == 200


# ---- history -----------------------------------------------------------------------


def test_user_history_shows_changes_but_never_the_password_hash(app, admin_client):
    created = admin_client.post(f"{BASE}/ny", NEW_USER)
    assert created.status_code == 303
    kari_id = db_id(app, "kari")
    edited = admin_client.post(
        f"{BASE}/{kari_id}",
        {"full_name": "Kari N. Hansen", "email": "kari@ringerike.kommune.no",
         "can_create_projects": "y"},
    )
    assert edited.status_code == 303
    reset = admin_client.post(f"{BASE}/{kari_id}/passord", {"password": NEW_PASSWORD})
    assert reset.status_code == 303
    assert admin_client.post(f"{BASE}/{kari_id}/aktiv", {"active": "0"}).status_code == 303

    response = admin_client.get(f"{BASE}/{kari_id}/historikk")
    assert response.status_code == 200
    page = text(response)
    assert "Kari N. Hansen" in heading(page)
    entries = history_entries(page)
    # Newest first: disabled, password reset, edited, created. The reset shows when the
    # password was set, never the hash.
    assert [entry["who"] for entry in entries] == ["Anne Admin"] * 4
    assert [entry["what"] for entry in entries] == ["Endret", "Endret", "Endret", "Opprettet"]
    disabled, reset_entry, edited, created = (entry["fields"] for entry in entries)
    assert list(disabled.values()) == [("Ja", "Nei")]
    assert list(reset_entry) == ["Passord satt"]
    assert ("Kari Nordmann", "Kari N. Hansen") in edited.values()
    assert ("–", "kari") in created.values()
    labels = [label.lower() for entry in entries for label in entry["fields"]]
    assert not any("hash" in label for label in labels)
    assert "$argon2" not in page
    with app.app_context():
        saved_hash = db.session.get(User, kari_id).password_hash
        records = db.session.scalars(
            select(ChangeRecord).where(ChangeRecord.table_name == "user_account",
                                       ChangeRecord.row_id == str(kari_id))
        ).all()
    assert passwords.verify_password(saved_hash, NEW_PASSWORD)
    assert saved_hash not in page
    assert len(records) == 4
    stored = json.dumps([[record.before, record.after] for record in records])
    assert "password_hash" not in stored and "$argon2" not in stored


def db_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))
