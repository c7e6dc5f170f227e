"""Read side of status reporting: the period's reports, who has not reported, the history of
lights, the suggested lights from tolerances and the municipalities' reports, and the snapshot
a published report keeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, selectinload

from governance.benefits.achievement import Frequency, Period, period_for, previous_period
from governance.i18n import format_percent
from governance.projects.models import Project
from governance.projects.plan import MilestoneStatus
from governance.reporting.models import PARTS, Dimension, Light, ReportStatus, StatusReport

ORDER = {None: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}


def worst(lights) -> Light | None:
    chosen = None
    for light in lights:
        if ORDER[light] > ORDER[chosen]:
            chosen = light
    return chosen


def frequency(project: Project) -> Frequency:
    return Frequency.QUARTERLY if project.reporting_frequency == "quarterly" \
        else Frequency.MONTHLY


def current_period(project: Project, today: date) -> Period:
    return period_for(frequency(project), today)


def recent_periods(project: Project, today: date, count: int = 6) -> list[Period]:
    """The current period and the ones before it (not before the project started)."""
    periods = [current_period(project, today)]
    while len(periods) < count:
        before = previous_period(frequency(project), periods[-1].start)
        if project.start_date is not None and before.end < project.start_date:
            break
        periods.append(before)
    return periods


def latest_reports(session: Session, project_id: int,
                   periods: list[str]) -> dict[tuple[str, int | None], StatusReport]:
    """(period, organisation id or None) -> the newest published version of that report,
    or the newest draft when none is published (a correction being written does not hide
    the version that stands)."""
    if not periods:
        return {}
    rows = session.scalars(
        select(StatusReport).where(StatusReport.project_id == project_id,
                                   StatusReport.period.in_(periods))
        .options(selectinload(StatusReport.organisation), selectinload(StatusReport.author))
        .order_by(StatusReport.version))
    found: dict[tuple[str, int | None], StatusReport] = {}
    for report in rows:
        key = (report.period, report.organisation_id)
        if key not in found or report.published or not found[key].published:
            found[key] = report
    return found


def period_reports(session: Session, project_id: int,
                   period: str) -> dict[int | None, StatusReport]:
    """organisation id (None: the project's own report) -> the newest published version of
    the period's report, or the newest draft when none is published; without the authors,
    organisations or snapshots (who has reported, on the dashboard). One query."""
    rows = session.scalars(
        select(StatusReport).where(StatusReport.project_id == project_id,
                                   StatusReport.period == period)
        .options(defer(StatusReport.snapshot)).order_by(StatusReport.version))
    found: dict[int | None, StatusReport] = {}
    for report in rows:
        key = report.organisation_id
        if key not in found or report.published or not found[key].published:
            found[key] = report
    return found


def versions(session: Session, project_id: int, period: str,
             organisation_id: int | None) -> list[StatusReport]:
    return list(session.scalars(
        select(StatusReport).where(
            StatusReport.project_id == project_id, StatusReport.period == period,
            StatusReport.organisation_id.is_(None) if organisation_id is None
            else StatusReport.organisation_id == organisation_id)
        .order_by(StatusReport.version.desc())))


def by_id(session: Session, project_id: int, report_id: int) -> StatusReport | None:
    found = session.get(StatusReport, report_id)
    return found if found is not None and found.project_id == project_id else None


def last_published_on(session: Session, project_id: int) -> date | None:
    """When the project's last report was published (risk movement is measured from it)."""
    published = session.scalar(
        select(StatusReport.published_at).where(
            StatusReport.project_id == project_id, StatusReport.organisation_id.is_(None),
            StatusReport.status == ReportStatus.PUBLISHED)
        .order_by(StatusReport.published_at.desc()).limit(1))
    return published.date() if published else None


def light_history(session: Session, project_id: int) -> list[StatusReport]:
    """The newest published project report of each period, oldest period first."""
    rows = session.scalars(
        select(StatusReport).where(
            StatusReport.project_id == project_id, StatusReport.organisation_id.is_(None),
            StatusReport.status == ReportStatus.PUBLISHED)
        .order_by(StatusReport.period, StatusReport.version))
    newest: dict[str, StatusReport] = {}
    for report in rows:
        newest[report.period] = report
    return [newest[p] for p in sorted(newest)]


def due_reports(session: Session, projects: list[Project], organisations: dict[int, dict],
                today: date) -> list[tuple]:
    """(project, organisation, period, draft or None) for each report of the current period
    the given organisations (project id -> organisation id -> organisation) have not
    published. One query however many projects."""
    periods = {p.id: current_period(p, today) for p in projects if organisations.get(p.id)}
    if not periods:
        return []
    org_ids = {o for project_id in periods for o in organisations[project_id]}
    rows = session.scalars(
        select(StatusReport).where(
            StatusReport.project_id.in_(periods),
            StatusReport.period.in_({p.code for p in periods.values()}),
            StatusReport.organisation_id.in_(org_ids))
        .options(defer(StatusReport.snapshot)).order_by(StatusReport.version))
    newest = {(r.project_id, r.period, r.organisation_id): r for r in rows}
    due = []
    for project in projects:
        period = periods.get(project.id)
        if period is None:
            continue
        for org_id, organisation in sorted(organisations[project.id].items(),
                                           key=lambda item: item[1].name):
            report = newest.get((project.id, period.code, org_id))
            if report is None or not report.published:
                due.append((project, organisation, period, report))
    return due


def latest_project_reports(session: Session, project_ids) -> dict[int, StatusReport]:
    """project id -> the newest published report of the project itself (its latest lights),
    for many projects in one query (``project_ids``: a list or a subquery of ids)."""
    ranked = (
        select(StatusReport.id, func.row_number().over(
            partition_by=StatusReport.project_id,
            order_by=(StatusReport.period.desc(), StatusReport.version.desc())).label("rank"))
        .where(StatusReport.project_id.in_(project_ids),
               StatusReport.organisation_id.is_(None),
               StatusReport.status == ReportStatus.PUBLISHED)
        .subquery())
    rows = session.scalars(
        select(StatusReport).join(ranked, ranked.c.id == StatusReport.id)
        .where(ranked.c.rank == 1).options(defer(StatusReport.snapshot)))
    return {report.project_id: report for report in rows}


def latest_project_lights(session: Session, project_ids) -> dict[int, Light | None]:
    """project id -> the overall light of its newest published report of its own (what the
    portfolio sorts by), one query returning one plain row per project."""
    ranked = (
        select(StatusReport.project_id, StatusReport.overall, func.row_number().over(
            partition_by=StatusReport.project_id,
            order_by=(StatusReport.period.desc(), StatusReport.version.desc())).label("rank"))
        .where(StatusReport.project_id.in_(project_ids),
               StatusReport.organisation_id.is_(None),
               StatusReport.status == ReportStatus.PUBLISHED)
        .subquery())
    return dict(session.execute(select(ranked.c.project_id, ranked.c.overall)
                                .where(ranked.c.rank == 1)).all())


def organisation_reports(session: Session, project_ids, organisation_id: int,
                         limit: int | None = 24) -> list[StatusReport]:
    """The organisation's own reports in the given projects, newest period first: per
    project and period the newest published version, or the newest draft when none is
    published. One query however many projects."""
    rows = session.scalars(
        select(StatusReport).where(StatusReport.project_id.in_(project_ids),
                                   StatusReport.organisation_id == organisation_id)
        .options(defer(StatusReport.snapshot)).order_by(StatusReport.version))
    found: dict[tuple[int, str], StatusReport] = {}
    for report in rows:
        key = (report.project_id, report.period)
        if key not in found or report.published or not found[key].published:
            found[key] = report
    ordered = sorted(found.values(), key=lambda r: (r.period, r.project_id), reverse=True)
    return ordered[:limit]


def not_reported(project: Project, reports: dict, period: str) -> list:
    """Participants without a published report for the period."""
    return [o for o in project.participants
            if not ((r := reports.get((period, o.id))) is not None and r.published)]


# --- Suggested lights ------------------------------------------------------------------------


@dataclass
class Suggestion:
    light: Light | None
    reasons: list = field(default_factory=list)  # Reason: a message id and its parameters
    outside_tolerance: bool = False


@dataclass
class Reason:
    message: str
    params: dict


def suggest(project: Project, milestone_rows, risks, indicator_views, org_reports,
            today: date, budget=None) -> dict[Dimension, Suggestion]:
    """Per dimension, the worst of the municipalities' lights and of the project's own
    figures checked against its tolerances. Outside a tolerance is red and marked for the
    steering group."""
    from governance.errors import N_

    suggestions = {d: Suggestion(worst(r.light(d) for r in org_reports)) for d in PARTS}
    for dimension in PARTS:
        reds = [r for r in org_reports if r.light(dimension) == Light.RED]
        if reds:
            suggestions[dimension].reasons.append(Reason(
                N_("Rødt hos %(names)s"),
                {"names": ", ".join(r.organisation.name for r in reds if r.organisation)}))

    def mark(dimension, light, message, params, outside=False):
        s = suggestions[dimension]
        s.light = worst([s.light, light])
        s.reasons.append(Reason(message, params))
        s.outside_tolerance = s.outside_tolerance or outside

    late = [row for row in milestone_rows if row.status == MilestoneStatus.LATE]
    at_risk = [row for row in milestone_rows if row.status == MilestoneStatus.AT_RISK]
    if late:
        mark(Dimension.SCHEDULE, Light.RED,
             N_("Milepæler forsinket utover toleransen på %(days)d dager: %(num)d"),
             {"num": len(late), "days": project.time_tolerance_days}, outside=True)
    elif at_risk:
        mark(Dimension.SCHEDULE, Light.YELLOW, N_("Milepæler i faresonen: %(num)d"),
             {"num": len(at_risk)})
    threats = [r for r in risks if r.is_open and r.kind.value == "threat"]
    high = [r for r in threats if r.score >= project.risk_red_from]
    middle = [r for r in threats if project.risk_yellow_from <= r.score < project.risk_red_from]
    if high:
        mark(Dimension.RISK, Light.RED,
             N_("Åpne risikoer med poengsum %(score)d eller mer: %(num)d"),
             {"num": len(high), "score": project.risk_red_from}, outside=True)
    elif middle:
        mark(Dimension.RISK, Light.YELLOW, N_("Åpne risikoer i gul sone: %(num)d"),
             {"num": len(middle)})
    floor = Decimal(100 - project.benefit_tolerance_percent) / 100
    behind = []
    for view in indicator_views:
        passed = [t for t in view.targets if t.target_date <= today]
        achievement = view.project_achievement
        if passed and achievement is not None and achievement < floor:
            behind.append(view.indicator.name)
    if behind:
        mark(Dimension.BENEFITS, Light.RED,
             N_("Under %(percent)d %% av målet etter måldatoen: %(names)s"),
             {"percent": 100 - project.benefit_tolerance_percent, "names": ", ".join(behind)},
             outside=True)
    if budget is not None and budget.outside_tolerance:
        percent = budget.cost_totals.deviation_percent
        mark(Dimension.COST, Light.RED,
             N_("Prognosen for de felles kostnadene %(year)d avviker %(percent)s fra "
                "budsjettet; toleransen er %(tolerance)d %%"),
             {"year": budget.year, "percent": "–" if percent is None
              else format_percent(percent, 1),
              "tolerance": project.cost_tolerance_percent}, outside=True)
    overall = Suggestion(worst(s.light for s in suggestions.values()))
    overall.outside_tolerance = any(s.outside_tolerance for s in suggestions.values())
    suggestions[Dimension.OVERALL] = overall
    return suggestions


# --- Snapshot --------------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot(milestone_rows, risks, top_risks, indicator_views, budget=None) -> dict:
    """The project as it is now, in plain data: what a published report keeps."""
    return {
        "milestones": [
            {"title": row.milestone.title,
             "organisation": row.milestone.organisation.name
             if row.milestone.organisation else None,
             "baseline": _iso(row.milestone.baseline_date),
             "forecast": _iso(row.milestone.forecast_date),
             "actual": _iso(row.milestone.actual_date), "status": row.status.value}
            for row in milestone_rows],
        "top_risks": [
            {"number": r.number, "title": r.title, "score": r.score,
             "probability": r.probability, "consequence": r.consequence,
             "residual_score": r.residual_score}
            for r in top_risks],
        "open_risks": sum(1 for r in risks if r.is_open),
        "benefits": [
            {"indicator": v.indicator.name,
             "value": str(v.project_latest.value) if v.project_latest else None,
             "period": v.project_latest.period if v.project_latest else None,
             "achievement": str(v.project_achievement)
             if v.project_achievement is not None else None}
            for v in indicator_views],
        "budget": budget,
    }
