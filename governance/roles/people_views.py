"""People: who holds roles, with or without a user account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error, choice_list, submitted_version
from governance.history import queries as history_queries
from governance.history.presentation import describe
from governance.organisations import queries as organisation_queries
from governance.projects import queries as project_queries
from governance.roles import policy, queries, service
from governance.roles.forms import PersonForm, group_kind_labels, member_role_labels, role_labels
from governance.roles.models import Person, User
from governance.web import SIGNED_IN, permission, render, require

bp = Blueprint("people", __name__, url_prefix="/personer")


def _may_manage() -> bool:
    return policy.can_manage_people(
        current_user, queries.leads_any_project(db.session, current_user.id))


def _load(person_id: int):
    """The person, their roles and memberships in projects the viewer may see, and those
    projects; 404 if none of it is the viewer's to see."""
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    roles = queries.roles_of_person(db.session, person.id)
    memberships = queries.memberships_of_person(db.session, person.id)
    visible = project_queries.visible_projects(db.session, current_user)
    shown_roles = [r for r in roles if r.project_id in visible]
    shown_memberships = [m for m in memberships if m.project_id in visible]
    # A leader may see (and edit) someone without any role yet, such as a person they just
    # registered, but not the person behind another user's account.
    unplaced = not roles and not memberships and person.user_id is None
    allowed = (
        current_user.is_admin
        or person.user_id == current_user.id
        or shown_roles or shown_memberships
        or (unplaced and _may_manage())
    )
    require(bool(allowed), 404)
    return person, shown_roles, shown_memberships, visible


def _may_edit(person: Person) -> bool:
    """Administrators; the person themselves; project leaders for people without an account
    (the details of someone with an account are theirs and the administrators' to change)."""
    return (
        current_user.is_admin
        or person.user_id == current_user.id
        or (person.user_id is None and _may_manage())
    )


def _form(formdata=True, obj=None) -> PersonForm:
    form = PersonForm() if formdata else PersonForm(formdata=None, obj=obj)
    form.organisation_id.choices = choice_list(
        [(None, _("Ingen"))]
        + [(o.id, o.name) for o in organisation_queries.all_organisations(db.session)])
    linked = dict(db.session.execute(select(Person.user_id, Person.id)
                                      .where(Person.user_id.is_not(None))).all())
    own_id = obj.id if obj is not None else None
    form.user_id.choices = choice_list(
        [(None, _("Ingen konto"))]
        + [(u.id, f"{u.full_name} ({u.username})") for u in queries.users(db.session)
           if linked.get(u.id) in (None, own_id)])
    if not current_user.is_admin:
        # Only administrators connect people to user accounts.
        form.user_id.render_kw = {"disabled": True}
    return form


def _input(form: PersonForm, person: Person | None) -> service.PersonInput:
    user_id = form.user_id.data if current_user.is_admin else (person.user_id if person else None)
    return service.PersonInput(
        full_name=form.full_name.data or "", title=form.title.data,
        organisation_id=form.organisation_id.data, email=form.email.data,
        phone=form.phone.data, user_id=user_id,
    )


@bp.route("/")
@permission(SIGNED_IN)
def index():
    require(_may_manage())
    return render("roles/people.html", people=queries.people(db.session))


@bp.route("/ny", methods=["GET", "POST"])
@permission(SIGNED_IN)
def create():
    require(_may_manage())
    form = _form(formdata=request.method == "POST")
    if not current_user.is_admin:
        form.user_id.data = None
    if request.method == "POST" and form.validate():
        try:
            person = service.create_person(db.session, current_user, _input(form, None))
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "full_name")
        else:
            db.session.commit()
            flash(_("%(name)s er registrert.", name=person.full_name), "success")
            return redirect(url_for("people.show", person_id=person.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render("roles/person_form.html", form=form, person=None, status=status)


@bp.route("/<int:person_id>")
@permission(SIGNED_IN)
def show(person_id: int):
    person, roles, memberships, projects = _load(person_id)
    return render("roles/person.html", person=person, roles=roles, memberships=memberships,
                  projects=projects, role_labels=role_labels(),
                  group_kind_labels=group_kind_labels(),
                  member_role_labels=member_role_labels(),
                  may_edit=_may_edit(person))


@bp.route("/<int:person_id>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def edit(person_id: int):
    person, *_shown = _load(person_id)
    require(_may_edit(person))
    if request.method == "GET":
        form = _form(formdata=False, obj=person)
        form.version_id.data = person.version_id
        return render("roles/person_form.html", form=form, person=person)
    form = _form(obj=person)
    if form.validate():
        try:
            service.update_person(db.session, current_user, person, _input(form, person),
                                  submitted_version(form))
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "full_name")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            current = db.session.get(Person, person_id)
            db.session.refresh(current)
            fresh = _form(formdata=False, obj=current)
            fresh.version_id.data = current.version_id
            return render("roles/person_form.html", form=fresh, person=current, conflict=True,
                          status=409)
        else:
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("people.show", person_id=person.id), code=303)
    return render("roles/person_form.html", form=form, person=person, status=422)


@bp.route("/<int:person_id>/historikk")
@permission(SIGNED_IN)
def history(person_id: int):
    person, *_shown = _load(person_id)
    records = history_queries.for_object(db.session, "person", person.id)
    labels = {
        "full_name": _l("Navn"), "title": _l("Stilling"), "organisation_id": _l("Organisasjon"),
        "email": _l("E-post"), "phone": _l("Telefon"), "user_id": _l("Brukerkonto"),
        "created_at": _l("Opprettet"),
    }
    org_names = {o.id: o.name for o in organisation_queries.all_organisations(db.session)}
    user_names = dict(db.session.execute(select(User.id, User.username)).all())
    from governance.i18n import format_iso_datetime

    values = {"organisation_id": org_names, "user_id": user_names,
              "created_at": format_iso_datetime}
    changes = describe(records, labels, values, yes=_("Ja"), no=_("Nei"))
    return render("history/object_history.html", changes=changes, title=person.full_name,
                  back_url=url_for("people.show", person_id=person.id))
