"""Request plumbing shared by all blueprints: rendering, permissions, errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from governance.extensions import db

security_log = logging.getLogger("governance.security")

# Permission levels an endpoint can declare. Object-level rules (may this user edit
# this project?) are checked in the view with require(policy...).
PUBLIC = "public"
SIGNED_IN = "signed_in"
ADMIN = "admin"
# The JSON API: a personal token in "Authorization: Bearer", never a cookie session.
API_TOKEN = "api_token"  # noqa: S105 - a permission level, not a secret
LEVELS = (PUBLIC, SIGNED_IN, ADMIN, API_TOKEN)


def permission(level: str) -> Callable:
    """Declare what an endpoint needs. Endpoints without a declaration are refused."""
    if level not in LEVELS:
        raise ValueError(f"unknown permission level {level!r}")

    def decorate(view: Callable) -> Callable:
        view.permission = level  # type: ignore[attr-defined]
        return view

    return decorate


# The largest id an integer column holds on every supported database (PostgreSQL's integer).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in a route: a larger number names nothing, so the route answers 404
    instead of the database refusing the query (a 500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def declared_permission(app: Flask, endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    view = app.view_functions.get(endpoint)
    return getattr(view, "permission", None)


def enforce_declared_permission() -> Any:
    """before_request: deny by default, then check the declared level."""
    if request.endpoint is None:
        return None  # 404/405 follow from routing
    level = declared_permission(current_app, request.endpoint)
    if level is None:
        security_log.warning("refused: endpoint %s declares no permission", request.endpoint)
        abort(403)
    if level == PUBLIC:
        return None
    if level == API_TOKEN:
        from governance.api.auth import authenticate

        return authenticate()
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if level == ADMIN and not current_user.is_admin:
        security_log.info(
            "refused: user %s is not an administrator (%s)", current_user.id, request.path
        )
        abort(403)
    return None


def require(allowed: bool, status: int = 403) -> None:
    """Abort unless ``allowed``. Use 404 where the object's existence is not to be told."""
    if not allowed:
        user = current_user.get_id() if current_user.is_authenticated else "anonymous"
        security_log.info("refused: user %s, %s %s -> %s", user, request.method, request.path,
                          status)
        abort(status)


def wants_fragment() -> bool:
    """True for htmx requests that swap part of a page (not boosted, not a history restore)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, block: str | None = None, status: int = 200, **context: Any):
    """The whole page, or only ``block`` when htmx asks for a fragment."""
    if block is not None and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = current_app.make_response((body, status))
    response.vary.add("HX-Request")
    return response


def int_arg(name: str) -> int | None:
    """A query-string integer; anything else counts as absent (never a 500)."""
    raw = request.args.get(name, "").strip()
    if raw.isdigit() and len(raw) < 10:
        return int(raw)
    return None


# Seconds a client is asked to wait before trying again after a 503.
RETRY_AFTER_SECONDS = 30

ERROR_CODES = frozenset({400, 403, 404, 405, 409, 413, 422, 429, 500, 503})


def _error_text(code: int) -> str:
    texts = {
        400: _("Forespørselen kunne ikke behandles. Last siden på nytt og prøv igjen."),
        403: _("Du har ikke tilgang til denne siden eller handlingen."),
        404: _("Siden finnes ikke, eller du har ikke tilgang til den."),
        405: _("Denne handlingen er ikke tillatt her."),
        409: _("Noen andre har lagret en endring i mellomtiden. Last siden på nytt."),
        413: _("Forespørselen er for stor."),
        422: _("Det du sendte inn, kunne ikke lagres. Se over og prøv igjen."),
        429: _("For mange forsøk på kort tid. Vent ett minutt og prøv igjen."),
        500: _("En feil oppstod hos oss. Ingenting ble lagret. Prøv igjen om litt."),
        503: _("Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt."),
    }
    return texts.get(code, texts[400])


def _error_title(code: int) -> str:
    titles = {
        400: _("Ugyldig forespørsel"),
        403: _("Ingen tilgang"),
        404: _("Finner ikke siden"),
        405: _("Metoden er ikke tillatt"),
        409: _("Noen andre har endret dette"),
        413: _("For stor forespørsel"),
        422: _("Kunne ikke lagre"),
        429: _("For mange forsøk"),
        500: _("Noe gikk galt"),
        503: _("Tjenesten er midlertidig utilgjengelig"),
    }
    return titles.get(code, titles[400])


def error_page(code: int, message: str | None = None):
    db.session.rollback()
    body = render_template(
        "errors/error.html",
        code=code,
        title=_error_title(code),
        message=message or _error_text(code),
    )
    response = current_app.make_response((body, code))
    response.vary.add("HX-Request")
    return response


# No database stores a NUL character in text (PostgreSQL refuses it outright), and no one
# types one. In a query parameter it is an unreadable value and is left out, as filters
# ignore any value they cannot read; in a form field the request is refused as a whole,
# with a message, before any view sees it.
UNSTORABLE = "\x00"


def drop_unstorable_query_values() -> None:
    args = request.args
    if any(UNSTORABLE in name or UNSTORABLE in value for name, value in args.items(multi=True)):
        request.args = ImmutableMultiDict(
            (name, value) for name, value in args.items(multi=True)
            if UNSTORABLE not in name and UNSTORABLE not in value)


def has_unstorable_form_text() -> bool:
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or request.mimetype not in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        return False
    return any(UNSTORABLE in name or UNSTORABLE in value
               for name, value in request.form.items(multi=True))


def register_error_handlers(app: Flask) -> None:
    from governance.api.errors import api_error, is_api_request

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        security_log.warning("CSRF failure: %s %s (%s)", request.method, request.path,
                             error.description)
        return error_page(
            400, _("Skjemaet var utløpt eller ugyldig. Last siden på nytt og prøv igjen.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if is_api_request():
            return api_error(code, error)
        if code == 401:
            return current_app.login_manager.unauthorized()
        if code not in ERROR_CODES:
            code = 400 if code < 500 else 500
        response = error_page(code)
        if code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        from sqlalchemy.exc import DBAPIError, OperationalError

        if isinstance(error, OperationalError) or (
            isinstance(error, DBAPIError) and error.connection_invalidated
        ):
            app.logger.error("database unavailable: %s", error.__class__.__name__)
            # The answer is made without the database: the page is drawn as for someone
            # signed out (the signed-in user would be read again), is never cached, and
            # says when to try again. The pool replaces lost connections on the next
            # request (pool_pre_ping), so nothing needs restarting.
            g._login_user = current_app.login_manager.anonymous_user()
            response = api_error(503) if is_api_request() else error_page(503)
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            response.headers["Cache-Control"] = "no-store"
            return response
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return api_error(500) if is_api_request() else error_page(500)

    @app.before_request
    def _declared() -> Any:
        return enforce_declared_permission()

    @app.before_request
    def _readable() -> Any:
        drop_unstorable_query_values()
        if not has_unstorable_form_text():
            return None
        message = _("Teksten inneholder et tegn som ikke kan lagres (NUL-tegnet). "
                    "Fjern det og prøv igjen.")
        if is_api_request():
            from governance.api.errors import ApiProblem

            return api_error(400, ApiProblem(400, message))
        return error_page(400, message)
