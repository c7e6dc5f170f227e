"""Users, their server-side sessions, sign-in attempts and project roles."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.db_base import Base, Tracked, str_enum, utcnow
from governance.organisations.models import Organisation


class User(Tracked, Base):
    __tablename__ = "user_account"
    __history_exclude__ = ("version_id", "password_hash")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    # The hash stays out of the history; this time stamp shows when it changed.
    password_changed_at: Mapped[datetime | None]
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    can_create_projects: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(5), default="nb")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    organisation: Mapped[Organisation | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    # Flask-Login protocol (kept here as plain properties: no Flask import needed).
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserSession(Base):
    """A signed-in session, so that sign-out and disabling a user end it on the server."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random token kept in the (signed) session cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """A failed sign-in, for throttling (database storage)."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ProjectRoleKind(enum.Enum):
    PROJECT_LEADER = "project_leader"
    DEPUTY_LEADER = "deputy_leader"
    OWNER_REPRESENTATIVE = "owner_representative"
    STEERING_MEMBER = "steering_member"
    MUNICIPAL_LEAD = "municipal_lead"
    BENEFIT_OWNER = "benefit_owner"
    WORKGROUP_MEMBER = "workgroup_member"


class ProjectRole(Tracked, Base):
    """A user's role in one project, dated: ending a role keeps it in the record."""

    __tablename__ = "project_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[ProjectRoleKind] = mapped_column(str_enum(ProjectRoleKind))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def history_project_id(self) -> int:
        return self.project_id
