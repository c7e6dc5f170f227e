"""Phases and checklists, the decision log, steering group meetings and the calendar feed."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_blocks
from sqlalchemy.orm.exc import StaleDataError

from governance.db_base import utcnow
from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error, submitted_version
from governance.i18n import format_date
from governance.projects import calendar, decisions, plan_queries
from governance.projects.checklists import PHASE_ORDER, next_phase
from governance.projects.forms import phase_labels
from governance.projects.models import (
    CheckpointStatus,
    DecisionBody,
    DecisionOutcome,
    DecisionPoint,
    Phase,
    Project,
)
from governance.projects.plan_forms import (
    AgendaItemForm,
    CheckpointForm,
    DecisionForm,
    MeetingForm,
    NewCheckpointForm,
    PhaseChangeForm,
    body_labels,
    checkpoint_status_labels,
    decision_point_labels,
    outcome_labels,
)
from governance.projects.plan_views import today
from governance.projects.views import load_project
from governance.roles import queries as role_queries
from governance.roles.models import User
from governance.roles.policy import project_access
from governance.web import PUBLIC, SIGNED_IN, int_arg, permission, render, require, wants_fragment

bp = Blueprint("decisions", __name__, url_prefix="/prosjekter/<code>")
feed_bp = Blueprint("calendar_feed", __name__)


def _labels() -> dict:
    return {
        "phase_labels": phase_labels(), "checkpoint_status_labels": checkpoint_status_labels(),
        "decision_point_labels": decision_point_labels(), "body_labels": body_labels(),
        "outcome_labels": outcome_labels(), "PHASE_ORDER": PHASE_ORDER,
        "CheckpointStatus": CheckpointStatus,
    }


# --- Phases and checklists -------------------------------------------------------------------


def _checkpoint_form(checkpoint, formdata=False) -> CheckpointForm:
    prefix = f"c{checkpoint.id}"
    if formdata:
        return CheckpointForm(prefix=prefix)
    form = CheckpointForm(formdata=None, obj=checkpoint, prefix=prefix)
    form.status.data = checkpoint.status.value
    form.version_id.data = checkpoint.version_id
    return form


def _phase_change_form(project: Project, formdata=True) -> PhaseChangeForm:
    form = PhaseChangeForm() if formdata else PhaseChangeForm(formdata=None)
    if not formdata:
        following = next_phase(project.phase)
        form.phase.data = following.value if following else project.phase.value
        form.started_on.data = today()
    return form


def _phases_page(project, access, *, status=200, phase_form=None, new_form=None,
                 row_forms=None):
    lists = plan_queries.checklists(db.session, project.id)
    # Only a refused row has a form object; the others are drawn from the checkpoint itself
    # (plan/_checkpoint.html), as one WTForms form per checkpoint is slow on long lists.
    forms = dict(row_forms or {})
    return render(
        "plan/phases.html", status=status, project=project, access=access,
        periods=plan_queries.phase_periods(plan_queries.phase_history(db.session, project.id)),
        checklists=lists, forms=forms,
        blocking=decisions.open_mandatory(db.session, project.id, project.phase),
        phase_form=phase_form or _phase_change_form(project, formdata=False),
        new_form=new_form or NewCheckpointForm(formdata=None, phase=project.phase.value),
        # Translated once, not once per checkpoint.
        **{**_labels(), "checkpoint_status_labels": {
            status: str(label) for status, label in checkpoint_status_labels().items()}},
    )


@bp.route("/faser")
@permission(SIGNED_IN)
def phases(code: str):
    project, access = load_project(code)
    return _phases_page(project, access)


@bp.route("/faser/bytt", methods=["POST"])
@permission(SIGNED_IN)
def phase_change(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    form = _phase_change_form(project)
    if form.validate():
        try:
            decisions.change_phase(db.session, current_user, project, Phase(form.phase.data),
                                   form.started_on.data, form.note.data or "", today=today())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "phase")
        else:
            flash(_("Prosjektet er nå i fasen %(phase)s.",
                    phase=phase_labels()[project.phase]), "success")
            return redirect(url_for("decisions.phases", code=project.code), code=303)
    return _phases_page(project, access, status=422, phase_form=form)


def _checkpoint(project: Project, checkpoint_id: int):
    found = plan_queries.checkpoint(db.session, project.id, checkpoint_id)
    if found is None:
        abort(404)
    return found


@bp.route("/faser/sjekkpunkt/<int:checkpoint_id>", methods=["POST"])
@permission(SIGNED_IN)
def phase_checkpoint(code: str, checkpoint_id: int):
    """A checkpoint's status and comment; htmx swaps only its item."""
    project, access = load_project(code)
    require(access.can_edit)
    checkpoint = _checkpoint(project, checkpoint_id)
    form = _checkpoint_form(checkpoint, formdata=True)
    status = 422
    if form.validate():
        try:
            decisions.set_checkpoint(db.session, current_user, checkpoint,
                                     status=CheckpointStatus(form.status.data),
                                     comment=form.comment.data or "",
                                     version_id=submitted_version(form))
            db.session.commit()
            status = 200
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            checkpoint = _checkpoint(project, checkpoint_id)
            db.session.refresh(checkpoint)
            form = _checkpoint_form(checkpoint)
            form.conflict = True
            status = 409
    if status == 200:
        if not wants_fragment():
            flash(_("Sjekkpunktet er lagret."), "success")
            return redirect(url_for("decisions.phases", code=project.code), code=303)
        form = _checkpoint_form(checkpoint)
    elif not wants_fragment():
        return _phases_page(project, access, status=status, row_forms={checkpoint.id: form})
    context = {"project": project, "access": access, "item": checkpoint, "form": form,
               "saved": status == 200, **_labels()}
    body = render_blocks("plan/phases.html", ["checkpoint"], **context)
    if status == 200:
        # The phase's count and the project's line about open mandatory checkpoints.
        body += render_blocks(
            "plan/phases.html", ["phase_status", "checklist_count"], oob=True,
            phase=checkpoint.phase,
            items=plan_queries.checklists(db.session, project.id)[checkpoint.phase],
            blocking=decisions.open_mandatory(db.session, project.id, project.phase),
            **context)
    response = current_app.make_response((body, status))
    response.vary.add("HX-Request")
    return response


@bp.route("/faser/sjekkpunkt/ny", methods=["POST"])
@permission(SIGNED_IN)
def phase_checkpoint_add(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    form = NewCheckpointForm()
    if form.validate():
        try:
            decisions.add_checkpoint(db.session, current_user, project,
                                     phase=Phase(form.phase.data), text=form.text.data or "",
                                     mandatory=bool(form.mandatory.data))
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "text")
        else:
            flash(_("Sjekkpunktet er lagt til."), "success")
            return redirect(url_for("decisions.phases", code=project.code), code=303)
    return _phases_page(project, access, status=422, new_form=form)


@bp.route("/faser/sjekkpunkt/<int:checkpoint_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def phase_checkpoint_delete(code: str, checkpoint_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    decisions.delete_checkpoint(db.session, current_user, _checkpoint(project, checkpoint_id))
    db.session.commit()
    flash(_("Sjekkpunktet er flyttet til papirkurven."), "success")
    return redirect(url_for("decisions.phases", code=project.code), code=303)


# --- Decisions -------------------------------------------------------------------------------


@bp.route("/vedtak")
@permission(SIGNED_IN)
def log(code: str):
    project, access = load_project(code)
    return render("plan/decisions.html", project=project, access=access,
                  entries=plan_queries.decision_log(db.session, project.id), **_labels())


def _decision_form(project: Project, formdata=True, **kwargs) -> DecisionForm:
    form = DecisionForm(**kwargs) if formdata else DecisionForm(formdata=None, **kwargs)
    form.set_choices(plan_queries.meetings(db.session, project.id), format_date)
    return form


def _decision_input(form: DecisionForm) -> decisions.DecisionInput:
    return decisions.DecisionInput(
        decision_point=DecisionPoint(form.decision_point.data) if form.decision_point.data
        else None,
        title=form.title.data or "", decided_on=form.decided_on.data,
        body=DecisionBody(form.body.data) if form.body.data else None,
        case_number=form.case_number.data or "",
        outcome=DecisionOutcome(form.outcome.data) if form.outcome.data else None,
        conditions=form.conditions.data or "", text=form.text.data or "",
        meeting_id=form.meeting_id.data,
    )


def _save_decision(project, access, form, superseded=None):
    try:
        decision, moved = decisions.record_decision(
            db.session, current_user, project, _decision_input(form), supersedes=superseded,
            today=today())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        attach_error(form, error, "decision_point")
        return None
    if moved == "closed":
        flash(_("Vedtaket er registrert, og prosjektet er avsluttet."), "success")
    elif moved:
        flash(_("Vedtaket er registrert, og prosjektet er nå i fasen %(phase)s.",
                phase=phase_labels()[Phase(moved)]), "success")
    else:
        flash(_("Vedtaket er registrert."), "success")
    if superseded is not None and superseded.approved and not decision.approved:
        flash(_("Det rettede vedtaket var godkjent. Fasen er ikke endret tilbake: endre den på "
                "fasesiden om det trengs."), "warning")
    return redirect(url_for("decisions.log", code=project.code) + f"#vedtak-{decision.id}",
                    code=303)


@bp.route("/vedtak/nytt", methods=["GET", "POST"])
@permission(SIGNED_IN)
def record(code: str):
    project, access = load_project(code)
    require(access.can_decide)
    if request.method == "GET":
        form = _decision_form(project, formdata=False, decided_on=today())
        form.meeting_id.data = int_arg("mote")
        if form.meeting_id.data is not None:
            meeting = plan_queries.meeting(db.session, project.id, form.meeting_id.data)
            if meeting is not None:
                form.decided_on.data = meeting.meeting_date
                form.body.data = meeting.body.value
        return render("plan/decision_form.html", project=project, form=form, superseded=None)
    form = _decision_form(project)
    if form.validate():
        saved = _save_decision(project, access, form)
        if saved is not None:
            return saved
    return render("plan/decision_form.html", project=project, form=form, superseded=None,
                  status=422)


@bp.route("/vedtak/<int:decision_id>/rett", methods=["GET", "POST"])
@permission(SIGNED_IN)
def correct(code: str, decision_id: int):
    """A correction is a new decision that supersedes the old one; both stay in the log."""
    project, access = load_project(code)
    require(access.can_decide)
    old = plan_queries.decision(db.session, project.id, decision_id)
    if old is None:
        abort(404)
    if request.method == "GET":
        form = _decision_form(project, formdata=False, obj=old)
        form.decision_point.data = old.decision_point.value if old.decision_point else ""
        form.body.data = old.body.value
        form.outcome.data = old.outcome.value
        return render("plan/decision_form.html", project=project, form=form, superseded=old)
    form = _decision_form(project)
    if form.validate():
        saved = _save_decision(project, access, form, superseded=old)
        if saved is not None:
            return saved
    return render("plan/decision_form.html", project=project, form=form, superseded=old,
                  status=422)


# --- Meetings --------------------------------------------------------------------------------


def _meeting(project: Project, meeting_id: int):
    found = plan_queries.meeting(db.session, project.id, meeting_id)
    if found is None:
        abort(404)
    return found


def _meeting_input(form: MeetingForm) -> decisions.MeetingInput:
    return decisions.MeetingInput(
        body=DecisionBody(form.body.data) if form.body.data else None,
        meeting_date=form.meeting_date.data, starts_at=form.starts_at.data,
        location=form.location.data or "", notes=form.notes.data or "",
    )


@bp.route("/moter")
@permission(SIGNED_IN)
def meetings(code: str):
    project, access = load_project(code)
    day = today()
    every = plan_queries.meetings(db.session, project.id)
    return render("plan/meetings.html", project=project, access=access,
                  upcoming=[m for m in reversed(every) if m.meeting_date >= day],
                  past=[m for m in every if m.meeting_date < day], **_labels())


@bp.route("/moter/nytt", methods=["GET", "POST"])
@permission(SIGNED_IN)
def meeting_create(code: str):
    project, access = load_project(code)
    require(access.can_decide)
    form = MeetingForm() if request.method == "POST" else MeetingForm(
        formdata=None, body=DecisionBody.STEERING_GROUP.value)
    if request.method == "POST" and form.validate():
        try:
            meeting = decisions.create_meeting(db.session, current_user, project,
                                               _meeting_input(form))
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "meeting_date")
        else:
            flash(_("Møtet er lagt inn. Legg til sakene på sakslisten."), "success")
            return redirect(url_for("decisions.meeting_detail", code=project.code,
                                    meeting_id=meeting.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render("plan/meeting_form.html", project=project, form=form, meeting=None,
                  status=status)


@bp.route("/moter/<int:meeting_id>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def meeting_edit(code: str, meeting_id: int):
    project, access = load_project(code)
    require(access.can_decide)
    meeting = _meeting(project, meeting_id)

    def stored_form():
        form = MeetingForm(formdata=None, obj=meeting)
        form.body.data = meeting.body.value
        form.version_id.data = meeting.version_id
        return form

    if request.method == "GET":
        return render("plan/meeting_form.html", project=project, form=stored_form(),
                      meeting=meeting)
    form = MeetingForm()
    if form.validate():
        try:
            decisions.update_meeting(db.session, current_user, meeting, _meeting_input(form),
                                     submitted_version(form))
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "meeting_date")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            meeting = _meeting(project, meeting_id)
            db.session.refresh(meeting)
            return render("plan/meeting_form.html", project=project, form=stored_form(),
                          meeting=meeting, conflict=True, status=409)
        else:
            flash(_("Møtet er lagret."), "success")
            return redirect(url_for("decisions.meeting_detail", code=project.code,
                                    meeting_id=meeting.id), code=303)
    return render("plan/meeting_form.html", project=project, form=form, meeting=meeting,
                  status=422)


def _meeting_page(project, access, meeting, *, item_form=None, status=200):
    return render("plan/meeting.html", status=status, project=project, access=access,
                  meeting=meeting, item_form=item_form or AgendaItemForm(formdata=None),
                  decisions=plan_queries.meeting_decisions(db.session, meeting.id),
                  **_labels())


@bp.route("/moter/<int:meeting_id>")
@permission(SIGNED_IN)
def meeting_detail(code: str, meeting_id: int):
    project, access = load_project(code)
    return _meeting_page(project, access, _meeting(project, meeting_id))


@bp.route("/moter/<int:meeting_id>/saker", methods=["POST"])
@permission(SIGNED_IN)
def meeting_item_add(code: str, meeting_id: int):
    project, access = load_project(code)
    require(access.can_decide)
    meeting = _meeting(project, meeting_id)
    form = AgendaItemForm()
    if form.validate():
        try:
            decisions.add_agenda_item(db.session, current_user, meeting,
                                      case_number=form.case_number.data or "",
                                      title=form.title.data or "")
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "title")
        else:
            flash(_("Saken er lagt til på sakslisten."), "success")
            return redirect(url_for("decisions.meeting_detail", code=project.code,
                                    meeting_id=meeting.id), code=303)
    return _meeting_page(project, access, meeting, item_form=form, status=422)


@bp.route("/moter/<int:meeting_id>/saker/<int:item_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def meeting_item_delete(code: str, meeting_id: int, item_id: int):
    project, access = load_project(code)
    require(access.can_decide)
    meeting = _meeting(project, meeting_id)
    item = next((i for i in meeting.items if i.id == item_id), None)
    if item is None:
        abort(404)
    decisions.remove_agenda_item(db.session, current_user, meeting, item)
    db.session.commit()
    flash(_("Saken er flyttet til papirkurven."), "success")
    return redirect(url_for("decisions.meeting_detail", code=project.code,
                            meeting_id=meeting.id), code=303)


# --- Calendar feed ---------------------------------------------------------------------------


@bp.route("/kalender", methods=["GET", "POST"])
@permission(SIGNED_IN)
def calendar_settings(code: str):
    """Each user's own secret feed address. The address is shown once, when it is made."""
    project, access = load_project(code)
    new_url = None
    if request.method == "POST":
        action = request.form.get("action", "")
        if action == "create":
            token = decisions.create_calendar_token(db.session, current_user, project)
            db.session.commit()
            new_url = url_for("calendar_feed.feed", token=token, _external=True)
        elif action == "revoke":
            decisions.revoke_calendar_token(db.session, current_user, project)
            db.session.commit()
            flash(_("Kalenderadressen er stoppet. Kalendere som abonnerte på den, får ikke "
                    "lenger noe."), "success")
            return redirect(url_for("decisions.calendar_settings", code=project.code),
                            code=303)
        else:
            abort(400)
    active = decisions.active_calendar_token(db.session, current_user.id, project.id)
    return render("plan/calendar.html", project=project, access=access, active=active,
                  new_url=new_url)


@feed_bp.route("/kalender/<token>.ics")
@permission(PUBLIC)
def feed(token: str):
    """The feed behind a secret address: nothing without a valid, unrevoked token whose owner
    is still active and may still see the project."""
    found = decisions.find_calendar_token(db.session, token)
    if found is None:
        abort(404)
    user = db.session.get(User, found.user_id)
    project = db.session.get(Project, found.project_id)
    if user is None or not user.is_active or project is None:
        abort(404)
    access = project_access(
        user, role_queries.active_roles(db.session, user.id, project.id),
        role_queries.active_memberships(db.session, user.id, project.id))
    if not access.can_view:
        abort(404)
    found.last_used_at = utcnow()
    db.session.commit()
    with force_locale(user.locale or "nb"):
        body = _feed_body(project)
    response = current_app.make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{project.code}.ics"'
    return response


def _feed_body(project: Project) -> bytes:
    rows = plan_queries.milestone_rows(db.session, project, today())
    entries = plan_queries.decision_log(db.session, project.id)
    return calendar.build_feed(
        project, [row.milestone for row in rows],
        [e.decision for e in entries if e.superseded_by is None],
        plan_queries.meetings(db.session, project.id),
        host=request.host.split(":")[0] or "styringsrommet",
        labels={"milestone": _("Milepæl"), "decision_point": _("Beslutningspunkt"),
                "decision": _("Vedtak"), "outcomes": outcome_labels(),
                "bodies": body_labels()},
        stamp=utcnow(),
    )
