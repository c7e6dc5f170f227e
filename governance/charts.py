"""Plotly figures as plain data: the small part of ``plotly.graph_objects`` the app uses.

Building figures through graph_objects validates every property on every assignment; on
the milestone page that took most of the request (the benchmark, ``python -m bench``,
measured it). These classes build the same JSON from dicts: ``Figure`` has ``add_trace``,
``update_layout``, ``update_xaxes``/``update_yaxes``, ``add_vline``, ``add_annotation`` and
``to_json`` (what the chart macro calls), and ``figure.data[0].x`` or
``figure.layout.xaxis.range`` read the way graph_objects' do. Nothing is validated: the
domain charts are the only callers and their figures are checked by their tests and drawn
by the browser tests.

The figures carry the part of plotly.py's default template ("plotly") that applies to
scatter, bar and heat map traces, so they look as they did when built by graph_objects.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# plotly.py's "plotly" template, trimmed to the layout and the trace types used here.
TEMPLATE = {
    "data": {
        "scatter": [{"fillpattern": {"fillmode": "overlay", "size": 10, "solidity": 0.2},
                     "type": "scatter"}],
        "bar": [{"error_x": {"color": "#2a3f5f"}, "error_y": {"color": "#2a3f5f"},
                 "marker": {"line": {"color": "#E5ECF6", "width": 0.5},
                            "pattern": {"fillmode": "overlay", "size": 10, "solidity": 0.2}},
                 "type": "bar"}],
        "heatmap": [{"type": "heatmap", "colorbar": {"outlinewidth": 0, "ticks": ""}}],
    },
    "layout": {
        "colorway": ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3",
                     "#FF6692", "#B6E880", "#FF97FF", "#FECB52"],
        "font": {"color": "#2a3f5f"}, "hovermode": "closest", "hoverlabel": {"align": "left"},
        "paper_bgcolor": "white", "plot_bgcolor": "#E5ECF6",
        "xaxis": {"gridcolor": "white", "linecolor": "white", "ticks": "",
                  "title": {"standoff": 15}, "zerolinecolor": "white", "automargin": True,
                  "zerolinewidth": 2},
        "yaxis": {"gridcolor": "white", "linecolor": "white", "ticks": "",
                  "title": {"standoff": 15}, "zerolinecolor": "white", "automargin": True,
                  "zerolinewidth": 2},
        "title": {"x": 0.05},
    },
}


ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "/": "\\u002f"})


class Node(dict):
    """A dict whose keys read as attributes (None when absent), like graph_objects'."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            if name.startswith("__"):
                raise AttributeError(name) from None
            return None


def _node(value: Any) -> Any:
    if isinstance(value, dict) and not isinstance(value, Node):
        return Node({key: _node(item) for key, item in value.items()})
    if isinstance(value, list | tuple) and value and isinstance(value[0], dict):
        return [_node(item) for item in value]
    return value


def _merge(target: dict, updates: dict) -> None:
    """Update ``target`` in place; nested dicts merge, and ``title_text="x"`` is
    ``title={"text": "x"}`` as in plotly's "magic underscore" names."""
    for key, value in updates.items():
        if key.startswith("title_"):
            key, value = "title", {key[len("title_"):]: value}
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = _node(value)


class Layout(Node):
    @property
    def shapes(self) -> list:
        return self.get("shapes", [])

    @property
    def annotations(self) -> list:
        return self.get("annotations", [])


def _trace(kind: str):
    def make(**properties) -> Node:
        trace = Node(type=kind)
        _merge(trace, properties)
        return trace

    make.__name__ = kind.capitalize()
    return make


Scatter = _trace("scatter")
Bar = _trace("bar")
Heatmap = _trace("heatmap")


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)  # lazy strings (flask-babel) and the like


class Figure:
    def __init__(self, data: Node | list[Node] | None = None):
        if data is None:
            data = []
        elif isinstance(data, dict):
            data = [data]
        self.data: list[Node] = list(data)
        self.layout = Layout()

    def add_trace(self, trace: Node) -> Figure:
        self.data.append(trace)
        return self

    def update_layout(self, **properties) -> Figure:
        _merge(self.layout, properties)
        return self

    def update_xaxes(self, **properties) -> Figure:
        return self.update_layout(xaxis=properties)

    def update_yaxes(self, **properties) -> Figure:
        return self.update_layout(yaxis=properties)

    def add_vline(self, x, line_width=None, line_dash=None, line_color=None) -> Figure:
        line = {key: value for key, value in (("color", line_color), ("dash", line_dash),
                                               ("width", line_width)) if value is not None}
        self.layout.setdefault("shapes", []).append(_node(
            {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1,
             "yref": "y domain", "line": line}))
        return self

    def add_annotation(self, **properties) -> Figure:
        self.layout.setdefault("annotations", []).append(_node(properties))
        return self

    def to_plotly_json(self) -> dict:
        return {"data": self.data, "layout": {**self.layout, "template": TEMPLATE}}

    def to_json(self) -> str:
        """Compact JSON as plotly.py writes it, with <, > and / escaped as it does."""
        text = json.dumps(self.to_plotly_json(), default=_plain, separators=(",", ":"))
        return text.translate(ESCAPES)
