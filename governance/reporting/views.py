"""Status reports: the reporting overview, one period's reports side by side with the
suggested lights, writing, publishing and correcting a report, reading an old one."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from governance.benefits import queries as benefit_queries
from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.finance import queries as finance_queries
from governance.forms import attach_error, submitted_version
from governance.projects import plan_queries
from governance.projects.models import Project
from governance.projects.plan import MilestoneStatus
from governance.projects.plan_forms import milestone_status_labels
from governance.projects.plan_views import today
from governance.projects.views import load_project
from governance.reporting import charts, queries, service
from governance.reporting.forms import (
    ReportForm,
    ToleranceForm,
    dimension_labels,
    light_labels,
)
from governance.reporting.models import PARTS, Dimension, Light, StatusReport
from governance.risks import queries as risk_queries
from governance.roles.policy import ProjectAccess
from governance.web import SIGNED_IN, permission, render, require

bp = Blueprint("reporting", __name__, url_prefix="/prosjekter/<code>/status")


def _labels() -> dict:
    return {"light_labels": light_labels(), "dimension_labels": dimension_labels(),
            "Dimension": Dimension, "PARTS": PARTS, "Light": Light,
            "milestone_status_labels": milestone_status_labels()}


def project_state(project: Project, day: date | None = None) -> dict:
    """What the suggestion and the snapshot are made from: the plan and the benefits as of
    ``day`` (today unless a past period's end is given), the open risks and the budget of
    that year."""
    day = day or today()
    rows = plan_queries.milestone_rows(db.session, project, day)
    risks = risk_queries.all_risks(db.session, project.id)
    views = benefit_queries.indicator_views(db.session, project, day)
    return {"rows": rows, "risks": risks, "top": risk_queries.top(risks), "views": views,
            "budget": finance_queries.year_figures(db.session, project, day.year),
            "day": day}


def can_write(access: ProjectAccess, report_organisation_id: int | None) -> bool:
    if report_organisation_id is None:
        return access.can_edit
    return access.can_edit_organisation_data(report_organisation_id)


def _period(project: Project, code: str):
    try:
        return service.check_period(project, code, today())
    except RuleViolation:
        abort(404)


@bp.route("/")
@permission(SIGNED_IN)
def overview(code: str):
    project, access = load_project(code)
    periods = queries.recent_periods(project, today())
    reports = queries.latest_reports(db.session, project.id, [p.code for p in periods])
    history = queries.light_history(db.session, project.id)
    current = periods[0]
    form = ToleranceForm(formdata=None, obj=project)
    form.version_id.data = project.version_id
    return render("reporting/overview.html", project=project, access=access, periods=periods,
                  reports=reports, current=current,
                  missing=queries.not_reported(project, reports, current.code),
                  history=history, history_figure=charts.light_history(history, {
                      "dimensions": dimension_labels(), "lights": light_labels()}),
                  tolerance_form=form, **_labels())


@bp.route("/toleranser", methods=["POST"])
@permission(SIGNED_IN)
def tolerances(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    form = ToleranceForm()
    status = 422
    if form.validate():
        try:
            service.set_tolerances(db.session, current_user, project, service.ToleranceInput(
                reporting_frequency=form.reporting_frequency.data,
                time_tolerance_days=form.time_tolerance_days.data,
                cost_tolerance_percent=form.cost_tolerance_percent.data,
                benefit_tolerance_percent=form.benefit_tolerance_percent.data,
                scope_tolerance=form.scope_tolerance.data or "",
                quality_tolerance=form.quality_tolerance.data or ""),
                submitted_version(form))
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "time_tolerance_days")
        except (StaleEdit, StaleDataError):
            # 409 with the current values in the form, not a redirect that drops the edit.
            db.session.rollback()
            db.session.refresh(project)
            flash(_("Noen andre lagret prosjektet i mellomtiden. Se over verdiene og lagre "
                    "på nytt."), "warning")
            form = ToleranceForm(formdata=None, obj=project)
            form.version_id.data = project.version_id
            status = 409
        else:
            flash(_("Toleransene er lagret."), "success")
            return redirect(url_for("reporting.overview", code=project.code), code=303)
    periods = queries.recent_periods(project, today())
    reports = queries.latest_reports(db.session, project.id, [p.code for p in periods])
    history = queries.light_history(db.session, project.id)
    return render("reporting/overview.html", status=status, project=project, access=access,
                  periods=periods, reports=reports, current=periods[0],
                  missing=queries.not_reported(project, reports, periods[0].code),
                  history=history, history_figure=charts.light_history(history, {
                      "dimensions": dimension_labels(), "lights": light_labels()}),
                  tolerance_form=form, **_labels())


def _period_context(project: Project, period) -> dict:
    reports = queries.latest_reports(db.session, project.id, [period.code])
    org_reports = [reports[(period.code, o.id)] for o in project.participants
                   if (period.code, o.id) in reports]
    # A past period is judged as it stood at its end, not by today's figures.
    state = project_state(project, min(today(), period.end))
    # Only published reports count in the suggestion: a draft may still change.
    suggestions = queries.suggest(project, state["rows"], state["risks"], state["views"],
                                  [r for r in org_reports if r.published], state["day"],
                                  budget=state["budget"])
    return {"period": period, "project_report": reports.get((period.code, None)),
            "org_reports": {r.organisation_id: r for r in org_reports},
            "missing": queries.not_reported(project, reports, period.code),
            "suggestions": suggestions, "state": state}


@bp.route("/<period_code>")
@permission(SIGNED_IN)
def period(code: str, period_code: str):
    """The period's project report beside each municipality's, with the suggested lights."""
    project, access = load_project(code)
    chosen = _period(project, period_code)
    return render("reporting/period.html", project=project, access=access,
                  can_write=lambda org_id: can_write(access, org_id),
                  **_period_context(project, chosen), **_labels())


def _form_from(report: StatusReport) -> ReportForm:
    form = ReportForm(formdata=None, obj=report)
    for dimension in Dimension:
        light = report.light(dimension)
        getattr(form, dimension.value).data = light.value if light else ""
    form.version_id.data = report.version_id
    return form


def _input(form: ReportForm) -> service.ReportInput:
    lights, comments = {}, {}
    for dimension in Dimension:
        raw = getattr(form, dimension.value).data
        lights[dimension] = Light(raw) if raw else None
        comments[dimension] = getattr(form, f"{dimension.value}_comment").data or ""
    return service.ReportInput(
        lights=lights, comments=comments, done_this_period=form.done_this_period.data or "",
        next_period=form.next_period.data or "", needs_decision=form.needs_decision.data or "",
        override_reason=form.override_reason.data or "")


def _organisation_id(project: Project, raw: str) -> int | None:
    """"prosjekt" is the project's report; otherwise a participant's id."""
    if raw == "prosjekt":
        return None
    if not raw.isdigit() or len(raw) > 9:
        abort(404)
    if int(raw) not in {o.id for o in project.participants}:
        abort(404)
    return int(raw)


@bp.route("/<period_code>/<who>", methods=["GET", "POST"])
@permission(SIGNED_IN)
def write(code: str, period_code: str, who: str):
    """Write (or go on with) the period's report for the project or one organisation."""
    project, access = load_project(code)
    chosen = _period(project, period_code)
    organisation_id = _organisation_id(project, who)
    require(can_write(access, organisation_id))
    context = _period_context(project, chosen)
    report = service.latest(db.session, project.id, chosen.code, organisation_id)
    if report is not None and report.published and request.method == "GET":
        return redirect(url_for("reporting.read", code=project.code, report_id=report.id),
                        code=303)
    # A save or publish of a published report goes on to the service, which refuses it
    # (422 with the message): the edits are not dropped without a word.
    page = {"project": project, "access": access, "organisation_id": organisation_id,
            "organisation": next((o for o in project.participants if o.id == organisation_id),
                                 None), **context, **_labels()}
    suggested = context["suggestions"][Dimension.OVERALL].light if organisation_id is None \
        else None
    if request.method == "GET":
        form = _form_from(report) if report is not None else ReportForm(formdata=None)
        if report is None:
            form.version_id.data = 0
            if organisation_id is None:
                for dimension, suggestion in context["suggestions"].items():
                    if suggestion.light is not None:
                        getattr(form, dimension.value).data = suggestion.light.value
        return render("reporting/write.html", form=form, report=report, **page)
    form = ReportForm()
    if not form.validate():
        return render("reporting/write.html", form=form, report=report, status=422, **page)
    try:
        if report is None:
            if submitted_version(form) != 0:
                raise StaleEdit()
            report = service.start_report(db.session, current_user, project, chosen,
                                          organisation_id)
            version = report.version_id
        else:
            version = submitted_version(form)
        service.save_report(db.session, current_user, report, _input(form), version,
                            suggested)
        if request.form.get("action") == "publish":
            db.session.flush()
            service.publish(db.session, current_user, report, _snapshot(project),
                            report.version_id)
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        attach_error(form, error, "overall")
        report = service.latest(db.session, project.id, chosen.code, organisation_id)
        return render("reporting/write.html", form=form, report=report, status=422, **page)
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        report = service.latest(db.session, project.id, chosen.code, organisation_id)
        if report is not None:
            db.session.refresh(report)
        return render("reporting/write.html", form=_form_from(report) if report else form,
                      report=report, status=409, conflict=True, **page)
    if report.published:
        flash(_("Rapporten er publisert."), "success")
        return redirect(url_for("reporting.read", code=project.code, report_id=report.id),
                        code=303)
    flash(_("Utkastet er lagret."), "success")
    return redirect(url_for("reporting.write", code=project.code, period_code=chosen.code,
                            who=who), code=303)


def _snapshot(project: Project) -> dict:
    state = project_state(project)
    return queries.snapshot(state["rows"], state["risks"], state["top"], state["views"],
                            finance_queries.budget_snapshot(state["budget"]))


@bp.route("/rapport/<int:report_id>")
@permission(SIGNED_IN)
def read(code: str, report_id: int):
    """A report as written; a published one with the project as it was then."""
    project, access = load_project(code)
    report = queries.by_id(db.session, project.id, report_id) or abort(404)
    statuses = milestone_status_labels()
    return render("reporting/report.html", project=project, access=access, report=report,
                  snapshot_status=lambda value: statuses[MilestoneStatus(value)],
                  versions=queries.versions(db.session, project.id, report.period,
                                            report.organisation_id),
                  can_write=can_write(access, report.organisation_id), **_labels())


@bp.route("/rapport/<int:report_id>/rett", methods=["POST"])
@permission(SIGNED_IN)
def correct(code: str, report_id: int):
    """A correction: a new draft version; the published one stays as it was."""
    project, access = load_project(code)
    report = queries.by_id(db.session, project.id, report_id) or abort(404)
    require(can_write(access, report.organisation_id))
    try:
        service.correct(db.session, current_user, report)
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        flash(error.text(), "error")
        return redirect(url_for("reporting.read", code=project.code, report_id=report.id),
                        code=303)
    flash(_("En ny versjon er laget som utkast. Den publiserte versjonen blir stående."),
          "success")
    who = "prosjekt" if report.organisation_id is None else str(report.organisation_id)
    return redirect(url_for("reporting.write", code=project.code, period_code=report.period,
                            who=who), code=303)
