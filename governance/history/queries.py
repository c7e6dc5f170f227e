"""Read side of the history."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from governance.history.models import ChangeRecord


def for_object(session: Session, table_name: str, row_id: int | str) -> list[ChangeRecord]:
    """Changes to the row, and to the rows that name it as their history parent."""
    row_id = str(row_id)
    stmt = (
        select(ChangeRecord)
        .where(
            or_(
                (ChangeRecord.table_name == table_name) & (ChangeRecord.row_id == row_id),
                (ChangeRecord.parent_table == table_name) & (ChangeRecord.parent_id == row_id),
            )
        )
        .order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc())
    )
    return list(session.scalars(stmt))


def for_project(session: Session, project_id: int, limit: int = 200,
                offset: int = 0) -> list[ChangeRecord]:
    """Changes filed under a project: the project row and everything belonging to it,
    newest first; ``limit`` of them after skipping ``offset`` (a page)."""
    stmt = (
        select(ChangeRecord)
        .where(
            or_(
                ChangeRecord.project_id == project_id,
                (ChangeRecord.table_name == "project")
                & (ChangeRecord.row_id == str(project_id)),
            )
        )
        .order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt))
