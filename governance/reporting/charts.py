"""The history of a project's lights as a Plotly figure. Pure."""

from __future__ import annotations

from governance import charts as go  # plain-data figures, see governance/charts.py
from governance.projects.charts import _layout
from governance.reporting.models import Dimension, Light

STYLES = {Light.GREEN: ("#1a7f37", "circle"), Light.YELLOW: ("#b07d00", "triangle-up"),
          Light.RED: ("#b3261e", "x")}


def light_history(reports, labels: dict) -> go.Figure:
    """One row per dimension, one column per period; each light a coloured symbol."""
    figure = go.Figure()
    dimensions = list(Dimension)
    rows = [str(labels["dimensions"][d]) for d in dimensions]
    for light, (colour, symbol) in STYLES.items():
        xs, ys = [], []
        for report in reports:
            for dimension in dimensions:
                if report.light(dimension) == light:
                    xs.append(report.period)
                    ys.append(str(labels["dimensions"][dimension]))
        figure.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers", name=str(labels["lights"][light]),
            marker={"color": colour, "symbol": symbol, "size": 16,
                    "line": {"width": 1, "color": "#1e2b3c"}},
            hovertemplate="%{y}, %{x}: " + str(labels["lights"][light]) + "<extra></extra>",
        ))
    _layout(figure, height=320)
    figure.update_xaxes(type="category", categoryorder="array",
                        categoryarray=[r.period for r in reports])
    figure.update_yaxes(type="category", categoryorder="array",
                        categoryarray=list(reversed(rows)))
    return figure
