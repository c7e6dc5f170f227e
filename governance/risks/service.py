"""Commands on the risk register. Take (session, actor, ...); flush, never commit.
Every change of the assessment (probability, consequence, residual, status) is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from governance.db_base import next_number
from governance.errors import N_, RuleViolation, StaleEdit
from governance.projects.models import Phase, Project
from governance.risks.models import (
    OPPORTUNITY_STRATEGIES,
    THREAT_STRATEGIES,
    Proximity,
    Risk,
    RiskAssessment,
    RiskCategory,
    RiskKind,
    RiskMeasure,
    RiskStatus,
    Strategy,
)
from governance.roles.models import Person


@dataclass
class RiskInput:
    kind: RiskKind
    title: str
    description: str
    cause: str
    consequence_text: str
    category: RiskCategory
    phase: Phase | None
    probability: int | None
    consequence: int | None
    residual_probability: int | None
    residual_consequence: int | None
    owner_person_id: int | None
    strategy: Strategy | None
    proximity: Proximity | None
    status: RiskStatus
    escalated: bool
    note: str = ""


def _check_scale(value: int | None, field: str, required: bool = True) -> None:
    if value is None:
        if required:
            raise RuleViolation(N_("Velg en verdi fra 1 til 5."), field)
        return
    if not 1 <= value <= 5:
        raise RuleViolation(N_("Verdien må være fra 1 til 5."), field)


def _check(session: Session, data: RiskInput) -> None:
    if not data.title.strip():
        raise RuleViolation(N_("Skriv en kort tittel på risikoen."), "title")
    _check_scale(data.probability, "probability")
    _check_scale(data.consequence, "consequence")
    _check_scale(data.residual_probability, "residual_probability", required=False)
    _check_scale(data.residual_consequence, "residual_consequence", required=False)
    if (data.residual_probability is None) != (data.residual_consequence is None):
        raise RuleViolation(
            N_("Fyll ut både sannsynlighet og konsekvens etter tiltak, eller ingen av dem."),
            "residual_probability")
    allowed = THREAT_STRATEGIES if data.kind == RiskKind.THREAT else OPPORTUNITY_STRATEGIES
    if data.strategy is not None and data.strategy not in allowed:
        raise RuleViolation(
            N_("Strategien passer ikke for en mulighet.") if data.kind == RiskKind.OPPORTUNITY
            else N_("Strategien passer ikke for en trussel."), "strategy")
    if data.owner_person_id is not None and session.get(Person, data.owner_person_id) is None:
        raise RuleViolation(N_("Personen finnes ikke."), "owner_person_id")


def _assessment_of(risk: Risk) -> tuple:
    return (risk.probability, risk.consequence, risk.residual_probability,
            risk.residual_consequence, risk.status)


def _record_assessment(session: Session, actor, risk: Risk, on: date, note: str) -> None:
    session.add(RiskAssessment(
        risk_id=risk.id, project_id=risk.project_id, assessed_on=on,
        assessed_by_id=getattr(actor, "id", None), probability=risk.probability,
        consequence=risk.consequence, residual_probability=risk.residual_probability,
        residual_consequence=risk.residual_consequence, status=risk.status,
        note=note.strip()))


def save_risk(session: Session, actor, project: Project, data: RiskInput,
              risk: Risk | None = None, version_id: int | None = None,
              today: date | None = None) -> Risk:
    today = today or date.today()
    if risk is not None and version_id != risk.version_id:
        raise StaleEdit()
    _check(session, data)
    before = _assessment_of(risk) if risk is not None else None
    if risk is None:
        risk = Risk(project_id=project.id,
                    number=next_number(session, Risk.number, Risk.project_id == project.id))
        session.add(risk)
    risk.kind = data.kind
    risk.title = data.title.strip()
    risk.description = data.description.strip()
    risk.cause = data.cause.strip()
    risk.consequence_text = data.consequence_text.strip()
    risk.category = data.category
    risk.phase = data.phase
    risk.probability = data.probability
    risk.consequence = data.consequence
    risk.residual_probability = data.residual_probability
    risk.residual_consequence = data.residual_consequence
    risk.owner_person_id = data.owner_person_id
    risk.strategy = data.strategy
    risk.proximity = data.proximity
    risk.status = data.status
    risk.escalated = data.escalated
    session.flush()
    if _assessment_of(risk) != before:
        _record_assessment(session, actor, risk, today, data.note)
        session.flush()
    return risk


@dataclass
class MeasureInput:
    text: str
    responsible_person_id: int | None
    due_date: date | None
    done_on: date | None


def _check_measure(session: Session, data: MeasureInput, today: date) -> None:
    if not data.text.strip():
        raise RuleViolation(N_("Skriv hva tiltaket er."), "text")
    if data.responsible_person_id is None:
        raise RuleViolation(N_("Velg hvem som er ansvarlig for tiltaket."),
                            "responsible_person_id")
    if session.get(Person, data.responsible_person_id) is None:
        raise RuleViolation(N_("Personen finnes ikke."), "responsible_person_id")
    if data.done_on is not None and data.done_on > today:
        raise RuleViolation(N_("Datoen kan ikke være fram i tid."), "done_on")


def save_measure(session: Session, actor, risk: Risk, data: MeasureInput,
                 measure: RiskMeasure | None = None, version_id: int | None = None,
                 today: date | None = None) -> RiskMeasure:
    today = today or date.today()
    if measure is not None and version_id != measure.version_id:
        raise StaleEdit()
    _check_measure(session, data, today)
    if measure is None:
        measure = RiskMeasure(project_id=risk.project_id, risk_id=risk.id)
        risk.measures.append(measure)
    measure.text = data.text.strip()
    measure.responsible_person_id = data.responsible_person_id
    measure.due_date = data.due_date
    measure.done_on = data.done_on
    session.flush()
    return measure


def delete_measure(session: Session, actor, risk: Risk, measure: RiskMeasure) -> None:
    """Move the measure to the project's wastebasket (it can be restored)."""
    from governance.retention.service import trash

    trash(session, actor, measure)


def set_thresholds(session: Session, actor, project: Project, *, yellow_from: int | None,
                   red_from: int | None) -> None:
    """The heat map's colours: yellow from one score, red from a higher one (1–25)."""
    if yellow_from is None or not 1 <= yellow_from <= 25:
        raise RuleViolation(N_("Skriv en poengsum fra 1 til 25."), "risk_yellow_from")
    if red_from is None or not 1 <= red_from <= 25:
        raise RuleViolation(N_("Skriv en poengsum fra 1 til 25."), "risk_red_from")
    if red_from <= yellow_from:
        raise RuleViolation(N_("Rødt må begynne på en høyere poengsum enn gult."),
                            "risk_red_from")
    project.risk_yellow_from = yellow_from
    project.risk_red_from = red_from
    session.flush()
