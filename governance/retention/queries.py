"""Read side of the wastebasket: what a project has in it, one query per kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.benefits.models import Indicator, Measurement
from governance.db_base import SoftDeletable
from governance.finance.models import ActualCost, BudgetLine
from governance.organisations.models import Organisation
from governance.projects.models import AgendaItem, Checkpoint, Meeting, Milestone
from governance.retention.filtering import INCLUDE_DELETED
from governance.risks.models import Risk, RiskMeasure
from governance.roles.models import User

# URL name of each kind in the wastebasket -> model.
KINDS: dict[str, type[SoftDeletable]] = {
    "milepael": Milestone,
    "sjekkpunkt": Checkpoint,
    "sak": AgendaItem,
    "maling": Measurement,
    "tiltak": RiskMeasure,
    "budsjettlinje": BudgetLine,
    "regnskapstall": ActualCost,
}


@dataclass(frozen=True)
class TrashItem:
    kind: str
    obj: SoftDeletable
    title: str  # what it is, in the user's words
    detail: str  # where it belonged
    deleted_at: datetime
    deleted_by: str | None


def _all(session: Session, stmt):
    return session.scalars(stmt.execution_options(**{INCLUDE_DELETED: True}))


def find(session: Session, kind: str, project_id: int, object_id: int) -> SoftDeletable | None:
    """The row of the project, in the wastebasket or not; None if there is none."""
    model = KINDS.get(kind)
    if model is None:
        return None
    return _all(session, select(model).where(model.id == object_id,
                                             model.project_id == project_id)).first()


def trashed(session: Session, project_id: int) -> list[TrashItem]:
    """Everything of the project in the wastebasket, newest first. Actual costs that went
    with their budget line are not listed apart: they come back with the line."""
    rows: dict[str, list] = {
        kind: list(_all(session, select(model).where(model.project_id == project_id,
                                                      model.deleted_at.is_not(None))))
        for kind, model in KINDS.items()
    }
    indicators = dict(session.execute(select(Indicator.id, Indicator.name).where(
        Indicator.project_id == project_id)).tuples().all()) if rows["maling"] else {}
    organisations = dict(session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_({m.organisation_id for m in rows["maling"]}))).tuples().all()
    ) if rows["maling"] else {}
    risks = {r.id: r for r in _all(session, select(Risk).where(
        Risk.project_id == project_id))} if rows["tiltak"] else {}
    lines = {line.id: line for line in _all(session, select(BudgetLine).where(
        BudgetLine.project_id == project_id))} if rows["regnskapstall"] else {}
    meetings = {m.id: m for m in _all(session, select(Meeting).where(
        Meeting.project_id == project_id))} if rows["sak"] else {}
    user_ids = {obj.deleted_by_id for objs in rows.values() for obj in objs
                if obj.deleted_by_id is not None}
    users = dict(session.execute(select(User.id, User.full_name).where(
        User.id.in_(user_ids))).all()) if user_ids else {}

    def describe(kind: str, obj) -> tuple[str, str]:
        if kind == "milepael":
            return obj.title, ""
        if kind == "sjekkpunkt":
            return obj.text, obj.phase.value
        if kind == "sak":
            meeting = meetings.get(obj.meeting_id)
            return obj.title, meeting.meeting_date.isoformat() if meeting else ""
        if kind == "maling":
            return (indicators.get(obj.indicator_id, ""),
                    f"{organisations.get(obj.organisation_id, '')} {obj.period}")
        if kind == "tiltak":
            risk = risks.get(obj.risk_id)
            return obj.text, f"R{risk.number} {risk.title}" if risk else ""
        if kind == "budsjettlinje":
            return obj.name, str(obj.year)
        line = lines.get(obj.line_id)
        return (line.name if line else ""), obj.period

    items = []
    for kind, objs in rows.items():
        for obj in objs:
            if kind == "regnskapstall":
                line = lines.get(obj.line_id)
                if line is not None and line.deleted_at == obj.deleted_at:
                    continue
            title, detail = describe(kind, obj)
            items.append(TrashItem(kind=kind, obj=obj, title=title, detail=detail,
                                   deleted_at=obj.deleted_at,
                                   deleted_by=users.get(obj.deleted_by_id)))
    items.sort(key=lambda item: (item.deleted_at, item.obj.id), reverse=True)
    return items
