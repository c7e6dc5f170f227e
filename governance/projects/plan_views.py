"""Milestones: the table with inline progress updates, summary, trend chart and timeline."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_blocks
from sqlalchemy.orm.exc import StaleDataError

from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error, submitted_version
from governance.projects import charts, plan, plan_queries
from governance.projects.forms import phase_labels
from governance.projects.models import DecisionPoint, Milestone, Project
from governance.projects.plan import MilestoneStatus
from governance.projects.plan_forms import (
    MilestoneForm,
    ProgressForm,
    decision_point_labels,
    milestone_status_labels,
)
from governance.projects.views import load_project
from governance.roles import queries as role_queries
from governance.roles.models import GroupKind
from governance.roles.policy import ProjectAccess
from governance.web import SIGNED_IN, int_arg, permission, render, require, wants_fragment

bp = Blueprint("plan", __name__, url_prefix="/prosjekter/<code>")

CHANGED = "milestones-changed"

# Status colours (with a word and a symbol beside them, never colour alone).
STATUS_STYLES = [
    (MilestoneStatus.DONE, "#1a7f37", "circle"),
    (MilestoneStatus.ON_TRACK, "#1e5aa8", "circle-open"),
    (MilestoneStatus.AT_RISK, "#8a4b00", "triangle-up"),
    (MilestoneStatus.LATE, "#b3261e", "x"),
]


def today() -> date:
    """The app's today; tests may fix it with the GOVERNANCE_TODAY setting."""
    fixed = current_app.config.get("GOVERNANCE_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def can_report(access: ProjectAccess, milestone: Milestone) -> bool:
    """Update forecast, actual date and comment: the leaders; the lead of the organisation
    the milestone belongs to; its work group; its responsible person."""
    return (
        access.can_edit
        or (milestone.organisation_id is not None
            and milestone.organisation_id in access.own_organisation_ids)
        or access.can_edit_group_work(milestone.group_id)
        or (milestone.responsible_person_id is not None
            and milestone.responsible_person_id in access.person_ids)
    )


def _milestone(project: Project, milestone_id: int) -> Milestone:
    found = plan_queries.milestone(db.session, project.id, milestone_id)
    if found is None:
        abort(404)
    return found


def _filters() -> plan_queries.MilestoneFilter:
    raw = request.args.get("status", "")
    try:
        status = MilestoneStatus(raw) if raw else None
    except ValueError:
        status = None
    return plan_queries.MilestoneFilter(status=status, organisation_id=int_arg("organisasjon"))


def _labels() -> dict:
    return {
        "status_labels": milestone_status_labels(),
        "decision_point_labels": decision_point_labels(),
        "phase_labels": phase_labels(),
        "Status": MilestoneStatus,
    }


def _decision_label(decision) -> str:
    if decision.decision_point is not None:
        return decision.decision_point.name
    return decision.case_number or decision.title[:30]


def chart_context(project: Project, rows: list[plan_queries.MilestoneRow]) -> dict:
    """The trend chart and the timeline, with the data their tables show."""
    day = today()
    lines = plan_queries.trend_lines(db.session, project, rows)
    periods = plan_queries.phase_periods(plan_queries.phase_history(db.session, project.id))
    decisions = [
        (entry.decision.decided_on, _decision_label(entry.decision))
        for entry in plan_queries.decision_log(db.session, project.id)
        if entry.superseded_by is None
    ]
    trend = charts.trend_figure(lines, day, {
        "reported": _("Rapportert"), "expected": _("Forventet dato"), "today": _("I dag"),
        "diagonal": _("Rapportert = forventet"),
    }) if lines else None
    timeline = charts.timeline_figure(periods, decisions, rows, day, {
        "phases": _("Faser"), "decisions": _("Vedtak"), "milestones": _("Milepæler"),
        "today": _("I dag"), "phase_names": phase_labels(),
        "status_names": milestone_status_labels(), "status_styles": STATUS_STYLES,
    })
    return {"trend": trend, "trend_lines": lines, "timeline": timeline, "periods": periods,
            "timeline_decisions": decisions, "today": day}


def _page_context(project: Project, access: ProjectAccess, filters=None) -> dict:
    all_rows = plan_queries.milestone_rows(db.session, project, today())
    rows = all_rows
    if filters is not None and (filters.status or filters.organisation_id):
        rows = plan_queries.milestone_rows(db.session, project, today(), filters)
    return {
        "project": project, "access": access, "rows": rows, "all_rows": all_rows,
        "summary": plan_queries.summary(all_rows), "filters": filters,
        "can_report": lambda m: can_report(access, m), **_labels(),
        **chart_context(project, all_rows),
    }


@bp.route("/milepaler")
@permission(SIGNED_IN)
def milestones(code: str):
    project, access = load_project(code)
    context = _page_context(project, access, _filters())
    return render("plan/milestones.html", block="results", **context)


def _form_choices(form: MilestoneForm, project: Project) -> None:
    chart = role_queries.project_organisation(db.session, project.id)
    form.set_choices(
        role_queries.people(db.session), project.participants,
        [g for g in chart.groups if g.kind == GroupKind.WORK_GROUP],
    )


def _milestone_input(form: MilestoneForm) -> plan.MilestoneInput:
    return plan.MilestoneInput(
        title=form.title.data or "", description=form.description.data or "",
        responsible_person_id=form.responsible_person_id.data,
        organisation_id=form.organisation_id.data, group_id=form.group_id.data,
        decision_point=DecisionPoint(form.decision_point.data) if form.decision_point.data
        else None,
        baseline_date=form.baseline_date.data, forecast_date=form.forecast_date.data,
        actual_date=form.actual_date.data, comment=form.comment.data or "",
    )


@bp.route("/milepaler/ny", methods=["GET", "POST"])
@permission(SIGNED_IN)
def create_milestone(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    form = MilestoneForm()
    _form_choices(form, project)
    if request.method == "POST" and form.validate():
        try:
            created = plan.create_milestone(
                db.session, current_user, project, _milestone_input(form),
                for_every_participant=bool(form.for_every_participant.data), today=today())
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "title")
        else:
            db.session.commit()
            if len(created) > 1:
                flash(_("Milepælen er opprettet for %(num)d organisasjoner.", num=len(created)),
                      "success")
            else:
                flash(_("Milepælen er opprettet."), "success")
            return redirect(url_for("plan.milestones", code=project.code), code=303)
    status = 422 if request.method == "POST" else 200
    return render("plan/milestone_form.html", form=form, project=project, milestone=None,
                  status=status)


def _edit_form_from(project: Project, milestone: Milestone) -> MilestoneForm:
    form = MilestoneForm(formdata=None, obj=milestone)
    form.decision_point.data = milestone.decision_point.value if milestone.decision_point else ""
    form.version_id.data = milestone.version_id
    _form_choices(form, project)
    return form


@bp.route("/milepaler/<int:milestone_id>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def edit_milestone(code: str, milestone_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    milestone = _milestone(project, milestone_id)
    context = {"project": project, "milestone": milestone}
    if request.method == "GET":
        return render("plan/milestone_form.html", form=_edit_form_from(project, milestone),
                      **context)
    form = MilestoneForm()
    _form_choices(form, project)
    if not form.validate():
        return render("plan/milestone_form.html", form=form, status=422, **context)
    try:
        plan.update_milestone(db.session, current_user, project, milestone,
                              _milestone_input(form), submitted_version(form), today=today())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        attach_error(form, error, "title")
        return render("plan/milestone_form.html", form=form, status=422, **context)
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        current = _milestone(project, milestone_id)
        db.session.refresh(current)
        return render("plan/milestone_form.html", form=_edit_form_from(project, current),
                      status=409, conflict=True, project=project, milestone=current)
    flash(_("Milepælen er lagret."), "success")
    return redirect(url_for("plan.milestone_detail", code=project.code,
                            milestone_id=milestone.id), code=303)


@bp.route("/milepaler/<int:milestone_id>")
@permission(SIGNED_IN)
def milestone_detail(code: str, milestone_id: int):
    project, access = load_project(code)
    milestone = _milestone(project, milestone_id)
    row = plan_queries.milestone_row(db.session, project, milestone, today())
    return render("plan/milestone.html", project=project, access=access, row=row,
                  milestone=milestone,
                  changes=plan_queries.date_changes(db.session, milestone.id),
                  can_report=can_report(access, milestone), **_labels())


def _progress_form(milestone: Milestone | None = None) -> ProgressForm:
    prefix = f"m{milestone.id}" if milestone is not None else ""
    if milestone is None:
        return ProgressForm(prefix=prefix)
    form = ProgressForm(formdata=None, obj=milestone, prefix=prefix)
    form.version_id.data = milestone.version_id
    return form


def _row_response(project, access, milestone, *, form=None, status=200, saved=False,
                  focus=False):
    """The milestone's row (shown, or as a form) and, after a save, the summary and the
    charts out of band, so the page agrees with itself without a reload."""
    row = plan_queries.milestone_row(db.session, project, milestone, today())
    context = {"project": project, "access": access, "row": row, "form": form,
               "can_report": lambda m: can_report(access, m), "saved": saved,
               "focus": saved or focus, **_labels()}
    if saved:
        # The charts fetch themselves again on the milestones-changed event (their own
        # fragment, plan.milestone_charts), which keeps this answer small and quick.
        context.update(summary=plan_queries.status_summary(db.session, project, today()),
                       oob=True)
        # The row is table content: the out-of-band parts travel in a <template>, so the
        # browser does not parse them as (misplaced) table content.
        body = (render_blocks("plan/milestones.html", ["row"], **context) + "<template>"
                + render_blocks("plan/milestones.html", ["summary"], **context)
                + "</template>")
    else:
        body = render_blocks("plan/milestones.html",
                             ["edit_row" if form is not None else "row"], **context)
    response = current_app.make_response((body, status))
    response.vary.add("HX-Request")
    if saved:
        response.headers["HX-Trigger"] = CHANGED
    return response


@bp.route("/milepaler/diagrammer")
@permission(SIGNED_IN)
def milestone_charts(code: str):
    """The trend chart and the timeline (htmx: drawn again after a milestone changed)."""
    project, access = load_project(code)
    if not wants_fragment():
        return redirect(url_for("plan.milestones", code=project.code), code=303)
    all_rows = plan_queries.milestone_rows(db.session, project, today())
    return render("plan/milestones.html", block="charts", project=project, access=access,
                  all_rows=all_rows, **_labels(), **chart_context(project, all_rows))


@bp.route("/milepaler/<int:milestone_id>/rad")
@permission(SIGNED_IN)
def milestone_row(code: str, milestone_id: int):
    """The row as shown (htmx: cancel an inline edit)."""
    project, access = load_project(code)
    milestone = _milestone(project, milestone_id)
    if not wants_fragment():
        return redirect(url_for("plan.milestones", code=project.code), code=303)
    return _row_response(project, access, milestone, focus=True)


@bp.route("/milepaler/<int:milestone_id>/oppdater", methods=["GET", "POST"])
@permission(SIGNED_IN)
def report_progress(code: str, milestone_id: int):
    """Forecast, actual date and comment, in place in the table (or on a page of its own
    without JavaScript). A stale version gets 409 with the current values."""
    project, access = load_project(code)
    milestone = _milestone(project, milestone_id)
    require(can_report(access, milestone))
    page = "plan/progress_form.html"
    if request.method == "GET":
        form = _progress_form(milestone)
        if wants_fragment():
            return _row_response(project, access, milestone, form=form)
        return render(page, project=project, milestone=milestone, form=form)
    form = ProgressForm(prefix=f"m{milestone.id}")
    status = 422
    if form.validate():
        try:
            plan.report_progress(
                db.session, current_user, milestone, forecast_date=form.forecast_date.data,
                actual_date=form.actual_date.data, comment=form.comment.data or "",
                version_id=submitted_version(form), today=today())
            db.session.commit()
            status = 200
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "forecast_date")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            milestone = _milestone(project, milestone_id)
            db.session.refresh(milestone)
            form = _progress_form(milestone)
            form.conflict = True
            status = 409
    if status == 200:
        if not wants_fragment():
            flash(_("Milepælen «%(title)s» er oppdatert.", title=milestone.title), "success")
            return redirect(url_for("plan.milestones", code=project.code), code=303)
        return _row_response(project, access, milestone, saved=True)
    if not wants_fragment():
        return render(page, project=project, milestone=milestone, form=form, status=status,
                      conflict=status == 409)
    return _row_response(project, access, milestone, form=form, status=status)


@bp.route("/milepaler/<int:milestone_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def delete_milestone(code: str, milestone_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    milestone = _milestone(project, milestone_id)
    title = milestone.title
    plan.delete_milestone(db.session, current_user, milestone)
    db.session.commit()
    flash(_("Milepælen «%(title)s» er flyttet til papirkurven.", title=title), "success")
    return redirect(url_for("plan.milestones", code=project.code), code=303)


@bp.route("/milepaler/grunnlinje", methods=["POST"])
@permission(SIGNED_IN)
def set_baseline(code: str):
    """The plan is approved: the forecasts of open milestones become their baseline."""
    project, access = load_project(code)
    require(access.can_edit)
    changed = plan.set_baseline(db.session, current_user, project, today=today())
    db.session.commit()
    flash(_("Grunnlinjen er satt for %(num)d milepæler.", num=changed), "success")
    return redirect(url_for("plan.milestones", code=project.code), code=303)
