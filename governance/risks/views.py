"""The risk register: heat maps that filter the list, risks with measures and their history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.forms import attach_error, choice_list, submitted_version
from governance.projects.forms import phase_labels
from governance.projects.models import Phase, Project
from governance.projects.plan_views import today
from governance.projects.views import load_project
from governance.risks import charts, queries, service
from governance.risks.forms import (
    MeasureForm,
    RiskForm,
    ThresholdForm,
    category_labels,
    consequence_labels,
    kind_labels,
    probability_labels,
    proximity_labels,
    status_labels,
    strategy_labels,
)
from governance.risks.models import (
    Proximity,
    Risk,
    RiskCategory,
    RiskKind,
    RiskMeasure,
    RiskStatus,
    Strategy,
)
from governance.roles import queries as role_queries
from governance.web import SIGNED_IN, int_arg, permission, render, require

bp = Blueprint("risks", __name__, url_prefix="/prosjekter/<code>/risiko")


def _labels() -> dict:
    return {
        "kind_labels": kind_labels(), "category_labels": category_labels(),
        "strategy_labels": strategy_labels(), "proximity_labels": proximity_labels(),
        "status_labels": status_labels(), "probability_labels": probability_labels(),
        "consequence_labels": consequence_labels(), "phase_labels": phase_labels(),
        "RiskKind": RiskKind,
    }


def _filters() -> queries.RiskFilter:
    kind = request.args.get("type", "")
    p, c = int_arg("s"), int_arg("k")
    return queries.RiskFilter(
        probability=p if p in range(1, 6) else None,
        consequence=c if c in range(1, 6) else None,
        residual=request.args.get("etter") == "1",
        kind=RiskKind(kind) if kind in {k.value for k in RiskKind} else None,
        include_closed=request.args.get("alle") == "1",
    )


def heat_maps(project: Project, risks: list[Risk]) -> dict:
    labels = {"probability": _("Sannsynlighet"), "consequence": _("Konsekvens"),
              "count": _("Antall")}
    counts = queries.matrix(risks)
    residual = queries.matrix(risks, residual=True)
    return {
        "counts": counts, "residual_counts": residual,
        "heat_map": charts.heat_map(counts, project.risk_yellow_from, project.risk_red_from,
                                    labels),
        "residual_map": charts.heat_map(residual, project.risk_yellow_from,
                                        project.risk_red_from, labels),
        "zone": lambda p, c: charts.zone(p * c, project.risk_yellow_from, project.risk_red_from),
    }


def movement_since(project: Project):
    """The day the register is compared with: the last published project report."""
    from governance.reporting import queries as report_queries

    return report_queries.last_published_on(db.session, project.id)


@bp.route("/")
@permission(SIGNED_IN)
def register(code: str):
    project, access = load_project(code)
    risks = queries.all_risks(db.session, project.id)
    filters = _filters()
    since = movement_since(project)
    return render(
        "risks/register.html", block="risk_list", project=project, access=access,
        risks=queries.filtered(risks, filters), filters=filters, since=since,
        earlier=queries.scores_on(db.session, project.id, since) if since else {},
        threshold_form=ThresholdForm(formdata=None, obj=project), **heat_maps(project, risks),
        **_labels())


@bp.route("/terskler", methods=["POST"])
@permission(SIGNED_IN)
def thresholds(code: str):
    project, access = load_project(code)
    require(access.can_edit)
    form = ThresholdForm()
    if form.validate():
        try:
            service.set_thresholds(db.session, current_user, project,
                                   yellow_from=form.risk_yellow_from.data,
                                   red_from=form.risk_red_from.data)
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "risk_red_from")
        else:
            flash(_("Fargegrensene er lagret."), "success")
            return redirect(url_for("risks.register", code=project.code), code=303)
    risks = queries.all_risks(db.session, project.id)
    return render("risks/register.html", status=422, project=project, access=access,
                  risks=queries.filtered(risks, queries.RiskFilter()),
                  filters=queries.RiskFilter(), since=None, earlier={}, threshold_form=form,
                  **heat_maps(project, risks), **_labels())


def _people_choices(field, empty, people=None) -> None:
    """The people to choose from; ``people`` loaded once when a page has several forms."""
    if people is None:
        people = role_queries.people(db.session)
    field.choices = choice_list([(None, empty)] + [(p.id, p.full_name) for p in people])


def _risk_form(risk: Risk | None, formdata=True) -> RiskForm:
    if formdata:
        form = RiskForm()
    else:
        form = RiskForm(formdata=None, obj=risk)
        if risk is not None:
            for name in ("kind", "category", "status"):
                getattr(form, name).data = getattr(risk, name).value
            for name in ("phase", "strategy", "proximity"):
                value = getattr(risk, name)
                getattr(form, name).data = value.value if value else ""
            form.version_id.data = risk.version_id
    _people_choices(form.owner_person_id, _("Ingen valgt"))
    return form


def _enum_or_none(enum_cls, raw):
    return enum_cls(raw) if raw else None


def _risk_input(form: RiskForm) -> service.RiskInput:
    return service.RiskInput(
        kind=RiskKind(form.kind.data), title=form.title.data or "",
        description=form.description.data or "", cause=form.cause.data or "",
        consequence_text=form.consequence_text.data or "",
        category=RiskCategory(form.category.data), phase=_enum_or_none(Phase, form.phase.data),
        probability=form.probability.data, consequence=form.consequence.data,
        residual_probability=form.residual_probability.data,
        residual_consequence=form.residual_consequence.data,
        owner_person_id=form.owner_person_id.data,
        strategy=_enum_or_none(Strategy, form.strategy.data),
        proximity=_enum_or_none(Proximity, form.proximity.data),
        status=RiskStatus(form.status.data), escalated=bool(form.escalated.data),
        note=form.note.data or "")


def _risk(project: Project, risk_id: int) -> Risk:
    return queries.by_id(db.session, project.id, risk_id) or abort(404)


@bp.route("/ny", methods=["GET", "POST"])
@bp.route("/<int:risk_id>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def edit(code: str, risk_id: int | None = None):
    """Register or re-assess a risk; every change of the assessment is kept."""
    project, access = load_project(code)
    require(access.can_edit)
    risk = _risk(project, risk_id) if risk_id is not None else None
    context = {"project": project, "risk": risk, **_labels()}
    if request.method == "GET":
        return render("risks/risk_form.html", form=_risk_form(risk, formdata=False), **context)
    form = _risk_form(risk)
    if form.validate():
        try:
            saved = service.save_risk(db.session, current_user, project, _risk_input(form),
                                      risk, submitted_version(form) if risk else None,
                                      today=today())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "title")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            db.session.refresh(risk)
            return render("risks/risk_form.html", form=_risk_form(risk, formdata=False),
                          status=409, conflict=True, **context)
        else:
            flash(_("Risikoen er lagret."), "success")
            return redirect(url_for("risks.detail", code=project.code, risk_id=saved.id),
                            code=303)
    return render("risks/risk_form.html", form=form, status=422, **context)


def _measure_form(measure: RiskMeasure | None = None, formdata=False,
                  people=None) -> MeasureForm:
    prefix = f"t{measure.id}" if measure is not None else "ny"
    if formdata:
        form = MeasureForm(prefix=prefix)
    else:
        form = MeasureForm(formdata=None, obj=measure, prefix=prefix)
        if measure is not None:
            form.version_id.data = measure.version_id
    _people_choices(form.responsible_person_id, _("Velg ansvarlig"), people)
    return form


def _detail_page(project, access, risk, *, status=200, forms=None, new_form=None):
    people = role_queries.people(db.session)  # once, not once per measure's form
    measure_forms = {m.id: _measure_form(m, people=people) for m in risk.measures}
    measure_forms.update(forms or {})
    return render("risks/risk.html", status=status, project=project, access=access, risk=risk,
                  assessments=queries.assessments(db.session, risk.id),
                  measure_forms=measure_forms,
                  new_form=new_form or _measure_form(people=people),
                  **heat_maps(project, [risk]), **_labels())


@bp.route("/<int:risk_id>")
@permission(SIGNED_IN)
def detail(code: str, risk_id: int):
    project, access = load_project(code)
    return _detail_page(project, access, _risk(project, risk_id))


def _measure_input(form: MeasureForm) -> service.MeasureInput:
    return service.MeasureInput(text=form.text.data or "",
                                responsible_person_id=form.responsible_person_id.data,
                                due_date=form.due_date.data, done_on=form.done_on.data)


@bp.route("/<int:risk_id>/tiltak", methods=["POST"])
@bp.route("/<int:risk_id>/tiltak/<int:measure_id>", methods=["POST"])
@permission(SIGNED_IN)
def measure(code: str, risk_id: int, measure_id: int | None = None):
    project, access = load_project(code)
    require(access.can_edit)
    risk = _risk(project, risk_id)
    existing = None
    if measure_id is not None:
        existing = next((m for m in risk.measures if m.id == measure_id), None) or abort(404)
    form = _measure_form(existing, formdata=True)
    status = 422
    if form.validate():
        try:
            service.save_measure(db.session, current_user, risk, _measure_input(form), existing,
                                 submitted_version(form) if existing else None, today=today())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "text")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            db.session.refresh(existing)
            form = _measure_form(existing)
            form.conflict = True
            status = 409
        else:
            flash(_("Tiltaket er lagret."), "success")
            return redirect(url_for("risks.detail", code=project.code, risk_id=risk.id)
                            + "#tiltak", code=303)
    if existing is None:
        return _detail_page(project, access, risk, status=status, new_form=form)
    return _detail_page(project, access, risk, status=status, forms={existing.id: form})


@bp.route("/<int:risk_id>/tiltak/<int:measure_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def measure_delete(code: str, risk_id: int, measure_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    risk = _risk(project, risk_id)
    existing = next((m for m in risk.measures if m.id == measure_id), None) or abort(404)
    service.delete_measure(db.session, current_user, risk, existing)
    db.session.commit()
    flash(_("Tiltaket er flyttet til papirkurven."), "success")
    return redirect(url_for("risks.detail", code=project.code, risk_id=risk.id) + "#tiltak",
                    code=303)
