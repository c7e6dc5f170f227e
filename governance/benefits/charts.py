"""Benefit charts as Plotly figures. Pure: indicator views and labels in, Figure out."""

from __future__ import annotations

from decimal import Decimal

from governance import charts as go  # plain-data figures, see governance/charts.py
from governance.benefits.queries import IndicatorView
from governance.projects.charts import DASHES, DATE_FORMAT, PALETTE, SYMBOLS, _layout


def _number(value: Decimal | None) -> float | None:
    # Plotly draws floats; the exact values are in the data table beside the chart.
    return None if value is None else float(value)


def indicator_figure(view: IndicatorView, labels: dict) -> go.Figure:
    """Each organisation's readings over time against its baseline and the target path."""
    figure = go.Figure()
    unit = labels["unit"]
    for index, standing in enumerate(view.standings):
        colour = PALETTE[index % len(PALETTE)]
        name = standing.organisation.name
        xs, ys = [], []
        if standing.baseline is not None and standing.baseline_reading is not None \
                and standing.baseline_reading.value is not None:
            xs.append(standing.baseline.measured_on.isoformat())
            ys.append(_number(standing.baseline_reading.value))
        for point in standing.points:
            if point.reading.value is not None:
                xs.append(point.measurement.period_end.isoformat())
                ys.append(_number(point.reading.value))
        if not xs:
            continue
        figure.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", name=name,
            line={"color": colour, "dash": DASHES[(index // len(PALETTE)) % len(DASHES)]},
            marker={"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 9},
            hovertemplate=f"{name}<br>%{{x|{DATE_FORMAT}}}: %{{y}} {unit}<extra></extra>",
        ))
    if view.targets:
        xs, ys = [], []
        if view.project_baseline is not None:
            starts = [s.baseline.measured_on for s in view.standings if s.baseline]
            if starts:
                xs.append(min(starts).isoformat())
                ys.append(_number(view.project_baseline))
        for target in view.targets:
            xs.append(target.target_date.isoformat())
            ys.append(_number(target.value))
        figure.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", name=str(labels["target"]),
            line={"color": "#1e2b3c", "dash": "dash", "width": 2},
            marker={"symbol": "star", "size": 12, "color": "#1e2b3c"},
            hovertemplate=f"{labels['target']}<br>%{{x|{DATE_FORMAT}}}: %{{y}} {unit}"
                          "<extra></extra>",
        ))
    _layout(figure, height=380, y_title=f"{labels['axis']} ({unit})" if unit else labels["axis"])
    figure.update_xaxes(type="date", tickformat=DATE_FORMAT)
    figure.update_yaxes(rangemode="tozero", separatethousands=True)
    figure.update_layout(separators=labels.get("separators", ", "))
    return figure


def achievement_figure(view: IndicatorView, labels: dict) -> go.Figure:
    """The latest achievement of each organisation, in % of the way from baseline to target."""
    names, values, texts = [], [], []
    for standing in view.standings:
        latest = standing.latest
        if latest is None or latest.achievement is None:
            names.append(f"{standing.organisation.name} ({labels['no_value']})")
            values.append(0)
            texts.append("")
        else:
            names.append(standing.organisation.name)
            percent = latest.achievement * 100
            values.append(_number(percent))
            texts.append(f"{percent:.0f} %")
    figure = go.Figure(go.Bar(
        x=values, y=names, orientation="h", text=texts, textposition="outside",
        marker={"color": "#1e5aa8"}, hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    figure.add_vline(x=100, line_width=2, line_dash="dash", line_color="#1a7f37")
    figure.add_annotation(x=100, y=1, yref="paper", text=str(labels["target_line"]),
                          showarrow=False, xanchor="left", yanchor="bottom",
                          font={"color": "#1a7f37"})
    _layout(figure, height=max(200, 60 + 40 * len(names)), x_title=str(labels["axis"]))
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(showlegend=False, separators=labels.get("separators", ", "))
    return figure
