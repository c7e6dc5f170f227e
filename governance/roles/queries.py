"""Read side of users and project roles."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from governance.roles.models import ProjectRole, User


def users(session: Session) -> list[User]:
    stmt = select(User).options(joinedload(User.organisation)).order_by(User.full_name)
    return list(session.scalars(stmt))


def active_roles(session: Session, user_id: int, project_id: int | None = None,
                 on: date | None = None) -> list[ProjectRole]:
    """The user's roles in force today (or on ``on``), optionally in one project."""
    today = on or date.today()
    stmt = select(ProjectRole).where(
        ProjectRole.user_id == user_id,
        ProjectRole.valid_from <= today,
        or_(ProjectRole.valid_to.is_(None), ProjectRole.valid_to >= today),
    )
    if project_id is not None:
        stmt = stmt.where(ProjectRole.project_id == project_id)
    return list(session.scalars(stmt))


def project_ids_with_role(user_id: int):
    """A subquery of the ids of projects where the user holds a role today."""
    today = date.today()
    return select(ProjectRole.project_id).where(
        ProjectRole.user_id == user_id,
        ProjectRole.valid_from <= today,
        or_(ProjectRole.valid_to.is_(None), ProjectRole.valid_to >= today),
    )


def project_roles(session: Session, project_id: int) -> list[ProjectRole]:
    today = date.today()
    stmt = (
        select(ProjectRole)
        .options(joinedload(ProjectRole.user), joinedload(ProjectRole.organisation))
        .where(
            ProjectRole.project_id == project_id,
            or_(ProjectRole.valid_to.is_(None), ProjectRole.valid_to >= today),
        )
        .order_by(ProjectRole.role, ProjectRole.id)
    )
    return list(session.scalars(stmt))


