"""The JSON API under /api/v1: read projects, milestones, indicators, measurements, risks and
status; write measurements. A personal token (Authorization: Bearer) acts with exactly its
user's rights: the same policy as the web pages. Errors are JSON (governance/api/errors.py)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from governance.api import openapi, queries
from governance.api.errors import ApiProblem
from governance.api.openapi import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET
from governance.benefits import queries as benefit_queries
from governance.benefits import service as benefit_service
from governance.benefits.achievement import parse_period
from governance.benefits.models import Indicator, Measurement
from governance.errors import RuleViolation, StaleEdit
from governance.extensions import csrf, db
from governance.projects import plan_queries
from governance.projects import queries as project_queries
from governance.projects.models import Project
from governance.projects.plan_views import today
from governance.reporting import queries as report_queries
from governance.reporting.models import Dimension, StatusReport
from governance.risks.models import Risk
from governance.roles import policy
from governance.roles import queries as role_queries
from governance.web import API_TOKEN, MAX_ID, PUBLIC, permission

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The API takes no cookie session (only a bearer token), so cross-site requests carry no
# credentials: CSRF protection has nothing to protect here.
csrf.exempt(bp)

PAGE_ARGS = frozenset({"limit", "offset"})
MEASUREMENT_FIELDS = {"organisation_id", "period", "value", "comment", "version_id"}


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Plumbing --------------------------------------------------------------------------------


def _json(data: Any, status: int = 200) -> Response:
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")
    return response


def _decimal(value: Decimal | None) -> str | None:
    """A decimal as a plain string without trailing zeros: "12.5", "100", "-3"."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: datetime | None) -> str | None:
    """Stored as naive UTC; written as ISO 8601 with Z."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _enum(value) -> str | None:
    return value.value if value is not None else None


def _int_arg(name: str, low: int, high: int, default: int | None,
             errors: dict[str, str]) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.isascii() and raw.isdigit() and len(raw) <= 10 and low <= int(raw) <= high:
        return int(raw)
    errors[name] = _("Skriv et heltall fra %(low)d til %(high)d.", low=low, high=high)
    return default


def _page_args(errors: dict[str, str]) -> tuple[int, int]:
    limit = _int_arg("limit", 1, MAX_LIMIT, DEFAULT_LIMIT, errors)
    offset = _int_arg("offset", 0, MAX_OFFSET, 0, errors)
    return limit, offset


def _check_args(errors: dict[str, str], allowed: frozenset[str] = PAGE_ARGS) -> None:
    """400 with a message per wrong or unknown query parameter."""
    for name in sorted(set(request.args) - allowed)[:10]:
        errors[name[:40]] = _("Ukjent parameter.")
    if errors:
        raise ApiProblem(400, _("Ugyldige parametere i adressen."), errors)


def _page(items: list, total: int, limit: int, offset: int) -> dict:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _project(code: str) -> tuple[Project, policy.ProjectAccess]:
    """The project and the token user's access to it; 404 when it is not theirs to see."""
    project = project_queries.by_code(db.session, code)
    if project is None:
        raise ApiProblem(404, _("Prosjektet finnes ikke, eller du har ikke tilgang til det."))
    access = policy.project_access(
        current_user,
        role_queries.active_roles(db.session, current_user.id, project.id),
        role_queries.active_memberships(db.session, current_user.id, project.id))
    if not access.can_view:
        raise ApiProblem(404, _("Prosjektet finnes ikke, eller du har ikke tilgang til det."))
    return project, access


def _indicator(project: Project, indicator_id: int) -> Indicator:
    found = benefit_queries.by_id(db.session, Indicator, project.id, indicator_id)
    if found is None:
        raise ApiProblem(404, _("Indikatoren finnes ikke i prosjektet."))
    return found


def _org(org) -> dict | None:
    return {"id": org.id, "name": org.name} if org is not None else None


# --- Serialisers -----------------------------------------------------------------------------


def project_summary(project: Project) -> dict:
    return {
        "code": project.code, "name": project.name, "phase": project.phase.value,
        "status": project.status.value, "start_date": _date(project.start_date),
        "end_date": _date(project.end_date),
    }


def project_detail(project: Project) -> dict:
    return {
        **project_summary(project),
        "purpose": project.purpose, "description": project.description,
        "owners": [_org(o) for o in project.owners],
        "participants": [_org(o) for o in project.participants],
    }


def milestone_json(row: plan_queries.MilestoneRow) -> dict:
    m = row.milestone
    return {
        "id": m.id, "title": m.title, "description": m.description,
        "status": row.status.value, "decision_point": _enum(m.decision_point),
        "organisation": _org(m.organisation),
        "baseline_date": _date(m.baseline_date), "forecast_date": _date(m.forecast_date),
        "actual_date": _date(m.actual_date), "due_date": _date(m.due_date),
        "slip_days": row.slip_days, "comment": m.comment,
    }


def indicator_json(indicator: Indicator) -> dict:
    benefit = indicator.benefit
    return {
        "id": indicator.id, "name": indicator.name, "unit": indicator.unit.value,
        "unit_label": indicator.unit_label, "direction": indicator.direction.value,
        "frequency": indicator.frequency.value, "is_ratio": indicator.is_ratio,
        "ratio_factor": _decimal(indicator.ratio_factor),
        "benefit": {"id": benefit.id, "title": benefit.title} if benefit else None,
        "baselines": [{"organisation_id": b.organisation_id, "value": _decimal(b.value),
                       "measured_on": _date(b.measured_on)}
                      for b in sorted(indicator.baselines, key=lambda b: b.organisation_id)],
        "targets": [{"target_date": _date(t.target_date), "value": _decimal(t.value)}
                    for t in indicator.targets],
    }


def measurement_json(m: Measurement) -> dict:
    return {
        "id": m.id, "indicator_id": m.indicator_id, "organisation": _org(m.organisation),
        "period": m.period, "period_start": _date(m.period_start),
        "period_end": _date(m.period_end), "value": _decimal(m.value), "comment": m.comment,
        "entered_at": _datetime(m.entered_at), "version_id": m.version_id,
    }


def risk_json(risk: Risk) -> dict:
    return {
        "id": risk.id, "number": risk.number, "kind": risk.kind.value, "title": risk.title,
        "description": risk.description, "category": risk.category.value,
        "phase": _enum(risk.phase), "probability": risk.probability,
        "consequence": risk.consequence, "score": risk.score,
        "residual_probability": risk.residual_probability,
        "residual_consequence": risk.residual_consequence,
        "residual_score": risk.residual_score, "strategy": _enum(risk.strategy),
        "proximity": _enum(risk.proximity), "status": risk.status.value,
        "escalated": risk.escalated,
        "owner": risk.owner.full_name if risk.owner is not None else None,
        "measures": [{"id": m.id, "text": m.text, "due_date": _date(m.due_date),
                      "done_on": _date(m.done_on)} for m in risk.measures],
    }


def report_json(report: StatusReport) -> dict:
    return {
        "id": report.id, "period": report.period, "organisation": _org(report.organisation),
        "version": report.version, "status": report.status.value,
        "overall": _enum(report.overall), "published_at": _datetime(report.published_at),
    }


def lights_json(report: StatusReport) -> dict:
    return {d.value: {"light": _enum(report.light(d)), "comment": report.comment(d)}
            for d in Dimension}


# --- Read ------------------------------------------------------------------------------------


@bp.route("/openapi.json")
@permission(PUBLIC)
def openapi_document():
    """The OpenAPI document: the shape of the API, no data."""
    return _json(openapi.document())


@bp.route("/projects")
@permission(API_TOKEN)
def projects():
    errors: dict[str, str] = {}
    limit, offset = _page_args(errors)
    _check_args(errors)
    rows, total = queries.projects_page(db.session, current_user, limit=limit, offset=offset)
    return _json(_page([project_summary(p) for p in rows], total, limit, offset))


@bp.route("/projects/<code>")
@permission(API_TOKEN)
def project(code: str):
    _check_args({}, frozenset())
    found, _access = _project(code)
    return _json(project_detail(found))


@bp.route("/projects/<code>/milestones")
@permission(API_TOKEN)
def milestones(code: str):
    errors: dict[str, str] = {}
    limit, offset = _page_args(errors)
    _check_args(errors)
    found, _access = _project(code)
    rows = plan_queries.milestone_rows(db.session, found, today())
    return _json(_page([milestone_json(r) for r in rows[offset:offset + limit]], len(rows),
                       limit, offset))


@bp.route("/projects/<code>/indicators")
@permission(API_TOKEN)
def indicators(code: str):
    errors: dict[str, str] = {}
    limit, offset = _page_args(errors)
    _check_args(errors)
    found, _access = _project(code)
    rows, total = queries.indicators_page(db.session, found.id, limit=limit, offset=offset)
    return _json(_page([indicator_json(i) for i in rows], total, limit, offset))


@bp.route("/projects/<code>/risks")
@permission(API_TOKEN)
def risks(code: str):
    errors: dict[str, str] = {}
    limit, offset = _page_args(errors)
    _check_args(errors)
    found, _access = _project(code)
    rows, total = queries.risks_page(db.session, found.id, limit=limit, offset=offset)
    return _json(_page([risk_json(r) for r in rows], total, limit, offset))


@bp.route("/projects/<code>/status")
@permission(API_TOKEN)
def status(code: str):
    """The latest published lights of the project's own report, and its reports."""
    errors: dict[str, str] = {}
    limit, offset = _page_args(errors)
    _check_args(errors)
    found, _access = _project(code)
    history = report_queries.light_history(db.session, found.id)
    latest = history[-1] if history else None
    reports, total = queries.reports_page(db.session, found.id, limit=limit, offset=offset)
    return _json({
        "project": found.code,
        "latest": None if latest is None else {
            "report_id": latest.id, "period": latest.period, "version": latest.version,
            "published_at": _datetime(latest.published_at), "lights": lights_json(latest),
        },
        "reports": _page([report_json(r) for r in reports], total, limit, offset),
    })


# One endpoint for both methods: with two, a too-large id would answer 405, not 404 (the
# router checks the method before the id's range).
@bp.route("/projects/<code>/indicators/<int:indicator_id>/measurements",
          methods=["GET", "POST"])
@permission(API_TOKEN)
def measurements(code: str, indicator_id: int):
    if request.method == "POST":
        return record_measurement(code, indicator_id)
    errors: dict[str, str] = {}
    limit, offset = _page_args(errors)
    organisation_id = _int_arg("organisation_id", 1, MAX_ID, None, errors)
    period = None
    raw_period = request.args.get("period")
    if raw_period is not None:
        try:
            period = parse_period(raw_period[:20]).code
        except RuleViolation as error:
            errors["period"] = error.text()
    _check_args(errors, PAGE_ARGS | {"organisation_id", "period"})
    found, _access = _project(code)
    indicator = _indicator(found, indicator_id)
    rows, total = queries.measurements_page(db.session, indicator.id,
                                            organisation_id=organisation_id, period=period,
                                            limit=limit, offset=offset)
    return _json(_page([measurement_json(m) for m in rows], total, limit, offset))


# --- Write -----------------------------------------------------------------------------------


def _reject_constant(name: str):
    raise ValueError(name)


def _json_body() -> dict:
    if request.mimetype != "application/json":
        raise ApiProblem(415)
    try:
        data = json.loads(request.get_data(cache=False) or b"", parse_float=Decimal,
                          parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise ApiProblem(400, _("Innholdet er ikke gyldig JSON.")) from None
    if not isinstance(data, dict):
        raise ApiProblem(422, _("Send et JSON-objekt med organisation_id, period og value."))
    return data


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, str) and 0 < len(value.strip()) <= 40:
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _measurement_input(data: dict) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    for key in sorted(set(data) - MEASUREMENT_FIELDS):
        errors[str(key)[:40]] = _("Ukjent felt.")
    org = data.get("organisation_id")
    if isinstance(org, bool) or not isinstance(org, int) or not 1 <= org <= MAX_ID:
        errors["organisation_id"] = _("Skriv organisasjonens id (et heltall).")
    period = data.get("period")
    if not isinstance(period, str) or not period.strip():
        errors["period"] = _("Skriv perioden som 2013 (år), 2013-H1 (halvår), 2013-Q2 "
                             "(kvartal) eller 2013-03 (måned).")
    elif len(period) > 20:
        errors["period"] = _("Perioden er for lang.")
    else:
        try:
            parse_period(period)
        except RuleViolation as error:
            errors["period"] = error.text()
    value = _number(data.get("value"))
    if value is None:
        errors["value"] = _("Skriv verdien som et tall, for eksempel 12.5.")
    comment = data.get("comment", "")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        errors["comment"] = _("Kommentaren skal være tekst.")
    elif len(comment) > 1000:
        errors["comment"] = _("Kommentaren kan ha høyst 1000 tegn.")
    version_id = data.get("version_id")
    if version_id is not None and (isinstance(version_id, bool)
                                   or not isinstance(version_id, int)
                                   or not 0 <= version_id <= MAX_ID):
        errors["version_id"] = _("Skriv versjonen som et heltall (0 for en ny måling).")
    return ({"organisation_id": org, "period": period, "value": value, "comment": comment,
             "version_id": version_id}, errors)


def record_measurement(code: str, indicator_id: int):
    """Save one organisation's value for a period: a new one (201), or the one already there
    updated (200). With version_id, a value changed by someone else since is not overwritten
    (409, with the current value)."""
    _check_args({}, frozenset())
    found, access = _project(code)
    if not (access.can_edit or access.own_organisation_ids):
        raise ApiProblem(403, _("Du kan ikke registrere målinger i dette prosjektet."))
    indicator = _indicator(found, indicator_id)
    data, errors = _measurement_input(_json_body())
    if errors:
        raise ApiProblem(422, _("Målingen ble ikke lagret. Se feltene."), errors)
    organisation_id = data["organisation_id"]
    if not access.can_edit_organisation_data(organisation_id):
        raise ApiProblem(403, _("Du kan bare registrere målinger for din egen organisasjon."))
    code_of_period = parse_period(data["period"]).code
    before = benefit_queries.measurements_for(db.session, found.id, organisation_id,
                                              code_of_period).get(indicator.id)
    try:
        saved = benefit_service.record_measurement(
            db.session, current_user, found,
            benefit_service.MeasurementInput(indicator, organisation_id, data["period"],
                                             data["value"], data["comment"]),
            version_id=data["version_id"], today=today())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        field = error.field if error.field in MEASUREMENT_FIELDS else "value"
        raise ApiProblem(422, _("Målingen ble ikke lagret. Se feltene."),
                         {field: error.text()}) from None
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        current = benefit_queries.measurements_for(db.session, found.id, organisation_id,
                                                   code_of_period).get(indicator.id)
        problem = ApiProblem(409)
        problem.fields = None
        problem.current = measurement_json(current) if current is not None else None
        raise problem from None
    db.session.refresh(saved)
    return _json(measurement_json(saved), 201 if before is None else 200)
