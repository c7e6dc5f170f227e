"""Read side of projects: the filtered list, one project, choices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from governance.projects.models import (
    Phase,
    Project,
    ProjectStatus,
    project_owner,
    project_participant,
)
from governance.roles import queries as role_queries

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class ProjectFilter:
    text: str = ""
    phase: Phase | None = None
    status: ProjectStatus | None = None
    organisation_id: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.text or self.phase or self.status or self.organisation_id)


def _visible(stmt, user):
    if user.is_admin:
        return stmt
    return stmt.where(Project.id.in_(role_queries.project_ids_with_role(user.id)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def project_list(session: Session, user, filters: ProjectFilter) -> list[Project]:
    """Projects the user may see, filtered; owners and participants loaded in one go."""
    stmt = select(Project).options(
        selectinload(Project.owners), selectinload(Project.participants)
    )
    stmt = _visible(stmt, user)
    if filters.text:
        pattern = f"%{_escape_like(filters.text.lower())}%"
        stmt = stmt.where(
            or_(
                func.lower(Project.name).like(pattern, escape="\\"),
                func.lower(Project.code).like(pattern, escape="\\"),
                func.lower(Project.purpose).like(pattern, escape="\\"),
            )
        )
    if filters.phase:
        stmt = stmt.where(Project.phase == filters.phase)
    if filters.status:
        stmt = stmt.where(Project.status == filters.status)
    if filters.organisation_id:
        org = filters.organisation_id
        stmt = stmt.where(
            or_(
                exists().where(project_owner.c.project_id == Project.id,
                               project_owner.c.organisation_id == org),
                exists().where(project_participant.c.project_id == Project.id,
                               project_participant.c.organisation_id == org),
            )
        )
    return list(session.scalars(stmt.order_by(Project.name)))


def visible_projects(session: Session, user) -> dict[int, Project]:
    """id -> project for every project the user may see, without owners or participants."""
    stmt = _visible(select(Project), user).order_by(Project.name)
    return {project.id: project for project in session.scalars(stmt)}


def by_code(session: Session, code: str) -> Project | None:
    if len(code) > 20:
        return None
    stmt = (
        select(Project)
        .options(selectinload(Project.owners), selectinload(Project.participants))
        .where(Project.code == code)
    )
    return session.scalar(stmt)


def programme_choices(session: Session, exclude_id: int | None = None) -> list[Project]:
    stmt = select(Project).order_by(Project.name)
    if exclude_id is not None:
        stmt = stmt.where(Project.id != exclude_id)
    return list(session.scalars(stmt))


def project_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Project.id, Project.name)).all())


def subprojects(session: Session, project_id: int) -> list[Project]:
    stmt = select(Project).where(Project.programme_id == project_id).order_by(Project.name)
    return list(session.scalars(stmt))
