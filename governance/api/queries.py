"""Read side of the API: the lists that can grow long, paginated in the database."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from governance.api.models import ApiToken
from governance.benefits.models import Measurement
from governance.reporting.models import StatusReport


def measurements_page(session: Session, indicator_id: int, *, organisation_id: int | None,
                      period: str | None, limit: int,
                      offset: int) -> tuple[list[Measurement], int]:
    """One page of an indicator's measurements (oldest period first) and the total."""
    criteria = [Measurement.indicator_id == indicator_id]
    if organisation_id is not None:
        criteria.append(Measurement.organisation_id == organisation_id)
    if period is not None:
        criteria.append(Measurement.period == period)
    total = session.scalar(select(func.count()).select_from(Measurement).where(*criteria))
    rows = session.scalars(
        select(Measurement).where(*criteria)
        .options(selectinload(Measurement.organisation))
        .order_by(Measurement.period_start, Measurement.period_end,
                  Measurement.organisation_id, Measurement.id)
        .limit(limit).offset(offset))
    return list(rows), total


def reports_page(session: Session, project_id: int, *, limit: int,
                 offset: int) -> tuple[list[StatusReport], int]:
    """One page of the project's status reports (every version; newest period first)."""
    criteria = [StatusReport.project_id == project_id]
    total = session.scalar(select(func.count()).select_from(StatusReport).where(*criteria))
    rows = session.scalars(
        select(StatusReport).where(*criteria)
        .options(selectinload(StatusReport.organisation))
        .order_by(StatusReport.period.desc(), StatusReport.organisation_id.is_not(None),
                  StatusReport.organisation_id, StatusReport.version.desc(), StatusReport.id)
        .limit(limit).offset(offset))
    return list(rows), total


def token_of_user(session: Session, user_id: int, token_id: int) -> ApiToken | None:
    token = session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user_id else None
