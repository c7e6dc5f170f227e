"""Hide rows in the wastebasket from every ORM query, in one place.

A ``do_orm_execute`` listener adds ``with_loader_criteria(SoftDeletable, deleted_at IS NULL)``
to every ORM SELECT the session runs: list queries, aggregates over mapped columns
(``select(func.sum(BudgetLine.amount_ore))``), joins and subqueries, ``Session.get`` and
relationship loads (``risk.measures``, ``meeting.items``, ``line.actuals``). A query written
next year gets the filter without anyone remembering it, which a ``live(Model)`` helper
called by hand could not promise. Two exceptions:

- the execution option ``include_deleted=True`` (the wastebasket page, restore, purge counts);
- column loads (refreshing an expired object, a deferred column): the object is already
  loaded, hiding its row then would turn into ``ObjectDeletedError``.

Core statements on ``Table`` objects (no ORM entity) are not filtered; the code base reads
the soft-deletable tables only through the ORM.

The same module installs the evidence guard: a flush that would delete a decision, a
published status report or a project holding either raises ``RuleViolation``, and so does a
bulk ``delete()`` aimed at decisions or status reports.
"""

from __future__ import annotations

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from governance.db_base import SoftDeletable
from governance.errors import N_, RuleViolation

INCLUDE_DELETED = "include_deleted"

DECISION_NEVER_DELETED = N_("Vedtak kan aldri slettes. Et vedtak rettes med et nytt vedtak "
                            "som erstatter det.")
REPORT_NEVER_DELETED = N_("En publisert statusrapport kan aldri slettes. En rettelse blir "
                          "en ny versjon av rapporten.")
PROJECT_HOLDS_EVIDENCE = N_("Prosjektet har publiserte statusrapporter eller vedtak og kan "
                            "ikke slettes. Avslutt prosjektet i stedet.")


def _hide_deleted(state: ORMExecuteState) -> None:
    if state.is_delete:
        _refuse_bulk_delete(state)
    if (not state.is_select or state.is_column_load
            or state.execution_options.get(INCLUDE_DELETED, False)):
        return
    state.statement = state.statement.options(
        with_loader_criteria(SoftDeletable, lambda cls: cls.deleted_at.is_(None),
                             include_aliases=True, track_closure_variables=False)
    )


def _refuse_bulk_delete(state: ORMExecuteState) -> None:
    from governance.projects.models import Decision
    from governance.reporting.models import StatusReport

    for mapper in state.all_mappers:
        if mapper.class_ is Decision:
            raise RuleViolation(DECISION_NEVER_DELETED)
        if mapper.class_ is StatusReport:
            raise RuleViolation(REPORT_NEVER_DELETED)


def evidence_counts(session: Session, project_id: int) -> tuple[int, int]:
    """(published status reports, decisions) of a project."""
    from governance.projects.models import Decision
    from governance.reporting.models import ReportStatus, StatusReport

    reports = session.scalar(select(func.count()).select_from(StatusReport).where(
        StatusReport.project_id == project_id,
        StatusReport.status == ReportStatus.PUBLISHED))
    decisions = session.scalar(select(func.count()).select_from(Decision).where(
        Decision.project_id == project_id))
    return reports or 0, decisions or 0


def _guard_evidence(session: Session, flush_context, instances) -> None:
    from governance.projects.models import Decision, Project
    from governance.reporting.models import ReportStatus, StatusReport

    for obj in session.deleted:
        if isinstance(obj, Decision):
            raise RuleViolation(DECISION_NEVER_DELETED)
        if isinstance(obj, StatusReport) and (obj.status == ReportStatus.PUBLISHED
                                              or obj.published_at is not None):
            raise RuleViolation(REPORT_NEVER_DELETED)
        if isinstance(obj, Project) and any(evidence_counts(session, obj.id)):
            # The database would cascade the delete to the reports and decisions.
            raise RuleViolation(PROJECT_HOLDS_EVIDENCE)


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not event.contains(Session, "do_orm_execute", _hide_deleted):
        event.listen(Session, "do_orm_execute", _hide_deleted)
    if not event.contains(Session, "before_flush", _guard_evidence):
        event.listen(Session, "before_flush", _guard_evidence)
