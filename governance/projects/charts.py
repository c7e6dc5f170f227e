"""Plan charts as Plotly figures. Pure: rows and labels in, Figure out (no Flask, no database).

Dates are written the Norwegian way on the axes (22.04.2013). Every chart is shown with a
caption and a data table in the template; the figure is the visual reading of that table.
"""

from __future__ import annotations

from datetime import date, timedelta

from governance import charts as go  # plain-data figures, see governance/charts.py
from governance.projects.plan_queries import MilestoneRow, PhasePeriod, TrendLine

DATE_FORMAT = "%d.%m.%Y"
# Colours with at least 3:1 contrast against white, told apart by symbol and dash as well.
PALETTE = ["#1e5aa8", "#b3261e", "#1a7f37", "#8a4b00", "#6a3d9a", "#00727a", "#5c5c5c",
           "#a4006a"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon"]
DASHES = ["solid", "dash", "dot", "dashdot"]


def _layout(figure: go.Figure, *, height: int, y_title: str = "", x_title: str = "") -> None:
    figure.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"family": "Inter, Arial, sans-serif", "size": 13, "color": "#1e2b3c"},
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff", hovermode="closest",
        legend={"orientation": "h", "y": -0.2},
    )
    figure.update_xaxes(title_text=x_title, gridcolor="#e0e4ea", automargin=True)
    figure.update_yaxes(title_text=y_title, gridcolor="#e0e4ea", automargin=True)


# Today stays in view when it is at most this far beyond the plan's last date; otherwise
# (an old or finished plan) the window keeps to the plan and the today line is left out.
TODAY_REACH = timedelta(days=180)
MARGIN = timedelta(days=14)


def window(dates: list[date], today: date) -> tuple[date, date, bool]:
    """The date range to show, and whether today is inside it."""
    if not dates:
        return today - MARGIN, today + MARGIN, True
    low, high = min(dates), max(dates)
    shows_today = low - TODAY_REACH <= today <= high + TODAY_REACH
    if shows_today:
        low, high = min(low, today), max(high, today)
    return low - MARGIN, high + MARGIN, shows_today


def _today_line(figure: go.Figure, today: date, label: str) -> None:
    figure.add_vline(x=today.isoformat(), line_width=2, line_dash="dash", line_color="#b3261e")
    figure.add_annotation(x=today.isoformat(), y=1, yref="paper", text=label, showarrow=False,
                          xanchor="left", yanchor="bottom", font={"color": "#b3261e"})


def trend_figure(lines: list[TrendLine], today: date, labels: dict[str, str]) -> go.Figure:
    """Milestone trend analysis: the expected date of each milestone (y) as reported on each
    day (x). A flat line keeps its date; a rising one slips. The diagonal is where report date
    and expected date meet: a line reaching it is done (or overdue)."""
    figure = go.Figure()
    low, high, shows_today = window([d for line in lines for point in line.points
                                     for d in point], today)
    figure.add_trace(go.Scatter(
        x=[low.isoformat(), high.isoformat()], y=[low.isoformat(), high.isoformat()],
        mode="lines", name=labels["diagonal"], hoverinfo="skip",
        line={"color": "#8c96a3", "width": 1},
    ))
    for index, line in enumerate(lines):
        colour = PALETTE[index % len(PALETTE)]
        figure.add_trace(go.Scatter(
            x=[reported.isoformat() for reported, _ in line.points],
            y=[expected.isoformat() for _, expected in line.points],
            mode="lines+markers", name=line.title,
            line={"color": colour, "dash": DASHES[(index // len(PALETTE)) % len(DASHES)]},
            marker={"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 8},
            hovertemplate=(f"{labels['reported']} %{{x|{DATE_FORMAT}}}<br>"
                           f"{labels['expected']} %{{y|{DATE_FORMAT}}}<extra>{line.title}"
                           "</extra>"),
        ))
    _layout(figure, height=420, y_title=labels["expected"], x_title=labels["reported"])
    figure.update_xaxes(type="date", tickformat=DATE_FORMAT, range=[low.isoformat(),
                                                                   high.isoformat()])
    figure.update_yaxes(type="date", tickformat=DATE_FORMAT, range=[low.isoformat(),
                                                                   high.isoformat()])
    if shows_today:
        _today_line(figure, today, labels["today"])
    return figure


def timeline_figure(periods: list[PhasePeriod], decisions: list[tuple[date, str]],
                    rows: list[MilestoneRow], today: date, labels: dict) -> go.Figure:
    """Phases as bars, decisions and milestones as points, and a line for today."""
    figure = go.Figure()
    phase_row, decision_row, milestone_row = (str(labels["phases"]), str(labels["decisions"]),
                                              str(labels["milestones"]))
    dated = [row for row in rows if row.milestone.due_date is not None]
    low, high, shows_today = window(
        [p.start for p in periods] + [p.end for p in periods if p.end]
        + [day for day, _ in decisions] + [row.milestone.due_date for row in dated], today)
    for index, period in enumerate(periods):
        name = str(labels["phase_names"][period.phase])
        end = period.end or (today if shows_today else high)
        figure.add_trace(go.Scatter(
            x=[period.start.isoformat(), end.isoformat()], y=[phase_row, phase_row],
            mode="lines", line={"width": 18, "color": PALETTE[index % len(PALETTE)]},
            name=name, showlegend=False,
            hovertemplate=f"{name}<br>%{{x|{DATE_FORMAT}}}<extra></extra>",
        ))
        figure.add_annotation(x=period.start.isoformat(), y=phase_row,
                              text=name, showarrow=False,
                              xanchor="left", yshift=20)
    if decisions:
        figure.add_trace(go.Scatter(
            x=[day.isoformat() for day, _ in decisions], y=[decision_row] * len(decisions),
            mode="markers+text", text=[text for _, text in decisions], textposition="top center",
            marker={"symbol": "diamond", "size": 13, "color": "#6a3d9a"}, showlegend=False,
            hovertemplate=f"%{{text}}<br>%{{x|{DATE_FORMAT}}}<extra></extra>",
        ))
    for status, colour, symbol in labels["status_styles"]:
        group = [row for row in dated if row.status == status]
        if not group:
            continue
        figure.add_trace(go.Scatter(
            x=[row.milestone.due_date.isoformat() for row in group],
            y=[milestone_row] * len(group), mode="markers",
            name=str(labels["status_names"][status]),
            text=[row.milestone.title for row in group],
            marker={"symbol": symbol, "size": 11, "color": colour,
                    "line": {"width": 1, "color": "#1e2b3c"}},
            hovertemplate=f"%{{text}}<br>%{{x|{DATE_FORMAT}}}<extra></extra>",
        ))
    _layout(figure, height=300)
    figure.update_xaxes(type="date", tickformat=DATE_FORMAT,
                        range=[low.isoformat(), high.isoformat()])
    figure.update_yaxes(type="category",
                        categoryarray=[milestone_row, decision_row, phase_row],
                        categoryorder="array")
    if shows_today:
        _today_line(figure, today, labels["today"])
    return figure
