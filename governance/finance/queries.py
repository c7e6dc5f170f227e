"""Read side of the budget: lines with their actuals, budget against actual and forecast per
year with the deviation against the project's cost tolerance, cost-sharing comparisons and
the settlement per organisation. A fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.errors import RuleViolation
from governance.finance import sharing
from governance.finance.models import BudgetLine, CostKey, LineKind, SharedCost
from governance.finance.sharing import KeyMethod
from governance.organisations.models import Organisation, OrganisationYear
from governance.projects.models import Project


def lines(session: Session, project_id: int, year: int | None = None) -> list[BudgetLine]:
    stmt = (select(BudgetLine).where(BudgetLine.project_id == project_id)
            .options(selectinload(BudgetLine.actuals), joinedload(BudgetLine.organisation))
            .order_by(BudgetLine.year, BudgetLine.kind.desc(), BudgetLine.organisation_id,
                      BudgetLine.id))
    if year is not None:
        stmt = stmt.where(BudgetLine.year == year)
    return list(session.scalars(stmt))


def by_id(session: Session, model, project_id: int, object_id: int):
    found = session.get(model, object_id)
    return found if found is not None and found.project_id == project_id else None


def keys(session: Session, project_id: int) -> list[CostKey]:
    return list(session.scalars(
        select(CostKey).where(CostKey.project_id == project_id)
        .options(selectinload(CostKey.percents)).order_by(CostKey.position, CostKey.id)))


def shared_costs(session: Session, project_id: int, year: int | None = None
                 ) -> list[SharedCost]:
    stmt = (select(SharedCost).where(SharedCost.project_id == project_id)
            .options(selectinload(SharedCost.key).selectinload(CostKey.percents))
            .order_by(SharedCost.year, SharedCost.id))
    if year is not None:
        stmt = stmt.where(SharedCost.year == year)
    return list(session.scalars(stmt))


def years(project: Project, all_lines: list[BudgetLine], costs: list[SharedCost]) -> list[int]:
    """The budget years: the project's years and any year something is budgeted for."""
    found = {line.year for line in all_lines} | {cost.year for cost in costs}
    if project.start_date is not None:
        end = project.end_date.year if project.end_date else project.start_date.year
        found |= set(range(project.start_date.year, max(end, project.start_date.year) + 1))
    return sorted(found)


# --- Budget against actual and forecast ----------------------------------------------------------


@dataclass
class LineFigures:
    line: BudgetLine

    @property
    def budget(self) -> int:
        return self.line.amount_ore

    @property
    def actual(self) -> int:
        return sum(a.amount_ore for a in self.line.actuals)

    @property
    def forecast(self) -> int:
        """The expected total for the year: as given, else the larger of budget and actual."""
        if self.line.forecast_ore is not None:
            return self.line.forecast_ore
        return max(self.budget, self.actual)


@dataclass
class Totals:
    budget: int = 0
    actual: int = 0
    forecast: int = 0

    def add(self, figures: LineFigures) -> None:
        self.budget += figures.budget
        self.actual += figures.actual
        self.forecast += figures.forecast

    @property
    def deviation(self) -> int:
        """Forecast less budget: above 0 is an overrun."""
        return self.forecast - self.budget

    @property
    def deviation_percent(self) -> Decimal | None:
        if self.budget == 0:
            return None
        return Decimal(self.deviation) * 100 / Decimal(self.budget)


@dataclass
class YearBudget:
    year: int
    income: list[LineFigures] = field(default_factory=list)
    costs: list[LineFigures] = field(default_factory=list)  # the shared budget's costs
    own_costs: list[LineFigures] = field(default_factory=list)  # organisations' own
    income_totals: Totals = field(default_factory=Totals)
    cost_totals: Totals = field(default_factory=Totals)
    own_totals: Totals = field(default_factory=Totals)
    tolerance_percent: int = 10

    @property
    def result_budget(self) -> int:
        return self.income_totals.budget - self.cost_totals.budget

    @property
    def outside_tolerance(self) -> bool:
        """The shared costs' forecast deviates from the budget by more than the tolerance
        (either way), or there are costs without any budget."""
        percent = self.cost_totals.deviation_percent
        if percent is None:
            return self.cost_totals.forecast > 0
        return abs(percent) > self.tolerance_percent


def budget_by_year(project: Project, all_lines: list[BudgetLine]) -> dict[int, YearBudget]:
    result: dict[int, YearBudget] = {}
    for line in all_lines:
        year = result.setdefault(line.year, YearBudget(
            line.year, tolerance_percent=project.cost_tolerance_percent))
        figures = LineFigures(line)
        if line.kind == LineKind.INCOME:
            year.income.append(figures)
            year.income_totals.add(figures)
        elif line.organisation_id is None:
            year.costs.append(figures)
            year.cost_totals.add(figures)
        else:
            year.own_costs.append(figures)
            year.own_totals.add(figures)
    for year in result.values():
        year.own_costs.sort(key=lambda f: (f.line.organisation.name, f.line.id))
    return result


def totals_over_years(by_year: dict[int, YearBudget]) -> Totals:
    total = Totals()
    for year in by_year.values():
        total.budget += year.cost_totals.budget
        total.actual += year.cost_totals.actual
        total.forecast += year.cost_totals.forecast
    return total


# --- Cost sharing -----------------------------------------------------------------------------


def populations(session: Session, organisation_ids: list[int]) -> dict[tuple[int, int], int]:
    """(organisation id, year) -> population, where known."""
    if not organisation_ids:
        return {}
    rows = session.execute(
        select(OrganisationYear.organisation_id, OrganisationYear.year,
               OrganisationYear.population)
        .where(OrganisationYear.organisation_id.in_(organisation_ids),
               OrganisationYear.population.is_not(None)))
    return {(org, year): population for org, year, population in rows}


def participants_for(organisations: list[Organisation], known: dict[tuple[int, int], int],
                     year: int) -> list[sharing.Participant]:
    return [sharing.Participant(o.id, o.name, known.get((o.id, year)))
            for o in sorted(organisations, key=lambda o: o.name)]


def participants_under(key: CostKey, participants: list[sharing.Participant]
                       ) -> list[sharing.Participant]:
    """The participants with the key's fixed percentages filled in."""
    if key.method != KeyMethod.FIXED:
        return participants
    percents = {p.organisation_id: p.percent for p in key.percents}
    return [sharing.Participant(p.id, p.name, p.population, percents.get(p.id))
            for p in participants]


@dataclass
class Split:
    """One key applied to one cost: whole kroner per organisation, or why it cannot be."""

    key: CostKey
    shares: dict[int, int] | None
    weights: dict[int, object] | None
    error: RuleViolation | None = None

    @property
    def total(self) -> int:
        return sum(self.shares.values()) if self.shares else 0


def apply_key(key: CostKey, amount_kroner: int, participants: list[sharing.Participant]
              ) -> Split:
    people = participants_under(key, participants)
    try:
        weights = sharing.weights(key.method, people, key.equal_percent)
    except RuleViolation as error:
        return Split(key, None, None, error)
    return Split(key, sharing.split(amount_kroner, people, weights), weights)


def compare(cost: SharedCost, all_keys: list[CostKey], participants: list[sharing.Participant]
            ) -> list[Split]:
    return [apply_key(key, cost.amount_kroner, participants) for key in all_keys]


# --- Settlement -------------------------------------------------------------------------------


@dataclass
class SettlementRow:
    organisation: Organisation
    shared: int = 0  # kroner, from shared costs by their chosen keys
    own_budget_ore: int = 0
    own_actual_ore: int = 0

    @property
    def total_ore(self) -> int:
        return self.shared * 100 + self.own_budget_ore


@dataclass
class Settlement:
    year: int
    rows: list[SettlementRow]
    costs: list[SharedCost]
    unsplit: list[SharedCost]  # no key chosen yet, or the key cannot be applied
    problems: dict[int, RuleViolation]  # shared cost id -> why its key cannot be applied

    @property
    def shared_total(self) -> int:
        return sum(r.shared for r in self.rows)

    @property
    def own_total_ore(self) -> int:
        return sum(r.own_budget_ore for r in self.rows)

    @property
    def total_ore(self) -> int:
        return sum(r.total_ore for r in self.rows)


def settlement(project: Project, year: int, year_lines: list[BudgetLine],
               costs: list[SharedCost], known: dict[tuple[int, int], int]) -> Settlement:
    organisations = sorted(project.participants, key=lambda o: o.name)
    rows = {o.id: SettlementRow(o) for o in organisations}
    participants = participants_for(organisations, known, year)
    unsplit, problems = [], {}
    for cost in costs:
        if cost.key is None:
            unsplit.append(cost)
            continue
        result = apply_key(cost.key, cost.amount_kroner, participants)
        if result.shares is None:
            unsplit.append(cost)
            problems[cost.id] = result.error
            continue
        for org_id, kroner in result.shares.items():
            rows[org_id].shared += kroner
    own = defaultdict(lambda: [0, 0])
    for line in year_lines:
        if line.organisation_id is not None and line.kind == LineKind.COST:
            figures = LineFigures(line)
            own[line.organisation_id][0] += figures.budget
            own[line.organisation_id][1] += figures.actual
    for org_id, (budget, actual) in own.items():
        if org_id in rows:
            rows[org_id].own_budget_ore = budget
            rows[org_id].own_actual_ore = actual
    return Settlement(year, list(rows.values()), costs, unsplit, problems)


# --- For status reports ----------------------------------------------------------------------


def year_figures(session: Session, project: Project, year: int) -> YearBudget | None:
    """The shared budget of one year against actual and forecast, or None when the project
    has no budget lines that year (two queries)."""
    found = budget_by_year(project, lines(session, project.id, year)).get(year)
    if found is None or not (found.costs or found.income):
        return None
    return found


def budget_snapshot(figures: YearBudget | None) -> dict | None:
    """The year's budget figures in plain data, as a published status report keeps them."""
    if figures is None:
        return None
    totals = figures.cost_totals
    return {
        "year": figures.year, "income_ore": figures.income_totals.budget,
        "budget_ore": totals.budget, "actual_ore": totals.actual,
        "forecast_ore": totals.forecast, "deviation_ore": totals.deviation,
        "deviation_percent": None if totals.deviation_percent is None
        else str(totals.deviation_percent.quantize(Decimal("0.1"))),
        "tolerance_percent": figures.tolerance_percent,
        "outside_tolerance": figures.outside_tolerance,
    }
