"""Milestones: derived status, creation (also one per participant), updates and slippage.

Commands take (session, actor, ...), flush and never commit. ``today`` is a parameter so the
demo can tell a plan's past and the tests can fix the date.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.errors import N_, RuleViolation, StaleEdit
from governance.projects.models import DecisionPoint, Milestone, MilestoneDateChange, Project
from governance.roles.models import GroupKind, Person, ProjectGroup


class MilestoneStatus(enum.Enum):
    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"


def milestone_status(baseline: date | None, forecast: date | None, actual: date | None,
                     today: date, tolerance_days: int) -> MilestoneStatus:
    """Done when it has an actual date. Late when it is past due, or when the forecast is
    more than the tolerance after the baseline. At risk when the forecast is after the baseline
    but within the tolerance. Otherwise on track."""
    if actual is not None:
        return MilestoneStatus.DONE
    due = forecast or baseline
    if due is not None and due < today:
        return MilestoneStatus.LATE
    if baseline is not None and forecast is not None and forecast > baseline:
        if (forecast - baseline).days > tolerance_days:
            return MilestoneStatus.LATE
        return MilestoneStatus.AT_RISK
    return MilestoneStatus.ON_TRACK


def status_of(milestone: Milestone, project: Project, today: date) -> MilestoneStatus:
    return milestone_status(milestone.baseline_date, milestone.forecast_date,
                            milestone.actual_date, today, project.time_tolerance_days)


@dataclass
class MilestoneInput:
    title: str
    description: str
    responsible_person_id: int | None
    organisation_id: int | None
    group_id: int | None
    decision_point: DecisionPoint | None
    baseline_date: date | None
    forecast_date: date | None
    actual_date: date | None
    comment: str


def _check_dates(forecast: date | None, actual: date | None, today: date) -> None:
    if actual is not None and actual > today:
        raise RuleViolation(N_("Faktisk dato kan ikke være fram i tid."), "actual_date")


def _check_links(session: Session, project: Project, data: MilestoneInput) -> None:
    if not data.title.strip():
        raise RuleViolation(N_("Skriv en tittel på milepælen."), "title")
    if data.organisation_id is not None and data.organisation_id not in {
        org.id for org in project.participants
    }:
        raise RuleViolation(N_("Velg en av prosjektets deltakende organisasjoner."),
                            "organisation_id")
    if data.group_id is not None:
        group = session.get(ProjectGroup, data.group_id)
        if group is None or group.project_id != project.id or group.kind != GroupKind.WORK_GROUP:
            raise RuleViolation(N_("Velg en av prosjektets arbeidsgrupper."), "group_id")
    if data.responsible_person_id is not None and session.get(
        Person, data.responsible_person_id
    ) is None:
        raise RuleViolation(N_("Personen finnes ikke."), "responsible_person_id")


def _record_dates(session: Session, actor, milestone: Milestone, today: date) -> None:
    session.add(MilestoneDateChange(
        milestone_id=milestone.id, project_id=milestone.project_id, reported_on=today,
        changed_by_id=getattr(actor, "id", None), baseline_date=milestone.baseline_date,
        forecast_date=milestone.forecast_date, actual_date=milestone.actual_date,
    ))


def _dates(milestone: Milestone) -> tuple:
    return (milestone.baseline_date, milestone.forecast_date, milestone.actual_date)


def create_milestone(session: Session, actor, project: Project, data: MilestoneInput, *,
                     for_every_participant: bool = False,
                     today: date | None = None) -> list[Milestone]:
    """Create a milestone; with ``for_every_participant``, one copy per participating
    organisation, each then tracked on its own (they share a series)."""
    today = today or date.today()
    _check_links(session, project, data)
    _check_dates(data.forecast_date, data.actual_date, today)
    if for_every_participant and not project.participants:
        raise RuleViolation(N_("Prosjektet har ingen deltakende organisasjoner ennå."),
                            "for_every_participant")
    organisations = ([org.id for org in project.participants] if for_every_participant
                     else [data.organisation_id])
    created = []
    for organisation_id in organisations:
        milestone = Milestone(
            project_id=project.id, title=data.title.strip(),
            description=data.description.strip(),
            responsible_person_id=data.responsible_person_id,
            organisation_id=organisation_id, group_id=data.group_id,
            decision_point=data.decision_point, baseline_date=data.baseline_date,
            forecast_date=data.forecast_date or data.baseline_date,
            actual_date=data.actual_date, comment=data.comment.strip(),
        )
        session.add(milestone)
        created.append(milestone)
    session.flush()
    if for_every_participant:
        for milestone in created:
            milestone.series_id = created[0].id
    for milestone in created:
        _record_dates(session, actor, milestone, today)
    session.flush()
    return created


def update_milestone(session: Session, actor, project: Project, milestone: Milestone,
                     data: MilestoneInput, version_id: int, today: date | None = None) -> None:
    """Change everything about a milestone (the project leader's form)."""
    today = today or date.today()
    if version_id != milestone.version_id:
        raise StaleEdit()
    _check_links(session, project, data)
    _check_dates(data.forecast_date, data.actual_date, today)
    before = _dates(milestone)
    milestone.title = data.title.strip()
    milestone.description = data.description.strip()
    milestone.responsible_person_id = data.responsible_person_id
    milestone.organisation_id = data.organisation_id
    milestone.group_id = data.group_id
    milestone.decision_point = data.decision_point
    milestone.baseline_date = data.baseline_date
    milestone.forecast_date = data.forecast_date
    milestone.actual_date = data.actual_date
    milestone.comment = data.comment.strip()
    session.flush()
    if _dates(milestone) != before:
        _record_dates(session, actor, milestone, today)
        session.flush()


def report_progress(session: Session, actor, milestone: Milestone, *,
                    forecast_date: date | None, actual_date: date | None, comment: str,
                    version_id: int, today: date | None = None) -> None:
    """The inline update: forecast, actual date and comment. A done milestone keeps its
    forecast; to move it again, clear the actual date first."""
    today = today or date.today()
    if version_id != milestone.version_id:
        raise StaleEdit()
    _check_dates(forecast_date, actual_date, today)
    if actual_date is not None and forecast_date != milestone.forecast_date:
        raise RuleViolation(
            N_("En milepæl med faktisk dato er nådd og har ingen prognose å endre. Fjern faktisk "
               "dato hvis den ikke er nådd likevel."), "forecast_date")
    if forecast_date is None and actual_date is None and milestone.forecast_date is not None:
        raise RuleViolation(N_("Skriv en prognosedato, eller faktisk dato når den er nådd."),
                            "forecast_date")
    before = _dates(milestone)
    milestone.forecast_date = forecast_date
    milestone.actual_date = actual_date
    milestone.comment = comment.strip()
    session.flush()
    if _dates(milestone) != before:
        _record_dates(session, actor, milestone, today)
        session.flush()


def set_baseline(session: Session, actor, project: Project,
                 today: date | None = None) -> int:
    """Approve the plan: every open milestone's forecast becomes its baseline."""
    today = today or date.today()
    milestones = session.scalars(
        select(Milestone).where(Milestone.project_id == project.id,
                                Milestone.actual_date.is_(None),
                                Milestone.forecast_date.is_not(None))
    ).all()
    changed = [m for m in milestones if m.baseline_date != m.forecast_date]
    for milestone in changed:
        milestone.baseline_date = milestone.forecast_date
    session.flush()
    for milestone in changed:
        _record_dates(session, actor, milestone, today)
    session.flush()
    return len(changed)


def delete_milestone(session: Session, actor, milestone: Milestone) -> None:
    """Move the milestone to the project's wastebasket (it can be restored)."""
    from governance.retention.service import trash

    trash(session, actor, milestone)
