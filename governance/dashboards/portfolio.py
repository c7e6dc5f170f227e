"""Read side of the portfolio: every project the user may see with its phase, latest lights,
next milestone, benefit achievement and highest risk; the comparison of municipalities on
one indicator across projects; one municipality's projects, reports, measurements,
milestones and tasks.

Reads the other domains only through their ``queries`` modules. Each column is one query
over all the listed projects, so the page needs the same number of queries for 5 projects
as for 500.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from governance.benefits import queries as benefit_queries
from governance.benefits.models import Indicator, Unit
from governance.organisations import queries as organisation_queries
from governance.organisations.models import Organisation
from governance.projects import plan_queries
from governance.projects import queries as project_queries
from governance.projects.checklists import PHASE_ORDER
from governance.projects.models import Milestone, Phase, Project, ProjectStatus
from governance.projects.plan import MilestoneStatus, status_of
from governance.reporting import queries as report_queries
from governance.reporting.models import Light, StatusReport
from governance.risks import queries as risk_queries
from governance.risks.models import Risk

PAGE_SIZE = 50

# The sortable columns, by the name used in the address (?sorter=fase, ?sorter=-fase).
SORT_KEYS = ("navn", "fase", "status", "lys", "milepael", "gevinst", "risiko")
DEFAULT_SORT = "navn"

LIGHT_ORDER = {Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}
STATUS_ORDER = {status: n for n, status in enumerate(ProjectStatus)}
PHASE_INDEX = {phase: n for n, phase in enumerate(PHASE_ORDER)}


@dataclass(frozen=True)
class PortfolioFilter:
    phase: Phase | None = None
    status: ProjectStatus | None = None
    organisation_id: int | None = None
    sort: str = DEFAULT_SORT
    descending: bool = False
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.phase or self.status or self.organisation_id)

    def params(self, **changes) -> dict:
        """The address's query parameters, with ``changes`` (for sort and page links)."""
        values = {
            "fase": self.phase.value if self.phase else None,
            "status": self.status.value if self.status else None,
            "organisasjon": self.organisation_id,
            "sorter": ("-" if self.descending else "") + self.sort
            if (self.sort, self.descending) != (DEFAULT_SORT, False) else None,
            "side": self.page if self.page != 1 else None,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "")}

    def sort_param(self, key: str) -> str:
        """The sort a click on the column ``key`` asks for: ascending first, then reversed."""
        return f"-{key}" if self.sort == key and not self.descending else key

    def aria_sort(self, key: str) -> str | None:
        if self.sort != key:
            return None
        return "descending" if self.descending else "ascending"


@dataclass
class PortfolioRow:
    project: Project
    report: StatusReport | None
    milestone: Milestone | None
    milestone_status: MilestoneStatus | None
    achievement: Decimal | None
    indicators: int  # indicators with an achievement behind the average
    risk: Risk | None

    @property
    def risk_light(self) -> Light | None:
        if self.risk is None:
            return None
        if self.risk.score >= self.project.risk_red_from:
            return Light.RED
        if self.risk.score >= self.project.risk_yellow_from:
            return Light.YELLOW
        return Light.GREEN


@dataclass
class Portfolio:
    rows: list[PortfolioRow]  # the page's rows
    total: int
    page: int
    pages: int
    first: int  # the number of the page's first row (1-based), 0 when there are none

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


# The columns the list needs of each project (not the texts of the governing document).
LIST_COLUMNS = (Project.id, Project.code, Project.name, Project.phase, Project.status,
                Project.risk_yellow_from, Project.risk_red_from, Project.time_tolerance_days)


def _figure_keys(session: Session, key: str, ids: list[int]) -> dict[int, object]:
    """project id -> the value the figure column ``key`` sorts by, for every listed project;
    one query returning one small row per project (the page's rows are then read in full
    for the shown projects only)."""
    if key == "lys":
        return {pid: LIGHT_ORDER.get(light)
                for pid, light in report_queries.latest_project_lights(session, ids).items()}
    if key == "milepael":
        return plan_queries.next_due_dates(session, ids)
    if key == "risiko":
        return risk_queries.highest_scores(session, ids)
    if key == "gevinst":
        return {pid: value for pid, (value, _) in project_achievements(
            benefit_queries.latest_achievements(session, ids)).items()}
    return {}


def _project_key(key: str):
    if key == "fase":
        return lambda p: PHASE_INDEX.get(p.phase)
    if key == "status":
        return lambda p: STATUS_ORDER.get(p.status)
    return None


def sort_projects(projects: list[Project], key: str, descending: bool,
                  figures: dict[int, object]) -> list[Project]:
    """Stable and deterministic: by the column, then by name, short code and id (always
    ascending); projects without a value last in both directions."""
    ordered = sorted(projects, key=lambda p: (p.name.casefold(), p.code, p.id))
    if key == "navn":
        return list(reversed(ordered)) if descending else ordered
    value = _project_key(key) or (lambda p: figures.get(p.id))
    present = [p for p in ordered if value(p) is not None]
    missing = [p for p in ordered if value(p) is None]
    present.sort(key=value, reverse=descending)
    return present + missing


def project_achievements(latest: list[tuple[int, int, Decimal]]
                         ) -> dict[int, tuple[Decimal, int]]:
    """project id -> (achievement, indicators), from (project id, indicator id, achievement)
    of each organisation's latest measurement: per indicator the average of the
    organisations' latest achievements, then the average over the project's indicators."""
    by_indicator: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for project_id, indicator_id, value in latest:
        by_indicator[(project_id, indicator_id)].append(value)
    by_project: dict[int, list[Decimal]] = defaultdict(list)
    for (project_id, _), values in by_indicator.items():
        by_project[project_id].append(sum(values, Decimal(0)) / len(values))
    return {pid: (sum(values, Decimal(0)) / len(values), len(values))
            for pid, values in by_project.items()}


class PageOutOfRange(ValueError):
    def __init__(self, page: int, pages: int):
        super().__init__(page, pages)
        self.page, self.pages = page, pages


def portfolio(session: Session, user, filters: PortfolioFilter, today: date) -> Portfolio:
    """The visible projects that pass the filter, sorted, one page of them. The projects'
    list columns in one query; when sorted by a figure, that figure for every project in one
    more (two or three for the achievement); then the figures of the page's projects only.
    The same number of queries however many projects."""
    projects = project_queries.project_rows(
        session, user, project_queries.ProjectFilter(
            phase=filters.phase, status=filters.status,
            organisation_id=filters.organisation_id), LIST_COLUMNS)
    figures = {}
    if projects and not _project_key(filters.sort) and filters.sort != "navn":
        figures = _figure_keys(session, filters.sort, [p.id for p in projects])
    ordered = sort_projects(projects, filters.sort, filters.descending, figures)
    pages = max(1, math.ceil(len(ordered) / PAGE_SIZE))
    if filters.page > pages:
        raise PageOutOfRange(filters.page, pages)
    start = (filters.page - 1) * PAGE_SIZE
    shown = ordered[start:start + PAGE_SIZE]
    rows: list[PortfolioRow] = []
    if shown:
        ids = [p.id for p in shown]
        reports = report_queries.latest_project_reports(session, ids)
        milestones = plan_queries.next_milestones(session, ids)
        risks = risk_queries.highest_risks(session, ids)
        achievements = project_achievements(benefit_queries.latest_achievements(session, ids))
        for project in shown:
            milestone = milestones.get(project.id)
            achievement, count = achievements.get(project.id, (None, 0))
            rows.append(PortfolioRow(
                project, reports.get(project.id), milestone,
                status_of(milestone, project, today) if milestone else None,
                achievement, count, risks.get(project.id)))
    return Portfolio(rows, len(ordered), filters.page, pages, start + 1 if rows else 0)


def filter_organisations(session: Session, user) -> list[Organisation]:
    """The organisations that own or take part in a project the user may see."""
    return project_queries.organisations_in(session, project_queries.visible_ids_query(user))


# --- Comparison of municipalities ------------------------------------------------------------


def _same_kind(a: Indicator, b: Indicator) -> bool:
    return (a.name.strip().casefold() == b.name.strip().casefold() and a.unit == b.unit
            and a.unit_label == b.unit_label and a.is_ratio == b.is_ratio)


@dataclass
class IndicatorChoice:
    indicator: Indicator  # a plain row: id, project_id, name, unit, unit_label, is_ratio
    project: Project  # a plain row of LIST_COLUMNS


def indicator_choices(session: Session, projects: dict[int, Project]) -> list[IndicatorChoice]:
    """Every indicator of the given projects, by name and project."""
    return [IndicatorChoice(i, projects[i.project_id])
            for i in benefit_queries.indicators_of(session, list(projects))]


@dataclass
class ComparisonRow:
    organisation: Organisation
    project: Project
    indicator: Indicator
    latest: benefit_queries.Latest


COMPARISON_PAGE_SIZE = 40


@dataclass
class Comparison:
    chosen: Indicator
    indicators: list[IndicatorChoice]  # the chosen one and those like it in other projects
    rows: list[ComparisonRow] = field(default_factory=list)  # the page's rows
    missing: list[tuple[Organisation, Project]] = field(default_factory=list)
    total: int = 0  # rows on every page
    page: int = 1
    pages: int = 1
    several_projects: bool = False

    @property
    def unit(self) -> Unit:
        return self.chosen.unit

    @property
    def first(self) -> int:
        return (self.page - 1) * COMPARISON_PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def comparison(session: Session, choices: list[IndicatorChoice], chosen_id: int,
               page: int = 1) -> Comparison | None:
    """The chosen indicator and every visible indicator with the same name and unit in
    other projects: each participating municipality's latest value and achievement side
    by side, a page at a time (by municipality, then project). None when the indicator is
    not among the choices; PageOutOfRange past the last page. The participants of the
    compared projects in one query, which of them have measured in one more; the latest
    values of the page's rows only in the rest."""
    chosen = next((c for c in choices if c.indicator.id == chosen_id), None)
    if chosen is None:
        return None
    alike = [c for c in choices if _same_kind(c.indicator, chosen.indicator)]
    participants = participants_of(session, sorted({c.project.id for c in alike}))
    measured = benefit_queries.measured_pairs(session, [c.indicator.id for c in alike])
    result = Comparison(chosen.indicator, alike,
                        several_projects=len({c.project.id for c in alike}) > 1)
    found: list[tuple[Organisation, IndicatorChoice]] = []
    for choice in alike:
        for org in participants.get(choice.project.id, []):
            if (choice.indicator.id, org.id) in measured:
                found.append((org, choice))
            else:
                result.missing.append((org, choice.project))
    found.sort(key=lambda pair: (pair[0].name.casefold(), pair[1].project.name.casefold(),
                                 pair[1].indicator.id))
    result.total = len(found)
    result.pages = max(1, math.ceil(len(found) / COMPARISON_PAGE_SIZE))
    if page > result.pages:
        raise PageOutOfRange(page, result.pages)
    result.page = page
    shown = found[(page - 1) * COMPARISON_PAGE_SIZE:page * COMPARISON_PAGE_SIZE]
    if shown:
        latest = benefit_queries.latest_readings(
            session, indicator_ids=sorted({c.indicator.id for _, c in shown}))
        by_key = {(item.indicator.id, item.organisation_id): item for item in latest}
        for org, choice in shown:
            item = by_key.get((choice.indicator.id, org.id))
            if item is not None:
                result.rows.append(ComparisonRow(org, choice.project, choice.indicator, item))
    return result


def visible_projects(session: Session, user) -> dict[int, Project]:
    """id -> project (a plain row of its list columns) for every project the user may see."""
    return {p.id: p for p in project_queries.project_rows(
        session, user, project_queries.ProjectFilter(), LIST_COLUMNS)}


def participants_of(session: Session, project_ids: list[int]) -> dict[int, list[Organisation]]:
    """project id -> its participating organisations, by name (one query)."""
    return project_queries.participants_of(session, project_ids)


# --- One municipality ------------------------------------------------------------------------


@dataclass
class MunicipalityProject:
    project: Project
    owner: bool
    participant: bool
    report: StatusReport | None  # the organisation's own newest report in the project


# How many reports, latest measurements and open milestones the municipality view shows
# unless all are asked for (?alle=ja): an organisation in 60 projects has hundreds.
MUNICIPALITY_LIST_SIZE = 20


@dataclass
class MunicipalityView:
    organisation: Organisation
    projects: list[MunicipalityProject]
    reports: list[StatusReport]  # newest period first (the shown ones)
    readings: list[tuple[Project, benefit_queries.Latest]]  # newest period first
    milestones: list[tuple[Project, Milestone, MilestoneStatus]]  # by due date
    due_reports: list[tuple]
    due_measurements: list[tuple]
    # How many there are in all (more than shown when the lists are bounded).
    reports_total: int = 0
    readings_total: int = 0
    milestones_total: int = 0
    bounded: bool = False

    @property
    def project_by_id(self) -> dict[int, Project]:
        return {item.project.id: item.project for item in self.projects}


def municipality(session: Session, user, organisation_id: int, today: date,
                 show_all: bool = False) -> MunicipalityView | None:
    """What one organisation takes part in among the projects the user may see, its own
    reports, measurements and milestones, and what it owes (reports and measurements due).
    The reports, readings and milestones are bounded to MUNICIPALITY_LIST_SIZE (the newest
    reports and readings, the next milestones) unless ``show_all``. None when the
    organisation does not exist or takes part in no project the user sees."""
    organisation = next(iter(organisation_queries.by_ids(session, [organisation_id])), None)
    if organisation is None:
        return None
    links = project_queries.organisation_links(session, organisation_id)
    projects = project_queries.visible_projects(session, user, ids=list(links))
    if not projects and not user.is_admin:
        return None
    ids = sorted(projects)
    reports = (report_queries.organisation_reports(session, ids, organisation_id, limit=None)
               if ids else [])
    newest: dict[int, StatusReport] = {}
    for report in reports:  # newest period first
        newest.setdefault(report.project_id, report)
    ordered = sorted(projects.values(), key=lambda p: (p.name.casefold(), p.code))
    taking_part = [
        MunicipalityProject(p, "owner" in links[p.id], "participant" in links[p.id],
                            newest.get(p.id))
        for p in ordered]
    readings = []
    milestones = []
    if ids:
        readings = [(projects[item.indicator.project_id], item)
                    for item in benefit_queries.latest_readings(
                        session, project_ids=ids, organisation_id=organisation_id)]
        readings.sort(key=lambda pair: (pair[0].name.casefold(), pair[1].indicator.position,
                                        pair[1].indicator.id))
        readings.sort(key=lambda pair: pair[1].measurement.period_end, reverse=True)
        milestones = [(projects[m.project_id], m, status_of(m, projects[m.project_id], today))
                      for m in plan_queries.organisation_milestones(session, ids,
                                                                    organisation_id)]
    participating = [p.project for p in taking_part if p.participant]
    owes = {p.id: {organisation_id: organisation} for p in participating}
    size = None if show_all else MUNICIPALITY_LIST_SIZE
    return MunicipalityView(
        organisation, taking_part, reports[:size], readings[:size], milestones[:size],
        report_queries.due_reports(session, participating, owes, today),
        benefit_queries.overdue_for(session, participating, owes, today),
        reports_total=len(reports), readings_total=len(readings),
        milestones_total=len(milestones), bounded=not show_all)
