"""Commands on users, sessions and project roles: (session, actor, ...), flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from governance.db_base import utcnow
from governance.errors import N_, RuleViolation
from governance.roles import passwords
from governance.roles.models import ProjectRole, ProjectRoleKind, User, UserSession

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None. Constant-ish time."""
    user = session.scalar(
        select(User).where(func.lower(User.username) == normalise_username(username))
    )
    if user is None:
        passwords.verify_password(passwords.DUMMY_HASH, password)
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    if not user.is_active_account:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, address: str | None) -> str:
    """Create a server-side session and return its secret token (goes in the cookie)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_token_hash(token), user_id=user.id,
                            address=(address or "")[:64]))
    session.flush()
    return token


def find_live_session(session: Session, token: str, idle: timedelta,
                      absolute: timedelta) -> UserSession | None:
    """The session for ``token`` if it has not ended or timed out; ends it if it timed out."""
    user_session = session.scalar(
        select(UserSession).where(UserSession.token_hash == _token_hash(token))
    )
    if user_session is None or user_session.ended_at is not None:
        return None
    now = utcnow()
    if now - user_session.last_seen_at > idle:
        user_session.ended_at, user_session.end_reason = now, "idle_timeout"
        return None
    if now - user_session.created_at > absolute:
        user_session.ended_at, user_session.end_reason = now, "absolute_timeout"
        return None
    if not user_session.user.is_active_account:
        user_session.ended_at, user_session.end_reason = now, "user_disabled"
        return None
    if now - user_session.last_seen_at > timedelta(seconds=60):
        user_session.last_seen_at = now
    return user_session


def end_session(session: Session, token: str, reason: str = "signed_out") -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _token_hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def end_all_sessions(session: Session, user: User, reason: str) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def _check_username(session: Session, username: str, exclude_id: int | None = None) -> str:
    username = normalise_username(username)
    if not username:
        raise RuleViolation(N_("Brukernavn må fylles ut."), "username")
    if not set(username) <= USERNAME_CHARS:
        raise RuleViolation(
            N_("Brukernavnet kan bare ha små bokstaver a–z, tall og . _ - @."), "username"
        )
    stmt = select(User.id).where(func.lower(User.username) == username)
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise RuleViolation(N_("Brukernavnet er allerede i bruk."), "username")
    return username


def _check_password(password: str) -> None:
    problem = passwords.password_problem(password)
    if problem:
        message, params = problem
        raise RuleViolation(message, "password", **params)


def create_user(session: Session, actor: User | None, *, username: str, full_name: str,
                password: str, email: str | None = None, organisation_id: int | None = None,
                is_admin: bool = False, can_create_projects: bool = False,
                locale: str = "nb") -> User:
    username = _check_username(session, username)
    if not full_name.strip():
        raise RuleViolation(N_("Navn må fylles ut."), "full_name")
    _check_password(password)
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=(email or "").strip() or None,
        password_hash=passwords.hash_password(password),
        password_changed_at=utcnow(),
        organisation_id=organisation_id,
        is_admin=is_admin,
        can_create_projects=can_create_projects,
        is_active_account=True,
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def update_user(session: Session, actor: User, user: User, *, full_name: str,
                email: str | None, organisation_id: int | None, is_admin: bool,
                can_create_projects: bool) -> User:
    if not full_name.strip():
        raise RuleViolation(N_("Navn må fylles ut."), "full_name")
    if user.id == actor.id and not is_admin and user.is_admin:
        raise RuleViolation(N_("Du kan ikke fjerne din egen administratorrolle."), "is_admin")
    user.full_name = full_name.strip()
    user.email = (email or "").strip() or None
    user.organisation_id = organisation_id
    user.is_admin = is_admin
    user.can_create_projects = can_create_projects
    session.flush()
    return user


def reset_password(session: Session, actor: User | None, user: User, password: str) -> None:
    _check_password(password)
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(session, user, "password_reset")
    session.flush()


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise RuleViolation(N_("Du kan ikke deaktivere din egen bruker."))
    user.is_active_account = active
    if not active:
        end_all_sessions(session, user, "user_disabled")
    session.flush()


def set_locale(session: Session, user: User, locale: str, languages: tuple[str, ...]) -> None:
    if locale not in languages:
        raise RuleViolation(N_("Ukjent språk."), "lang")
    user.locale = locale
    session.flush()


def assign_role(session: Session, actor: User | None, *, project_id: int, user: User,
                role: ProjectRoleKind, organisation_id: int | None = None,
                valid_from: date | None = None) -> ProjectRole:
    assignment = ProjectRole(
        project_id=project_id,
        user_id=user.id,
        role=role,
        organisation_id=organisation_id,
        valid_from=valid_from or date.today(),
    )
    session.add(assignment)
    session.flush()
    return assignment
