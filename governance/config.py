"""Settings, read from GOVERNANCE_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _secret_key(instance_path: Path, production: bool) -> str:
    key = os.environ.get("GOVERNANCE_SECRET_KEY")
    if key:
        return key
    if production:
        raise RuntimeError(
            "GOVERNANCE_SECRET_KEY must be set when GOVERNANCE_ENV=production."
        )
    # Development: keep a random key in instance/ so sessions survive restarts.
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load(instance_path: Path) -> dict:
    """Return the settings dictionary for the app in ``instance_path``."""
    production = os.environ.get("GOVERNANCE_ENV", "development") == "production"
    database_url = os.environ.get(
        "GOVERNANCE_DATABASE_URL", f"sqlite:///{instance_path / 'styringsrommet.sqlite'}"
    )
    secure_cookies = _bool("GOVERNANCE_SECURE_COOKIES", production)
    return {
        "GOVERNANCE_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Session cookie: HttpOnly, SameSite=Lax, Secure when served over https.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_NAME": "styringsrommet",
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=_int("GOVERNANCE_SESSION_ABSOLUTE_MINUTES", 12 * 60)
        ),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "GOVERNANCE_SESSION_IDLE_MINUTES": _int("GOVERNANCE_SESSION_IDLE_MINUTES", 120),
        "GOVERNANCE_SESSION_ABSOLUTE_MINUTES": _int(
            "GOVERNANCE_SESSION_ABSOLUTE_MINUTES", 12 * 60
        ),
        # CSRF tokens are bound to the session; no separate expiry, so a dashboard
        # left open for hours can still post.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": True,
        # Sign-in throttling: failures per username + address within the window.
        "GOVERNANCE_LOGIN_MAX_FAILURES": _int("GOVERNANCE_LOGIN_MAX_FAILURES", 5),
        "GOVERNANCE_LOGIN_WINDOW_SECONDS": _int("GOVERNANCE_LOGIN_WINDOW_SECONDS", 60),
        # "database" (default, shared by all workers using the same database) or a
        # redis:// URL.
        "GOVERNANCE_THROTTLE_STORAGE": os.environ.get("GOVERNANCE_THROTTLE_STORAGE", "database"),
        "GOVERNANCE_PROXY_FIX": _bool("GOVERNANCE_PROXY_FIX", False),
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Oslo",
        "LANGUAGES": ("nb", "nn", "en"),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    }
