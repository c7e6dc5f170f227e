"""The portfolio overview (live filters and sort), the comparison of municipalities across
projects, and one municipality's view. Read-only: every endpoint is a GET."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from governance.benefits.forms import unit_labels
from governance.benefits.views import unit_text
from governance.dashboards import portfolio as queries
from governance.dashboards import portfolio_charts as charts
from governance.extensions import db
from governance.i18n import format_decimal, html_lang
from governance.projects.forms import phase_labels, status_labels
from governance.projects.models import Phase, ProjectStatus
from governance.projects.plan_forms import milestone_status_labels
from governance.projects.plan_views import today
from governance.reporting.forms import light_labels
from governance.web import SIGNED_IN, permission, render

bp = Blueprint("portfolio", __name__, url_prefix="/portefolje")

MAX_SHOWN = 40  # of a bad value quoted back in a message


def _shown(raw: str) -> str:
    return raw if len(raw) <= MAX_SHOWN else raw[:MAX_SHOWN] + "…"


def _labels() -> dict:
    return {"phase_labels": phase_labels(), "status_labels": status_labels(),
            "light_labels": light_labels(), "milestone_labels": milestone_status_labels()}


def _filters(organisations) -> tuple[queries.PortfolioFilter, list[str]]:
    """The filter from the address, and a message for each value that cannot be used.
    An empty value means "all"; a wrong one is refused, never quietly ignored."""
    errors: list[str] = []
    args = request.args
    phase = status = organisation_id = None
    raw = args.get("fase", "").strip()
    if raw:
        try:
            phase = Phase(raw)
        except ValueError:
            errors.append(_("Fasen «%(value)s» finnes ikke. Velg en fase i listen.",
                            value=_shown(raw)))
    raw = args.get("status", "").strip()
    if raw:
        try:
            status = ProjectStatus(raw)
        except ValueError:
            errors.append(_("Statusen «%(value)s» finnes ikke. Velg en status i listen.",
                            value=_shown(raw)))
    raw = args.get("organisasjon", "").strip()
    if raw:
        known = {org.id for org in organisations}
        if raw.isdigit() and len(raw) < 10 and int(raw) in known:
            organisation_id = int(raw)
        else:
            errors.append(_("Finner ikke organisasjonen «%(value)s» blant organisasjonene i "
                            "prosjektene du ser. Velg en organisasjon i listen.",
                            value=_shown(raw)))
    raw = args.get("sorter", "").strip()
    sort, descending = queries.DEFAULT_SORT, False
    if raw:
        key = raw[1:] if raw.startswith("-") else raw
        if key in queries.SORT_KEYS:
            sort, descending = key, raw.startswith("-")
        else:
            errors.append(_("Kan ikke sortere etter «%(value)s». Velg en kolonneoverskrift.",
                            value=_shown(raw)))
    raw = args.get("side", "").strip()
    page = 1
    if raw:
        if raw.isdigit() and 0 < len(raw) < 7 and int(raw) >= 1:
            page = int(raw)
        else:
            errors.append(_("Sidetallet «%(value)s» er ugyldig. Skriv et helt tall fra 1.",
                            value=_shown(raw)))
    return queries.PortfolioFilter(phase, status, organisation_id, sort, descending,
                                   page), errors


@bp.route("/")
@permission(SIGNED_IN)
def index():
    organisations = queries.filter_organisations(db.session, current_user)
    filters, errors = _filters(organisations)
    result = None
    if not errors:
        try:
            result = queries.portfolio(db.session, current_user, filters, today())
        except queries.PageOutOfRange as error:
            errors.append(_("Side %(page)d finnes ikke: filteret gir %(pages)d side(r).",
                            page=error.page, pages=error.pages))
    return render(
        "dashboards/portfolio.html", block="results", status=400 if errors else 200,
        portfolio=result, filters=filters, errors=errors, organisations=organisations,
        columns=_columns(), **_labels())


def _columns() -> list[tuple[str, str]]:
    return [("navn", _("Prosjekt")), ("fase", _("Fase")), ("status", _("Status")),
            ("lys", _("Siste status")), ("milepael", _("Neste milepæl")),
            ("gevinst", _("Gevinstoppnåelse")), ("risiko", _("Høyeste risiko"))]


# --- Comparison of municipalities ------------------------------------------------------------


def _separators() -> str:
    return ".," if html_lang() == "en" else ",\u00a0"


def _page_number() -> tuple[int, str | None]:
    """The page asked for in ?side=, or a message when it is not a page number."""
    raw = request.args.get("side", "").strip()
    if not raw:
        return 1, None
    if raw.isdigit() and 0 < len(raw) < 7 and int(raw) >= 1:
        return int(raw), None
    return 1, _("Sidetallet «%(value)s» er ugyldig. Skriv et helt tall fra 1.", value=_shown(raw))


@bp.route("/sammenligning")
@permission(SIGNED_IN)
def compare():
    projects = queries.visible_projects(db.session, current_user)
    choices = queries.indicator_choices(db.session, projects)
    raw = request.args.get("indikator", "").strip()
    result = None
    error = None
    if raw:
        chosen = int(raw) if raw.isdigit() and len(raw) < 10 else None
        page, error = _page_number()
        if chosen is not None and error is None:
            try:
                result = queries.comparison(db.session, choices, chosen, page)
            except queries.PageOutOfRange as out:
                error = _("Side %(page)d finnes ikke: sammenligningen har %(pages)d side(r).",
                          page=out.page, pages=out.pages)
        if result is None and error is None:
            error = _("Finner ikke indikatoren «%(value)s» i prosjektene du ser. Velg en "
                      "indikator i listen.", value=_shown(raw))
    figure = None
    unit = ""
    if result is not None:
        unit = unit_text(result.chosen)
        figure = charts.comparison_figure(result, {
            "unit": unit, "axis": _("Siste verdi"), "separators": _separators(),
            "format": lambda value: format_decimal(value, 1),
            "several": result.several_projects})
    return render(
        "dashboards/portfolio_compare.html", status=400 if error else 200,
        choices=choices, comparison=result, error=error, figure=figure, unit=unit,
        chosen_raw=raw, unit_labels=unit_labels())


# --- One municipality ------------------------------------------------------------------------


@bp.route("/organisasjoner/<int:org_id>")
@permission(SIGNED_IN)
def municipality(org_id: int):
    # ?alle=ja shows every report, latest measurement and open milestone, not only the
    # newest (any other value shows the bounded lists).
    show_all = request.args.get("alle", "").strip() == "ja"
    view = queries.municipality(db.session, current_user, org_id, today(), show_all=show_all)
    if view is None:
        abort(404)
    return render("dashboards/municipality.html", view=view, unit_text=unit_text,
                  **_labels())
