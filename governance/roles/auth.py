"""Glue between Flask-Login and the server-side sessions."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app, request, session
from flask_login import login_user, logout_user

from governance.extensions import db, login_manager
from governance.history.recorder import set_actor
from governance.roles import service
from governance.roles.models import User

security_log = logging.getLogger("governance.security")
SESSION_TOKEN = "sid"  # noqa: S105 - the session key, not a secret


def client_address() -> str:
    return request.remote_addr or "unknown"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    token = session.get(SESSION_TOKEN)
    if not token or not user_id.isdigit():
        return None
    config = current_app.config
    live = service.find_live_session(
        db.session,
        token,
        idle=timedelta(minutes=config["GOVERNANCE_SESSION_IDLE_MINUTES"]),
        absolute=timedelta(minutes=config["GOVERNANCE_SESSION_ABSOLUTE_MINUTES"]),
    )
    if db.session.dirty:
        db.session.commit()  # a timed-out session ends, or last-seen moves on
    if live is None or live.user_id != int(user_id):
        session.pop(SESSION_TOKEN, None)
        return None
    user = live.user
    set_actor(db.session, user.id, user.full_name)
    return user


def sign_in(user: User) -> None:
    """Start a new session (new id; nothing carried over from before sign-in)."""
    lang = session.get("lang")
    session.clear()
    token = service.start_session(db.session, user, client_address())
    db.session.commit()
    session[SESSION_TOKEN] = token
    session.permanent = True
    if lang:
        session["lang"] = lang
    login_user(user)
    security_log.info("sign-in succeeded: user %s from %s", user.id, client_address())


def sign_out() -> None:
    token = session.get(SESSION_TOKEN)
    if token:
        service.end_session(db.session, token)
        db.session.commit()
    logout_user()
    session.clear()


def safe_next(target: str | None, default: str) -> str:
    """Only a local path is followed after sign-in or a language change."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # our own server-side sessions do this job


@login_manager.unauthorized_handler
def _unauthorized():
    from flask import redirect, url_for

    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if request.headers.get("HX-Request") == "true":
        response = current_app.make_response(("", 401))
        response.headers["HX-Redirect"] = url_for("auth.login")
        return response
    return redirect(target)
