"""Commands on API tokens. Take (session, actor, ...); flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.api.models import ApiToken
from governance.db_base import utcnow
from governance.errors import N_, RuleViolation
from governance.roles.models import User

# "sr_" marks a Styringsrommet token (secret scanners can look for it); 32 random bytes.
TOKEN_PREFIX = "sr_"  # noqa: S105 - a marker, not a secret
MAX_TOKEN_LENGTH = 100
MAX_NAME_LENGTH = 100
MAX_ACTIVE_TOKENS = 20


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones too (they are listed as such)."""
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def create_token(session: Session, actor, user: User, *, name: str,
                 expires_on: date | None, today: date) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its secret, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise RuleViolation(N_("Gi nøkkelen et navn, for eksempel «Fagsystem Sogndal»."), "name")
    if len(name) > MAX_NAME_LENGTH:
        raise RuleViolation(N_("Navnet kan ha høyst %(max)d tegn."), "name",
                            max=MAX_NAME_LENGTH)
    if expires_on is not None and expires_on < today:
        raise RuleViolation(N_("Utløpsdatoen kan ikke være i fortiden."), "expires_on")
    active = [t for t in tokens_of(session, user.id) if t.works_on(today)]
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise RuleViolation(N_("Du kan ha høyst %(max)d API-nøkler i bruk. Trekk tilbake en "
                               "du ikke bruker."), "name", max=MAX_ACTIVE_TOKENS)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret),
                     prefix=secret[:10], expires_on=expires_on)
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(session: Session, actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()


def find_user(session: Session, secret: str, today: date) -> tuple[ApiToken, User] | None:
    """The token and its user, when the secret names a token that works today and the
    user's account is active."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH or not secret.isascii():
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if token is None or not token.works_on(today):
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    return token, user
