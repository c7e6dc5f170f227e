"""Status reports: one per project and period, and one per participating organisation; draft,
then published (frozen, with a snapshot of the project); a correction is a new version."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.db_base import Base, Tracked, str_enum, utcnow
from governance.organisations.models import Organisation
from governance.projects.models import InProject

if TYPE_CHECKING:
    from governance.roles.models import User


class Light(enum.Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class Dimension(enum.Enum):
    OVERALL = "overall"
    SCHEDULE = "schedule"  # fremdrift
    COST = "cost"  # økonomi
    QUALITY = "quality"  # kvalitet / omfang
    RISK = "risk"  # risiko
    BENEFITS = "benefits"  # gevinstoppnåelse


# The dimensions a reporter judges one by one; "overall" sums them up.
PARTS = (Dimension.SCHEDULE, Dimension.COST, Dimension.QUALITY, Dimension.RISK,
         Dimension.BENEFITS)


class ReportStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class StatusReport(InProject, Tracked, Base):
    __tablename__ = "status_report"
    __table_args__ = (
        UniqueConstraint("project_id", "period", "organisation_id", "version"),
        # The unique constraint above treats NULLs as distinct, so it does not stop two
        # project-level reports (no organisation) with the same period and version, such as
        # two project leaders starting the month's report at the same moment.
        Index("uq_status_report_project_level", "project_id", "period", "version",
              unique=True, sqlite_where=text("organisation_id IS NULL"),
              postgresql_where=text("organisation_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    # None: the project's own report (by the project leader).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"),
                                                        index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus),
                                                 default=ReportStatus.DRAFT)
    overall: Mapped[Light | None] = mapped_column(str_enum(Light))
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    schedule: Mapped[Light | None] = mapped_column(str_enum(Light))
    schedule_comment: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[Light | None] = mapped_column(str_enum(Light))
    cost_comment: Mapped[str] = mapped_column(Text, default="")
    quality: Mapped[Light | None] = mapped_column(str_enum(Light))
    quality_comment: Mapped[str] = mapped_column(Text, default="")
    risk: Mapped[Light | None] = mapped_column(str_enum(Light))
    risk_comment: Mapped[str] = mapped_column(Text, default="")
    benefits: Mapped[Light | None] = mapped_column(str_enum(Light))
    benefits_comment: Mapped[str] = mapped_column(Text, default="")
    # Why the project leader's overall light differs from the suggested one.
    override_reason: Mapped[str] = mapped_column(Text, default="")
    done_this_period: Mapped[str] = mapped_column(Text, default="")
    next_period: Mapped[str] = mapped_column(Text, default="")
    needs_decision: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The project as it was when the report was published.
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    organisation: Mapped[Organisation | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    __mapper_args__ = {"version_id_col": version_id}

    def light(self, dimension: Dimension) -> Light | None:
        return getattr(self, dimension.value)

    def comment(self, dimension: Dimension) -> str:
        return getattr(self, f"{dimension.value}_comment")

    @property
    def published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED
