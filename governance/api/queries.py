"""Read side of the API: the lists that can grow long, paginated in the database."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only, selectinload

from governance.api.models import ApiToken
from governance.benefits.models import Indicator, Measurement
from governance.projects import queries as project_queries
from governance.projects.models import Project
from governance.reporting.models import StatusReport
from governance.risks.models import Risk

# What the list's project summary shows (the rest, long texts included, is not loaded).
SUMMARY_COLUMNS = (Project.code, Project.name, Project.phase, Project.status,
                   Project.start_date, Project.end_date)


def projects_page(session: Session, user, *, limit: int,
                  offset: int) -> tuple[list[Project], int]:
    """One page of the projects the user may see, by code, and the total: two queries
    however many projects there are (no owners or participants: the summary has none)."""
    visible = project_queries.visible_ids_query(user)
    total = session.scalar(select(func.count()).select_from(visible.subquery())) or 0
    # By code in code point order, as before on every database (PostgreSQL's default
    # collation may order the hyphen differently).
    code = (Project.code.collate("C") if session.get_bind().dialect.name == "postgresql"
            else Project.code)
    rows = session.scalars(
        select(Project).options(load_only(*SUMMARY_COLUMNS))
        .where(Project.id.in_(visible))
        .order_by(code).limit(limit).offset(offset))
    return list(rows), total


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


def indicators_page(session: Session, project_id: int, *, limit: int,
                    offset: int) -> tuple[list[Indicator], int]:
    """One page of the project's indicators (the plan's order) with what the API shows of
    them (baselines, targets, benefit), and the total."""
    criteria = [Indicator.project_id == project_id]
    total = session.scalar(select(func.count()).select_from(Indicator).where(*criteria))
    rows = session.scalars(
        select(Indicator).where(*criteria)
        .options(selectinload(Indicator.baselines), selectinload(Indicator.targets),
                 selectinload(Indicator.benefit))
        .order_by(Indicator.position, Indicator.id)
        .limit(limit).offset(offset))
    return list(rows), total


def risks_page(session: Session, project_id: int, *, limit: int,
               offset: int) -> tuple[list[Risk], int]:
    """One page of the project's risk register (by number) with owners and measures, and
    the total."""
    criteria = [Risk.project_id == project_id]
    total = session.scalar(select(func.count()).select_from(Risk).where(*criteria))
    rows = session.scalars(
        select(Risk).where(*criteria)
        .options(selectinload(Risk.owner), selectinload(Risk.measures))
        .order_by(Risk.number, Risk.id)
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
