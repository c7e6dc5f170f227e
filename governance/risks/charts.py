"""The 5×5 heat map as a Plotly figure. Pure: counts, thresholds and labels in."""

from __future__ import annotations

from governance import charts as go  # plain-data figures, see governance/charts.py
from governance.projects.charts import _layout

# Green, yellow, red zones, each dark enough for its count to be read in white or black.
ZONE_COLOURS = ["#c6e8cc", "#ffe08a", "#f4a3a0"]


def zone(score: int, yellow_from: int, red_from: int) -> int:
    if score >= red_from:
        return 2
    if score >= yellow_from:
        return 1
    return 0


def heat_map(counts: dict[tuple[int, int], int], yellow_from: int, red_from: int,
             labels: dict) -> go.Figure:
    """Probability up the side (5 at the top), consequence along the bottom; each cell
    coloured by its score's zone and showing how many open risks are in it."""
    ps = [1, 2, 3, 4, 5]
    cs = [1, 2, 3, 4, 5]
    z = [[zone(p * c, yellow_from, red_from) for c in cs] for p in ps]
    text = [[str(counts.get((p, c), "")) for c in cs] for p in ps]
    custom = [[[p, c] for c in cs] for p in ps]
    figure = go.Figure(go.Heatmap(
        z=z, x=[str(c) for c in cs], y=[str(p) for p in ps], text=text,
        texttemplate="%{text}", textfont={"size": 18, "color": "#1e2b3c"},
        customdata=custom, zmin=0, zmax=2, showscale=False, xgap=3, ygap=3,
        colorscale=[[0, ZONE_COLOURS[0]], [0.33, ZONE_COLOURS[0]], [0.34, ZONE_COLOURS[1]],
                    [0.66, ZONE_COLOURS[1]], [0.67, ZONE_COLOURS[2]], [1, ZONE_COLOURS[2]]],
        hovertemplate=(f"{labels['probability']} %{{y}}, {labels['consequence']} %{{x}}"
                       f"<br>{labels['count']}: %{{text}}<extra></extra>"),
    ))
    _layout(figure, height=360, x_title=str(labels["consequence"]),
            y_title=str(labels["probability"]))
    figure.update_xaxes(type="category", showgrid=False)
    figure.update_yaxes(type="category", showgrid=False)
    return figure
