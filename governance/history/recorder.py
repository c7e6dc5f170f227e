"""Records every insert, update and delete of ``Tracked`` rows in the same transaction.

The actor is read from ``session.info["actor"]`` as ``(user_id, name)``; the web layer
sets it per request, commands set it for the command line. No Flask import here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Mapper, Session, attributes

from governance.db_base import Base, Tracked, utcnow
from governance.history.models import ChangeRecord

ACTOR_KEY = "actor"


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _columns(obj: Tracked) -> list[str]:
    mapper = inspect(obj).mapper
    excluded = set(obj.__history_exclude__)
    return [attr.key for attr in mapper.column_attrs if attr.key not in excluded]


def _primary_key(obj) -> tuple:
    # Read from the attributes: during the flush, new rows have their key values
    # but no identity key yet.
    state = inspect(obj)
    return tuple(state.mapper.primary_key_from_instance(obj))


def _ids(objs) -> list[Any]:
    return sorted(_primary_key(o)[0] for o in objs)


def _snapshot(obj: Tracked) -> dict[str, Any]:
    data = {key: _plain(getattr(obj, key)) for key in _columns(obj)}
    for name in obj.__tracked_collections__:
        data[name] = _ids(getattr(obj, name))
    return data


def _changes(obj: Tracked) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in [*_columns(obj), *obj.__tracked_collections__]:
        hist = attributes.get_history(obj, key)
        if not hist.has_changes():
            continue
        if key in obj.__tracked_collections__:
            before[key] = _ids([*hist.unchanged, *hist.deleted])
            after[key] = _ids([*hist.unchanged, *hist.added])
            if before[key] == after[key]:
                del before[key], after[key]
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if _plain(old) != _plain(new):
            before[key] = _plain(old)
            after[key] = _plain(new)
    return before, after


def _row_id(obj: Tracked) -> str:
    return ",".join(str(part) for part in _primary_key(obj))


def _project_id(obj: Tracked) -> int | None:
    return getattr(obj, "history_project_id", None)


def _parent(obj: Tracked) -> tuple[str | None, str | None]:
    parent = getattr(obj, "history_parent", None)
    if parent is None:
        return None, None
    table, row_id = parent
    return table, str(row_id)


def _update_action(before: dict[str, Any], after: dict[str, Any]) -> str:
    """An update that moves a row into the wastebasket or back is recorded as such."""
    if "deleted_at" in after:
        if before.get("deleted_at") is None and after["deleted_at"] is not None:
            return "trash"
        if before.get("deleted_at") is not None and after["deleted_at"] is None:
            return "restore"
    return "update"


def _after_flush(session: Session, flush_context) -> None:
    actor_id, actor_name = session.info.get(ACTOR_KEY, (None, None))
    rows: list[dict[str, Any]] = []
    now = utcnow()

    def add(obj: Tracked, action: str, before, after) -> None:
        parent_table, parent_id = _parent(obj)
        rows.append(
            {
                "at": now,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "action": action,
                "table_name": obj.__tablename__,
                "row_id": _row_id(obj),
                "parent_table": parent_table,
                "parent_id": parent_id,
                "project_id": _project_id(obj),
                "before": before,
                "after": after,
            }
        )

    for obj in session.new:
        if isinstance(obj, Tracked):
            add(obj, "insert", None, _snapshot(obj))
    for obj in session.dirty:
        if isinstance(obj, Tracked) and session.is_modified(obj):
            before, after = _changes(obj)
            if before or after:
                add(obj, _update_action(before, after), before, after)
    for obj in session.deleted:
        if isinstance(obj, Tracked):
            add(obj, "delete", _snapshot(obj), None)
    if rows:
        session.connection().execute(insert(ChangeRecord), rows)


def _keep_old_value(target, value, oldvalue, initiator):
    return value


def _load_old_values(mapper, cls) -> None:
    """Make setting a tracked column load its old value first, even when expired,
    so the history always has the value before the change."""
    if not issubclass(cls, Tracked):
        return
    for prop in mapper.column_attrs:
        attribute = getattr(cls, prop.key)
        if not event.contains(attribute, "set", _keep_old_value):
            event.listen(attribute, "set", _keep_old_value, active_history=True)


def install() -> None:
    """Listen on every Session and tracked mapper (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    if not event.contains(Mapper, "mapper_configured", _load_old_values):
        event.listen(Mapper, "mapper_configured", _load_old_values)
    for mapper in Base.registry.mappers:  # those configured before install()
        if mapper.configured:
            _load_old_values(mapper, mapper.class_)


def set_actor(session: Session, user_id: int | None, name: str | None) -> None:
    session.info[ACTOR_KEY] = (user_id, name)
