"""The project organisation: chart, roles, groups and members, responsibilities, tasks."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from governance.errors import N_, RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error, choice_list, submitted_version
from governance.projects.views import load_project
from governance.roles import queries, service
from governance.roles.defaults import RESPONSIBILITY_KEYS
from governance.roles.forms import (
    EndForm,
    GroupEditForm,
    GroupForm,
    LocalTaskForm,
    MemberForm,
    ResponsibilityForm,
    RoleForm,
    TaskForm,
    group_kind_labels,
    local_status_labels,
    member_role_labels,
    responsibility_labels,
    role_labels,
)
from governance.roles.models import (
    GroupKind,
    GroupMember,
    LocalTaskStatus,
    MemberRole,
    Person,
    ProjectGroup,
    ProjectRole,
    ProjectRoleKind,
    ProjectTask,
    TaskLevel,
)
from governance.web import SIGNED_IN, permission, render, require, wants_fragment

bp = Blueprint("organisation", __name__, url_prefix="/prosjekter/<code>")

CHANGED = "roles-changed"


# Query-string / form flag: list every person in the forms, not only the project's people.
ALL_PEOPLE = "alle_personer"


def _all_people() -> bool:
    return request.values.get(ALL_PEOPLE) == "1"


def _posted_person_id() -> int | None:
    """The person chosen in a posted role or member form (from the whole list, perhaps)."""
    for name in ("role-person_id", "member-person_id"):
        raw = request.form.get(name, "").strip()
        if raw.isdigit() and len(raw) < 10:
            return int(raw)
    return None


def _people_choices(project):
    """The person choices of both forms, made once per request: the project's people
    (its organisations', those of none, those already in it), or everyone on request."""
    cached = g.get("people_choices")
    if cached is None:
        if _all_people():
            people = queries.people(db.session)
        else:
            organisation_ids = {o.id for o in [*project.owners, *project.participants]}
            people = queries.people_for_project(db.session, project.id, organisation_ids,
                                                also_id=_posted_person_id())
        cached = g.people_choices = choice_list(
            [(None, _("Velg person"))]
            + [(p.id, f"{p.full_name} ({p.organisation.name})" if p.organisation
                else p.full_name) for p in people]
        )
    return cached


def _people_description():
    if _all_people():
        return _("Viser alle personer.")
    return _("Viser personer fra prosjektets organisasjoner, personer uten organisasjon og "
             "dem som alt er med i prosjektet.")


def _org_choices(organisations, empty_label):
    return choice_list([(None, empty_label)] + [(o.id, o.name) for o in organisations])


def _role_form(project, formdata=True) -> RoleForm:
    form = RoleForm(prefix="role") if formdata else RoleForm(formdata=None, prefix="role")
    form.person_id.choices = _people_choices(project)
    form.person_id.description = _people_description()
    form.role.choices = choice_list((k.value, label) for k, label in role_labels().items())
    organisations = {o.id: o for o in [*project.owners, *project.participants]}.values()
    form.organisation_id.choices = _org_choices(sorted(organisations, key=lambda o: o.name),
                                                _("Ingen"))
    return form


def _member_form(project, groups, formdata=True) -> MemberForm:
    form = MemberForm(prefix="member") if formdata else MemberForm(formdata=None, prefix="member")
    form.group_id.choices = choice_list(
        [(None, _("Velg gruppe"))] + [(g.id, g.name) for g in groups]
    )
    form.person_id.choices = _people_choices(project)
    form.person_id.description = _people_description()
    organisations = {o.id: o for o in [*project.owners, *project.participants]}.values()
    form.organisation_id.choices = _org_choices(sorted(organisations, key=lambda o: o.name),
                                                _("Ingen"))
    form.role.choices = choice_list(
        (r.value, label) for r, label in member_role_labels().items())
    if not formdata:
        form.role.data = MemberRole.MEMBER.value
    return form


def _group_form(formdata=True) -> GroupForm:
    form = GroupForm(prefix="group") if formdata else GroupForm(formdata=None, prefix="group")
    form.kind.choices = choice_list(
        (k.value, group_kind_labels()[k]) for k in (GroupKind.WORK_GROUP,
                                                    GroupKind.REFERENCE_GROUP,
                                                    GroupKind.STEERING_GROUP,
                                                    GroupKind.PROJECT_GROUP))
    return form


def _page(project, access, *, status=200, role_form=None, member_form=None, group_form=None,
          message=None, action_error=None, focus=None, chart=None):
    chart = chart or queries.project_organisation(db.session, project.id)
    context = {
        "project": project,
        "access": access,
        "chart": chart,
        "today": date.today(),
        "role_labels": role_labels(),
        "group_kind_labels": group_kind_labels(),
        "member_role_labels": member_role_labels(),
        "responsibility_labels": responsibility_labels(),
        "RoleKind": ProjectRoleKind,
        "GroupKind": GroupKind,
        "saved_message": message,
        "action_error": action_error,
        # Which part gets focus after an htmx swap: the form that was sent, or the chart.
        "focus": focus,
        "all_people": _all_people(),
    }
    if access.can_edit:
        context.update(
            role_form=role_form or _role_form(project, formdata=False),
            member_form=member_form or _member_form(project, chart.groups, formdata=False),
            group_form=group_form or _group_form(formdata=False),
            end_form=EndForm(formdata=None),
        )
    response = render("roles/organisation.html", block="organisation", status=status,
                      **context)
    if status == 200 and message:
        response.headers["HX-Trigger"] = CHANGED
    return response


def _saved(project, access, message, focus="chart"):
    """After a write: the updated fragment for htmx, a redirect for a plain form."""
    if wants_fragment():
        return _page(project, access, message=message, focus=focus)
    flash(message, "success")
    return redirect(url_for("organisation.chart", code=project.code), code=303)


def _person(person_id) -> Person:
    person = db.session.get(Person, person_id) if person_id else None
    if person is None:
        raise RuleViolation(N_("Personen finnes ikke."), "person_id")
    return person


@bp.route("/organisering")
@permission(SIGNED_IN)
def chart(code: str):
    project, access = load_project(code)
    return _page(project, access)


@bp.route("/roller", methods=["POST"])
@permission(SIGNED_IN)
def add_role(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    form = _role_form(project)
    if form.validate():
        try:
            person = _person(form.person_id.data)
            assignment = service.assign_role(
                db.session, current_user, project=project, person=person,
                role=ProjectRoleKind(form.role.data),
                organisation_id=form.organisation_id.data,
                valid_from=form.valid_from.data, replace_current=form.replace_current.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "person_id")
        else:
            db.session.commit()
            return _saved(project, access, _("%(name)s er lagt til som %(role)s.",
                                             name=person.full_name,
                                             role=str(role_labels()[assignment.role]).lower()),
                          focus="role")
    return _page(project, access, status=422, role_form=form, focus="role")


def _last_day(dated) -> date:
    """Ended now: yesterday was the last day in the role (the same day, if it began today)."""
    return max(date.today() - timedelta(days=1), dated.valid_from)


def _end(project, access, dated, end, message):
    """End a role or membership on the posted date (today when none): dated, not erased."""
    if dated is None or dated.project_id != project.id:
        abort(404)
    form = EndForm()
    if not form.validate():
        return _refused(project, access, RuleViolation(N_("Skriv en gyldig dato.")))
    try:
        end(db.session, current_user, dated, form.valid_to.data or _last_day(dated))
    except RuleViolation as error:
        db.session.rollback()
        return _refused(project, access, error)
    db.session.commit()
    return _saved(project, access, message)


@bp.route("/roller/<int:role_id>/avslutt", methods=["POST"])
@permission(SIGNED_IN)
def end_role(code: str, role_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    return _end(project, access, db.session.get(ProjectRole, role_id), service.end_role,
                _("Rollen er avsluttet. Den står fortsatt i historikken."))


def _refused(project, access, error: RuleViolation):
    """A refused action without its own form: the message on the page, status 422."""
    if wants_fragment():
        return _page(project, access, status=422, action_error=error.text())
    flash(error.text(), "error")
    return redirect(url_for("organisation.chart", code=project.code), code=303)


@bp.route("/grupper", methods=["POST"])
@permission(SIGNED_IN)
def add_group(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    form = _group_form()
    if form.validate():
        try:
            group = service.create_group(
                db.session, current_user, project=project, kind=GroupKind(form.kind.data),
                name=form.name.data or "", mandate=form.mandate.data or "",
                deliverables=form.deliverables.data or "",
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "name")
        else:
            db.session.commit()
            return _saved(project, access, _("Gruppen %(name)s er opprettet.", name=group.name),
                          focus="group")
    return _page(project, access, status=422, group_form=form, focus="group")


def _group(project, group_id) -> ProjectGroup:
    group = db.session.get(ProjectGroup, group_id)
    if group is None or group.project_id != project.id:
        abort(404)
    return group


@bp.route("/grupper/<int:group_id>", methods=["GET", "POST"])
@permission(SIGNED_IN)
def edit_group(code: str, group_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    group = _group(project, group_id)
    if request.method == "GET":
        form = GroupEditForm(formdata=None, obj=group)
        form.version_id.data = group.version_id
        return render("roles/group_form.html", project=project, group=group, form=form,
                      group_kind_labels=group_kind_labels())
    form = GroupEditForm()
    if form.validate():
        try:
            service.update_group(db.session, current_user, group, name=form.name.data,
                                 mandate=form.mandate.data or "",
                                 deliverables=form.deliverables.data or "",
                                 version_id=submitted_version(form))
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "name")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            current = _group(project, group_id)
            db.session.refresh(current)
            fresh = GroupEditForm(formdata=None, obj=current)
            fresh.version_id.data = current.version_id
            return render("roles/group_form.html", project=project, group=current, form=fresh,
                          group_kind_labels=group_kind_labels(), conflict=True, status=409)
        else:
            flash(_("Gruppen %(name)s er lagret.", name=group.name), "success")
            return redirect(url_for("organisation.chart", code=project.code), code=303)
    return render("roles/group_form.html", project=project, group=group, form=form,
                  group_kind_labels=group_kind_labels(), status=422)


@bp.route("/medlemmer", methods=["POST"])
@permission(SIGNED_IN)
def add_member(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    chart = queries.project_organisation(db.session, project.id)
    form = _member_form(project, chart.groups)
    if form.validate():
        try:
            group = _group(project, form.group_id.data)
            person = _person(form.person_id.data)
            service.add_member(
                db.session, current_user, group=group, person=person,
                role=MemberRole(form.role.data), organisation_id=form.organisation_id.data,
                valid_from=form.valid_from.data, valid_to=form.valid_to.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "person_id")
        else:
            db.session.commit()
            return _saved(project, access, _("%(name)s er lagt til i %(group)s.",
                                             name=person.full_name, group=group.name),
                          focus="member")
    return _page(project, access, status=422, member_form=form, focus="member", chart=chart)


@bp.route("/medlemmer/<int:member_id>/avslutt", methods=["POST"])
@permission(SIGNED_IN)
def end_member(code: str, member_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    return _end(project, access, db.session.get(GroupMember, member_id), service.end_member,
                _("Medlemskapet er avsluttet. Det står fortsatt i historikken."))


# ---- responsibilities ------------------------------------------------------------------


@bp.route("/ansvar", methods=["GET", "POST"])
@permission(SIGNED_IN)
def responsibilities(code: str):
    project, access = load_project(code)
    chart = queries.project_organisation(db.session, project.id)
    forms = {}
    for key in RESPONSIBILITY_KEYS:
        form = ResponsibilityForm(formdata=None, prefix=key)
        form.lines.data = "\n".join(chart.responsibilities.get(key, []))
        forms[key] = form
    status = 200
    if request.method == "POST":
        require(access.can_edit)
        key = request.form.get("role_key", "")
        if key not in forms:
            abort(400)
        form = ResponsibilityForm(prefix=key)
        forms[key] = form
        if form.validate():
            try:
                service.set_responsibilities(db.session, current_user, project=project,
                                             role_key=key,
                                             lines=(form.lines.data or "").splitlines())
            except RuleViolation as error:
                db.session.rollback()
                attach_error(form, error, "lines")
            else:
                db.session.commit()
                flash(_("Ansvaret for %(role)s er lagret.",
                        role=str(responsibility_labels()[key]).lower()), "success")
                return redirect(url_for("organisation.responsibilities", code=project.code)
                                + f"#{key}-lines", code=303)
        status = 422
    return render("roles/responsibilities.html", project=project, access=access, forms=forms,
                  chart=chart, responsibility_labels=responsibility_labels(), status=status)


# ---- task matrix ---------------------------------------------------------------------------


def _task_form(formdata=True) -> TaskForm:
    form = TaskForm() if formdata else TaskForm(formdata=None)
    form.level.choices = choice_list([
        (TaskLevel.REGIONAL.value, _("Regionalt (felles)")),
        (TaskLevel.LOCAL.value, _("Lokalt i hver kommune")),
    ])
    return form


def _local_form(local=None, formdata=True, prefix="") -> LocalTaskForm:
    if formdata:
        form = LocalTaskForm(prefix=prefix)
    else:
        form = LocalTaskForm(formdata=None, obj=local, prefix=prefix)
        form.status.data = (local.status if local else LocalTaskStatus.NOT_STARTED).value
        form.version_id.data = local.version_id if local else 0
    form.status.choices = choice_list(
        (s.value, label) for s, label in local_status_labels().items())
    return form


def _tasks_page(project, access, organisation_id, *, status=200, task_form=None,
                row_forms=None):
    regional, local = queries.tasks(db.session, project.id)
    standings = queries.local_tasks(db.session, project.id)
    row_forms = row_forms or {}
    forms = {}
    if organisation_id is not None and access.can_edit_organisation_data(organisation_id):
        for task in local:
            forms[task.id] = row_forms.get(task.id) or _local_form(
                standings.get((task.id, organisation_id)), formdata=False, prefix=f"t{task.id}")
    organisation = next((o for o in project.participants if o.id == organisation_id), None)
    return render(
        "roles/tasks.html", status=status, project=project, access=access,
        regional=regional, local=local, standings=standings, organisation=organisation,
        row_forms=forms, task_form=task_form or (_task_form(formdata=False)
                                                 if access.can_edit else None),
        local_status_labels=local_status_labels(), default_status=LocalTaskStatus.NOT_STARTED,
    )


def _chosen_organisation(project, access) -> int | None:
    raw = request.values.get("organisasjon", "")
    if raw.isdigit() and int(raw) in {o.id for o in project.participants}:
        return int(raw)
    own = sorted(access.own_organisation_ids & {o.id for o in project.participants})
    return own[0] if own else None


@bp.route("/oppgaver")
@permission(SIGNED_IN)
def tasks(code: str):
    project, access = load_project(code)
    return _tasks_page(project, access, _chosen_organisation(project, access))


@bp.route("/oppgaver", methods=["POST"])
@permission(SIGNED_IN)
def add_task(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    form = _task_form()
    if form.validate():
        try:
            service.add_task(db.session, current_user, project=project,
                             level=TaskLevel(form.level.data), text=form.text.data)
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "text")
        else:
            db.session.commit()
            flash(_("Oppgaven er lagt til."), "success")
            return redirect(url_for("organisation.tasks", code=project.code), code=303)
    return _tasks_page(project, access, _chosen_organisation(project, access), status=422,
                       task_form=form)


def _task(project, task_id) -> ProjectTask:
    task = db.session.get(ProjectTask, task_id)
    if task is None or task.project_id != project.id:
        abort(404)
    return task


@bp.route("/oppgaver/<int:task_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def delete_task(code: str, task_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    service.delete_task(db.session, current_user, _task(project, task_id))
    db.session.commit()
    flash(_("Oppgaven er slettet."), "success")
    return redirect(url_for("organisation.tasks", code=project.code), code=303)


@bp.route("/oppgaver/<int:task_id>/organisasjoner/<int:organisation_id>", methods=["POST"])
@permission(SIGNED_IN)
def set_local_task(code: str, task_id: int, organisation_id: int):
    """An organisation's standing on a local task: its municipal lead's own data."""
    project, access = load_project(code)
    if organisation_id not in {o.id for o in project.participants}:
        abort(404)
    require(access.can_edit_organisation_data(organisation_id))
    task = _task(project, task_id)
    form = _local_form(prefix=f"t{task.id}")
    status = 422
    if form.validate():
        try:
            service.set_local_task(
                db.session, current_user, project=project, task=task,
                organisation_id=organisation_id, status=LocalTaskStatus(form.status.data),
                responsible=form.responsible.data or "", comment=form.comment.data or "",
                version_id=submitted_version(form),
            )
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "status")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            current = queries.local_tasks(db.session, project.id).get((task.id, organisation_id))
            form = _local_form(current, formdata=False, prefix=f"t{task.id}")
            form.conflict = True
            status = 409
        else:
            if not wants_fragment():
                flash(_("Lagret."), "success")
                return redirect(url_for("organisation.tasks", code=project.code,
                                        organisasjon=organisation_id), code=303)
            status = 200
    if status != 200 and not wants_fragment():
        return _tasks_page(project, access, organisation_id, status=status,
                           row_forms={task.id: form})
    if status == 200:
        saved = queries.local_tasks(db.session, project.id)[(task.id, organisation_id)]
        form = _local_form(saved, formdata=False, prefix=f"t{task.id}")
    organisation = next(o for o in project.participants if o.id == organisation_id)
    # Only this row is swapped, so what is typed in the other rows is kept.
    response = render(
        "roles/tasks.html", block="local_row", status=status, project=project, access=access,
        task=task, form=form, organisation=organisation,
        saved_task_id=task.id if status == 200 else None,
        saved_status=local_status_labels()[saved.status] if status == 200 else None,
    )
    if status == 200:
        response.headers["HX-Trigger"] = CHANGED
    return response
