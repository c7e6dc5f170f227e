"""Read side of the plan: milestone table and summary, trend points, phases, checklists,
decision log, meetings. One query per list."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.projects.checklists import PHASE_ORDER
from governance.projects.models import (
    Checkpoint,
    Decision,
    Meeting,
    Milestone,
    MilestoneDateChange,
    Phase,
    PhaseRecord,
    Project,
)
from governance.projects.plan import MilestoneStatus, milestone_status, status_of


@dataclass
class MilestoneRow:
    milestone: Milestone
    status: MilestoneStatus

    @property
    def slip_days(self) -> int | None:
        """Days the forecast (or the actual date) lies after the baseline."""
        m = self.milestone
        moved = m.actual_date or m.forecast_date
        if m.baseline_date is None or moved is None:
            return None
        return (moved - m.baseline_date).days


@dataclass
class MilestoneFilter:
    status: MilestoneStatus | None = None
    organisation_id: int | None = None


def _sort_key(milestone: Milestone):
    due = milestone.due_date
    return (due is None, due or date.max, milestone.title.lower(), milestone.id)


def milestone_rows(session: Session, project: Project, today: date,
                   filters: MilestoneFilter | None = None) -> list[MilestoneRow]:
    milestones = session.scalars(
        select(Milestone).where(Milestone.project_id == project.id).options(
            selectinload(Milestone.organisation), selectinload(Milestone.responsible),
            selectinload(Milestone.group),
        )
    ).all()
    rows = [MilestoneRow(m, status_of(m, project, today))
            for m in sorted(milestones, key=_sort_key)]
    if filters is not None:
        if filters.status is not None:
            rows = [row for row in rows if row.status == filters.status]
        if filters.organisation_id is not None:
            rows = [row for row in rows
                    if row.milestone.organisation_id == filters.organisation_id]
    return rows


def plan_rows(session: Session, project: Project, today: date) -> list[MilestoneRow]:
    """Every milestone with its status and its organisation only, in the plan's order (for
    the dashboard: no responsible person or work group loaded). One query."""
    milestones = session.scalars(
        select(Milestone).where(Milestone.project_id == project.id)
        .options(joinedload(Milestone.organisation))
    ).all()
    return [MilestoneRow(m, status_of(m, project, today))
            for m in sorted(milestones, key=_sort_key)]


def milestone_row(session: Session, project: Project, milestone: Milestone,
                  today: date) -> MilestoneRow:
    return MilestoneRow(milestone, status_of(milestone, project, today))


def summary(rows: list[MilestoneRow]) -> dict[MilestoneStatus, int]:
    counts = Counter(row.status for row in rows)
    return {status: counts.get(status, 0) for status in MilestoneStatus}


def status_summary(session: Session, project: Project,
                   today: date) -> dict[MilestoneStatus, int]:
    """The summary's counts from the milestones' dates only (no objects loaded)."""
    counts: Counter = Counter()
    for baseline, forecast, actual in session.execute(
        select(Milestone.baseline_date, Milestone.forecast_date, Milestone.actual_date)
        .where(Milestone.project_id == project.id)
    ):
        counts[milestone_status(baseline, forecast, actual, today,
                                project.time_tolerance_days)] += 1
    return {status: counts.get(status, 0) for status in MilestoneStatus}


def milestone(session: Session, project_id: int, milestone_id: int) -> Milestone | None:
    found = session.get(Milestone, milestone_id)
    return found if found is not None and found.project_id == project_id else None


def date_changes(session: Session, milestone_id: int) -> list[MilestoneDateChange]:
    return list(session.scalars(
        select(MilestoneDateChange).where(MilestoneDateChange.milestone_id == milestone_id)
        .options(selectinload(MilestoneDateChange.changed_by))
        .order_by(MilestoneDateChange.recorded_at.desc(), MilestoneDateChange.id.desc())
    ))


def project_date_changes(session: Session, project_id: int) -> list[MilestoneDateChange]:
    """Every date change of the project's milestones, oldest first (one query; the
    milestones themselves come from :func:`milestone_rows`). The join leaves out the
    changes of milestones in the wastebasket."""
    return list(session.scalars(
        select(MilestoneDateChange)
        .join(Milestone, Milestone.id == MilestoneDateChange.milestone_id)
        .where(MilestoneDateChange.project_id == project_id)
        .options(selectinload(MilestoneDateChange.changed_by))
        .order_by(MilestoneDateChange.reported_on, MilestoneDateChange.recorded_at,
                  MilestoneDateChange.id)
    ))


@dataclass
class TrendLine:
    """One milestone in the trend chart: the date it was expected, as reported on each day."""

    milestone_id: int
    title: str
    points: list[tuple[date, date]]  # (reported on, expected then)
    done: bool


def trend_lines(session: Session, project: Project, rows: list[MilestoneRow]) -> list[TrendLine]:
    """Per milestone, the last forecast (or actual date) reported on each day."""
    ids = [row.milestone.id for row in rows]
    if not ids:
        return []
    changes = session.execute(
        select(MilestoneDateChange.milestone_id, MilestoneDateChange.reported_on,
               MilestoneDateChange.forecast_date, MilestoneDateChange.actual_date,
               MilestoneDateChange.baseline_date)
        .where(MilestoneDateChange.project_id == project.id)
        .order_by(MilestoneDateChange.reported_on, MilestoneDateChange.id)
    ).all()
    by_milestone: dict[int, dict[date, date]] = defaultdict(dict)
    wanted = set(ids)
    for milestone_id, reported_on, forecast, actual, baseline in changes:
        expected = actual or forecast or baseline
        if milestone_id in wanted and expected is not None:
            by_milestone[milestone_id][reported_on] = expected
    lines = []
    for row in rows:
        points = sorted(by_milestone.get(row.milestone.id, {}).items())
        if points:
            lines.append(TrendLine(row.milestone.id, _label(row.milestone), points,
                                   row.status == MilestoneStatus.DONE))
    return lines


def _label(milestone: Milestone) -> str:
    if milestone.organisation is not None:
        return f"{milestone.title} ({milestone.organisation.name})"
    return milestone.title


def phase_history(session: Session, project_id: int) -> list[PhaseRecord]:
    return list(session.scalars(
        select(PhaseRecord).where(PhaseRecord.project_id == project_id)
        .order_by(PhaseRecord.started_on, PhaseRecord.id)
    ))


@dataclass
class PhasePeriod:
    phase: Phase
    start: date
    end: date | None  # None: still in it
    record: PhaseRecord


def phase_periods(records: list[PhaseRecord]) -> list[PhasePeriod]:
    return [
        PhasePeriod(r.phase, r.started_on,
                    records[i + 1].started_on if i + 1 < len(records) else None, r)
        for i, r in enumerate(records)
    ]


def checklists(session: Session, project_id: int) -> dict[Phase, list[Checkpoint]]:
    items = session.scalars(
        select(Checkpoint).where(Checkpoint.project_id == project_id)
        .order_by(Checkpoint.position, Checkpoint.id)
    ).all()
    grouped: dict[Phase, list[Checkpoint]] = {phase: [] for phase in PHASE_ORDER}
    for item in items:
        grouped[item.phase].append(item)
    return grouped


def checkpoint(session: Session, project_id: int, checkpoint_id: int) -> Checkpoint | None:
    found = session.get(Checkpoint, checkpoint_id)
    return found if found is not None and found.project_id == project_id else None


@dataclass
class DecisionEntry:
    decision: Decision
    superseded_by: Decision | None


def decision_log(session: Session, project_id: int) -> list[DecisionEntry]:
    decisions = session.scalars(
        select(Decision).where(Decision.project_id == project_id)
        .options(selectinload(Decision.meeting), selectinload(Decision.recorded_by))
        .order_by(Decision.decided_on.desc(), Decision.id.desc())
    ).all()
    successor = {d.supersedes_id: d for d in decisions if d.supersedes_id is not None}
    return [DecisionEntry(d, successor.get(d.id)) for d in decisions]


def decision_entries(session: Session, project_id: int) -> list[DecisionEntry]:
    """The decision log without the meetings and who recorded each decision (the
    dashboard's timeline and open cases need neither). One query."""
    decisions = session.scalars(
        select(Decision).where(Decision.project_id == project_id)
        .order_by(Decision.decided_on.desc(), Decision.id.desc())
    ).all()
    successor = {d.supersedes_id: d for d in decisions if d.supersedes_id is not None}
    return [DecisionEntry(d, successor.get(d.id)) for d in decisions]


def decision(session: Session, project_id: int, decision_id: int) -> Decision | None:
    found = session.get(Decision, decision_id)
    return found if found is not None and found.project_id == project_id else None


def meetings(session: Session, project_id: int) -> list[Meeting]:
    return list(session.scalars(
        select(Meeting).where(Meeting.project_id == project_id)
        .options(selectinload(Meeting.items))
        .order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
    ))


def meeting(session: Session, project_id: int, meeting_id: int) -> Meeting | None:
    found = session.get(Meeting, meeting_id)
    return found if found is not None and found.project_id == project_id else None


def meeting_decisions(session: Session, meeting_id: int) -> list[Decision]:
    return list(session.scalars(
        select(Decision).where(Decision.meeting_id == meeting_id).order_by(Decision.id)
    ))


def next_meeting(session: Session, project_id: int, today: date) -> Meeting | None:
    return session.scalar(
        select(Meeting).where(Meeting.project_id == project_id, Meeting.meeting_date >= today)
        .options(selectinload(Meeting.items))
        .order_by(Meeting.meeting_date, Meeting.id).limit(1)
    )


def next_milestones(session: Session, project_ids) -> dict[int, Milestone]:
    """project id -> its next open milestone (no actual date; the earliest forecast, else
    baseline; then title and id), for many projects in one query."""
    due = func.coalesce(Milestone.forecast_date, Milestone.baseline_date)
    ranked = (
        select(Milestone.id, func.row_number().over(
            partition_by=Milestone.project_id,
            order_by=(due.is_(None), due, Milestone.title, Milestone.id)).label("rank"))
        .where(Milestone.project_id.in_(project_ids), Milestone.actual_date.is_(None))
        .subquery())
    rows = session.scalars(
        select(Milestone).join(ranked, ranked.c.id == Milestone.id).where(ranked.c.rank == 1)
        .options(joinedload(Milestone.organisation)))
    return {m.project_id: m for m in rows}


def next_due_dates(session: Session, project_ids) -> dict[int, date | None]:
    """project id -> the due date of its next open milestone (None when the open ones have
    no date), for projects with an open milestone: what the portfolio sorts by. One
    grouped query."""
    due = func.coalesce(Milestone.forecast_date, Milestone.baseline_date)
    return dict(session.execute(
        select(Milestone.project_id, func.min(due))
        .where(Milestone.project_id.in_(project_ids), Milestone.actual_date.is_(None))
        .group_by(Milestone.project_id)).all())


def organisation_milestones(session: Session, project_ids, organisation_id: int,
                            include_done: bool = False) -> list[Milestone]:
    """The organisation's own milestones in the given projects, by due date. One query."""
    stmt = select(Milestone).where(Milestone.project_id.in_(project_ids),
                                   Milestone.organisation_id == organisation_id).options(
        joinedload(Milestone.responsible))
    if not include_done:
        stmt = stmt.where(Milestone.actual_date.is_(None))
    return sorted(session.scalars(stmt), key=_sort_key)
