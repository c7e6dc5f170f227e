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
from governance.i18n import format_amount, format_iso_date, format_iso_datetime
from governance.organisations import queries as organisation_queries
from governance.projects import queries, service
from governance.projects.forms import ProjectForm, phase_labels, status_labels
from governance.projects.models import DecisionPoint, Phase, Project, ProjectStatus
from governance.projects.plan_forms import body_labels, checkpoint_status_labels, outcome_labels
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
from governance.web import SIGNED_IN, error_page, int_arg, permission, render, require

bp = Blueprint("projects", __name__, url_prefix="/prosjekter")

HISTORY_PAGE = 100  # changes per page of a project's history

PROJECTS_PER_PAGE = 50


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page links to show: the first, the last and a few either side of the current
    one; None marks a gap (shown as …)."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers

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
        "time_tolerance_days": _l("Tidstoleranse (dager)"), "title": _l("Tittel"),
        "responsible_person_id": _l("Ansvarlig"), "decision_point": _l("Beslutningspunkt"),
        "baseline_date": _l("Grunnlinje"), "forecast_date": _l("Prognose"),
        "actual_date": _l("Faktisk dato"), "series_id": _l("Felles milepæl"),
        "started_on": _l("Fra dato"), "note": _l("Begrunnelse"), "decision_id": _l("Vedtak"),
        "recorded_by_id": _l("Registrert av"), "recorded_at": _l("Registrert"),
        "mandatory": _l("Obligatorisk"), "body": _l("Organ"), "case_number": _l("Saksnummer"),
        "outcome": _l("Utfall"), "conditions": _l("Vilkår"), "meeting_id": _l("Møte"),
        "supersedes_id": _l("Retter vedtak"), "decided_on": _l("Dato"),
        "meeting_date": _l("Møtedato"), "starts_at": _l("Klokkeslett"), "location": _l("Sted"),
        "notes": _l("Merknader"), "parent_id": _l("Hører under"),
        "success_criteria": _l("Suksesskriterier"), "goal_id": _l("Mål"),
        "amount_ore": _l("Beløp"), "person_years": _l("Årsverk"),
        "expected_from": _l("Forventet fra"), "realisation": _l("Uttak"),
        "realisation_note": _l("Om uttaket"), "benefit_id": _l("Gevinst"),
        "unit": _l("Enhet"), "unit_label": _l("Annen enhet"), "direction": _l("Retning"),
        "frequency": _l("Måles"), "method": _l("Målemetode"), "data_source": _l("Datakilde"),
        "measured_by_person_id": _l("Hvem måler"), "is_ratio": _l("Andel av driftskostnadene"),
        "ratio_factor": _l("Faktor"), "indicator_id": _l("Indikator"), "value": _l("Verdi"),
        "measured_on": _l("Gjelder dato"), "target_date": _l("Nås innen"),
        "period": _l("Periode"), "period_start": _l("Fra"), "period_end": _l("Til"),
        "entered_by_id": _l("Registrert av"), "entered_at": _l("Registrert"),
        # risk register
        "number": _l("Nummer"), "cause": _l("Årsak"), "consequence_text": _l("Konsekvens"),
        "category": _l("Kategori"), "probability": _l("Sannsynlighet"),
        "consequence": _l("Konsekvens (1–5)"),
        "residual_probability": _l("Sannsynlighet etter tiltak"),
        "residual_consequence": _l("Konsekvens etter tiltak"),
        "owner_person_id": _l("Risikoeier"), "strategy": _l("Strategi"),
        "proximity": _l("Nærhet i tid"), "escalated": _l("Løftet til styringsgruppen"),
        "risk_id": _l("Risiko"), "due_date": _l("Frist"), "done_on": _l("Gjennomført"),
        "assessed_on": _l("Vurdert"), "assessed_by_id": _l("Vurdert av"),
        # status reports
        "version": _l("Versjon"), "overall": _l("Totalvurdering"), "schedule": _l("Fremdrift"),
        "cost": _l("Økonomi"), "quality": _l("Kvalitet"), "risk": _l("Risiko"),
        "benefits": _l("Gevinstoppnåelse"), "override_reason": _l("Begrunnelse for lyset"),
        "done_this_period": _l("Gjort i perioden"), "next_period": _l("Neste periode"),
        "needs_decision": _l("Trenger beslutning"), "author_id": _l("Skrevet av"),
        "published_at": _l("Publisert"), "published_by_id": _l("Publisert av"),
        "deleted_at": _l("I papirkurven fra"), "deleted_by_id": _l("Flyttet til papirkurven av"),
        # budget
        "year": _l("År"), "nature": _l("Drift eller investering"),
        "forecast_ore": _l("Prognose"), "line_id": _l("Budsjettlinje"),
        "amount_kroner": _l("Beløp (kr)"), "key_id": _l("Fordelingsnøkkel"),
        "equal_percent": _l("Andel fordelt likt (%)"), "percent": _l("Prosentandel"),
    }


def _amount_text(value) -> str:
    """An amount in øre from the history, as 85 000 kr."""
    try:
        return format_amount(int(value), ore=True)
    except (TypeError, ValueError):
        return str(value)


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


def _edit_form(**kwargs) -> ProjectForm:
    """The project form without the phase: after creation, the phase moves by decisions
    or on the phase page, so its history stays true."""
    form = ProjectForm(**kwargs)
    del form.phase
    return form


def _form_from(project: Project) -> ProjectForm:
    """The edit form filled with the project's stored values."""
    form = _edit_form(formdata=None, obj=project)
    form.status.data = project.status.value
    form.owner_ids.data = [org.id for org in project.owners]
    form.participant_ids.data = [org.id for org in project.participants]
    form.version_id.data = project.version_id
    _choices(form, project.id)
    return form


def _input(form: ProjectForm, project: Project | None = None) -> service.ProjectInput:
    tolerance = form.time_tolerance_days.data
    return service.ProjectInput(
        code=form.code.data or "",
        name=form.name.data or "",
        purpose=form.purpose.data or "",
        description=form.description.data or "",
        phase=project.phase if project is not None else Phase(form.phase.data),
        status=ProjectStatus(form.status.data),
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        owner_ids=list(form.owner_ids.data or []),
        participant_ids=list(form.participant_ids.data or []),
        programme_id=form.programme_id.data,
        time_tolerance_days=14 if tolerance is None else tolerance,
    )


def _labels() -> dict:
    return {"phase_labels": phase_labels(), "status_labels": status_labels()}


@bp.route("/")
@permission(SIGNED_IN)
def index():
    filters = _filters()
    raw_page = request.args.get("side", "").strip()
    if raw_page and not (raw_page.isdigit() and len(raw_page) < 10 and int(raw_page) > 0):
        return error_page(400, _("Sidenummeret må være et helt tall fra 1 og oppover. "
                                 "Gå til første side av prosjektlisten."))
    listing = queries.project_page(db.session, current_user, filters,
                                   int(raw_page) if raw_page else 1, PROJECTS_PER_PAGE)
    return render(
        "projects/index.html",
        block="results",
        listing=listing,
        projects=listing.projects,
        page_numbers=page_numbers(listing.page, listing.pages),
        page_args={k: v for k, v in (("q", filters.text),
                                      ("fase", filters.phase and filters.phase.value),
                                      ("status", filters.status and filters.status.value),
                                      ("organisasjon", filters.organisation_id)) if v},
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
    from governance.projects import plan_queries
    from governance.projects.plan_forms import milestone_status_labels
    from governance.projects.plan_views import today

    rows = plan_queries.milestone_rows(db.session, project, today())
    return render(
        "projects/show.html",
        project=project,
        access=access,
        next_meeting=plan_queries.next_meeting(db.session, project.id, today()),
        milestone_summary=plan_queries.summary(rows),
        milestone_status_labels=milestone_status_labels(),
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
    form = _edit_form()
    _choices(form, project.id)
    if not form.validate():
        return render("projects/form.html", form=form, project=project, status=422)
    try:
        service.update_project(db.session, current_user, project, _input(form, project),
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
    page = max(int_arg("side") or 1, 1)
    # One page of the newest changes; one more row tells whether there is an older page.
    records = history_queries.for_project(db.session, project.id, limit=HISTORY_PAGE + 1,
                                          offset=(page - 1) * HISTORY_PAGE)
    older = len(records) > HISTORY_PAGE
    records = records[:HISTORY_PAGE]
    org_names = organisation_queries.organisation_names(db.session)
    person_names = role_queries.person_names(db.session)
    values = {
        "phase": {p.value: label for p, label in phase_labels().items()},
        "status": {s.value: label for s, label in
                   [*status_labels().items(), *local_status_labels().items(),
                    *checkpoint_status_labels().items()]},
        "decision_point": {d.value: d.name for d in DecisionPoint},
        "body": {b.value: label for b, label in body_labels().items()},
        "outcome": {o.value: label for o, label in outcome_labels().items()},
        "responsible_person_id": person_names,
        "role": {r.value: label for r, label in
                 [*role_labels().items(), *member_role_labels().items()]},
        "kind": {k.value: label for k, label in group_kind_labels().items()},
        "role_key": responsibility_labels(),
        "group_id": role_queries.group_names(db.session, project.id),
        "owners": org_names, "participants": org_names, "organisation_id": org_names,
        "person_id": person_names, "programme_id": queries.project_names(db.session),
        "start_date": format_iso_date, "end_date": format_iso_date,
        "baseline_date": format_iso_date, "forecast_date": format_iso_date,
        "actual_date": format_iso_date, "started_on": format_iso_date,
        "decided_on": format_iso_date, "meeting_date": format_iso_date,
        "expected_from": format_iso_date, "measured_on": format_iso_date,
        "target_date": format_iso_date, "period_start": format_iso_date,
        "period_end": format_iso_date, "entered_at": format_iso_datetime,
        "recorded_at": format_iso_datetime,
        "valid_from": format_iso_date, "valid_to": format_iso_date,
        "created_at": format_iso_datetime, "due_date": format_iso_date,
        "done_on": format_iso_date, "assessed_on": format_iso_date,
        "published_at": format_iso_datetime, "deleted_at": format_iso_datetime,
        "amount_ore": _amount_text, "forecast_ore": _amount_text,
        "owner_person_id": person_names,
    }
    changes = describe(records, _history_labels(), values, yes=_("Ja"), no=_("Nei"))
    return render("history/object_history.html", changes=changes, title=project.name,
                  page=page, older=older,
                  page_url=lambda number: url_for("projects.history", code=project.code,
                                                  side=number if number > 1 else None),
                  table_labels={"project_role": _("rolle"), "project_group": _("gruppe"),
                                "group_member": _("gruppemedlem"),
                                "responsibility": _("ansvar"), "project_task": _("oppgave"),
                                "local_task": _("lokal oppgave"),
                                "milestone": _("milepæl"), "phase_record": _("faseskifte"),
                                "checkpoint": _("sjekkpunkt"), "decision": _("vedtak"),
                                "meeting": _("møte"), "agenda_item": _("sak på sakslisten"),
                                "goal": _("mål"), "benefit": _("gevinst"),
                                "benefit_owner": _("gevinsteier"), "indicator": _("indikator"),
                                "baseline": _("nullpunkt"), "target": _("mål for indikator"),
                                "measurement": _("måling"), "risk": _("risiko"),
                                "risk_assessment": _("risikovurdering"),
                                "risk_measure": _("tiltak"),
                                "status_report": _("statusrapport"),
                                "budget_line": _("budsjettlinje"),
                                "actual_cost": _("regnskapstall"),
                                "cost_key": _("fordelingsnøkkel"),
                                "key_percent": _("prosentandel i nøkkel"),
                                "shared_cost": _("felles kostnad")},
                  back_url=url_for("projects.show", code=project.code))
