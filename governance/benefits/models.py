"""The benefits realisation plan (gevinstrealiseringsplan): goals, benefits, indicators with
baselines and targets, measurements per organisation and period, and the plan's approvals."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.db_base import Base, SoftDeletable, Tracked, str_enum, utcnow
from governance.organisations.models import Organisation
from governance.projects.models import InProject

if TYPE_CHECKING:
    from governance.roles.models import Person, User

# Values are exact decimals: up to 14 digits before the point and 4 after.
VALUE = Numeric(18, 4)


class GoalLevel(enum.Enum):
    SOCIETAL = "societal"  # samfunnsmål / organisasjonsmål
    EFFECT = "effect"  # effektmål
    RESULT = "result"  # resultatmål


class Goal(InProject, Tracked, Base):
    __tablename__ = "goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("goal.id", ondelete="SET NULL"), index=True
    )
    level: Mapped[GoalLevel] = mapped_column(str_enum(GoalLevel))
    title: Mapped[str] = mapped_column(String(300))
    success_criteria: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version_id}


class BenefitKind(enum.Enum):
    ECONOMIC = "economic"  # kroner
    TIME = "time"  # person-years (årsverk)
    QUALITATIVE = "qualitative"


class Realisation(enum.Enum):
    """How the benefit is taken out (uttak)."""

    BUDGET_CUT = "budget_cut"
    REALLOCATION = "reallocation"
    BETTER_QUALITY = "better_quality"
    TIME_FOR_OTHER_TASKS = "time_for_other_tasks"
    OTHER = "other"


class Benefit(InProject, Tracked, Base):
    __tablename__ = "benefit"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("goal.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[BenefitKind] = mapped_column(str_enum(BenefitKind))
    # Estimated yearly value: kroner in øre (economic) or person-years (time).
    amount_ore: Mapped[int | None] = mapped_column(BigInteger)
    person_years: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    responsible_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    expected_from: Mapped[date | None] = mapped_column(Date)
    realisation: Mapped[Realisation | None] = mapped_column(str_enum(Realisation))
    realisation_note: Mapped[str] = mapped_column(String(1000), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    goal: Mapped[Goal | None] = relationship()
    responsible: Mapped[Person | None] = relationship()
    owners: Mapped[list[BenefitOwner]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}


class BenefitOwner(InProject, Tracked, Base):
    """Who owns (takes out) a benefit in one organisation."""

    __tablename__ = "benefit_owner"
    __table_args__ = (UniqueConstraint("benefit_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int] = mapped_column(
        ForeignKey("benefit.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )

    organisation: Mapped[Organisation] = relationship()
    person: Mapped[Person | None] = relationship()


class Unit(enum.Enum):
    NOK = "nok"
    PERCENT = "percent"
    COUNT = "count"
    HOURS = "hours"
    FREE = "free"


class Direction(enum.Enum):
    HIGHER = "higher"
    LOWER = "lower"


class Frequency(enum.Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class Indicator(InProject, Tracked, Base):
    """A measure of a benefit. A ratio indicator is reported as an amount in kroner (the
    numerator) and read as a percentage of the organisation's operating costs for the year
    times ``ratio_factor`` (the calculation base, berekningsgrunnlag)."""

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint("ratio_factor IS NULL OR ratio_factor > 0", name="factor_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int | None] = mapped_column(
        ForeignKey("benefit.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[Unit] = mapped_column(str_enum(Unit))
    unit_label: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[Direction] = mapped_column(str_enum(Direction), default=Direction.HIGHER)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency),
                                                 default=Frequency.YEARLY)
    method: Mapped[str] = mapped_column(Text, default="")
    data_source: Mapped[str] = mapped_column(String(500), default="")
    measured_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    is_ratio: Mapped[bool] = mapped_column(default=False)
    ratio_factor: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    position: Mapped[int] = mapped_column(Integer, default=0)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    benefit: Mapped[Benefit | None] = relationship()
    measured_by: Mapped[Person | None] = relationship()
    baselines: Mapped[list[Baseline]] = relationship(cascade="all, delete-orphan")
    targets: Mapped[list[Target]] = relationship(
        cascade="all, delete-orphan", order_by="Target.target_date"
    )

    __mapper_args__ = {"version_id_col": version_id}


class Baseline(InProject, Tracked, Base):
    """The indicator's starting value (nullpunkt) in one organisation, with its date.
    For a ratio indicator the value is the amount in kroner of the baseline year."""

    __tablename__ = "baseline"
    __table_args__ = (UniqueConstraint("indicator_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    value: Mapped[Decimal] = mapped_column(VALUE)
    measured_on: Mapped[date] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship()


class Target(InProject, Tracked, Base):
    """A dated target for every organisation (in the indicator's reading: % for ratios)."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("indicator_id", "target_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    target_date: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(VALUE)


class Measurement(InProject, SoftDeletable, Tracked, Base):
    """One value of an indicator for one organisation and one period."""

    __tablename__ = "measurement"
    __table_args__ = (
        # One live value per indicator, organisation and period; values in the wastebasket
        # do not count, so a new value can be entered after one was deleted.
        Index("uq_measurement_live_period", "indicator_id", "organisation_id", "period",
              unique=True, sqlite_where=text("deleted_at IS NULL"),
              postgresql_where=text("deleted_at IS NULL")),
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        # The newest measurement of each indicator and organisation (portfolio, comparison).
        Index("ix_measurement_latest", "indicator_id", "organisation_id", "period_end",
              "period_start", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The period as written (2013, 2013-H1, 2013-Q2, 2013-03) and the dates it covers.
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date, index=True)
    value: Mapped[Decimal] = mapped_column(VALUE)
    comment: Mapped[str] = mapped_column(String(1000), default="")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    organisation: Mapped[Organisation] = relationship()
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])

    __mapper_args__ = {"version_id_col": version_id}


class PlanApproval(InProject, Base):
    """The project owner approved version N of the benefits plan; the plan as approved is kept.
    Never changed or deleted."""

    __tablename__ = "benefit_plan_approval"
    __table_args__ = (UniqueConstraint("project_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    approved_on: Mapped[date] = mapped_column(Date)
    approved_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(String(1000), default="")
    snapshot: Mapped[dict] = mapped_column(JSON)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    approved_by: Mapped[Person | None] = relationship()
