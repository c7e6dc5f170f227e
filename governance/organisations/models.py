"""Organisations taking part in projects: municipalities, counties, regional councils."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.db_base import Base, Tracked, str_enum, utcnow


class OrganisationKind(enum.Enum):
    MUNICIPALITY = "municipality"
    COUNTY = "county"
    REGIONAL_COUNCIL = "regional_council"
    OTHER = "other"


class Organisation(Tracked, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    org_number: Mapped[str | None] = mapped_column(String(9), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    figures: Mapped[list[OrganisationYear]] = relationship(
        back_populates="organisation",
        order_by="OrganisationYear.year",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class OrganisationYear(Tracked, Base):
    """Population and operating costs (driftskostnader) of an organisation in one year."""

    __tablename__ = "organisation_year"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(Integer)
    # Money is stored as whole øre.
    operating_costs_ore: Mapped[int | None] = mapped_column(BigInteger)

    organisation: Mapped[Organisation] = relationship(back_populates="figures")

    @property
    def history_parent(self) -> tuple[str, int]:
        return ("organisation", self.organisation_id)
