"""Personal API tokens on the account page: created (the secret shown once), listed, revoked;
and when a token stops working: revoked, expired, its user disabled. A session cookie alone
never opens the API."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from governance.api.models import ApiToken
from governance.extensions import db
from governance.history.models import ChangeRecord
from governance.roles import service as role_service
from governance.roles.models import User
from tests.http.api.conftest import bearer
from tests.pages import field_error, text

SECRET = re.compile(r'id="new-token"[^>]*value="(sr_[^"]+)"')


def _create(client, name: str = "Fagsystem Sogndal", expires_on: str = ""):
    return client.post("/konto/api-nokler/", {"name": name, "expires_on": expires_on})


def test_account_page_links_to_the_api_tokens(client, api_world):
    client.login("kari")
    page = client.get("/konto")
    assert 'href="/konto/api-nokler/"' in page.get_data(as_text=True)


def test_a_token_is_created_shown_once_and_works_with_the_users_rights(app, client,
                                                                        api_world):
    client.login("kari")
    response = _create(client)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    secret = SECRET.search(body).group(1)
    assert "vises den bare én gang" in body

    listing = client.get("/konto/api-nokler/").get_data(as_text=True)
    assert secret not in listing  # never shown again
    assert "Fagsystem Sogndal" in listing and secret[:10] in listing
    assert "Aldri" in listing  # not used yet

    api = app.test_client()  # no cookies
    assert api.get("/api/v1/projects", headers=bearer(secret)).get_json()["total"] == 1
    assert "Aldri" not in text(client.get("/konto/api-nokler/"))

    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash != secret and len(token.token_hash) == 64
        records = db.session.scalars(select(ChangeRecord).where(
            ChangeRecord.table_name == "api_token")).all()
        assert [r.action for r in records] == ["insert"]
        assert records[0].parent_table == "user_account"
        stored = repr(records[0].after)
        assert secret not in stored and token.token_hash not in stored
        assert "Fagsystem Sogndal" in stored


def test_creating_a_token_needs_the_csrf_token(app, client, api_world):
    client.login("kari")
    response = client.post("/konto/api-nokler/", {"name": "Uten CSRF"}, csrf=False)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_a_token_needs_a_name_and_an_expiry_not_in_the_past(app, client, api_world):
    client.login("kari")
    response = _create(client, name="  ")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "name")
    response = _create(client, name="Gammel", expires_on="2013-09-15")
    assert response.status_code == 422
    assert "fortiden" in field_error(response.get_data(as_text=True), "expires_on")
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_a_revoked_token_gets_401(app, client, api_world, make_token):
    secret = make_token(api_world.users["lead"], name="Skal bort")
    api = app.test_client()
    assert api.get("/api/v1/projects", headers=bearer(secret)).status_code == 200
    client.login("kari")
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    response = client.post(f"/konto/api-nokler/{token_id}/trekk-tilbake")
    assert response.status_code == 303
    listing = text(client.get("/konto/api-nokler/"))
    assert "Trukket tilbake" in listing
    refused = api.get("/api/v1/projects", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert refused.get_json()["error"]["status"] == 401
    with app.app_context():
        actions = db.session.scalars(select(ChangeRecord.action).where(
            ChangeRecord.table_name == "api_token").order_by(ChangeRecord.id)).all()
    assert actions == ["insert", "update"]


def test_nobody_revokes_someone_elses_token(app, client, api_world, make_token):
    secret = make_token(api_world.users["leader"])
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    client.login("kari")
    assert client.post(f"/konto/api-nokler/{token_id}/trekk-tilbake").status_code == 404
    assert app.test_client().get("/api/v1/projects", headers=bearer(secret)).status_code == 200


def test_an_expired_token_gets_401(app, api_world, make_token):
    valid_today = make_token(api_world.users["lead"], expires_on=date(2013, 9, 16))
    expired = make_token(api_world.users["lead"], expires_on=date(2013, 9, 15),
                         created_on=date(2013, 9, 1))
    api = app.test_client()
    assert api.get("/api/v1/projects", headers=bearer(valid_today)).status_code == 200
    assert api.get("/api/v1/projects", headers=bearer(expired)).status_code == 401


def test_a_disabled_users_token_gets_401(app, api_world, make_token):
    secret = make_token(api_world.users["lead"])
    with app.app_context():
        admin = db.session.get(User, api_world.users["admin"].id)
        role_service.set_active(db.session, admin, db.session.get(
            User, api_world.users["lead"].id), False)
        db.session.commit()
    assert app.test_client().get("/api/v1/projects", headers=bearer(secret)).status_code == 401


def test_a_session_cookie_alone_does_not_open_the_api(client, api_world):
    client.login("kari")
    assert client.get("/prosjekter/").status_code == 200  # signed in on the web
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers["Cache-Control"] == "no-store"


def test_garbage_in_the_authorization_header_gets_401(app, api_world):
    api = app.test_client()
    for header in ("Bearer", "Bearer sr_finnes-ikke", "Basic a2FyaTpwYXNz",
                   "Bearer " + "x" * 5000, "Bearer æøå"):
        response = api.get("/api/v1/projects", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.is_json


def test_the_users_history_shows_the_token_but_not_its_secret(app, client, api_world,
                                                              make_token):
    secret = make_token(api_world.users["lead"], name="Fagsystem Sogndal",
                        expires_on=date(2014, 1, 31))
    client.login("admin")
    page = text(client.get(f"/admin/brukere/{api_world.users['lead'].id}/historikk"))
    assert "API-nøkkel" in page and "Fagsystem Sogndal" in page and "31.01.2014" in page
    assert secret not in page and secret[3:] not in page
