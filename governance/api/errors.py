"""JSON errors for everything under /api/: ``{"error": {"status", "message", "fields"?}}``."""

from __future__ import annotations

import json

from flask import Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from governance.extensions import db

API_PREFIX = "/api/"
REALM = 'Bearer realm="Styringsrommet API"'


class ApiProblem(HTTPException):
    """An API answer other than success, with its message and per-field messages."""

    def __init__(self, status: int, message: str | None = None,
                 fields: dict[str, str] | None = None, headers: dict[str, str] | None = None):
        super().__init__(description=message)
        self.code = status
        self.message = message
        self.fields = fields
        self.extra_headers = headers or {}


def is_api_request() -> bool:
    return request.path == API_PREFIX.rstrip("/") or request.path.startswith(API_PREFIX)


def default_message(status: int) -> str:
    texts = {
        400: _("Forespørselen er ugyldig."),
        401: _("Mangler gyldig API-nøkkel. Send den som «Authorization: Bearer <nøkkel>»."),
        403: _("Brukeren som eier API-nøkkelen, har ikke lov til dette."),
        404: _("Finnes ikke, eller du har ikke tilgang til det."),
        405: _("Metoden er ikke tillatt her."),
        409: _("Noen andre har lagret en endring i mellomtiden. Hent verdiene på nytt og prøv "
               "igjen."),
        413: _("Forespørselen er for stor."),
        415: _("Send innholdet som JSON (Content-Type: application/json)."),
        422: _("Det du sendte inn, kunne ikke lagres."),
        429: _("For mange forespørsler på kort tid. Vent litt og prøv igjen."),
        500: _("En feil oppstod hos oss. Ingenting ble lagret. Prøv igjen om litt."),
        503: _("Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt."),
    }
    return texts.get(status, texts[400] if status < 500 else texts[500])


def api_error(status: int, error: Exception | None = None) -> Response:
    """The JSON answer for an error status; nothing of the request is saved."""
    db.session.rollback()
    known = {400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503}
    if status not in known:
        status = 400 if status < 500 else 500
    message = getattr(error, "message", None) or default_message(status)
    body: dict = {"status": status, "message": message}
    fields = getattr(error, "fields", None)
    if fields:
        body["fields"] = fields
    if hasattr(error, "current"):  # 409: what is stored now
        body["current"] = error.current
    response = current_app.response_class(
        json.dumps({"error": body}, ensure_ascii=False), status=status,
        mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = REALM
    valid = getattr(error, "valid_methods", None)
    if status == 405 and valid:
        response.headers["Allow"] = ", ".join(valid)
    for key, value in getattr(error, "extra_headers", {}).items():
        response.headers[key] = value
    return response
