"""The steering group pack: what the steering group reads before a meeting, gathered from the
domains' queries (status lights, milestones, benefits, risks, budget, reporting, decisions),
and the rows of the four Excel workbooks (milestones, benefits, risks, budget).

Read only; a fixed number of queries however much data the project has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from governance.benefits import queries as benefit_queries
from governance.benefits.forms import (
    direction_labels,
    frequency_labels,
    level_labels,
    realisation_labels,
)
from governance.benefits.forms import kind_labels as benefit_kind_labels
from governance.benefits.queries import IndicatorView
from governance.benefits.views import reported_unit, unit_text
from governance.dashboards.workbooks import Column, Kind, Sheet, kroner
from governance.finance import queries as finance_queries
from governance.finance.forms import category_labels as budget_category_labels
from governance.finance.forms import kind_labels as line_kind_labels
from governance.finance.forms import nature_labels
from governance.finance.queries import YearBudget
from governance.organisations.models import Organisation
from governance.projects import plan_queries
from governance.projects.models import Decision, DecisionOutcome, Meeting, Project
from governance.projects.plan import MilestoneStatus
from governance.projects.plan_forms import (
    body_labels,
    decision_point_labels,
    milestone_status_labels,
    outcome_labels,
)
from governance.projects.plan_queries import MilestoneRow
from governance.reporting import queries as report_queries
from governance.reporting.models import Dimension, StatusReport
from governance.risks import queries as risk_queries
from governance.risks.forms import category_labels as risk_category_labels
from governance.risks.forms import kind_labels as risk_kind_labels
from governance.risks.forms import proximity_labels, status_labels, strategy_labels
from governance.risks.models import Risk

UPCOMING = 5  # the next milestones shown
TOP_RISKS = 5


# --- The pack --------------------------------------------------------------------------------


@dataclass
class Pack:
    project: Project
    today: date
    next_meeting: Meeting | None
    report: StatusReport | None  # the latest published project report
    period_code: str  # the current reporting period
    not_reported: list[Organisation]
    late: list[MilestoneRow]
    upcoming: list[MilestoneRow]
    milestone_counts: dict[MilestoneStatus, int]
    indicators: list[IndicatorView]
    top_risks: list[Risk]
    open_risks: int
    budget: list[YearBudget]
    postponed: list[Decision]  # decisions put off and not yet taken again
    dimensions: tuple[Dimension, ...] = field(default=tuple(Dimension))

    @property
    def budget_years(self) -> list[YearBudget]:
        return [y for y in self.budget if y.costs or y.income]


def assemble(session: Session, project: Project, today: date) -> Pack:
    """Everything the pack shows, through the domains' queries."""
    rows = plan_queries.milestone_rows(session, project, today)
    late = [r for r in rows if r.status == MilestoneStatus.LATE]
    upcoming = [r for r in rows
                if r.status in (MilestoneStatus.ON_TRACK, MilestoneStatus.AT_RISK)][:UPCOMING]
    risks = risk_queries.all_risks(session, project.id)
    history = report_queries.light_history(session, project.id)
    period = report_queries.current_period(project, today)
    reports = report_queries.latest_reports(session, project.id, [period.code])
    decisions = plan_queries.decision_log(session, project.id)
    postponed = [e.decision for e in decisions if e.superseded_by is None
                 and e.decision.outcome == DecisionOutcome.POSTPONED]
    by_year = finance_queries.budget_by_year(project, finance_queries.lines(session, project.id))
    return Pack(
        project=project, today=today,
        next_meeting=plan_queries.next_meeting(session, project.id, today),
        report=history[-1] if history else None,
        period_code=period.code,
        not_reported=sorted(report_queries.not_reported(project, reports, period.code),
                            key=lambda o: o.name),
        late=late, upcoming=upcoming, milestone_counts=plan_queries.summary(rows),
        indicators=benefit_queries.indicator_views(session, project, today),
        top_risks=risk_queries.top(risks, TOP_RISKS),
        open_risks=sum(1 for r in risks if r.is_open),
        budget=[by_year[year] for year in sorted(by_year)],
        postponed=postponed,
    )


def labels() -> dict:
    """The words the pack's templates show for enum values."""
    from governance.projects.forms import phase_labels
    from governance.projects.forms import status_labels as project_status_labels
    from governance.reporting.forms import dimension_labels, light_labels

    return {"milestone_status_labels": milestone_status_labels(),
            "phase_labels": phase_labels(), "project_status_labels": project_status_labels(),
            "light_labels": light_labels(), "dimension_labels": dimension_labels(),
            "body_labels": body_labels(), "outcome_labels": outcome_labels(),
            "unit_text": unit_text, "MilestoneStatus": MilestoneStatus}


# --- The workbooks ---------------------------------------------------------------------------


def _name(obj) -> str:
    """A person's, user's or organisation's name, or nothing."""
    if obj is None:
        return ""
    return getattr(obj, "full_name", None) or getattr(obj, "name", "")


def _label(labels: dict, value) -> str:
    return "" if value is None else str(labels.get(value, value))


def milestone_sheets(session: Session, project: Project, today: date) -> list[Sheet]:
    rows = plan_queries.milestone_rows(session, project, today)
    statuses, points = milestone_status_labels(), decision_point_labels()
    milestones = Sheet(_("Milepæler"), [
        Column(_("Milepæl"), width=40), Column(_("Organisasjon"), width=24),
        Column(_("Ansvarlig"), width=24), Column(_("Arbeidsgruppe"), width=24),
        Column(_("Beslutningspunkt"), width=28), Column(_("Grunnlinje"), Kind.DATE),
        Column(_("Prognose"), Kind.DATE), Column(_("Faktisk dato"), Kind.DATE),
        Column(_("Status"), width=14), Column(_("Avvik (dager)"), Kind.INTEGER),
        Column(_("Kommentar"), width=40),
    ])
    for row in rows:
        m = row.milestone
        milestones.rows.append([
            m.title, _name(m.organisation), _name(m.responsible), _name(m.group),
            _label(points, m.decision_point), m.baseline_date, m.forecast_date, m.actual_date,
            statuses[row.status], row.slip_days, m.comment])
    titles = {row.milestone.id: row.milestone for row in rows}
    changes = Sheet(_("Datoendringer"), [
        Column(_("Milepæl"), width=40), Column(_("Organisasjon"), width=24),
        Column(_("Meldt dato"), Kind.DATE), Column(_("Grunnlinje"), Kind.DATE),
        Column(_("Prognose"), Kind.DATE), Column(_("Faktisk dato"), Kind.DATE),
        Column(_("Registrert av"), width=24),
    ])
    for change in plan_queries.project_date_changes(session, project.id):
        milestone = titles.get(change.milestone_id)
        if milestone is None:
            continue
        changes.rows.append([
            milestone.title, _name(milestone.organisation), change.reported_on,
            change.baseline_date, change.forecast_date, change.actual_date,
            _name(change.changed_by)])
    return [milestones, changes]


def benefit_sheets(session: Session, project: Project, today: date) -> list[Sheet]:
    goals = benefit_queries.goals(session, project.id)
    goal_titles = {g.id: g.title for g in goals}
    levels = level_labels()
    goal_sheet = Sheet(_("Mål"), [
        Column(_("Nivå"), width=22), Column(_("Mål"), width=48),
        Column(_("Hører under"), width=40), Column(_("Suksesskriterier"), width=48),
    ])
    for node in _flatten(benefit_queries.goal_tree(goals)):
        goal_sheet.rows.append([levels[node.level], node.title,
                                goal_titles.get(node.parent_id, ""), node.success_criteria])

    kinds, realisations = benefit_kind_labels(), realisation_labels()
    benefit_sheet = Sheet(_("Gevinster"), [
        Column(_("Gevinst"), width=40), Column(_("Effektmål"), width=36),
        Column(_("Type"), width=18), Column(_("Beløp per år"), Kind.AMOUNT),
        Column(_("Årsverk"), Kind.NUMBER), Column(_("Gevinstansvarlig"), width=24),
        Column(_("Gevinsteiere"), width=40), Column(_("Forventet fra"), Kind.DATE),
        Column(_("Uttak"), width=24), Column(_("Om uttaket"), width=36),
        Column(_("Beskrivelse"), width=48),
    ])
    for b in benefit_queries.benefits(session, project.id):
        owners = ", ".join(f"{o.organisation.name}" + (f" ({o.person.full_name})" if o.person
                                                       else "")
                           for o in sorted(b.owners, key=lambda o: o.organisation.name))
        benefit_sheet.rows.append([
            b.title, b.goal.title if b.goal else "", kinds[b.kind], kroner(b.amount_ore),
            b.person_years, _name(b.responsible), owners, b.expected_from,
            _label(realisations, b.realisation), b.realisation_note, b.description])

    views = benefit_queries.indicator_views(session, project, today)
    directions, frequencies = direction_labels(), frequency_labels()
    indicator_sheet = Sheet(_("Indikatorer"), [
        Column(_("Indikator"), width=40), Column(_("Gevinst"), width=32),
        Column(_("Enhet"), width=10), Column(_("Retning"), width=18),
        Column(_("Måles"), width=14), Column(_("Organisasjon"), width=28),
        Column(_("Nullpunkt"), Kind.NUMBER), Column(_("Nullpunkt målt"), Kind.DATE),
        Column(_("Siste måling"), Kind.NUMBER), Column(_("Periode"), width=12),
        Column(_("Neste mål"), Kind.NUMBER), Column(_("Mål innen"), Kind.DATE),
        Column(_("Måloppnåelse"), Kind.PERCENT), Column(_("Målemetode"), width=36),
        Column(_("Datakilde"), width=28),
    ])
    target_sheet = Sheet(_("Målverdier"), [
        Column(_("Indikator"), width=40), Column(_("Nås innen"), Kind.DATE),
        Column(_("Målverdi"), Kind.NUMBER), Column(_("Enhet"), width=10),
    ])
    measurement_sheet = Sheet(_("Målinger"), [
        Column(_("Indikator"), width=40), Column(_("Organisasjon"), width=28),
        Column(_("Periode"), width=12), Column(_("Fra"), Kind.DATE), Column(_("Til"), Kind.DATE),
        Column(_("Verdi"), Kind.NUMBER), Column(_("Enhet"), width=10),
        Column(_("Avlest"), Kind.NUMBER), Column(_("Avlest enhet"), width=12),
        Column(_("Måloppnåelse"), Kind.PERCENT), Column(_("Kommentar"), width=40),
    ])
    for view in views:
        i = view.indicator
        unit, entered = unit_text(i), reported_unit(i)
        common = [i.name, i.benefit.title if i.benefit else "", unit,
                  directions[i.direction], frequencies[i.frequency]]
        for s in view.standings:
            latest = s.latest
            target = latest.target if latest else None
            indicator_sheet.rows.append(common + [
                s.organisation.name,
                s.baseline_reading.value if s.baseline_reading else None,
                s.baseline.measured_on if s.baseline else None,
                latest.reading.value if latest else None,
                latest.measurement.period if latest else "",
                target.value if target else None, target.target_date if target else None,
                latest.achievement if latest else None, i.method, i.data_source])
            for p in s.points:
                m = p.measurement
                measurement_sheet.rows.append([
                    i.name, s.organisation.name, m.period, m.period_start, m.period_end,
                    m.value, entered, p.reading.value, unit, p.achievement, m.comment])
        project_latest, project_target = view.project_latest, view.project_target
        indicator_sheet.rows.append(common + [
            _("Hele prosjektet"), view.project_baseline, None,
            project_latest.value if project_latest else None,
            project_latest.period if project_latest else "",
            project_target.value if project_target else None,
            project_target.target_date if project_target else None,
            view.project_achievement, i.method, i.data_source])
        for t in sorted(view.targets, key=lambda t: t.target_date):
            target_sheet.rows.append([i.name, t.target_date, t.value, unit])
    return [goal_sheet, benefit_sheet, indicator_sheet, target_sheet, measurement_sheet]


def _flatten(nodes) -> list:
    flat = []
    for node in nodes:
        flat.append(node.goal)
        flat.extend(_flatten(node.children))
    return flat


def risk_sheets(session: Session, project: Project, today: date) -> list[Sheet]:
    risks = risk_queries.all_risks(session, project.id)
    kinds, categories = risk_kind_labels(), risk_category_labels()
    strategies, proximities, statuses = strategy_labels(), proximity_labels(), status_labels()
    register = Sheet(_("Risikoregister"), [
        Column(_("Nr."), Kind.INTEGER, 6), Column(_("Type"), width=12),
        Column(_("Risiko"), width=40), Column(_("Kategori"), width=16),
        Column(_("Sannsynlighet (1–5)"), Kind.INTEGER, 14),
        Column(_("Konsekvens (1–5)"), Kind.INTEGER, 14), Column(_("Poengsum"), Kind.INTEGER),
        Column(_("Sannsynlighet etter tiltak"), Kind.INTEGER, 14),
        Column(_("Konsekvens etter tiltak"), Kind.INTEGER, 14),
        Column(_("Poengsum etter tiltak"), Kind.INTEGER, 14),
        Column(_("Risikoeier"), width=24), Column(_("Strategi"), width=14),
        Column(_("Nærhet i tid"), width=18), Column(_("Status"), width=20),
        Column(_("Løftet til styringsgruppen"), width=14), Column(_("Beskrivelse"), width=40),
        Column(_("Årsak"), width=36), Column(_("Konsekvens"), width=36),
    ])
    measures = Sheet(_("Tiltak"), [
        Column(_("Risiko nr."), Kind.INTEGER, 10), Column(_("Risiko"), width=40),
        Column(_("Tiltak"), width=48), Column(_("Ansvarlig"), width=24),
        Column(_("Frist"), Kind.DATE), Column(_("Gjennomført"), Kind.DATE),
    ])
    for r in risks:
        register.rows.append([
            r.number, kinds[r.kind], r.title, categories[r.category], r.probability,
            r.consequence, r.score, r.residual_probability, r.residual_consequence,
            r.residual_score, _name(r.owner), _label(strategies, r.strategy),
            _label(proximities, r.proximity), statuses[r.status],
            _("Ja") if r.escalated else _("Nei"), r.description, r.cause, r.consequence_text])
        for m in r.measures:
            measures.rows.append([r.number, r.title, m.text, _name(m.responsible), m.due_date,
                                  m.done_on])
    return [register, measures]


def budget_sheets(session: Session, project: Project, today: date) -> list[Sheet]:
    all_lines = finance_queries.lines(session, project.id)
    costs = finance_queries.shared_costs(session, project.id)
    kinds, categories, natures = line_kind_labels(), budget_category_labels(), nature_labels()
    shared = _("Felles")
    line_sheet = Sheet(_("Budsjettlinjer"), [
        Column(_("År"), Kind.INTEGER, 8), Column(_("Inntekt eller kostnad"), width=12),
        Column(_("Kategori"), width=22), Column(_("Drift eller investering"), width=14),
        Column(_("Linje"), width=36), Column(_("Organisasjon"), width=24),
        Column(_("Budsjett"), Kind.AMOUNT), Column(_("Regnskap"), Kind.AMOUNT),
        Column(_("Prognose"), Kind.AMOUNT), Column(_("Avvik"), Kind.AMOUNT),
        Column(_("Merknad"), width=36),
    ])
    actual_sheet = Sheet(_("Regnskap per måned"), [
        Column(_("År"), Kind.INTEGER, 8), Column(_("Linje"), width=36),
        Column(_("Organisasjon"), width=24), Column(_("Måned"), Kind.MONTH),
        Column(_("Beløp"), Kind.AMOUNT), Column(_("Merknad"), width=36),
    ])
    for line in all_lines:
        figures = finance_queries.LineFigures(line)
        owner = line.organisation.name if line.organisation else shared
        line_sheet.rows.append([
            line.year, kinds[line.kind], categories[line.category], natures[line.nature],
            line.name, owner, kroner(figures.budget), kroner(figures.actual),
            kroner(figures.forecast), kroner(figures.forecast - figures.budget), line.note])
        for actual in sorted(line.actuals, key=lambda a: a.period_start):
            actual_sheet.rows.append([line.year, line.name, owner, actual.period_start,
                                      kroner(actual.amount_ore), actual.note])
    settlement_sheet = Sheet(_("Oppgjør"), [
        Column(_("År"), Kind.INTEGER, 8), Column(_("Organisasjon"), width=28),
        Column(_("Andel av felles kostnader"), Kind.AMOUNT, 18),
        Column(_("Egne kostnader, budsjett"), Kind.AMOUNT, 18),
        Column(_("Egne kostnader, regnskap"), Kind.AMOUNT, 18),
        Column(_("Sum"), Kind.AMOUNT, 18),
    ])
    known = finance_queries.populations(session, [o.id for o in project.participants])
    for year in finance_queries.years(project, all_lines, costs):
        result = finance_queries.settlement(
            project, year, [line for line in all_lines if line.year == year],
            [c for c in costs if c.year == year], known)
        for r in result.rows:
            settlement_sheet.rows.append([year, r.organisation.name, r.shared,
                                          kroner(r.own_budget_ore), kroner(r.own_actual_ore),
                                          kroner(r.total_ore)])
    return [line_sheet, actual_sheet, settlement_sheet]


# name in the address -> (what the file is called, the sheets)
WORKBOOKS: dict[str, Callable[[Session, Project, date], list[Sheet]]] = {
    "milepaler": milestone_sheets,
    "gevinster": benefit_sheets,
    "risiko": risk_sheets,
    "budsjett": budget_sheets,
}
