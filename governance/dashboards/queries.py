"""Read side of the project dashboard (the steering group's page).

Every panel's data is computed on its own from the other domains' ``queries`` (never from
their tables by hand), so a panel's fragment costs only its own queries; ``project_dashboard``
gathers all of them for the page and for the steering group pack. Plain dataclasses, no
Flask: the labels, figures and words are the views' and templates' business.

Queries per panel (a fixed number, whatever the amount of data):
status 1 · milepaler 4 · gevinster 5 · risiko 1 · okonomi 2 · rapportering 1 · moter 4;
the whole page 16 (the decision log and the lights are read once). Each reads only what its
panel shows: no meetings or authors behind the decisions, no benefit or measurer behind the
indicators, and many-to-one relations (owners, organisations) joined into the same query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from governance.benefits import queries as benefit_queries
from governance.benefits.achievement import Period
from governance.finance import queries as finance_queries
from governance.organisations.models import Organisation
from governance.projects import plan_queries
from governance.projects.models import Decision, DecisionOutcome, Meeting, Project
from governance.projects.plan import MilestoneStatus
from governance.reporting import queries as report_queries
from governance.reporting.models import Dimension, Light, StatusReport
from governance.risks import queries as risk_queries
from governance.risks.models import Risk

# The panels, in the order of the page; the names are part of their addresses.
PANELS = ("status", "milepaler", "gevinster", "risiko", "okonomi", "rapportering", "moter")

UPCOMING_COUNT = 5  # the next milestones shown
TOP_RISKS = 5
HISTORY_PERIODS = 12  # periods of lights in the trend chart


# --- Status lights ---------------------------------------------------------------------------


class Trend:
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


@dataclass
class StatusPanel:
    """The newest published project report's lights and how they moved since the one before."""

    history: list[StatusReport]  # published project reports, oldest period first

    @property
    def latest(self) -> StatusReport | None:
        return self.history[-1] if self.history else None

    @property
    def previous(self) -> StatusReport | None:
        return self.history[-2] if len(self.history) > 1 else None

    def trend(self, dimension: Dimension) -> str | None:
        """Better, worse or the same as the previous period's light; None without both."""
        latest, previous = self.latest, self.previous
        if latest is None or previous is None:
            return None
        now, before = latest.light(dimension), previous.light(dimension)
        if now is None or before is None:
            return None
        if report_queries.ORDER[now] < report_queries.ORDER[before]:
            return Trend.BETTER
        if report_queries.ORDER[now] > report_queries.ORDER[before]:
            return Trend.WORSE
        return Trend.SAME

    def earlier(self, dimension: Dimension) -> Light | None:
        return self.previous.light(dimension) if self.previous else None


def status_panel(session: Session, project: Project, today: date) -> StatusPanel:
    history = report_queries.light_history(session, project.id)
    return StatusPanel(history[-HISTORY_PERIODS:])


# --- Milestones ------------------------------------------------------------------------------


@dataclass
class MilestonePanel:
    rows: list[plan_queries.MilestoneRow]
    trend_lines: list[plan_queries.TrendLine]
    periods: list[plan_queries.PhasePeriod]
    decisions: list[tuple[date, str]]  # decisions in force on the timeline: (day, label)
    today: date

    @property
    def summary(self) -> dict[MilestoneStatus, int]:
        return plan_queries.summary(self.rows)

    @property
    def late(self) -> list[plan_queries.MilestoneRow]:
        return [row for row in self.rows if row.status == MilestoneStatus.LATE]

    @property
    def upcoming(self) -> list[plan_queries.MilestoneRow]:
        """The next milestones not reached and not late, soonest first."""
        return [row for row in self.rows
                if row.status in (MilestoneStatus.ON_TRACK, MilestoneStatus.AT_RISK)
                ][:UPCOMING_COUNT]


def _decision_label(decision: Decision) -> str:
    if decision.decision_point is not None:
        return decision.decision_point.name
    return decision.case_number or decision.title[:30]


def milestone_panel(session: Session, project: Project, today: date,
                    log: list[plan_queries.DecisionEntry] | None = None) -> MilestonePanel:
    rows = plan_queries.plan_rows(session, project, today)
    lines = plan_queries.trend_lines(session, project, rows)
    periods = plan_queries.phase_periods(plan_queries.phase_history(session, project.id))
    if log is None:
        log = plan_queries.decision_entries(session, project.id)
    decisions = [(entry.decision.decided_on, _decision_label(entry.decision))
                 for entry in log if entry.superseded_by is None]
    return MilestonePanel(rows, lines, periods, decisions, today)


# --- Benefits --------------------------------------------------------------------------------


@dataclass
class IndicatorAchievement:
    view: benefit_queries.IndicatorView
    by_organisation: dict[int, Decimal | None]  # organisation id -> latest achievement

    @property
    def project(self) -> Decimal | None:
        return self.view.project_achievement


@dataclass
class BenefitsPanel:
    organisations: list[Organisation]
    indicators: list[IndicatorAchievement]


def benefits_panel(session: Session, project: Project, today: date) -> BenefitsPanel:
    views = benefit_queries.indicator_views(
        session, project, today, only=benefit_queries.indicators_to_read(session, project.id))
    indicators = [
        IndicatorAchievement(view, {
            s.organisation.id: s.latest.achievement if s.latest is not None else None
            for s in view.standings})
        for view in views]
    return BenefitsPanel(list(project.participants), indicators)


# --- Risks -----------------------------------------------------------------------------------


@dataclass
class RiskPanel:
    risks: list[Risk]
    yellow_from: int
    red_from: int

    @property
    def counts(self) -> dict[tuple[int, int], int]:
        return risk_queries.matrix(self.risks)

    @property
    def top(self) -> list[Risk]:
        return risk_queries.top(self.risks, TOP_RISKS)

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.risks if r.is_open)

    @property
    def escalated(self) -> list[Risk]:
        return [r for r in self.risks if r.is_open and r.escalated]


def risk_panel(session: Session, project: Project, today: date) -> RiskPanel:
    return RiskPanel(risk_queries.risks_with_owners(session, project.id),
                     project.risk_yellow_from, project.risk_red_from)


# --- Budget ----------------------------------------------------------------------------------


@dataclass
class BudgetPanel:
    year: int
    budget: finance_queries.YearBudget | None  # the year shown; None: nothing budgeted then
    years: list[finance_queries.YearBudget]  # every budget year, oldest first
    total: finance_queries.Totals
    tolerance_percent: int


def budget_year(years: list[int], today: date) -> int:
    """This year if budgeted, else the last budget year before it, else the first one."""
    if not years or today.year in years:
        return today.year
    earlier = [y for y in years if y <= today.year]
    return earlier[-1] if earlier else years[0]


def budget_panel(session: Session, project: Project, today: date) -> BudgetPanel:
    by_year = finance_queries.budget_by_year(project, finance_queries.lines(session, project.id))
    shown = [y for y in sorted(by_year) if by_year[y].costs or by_year[y].income]
    year = budget_year(shown, today)
    return BudgetPanel(year, by_year.get(year) if year in shown else None,
                       [by_year[y] for y in shown], finance_queries.totals_over_years(
                           {y: by_year[y] for y in shown}), project.cost_tolerance_percent)


# --- Who has not reported --------------------------------------------------------------------


@dataclass
class ReportingPanel:
    period: Period
    project_report: StatusReport | None  # the newest version of the project's own report
    missing: list[Organisation]  # participants without a published report for the period
    drafts: list[Organisation]  # of those, the ones with a draft under way
    participants: int


def reporting_panel(session: Session, project: Project, today: date) -> ReportingPanel:
    period = report_queries.current_period(project, today)
    reports = report_queries.period_reports(session, project.id, period.code)
    missing = [o for o in project.participants
               if not (o.id in reports and reports[o.id].published)]
    drafts = [o for o in missing if o.id in reports]
    return ReportingPanel(period, reports.get(None), missing, drafts,
                          len(project.participants))


# --- Meetings and open decisions -------------------------------------------------------------


@dataclass
class MeetingPanel:
    next_meeting: Meeting | None
    last_meeting: Meeting | None  # the latest one held, when none is coming
    postponed: list[Decision]  # postponed and not decided again since
    needs_decision: str  # "what needs a decision" from the newest published project report
    needs_decision_report: StatusReport | None = field(default=None)

    @property
    def open_count(self) -> int:
        return len(self.postponed) + (1 if self.needs_decision else 0) + (
            len(self.next_meeting.items) if self.next_meeting else 0)


def meeting_panel(session: Session, project: Project, today: date,
                  log: list[plan_queries.DecisionEntry] | None = None,
                  history: list[StatusReport] | None = None) -> MeetingPanel:
    meetings = plan_queries.meetings(session, project.id)  # newest first
    coming = [m for m in meetings if m.meeting_date >= today]
    held = [m for m in meetings if m.meeting_date < today]
    if log is None:
        log = plan_queries.decision_entries(session, project.id)
    postponed = [entry.decision for entry in log if entry.superseded_by is None
                 and entry.decision.outcome == DecisionOutcome.POSTPONED]
    if history is None:
        history = report_queries.light_history(session, project.id)
    latest = history[-1] if history else None
    needs = (latest.needs_decision or "").strip() if latest else ""
    return MeetingPanel(coming[-1] if coming else None, held[0] if held else None, postponed,
                        needs, latest if needs else None)


# --- The whole dashboard ---------------------------------------------------------------------


PANEL_QUERIES = {
    "status": status_panel,
    "milepaler": milestone_panel,
    "gevinster": benefits_panel,
    "risiko": risk_panel,
    "okonomi": budget_panel,
    "rapportering": reporting_panel,
    "moter": meeting_panel,
}


def panel(session: Session, project: Project, name: str, today: date):
    """One panel's data; KeyError for a name that is not a panel."""
    return PANEL_QUERIES[name](session, project, today)


@dataclass
class ProjectDashboard:
    project: Project
    today: date
    status: StatusPanel
    milestones: MilestonePanel
    benefits: BenefitsPanel
    risks: RiskPanel
    budget: BudgetPanel
    reporting: ReportingPanel
    meetings: MeetingPanel

    def by_name(self) -> dict[str, object]:
        return {"status": self.status, "milepaler": self.milestones,
                "gevinster": self.benefits, "risiko": self.risks, "okonomi": self.budget,
                "rapportering": self.reporting, "moter": self.meetings}


def project_dashboard(session: Session, project: Project, viewer, today: date
                      ) -> ProjectDashboard:
    """Everything the steering group's page shows. ``viewer`` is the user it is shown to;
    everyone who may see the project sees the same dashboard (kept for the pack and for
    later per-viewer panels)."""
    # The decision log and the history of lights serve two panels each: read them once.
    log = plan_queries.decision_entries(session, project.id)
    history = report_queries.light_history(session, project.id)
    return ProjectDashboard(
        project=project, today=today,
        status=StatusPanel(history[-HISTORY_PERIODS:]),
        milestones=milestone_panel(session, project, today, log),
        benefits=benefits_panel(session, project, today),
        risks=risk_panel(session, project, today),
        budget=budget_panel(session, project, today),
        reporting=reporting_panel(session, project, today),
        meetings=meeting_panel(session, project, today, log, history),
    )
