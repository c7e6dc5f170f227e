"""Read side of the benefits plan: goals tree, benefits, and each indicator's readings,
achievement and overdue measurements per organisation. A fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, true
from sqlalchemy.orm import Session, aliased, selectinload

from governance.benefits import achievement as calc
from governance.benefits.models import (
    Baseline,
    Benefit,
    BenefitOwner,
    Goal,
    GoalLevel,
    Indicator,
    Measurement,
    PlanApproval,
    Target,
)
from governance.organisations.models import Organisation, OrganisationYear
from governance.projects.models import Project


def goals(session: Session, project_id: int) -> list[Goal]:
    return list(session.scalars(select(Goal).where(Goal.project_id == project_id)
                                .order_by(Goal.position, Goal.id)))


@dataclass
class GoalNode:
    goal: Goal
    children: list[GoalNode] = field(default_factory=list)


LEVEL_ORDER = [GoalLevel.SOCIETAL, GoalLevel.EFFECT, GoalLevel.RESULT]


def goal_tree(all_goals: list[Goal]) -> list[GoalNode]:
    """Goals under their parents; a goal whose parent is gone stands at the top."""
    nodes = {g.id: GoalNode(g) for g in all_goals}
    roots = []
    for goal in sorted(all_goals, key=lambda g: (LEVEL_ORDER.index(g.level), g.position)):
        parent = nodes.get(goal.parent_id) if goal.parent_id else None
        (parent.children if parent else roots).append(nodes[goal.id])
    return roots


def benefits(session: Session, project_id: int) -> list[Benefit]:
    return list(session.scalars(
        select(Benefit).where(Benefit.project_id == project_id)
        .options(selectinload(Benefit.goal), selectinload(Benefit.responsible),
                 selectinload(Benefit.owners).selectinload(BenefitOwner.organisation),
                 selectinload(Benefit.owners).selectinload(BenefitOwner.person))
        .order_by(Benefit.position, Benefit.id)))


def indicators(session: Session, project_id: int) -> list[Indicator]:
    return list(session.scalars(
        select(Indicator).where(Indicator.project_id == project_id)
        .options(selectinload(Indicator.baselines), selectinload(Indicator.targets),
                 selectinload(Indicator.benefit), selectinload(Indicator.measured_by))
        .order_by(Indicator.position, Indicator.id)))


def indicators_to_read(session: Session, project_id: int) -> list[Indicator]:
    """The indicators with only what :func:`indicator_views` reads (baselines and targets;
    not the benefit or who measures): the dashboard's achievement table. Three queries."""
    return list(session.scalars(
        select(Indicator).where(Indicator.project_id == project_id)
        .options(selectinload(Indicator.baselines), selectinload(Indicator.targets))
        .order_by(Indicator.position, Indicator.id)))


def by_id(session: Session, model, project_id: int, object_id: int):
    found = session.get(model, object_id)
    return found if found is not None and found.project_id == project_id else None


def operating_costs(session: Session, organisation_ids: list[int]) -> dict[tuple[int, int], int]:
    """(organisation id, year) -> operating costs in øre, where known."""
    if not organisation_ids:
        return {}
    rows = session.execute(
        select(OrganisationYear.organisation_id, OrganisationYear.year,
               OrganisationYear.operating_costs_ore)
        .where(OrganisationYear.organisation_id.in_(organisation_ids),
               OrganisationYear.operating_costs_ore.is_not(None)))
    return {(org, year): costs for org, year, costs in rows}


@dataclass
class Point:
    """One measurement and what it reads as."""

    measurement: Measurement
    reading: calc.Reading
    target: calc.TargetPoint | None
    achievement: Decimal | None


@dataclass
class Standing:
    """One organisation's position on one indicator."""

    organisation: Organisation
    baseline: Baseline | None
    baseline_reading: calc.Reading | None
    points: list[Point]
    overdue: calc.Period | None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass
class ProjectPoint:
    period: str
    period_end: date
    value: Decimal | None
    reported: int
    expected: int
    # Everyone reported but a reading could not be made (e.g. operating costs missing):
    # the reason (a message id with a year placeholder) and the year.
    reason: str | None = None
    reason_year: int | None = None


@dataclass
class IndicatorView:
    indicator: Indicator
    standings: list[Standing]
    targets: list[calc.TargetPoint]
    project_baseline: Decimal | None
    project_series: list[ProjectPoint]

    @property
    def project_latest(self) -> ProjectPoint | None:
        complete = [p for p in self.project_series if p.value is not None]
        return complete[-1] if complete else None

    @property
    def project_gap(self) -> ProjectPoint | None:
        """The newest period everyone reported that still has no project reading."""
        last = self.project_series[-1] if self.project_series else None
        return last if last is not None and last.reason is not None else None

    @property
    def project_target(self) -> calc.TargetPoint | None:
        """The next target for the whole project: the organisations' target summed where
        their values are summed (amounts, counts, hours), as it is for each of them
        otherwise (percentages and ratios)."""
        latest = self.project_latest
        if latest is None:
            return None
        target = calc.next_target(self.targets, latest.period_end)
        if target is None:
            return None
        return calc.TargetPoint(target.target_date, calc.project_target(
            self.indicator.unit, self.indicator.is_ratio, target.value, latest.reported))

    @property
    def project_achievement(self) -> Decimal | None:
        latest, target = self.project_latest, self.project_target
        if latest is None:
            return None
        return calc.achievement(latest.value, self.project_baseline,
                                target.value if target else None)


def _reading(indicator: Indicator, value: Decimal, organisation_id: int, start: date,
             end: date, costs: dict) -> calc.Reading:
    return calc.read(value, is_ratio=indicator.is_ratio, factor=indicator.ratio_factor,
                     operating_costs_ore=costs.get((organisation_id, start.year)),
                     year=start.year, fraction=calc.year_fraction(start, end))


def indicator_views(session: Session, project: Project, today: date,
                    only: list[Indicator] | None = None) -> list[IndicatorView]:
    """Every indicator with each participant's baseline, measurements, achievement against
    the next target and whether a measurement is overdue. Three queries in all."""
    items = only if only is not None else indicators(session, project.id)
    if not items:
        return []
    participants = list(project.participants)
    costs = operating_costs(session, [o.id for o in participants])
    measurements = session.scalars(
        select(Measurement).where(Measurement.indicator_id.in_([i.id for i in items]))
        .order_by(Measurement.period_end, Measurement.period_start, Measurement.id))
    by_key: dict[tuple[int, int], list[Measurement]] = defaultdict(list)
    for m in measurements:
        by_key[(m.indicator_id, m.organisation_id)].append(m)
    views = []
    for indicator in items:
        targets = [calc.TargetPoint(t.target_date, t.value) for t in indicator.targets]
        baselines = {b.organisation_id: b for b in indicator.baselines}
        standings = []
        for org in participants:
            baseline = baselines.get(org.id)
            base_reading = None
            if baseline is not None:
                start = date(baseline.measured_on.year, 1, 1)
                base_reading = _reading(indicator, baseline.value, org.id, start,
                                        date(start.year, 12, 31), costs)
            points = []
            for m in by_key.get((indicator.id, org.id), []):
                reading = _reading(indicator, m.value, org.id, m.period_start, m.period_end,
                                   costs)
                target = calc.next_target(targets, m.period_end)
                points.append(Point(m, reading, target, calc.achievement(
                    reading.value, base_reading.value if base_reading else None,
                    target.value if target else None)))
            since = baseline.measured_on if baseline else (project.start_date or today)
            overdue = calc.is_overdue(
                indicator.frequency,
                [(p.measurement.period_start, p.measurement.period_end) for p in points],
                since, today)
            standings.append(Standing(org, baseline, base_reading, points, overdue))
        views.append(IndicatorView(indicator, standings, targets,
                                   _project_baseline(indicator, standings),
                                   _project_series(indicator, standings)))
    return views


def _project_baseline(indicator: Indicator, standings: list[Standing]) -> Decimal | None:
    readings = [s.baseline_reading for s in standings if s.baseline is not None]
    return calc.aggregate(indicator.unit, indicator.is_ratio, [
        calc.OrgReading(r.value, r.numerator, r.denominator) for r in readings])


def _project_series(indicator: Indicator, standings: list[Standing]) -> list[ProjectPoint]:
    """The whole project per period: only where every organisation with a baseline (or,
    without baselines, every participant) has reported."""
    expected = [s for s in standings if s.baseline is not None] or standings
    periods: dict[str, tuple[date, dict[int, Point]]] = {}
    for standing in standings:
        for point in standing.points:
            m = point.measurement
            periods.setdefault(m.period, (m.period_end, {}))[1][standing.organisation.id] = point
    series = []
    for code, (end, points) in sorted(periods.items(), key=lambda item: item[1][0]):
        wanted = [points.get(s.organisation.id) for s in expected]
        value = reason = reason_year = None
        if all(p is not None for p in wanted):
            value = calc.aggregate(indicator.unit, indicator.is_ratio, [
                calc.OrgReading(p.reading.value, p.reading.numerator, p.reading.denominator)
                for p in wanted])
            unread = next((p.reading for p in wanted if p.reading.value is None), None)
            if value is None and unread is not None:
                reason, reason_year = unread.reason, unread.year
        series.append(ProjectPoint(code, end, value, sum(p is not None for p in wanted),
                                   len(expected), reason, reason_year))
    return series


@dataclass
class Overdue:
    indicator: Indicator
    organisation: Organisation
    period: calc.Period


def overdue(views: list[IndicatorView], organisation_ids: set[int] | None = None) -> list[Overdue]:
    return [Overdue(v.indicator, s.organisation, s.overdue)
            for v in views for s in v.standings
            if s.overdue is not None
            and (organisation_ids is None or s.organisation.id in organisation_ids)]


def overdue_for(session: Session, projects: list[Project],
                organisations: dict[int, dict[int, Organisation]],
                today: date) -> list[tuple[Project, Overdue]]:
    """The measurements the given organisations owe in the given projects (project id ->
    organisation id -> organisation), for the start page: two queries however many
    projects, without reading the values."""
    wanted = {p.id: p for p in projects if organisations.get(p.id)}
    if not wanted:
        return []
    items = list(session.scalars(
        select(Indicator).where(Indicator.project_id.in_(wanted))
        .order_by(Indicator.project_id, Indicator.position, Indicator.id)))
    org_ids = {o for project_id in wanted for o in organisations[project_id]}
    spans: dict[tuple[int, int], list[tuple[date, date]]] = defaultdict(list)
    measured_on: dict[tuple[int, int], date] = {}
    if items:
        indicator_ids = [i.id for i in items]
        # Only a measurement running to the end of the period due or beyond can cover it:
        # older ones are not read (the earliest such end over the indicators' frequencies).
        earliest = min(calc.previous_period(f, today).end for f in {i.frequency for i in items})
        for indicator_id, org_id, start, end in session.execute(
                select(Measurement.indicator_id, Measurement.organisation_id,
                       Measurement.period_start, Measurement.period_end)
                .where(Measurement.indicator_id.in_(indicator_ids),
                       Measurement.organisation_id.in_(org_ids),
                       Measurement.period_end >= earliest)):
            spans[(indicator_id, org_id)].append((start, end))
        # Only the given organisations' baselines (their dates), as plain rows.
        measured_on = {(indicator_id, org_id): day for indicator_id, org_id, day in
                       session.execute(select(Baseline.indicator_id, Baseline.organisation_id,
                                              Baseline.measured_on)
                                       .where(Baseline.indicator_id.in_(indicator_ids),
                                              Baseline.organisation_id.in_(org_ids)))}
    due = []
    for indicator in items:
        project = wanted[indicator.project_id]
        for org_id, organisation in sorted(organisations[project.id].items(),
                                           key=lambda item: item[1].name):
            since = measured_on.get((indicator.id, org_id)) or project.start_date or today
            period = calc.is_overdue(indicator.frequency, spans[(indicator.id, org_id)],
                                     since, today)
            if period is not None:
                due.append((project, Overdue(indicator, organisation, period)))
    return due


def measurements_for(session: Session, project_id: int, organisation_id: int,
                     period: str) -> dict[int, Measurement]:
    """indicator id -> the organisation's measurement for the period."""
    rows = session.scalars(select(Measurement).where(
        Measurement.project_id == project_id, Measurement.organisation_id == organisation_id,
        Measurement.period == period))
    return {m.indicator_id: m for m in rows}


def approvals(session: Session, project_id: int) -> list[PlanApproval]:
    return list(session.scalars(
        select(PlanApproval).where(PlanApproval.project_id == project_id)
        .options(selectinload(PlanApproval.approved_by))
        .order_by(PlanApproval.version.desc())))


@dataclass
class Latest:
    """One organisation's latest reading of one indicator, against its baseline and the
    next target (the portfolio and the comparison of municipalities)."""

    indicator: Any  # a row of the indicator's columns (id, project_id, name, unit, ...)
    organisation_id: int
    measurement: Any  # a row: id, indicator_id, organisation_id, period, start, end, value
    reading: calc.Reading
    baseline: Decimal | None
    target: calc.TargetPoint | None
    achievement: Decimal | None


def latest_readings(session: Session, *, project_ids=None, indicator_ids=None,
                    organisation_id: int | None = None) -> list[Latest]:
    """Each organisation's latest measurement of each indicator (of the given projects, or
    the given indicators), read as the indicator reads it, with its achievement. A fixed
    number of queries however many projects, indicators and measurements. Plain rows, not
    ORM objects: the portfolio reads thousands of them."""

    def scoped(stmt, model):
        if project_ids is not None:
            stmt = stmt.where(model.project_id.in_(project_ids))
        if indicator_ids is not None:
            stmt = stmt.where((model.id if model is Indicator else model.indicator_id)
                              .in_(indicator_ids))
        return stmt

    items = {row.id: row for row in session.execute(scoped(select(
        Indicator.id, Indicator.project_id, Indicator.name, Indicator.unit,
        Indicator.unit_label, Indicator.is_ratio, Indicator.ratio_factor, Indicator.position,
    ), Indicator).order_by(Indicator.position, Indicator.id))}
    if not items:
        return []
    latest = session.execute(_latest_measurements(session, items, organisation_id)).all()
    if not latest:
        return []
    baselines = {(row.indicator_id, row.organisation_id): row for row in session.execute(
        scoped(select(Baseline.indicator_id, Baseline.organisation_id, Baseline.value,
                      Baseline.measured_on), Baseline)
        .where(Baseline.organisation_id.in_(sorted({m.organisation_id for m in latest}))))}
    targets: dict[int, list[calc.TargetPoint]] = defaultdict(list)
    for row in session.execute(scoped(select(Target.indicator_id, Target.target_date,
                                             Target.value), Target)):
        targets[row.indicator_id].append(calc.TargetPoint(row.target_date, row.value))
    costs = {}
    if any(items[m.indicator_id].is_ratio for m in latest):
        costs = operating_costs(session, sorted({m.organisation_id for m in latest}))

    def reading(indicator, value, org_id, start, end) -> calc.Reading:
        if not indicator.is_ratio:
            return calc.Reading(value)
        return _reading(indicator, value, org_id, start, end, costs)

    order = {indicator_id: n for n, indicator_id in enumerate(items)}
    found = []
    for m in sorted(latest, key=lambda m: (order[m.indicator_id], m.organisation_id)):
        indicator = items[m.indicator_id]
        read = reading(indicator, m.value, m.organisation_id, m.period_start, m.period_end)
        baseline = baselines.get((m.indicator_id, m.organisation_id))
        base_value = None
        if baseline is not None:
            year = baseline.measured_on.year
            base_value = reading(indicator, baseline.value, m.organisation_id,
                                 date(year, 1, 1), date(year, 12, 31)).value
        target = calc.next_target(targets[m.indicator_id], m.period_end)
        found.append(Latest(indicator, m.organisation_id, m, read, base_value, target,
                            calc.achievement(read.value, base_value,
                                             target.value if target else None)))
    return found


def _latest_measurements(session: Session, indicator_ids, organisation_id: int | None = None):
    """The latest measurement (by period end, then start, then id) of each distinct
    (indicator, organisation) measured for the given indicators: one index seek per pair,
    so it costs the number of latest rows, not of all measurements (a window over every
    measurement sorts them all). The pairs are found through the indicators (an index
    range per indicator); PostgreSQL seeks each pair's newest row in a LATERAL join (its
    planner turns a correlated subquery in the join condition into a scan of the whole
    table), SQLite in a correlated subquery. Plain columns."""
    pairs = (select(Measurement.indicator_id, Measurement.organisation_id).distinct()
             .where(Measurement.indicator_id.in_(list(indicator_ids))))
    if organisation_id is not None:
        pairs = pairs.where(Measurement.organisation_id == organisation_id)
    pairs = pairs.subquery()
    newer = aliased(Measurement)
    newest = (select(newer.id)
              .where(newer.indicator_id == pairs.c.indicator_id,
                     newer.organisation_id == pairs.c.organisation_id)
              .order_by(newer.period_end.desc(), newer.period_start.desc(), newer.id.desc())
              .limit(1))
    columns = (Measurement.id, Measurement.indicator_id, Measurement.organisation_id,
               Measurement.period, Measurement.period_start, Measurement.period_end,
               Measurement.value)
    if session.get_bind().dialect.name == "postgresql":
        newest = newest.lateral()
        return (select(*columns).select_from(pairs)
                .join(newest, true())
                .join(Measurement, Measurement.id == newest.c.id))
    return (select(*columns).select_from(pairs)
            .join(Measurement, Measurement.id == newest.scalar_subquery()))


def latest_achievements(session: Session, project_ids) -> list[tuple[int, int, Decimal]]:
    """(project id, indicator id, achievement) of each organisation's latest measurement of
    each indicator of the given projects, where it has one: only the figures (the portfolio
    sorts every project by them). Three queries, four with ratio indicators; plain rows."""
    indicators = {row.id: row for row in session.execute(
        select(Indicator.id, Indicator.project_id, Indicator.is_ratio, Indicator.ratio_factor)
        .where(Indicator.project_id.in_(project_ids)))}
    if not indicators:
        return []
    latest = _latest_measurements(session, indicators)
    latest = latest.add_columns(Baseline.value.label("baseline"), Baseline.measured_on).join(
        Baseline, (Baseline.indicator_id == Measurement.indicator_id)
        & (Baseline.organisation_id == Measurement.organisation_id))
    rows = session.execute(latest).all()
    targets: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for indicator_id, target_date, value in session.execute(
            select(Target.indicator_id, Target.target_date, Target.value)
            .where(Target.project_id.in_(project_ids))
            .order_by(Target.indicator_id, Target.target_date)):
        targets[indicator_id].append((target_date, value))
    costs = {}
    if any(indicators[r.indicator_id].is_ratio for r in rows):
        costs = operating_costs(session, sorted({r.organisation_id for r in rows}))
    found = []
    for row in rows:
        points = targets.get(row.indicator_id)
        if not points:
            continue
        # The first target not yet passed at the period's end, else the last one.
        target = next((value for day, value in points if day >= row.period_end), points[-1][1])
        indicator = indicators[row.indicator_id]
        value, baseline = row.value, row.baseline
        if indicator.is_ratio:
            value = _reading(indicator, value, row.organisation_id, row.period_start,
                             row.period_end, costs).value
            year = row.measured_on.year
            baseline = _reading(indicator, baseline, row.organisation_id, date(year, 1, 1),
                                date(year, 12, 31), costs).value
        figure = calc.achievement(value, baseline, target)
        if figure is not None:
            found.append((indicator.project_id, row.indicator_id, figure))
    return found


def measured_pairs(session: Session, indicator_ids) -> set[tuple[int, int]]:
    """(indicator id, organisation id) of every organisation with a measurement of one of
    the indicators (one query, no values)."""
    return set(session.execute(
        select(Measurement.indicator_id, Measurement.organisation_id).distinct()
        .where(Measurement.indicator_id.in_(indicator_ids))).tuples())


def indicators_of(session: Session, project_ids) -> list:
    """The indicators of the given projects, by name (one query): plain rows of the columns
    a choice and a comparison need (id, project_id, name, unit, unit_label, is_ratio)."""
    return list(session.execute(
        select(Indicator.id, Indicator.project_id, Indicator.name, Indicator.unit,
               Indicator.unit_label, Indicator.is_ratio)
        .where(Indicator.project_id.in_(project_ids))
        .order_by(Indicator.name, Indicator.project_id, Indicator.id)))
