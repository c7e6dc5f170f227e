"""Users, their server-side sessions, sign-in attempts and project roles."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

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


class Dated:
    """A role or membership held from one date, up to and including another (or open)."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        # A new constraint per table: one shared object would carry the first table's name.
        return (
            CheckConstraint("valid_to IS NULL OR valid_to >= valid_from",
                            name="dates_in_order"),
        )

    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    def active_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class Person(Tracked, Base):
    """Someone who holds a role. External steering group members often have no account."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    organisation: Mapped[Organisation | None] = relationship()
    user: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Person {self.full_name}>"


class ProjectRoleKind(enum.Enum):
    PROJECT_OWNER = "project_owner"  # the owner organisation's representative
    PROJECT_LEADER = "project_leader"
    DEPUTY_LEADER = "deputy_leader"
    MUNICIPAL_LEAD = "municipal_lead"  # one per participating organisation
    BENEFIT_RESPONSIBLE = "benefit_responsible"  # gevinstansvarleg, a line manager
    BENEFIT_OWNER = "benefit_owner"  # gevinsteigar, per organisation


# Roles held for an organisation: it must be an owner (PROJECT_OWNER) or a participant.
ORGANISATION_ROLES = frozenset(
    {ProjectRoleKind.PROJECT_OWNER, ProjectRoleKind.MUNICIPAL_LEAD, ProjectRoleKind.BENEFIT_OWNER}
)
# Roles only one person holds at a time in a project (per organisation where it applies).
SINGLE_HOLDER_ROLES = frozenset(
    {ProjectRoleKind.PROJECT_LEADER, ProjectRoleKind.DEPUTY_LEADER,
     ProjectRoleKind.BENEFIT_RESPONSIBLE, ProjectRoleKind.MUNICIPAL_LEAD}
)


class ProjectRole(Dated, Tracked, Base):
    """A person's role in one project, dated: ending a role keeps it in the record."""

    __tablename__ = "project_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[ProjectRoleKind] = mapped_column(str_enum(ProjectRoleKind))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))

    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def history_project_id(self) -> int:
        return self.project_id


class GroupKind(enum.Enum):
    STEERING_GROUP = "steering_group"
    PROJECT_GROUP = "project_group"
    WORK_GROUP = "work_group"
    REFERENCE_GROUP = "reference_group"


# A project has at most one of these; work groups are as many as needed.
SINGLE_GROUPS = frozenset(
    {GroupKind.STEERING_GROUP, GroupKind.PROJECT_GROUP, GroupKind.REFERENCE_GROUP}
)


class ProjectGroup(Tracked, Base):
    __tablename__ = "project_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[GroupKind] = mapped_column(str_enum(GroupKind))
    name: Mapped[str] = mapped_column(String(200))
    mandate: Mapped[str] = mapped_column(Text, default="")
    deliverables: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", order_by="GroupMember.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def history_project_id(self) -> int:
        return self.project_id

    def members_on(self, day: date) -> list[GroupMember]:
        return [m for m in self.members if m.active_on(day)]


class MemberRole(enum.Enum):
    LEADER = "leader"
    MEMBER = "member"
    SECRETARY = "secretary"
    SENIOR_USER = "senior_user"
    SENIOR_SUPPLIER = "senior_supplier"
    OBSERVER = "observer"


class GroupMember(Dated, Tracked, Base):
    """A person in a group, representing an organisation, for a period."""

    __tablename__ = "group_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("project_group.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole))
    # Denormalised from the group, so access checks and history need no join.
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )

    group: Mapped[ProjectGroup] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def history_project_id(self) -> int:
        return self.project_id


class Responsibility(Tracked, Base):
    """One line of what a role is responsible for in a project (defaults are editable)."""

    __tablename__ = "responsibility"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    role_key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def history_project_id(self) -> int:
        return self.project_id


class TaskLevel(enum.Enum):
    REGIONAL = "regional"
    LOCAL = "local"


class ProjectTask(Tracked, Base):
    """A line of the task matrix: done once regionally, or locally in each municipality."""

    __tablename__ = "project_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[TaskLevel] = mapped_column(str_enum(TaskLevel))
    text: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def history_project_id(self) -> int:
        return self.project_id


class LocalTaskStatus(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class LocalTask(Tracked, Base):
    """How one organisation stands with one local task: its own data, kept by its lead."""

    __tablename__ = "local_task"
    __table_args__ = (UniqueConstraint("task_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("project_task.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[LocalTaskStatus] = mapped_column(
        str_enum(LocalTaskStatus), default=LocalTaskStatus.NOT_STARTED
    )
    responsible: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(String(1000), default="")
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def history_project_id(self) -> int:
        return self.project_id
