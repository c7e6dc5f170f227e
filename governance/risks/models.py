"""Risks and opportunities with probability and consequence 1–5 (before and after measures),
their measures, and every assessment kept."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.db_base import Base, SoftDeletable, Tracked, str_enum, utcnow
from governance.projects.models import InProject, Phase

if TYPE_CHECKING:
    from governance.roles.models import Person, User


class RiskKind(enum.Enum):
    THREAT = "threat"
    OPPORTUNITY = "opportunity"


class RiskCategory(enum.Enum):
    ECONOMY = "economy"
    SCHEDULE = "schedule"
    QUALITY = "quality"
    ORGANISATION = "organisation"
    COMPETENCE = "competence"
    TECHNOLOGY = "technology"
    AGREEMENTS = "agreements"
    LEGAL = "legal"
    BENEFITS = "benefits"
    OTHER = "other"


class Strategy(enum.Enum):
    AVOID = "avoid"
    REDUCE = "reduce"
    TRANSFER = "transfer"
    ACCEPT = "accept"
    MONITOR = "monitor"
    EXPLOIT = "exploit"
    ENHANCE = "enhance"
    SHARE = "share"


THREAT_STRATEGIES = (Strategy.AVOID, Strategy.REDUCE, Strategy.TRANSFER, Strategy.ACCEPT,
                     Strategy.MONITOR)
OPPORTUNITY_STRATEGIES = (Strategy.EXPLOIT, Strategy.ENHANCE, Strategy.SHARE, Strategy.ACCEPT,
                          Strategy.MONITOR)


class Proximity(enum.Enum):
    """When the risk may occur."""

    NOW = "now"  # within a month
    SOON = "soon"  # one to three months
    LATER = "later"  # three to twelve months
    DISTANT = "distant"  # more than a year


class RiskStatus(enum.Enum):
    IDENTIFIED = "identified"
    MEASURES_DONE = "measures_done"
    NOT_RELEVANT = "not_relevant"


def _scale(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"{column}_1_to_5")


def _optional_scale(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IS NULL OR {column} BETWEEN 1 AND 5",
                           name=f"{column}_1_to_5")


class Risk(InProject, Tracked, Base):
    __tablename__ = "risk"
    __table_args__ = (
        _scale("probability"), _scale("consequence"),
        _optional_scale("residual_probability"), _optional_scale("residual_consequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[RiskKind] = mapped_column(str_enum(RiskKind), default=RiskKind.THREAT)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(Text, default="")
    consequence_text: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[RiskCategory] = mapped_column(str_enum(RiskCategory),
                                                   default=RiskCategory.OTHER)
    phase: Mapped[Phase | None] = mapped_column(str_enum(Phase))
    probability: Mapped[int] = mapped_column(Integer)
    consequence: Mapped[int] = mapped_column(Integer)
    residual_probability: Mapped[int | None] = mapped_column(Integer)
    residual_consequence: Mapped[int | None] = mapped_column(Integer)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    strategy: Mapped[Strategy | None] = mapped_column(str_enum(Strategy))
    proximity: Mapped[Proximity | None] = mapped_column(str_enum(Proximity))
    status: Mapped[RiskStatus] = mapped_column(str_enum(RiskStatus),
                                               default=RiskStatus.IDENTIFIED)
    escalated: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    owner: Mapped[Person | None] = relationship()
    measures: Mapped[list[RiskMeasure]] = relationship(
        order_by="RiskMeasure.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def score(self) -> int:
        return self.probability * self.consequence

    @property
    def residual_score(self) -> int | None:
        if self.residual_probability is None or self.residual_consequence is None:
            return None
        return self.residual_probability * self.residual_consequence

    @property
    def is_open(self) -> bool:
        return self.status != RiskStatus.NOT_RELEVANT


class RiskAssessment(InProject, Base):
    """The risk as assessed on a day: kept for every assessment, never changed."""

    __tablename__ = "risk_assessment"
    __table_args__ = (
        _scale("probability"), _scale("consequence"),
        _optional_scale("residual_probability"), _optional_scale("residual_consequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    assessed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    probability: Mapped[int] = mapped_column(Integer)
    consequence: Mapped[int] = mapped_column(Integer)
    residual_probability: Mapped[int | None] = mapped_column(Integer)
    residual_consequence: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[RiskStatus] = mapped_column(str_enum(RiskStatus))
    note: Mapped[str] = mapped_column(String(1000), default="")

    assessed_by: Mapped[User | None] = relationship()

    @property
    def score(self) -> int:
        return self.probability * self.consequence


class RiskMeasure(InProject, SoftDeletable, Tracked, Base):
    """A measure (tiltak) against a risk: what, who, by when, done."""

    __tablename__ = "risk_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(1000))
    responsible_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    responsible: Mapped[Person] = relationship()

    __mapper_args__ = {"version_id_col": version_id}
