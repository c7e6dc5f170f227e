"""The project dashboard: the steering group's page, one panel per domain.

Every panel is a fragment with its own address that htmx fetches again when its domain
says it changed (``hx-trigger="<domain>-changed from:body"``) and every two minutes (answered
with 204 when what it shows is unchanged, so nothing moves); the page renders all of them
inline, so it is complete on first paint. Read only: whoever may see the project may see
its dashboard (the project page's rule).
"""

from __future__ import annotations

import hashlib
import re

from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from governance.dashboards import figures, queries
from governance.extensions import db
from governance.finance import charts as finance_charts
from governance.i18n import html_lang
from governance.projects import charts as plan_charts
from governance.projects.forms import phase_labels
from governance.projects.plan_forms import (
    body_labels,
    milestone_status_labels,
    outcome_labels,
)
from governance.projects.plan_views import STATUS_STYLES, today
from governance.projects.views import load_project
from governance.reporting import charts as report_charts
from governance.reporting.forms import dimension_labels, light_labels
from governance.reporting.models import Dimension
from governance.risks import charts as risk_charts
from governance.risks.forms import kind_labels
from governance.risks.forms import status_labels as risk_status_labels
from governance.web import SIGNED_IN, permission, render, wants_fragment

bp = Blueprint("dashboards", __name__, url_prefix="/prosjekter/<code>/dashbord")

# The event each panel listens for: what its domain sends (HX-Trigger) after a change.
EVENTS = {
    "status": ("reports-changed",),
    "milepaler": ("milestones-changed",),
    "gevinster": ("measurements-changed",),
    "risiko": ("risks-changed",),
    "okonomi": ("budget-changed",),
    "rapportering": ("reports-changed", "roles-changed"),
    "moter": ("meetings-changed", "decisions-changed"),
}


# A panel left open on a screen also asks again on its own this often (changes made by others).
POLL_SECONDS = 120

_DIGEST = re.compile(r'data-digest="([0-9a-f]+)"')


def triggers(name: str) -> str:
    """The panel's hx-trigger: each of its domain's events, heard on the body, and a poll."""
    events = [f"{event} from:body" for event in EVENTS[name]]
    return ", ".join([*events, f"every {POLL_SECONDS}s"])


@bp.app_template_filter("panel_digest")
def panel_digest(body: str) -> str:
    """A short fingerprint of what a panel shows."""
    return hashlib.sha256(str(body).encode()).hexdigest()[:16]


def _separators() -> str:
    return ".," if html_lang() == "en" else ",\u00a0"


def labels() -> dict:
    return {
        "light_labels": light_labels(), "dimension_labels": dimension_labels(),
        "Dimension": Dimension, "status_labels": milestone_status_labels(),
        "outcome_labels": outcome_labels(), "body_labels": body_labels(),
        "phase_labels": phase_labels(), "risk_kind_labels": kind_labels(),
        "risk_status_labels": risk_status_labels(), "Trend": queries.Trend,
        "panel_triggers": triggers,
    }


# --- Figures: each panel's charts, built from its data ----------------------------------------


def _status_figures(data: queries.StatusPanel) -> dict:
    if not data.history:
        return {"light_figure": None}
    key = tuple((r.period, tuple(r.light(d) for d in Dimension)) for r in data.history)
    return {"light_figure": figures.cached("lights", key, lambda: report_charts.light_history(
        data.history, {"dimensions": dimension_labels(), "lights": light_labels()}))}


def _milestone_figures(data: queries.MilestonePanel) -> dict:
    trend = timeline = None
    if data.trend_lines:
        key = (data.today, tuple((line.title, tuple(line.points)) for line in data.trend_lines))
        trend = figures.cached("trend", key, lambda: plan_charts.trend_figure(
            data.trend_lines, data.today, {
                "reported": _("Rapportert"), "expected": _("Forventet dato"),
                "today": _("I dag"), "diagonal": _("Rapportert = forventet")}))
    if data.rows or data.periods:
        key = (data.today, tuple((p.phase, p.start, p.end) for p in data.periods),
               tuple(data.decisions),
               tuple((r.milestone.title, r.milestone.due_date, r.status) for r in data.rows))
        timeline = figures.cached("timeline", key, lambda: plan_charts.timeline_figure(
            data.periods, data.decisions, data.rows, data.today, {
                "phases": _("Faser"), "decisions": _("Vedtak"), "milestones": _("Milepæler"),
                "today": _("I dag"), "phase_names": phase_labels(),
                "status_names": milestone_status_labels(), "status_styles": STATUS_STYLES}))
    return {"trend_figure": trend, "timeline_figure": timeline}


def _risk_figures(data: queries.RiskPanel) -> dict:
    counts = data.counts
    heat_map = None
    if data.open_count:
        key = (data.yellow_from, data.red_from, tuple(sorted(counts.items())))
        heat_map = figures.cached("heat-map", key, lambda: risk_charts.heat_map(
            counts, data.yellow_from, data.red_from, {
                "probability": _("Sannsynlighet"), "consequence": _("Konsekvens"),
                "count": _("Antall")}))
    return {"heat_map": heat_map, "risk_counts": counts,
            "zone": lambda p, c: risk_charts.zone(p * c, data.yellow_from, data.red_from)}


def _budget_figures(data: queries.BudgetPanel) -> dict:
    if not data.years:
        return {"budget_figure": None}
    key = tuple((y.year, y.cost_totals.budget, y.cost_totals.actual, y.cost_totals.forecast)
                for y in data.years)
    return {"budget_figure": figures.cached("budget", key, lambda: finance_charts.budget_figure(
        data.years, {"budget": _("Budsjett"), "actual": _("Regnskap"),
                     "forecast": _("Prognose"), "axis": _("Kroner"),
                     "separators": _separators()}))}


FIGURES = {"status": _status_figures, "milepaler": _milestone_figures,
           "risiko": _risk_figures, "okonomi": _budget_figures}

# The name each panel's data has in the templates.
CONTEXT_NAMES = {"status": "lights", "milepaler": "milestones", "gevinster": "benefits",
                 "risiko": "risks", "okonomi": "budget", "rapportering": "reporting",
                 "moter": "meetings"}


def panel_context(name: str, data) -> dict:
    """What the panel's template needs: its data under its name, and its figures."""
    figures = FIGURES.get(name)
    return {CONTEXT_NAMES[name]: data, **(figures(data) if figures else {})}


# --- Endpoints ----------------------------------------------------------------------------------


@bp.route("")
@permission(SIGNED_IN)
def project(code: str):
    found, access = load_project(code)
    dashboard = queries.project_dashboard(db.session, found, current_user, today())
    context: dict = {}
    for name, data in dashboard.by_name().items():
        context.update(panel_context(name, data))
    return render("dashboards/project.html", project=found, access=access,
                  dashboard=dashboard, today=dashboard.today, **context, **labels())


@bp.route("/<panel>")
@permission(SIGNED_IN)
def panel(code: str, panel: str):
    """One panel: the fragment for htmx, else a page with only that panel."""
    found, access = load_project(code)
    if panel not in queries.PANELS:
        abort(404)
    day = today()
    data = queries.panel(db.session, found, panel, day)
    response = render("dashboards/panel.html", block="panel", project=found, access=access,
                      panel_name=panel, today=day, **panel_context(panel, data), **labels())
    shown = request.args.get("vist")
    if shown and wants_fragment():
        match = _DIGEST.search(response.get_data(as_text=True))
        if match and match.group(1) == shown:
            return Response(status=204, headers={"Vary": "HX-Request"})
    return response
