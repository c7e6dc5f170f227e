"""Declarative base and shared column helpers. No Flask imports: domain models use this."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import Enum, ForeignKey, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def next_number(session, column, *criteria) -> int:
    """One more than the highest value of ``column`` among the rows matching ``criteria``
    (1 when there are none): the next position in a list, the next version."""
    from sqlalchemy import func, select

    return session.scalar(select(func.coalesce(func.max(column), 0)).where(*criteria)) + 1


def utcnow() -> datetime:
    """Current time in UTC, naive: every timestamp column stores naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def str_enum(enum_cls: type[enum.Enum], length: int = 32) -> Enum:
    """An enum column stored as its value in a plain string column."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Tracked:
    """Mixin: every insert, update and delete of the row is written to the history.

    ``__tracked_collections__`` names many-to-many relationships whose membership
    changes are recorded as lists of ids. ``history_project_id`` (when present)
    files the change under a project, so the project's history shows it.
    """

    __tracked_collections__: tuple[str, ...] = ()
    __history_exclude__: tuple[str, ...] = ("version_id",)


class SoftDeletable:
    """Mixin: governance evidence that is never removed by a user, only moved to the
    project's wastebasket (papirkurv), from where it can be restored.

    A row with ``deleted_at`` set is invisible to every ORM query, relationship load and
    ``Session.get`` (see ``governance.retention.filtering``) unless the statement carries the
    execution option ``include_deleted=True``.
    """

    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    deleted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
