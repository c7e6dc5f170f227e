"""Turn change records into rows a person can read: field labels and value names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from governance.history.models import ChangeRecord

ValueNames = Mapping[Any, Any] | Callable[[Any], Any]


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeView:
    record: ChangeRecord
    fields: list[FieldChange]


def _name(value: Any, names: ValueNames | None, empty: str, yes: str, no: str) -> str:
    if isinstance(value, list):
        return ", ".join(_name(v, names, empty, yes, no) for v in value) or empty
    if value is None or value == "":
        return empty
    if names is not None:
        named = names(value) if callable(names) else names.get(value, value)
        return str(named)
    if value is True:
        return yes
    if value is False:
        return no
    return str(value)


def describe(records: list[ChangeRecord], labels: Mapping[str, Any],
             values: Mapping[str, ValueNames] | None = None, *, empty: str = "–",
             yes: str = "Ja", no: str = "Nei") -> list[ChangeView]:
    """One entry per record, one row per changed field; ids and codes shown by name."""
    values = values or {}
    # Labels and names are often lazy translations: each is looked up once per call.
    shown_labels: dict[str, str] = {}
    shown: dict[tuple, str] = {}

    def label(key: str) -> str:
        if key not in shown_labels:
            shown_labels[key] = str(labels.get(key, key))
        return shown_labels[key]

    def name(key: str, value: Any) -> str:
        if isinstance(value, (list, dict)):
            return _name(value, values.get(key), empty, yes, no)
        cache_key = (key, type(value), value)
        if cache_key not in shown:
            shown[cache_key] = _name(value, values.get(key), empty, yes, no)
        return shown[cache_key]

    views = []
    for record in records:
        before, after = record.before or {}, record.after or {}
        keys = list(dict.fromkeys([*after.keys(), *before.keys()]))
        fields = [
            FieldChange(label=label(key), before=name(key, before.get(key)),
                        after=name(key, after.get(key)))
            for key in keys
            if key != "id"
        ]
        views.append(ChangeView(record=record, fields=fields))
    return views
