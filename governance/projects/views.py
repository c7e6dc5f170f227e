"""Project list (live search and filters), detail, create, edit, history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error, choice_list, submitted_version
from governance.history import queries as history_queries
from governance.history.presentation import describe
from governance.i18n import format_iso_date, format_iso_datetime
from governance.organisations import queries as organisation_queries
from governance.projects import queries, service
from governance.projects.forms import ProjectForm, phase_labels, status_labels
from governance.projects.models import Phase, Project, ProjectStatus
from governance.roles import policy
from governance.roles import queries as role_queries
from governance.roles.forms import (
    group_kind_labels,
    local_status_labels,
    member_role_labels,
    responsibility_labels,
    role_labels,
)
from governance.roles.models import ProjectRoleKind
from governance.web import SIGNED_IN, int_arg, permission, render, require

bp = Blueprint("projects", __name__, url_prefix="/prosjekter")

def _history_labels() -> dict:
    return {
        "code": _l("Kortnavn"), "name": _l("Navn"), "purpose": _l("Formål"),
        "description": _l("Beskrivelse"), "phase": _l("Fase"), "status": _l("Status"),
        "start_date": _l("Startdato"), "end_date": _l("Sluttdato"),
        "programme_id": _l("Del av program"), "owners": _l("Eiere"),
        "participants": _l("Deltakere"), "person_id": _l("Person"), "role": _l("Rolle"),
        "group_id": _l("Gruppe"), "kind": _l("Type"), "mandate": _l("Mandat"),
        "deliverables": _l("Leveranser"), "role_key": _l("Ansvar for"), "text": _l("Tekst"),
        "position": _l("Rekkefølge"), "level": _l("Nivå"), "task_id": _l("Oppgave"),
        "responsible": _l("Ansvarlig"), "comment": _l("Kommentar"),
        "organisation_id": _l("Organisasjon"), "valid_from": _l("Fra"), "valid_to": _l("Til"),
        "project_id": _l("Prosjekt"), "created_at": _l("Opprettet"),
    }


def _enum_arg(name: str, enum_cls):
    raw = request.args.get(name, "")
    try:
        return enum_cls(raw) if raw else None
    except ValueError:
        return None


def _filters() -> queries.ProjectFilter:
    return queries.ProjectFilter(
        text=request.args.get("q", "").strip()[: queries.MAX_QUERY_LENGTH],
        phase=_enum_arg("fase", Phase),
        status=_enum_arg("status", ProjectStatus),
        organisation_id=int_arg("organisasjon"),
    )


def load_project(code: str) -> tuple[Project, policy.ProjectAccess]:
    """The project and the user's access to it; 404 when it is not theirs to see."""
    project = queries.by_code(db.session, code)
    if project is None:
        abort(404)
    access = policy.project_access(
        current_user,
        role_queries.active_roles(db.session, current_user.id, project.id),
        role_queries.active_memberships(db.session, current_user.id, project.id),
    )
    require(access.can_view, 404)
    return project, access


def _choices(form: ProjectForm, exclude_id: int | None = None) -> None:
    organisations = organisation_queries.all_organisations(db.session)
    form.owner_ids.choices = choice_list((org.id, org.name) for org in organisations)
    form.participant_ids.choices = choice_list((org.id, org.name) for org in organisations)
    visible = queries.visible_projects(db.session, current_user).values()
    form.programme_id.choices = choice_list(
        [(None, _("Ikke del av et program"))]
        + [(p.id, f"{p.name} ({p.code})") for p in visible if p.id != exclude_id]
    )


def _form_from(project: Project) -> ProjectForm:
    """The edit form filled with the project's stored values."""
    form = ProjectForm(formdata=None, obj=project)
    form.phase.data = project.phase.value
    form.status.data = project.status.value
    form.owner_ids.data = [org.id for org in project.owners]
    form.participant_ids.data = [org.id for org in project.participants]
    form.version_id.data = project.version_id
    _choices(form, project.id)
    return form


def _input(form: ProjectForm) -> service.ProjectInput:
    return service.ProjectInput(
        code=form.code.data or "",
        name=form.name.data or "",
        purpose=form.purpose.data or "",
        description=form.description.data or "",
        phase=Phase(form.phase.data),
        status=ProjectStatus(form.status.data),
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        owner_ids=list(form.owner_ids.data or []),
        participant_ids=list(form.participant_ids.data or []),
        programme_id=form.programme_id.data,
    )


def _labels() -> dict:
    return {"phase_labels": phase_labels(), "status_labels": status_labels()}


@bp.route("/")
@permission(SIGNED_IN)
def index():
    filters = _filters()
    projects = queries.project_list(db.session, current_user, filters)
    return render(
        "projects/index.html",
        block="results",
        projects=projects,
        filters=filters,
        organisations=organisation_queries.all_organisations(db.session),
        can_create=policy.can_create_project(current_user),
        **_labels(),
    )


@bp.route("/nytt", methods=["GET", "POST"])
@permission(SIGNED_IN)
def create():
    require(policy.can_create_project(current_user))
    form = ProjectForm()
    _choices(form)
    if request.method == "POST" and form.validate():
        try:
            project = service.create_project(db.session, current_user, _input(form))
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "name")
        else:
            db.session.commit()
            flash(_("Prosjektet %(name)s er opprettet.", name=project.name), "success")
            return redirect(url_for("projects.show", code=project.code), code=303)
    status = 422 if request.method == "POST" else 200
    return render("projects/form.html", form=form, project=None, status=status)


@bp.route("/<code>")
@permission(SIGNED_IN)
def show(code: str):
    project, access = load_project(code)
    return render(
        "projects/show.html",
        project=project,
        access=access,
        chart=role_queries.project_organisation(db.session, project.id),
        RoleKind=ProjectRoleKind,
        subprojects=queries.subprojects(db.session, project.id),
        role_labels=role_labels(),
        **_labels(),
    )


@bp.route("/<code>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def edit(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    if request.method == "GET":
        return render("projects/form.html", form=_form_from(project), project=project)
    form = ProjectForm()
    _choices(form, project.id)
    if not form.validate():
        return render("projects/form.html", form=form, project=project, status=422)
    try:
        service.update_project(db.session, current_user, project, _input(form),
                               submitted_version(form))
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        attach_error(form, error, "name")
        return render("projects/form.html", form=form, project=project, status=422)
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        current = queries.by_code(db.session, code) or abort(404)
        db.session.refresh(current)
        return render("projects/form.html", form=_form_from(current), project=current,
                      status=409,
                      conflict=True)
    flash(_("Endringene er lagret."), "success")
    return redirect(url_for("projects.show", code=project.code), code=303)


@bp.route("/<code>/historikk")
@permission(SIGNED_IN)
def history(code: str):
    project, _access = load_project(code)
    records = history_queries.for_project(db.session, project.id)
    org_names = {o.id: o.name for o in organisation_queries.all_organisations(db.session)}
    person_names = {p.id: p.full_name for p in role_queries.people(db.session)}
    chart = role_queries.project_organisation(db.session, project.id)
    values = {
        "phase": {p.value: label for p, label in phase_labels().items()},
        "status": {s.value: label for s, label in
                   [*status_labels().items(), *local_status_labels().items()]},
        "role": {r.value: label for r, label in
                 [*role_labels().items(), *member_role_labels().items()]},
        "kind": {k.value: label for k, label in group_kind_labels().items()},
        "role_key": responsibility_labels(),
        "group_id": {g.id: g.name for g in chart.groups},
        "owners": org_names, "participants": org_names, "organisation_id": org_names,
        "person_id": person_names, "programme_id": queries.project_names(db.session),
        "start_date": format_iso_date, "end_date": format_iso_date,
        "valid_from": format_iso_date, "valid_to": format_iso_date,
        "created_at": format_iso_datetime,
    }
    changes = describe(records, _history_labels(), values, yes=_("Ja"), no=_("Nei"))
    return render("history/object_history.html", changes=changes, title=project.name,
                  table_labels={"project_role": _("rolle"), "project_group": _("gruppe"),
                                "group_member": _("gruppemedlem"),
                                "responsibility": _("ansvar"), "project_task": _("oppgave"),
                                "local_task": _("lokal oppgave")},
                  back_url=url_for("projects.show", code=project.code))
