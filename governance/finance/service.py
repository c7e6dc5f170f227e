"""Write side of the budget: budget lines (shared or per organisation), actual costs per
month, forecasts, cost-sharing keys and shared costs. Every rule refused here leaves the
session for the caller to roll back; nothing is half-saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from governance.benefits.achievement import parse_period
from governance.db_base import next_number
from governance.errors import N_, RuleViolation, StaleEdit
from governance.finance import sharing
from governance.finance.models import (
    COST_CATEGORIES,
    INCOME_CATEGORIES,
    ActualCost,
    BudgetLine,
    Category,
    CostKey,
    KeyPercent,
    LineKind,
    Nature,
    SharedCost,
)
from governance.finance.sharing import KeyMethod
from governance.projects.models import Project

MAX_ORE = 10**13  # 100 000 000 000 kr


@dataclass
class LineInput:
    year: int | None
    kind: LineKind
    category: Category
    nature: Nature
    name: str
    amount_ore: int | None
    note: str = ""
    # None: the shared budget; an id: that organisation's own cost; ALL: one line for each
    # participant (only when creating).
    organisation_id: int | None = None
    for_all: bool = False


def check_year(project: Project, year: int | None) -> int:
    if year is None:
        raise RuleViolation(N_("Skriv årstallet, for eksempel 2013."), "year")
    if not 1990 <= year <= 2100:
        raise RuleViolation(N_("Skriv et årstall mellom 1990 og 2100."), "year")
    return year


def _check_amount(amount_ore: int | None, field_name: str, *, required: bool = True) -> None:
    if amount_ore is None:
        if required:
            raise RuleViolation(N_("Skriv et beløp i kroner, for eksempel 85 000."), field_name)
        return
    if amount_ore < 0:
        raise RuleViolation(N_("Beløpet kan ikke være negativt."), field_name)
    if amount_ore >= MAX_ORE:
        raise RuleViolation(N_("Beløpet er for stort."), field_name)


def _check_line(project: Project, data: LineInput) -> None:
    if not data.name.strip():
        raise RuleViolation(N_("Skriv hva linjen gjelder."), "name")
    check_year(project, data.year)
    allowed = INCOME_CATEGORIES if data.kind == LineKind.INCOME else COST_CATEGORIES
    if data.category not in allowed:
        raise RuleViolation(N_("Kategorien passer ikke til en inntekt eller en kostnad."),
                            "category")
    _check_amount(data.amount_ore, "amount_ore")
    if (data.organisation_id is not None or data.for_all) and data.kind != LineKind.COST:
        raise RuleViolation(
            N_("En organisasjons egne linjer er kostnader; inntekter føres i det felles "
               "budsjettet."), "organisation")
    if data.organisation_id is not None and data.organisation_id not in {
            o.id for o in project.participants}:
        raise RuleViolation(N_("Organisasjonen deltar ikke i prosjektet."), "organisation")


def save_line(session: Session, actor, project: Project, data: LineInput,
              line: BudgetLine | None = None, version_id: int | None = None
              ) -> list[BudgetLine]:
    """Create (one line, or one for each participant) or update a budget line."""
    if line is not None and version_id != line.version_id:
        raise StaleEdit()
    _check_line(project, data)
    if line is None:
        organisations = ([o.id for o in project.participants] if data.for_all
                         else [data.organisation_id])
        if not organisations:
            raise RuleViolation(N_("Prosjektet har ingen deltakere ennå."), "organisation")
        lines = [BudgetLine(project_id=project.id, organisation_id=org) for org in organisations]
        session.add_all(lines)
    else:
        lines = [line]
        line.organisation_id = data.organisation_id
    for item in lines:
        item.year = data.year
        item.kind = data.kind
        item.category = data.category
        item.nature = data.nature
        item.name = data.name.strip()
        item.amount_ore = data.amount_ore
        item.note = data.note.strip()
    session.flush()
    return lines


def delete_line(session: Session, actor, line: BudgetLine) -> None:
    """Move the line (with its actual costs) to the project's wastebasket."""
    from governance.retention.service import trash

    trash(session, actor, line)


def set_forecast(session: Session, actor, line: BudgetLine, forecast_ore: int | None,
                 version_id: int | None) -> None:
    if version_id != line.version_id:
        raise StaleEdit()
    _check_amount(forecast_ore, "forecast_ore", required=False)
    line.forecast_ore = forecast_ore
    session.flush()


def month_of(line: BudgetLine, period_text: str, today: date):
    """The month an actual cost is for: in the line's year and not after this month."""
    try:
        period = parse_period(period_text)
    except RuleViolation:  # its message offers years, halves and quarters too
        period = None
    if period is None or len(period.code) != 7 or not period.code[5:].isdigit():
        raise RuleViolation(N_("Skriv måneden som 2013-03."), "period")
    if period.start.year != line.year:
        raise RuleViolation(N_("Måneden må være i budsjettåret %(year)d."), "period",
                            year=line.year)
    if period.start > today:
        raise RuleViolation(N_("Måneden har ikke begynt ennå."), "period")
    return period


def set_actual(session: Session, actor, project: Project, line: BudgetLine, *, period: str,
               amount_ore: int | None, note: str, today: date) -> ActualCost:
    """Record (or replace) what the line cost in one month."""
    month = month_of(line, period, today)
    _check_amount(amount_ore, "amount_ore")
    if len(note) > 1000:
        raise RuleViolation(N_("Kommentaren kan ha høyst 1000 tegn."), "note")
    actual = session.scalar(select(ActualCost).where(ActualCost.line_id == line.id,
                                                     ActualCost.period == month.code))
    if actual is None:
        actual = ActualCost(project_id=project.id, line_id=line.id, period=month.code,
                            period_start=month.start)
        session.add(actual)
    actual.amount_ore = amount_ore
    actual.note = note.strip()
    actual.entered_by_id = getattr(actor, "id", None)
    session.flush()
    return actual


def delete_actual(session: Session, actor, actual: ActualCost) -> None:
    """Move the figure to the project's wastebasket (it can be restored)."""
    from governance.retention.service import trash

    trash(session, actor, actual)


# --- Cost sharing ----------------------------------------------------------------------------


@dataclass
class KeyInput:
    name: str
    method: KeyMethod
    equal_percent: Decimal | None = None
    percents: dict[int, Decimal | None] = field(default_factory=dict)


def save_key(session: Session, actor, project: Project, data: KeyInput,
             key: CostKey | None = None, version_id: int | None = None) -> CostKey:
    if key is not None and version_id != key.version_id:
        raise StaleEdit()
    name = data.name.strip()
    if not name:
        raise RuleViolation(N_("Gi nøkkelen et navn, for eksempel «Folketall»."), "name")
    taken = session.scalar(select(CostKey.id).where(
        CostKey.project_id == project.id, CostKey.name == name))
    if taken is not None and (key is None or taken != key.id):
        raise RuleViolation(N_("Prosjektet har allerede en nøkkel med dette navnet."), "name")
    participants = list(project.participants)
    if data.method == KeyMethod.FIXED:
        sharing.weights(KeyMethod.FIXED, [
            sharing.Participant(o.id, o.name, fixed_percent=data.percents.get(o.id))
            for o in participants])
    elif data.method == KeyMethod.MIX and (
            data.equal_percent is None or not 0 <= data.equal_percent <= 100):
        raise RuleViolation(N_("Skriv hvor mange prosent som fordeles likt, fra 0 til 100."),
                            "equal_percent")
    if key is None:
        key = CostKey(project_id=project.id, position=next_number(
            session, CostKey.position, CostKey.project_id == project.id))
        session.add(key)
    key.name = name
    key.method = data.method
    key.equal_percent = data.equal_percent if data.method == KeyMethod.MIX else None
    wanted = ({o.id: data.percents[o.id] for o in participants}
              if data.method == KeyMethod.FIXED else {})
    current = {p.organisation_id: p for p in key.percents}
    for org_id, row in current.items():
        if org_id not in wanted:
            key.percents.remove(row)
    for org_id, percent in wanted.items():
        if org_id in current:
            current[org_id].percent = percent
        else:
            key.percents.append(KeyPercent(project_id=project.id, organisation_id=org_id,
                                           percent=percent))
    if key.id is not None:
        # The percentages are rows of their own: a change to them alone must still give the
        # key a new version, or a stale edit of them would silently overwrite this one.
        flag_modified(key, "name")
    session.flush()
    return key


def delete_key(session: Session, actor, key: CostKey) -> None:
    session.delete(key)
    session.flush()


@dataclass
class SharedCostInput:
    year: int | None
    name: str
    amount_kroner: int | None
    note: str = ""
    key_id: int | None = None


def save_shared_cost(session: Session, actor, project: Project, data: SharedCostInput,
                     cost: SharedCost | None = None, version_id: int | None = None
                     ) -> SharedCost:
    if cost is not None and version_id != cost.version_id:
        raise StaleEdit()
    if not data.name.strip():
        raise RuleViolation(N_("Skriv hva kostnaden gjelder."), "name")
    check_year(project, data.year)
    if data.amount_kroner is None:
        raise RuleViolation(N_("Skriv et beløp i hele kroner, for eksempel 700 000."),
                            "amount_kroner")
    _check_amount(data.amount_kroner * 100, "amount_kroner")
    if data.key_id is not None:
        key = session.get(CostKey, data.key_id)
        if key is None or key.project_id != project.id:
            raise RuleViolation(N_("Nøkkelen finnes ikke i prosjektet."), "key_id")
    if cost is None:
        cost = SharedCost(project_id=project.id)
        session.add(cost)
    cost.year = data.year
    cost.name = data.name.strip()
    cost.amount_kroner = data.amount_kroner
    cost.note = data.note.strip()
    cost.key_id = data.key_id
    session.flush()
    return cost


def choose_key(session: Session, actor, cost: SharedCost, key: CostKey | None,
               participants: list[sharing.Participant], version_id: int | None) -> None:
    """Choose the key the cost is split by; refused when the key cannot be applied to the
    cost's year (a population missing, say)."""
    if version_id != cost.version_id:
        raise StaleEdit()
    if key is not None:
        from governance.finance.queries import participants_under

        sharing.weights(key.method, participants_under(key, participants), key.equal_percent)
    cost.key_id = key.id if key is not None else None
    session.flush()


def delete_shared_cost(session: Session, actor, cost: SharedCost) -> None:
    session.delete(cost)
    session.flush()


__all__ = ["LineInput", "KeyInput", "SharedCostInput", "save_line", "delete_line",
           "set_forecast", "set_actual", "delete_actual", "save_key", "delete_key",
           "save_shared_cost", "choose_key", "delete_shared_cost", "month_of", "check_year"]
