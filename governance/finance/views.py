"""Budget and costs: the budget per year against actual costs and forecast, budget lines and
their monthly actual costs, the import of actual costs, cost-sharing keys compared side by
side, and the settlement per municipality (with CSV and Excel exports)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm.exc import StaleDataError

from governance.benefits import importing
from governance.editing import Editing, edit
from governance.errors import N_, RuleViolation, StaleEdit
from governance.extensions import db
from governance.finance import charts, queries, service
from governance.finance.forms import (
    ALL,
    SHARED,
    ActualForm,
    ChooseKeyForm,
    ForecastForm,
    ImportForm,
    KeyForm,
    LineForm,
    SharedCostForm,
    category_labels,
    kind_labels,
    method_labels,
    nature_labels,
)
from governance.finance.models import (
    ActualCost,
    BudgetLine,
    Category,
    CostKey,
    LineKind,
    Nature,
    SharedCost,
)
from governance.finance.sharing import KeyMethod
from governance.forms import attach_error, choice_list, parse_decimal, submitted_version
from governance.i18n import html_lang
from governance.projects.models import Project
from governance.projects.plan_views import today
from governance.projects.views import load_project
from governance.spreadsheets import safe_cell
from governance.web import SIGNED_IN, int_arg, permission, render, require

bp = Blueprint("finance", __name__, url_prefix="/prosjekter/<code>/okonomi")

IMPORT_COLUMNS = ("linje", "periode", "beløp", "kommentar")
IMPORT_REQUIRED = IMPORT_COLUMNS[:3]
IMPORT_MISSING = N_("Første rad må ha kolonnene linje, periode og beløp. Mangler: %(columns)s.")


def _labels() -> dict:
    return {"kind_labels": kind_labels(), "category_labels": category_labels(),
            "nature_labels": nature_labels(), "method_labels": method_labels(),
            "LineKind": LineKind, "KeyMethod": KeyMethod}


def _separators() -> str:
    return ".," if html_lang() == "en" else ",\u00a0"


def _year(project: Project, years: list[int]) -> int:
    """The year asked for (?ar=), else this year if budgeted, else the last budget year."""
    asked = int_arg("ar")
    if asked is not None and 1990 <= asked <= 2100:
        return asked
    this = today().year
    if not years or this in years:
        return this
    earlier = [y for y in years if y <= this]
    return earlier[-1] if earlier else years[0]


# --- The budget --------------------------------------------------------------------------------


@bp.route("/")
@permission(SIGNED_IN)
def overview(code: str):
    project, access = load_project(code)
    all_lines = queries.lines(db.session, project.id)
    costs = queries.shared_costs(db.session, project.id)
    years = queries.years(project, all_lines, costs)
    year = _year(project, years)
    by_year = queries.budget_by_year(project, all_lines)
    shown = by_year.get(year) or queries.YearBudget(
        year, tolerance_percent=project.cost_tolerance_percent)
    ordered = [by_year[y] for y in sorted(by_year)]
    figure = charts.budget_figure(ordered, {
        "budget": _("Budsjett"), "actual": _("Regnskap"), "forecast": _("Prognose"),
        "axis": _("Kroner"), "separators": _separators()}) if ordered else None
    own_by_org: dict[int, list] = {}
    organisations = {o.id: o for o in project.participants}
    for figures in shown.own_costs:
        own_by_org.setdefault(figures.line.organisation_id, []).append(figures)
        if figures.line.organisation_id not in organisations:
            # An organisation that has left the project keeps its own budget lines.
            organisations[figures.line.organisation_id] = figures.line.organisation
    return render("finance/overview.html", project=project, access=access, year=year,
                  years=sorted(set(years) | {year}), budget=shown, ordered=ordered,
                  total=queries.totals_over_years(by_year), figure=figure,
                  own_by_org=own_by_org, organisations=organisations, **_labels())


def _line_form(project: Project, line: BudgetLine | None, formdata=True) -> LineForm:
    if formdata:
        form = LineForm()
    else:
        form = LineForm(formdata=None, obj=line)
        if line is not None:
            form.kind.data = line.kind.value
            form.category.data = line.category.value
            form.nature.data = line.nature.value
            form.organisation.data = str(line.organisation_id or SHARED)
            form.version_id.data = line.version_id
        else:
            form.year.data = int_arg("ar") or today().year
            form.kind.data = LineKind.COST.value
            form.nature.data = Nature.OPERATING.value
            form.organisation.data = SHARED
    choices = [(SHARED, _("Prosjektet (felles budsjett)"))]
    if line is None:
        choices.append((ALL, _("Hver deltaker for seg (én linje per deltaker)")))
    choices += [(str(o.id), o.name) for o in sorted(project.participants, key=lambda o: o.name)]
    form.organisation.choices = choice_list(choices)
    return form


def _line_input(form: LineForm) -> service.LineInput:
    chosen = form.organisation.data or SHARED
    return service.LineInput(
        year=form.year.data, kind=LineKind(form.kind.data),
        category=Category(form.category.data), nature=Nature(form.nature.data),
        name=form.name.data or "", amount_ore=form.amount_ore.data, note=form.note.data or "",
        organisation_id=int(chosen) if chosen not in (SHARED, ALL) else None,
        for_all=chosen == ALL)


def _edit(project, access, editing: Editing, **extra):
    """Create or edit (leaders only): the shared flow of governance.editing."""
    require(access.can_edit)
    return edit(editing, {"project": project, "access": access, "item": editing.loaded,
                          **_labels(), **extra})


@bp.route("/linjer/ny", methods=["GET", "POST"])
@bp.route("/linjer/<int:line_id>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def line_form(code: str, line_id: int | None = None):
    project, access = load_project(code)
    line = None
    if line_id is not None:
        line = queries.by_id(db.session, BudgetLine, project.id, line_id) or abort(404)

    saved: list[BudgetLine] = []

    def save(form):
        saved.extend(service.save_line(db.session, current_user, project, _line_input(form),
                                       line, submitted_version(form) if line else None))

    return _edit(project, access, Editing(
        "finance/line_form.html", lambda data: _line_form(project, line, formdata=data), save,
        line, "name", _("Budsjettlinjen er lagret."),
        lambda: url_for("finance.overview", code=project.code, ar=saved[0].year)))


def _delete(code: str, model, object_id: int, remove, message: str, back) -> object:
    """The shared delete flow: leaders only, 404 for another project's object, 303 after."""
    project, access = load_project(code)
    require(access.can_edit)
    found = queries.by_id(db.session, model, project.id, object_id) or abort(404)
    target = back(project, found)
    remove(db.session, current_user, found)
    db.session.commit()
    flash(message, "success")
    return redirect(target, code=303)


@bp.route("/linjer/<int:line_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def line_delete(code: str, line_id: int):
    return _delete(code, BudgetLine, line_id, service.delete_line,
                   _("Budsjettlinjen er flyttet til papirkurven."),
                   lambda project, line: url_for("finance.overview", code=project.code,
                                                 ar=line.year))


def _line_page(project, access, line, *, status=200, actual_form=None, forecast_form=None,
               conflict=False):
    if forecast_form is None:
        forecast_form = ForecastForm(formdata=None, obj=line)
        forecast_form.version_id.data = line.version_id
    return render("finance/line.html", status=status, project=project, access=access,
                  line=line, figures=queries.LineFigures(line),
                  actual_form=actual_form or ActualForm(formdata=None),
                  forecast_form=forecast_form, conflict=conflict, **_labels())


@bp.route("/linjer/<int:line_id>")
@permission(SIGNED_IN)
def line(code: str, line_id: int):
    project, access = load_project(code)
    found = queries.by_id(db.session, BudgetLine, project.id, line_id) or abort(404)
    return _line_page(project, access, found)


@bp.route("/linjer/<int:line_id>/regnskap", methods=["POST"])
@permission(SIGNED_IN)
def actual_add(code: str, line_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    found = queries.by_id(db.session, BudgetLine, project.id, line_id) or abort(404)
    form = ActualForm()
    if form.validate():
        try:
            service.set_actual(db.session, current_user, project, found,
                               period=form.period.data or "", amount_ore=form.amount_ore.data,
                               note=form.note.data or "", today=today())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "amount_ore")
        else:
            flash(_("Regnskapstallet for %(period)s er lagret.", period=form.period.data),
                  "success")
            return redirect(url_for("finance.line", code=project.code, line_id=found.id),
                            code=303)
    return _line_page(project, access, found, status=422, actual_form=form)


@bp.route("/linjer/<int:line_id>/regnskap/<int:actual_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def actual_delete(code: str, line_id: int, actual_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    found = queries.by_id(db.session, BudgetLine, project.id, line_id) or abort(404)
    actual = db.session.get(ActualCost, actual_id)
    if actual is None or actual.line_id != found.id:
        abort(404)
    service.delete_actual(db.session, current_user, actual)
    db.session.commit()
    flash(_("Regnskapstallet er flyttet til papirkurven."), "success")
    return redirect(url_for("finance.line", code=project.code, line_id=found.id), code=303)


@bp.route("/linjer/<int:line_id>/prognose", methods=["POST"])
@permission(SIGNED_IN)
def forecast(code: str, line_id: int):
    project, access = load_project(code)
    require(access.can_edit)
    found = queries.by_id(db.session, BudgetLine, project.id, line_id) or abort(404)
    form = ForecastForm()
    if form.validate():
        try:
            service.set_forecast(db.session, current_user, found, form.forecast_ore.data,
                                 submitted_version(form))
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            attach_error(form, error, "forecast_ore")
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            db.session.refresh(found)
            return _line_page(project, access, found, status=409, conflict=True)
        else:
            flash(_("Prognosen er lagret."), "success")
            return redirect(url_for("finance.line", code=project.code, line_id=found.id),
                            code=303)
    return _line_page(project, access, found, status=422, forecast_form=form)


# --- Import of actual costs ----------------------------------------------------------------------


@dataclass
class ImportRow:
    number: int
    cells: dict
    line: BudgetLine | None = None
    period: str = ""
    amount_ore: int | None = None
    note: str = ""
    errors: list = None


def _check_import(project: Project, table: list[dict]) -> list[ImportRow]:
    all_lines = queries.lines(db.session, project.id)
    by_id = {str(line.id): line for line in all_lines}
    by_name: dict[str, list[BudgetLine]] = {}
    for line in all_lines:
        by_name.setdefault(line.name.strip().lower(), []).append(line)
    seen: dict[tuple[int, str], int] = {}
    rows = []
    for number, cells in enumerate(table, start=2):
        row = ImportRow(number, cells, errors=[])
        name = cells.get("linje", "").strip()
        period = cells.get("periode", "").strip()
        candidates = [by_id[name]] if name in by_id else by_name.get(name.lower(), [])
        if period[:4].isdigit():
            same_year = [c for c in candidates if c.year == int(period[:4])]
            candidates = same_year or candidates
        if len(candidates) == 1:
            row.line = candidates[0]
        elif not candidates:
            row.errors.append(importing.RowError("linje", RuleViolation(
                N_("Prosjektet har ingen budsjettlinje som heter «%(name)s»."), "linje",
                name=name[:80])))
        else:
            row.errors.append(importing.RowError("linje", RuleViolation(
                N_("Flere budsjettlinjer heter «%(name)s»: bruk linjens nummer."), "linje",
                name=name[:80])))
        if row.line is not None:
            try:
                row.period = service.month_of(row.line, period, today()).code
            except RuleViolation as error:
                row.errors.append(importing.RowError("periode", error))
        raw = cells.get("beløp", "").strip()
        if not raw:
            row.errors.append(importing.RowError(
                "beløp", RuleViolation(N_("Skriv et beløp."), "beløp")))
        else:
            try:
                value = importing.read_decimal(raw.replace("kr", ""))
                if value < 0:
                    raise RuleViolation(N_("Beløpet kan ikke være negativt."), "beløp")
                if value.as_tuple().exponent < -2 or value >= 10**11:
                    raise RuleViolation(N_("«%(text)s» er ikke et beløp i kroner."), "beløp",
                                        text=raw[:40])
                row.amount_ore = int(value * 100)
            except RuleViolation as error:
                row.errors.append(importing.RowError("beløp", error))
        row.note = cells.get("kommentar", "").strip()
        if len(row.note) > 1000:
            row.errors.append(importing.RowError("kommentar", RuleViolation(
                N_("Kommentaren kan ha høyst 1000 tegn."), "kommentar")))
        if row.line is not None and row.period:
            key = (row.line.id, row.period)
            if key in seen:
                row.errors.append(importing.RowError("periode", RuleViolation(
                    N_("Samme linje og måned som rad %(row)d."), "periode", row=seen[key])))
            else:
                seen[key] = number
        rows.append(row)
    return rows


def _import_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="actual-cost-import")


@bp.route("/import", methods=["GET", "POST"])
@permission(SIGNED_IN)
def import_actuals(code: str):
    """Upload: every row is checked and shown; nothing is saved until confirmed."""
    project, access = load_project(code)
    require(access.can_edit)
    form = ImportForm()
    context = {"project": project, "access": access, "form": form, "columns": IMPORT_COLUMNS}
    if request.method == "GET":
        return render("finance/import.html", **context)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.file.errors = [_("Velg en fil.")]
        return render("finance/import.html", status=422, **context)
    try:
        table = importing.read_table(upload.filename, upload.read(importing.MAX_BYTES + 1),
                                     IMPORT_COLUMNS, IMPORT_REQUIRED, IMPORT_MISSING)
    except importing.ImportRefused as refused:
        form.file.errors = [refused.error.text()]
        return render("finance/import.html", status=422, **context)
    rows = _check_import(project, table)
    bad = [row for row in rows if row.errors]
    payload = None if bad else _import_serializer().dumps({"project": project.id,
                                                           "rows": table})
    return render("finance/import.html", status=422 if bad else 200, rows=rows, bad=bad,
                  payload=payload, filename=upload.filename, **context)


@bp.route("/import/lagre", methods=["POST"])
@permission(SIGNED_IN)
def import_confirm(code: str):
    """Save the checked rows: all of them, or (if anything changed since) none."""
    project, access = load_project(code)
    require(access.can_edit)
    try:
        data = _import_serializer().loads(request.form.get("payload", ""))
    except BadSignature:
        abort(400)
    if not isinstance(data, dict) or data.get("project") != project.id:
        abort(400)
    rows = _check_import(project, data.get("rows") or [])
    form = ImportForm()
    context = {"project": project, "access": access, "form": form, "columns": IMPORT_COLUMNS}
    bad = [row for row in rows if row.errors]
    if bad or not rows:
        return render("finance/import.html", status=422, rows=rows, bad=bad, payload=None,
                      **context)
    try:
        for row in rows:
            service.set_actual(db.session, current_user, project, row.line, period=row.period,
                               amount_ore=row.amount_ore, note=row.note, today=today())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        form.file.errors = [error.text()]
        return render("finance/import.html", status=422, **context)
    flash(_("%(num)d regnskapstall er lagret.", num=len(rows)), "success")
    return redirect(url_for("finance.overview", code=project.code), code=303)


# --- Cost sharing --------------------------------------------------------------------------------


def _participants(project: Project, year: int):
    organisations = list(project.participants)
    known = queries.populations(db.session, [o.id for o in organisations])
    return queries.participants_for(organisations, known, year), known


@bp.route("/fordeling")
@permission(SIGNED_IN)
def sharing(code: str):
    project, access = load_project(code)
    return _sharing_page(project, access)


def _sharing_page(project: Project, access, *, status: int = 200,
                  problems: dict[int, str] | None = None):
    """Each shared cost with every key applied side by side, and the key chosen for it."""
    all_keys = queries.keys(db.session, project.id)
    costs = queries.shared_costs(db.session, project.id)
    organisations = list(project.participants)
    known = queries.populations(db.session, [o.id for o in organisations])
    names = {o.id: o.name for o in organisations}
    compared = []
    for cost in costs:
        participants = queries.participants_for(organisations, known, cost.year)
        splits = queries.compare(cost, all_keys, participants)
        figure = charts.shares_figure(splits, names, {
            "axis": _("Kroner"), "separators": _separators()}) if any(
            s.shares is not None for s in splits) else None
        choose = ChooseKeyForm(formdata=None, prefix=f"c{cost.id}-")
        choose.key_id.choices = choice_list(
            [(None, _("Ingen valgt ennå"))] + [(k.id, k.name) for k in all_keys])
        choose.key_id.data = cost.key_id
        choose.version_id.data = cost.version_id
        if problems and cost.id in problems:
            choose.key_id.errors = [problems[cost.id]]
        compared.append((cost, participants, splits, figure, choose))
    return render("finance/sharing.html", status=status, project=project, access=access,
                  keys=all_keys, compared=compared, **_labels())


def _key_form(project: Project, key: CostKey | None, formdata=True) -> KeyForm:
    if formdata:
        form = KeyForm()
        form.percent_values = {o.id: request.form.get(f"percent-{o.id}", "")
                               for o in project.participants}
    else:
        form = KeyForm(formdata=None, obj=key)
        current = {p.organisation_id: p.percent for p in key.percents} if key else {}
        from governance.forms import format_decimal_input

        form.percent_values = {o.id: format_decimal_input(current.get(o.id))
                               for o in project.participants}
        if key is not None:
            form.method.data = key.method.value
            form.version_id.data = key.version_id
            form.equal_percent.data = key.equal_percent
    form.extra_errors = {}
    return form


def _key_input(project: Project, form: KeyForm) -> service.KeyInput:
    percents = {}
    for org in project.participants:
        try:
            percents[org.id] = parse_decimal(form.percent_values.get(org.id, ""))
        except ValueError:
            raise RuleViolation(
                N_("Prosentandelen for %(name)s er ikke et tall; skriv for eksempel 12,5."),
                "percent", name=org.name) from None
    return service.KeyInput(name=form.name.data or "", method=KeyMethod(form.method.data),
                            equal_percent=form.equal_percent.data, percents=percents)


@bp.route("/nokler/ny", methods=["GET", "POST"])
@bp.route("/nokler/<int:key_id>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def key_form(code: str, key_id: int | None = None):
    project, access = load_project(code)
    key = None
    if key_id is not None:
        key = queries.by_id(db.session, CostKey, project.id, key_id) or abort(404)
    editing = Editing(
        "finance/key_form.html", lambda data: _key_form(project, key, formdata=data),
        lambda form: service.save_key(db.session, current_user, project,
                                      _key_input(project, form), key,
                                      submitted_version(form) if key else None),
        key, "name", _("Fordelingsnøkkelen er lagret."),
        lambda: url_for("finance.sharing", code=project.code))
    return _edit(project, access, editing,
                 organisations=sorted(project.participants, key=lambda o: o.name))


@bp.route("/nokler/<int:key_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def key_delete(code: str, key_id: int):
    return _delete(code, CostKey, key_id, service.delete_key,
                   _("Fordelingsnøkkelen er slettet."),
                   lambda project, _key: url_for("finance.sharing", code=project.code))


def _cost_form(project: Project, cost: SharedCost | None, formdata=True) -> SharedCostForm:
    if formdata:
        form = SharedCostForm()
    else:
        form = SharedCostForm(formdata=None, obj=cost)
        if cost is not None:
            form.version_id.data = cost.version_id
        else:
            form.year.data = int_arg("ar") or today().year
    form.key_id.choices = choice_list(
        [(None, _("Velg senere"))]
        + [(k.id, k.name) for k in queries.keys(db.session, project.id)])
    return form


@bp.route("/kostnader/ny", methods=["GET", "POST"])
@bp.route("/kostnader/<int:cost_id>/rediger", methods=["GET", "POST"])
@permission(SIGNED_IN)
def cost_form(code: str, cost_id: int | None = None):
    project, access = load_project(code)
    cost = None
    if cost_id is not None:
        cost = queries.by_id(db.session, SharedCost, project.id, cost_id) or abort(404)
    editing = Editing(
        "finance/cost_form.html", lambda data: _cost_form(project, cost, formdata=data),
        lambda form: service.save_shared_cost(
            db.session, current_user, project, service.SharedCostInput(
                year=form.year.data, name=form.name.data or "",
                amount_kroner=form.amount_kroner.data, note=form.note.data or "",
                key_id=form.key_id.data), cost, submitted_version(form) if cost else None),
        cost, "name", _("Den felles kostnaden er lagret."),
        lambda: url_for("finance.sharing", code=project.code))
    return _edit(project, access, editing)


@bp.route("/kostnader/<int:cost_id>/slett", methods=["POST"])
@permission(SIGNED_IN)
def cost_delete(code: str, cost_id: int):
    return _delete(code, SharedCost, cost_id, service.delete_shared_cost,
                   _("Den felles kostnaden er slettet."),
                   lambda project, _cost: url_for("finance.sharing", code=project.code))


@bp.route("/kostnader/<int:cost_id>/nokkel", methods=["POST"])
@permission(SIGNED_IN)
def choose_key(code: str, cost_id: int):
    """Choose the key a shared cost is split by; a key that cannot be applied to the cost's
    year (a population missing) is refused with the reason at the choice (422)."""
    project, access = load_project(code)
    require(access.can_edit)
    cost = queries.by_id(db.session, SharedCost, project.id, cost_id) or abort(404)
    form = ChooseKeyForm(prefix=f"c{cost.id}-")
    all_keys = queries.keys(db.session, project.id)
    form.key_id.choices = choice_list([(None, "")] + [(k.id, k.name) for k in all_keys])
    back = url_for("finance.sharing", code=project.code) + f"#kostnad-{cost.id}"
    if not form.validate():
        return _sharing_page(project, access, status=422,
                             problems={cost.id: " ".join(str(e) for e in form.key_id.errors)
                                       or _("Ugyldig valg.")})
    key = next((k for k in all_keys if k.id == form.key_id.data), None)
    participants, _known = _participants(project, cost.year)
    try:
        service.choose_key(db.session, current_user, cost, key, participants,
                           submitted_version(form))
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return _sharing_page(project, access, status=422, problems={
            cost.id: _("Nøkkelen kan ikke brukes for %(year)d: %(reason)s", year=cost.year,
                       reason=error.text())})
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        db.session.refresh(cost)
        return _sharing_page(project, access, status=409, problems={
            cost.id: _("Noen andre endret valget i mellomtiden. Her er det gjeldende.")})
    if key is not None:
        flash(_("«%(key)s» er valgt for %(cost)s.", key=key.name, cost=cost.name), "success")
    else:
        flash(_("Nøkkelen er fjernet fra %(cost)s.", cost=cost.name), "success")
    return redirect(back, code=303)


# --- Settlement ----------------------------------------------------------------------------------


def _settlement(project: Project, year: int) -> queries.Settlement:
    organisations = list(project.participants)
    known = queries.populations(db.session, [o.id for o in organisations])
    return queries.settlement(project, year, queries.lines(db.session, project.id, year),
                              queries.shared_costs(db.session, project.id, year), known)


@bp.route("/oppgjor")
@permission(SIGNED_IN)
def settlement(code: str):
    project, access = load_project(code)
    all_lines = queries.lines(db.session, project.id)
    costs = queries.shared_costs(db.session, project.id)
    years = queries.years(project, all_lines, costs)
    year = _year(project, years)
    return render("finance/settlement.html", project=project, access=access, year=year,
                  years=sorted(set(years) | {year}), result=_settlement(project, year),
                  **_labels())


def _settlement_table(result: queries.Settlement) -> tuple[list[str], list[list]]:
    """Header and rows in kroner as exact Decimals (never floats)."""
    def kroner(ore: int) -> Decimal:
        return Decimal(ore) / 100

    header = [_("Organisasjon"), _("Andel av felles kostnader (kr)"),
              _("Egne kostnader, budsjett (kr)"), _("Egne kostnader, regnskap (kr)"),
              _("Sum (kr)")]
    rows = [[r.organisation.name, Decimal(r.shared), kroner(r.own_budget_ore),
             kroner(r.own_actual_ore), kroner(r.total_ore)] for r in result.rows]
    rows.append([_("Sum"), Decimal(result.shared_total), kroner(result.own_total_ore),
                 kroner(sum(r.own_actual_ore for r in result.rows)),
                 kroner(result.total_ore)])
    return header, rows


def _csv_number(value: Decimal) -> str:
    """1234.5 as "1234,50" (Norwegian spreadsheets read a decimal comma), whole as "1234"."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}".replace(".", ",")


@bp.route("/oppgjor/<int:year>.<fmt>")
@permission(SIGNED_IN)
def settlement_export(code: str, year: int, fmt: str):
    project, access = load_project(code)
    if fmt not in ("csv", "xlsx") or not 1990 <= year <= 2100:
        abort(404)
    header, rows = _settlement_table(_settlement(project, year))
    filename = f"oppgjor-{project.code}-{year}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(row[0])] + [_csv_number(v) for v in row[1:]])
        body = "\ufeff" + out.getvalue()
        response = current_app.response_class(body, mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(year)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(row[0])] + list(row[1:]))
        for row in sheet.iter_rows(min_row=2, min_col=2):
            for cell in row:
                cell.number_format = "# ##0.00"
        sheet.column_dimensions["A"].width = 32
        for column in "BCDE":
            sheet.column_dimensions[column].width = 24
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = current_app.response_class(
            buffer.getvalue(),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


