"""The benefits realisation plan: overview, goals, benefits, indicators with baselines and
targets, measurement entry (row by row), import with a checked preview, the plan document."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm.exc import StaleDataError

from governance.benefits import charts, importing, queries, service
from governance.benefits.achievement import parse_period, previous_period, share_of_operating_costs
from governance.benefits.forms import (
    ApprovalForm,
    BaselineForm,
    BenefitForm,
    GoalForm,
    ImportForm,
    IndicatorForm,
    MeasurementForm,
    TargetForm,
    _choices,
    direction_labels,
    frequency_labels,
    kind_labels,
    level_labels,
    realisation_labels,
    unit_labels,
)
from governance.benefits.models import (
    Benefit,
    BenefitKind,
    Direction,
    Frequency,
    Goal,
    GoalLevel,
    Indicator,
    Measurement,
    Realisation,
    Unit,
)
from governance.editing import Editing, edit
from governance.errors import N_, RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error, choice_list, submitted_version
from governance.i18n import html_lang
from governance.projects.models import Project
from governance.projects.plan_views import today
from governance.projects.views import load_project
from governance.roles import queries as role_queries
from governance.roles.policy import ProjectAccess
from governance.web import SIGNED_IN, int_arg, permission, render, require, wants_fragment

bp = Blueprint("benefits", __name__, url_prefix="/prosjekter/<code>/gevinster")

CHANGED = "measurements-changed"


def _labels() -> dict:
    return {
        "level_labels": level_labels(), "kind_labels": kind_labels(),
        "realisation_labels": realisation_labels(), "unit_labels": unit_labels(),
        "direction_labels": direction_labels(), "frequency_labels": frequency_labels(),
        "BenefitKind": BenefitKind, "Unit": Unit, "GoalLevel": GoalLevel,
    }


def unit_text(indicator: Indicator) -> str:
    """The unit a reading is shown in: % for ratio indicators."""
    if indicator.is_ratio or indicator.unit == Unit.PERCENT:
        return "%"
    if indicator.unit == Unit.FREE:
        return indicator.unit_label
    return {Unit.NOK: "kr", Unit.COUNT: _("stk."), Unit.HOURS: _("timer")}[indicator.unit]


def reported_unit(indicator: Indicator) -> str:
    """The unit a value is entered in: kroner for ratio indicators."""
    return "kr" if indicator.is_ratio else unit_text(indicator)


def reporting_organisations(project: Project, access: ProjectAccess):
    """The organisations the user enters measurements for."""
    return [o for o in project.participants if access.can_edit_organisation_data(o.id)]


def _separators() -> str:
    return ".," if html_lang() == "en" else ",\u00a0"


def chart_figures(view: queries.IndicatorView) -> dict:
    unit = unit_text(view.indicator)
    return {
        "figure": charts.indicator_figure(view, {
            "unit": unit, "target": _("Målverdi"), "axis": _("Verdi"),
            "separators": _separators()}),
        "achievement_figure": charts.achievement_figure(view, {
            "axis": _("Måloppnåelse (%)"), "target_line": _("Mål nådd"),
            "no_value": _("ingen måling"), "separators": _separators()}),
    }


# --- Overview --------------------------------------------------------------------------------


@bp.route("/")
@permission(SIGNED_IN)
def overview(code: str):
    project, access = load_project(code)
    views = queries.indicator_views(db.session, project, today())
    own = access.own_organisation_ids if not access.can_edit else None
    all_benefits = queries.benefits(db.session, project.id)
    measured = {v.indicator.benefit_id for v in views if v.indicator.benefit_id}
    return render(
        "benefits/overview.html", project=project, access=access,
        tree=queries.goal_tree(queries.goals(db.session, project.id)),
        benefits=all_benefits, unmeasured=[b for b in all_benefits if b.id not in measured],
        views=views, overdue=queries.overdue(views, own), unit_text=unit_text,
        reporting=reporting_organisations(project, access),
        approvals=queries.approvals(db.session, project.id), **_labels())


# --- Goals -----------------------------------------------------------------------------------


def _goal_form(project: Project, goal: Goal | None = None, formdata=True) -> GoalForm:
    if formdata:
        form = GoalForm()
    else:
        form = GoalForm(formdata=None, obj=goal)
        if goal is not None:
            form.level.data = goal.level.value
            form.version_id.data = goal.version_id
    others = [g for g in queries.goals(db.session, project.id) if goal is None or g.id != goal.id]
    form.parent_id.choices = choice_list(
        [(None, _("Ingen (øverste nivå)"))]
        + [(g.id, f"{level_labels()[g.level]}: {g.title}") for g in others
           if g.level != GoalLevel.RESULT])
    return form


def _goal_input(form: GoalForm) -> service.GoalInput:
    return service.GoalInput(level=GoalLevel(form.level.data), title=form.title.data or "",
                             success_criteria=form.success_criteria.data or "",
                             parent_id=form.parent_id.data)


def _edit_object(project, access, *, template, form_factory, save, loaded, name, field,
                 message):
    """Create or edit a goal, benefit or indicator; back to its place in the overview."""
    require(access.can_edit)
    return edit(Editing(template, form_factory, save, loaded, field, message,
                        lambda: url_for("benefits.overview", code=project.code) + name),
                {"project": project, "item": loaded, **_labels()})


@bp.route("/mal/nytt", methods=["GET", "POST"])
@bp.route("/mal/<int:goal_id>", methods=["GET", "POST"])
@permission(SIGNED_IN)
def goal(code: str, goal_id: int | None = None):
    project, access = load_project(code)
    loaded = None
    if goal_id is not None:
        loaded = queries.by_id(db.session, Goal, project.id, goal_id) or abort(404)
    return _edit_object(
        project, access, template="benefits/goal_form.html",
        form_factory=lambda data: _goal_form(project, loaded, formdata=data),
        save=lambda form: service.save_goal(
            db.session, current_user, project, _goal_input(form), loaded,
            submitted_version(form) if loaded else None),
        loaded=loaded, name="#mal", field="title", message=_("Målet er lagret."))


# --- Benefits --------------------------------------------------------------------------------


def _benefit_form(project: Project, benefit: Benefit | None, formdata=True) -> BenefitForm:
    if formdata:
        form = BenefitForm()
    else:
        form = BenefitForm(formdata=None, obj=benefit)
        if benefit is not None:
            form.kind.data = benefit.kind.value
            form.realisation.data = benefit.realisation.value if benefit.realisation else ""
            form.version_id.data = benefit.version_id
    people = role_queries.people(db.session)
    form.goal_id.choices = choice_list(
        [(None, _("Ikke knyttet til et mål"))]
        + [(g.id, f"{level_labels()[g.level]}: {g.title}")
           for g in queries.goals(db.session, project.id)])
    form.responsible_person_id.choices = choice_list(
        [(None, _("Ingen valgt"))] + [(p.id, p.full_name) for p in people])
    form.realisation.choices = _choices(realisation_labels(), _("Ikke bestemt"))
    form.people = people
    current = {o.organisation_id: o.person_id for o in benefit.owners} if benefit else {}
    form.owner_values = {}
    form.extra_errors = {}  # the owners: selects outside the WTForms fields
    for org in project.participants:
        if formdata:
            form.owner_values[org.id] = request.form.get(f"owner-{org.id}", "")
        elif org.id in current:
            form.owner_values[org.id] = str(current[org.id] or 0)
        else:
            form.owner_values[org.id] = ""
    return form


def _owners(form: BenefitForm) -> dict[int, int | None]:
    owners = {}
    for org_id, raw in form.owner_values.items():
        if raw == "":
            continue
        if not raw.isdigit() or len(raw) > 9:
            raise RuleViolation(N_("Ugyldig valg."), "owners")
        owners[org_id] = int(raw) or None
    return owners


def _benefit_input(form: BenefitForm) -> service.BenefitInput:
    return service.BenefitInput(
        title=form.title.data or "", description=form.description.data or "",
        kind=BenefitKind(form.kind.data), goal_id=form.goal_id.data,
        amount_ore=form.amount_ore.data, person_years=form.person_years.data,
        responsible_person_id=form.responsible_person_id.data,
        expected_from=form.expected_from.data,
        realisation=Realisation(form.realisation.data) if form.realisation.data else None,
        realisation_note=form.realisation_note.data or "", owners=_owners(form))


@bp.route("/gevinst/ny", methods=["GET", "POST"])
@bp.route("/gevinst/<int:benefit_id>", methods=["GET", "POST"])
@permission(SIGNED_IN)
def benefit(code: str, benefit_id: int | None = None):
    project, access = load_project(code)
    loaded = None
    if benefit_id is not None:
        loaded = queries.by_id(db.session, Benefit, project.id, benefit_id) or abort(404)
    return _edit_object(
        project, access, template="benefits/benefit_form.html",
        form_factory=lambda data: _benefit_form(project, loaded, formdata=data),
        save=lambda form: service.save_benefit(
            db.session, current_user, project, _benefit_input(form), loaded,
            submitted_version(form) if loaded else None),
        loaded=loaded, name="#gevinster", field="title", message=_("Gevinsten er lagret."))


# --- Indicators ------------------------------------------------------------------------------


def _indicator_form(project: Project, indicator: Indicator | None, formdata=True):
    if formdata:
        form = IndicatorForm()
    else:
        form = IndicatorForm(formdata=None, obj=indicator)
        if indicator is not None:
            form.unit.data = indicator.unit.value
            form.direction.data = indicator.direction.value
            form.frequency.data = indicator.frequency.value
            form.version_id.data = indicator.version_id
        else:
            form.frequency.data = Frequency.YEARLY.value
    form.benefit_id.choices = choice_list(
        [(None, _("Ikke knyttet til en gevinst"))]
        + [(b.id, b.title) for b in queries.benefits(db.session, project.id)])
    form.measured_by_person_id.choices = choice_list(
        [(None, _("Ingen valgt"))] + [(p.id, p.full_name) for p in role_queries.people(db.session)])
    return form


def _indicator_input(form: IndicatorForm) -> service.IndicatorInput:
    return service.IndicatorInput(
        name=form.name.data or "", benefit_id=form.benefit_id.data, unit=Unit(form.unit.data),
        unit_label=form.unit_label.data or "", direction=Direction(form.direction.data),
        frequency=Frequency(form.frequency.data), method=form.method.data or "",
        data_source=form.data_source.data or "",
        measured_by_person_id=form.measured_by_person_id.data,
        is_ratio=bool(form.is_ratio.data), ratio_factor=form.ratio_factor.data)


@bp.route("/indikatorer/ny", methods=["GET", "POST"])
@bp.route("/indikatorer/<int:indicator_id>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def indicator_form(code: str, indicator_id: int | None = None):
    project, access = load_project(code)
    loaded = None
    if indicator_id is not None:
        loaded = queries.by_id(db.session, Indicator, project.id, indicator_id) or abort(404)
    return _edit_object(
        project, access, template="benefits/indicator_form.html",
        form_factory=lambda data: _indicator_form(project, loaded, formdata=data),
        save=lambda form: service.save_indicator(
            db.session, current_user, project, _indicator_input(form), loaded,
            submitted_version(form) if loaded else None),
        loaded=loaded, name="#indikatorer", field="name", message=_("Indikatoren er lagret."))


def _indicator(project: Project, indicator_id: int) -> Indicator:
    return queries.by_id(db.session, Indicator, project.id, indicator_id) or abort(404)


def _indicator_page(project, access, indicator, *, status=200, baseline_form=None,
                    target_form=None):
    view = queries.indicator_views(db.session, project, today(), only=[indicator])[0]
    editable = reporting_organisations(project, access)
    if baseline_form is None:
        baseline_form = BaselineForm(formdata=None)
    baseline_form.organisation_id.choices = choice_list(
        [(o.id, o.name) for o in editable])
    factor = indicator.ratio_factor
    return render(
        "benefits/indicator.html", status=status, project=project, access=access,
        indicator=indicator, view=view, unit=unit_text(indicator),
        entered_unit=reported_unit(indicator), baseline_form=baseline_form,
        target_form=target_form or TargetForm(formdata=None), can_set_baseline=bool(editable),
        of_costs=(lambda share: share_of_operating_costs(share, factor)) if factor else None,
        **chart_figures(view), **_labels())


@bp.route("/indikatorer/<int:indicator_id>")
@permission(SIGNED_IN)
def indicator(code: str, indicator_id: int):
    project, access = load_project(code)
    return _indicator_page(project, access, _indicator(project, indicator_id))


@bp.route("/indikatorer/<int:indicator_id>/nullpunkt", methods=["POST"])
@permission(SIGNED_IN)
def indicator_baseline(code: str, indicator_id: int):
    project, access = load_project(code)
    indicator = _indicator(project, indicator_id)
    form = BaselineForm()
    require(bool(reporting_organisations(project, access)))
    # Every participant is a valid choice, so that another organisation's id is refused
    # as a permission (403), not as a bad choice.
    form.organisation_id.choices = choice_list(
        [(o.id, o.name) for o in project.participants])
    if form.validate():
        require(access.can_edit_organisation_data(form.organisation_id.data or -1))
        try:
            service.set_baseline(db.session, current_user, project, indicator,
                                 organisation_id=form.organisation_id.data,
                                 value=form.value.data, measured_on=form.measured_on.data,
                                 today=today())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "value")
        else:
            flash(_("Nullpunktet er lagret."), "success")
            return redirect(url_for("benefits.indicator", code=project.code,
                                    indicator_id=indicator.id), code=303)
    return _indicator_page(project, access, indicator, status=422, baseline_form=form)


@bp.route("/indikatorer/<int:indicator_id>/mal", methods=["POST"])
@permission(SIGNED_IN)
def indicator_target(code: str, indicator_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    indicator = _indicator(project, indicator_id)
    form = TargetForm()
    if form.validate():
        view = queries.indicator_views(db.session, project, today(), only=[indicator])[0]
        readings = [s.baseline_reading.value for s in view.standings
                    if s.baseline_reading is not None and s.baseline_reading.value is not None]
        try:
            service.add_target(db.session, current_user, project, indicator,
                               target_date=form.target_date.data, value=form.value.data,
                               baseline_readings=readings)
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "value")
        else:
            flash(_("Målet er lagt til."), "success")
            return redirect(url_for("benefits.indicator", code=project.code,
                                    indicator_id=indicator.id), code=303)
    return _indicator_page(project, access, indicator, status=422, target_form=form)


@bp.route("/indikatorer/<int:indicator_id>/mal/<int:target_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def indicator_target_delete(code: str, indicator_id: int, target_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    indicator = _indicator(project, indicator_id)
    target = next((t for t in indicator.targets if t.id == target_id), None) or abort(404)
    service.delete_target(db.session, current_user, indicator, target)
    db.session.commit()
    flash(_("Målet er slettet."), "success")
    return redirect(url_for("benefits.indicator", code=project.code, indicator_id=indicator.id),
                    code=303)


# --- Measurement entry -----------------------------------------------------------------------


def _entry_choice(project: Project, access: ProjectAccess):
    """The organisation and period of the entry screen (from the query or the defaults)."""
    organisations = reporting_organisations(project, access)
    require(bool(organisations))
    chosen = int_arg("organisasjon")
    organisation = next((o for o in organisations if o.id == chosen), organisations[0])
    raw = request.args.get("periode", "").strip()
    period_error = None
    if raw:
        try:
            period = parse_period(raw)
        except RuleViolation as error:
            period_error = error.text()
            period = previous_period(Frequency.MONTHLY, today())
    else:
        period = previous_period(Frequency.MONTHLY, today())
    return organisations, organisation, period, period_error


def _row_form(indicator: Indicator, measurement: Measurement | None,
              formdata=False) -> MeasurementForm:
    prefix = f"i{indicator.id}"
    if formdata:
        return MeasurementForm(prefix=prefix)
    form = MeasurementForm(formdata=None, obj=measurement, prefix=prefix)
    form.version_id.data = measurement.version_id if measurement else 0
    return form


@bp.route("/registrering")
@permission(SIGNED_IN)
def entry(code: str):
    """All of one organisation's indicators for one period on one screen."""
    project, access = load_project(code)
    organisations, organisation, period, period_error = _entry_choice(project, access)
    items = queries.indicators(db.session, project.id)
    existing = queries.measurements_for(db.session, project.id, organisation.id, period.code)
    rows = [(i, existing.get(i.id), _row_form(i, existing.get(i.id))) for i in items]
    return render("benefits/entry.html", status=422 if period_error else 200, project=project,
                  access=access, organisations=organisations, organisation=organisation,
                  period=period, period_error=period_error, rows=rows,
                  reported_unit=reported_unit, **_labels())


def _entry_row_target(code: str, organisation_id: int, period: str, indicator_id: int):
    """(project, indicator, period) of an entry-screen row the user may edit, or 404/403."""
    project, access = load_project(code)
    if organisation_id not in {o.id for o in project.participants}:
        abort(404)
    require(access.can_edit_organisation_data(organisation_id))
    indicator = _indicator(project, indicator_id)
    try:
        parsed = parse_period(period)
    except RuleViolation:
        abort(404)
    return project, indicator, parsed


@bp.route("/registrering/<int:organisation_id>/<period>/<int:indicator_id>", methods=["POST"])
@permission(SIGNED_IN)
def entry_row(code: str, organisation_id: int, period: str, indicator_id: int):
    """Save one row of the entry screen; htmx swaps only that row."""
    project, indicator, parsed = _entry_row_target(code, organisation_id, period, indicator_id)
    form = _row_form(indicator, None, formdata=True)
    status = 422
    saved = None
    if form.validate():
        try:
            saved = service.record_measurement(
                db.session, current_user, project,
                service.MeasurementInput(indicator, organisation_id, parsed.code,
                                         form.value.data, form.comment.data or ""),
                version_id=submitted_version(form), today=today())
            db.session.commit()
            status = 200
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "value")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            current = queries.measurements_for(db.session, project.id, organisation_id,
                                               parsed.code).get(indicator.id)
            form = _row_form(indicator, current)
            form.conflict = True
            status = 409
    if status == 200:
        if not wants_fragment():
            flash(_("Målingen er lagret."), "success")
            return redirect(url_for("benefits.entry", code=project.code,
                                    organisasjon=organisation_id, periode=parsed.code), code=303)
        form = _row_form(indicator, saved)
    elif not wants_fragment():
        return render("benefits/entry_row_page.html", status=status, project=project,
                      indicator=indicator, form=form, period=parsed,
                      organisation_id=organisation_id, entered_unit=reported_unit(indicator))
    organisation = next(o for o in project.participants if o.id == organisation_id)
    existing = saved or queries.measurements_for(db.session, project.id, organisation_id,
                                                 parsed.code).get(indicator.id)
    response = render("benefits/entry.html", block="entry_row", status=status, project=project,
                      indicator=indicator, measurement=existing, form=form, period=parsed,
                      organisation=organisation, saved=status == 200,
                      reported_unit=reported_unit)
    if status == 200:
        response.headers["HX-Trigger"] = CHANGED
    return response


@bp.route("/registrering/<int:organisation_id>/<period>/<int:indicator_id>/slett",
          methods=["POST"])
@permission(SIGNED_IN)
def entry_row_delete(code: str, organisation_id: int, period: str, indicator_id: int):
    """Move the value of one row to the wastebasket; htmx swaps the emptied row."""
    project, indicator, parsed = _entry_row_target(code, organisation_id, period, indicator_id)
    existing = queries.measurements_for(db.session, project.id, organisation_id,
                                        parsed.code).get(indicator.id) or abort(404)
    service.delete_measurement(db.session, current_user, existing)
    db.session.commit()
    if not wants_fragment():
        flash(_("Målingen er flyttet til papirkurven."), "success")
        return redirect(url_for("benefits.entry", code=project.code,
                                organisasjon=organisation_id, periode=parsed.code), code=303)
    organisation = next(o for o in project.participants if o.id == organisation_id)
    response = render("benefits/entry.html", block="entry_row", project=project,
                      indicator=indicator, measurement=None, form=_row_form(indicator, None),
                      period=parsed, organisation=organisation, deleted=True,
                      reported_unit=reported_unit)
    response.headers["HX-Trigger"] = CHANGED
    return response


# --- Import ----------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="measurement-import")


def _checked(project, access, table):
    organisations = reporting_organisations(project, access)
    return importing.check_rows(table, queries.indicators(db.session, project.id),
                                organisations, today())


@bp.route("/import", methods=["GET", "POST"])
@permission(SIGNED_IN)
def import_measurements(code: str):
    """Upload: every row is checked and shown; nothing is saved until confirmed."""
    project, access = load_project(code)
    require(bool(reporting_organisations(project, access)))
    form = ImportForm()
    context = {"project": project, "access": access, "form": form,
               "columns": importing.COLUMNS}
    if request.method == "GET":
        return render("benefits/import.html", **context)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.file.errors = [_("Velg en fil.")]
        return render("benefits/import.html", status=422, **context)
    try:
        table = importing.read_table(upload.filename, upload.read(importing.MAX_BYTES + 1))
    except importing.ImportRefused as refused:
        form.file.errors = [refused.error.text()]
        return render("benefits/import.html", status=422, **context)
    rows = _checked(project, access, table)
    bad = [row for row in rows if row.errors]
    payload = None if bad else _serializer().dumps({"project": project.id, "rows": table})
    return render("benefits/import.html", status=422 if bad else 200, rows=rows, bad=bad,
                  payload=payload, filename=upload.filename, **context)


@bp.route("/import/lagre", methods=["POST"])
@permission(SIGNED_IN)
def import_confirm(code: str):
    """Save the checked rows: all of them, or (if anything changed since) none."""
    project, access = load_project(code)
    require(bool(reporting_organisations(project, access)))
    try:
        data = _serializer().loads(request.form.get("payload", ""))
    except BadSignature:
        abort(400)
    if not isinstance(data, dict) or data.get("project") != project.id:
        abort(400)
    rows = _checked(project, access, data.get("rows") or [])
    form = ImportForm()
    context = {"project": project, "access": access, "form": form,
               "columns": importing.COLUMNS}
    bad = [row for row in rows if row.errors]
    if bad or not rows:
        return render("benefits/import.html", status=422, rows=rows, bad=bad, payload=None,
                      **context)
    try:
        for row in rows:
            service.record_measurement(
                db.session, current_user, project,
                service.MeasurementInput(row.indicator, row.organisation.id, row.period,
                                         row.value, row.comment), today=today())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        form.file.errors = [error.text()]
        return render("benefits/import.html", status=422, **context)
    except (StaleEdit, StaleDataError):
        # Someone else stored a value for one of the rows meanwhile: none are saved.
        db.session.rollback()
        form.file.errors = [_("Noen andre lagret målinger for de samme periodene i "
                              "mellomtiden. Ingenting ble lagret. Last opp filen på nytt.")]
        return render("benefits/import.html", status=409, **context)
    flash(_("%(num)d målinger er lagret.", num=len(rows)), "success")
    return redirect(url_for("benefits.overview", code=project.code), code=303)


# --- The plan as a document ------------------------------------------------------------------


def snapshot(project: Project, tree, benefits, views) -> dict:
    """The plan as approved, in plain data (kept with the approval)."""
    def goal_data(node):
        return {"level": node.goal.level.value, "title": node.goal.title,
                "success_criteria": node.goal.success_criteria,
                "children": [goal_data(child) for child in node.children]}
    return {
        "goals": [goal_data(node) for node in tree],
        "benefits": [{"title": b.title, "kind": b.kind.value, "amount_ore": b.amount_ore,
                      "person_years": None if b.person_years is None else str(b.person_years),
                      "owners": [o.organisation.name for o in b.owners]} for b in benefits],
        "indicators": [{"name": v.indicator.name,
                        "targets": [[t.target_date.isoformat(), str(t.value)]
                                    for t in v.targets],
                        "baselines": {s.organisation.name: str(s.baseline.value)
                                      for s in v.standings if s.baseline}}
                       for v in views],
    }


@bp.route("/plan", methods=["GET", "POST"])
@permission(SIGNED_IN)
def plan_document(code: str):
    project, access = load_project(code)
    tree = queries.goal_tree(queries.goals(db.session, project.id))
    all_benefits = queries.benefits(db.session, project.id)
    views = queries.indicator_views(db.session, project, today())
    approvals = queries.approvals(db.session, project.id)
    current = snapshot(project, tree, all_benefits, views)
    changed = bool(approvals) and json.dumps(approvals[0].snapshot, sort_keys=True) != \
        json.dumps(current, sort_keys=True)
    form = ApprovalForm(formdata=None) if request.method == "GET" else ApprovalForm()
    people = role_queries.people(db.session)
    form.approved_by_person_id.choices = choice_list(
        [(None, _("Velg person"))] + [(p.id, p.full_name) for p in people])
    status = 200
    if request.method == "POST":
        require(access.can_decide)
        status = 422
        if form.validate():
            try:
                approval = service.approve_plan(
                    db.session, current_user, project, approved_on=form.approved_on.data,
                    approved_by_person_id=form.approved_by_person_id.data,
                    note=form.note.data or "", snapshot=current, today=today())
                db.session.commit()
            except RuleViolation as error:
                db.session.rollback()
                attach_error(form, error, "approved_on")
            else:
                flash(_("Versjon %(num)d av gevinstrealiseringsplanen er registrert som "
                        "godkjent.", num=approval.version), "success")
                return redirect(url_for("benefits.plan_document", code=project.code),
                                code=303)
    return render("benefits/plan.html", status=status, project=project, access=access,
                  tree=tree, benefits=all_benefits, views=views, approvals=approvals,
                  changed=changed, form=form, unit_text=unit_text, **_labels())
