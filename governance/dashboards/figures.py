"""The dashboard's charts, kept as JSON between requests.

Building a Plotly figure costs tens of milliseconds (plotly validates every property), far
more than the queries behind it, and the steering group reads the same dashboard many times
between two changes. So each figure's JSON is kept under a key made of everything the figure
is drawn from (the data, the day, the language): a change of data is a new key, never a stale
chart. Least recently used entries go first; the cache is per process and thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from governance.i18n import html_lang

MAX_ENTRIES = 256

_entries: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


class FigureJSON:
    """Stands in for a Figure in the templates (the chart macro calls ``to_json()``)."""

    __slots__ = ("_json",)

    def __init__(self, text: str):
        self._json = text

    def to_json(self) -> str:
        return self._json


def cached(kind: str, key: Hashable, build: Callable) -> FigureJSON:
    """The JSON of ``build()``, built once for each (kind, language, key)."""
    full = (kind, html_lang(), key)
    with _lock:
        text = _entries.get(full)
        if text is not None:
            _entries.move_to_end(full)
            return FigureJSON(text)
    text = build().to_json()
    with _lock:
        _entries[full] = text
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return FigureJSON(text)


def clear() -> None:
    with _lock:
        _entries.clear()
