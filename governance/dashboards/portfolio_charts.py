"""The comparison of municipalities as a Plotly figure. Pure: rows and labels in, Figure out."""

from __future__ import annotations

from governance import charts as go  # plain-data figures, see governance/charts.py
from governance.dashboards.portfolio import Comparison
from governance.projects.charts import _layout


def comparison_figure(comparison: Comparison, labels: dict) -> go.Figure:
    """Each municipality's latest value as a bar, side by side (with the project in the
    name when the indicator comes from several projects)."""
    names, values, texts = [], [], []
    for row in comparison.rows:
        value = row.latest.reading.value
        if value is None:
            continue
        name = row.organisation.name
        if labels.get("several"):
            name = f"{name} ({row.project.code})"
        names.append(name)
        values.append(float(value))
        texts.append(f"{labels['format'](value)} {labels['unit']}".strip())
    figure = go.Figure(go.Bar(
        x=values, y=names, orientation="h", text=texts, textposition="outside",
        marker={"color": "#1e5aa8"}, hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    axis = f"{labels['axis']} ({labels['unit']})" if labels["unit"] else labels["axis"]
    _layout(figure, height=max(200, 60 + 40 * len(names)), x_title=str(axis))
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(showlegend=False, separators=labels["separators"])
    return figure
