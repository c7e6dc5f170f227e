"""Move evidence to the wastebasket and back; purge a project created by mistake.

Commands take (session, actor, ...), raise RuleViolation, flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from governance.benefits.models import (
    Baseline,
    Benefit,
    Goal,
    Indicator,
    Measurement,
    PlanApproval,
    Target,
)
from governance.db_base import SoftDeletable, utcnow
from governance.errors import N_, RuleViolation
from governance.finance.models import ActualCost, BudgetLine, CostKey, SharedCost
from governance.history.models import ChangeRecord
from governance.history.recorder import ACTOR_KEY
from governance.projects.models import (
    AgendaItem,
    Checkpoint,
    Decision,
    Meeting,
    Milestone,
    PhaseRecord,
    Project,
)
from governance.reporting.models import StatusReport
from governance.retention.filtering import INCLUDE_DELETED, PROJECT_HOLDS_EVIDENCE, evidence_counts
from governance.risks.models import Risk, RiskMeasure
from governance.roles.models import ProjectGroup, ProjectRole, ProjectTask

# The table name under which a purge is recorded. Not "project": on SQLite a new project may
# get the purged one's id, and its history must not show the purge.
PURGE_TABLE = "project_purge"


def _actor_id(actor) -> int | None:
    return getattr(actor, "id", None)


def trash(session: Session, actor, obj: SoftDeletable) -> None:
    """Move a row to the project's wastebasket (recorded as "trash" in its history). A budget
    line takes its actual costs with it; they come back with it."""
    if obj.deleted_at is not None:
        raise RuleViolation(N_("Dette ligger allerede i papirkurven."))
    now = utcnow()
    obj.deleted_at = now
    obj.deleted_by_id = _actor_id(actor)
    if isinstance(obj, BudgetLine):
        for actual in session.scalars(select(ActualCost).where(ActualCost.line_id == obj.id)):
            actual.deleted_at = now
            actual.deleted_by_id = _actor_id(actor)
    session.flush()


def _live_exists(session: Session, model, *criteria) -> bool:
    return session.scalar(select(func.count()).select_from(model).where(*criteria)) > 0


def _check_restorable(session: Session, obj: SoftDeletable) -> None:
    if isinstance(obj, Measurement) and _live_exists(
            session, Measurement, Measurement.indicator_id == obj.indicator_id,
            Measurement.organisation_id == obj.organisation_id,
            Measurement.period == obj.period):
        raise RuleViolation(N_("Det finnes allerede en måling for %(period)s. Slett den "
                               "først hvis denne skal gjelde."), period=obj.period)
    if isinstance(obj, ActualCost):
        line = session.get(BudgetLine, obj.line_id, execution_options={INCLUDE_DELETED: True})
        if line is not None and line.deleted_at is not None:
            raise RuleViolation(N_("Budsjettlinjen ligger i papirkurven. Gjenopprett "
                                   "budsjettlinjen først."))
        if _live_exists(session, ActualCost, ActualCost.line_id == obj.line_id,
                        ActualCost.period == obj.period):
            raise RuleViolation(N_("Det finnes allerede et regnskapstall for %(period)s. "
                                   "Slett det først hvis dette skal gjelde."),
                                period=obj.period)


def restore(session: Session, actor, obj: SoftDeletable) -> None:
    """Bring a row back from the wastebasket (recorded as "restore"). Refused when a live
    row now holds its place (a new measurement for the same period, say): the user chooses
    which one stands by deleting the other first."""
    if obj.deleted_at is None:
        raise RuleViolation(N_("Dette ligger ikke i papirkurven."))
    _check_restorable(session, obj)
    if isinstance(obj, BudgetLine):
        taken = set(session.scalars(select(ActualCost.period).where(
            ActualCost.line_id == obj.id)))
        for actual in session.scalars(
                select(ActualCost).where(ActualCost.line_id == obj.id,
                                         ActualCost.deleted_at == obj.deleted_at)
                .execution_options(**{INCLUDE_DELETED: True})):
            if actual.period not in taken:
                actual.deleted_at = None
                actual.deleted_by_id = None
    obj.deleted_at = None
    obj.deleted_by_id = None
    session.flush()


# --- Purge of a project created by mistake ---------------------------------------------------

# What the confirmation page counts, in the order shown: (key, model).
COUNTED: tuple[tuple[str, Any], ...] = (
    ("milestones", Milestone), ("checkpoints", Checkpoint), ("phase_records", PhaseRecord),
    ("meetings", Meeting), ("agenda_items", AgendaItem), ("decisions", Decision),
    ("status_reports", StatusReport), ("goals", Goal), ("benefits", Benefit),
    ("indicators", Indicator), ("baselines", Baseline), ("targets", Target),
    ("measurements", Measurement), ("plan_approvals", PlanApproval), ("risks", Risk),
    ("risk_measures", RiskMeasure), ("budget_lines", BudgetLine),
    ("actual_costs", ActualCost), ("cost_keys", CostKey), ("shared_costs", SharedCost),
    ("roles", ProjectRole), ("groups", ProjectGroup), ("tasks", ProjectTask),
)


@dataclass(frozen=True)
class PurgePreview:
    counts: dict[str, int]
    published_reports: int
    decisions: int

    @property
    def holds_evidence(self) -> bool:
        return bool(self.published_reports or self.decisions)


def purge_preview(session: Session, project: Project) -> PurgePreview:
    """How many rows of each kind the purge would remove (wastebasket included)."""
    counts = {}
    for key, model in COUNTED:
        counts[key] = session.scalar(
            select(func.count()).select_from(model).where(model.project_id == project.id)
            .execution_options(**{INCLUDE_DELETED: True})) or 0
    reports, decisions = evidence_counts(session, project.id)
    return PurgePreview(counts=counts, published_reports=reports, decisions=decisions)


def purge_project(session: Session, actor, project: Project, confirmation: str) -> dict:
    """Remove a project created by mistake and everything belonging to it.

    Refused when the confirmation is not the project's short code, and when the project holds
    published status reports or decisions (evidence: such a project is closed, not purged).
    The project's own change records go with it; one record of the purge (who, when, code,
    name, counts) is written under ``project_purge`` and survives."""
    if confirmation.strip().upper() != project.code.upper():
        raise RuleViolation(N_("Skriv prosjektets kortnavn, %(code)s, for å bekrefte."),
                            "confirmation", code=project.code)
    preview = purge_preview(session, project)
    if preview.holds_evidence:
        raise RuleViolation(PROJECT_HOLDS_EVIDENCE, "confirmation")
    project_id, code, name = project.id, project.code, project.name
    # Every row of the project goes by the foreign keys' ON DELETE CASCADE; the evidence
    # guard (before_flush) refuses again if reports or decisions appeared meanwhile.
    session.delete(project)
    session.flush()
    removed_history = session.execute(delete(ChangeRecord).where(or_(
        ChangeRecord.project_id == project_id,
        (ChangeRecord.table_name == "project") & (ChangeRecord.row_id == str(project_id)),
    ))).rowcount
    actor_id, actor_name = session.info.get(ACTOR_KEY, (None, None))
    summary = {"code": code, "name": name, "counts": preview.counts,
               "history_records": removed_history}
    session.execute(insert(ChangeRecord), [{
        "at": utcnow(), "actor_id": actor_id if actor_id is not None else _actor_id(actor),
        "actor_name": actor_name or getattr(actor, "full_name", None), "action": "purge",
        "table_name": PURGE_TABLE, "row_id": str(project_id), "parent_table": None,
        "parent_id": None, "project_id": None, "before": summary, "after": None,
    }])
    session.flush()
    return summary


def purges(session: Session, limit: int = 200) -> list[ChangeRecord]:
    """The records of purged projects, newest first."""
    return list(session.scalars(
        select(ChangeRecord).where(ChangeRecord.table_name == PURGE_TABLE)
        .order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc()).limit(limit)))
