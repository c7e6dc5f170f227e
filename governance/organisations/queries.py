"""Read side of organisations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from governance.organisations.models import Organisation


def all_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def organisation_names(session: Session) -> dict[int, str]:
    """Every organisation's name by id (no objects loaded)."""
    return dict(session.execute(select(Organisation.id, Organisation.name)).all())


def with_figures(session: Session) -> list[Organisation]:
    stmt = (
        select(Organisation)
        .options(selectinload(Organisation.figures))
        .order_by(Organisation.name)
    )
    return list(session.scalars(stmt))


def by_ids(session: Session, ids: list[int]) -> list[Organisation]:
    if not ids:
        return []
    return list(session.scalars(select(Organisation).where(Organisation.id.in_(ids))))
