"""Phases and their checklists, the decision log, steering group meetings, calendar tokens.

Commands take (session, actor, ...), flush and never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from governance.db_base import next_number, utcnow
from governance.errors import N_, RuleViolation, StaleEdit
from governance.projects.checklists import (
    DECISION_POINT_PHASES,
    DEFAULT_CHECKPOINTS,
    PHASE_NAMES,
    PHASE_ORDER,
)
from governance.projects.models import (
    AgendaItem,
    CalendarToken,
    Checkpoint,
    CheckpointStatus,
    Decision,
    DecisionBody,
    DecisionOutcome,
    DecisionPoint,
    Meeting,
    Phase,
    PhaseRecord,
    Project,
    ProjectStatus,
)

# --- Phases and checklists -------------------------------------------------------------------


def add_default_checklists(session: Session, project: Project) -> None:
    """Give a project the default checkpoints of every phase (once)."""
    existing = session.scalar(
        select(func.count()).select_from(Checkpoint).where(Checkpoint.project_id == project.id)
    )
    if existing:
        return
    for phase, items in DEFAULT_CHECKPOINTS.items():
        for position, (text, mandatory) in enumerate(items, start=1):
            session.add(Checkpoint(project_id=project.id, phase=phase, position=position,
                                   text=text, mandatory=mandatory))
    session.flush()


def start_phase_history(session: Session, actor, project: Project, started_on: date) -> None:
    session.add(PhaseRecord(project_id=project.id, phase=project.phase, started_on=started_on,
                            recorded_by_id=getattr(actor, "id", None)))
    session.flush()


def open_mandatory(session: Session, project_id: int, phase: Phase) -> list[Checkpoint]:
    return list(session.scalars(
        select(Checkpoint).where(
            Checkpoint.project_id == project_id, Checkpoint.phase == phase,
            Checkpoint.mandatory.is_(True), Checkpoint.status == CheckpointStatus.OPEN,
        ).order_by(Checkpoint.position, Checkpoint.id)
    ))


def _refuse_open_checkpoints(session: Session, project: Project, field: str,
                             phases: list[Phase] | None = None) -> None:
    blocking = [item for phase in (phases or [project.phase])
                for item in open_mandatory(session, project.id, phase)]
    if blocking:
        raise RuleViolation(
            N_("Fasen kan ikke avsluttes før de obligatoriske sjekkpunktene er avklart. "
               "Åpne: %(items)s."),
            field, items="; ".join(item.text for item in blocking),
        )


def change_phase(session: Session, actor, project: Project, target: Phase, started_on: date,
                 note: str = "", decision: Decision | None = None, today: date | None = None,
                 date_field: str = "started_on") -> PhaseRecord:
    """Move the project to another phase. Moving forward needs the mandatory checkpoints of
    the current phase, and of any phase skipped, done or marked not relevant."""
    today = today or date.today()
    if target == project.phase:
        raise RuleViolation(N_("Prosjektet er allerede i denne fasen."), "phase")
    if started_on > today:
        raise RuleViolation(N_("Datoen kan ikke være fram i tid."), date_field)
    latest = session.scalar(select(func.max(PhaseRecord.started_on))
                            .where(PhaseRecord.project_id == project.id))
    if latest is not None and started_on < latest:
        raise RuleViolation(N_("Datoen kan ikke være før forrige faseskifte."), date_field)
    here, there = PHASE_ORDER.index(project.phase), PHASE_ORDER.index(target)
    if there > here:
        _refuse_open_checkpoints(session, project, "phase", PHASE_ORDER[here:there])
    project.phase = target
    record = PhaseRecord(project_id=project.id, phase=target, started_on=started_on,
                         decision_id=decision.id if decision else None, note=note.strip(),
                         recorded_by_id=getattr(actor, "id", None))
    session.add(record)
    session.flush()
    return record


def set_checkpoint(session: Session, actor, checkpoint: Checkpoint, *,
                   status: CheckpointStatus, comment: str, version_id: int) -> None:
    if version_id != checkpoint.version_id:
        raise StaleEdit()
    checkpoint.status = status
    checkpoint.comment = comment.strip()
    session.flush()


def add_checkpoint(session: Session, actor, project: Project, *, phase: Phase, text: str,
                   mandatory: bool) -> Checkpoint:
    if not text.strip():
        raise RuleViolation(N_("Skriv hva som skal sjekkes."), "text")
    position = next_number(session, Checkpoint.position, Checkpoint.project_id == project.id,
                           Checkpoint.phase == phase)
    checkpoint = Checkpoint(project_id=project.id, phase=phase, position=position,
                            text=text.strip(), mandatory=mandatory)
    session.add(checkpoint)
    session.flush()
    return checkpoint


def delete_checkpoint(session: Session, actor, checkpoint: Checkpoint) -> None:
    """Move the checkpoint to the project's wastebasket (it can be restored)."""
    from governance.retention.service import trash

    trash(session, actor, checkpoint)


# --- Decisions -------------------------------------------------------------------------------


@dataclass
class DecisionInput:
    decision_point: DecisionPoint | None
    title: str
    decided_on: date | None
    body: DecisionBody | None
    case_number: str
    outcome: DecisionOutcome | None
    conditions: str
    text: str
    meeting_id: int | None = None


def _check_decision(session: Session, project: Project, data: DecisionInput,
                    today: date) -> None:
    if data.body is None:
        raise RuleViolation(N_("Velg hvilket organ som fattet vedtaket."), "body")
    if data.outcome is None:
        raise RuleViolation(N_("Velg utfallet av vedtaket."), "outcome")
    if data.decided_on is None:
        raise RuleViolation(N_("Skriv datoen for vedtaket."), "decided_on")
    if data.decided_on > today:
        raise RuleViolation(N_("Vedtaksdatoen kan ikke være fram i tid."), "decided_on")
    if data.decision_point is None and not data.title.strip():
        raise RuleViolation(N_("Skriv hva vedtaket gjelder."), "title")
    if (data.outcome == DecisionOutcome.APPROVED_WITH_CONDITIONS
            and not data.conditions.strip()):
        raise RuleViolation(N_("Skriv vilkårene når vedtaket er godkjent med vilkår."),
                            "conditions")
    if data.meeting_id is not None:
        meeting = session.get(Meeting, data.meeting_id)
        if meeting is None or meeting.project_id != project.id:
            raise RuleViolation(N_("Møtet finnes ikke i dette prosjektet."), "meeting_id")


def _apply_decision_point(session: Session, actor, project: Project, decision: Decision,
                          today: date) -> str | None:
    """An approved decision point moves the project on. Returns what changed, if anything."""
    if decision.decision_point is None or not decision.approved:
        return None
    leaving, entering = DECISION_POINT_PHASES[decision.decision_point]
    if project.phase != leaving:
        raise RuleViolation(
            N_("%(point)s godkjenner overgangen fra fasen %(leaving)s, men prosjektet er i "
               "fasen %(current)s."),
            "decision_point", point=decision.decision_point.name,
            leaving=PHASE_NAMES[leaving], current=PHASE_NAMES[project.phase],
        )
    if entering is None:
        _refuse_open_checkpoints(session, project, "decision_point")
        project.status = ProjectStatus.CLOSED
        session.flush()
        return "closed"
    change_phase(session, actor, project, entering, decision.decided_on, decision=decision,
                 today=today, date_field="decided_on")
    return entering.value


def record_decision(session: Session, actor, project: Project, data: DecisionInput, *,
                    supersedes: Decision | None = None,
                    today: date | None = None) -> tuple[Decision, str | None]:
    """Record a decision; an approved decision point moves the project to the next phase.
    With ``supersedes``, the new decision corrects an earlier one, which stays visible."""
    today = today or date.today()
    _check_decision(session, project, data, today)
    if supersedes is not None:
        if supersedes.project_id != project.id:
            raise RuleViolation(N_("Vedtaket finnes ikke i dette prosjektet."), "supersedes")
        already = session.scalar(select(Decision.id).where(Decision.supersedes_id
                                                           == supersedes.id))
        if already is not None:
            raise RuleViolation(
                N_("Vedtaket er allerede rettet av et nyere vedtak. Rett det nyeste."),
                "supersedes")
    title = data.title.strip()
    decision = Decision(
        project_id=project.id, decision_point=data.decision_point, title=title,
        decided_on=data.decided_on, body=data.body, case_number=data.case_number.strip(),
        outcome=data.outcome, conditions=data.conditions.strip(), text=data.text.strip(),
        meeting_id=data.meeting_id, supersedes_id=supersedes.id if supersedes else None,
        recorded_by_id=getattr(actor, "id", None),
    )
    session.add(decision)
    session.flush()
    moved = None
    already_applied = (supersedes is not None and supersedes.approved
                       and supersedes.decision_point == data.decision_point)
    if not already_applied:
        moved = _apply_decision_point(session, actor, project, decision, today)
    return decision, moved


# --- Meetings --------------------------------------------------------------------------------


@dataclass
class MeetingInput:
    body: DecisionBody | None
    meeting_date: date | None
    starts_at: time | None
    location: str
    notes: str


def _check_meeting(data: MeetingInput) -> None:
    if data.body is None:
        raise RuleViolation(N_("Velg hvilket organ som møtes."), "body")
    if data.meeting_date is None:
        raise RuleViolation(N_("Skriv datoen for møtet."), "meeting_date")


def create_meeting(session: Session, actor, project: Project, data: MeetingInput) -> Meeting:
    _check_meeting(data)
    meeting = Meeting(project_id=project.id, body=data.body, meeting_date=data.meeting_date,
                      starts_at=data.starts_at, location=data.location.strip(),
                      notes=data.notes.strip())
    session.add(meeting)
    session.flush()
    return meeting


def update_meeting(session: Session, actor, meeting: Meeting, data: MeetingInput,
                   version_id: int) -> None:
    if version_id != meeting.version_id:
        raise StaleEdit()
    _check_meeting(data)
    meeting.body = data.body
    meeting.meeting_date = data.meeting_date
    meeting.starts_at = data.starts_at
    meeting.location = data.location.strip()
    meeting.notes = data.notes.strip()
    session.flush()


def add_agenda_item(session: Session, actor, meeting: Meeting, *, case_number: str,
                    title: str) -> AgendaItem:
    if not title.strip():
        raise RuleViolation(N_("Skriv tittelen på saken."), "title")
    position = max((item.position for item in meeting.items), default=0) + 1
    item = AgendaItem(meeting_id=meeting.id, project_id=meeting.project_id, position=position,
                      case_number=case_number.strip(), title=title.strip())
    meeting.items.append(item)
    session.flush()
    return item


def delete_decision(session: Session, actor, decision: Decision) -> None:
    """Never allowed, for anyone: a decision is corrected by a new one superseding it."""
    from governance.retention.filtering import DECISION_NEVER_DELETED

    raise RuleViolation(DECISION_NEVER_DELETED)


def remove_agenda_item(session: Session, actor, meeting: Meeting, item: AgendaItem) -> None:
    """Move the item to the project's wastebasket (it can be restored)."""
    from governance.retention.service import trash

    trash(session, actor, item)


# --- Calendar feed tokens --------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke_all(session: Session, user_id: int, project_id: int) -> None:
    session.execute(
        update(CalendarToken)
        .where(CalendarToken.user_id == user_id, CalendarToken.project_id == project_id,
               CalendarToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def create_calendar_token(session: Session, user, project: Project) -> str:
    """A new secret feed address for the user; any earlier one stops working."""
    _revoke_all(session, user.id, project.id)
    token = secrets.token_urlsafe(32)
    session.add(CalendarToken(project_id=project.id, user_id=user.id,
                              token_hash=token_hash(token)))
    session.flush()
    return token


def revoke_calendar_token(session: Session, user, project: Project) -> None:
    _revoke_all(session, user.id, project.id)
    session.flush()


def active_calendar_token(session: Session, user_id: int, project_id: int):
    return session.scalar(
        select(CalendarToken).where(CalendarToken.user_id == user_id,
                                    CalendarToken.project_id == project_id,
                                    CalendarToken.revoked_at.is_(None))
    )


def find_calendar_token(session: Session, token: str) -> CalendarToken | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(
        select(CalendarToken).where(CalendarToken.token_hash == token_hash(token),
                                    CalendarToken.revoked_at.is_(None))
    )
