"""Security baseline: permission declarations, CSRF, headers, error pages."""

from __future__ import annotations

import logging

import pytest

from governance.extensions import db
from governance.web import LEVELS, PUBLIC, permission
from tests.conftest import Browserless, make_test_app


def test_every_endpoint_declares_a_permission(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], "permission", None) not in LEVELS
    ]
    assert missing == [], f"endpoints without a permission declaration: {missing}"


@pytest.fixture
def app_with_route(app):
    """Factory: another app on the same database, with one extra route added before use."""
    made = []

    def make(rule, view):
        extra = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"])
        extra.add_url_rule(rule, view.__name__, view)
        made.append(extra)
        return extra

    yield make
    for extra in made:
        with extra.app_context():
            db.engine.dispose()


def test_undeclared_endpoint_is_refused(app_with_route, make_user):
    # A view added without @permission answers 403, even to an administrator.
    def undeclared():
        return "secret"

    make_user(username="sjef", is_admin=True)
    client = Browserless(app_with_route("/udeklarert", undeclared).test_client())
    assert client.login("sjef").status_code == 303
    response = client.get("/udeklarert")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["/", "/prosjekter/", "/prosjekter/nytt", "/konto", "/admin/brukere/",
     "/admin/organisasjoner/"],
)
def test_signed_in_pages_redirect_anonymous_users_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/logg-inn" in response.headers["Location"]


def test_htmx_request_without_session_gets_401_and_redirect_header(client):
    response = client.htmx("GET", "/prosjekter/", {"q": "x"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].endswith("/logg-inn")


def test_post_without_csrf_token_is_refused_and_logged(admin_client, caplog):
    with caplog.at_level(logging.WARNING, logger="governance.security"):
        response = admin_client.post(
            "/admin/organisasjoner/ny", {"name": "Uten token", "kind": "municipality"},
            csrf=False,
        )
    assert response.status_code == 400
    assert "Skjemaet var utløpt eller ugyldig" in response.get_data(as_text=True)
    assert any("CSRF failure" in record.message for record in caplog.records)
    listing = admin_client.get("/admin/organisasjoner/").get_data(as_text=True)
    assert "Uten token" not in listing


def test_csrf_token_in_htmx_header_is_accepted(admin_client):
    token = admin_client.token()
    response = admin_client.client.post(
        "/admin/organisasjoner/ny",
        data={"name": "Med header", "kind": "municipality"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 303


def test_security_headers_on_every_page(admin_client):
    response = admin_client.get("/prosjekter/")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'nonce-" in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self' 'nonce-" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    assert "HX-Request" in headers["Vary"]
    # Every script tag carries this response's nonce.
    nonce = csp.split("'nonce-")[1].split("'")[0]
    html = response.get_data(as_text=True)
    assert html.count("<script") == html.count(f'nonce="{nonce}"') > 0


def test_nonce_differs_between_responses(client):
    first = client.get("/logg-inn").headers["Content-Security-Policy"]
    second = client.get("/logg-inn").headers["Content-Security-Policy"]
    assert first != second


def test_anonymous_pages_are_not_marked_no_store_but_signed_in_are(client, make_user):
    assert client.get("/logg-inn").headers.get("Cache-Control") != "no-store"
    make_user(username="kari")
    client.login("kari")
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/logg-inn").headers
    secure = client.client.get("/logg-inn", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_htmx_configuration_is_locked_down(client):
    html = client.get("/logg-inn").get_data(as_text=True)
    for setting in ('"allowEval":false', '"allowScriptTags":false', '"historyCacheSize":0',
                    '"selfRequestsOnly":true'):
        assert setting in html
    assert '"code":"422","swap":true' in html
    assert '"code":"409","swap":true' in html


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/finnes-ikke", 404, "Finner ikke siden"),
        ("/admin/brukere/", 403, "Ingen tilgang"),
    ],
)
def test_error_pages_are_norwegian(client, make_user, path, status, text):
    make_user(username="vanlig")
    client.login("vanlig")
    response = client.get(path)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert text in html
    assert "Traceback" not in html


def test_method_not_allowed_page(admin_client):
    response = admin_client.get("/logg-ut")
    assert response.status_code == 405
    assert "Metoden er ikke tillatt" in response.get_data(as_text=True)
    assert "POST" in response.headers["Allow"]


def test_unexpected_error_gives_500_page_without_traceback(app_with_route, caplog):
    @permission(PUBLIC)
    def explode():
        raise RuntimeError("kaboom secret detail")

    client = app_with_route("/eksploder", explode).test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/eksploder")
    assert any("unhandled error" in record.message for record in caplog.records)
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Noe gikk galt" in html
    assert "kaboom" not in html and "Traceback" not in html


def test_health_check(client):
    response = client.get("/helse")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
