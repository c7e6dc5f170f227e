"""Projects, their phase (Prosjektveiviseren) and lifecycle status."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.db_base import Base, Tracked, str_enum, utcnow
from governance.organisations.models import Organisation


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
