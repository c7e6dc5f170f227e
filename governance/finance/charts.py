"""Budget charts as Plotly figures. Pure: figures in kroner from the queries, labels in."""

from __future__ import annotations

from governance import charts as go  # plain-data figures, see governance/charts.py
from governance.finance.queries import Split, YearBudget
from governance.projects.charts import PALETTE, _layout

PATTERNS = ["", "/", "x", ".", "\\", "-", "+", "|"]


def budget_figure(years: list[YearBudget], labels: dict) -> go.Figure:
    """The shared budget's costs per year: budget, actual and forecast side by side."""
    xs = [str(y.year) for y in years]
    series = [
        (labels["budget"], [y.cost_totals.budget / 100 for y in years]),
        (labels["actual"], [y.cost_totals.actual / 100 for y in years]),
        (labels["forecast"], [y.cost_totals.forecast / 100 for y in years]),
    ]
    figure = go.Figure()
    for index, (name, values) in enumerate(series):
        figure.add_trace(go.Bar(
            x=xs, y=values, name=str(name), marker={
                "color": PALETTE[index], "pattern": {"shape": PATTERNS[index]}},
            hovertemplate=f"{name} %{{x}}: %{{y:,.0f}} kr<extra></extra>",
        ))
    _layout(figure, height=340, y_title=str(labels["axis"]))
    figure.update_xaxes(type="category")
    figure.update_yaxes(rangemode="tozero", separatethousands=True, tickformat=",.0f")
    figure.update_layout(barmode="group", separators=labels.get("separators", ", "))
    return figure


def shares_figure(splits: list[Split], names: dict[int, str], labels: dict) -> go.Figure:
    """Each municipality's share under each key that can be applied."""
    figure = go.Figure()
    order = sorted(names, key=lambda org: names[org])
    for index, split in enumerate(s for s in splits if s.shares is not None):
        figure.add_trace(go.Bar(
            x=[names[org] for org in order], y=[split.shares[org] for org in order],
            name=split.key.name, marker={
                "color": PALETTE[index % len(PALETTE)],
                "pattern": {"shape": PATTERNS[index % len(PATTERNS)]}},
            hovertemplate=f"{split.key.name}<br>%{{x}}: %{{y:,.0f}} kr<extra></extra>",
        ))
    _layout(figure, height=380, y_title=str(labels["axis"]))
    figure.update_xaxes(type="category")
    figure.update_yaxes(rangemode="tozero", separatethousands=True, tickformat=",.0f")
    figure.update_layout(barmode="group", separators=labels.get("separators", ", "))
    return figure
