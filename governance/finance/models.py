"""Budget and costs: budget lines per year (the shared budget and each organisation's own
costs), actual costs per line and month, shared costs split by cost-sharing keys.

Money is whole øre in BigInteger columns, never floats."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
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
from governance.finance.sharing import KeyMethod
from governance.organisations.models import Organisation
from governance.projects.models import InProject

if TYPE_CHECKING:
    from governance.roles.models import User


class LineKind(enum.Enum):
    INCOME = "income"
    COST = "cost"


class Category(enum.Enum):
    # income
    GRANT = "grant"  # tilskudd (e.g. Difi's grant for the project leader's salary)
    TRANSFER = "transfer"  # overføring (e.g. from a procurement service)
    RENEWAL_FUNDS = "renewal_funds"  # fornyingsmidler fra Statsforvalteren
    OWN_CONTRIBUTION = "own_contribution"  # egenandel fra deltakerne
    OTHER_INCOME = "other_income"
    # costs
    SALARY = "salary"
    TRAVEL_MEETINGS = "travel_meetings"
    LICENCES = "licences"
    CONNECTION = "connection"  # tilknytning og integrasjon
    CONSULTANCY = "consultancy"
    MISC = "misc"


INCOME_CATEGORIES = (Category.GRANT, Category.TRANSFER, Category.RENEWAL_FUNDS,
                     Category.OWN_CONTRIBUTION, Category.OTHER_INCOME)
COST_CATEGORIES = (Category.SALARY, Category.TRAVEL_MEETINGS, Category.LICENCES,
                   Category.CONNECTION, Category.CONSULTANCY, Category.MISC)


class Nature(enum.Enum):
    OPERATING = "operating"  # drift
    INVESTMENT = "investment"  # investering


class BudgetLine(InProject, SoftDeletable, Tracked, Base):
    """One budget line of one year. Without an organisation it is in the project's shared
    budget; with one, it is a cost that organisation carries itself."""

    __tablename__ = "budget_line"
    __table_args__ = (
        CheckConstraint("amount_ore >= 0", name="amount_not_negative"),
        CheckConstraint("forecast_ore IS NULL OR forecast_ore >= 0",
                        name="forecast_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[LineKind] = mapped_column(str_enum(LineKind))
    category: Mapped[Category] = mapped_column(str_enum(Category))
    nature: Mapped[Nature] = mapped_column(str_enum(Nature), default=Nature.OPERATING)
    name: Mapped[str] = mapped_column(String(300))
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    # The expected total for the year (prognose); none means as budgeted.
    forecast_ore: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    organisation: Mapped[Organisation | None] = relationship()
    actuals: Mapped[list[ActualCost]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="ActualCost.period"
    )

    __mapper_args__ = {"version_id_col": version_id}


class ActualCost(InProject, SoftDeletable, Tracked, Base):
    """What a budget line actually came to in one month (regnskap)."""

    __tablename__ = "actual_cost"
    __table_args__ = (
        # One live figure per line and month; figures in the wastebasket do not count.
        Index("uq_actual_cost_live_period", "line_id", "period", unique=True,
              sqlite_where=text("deleted_at IS NULL"),
              postgresql_where=text("deleted_at IS NULL")),
        CheckConstraint("amount_ore >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("budget_line.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(7))  # 2013-03
    period_start: Mapped[date] = mapped_column(Date)
    amount_ore: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    line: Mapped[BudgetLine] = relationship(back_populates="actuals")
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def history_parent(self) -> tuple[str, int]:
        return ("budget_line", self.line_id)


class CostKey(InProject, Tracked, Base):
    """A cost-sharing key (fordelingsnøkkel) of the project."""

    __tablename__ = "cost_key"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    method: Mapped[KeyMethod] = mapped_column(str_enum(KeyMethod))
    # MIX: the percentage shared equally; the rest goes by population.
    equal_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    position: Mapped[int] = mapped_column(Integer, default=0)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    percents: Mapped[list[KeyPercent]] = relationship(
        back_populates="key", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}


class KeyPercent(InProject, Tracked, Base):
    """A participant's fixed percentage under a FIXED key."""

    __tablename__ = "key_percent"
    __table_args__ = (UniqueConstraint("key_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("cost_key.id", ondelete="CASCADE"),
                                        index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))

    key: Mapped[CostKey] = relationship(back_populates="percents")

    @property
    def history_parent(self) -> tuple[str, int]:
        return ("cost_key", self.key_id)


class SharedCost(InProject, Tracked, Base):
    """A cost of one year the participants share (e.g. a regional coordinator, 700 000 kr),
    split by the chosen key. Whole kroner, so that the shares can be whole kroner too."""

    __tablename__ = "shared_cost"
    __table_args__ = (
        CheckConstraint("amount_kroner >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(300))
    amount_kroner: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    key_id: Mapped[int | None] = mapped_column(ForeignKey("cost_key.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    key: Mapped[CostKey | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}
