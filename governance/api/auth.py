"""Bearer-token authentication for the API. A cookie session is never used here: a request
with only a session cookie is answered 401."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, g, request

from governance.api import service
from governance.api.errors import ApiProblem
from governance.db_base import utcnow
from governance.extensions import db
from governance.history.recorder import set_actor
from governance.projects.plan_views import today

security_log = logging.getLogger("governance.security")
# last_used_at is written at most this often per token (not on every request).
USE_RESOLUTION = timedelta(minutes=1)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authenticate() -> None:
    """before_request of API endpoints: the token's user becomes the request's user."""
    # The request's user is the token's user or nobody: never the one of a session cookie.
    current_app.login_manager._update_request_context_with_user(None)
    secret = _bearer()
    found = service.find_user(db.session, secret, today()) if secret else None
    if found is None:
        if secret:
            security_log.info("refused: invalid or expired API token (%s %s)",
                              request.method, request.path)
        raise ApiProblem(401)
    token, user = found
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= USE_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    current_app.login_manager._update_request_context_with_user(user)
    set_actor(db.session, user.id, user.full_name)
    g.api_token_id = token.id
    return None
