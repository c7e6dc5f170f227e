"""Administration of organisations and their yearly figures."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error, submitted_version
from governance.history import queries as history_queries
from governance.history.presentation import describe
from governance.i18n import format_amount, format_iso_datetime, format_number
from governance.organisations import queries, service
from governance.organisations.forms import OrganisationForm, YearFiguresForm, kind_labels
from governance.organisations.models import Organisation, OrganisationKind
from governance.web import ADMIN, permission, render

bp = Blueprint("organisations", __name__, url_prefix="/admin/organisasjoner")



def _get(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.route("/")
@permission(ADMIN)
def index():
    return render("organisations/index.html", organisations=queries.with_figures(db.session),
                  kind_labels=kind_labels())


@bp.route("/ny", methods=["GET", "POST"])
@permission(ADMIN)
def create():
    form = OrganisationForm()
    if request.method == "POST" and form.validate():
        try:
            organisation = service.create_organisation(
                db.session, current_user, name=form.name.data,
                kind=OrganisationKind(form.kind.data), org_number=form.org_number.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "name")
        else:
            db.session.commit()
            flash(_("%(name)s er opprettet.", name=organisation.name), "success")
            return redirect(url_for("organisations.edit", organisation_id=organisation.id),
                            code=303)
    status = 422 if request.method == "POST" else 200
    return render("organisations/form.html", form=form, organisation=None, status=status)


@bp.route("/<int:organisation_id>", methods=["GET", "POST"])
@permission(ADMIN)
def edit(organisation_id: int):
    organisation = _get(organisation_id)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.kind.data = organisation.kind.value
        form.version_id.data = organisation.version_id
        return render("organisations/form.html", form=form, organisation=organisation,
                      figures_form=YearFiguresForm(formdata=None))
    if not form.validate():
        return render("organisations/form.html", form=form, organisation=organisation,
                      figures_form=YearFiguresForm(formdata=None), status=422)
    try:
        service.update_organisation(
            db.session, current_user, organisation, name=form.name.data,
            kind=OrganisationKind(form.kind.data), org_number=form.org_number.data,
            version_id=submitted_version(form),
        )
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        attach_error(form, error, "name")
        return render("organisations/form.html", form=form, organisation=organisation,
                      figures_form=YearFiguresForm(formdata=None), status=422)
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        current = _get(organisation_id)
        db.session.refresh(current)
        fresh = OrganisationForm(obj=current, formdata=None)
        fresh.kind.data = current.kind.value
        fresh.version_id.data = current.version_id
        return render("organisations/form.html", form=fresh, organisation=current,
                      figures_form=YearFiguresForm(formdata=None), status=409, conflict=True)
    flash(_("Endringene er lagret."), "success")
    return redirect(url_for("organisations.edit", organisation_id=organisation.id), code=303)


@bp.route("/<int:organisation_id>/tall", methods=["POST"])
@permission(ADMIN)
def set_figures(organisation_id: int):
    organisation = _get(organisation_id)
    figures_form = YearFiguresForm()
    status = 422
    if figures_form.validate():
        try:
            service.set_year_figures(
                db.session, current_user, organisation, year=figures_form.year.data,
                population=figures_form.population.data,
                operating_costs_ore=figures_form.operating_costs.data,
            )
        except RuleViolation as error:
            db.session.rollback()
            attach_error(figures_form, error, "year")
        else:
            db.session.commit()
            db.session.refresh(organisation)
            saved_year = figures_form.year.data
            figures_form = YearFiguresForm(formdata=None)
            message = _("Tallene for %(year)s er lagret.", year=saved_year)
            if request.headers.get("HX-Request") != "true":
                flash(message, "success")
                return redirect(url_for("organisations.edit", organisation_id=organisation.id),
                                code=303)
            response = render("organisations/form.html", block="figures",
                              organisation=organisation, figures_form=figures_form,
                              form=None, saved_message=message)
            response.headers["HX-Trigger"] = "organisations-changed"
            return response
    form = OrganisationForm(obj=organisation, formdata=None)
    form.kind.data = organisation.kind.value
    form.version_id.data = organisation.version_id
    return render("organisations/form.html", block="figures", form=form,
                  organisation=organisation, figures_form=figures_form, status=status)


@bp.route("/<int:organisation_id>/tall/<int:year>/slett", methods=["POST"])
@permission(ADMIN)
def delete_figures(organisation_id: int, year: int):
    organisation = _get(organisation_id)
    try:
        service.delete_year_figures(db.session, current_user, organisation, year)
    except RuleViolation:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("Tallene for %(year)s er slettet.", year=year), "success")
    return redirect(url_for("organisations.edit", organisation_id=organisation.id), code=303)


@bp.route("/<int:organisation_id>/historikk")
@permission(ADMIN)
def history(organisation_id: int):
    organisation = _get(organisation_id)
    records = history_queries.for_object(db.session, "organisation", organisation.id)
    labels = {
        "name": _l("Navn"), "org_number": _l("Organisasjonsnummer"), "kind": _l("Type"),
        "year": _l("År"), "population": _l("Folketall"),
        "operating_costs_ore": _l("Driftskostnader"), "organisation_id": _l("Organisasjon"),
        "created_at": _l("Opprettet"),
    }
    values = {
        "kind": {kind.value: label for kind, label in kind_labels().items()},
        "operating_costs_ore": lambda ore: format_amount(ore, ore=True),
        "population": format_number,
        "organisation_id": {organisation.id: organisation.name},
        "created_at": format_iso_datetime,
    }
    changes = describe(records, labels, values, yes=_("Ja"), no=_("Nei"))
    return render("history/object_history.html", changes=changes, title=organisation.name,
                  table_labels={"organisation_year": _("tall for året")},
                  back_url=url_for("organisations.edit", organisation_id=organisation.id))
