"""The project's wastebasket (papirkurv) and the administrator's purge of a project."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from governance.errors import RuleViolation
from governance.extensions import db
from governance.projects import queries as project_queries
from governance.projects.views import load_project
from governance.retention import queries, service
from governance.retention.queries import TrashItem
from governance.roles.policy import ProjectAccess
from governance.web import ADMIN, SIGNED_IN, permission, render, require

bp = Blueprint("retention", __name__)


def can_restore(access: ProjectAccess, kind: str, obj) -> bool:
    """Who may restore: who could delete it."""
    if kind == "sak":
        return access.can_decide
    if kind == "maling":
        return access.can_edit_organisation_data(obj.organisation_id)
    return access.can_edit


def can_open_wastebasket(access: ProjectAccess) -> bool:
    """Those who can delete something in the project: the leaders, those who decide
    (agenda items) and those who keep an organisation's measurements."""
    return access.can_edit or access.can_decide or bool(access.own_organisation_ids)


def _wastebasket_page(project, access, status: int = 200, error: str | None = None):
    items: list[TrashItem] = [item for item in queries.trashed(db.session, project.id)
                              if can_restore(access, item.kind, item.obj)]
    return render("retention/wastebasket.html", status=status, project=project, access=access,
                  items=items, error=error, kind_labels=kind_labels())


def kind_labels() -> dict[str, str]:
    return {"milepael": _("Milepæl"), "sjekkpunkt": _("Sjekkpunkt"),
            "sak": _("Sak på sakslisten"), "maling": _("Måling"), "tiltak": _("Risikotiltak"),
            "budsjettlinje": _("Budsjettlinje"), "regnskapstall": _("Regnskapstall")}


@bp.route("/prosjekter/<code>/papirkurv")
@permission(SIGNED_IN)
def wastebasket(code: str):
    project, access = load_project(code)
    require(can_open_wastebasket(access))
    return _wastebasket_page(project, access)


@bp.route("/prosjekter/<code>/papirkurv/<kind>/<int:object_id>/gjenopprett", methods=["POST"])
@permission(SIGNED_IN)
def restore(code: str, kind: str, object_id: int):
    project, access = load_project(code)
    require(can_open_wastebasket(access))
    found = queries.find(db.session, kind, project.id, object_id)
    if found is None or found.deleted_at is None:
        abort(404)
    require(can_restore(access, kind, found))
    try:
        service.restore(db.session, current_user, found)
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return _wastebasket_page(project, access, status=422, error=error.text())
    flash(_("%(kind)s er gjenopprettet.", kind=kind_labels()[kind]), "success")
    return redirect(url_for("retention.wastebasket", code=project.code), code=303)


# --- Administrator: purge a project created by mistake ---------------------------------------


def _count_labels() -> dict[str, str]:
    return {
        "milestones": _("Milepæler"), "checkpoints": _("Sjekkpunkter"),
        "phase_records": _("Faseskifter"), "meetings": _("Møter"),
        "agenda_items": _("Saker på sakslister"), "decisions": _("Vedtak"),
        "status_reports": _("Statusrapporter"), "goals": _("Mål"),
        "benefits": _("Gevinster"), "indicators": _("Indikatorer"),
        "baselines": _("Nullpunkter"), "targets": _("Mål for indikatorer"),
        "measurements": _("Målinger"), "plan_approvals": _("Godkjente gevinstplaner"),
        "risks": _("Risikoer"), "risk_measures": _("Risikotiltak"),
        "budget_lines": _("Budsjettlinjer"), "actual_costs": _("Regnskapstall"),
        "cost_keys": _("Fordelingsnøkler"), "shared_costs": _("Felles kostnader"),
        "roles": _("Roller"), "groups": _("Grupper"), "tasks": _("Oppgaver"),
    }


@bp.route("/admin/prosjekter/<code>/slett", methods=["GET", "POST"])
@permission(ADMIN)
def purge(code: str):
    project = project_queries.by_code(db.session, code) or abort(404)
    error = None
    status = 200
    if request.method == "POST":
        confirmation = request.form.get("confirmation", "")
        try:
            summary = service.purge_project(db.session, current_user, project, confirmation)
            db.session.commit()
        except RuleViolation as problem:
            db.session.rollback()
            error, status = problem.text(), 422
        else:
            flash(_("Prosjektet %(code)s (%(name)s) er slettet.", code=summary["code"],
                    name=summary["name"]), "success")
            return redirect(url_for("retention.purged"), code=303)
    preview = service.purge_preview(db.session, project)
    return render("retention/purge.html", status=status, project=project, preview=preview,
                  error=error, count_labels=_count_labels())


@bp.route("/admin/prosjekter/slettede")
@permission(ADMIN)
def purged():
    return render("retention/purged.html", records=service.purges(db.session),
                  count_labels=_count_labels())
