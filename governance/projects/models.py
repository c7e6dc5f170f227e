"""Projects, their phase (Prosjektveiviseren) and lifecycle status."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.db_base import Base, SoftDeletable, Tracked, str_enum, utcnow
from governance.organisations.models import Organisation

if TYPE_CHECKING:
    from governance.roles.models import Person, ProjectGroup, User


class Phase(enum.Enum):
    IDEA = "idea"
    CONCEPT = "concept"
    PLANNING = "planning"
    EXECUTION = "execution"
    CLOSING = "closing"
    REALISATION = "realisation"


class ProjectStatus(enum.Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


project_owner = Table(
    "project_owner",
    Base.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True, index=True),
)

project_participant = Table(
    "project_participant",
    Base.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id"), primary_key=True, index=True),
)


class Project(Tracked, Base):
    __tablename__ = "project"
    __tracked_collections__ = ("owners", "participants")
    __table_args__ = (
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="end_not_before_start",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[Phase] = mapped_column(str_enum(Phase), default=Phase.IDEA)
    status: Mapped[ProjectStatus] = mapped_column(
        str_enum(ProjectStatus), default=ProjectStatus.ACTIVE
    )
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    # How many days a milestone's forecast may pass its baseline before it counts as late.
    time_tolerance_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    # Status reporting and tolerances (from the governing document).
    reporting_frequency: Mapped[str] = mapped_column(String(10), default="monthly",
                                                     server_default="monthly")
    cost_tolerance_percent: Mapped[int] = mapped_column(Integer, default=10,
                                                        server_default="10")
    benefit_tolerance_percent: Mapped[int] = mapped_column(Integer, default=20,
                                                           server_default="20")
    scope_tolerance: Mapped[str] = mapped_column(Text, default="", server_default="")
    quality_tolerance: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Risk scores (probability × consequence) from which a cell is yellow, and red; a threat
    # at or above the red threshold is outside the risk tolerance.
    risk_yellow_from: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    risk_red_from: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    owners: Mapped[list[Organisation]] = relationship(
        secondary=project_owner, order_by=Organisation.name
    )
    participants: Mapped[list[Organisation]] = relationship(
        secondary=project_participant, order_by=Organisation.name
    )
    programme: Mapped[Project | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def history_project_id(self) -> int:
        return self.id

    def __repr__(self) -> str:
        return f"<Project {self.code}>"


# --- The plan: milestones, phases with checklists, decisions, meetings ----------------------


class InProject:
    """A row that belongs to a project: deleted with it, and its changes filed in the
    project's history."""

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )

    @property
    def history_project_id(self) -> int:
        return self.project_id


class DecisionPoint(enum.Enum):
    """Prosjektveiviseren's decision points. Each approves the move into the next phase."""

    BP1 = "bp1"
    BP2 = "bp2"
    BP3 = "bp3"
    BP4 = "bp4"
    BP5 = "bp5"
    BP6 = "bp6"


class Milestone(InProject, SoftDeletable, Tracked, Base):
    """A point in the plan. Its status is derived from the dates, never typed."""

    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_group.id", ondelete="SET NULL"), index=True
    )
    decision_point: Mapped[DecisionPoint | None] = mapped_column(str_enum(DecisionPoint))
    baseline_date: Mapped[date | None] = mapped_column(Date)
    forecast_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(String(1000), default="")
    # Copies made for every participant share the series of the first one.
    series_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    organisation: Mapped[Organisation | None] = relationship()
    responsible: Mapped[Person | None] = relationship()
    group: Mapped[ProjectGroup | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def due_date(self) -> date | None:
        return self.actual_date or self.forecast_date or self.baseline_date


class MilestoneDateChange(InProject, Base):
    """One report of a milestone's dates: the slippage history and the trend chart's points."""

    __tablename__ = "milestone_date_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestone.id", ondelete="CASCADE"), index=True
    )
    reported_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    baseline_date: Mapped[date | None] = mapped_column(Date)
    forecast_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)

    changed_by: Mapped[User | None] = relationship()


class PhaseRecord(InProject, Tracked, Base):
    """The project entered a phase on a date (by a decision, or moved by its leader)."""

    __tablename__ = "phase_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    started_on: Mapped[date] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(String(1000), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckpointStatus(enum.Enum):
    OPEN = "open"
    DONE = "done"
    NOT_RELEVANT = "not_relevant"


class Checkpoint(InProject, SoftDeletable, Tracked, Base):
    """One item of a phase's checklist; mandatory ones still open block leaving the phase."""

    __tablename__ = "checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(500))
    mandatory: Mapped[bool] = mapped_column(default=False)
    status: Mapped[CheckpointStatus] = mapped_column(
        str_enum(CheckpointStatus), default=CheckpointStatus.OPEN
    )
    comment: Mapped[str] = mapped_column(String(1000), default="")
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class DecisionBody(enum.Enum):
    STEERING_GROUP = "steering_group"
    OWNER = "owner"
    CHIEF_EXECUTIVES = "chief_executives"
    OTHER = "other"


class DecisionOutcome(enum.Enum):
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REJECTED = "rejected"
    POSTPONED = "postponed"


class Meeting(InProject, Tracked, Base):
    """A steering group (or owner) meeting with its agenda."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[DecisionBody] = mapped_column(str_enum(DecisionBody))
    meeting_date: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time | None] = mapped_column(Time)
    location: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    items: Mapped[list[AgendaItem]] = relationship(
        order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}


class AgendaItem(InProject, SoftDeletable, Tracked, Base):
    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    case_number: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(300))


class Decision(InProject, Tracked, Base):
    """A decision in the log. Never deleted: a correction is a new decision superseding it."""

    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("supersedes_id"),
        CheckConstraint("supersedes_id IS NULL OR supersedes_id <> id", name="not_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_point: Mapped[DecisionPoint | None] = mapped_column(str_enum(DecisionPoint))
    title: Mapped[str] = mapped_column(String(300))
    decided_on: Mapped[date] = mapped_column(Date)
    body: Mapped[DecisionBody] = mapped_column(str_enum(DecisionBody))
    case_number: Mapped[str] = mapped_column(String(40), default="")
    outcome: Mapped[DecisionOutcome] = mapped_column(str_enum(DecisionOutcome))
    conditions: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting | None] = relationship()
    supersedes: Mapped[Decision | None] = relationship(remote_side=[id])
    recorded_by: Mapped[User | None] = relationship()

    @property
    def approved(self) -> bool:
        return self.outcome in (DecisionOutcome.APPROVED, DecisionOutcome.APPROVED_WITH_CONDITIONS)


class CalendarToken(InProject, Base):
    """A secret, revocable address for one user's calendar feed of one project.

    Only a hash of the secret is stored; the feed shows what the user may still see.
    """

    __tablename__ = "calendar_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
