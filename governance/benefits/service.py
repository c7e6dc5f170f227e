"""Commands on the benefits plan. Take (session, actor, ...); flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from governance.benefits.achievement import Period, parse_period
from governance.benefits.models import (
    Baseline,
    Benefit,
    BenefitKind,
    BenefitOwner,
    Direction,
    Frequency,
    Goal,
    GoalLevel,
    Indicator,
    Measurement,
    PlanApproval,
    Realisation,
    Target,
    Unit,
)
from governance.db_base import next_number
from governance.errors import N_, RuleViolation, StaleEdit
from governance.projects.models import Project
from governance.roles.models import Person

MAX_VALUE = Decimal("1e14")

# --- Goals -----------------------------------------------------------------------------------

PARENT_LEVEL = {GoalLevel.EFFECT: GoalLevel.SOCIETAL, GoalLevel.RESULT: GoalLevel.EFFECT}


@dataclass
class GoalInput:
    level: GoalLevel
    title: str
    success_criteria: str
    parent_id: int | None


def _check_goal(session: Session, project: Project, data: GoalInput,
                goal: Goal | None) -> None:
    if not data.title.strip():
        raise RuleViolation(N_("Skriv målet."), "title")
    if data.parent_id is None:
        return
    parent = session.get(Goal, data.parent_id)
    if parent is None or parent.project_id != project.id:
        raise RuleViolation(N_("Det overordnede målet finnes ikke i prosjektet."), "parent_id")
    if goal is not None and parent.id == goal.id:
        raise RuleViolation(N_("Et mål kan ikke ligge under seg selv."), "parent_id")
    if PARENT_LEVEL.get(data.level) != parent.level:
        raise RuleViolation(
            N_("Et effektmål hører under et samfunns- eller organisasjonsmål, og et "
               "resultatmål under et effektmål."), "parent_id")


def save_goal(session: Session, actor, project: Project, data: GoalInput,
              goal: Goal | None = None, version_id: int | None = None) -> Goal:
    if goal is not None and version_id != goal.version_id:
        raise StaleEdit()
    _check_goal(session, project, data, goal)
    if goal is None:
        goal = Goal(project_id=project.id,
                    position=next_number(session, Goal.position, Goal.project_id == project.id))
        session.add(goal)
    goal.level = data.level
    goal.title = data.title.strip()
    goal.success_criteria = data.success_criteria.strip()
    goal.parent_id = data.parent_id
    session.flush()
    return goal


# --- Benefits --------------------------------------------------------------------------------


@dataclass
class BenefitInput:
    title: str
    description: str
    kind: BenefitKind
    goal_id: int | None
    amount_ore: int | None
    person_years: Decimal | None
    responsible_person_id: int | None
    expected_from: date | None
    realisation: Realisation | None
    realisation_note: str
    owners: dict[int, int | None]  # organisation id -> person id (or None)


def _check_benefit(session: Session, project: Project, data: BenefitInput) -> None:
    if not data.title.strip():
        raise RuleViolation(N_("Skriv hva gevinsten er."), "title")
    if data.goal_id is not None:
        goal = session.get(Goal, data.goal_id)
        if goal is None or goal.project_id != project.id:
            raise RuleViolation(N_("Målet finnes ikke i prosjektet."), "goal_id")
    if data.amount_ore is not None and data.amount_ore < 0:
        raise RuleViolation(N_("Beløpet kan ikke være negativt."), "amount_ore")
    if data.person_years is not None and data.person_years < 0:
        raise RuleViolation(N_("Antall årsverk kan ikke være negativt."), "person_years")
    if data.kind != BenefitKind.ECONOMIC and data.amount_ore is not None:
        raise RuleViolation(N_("Bare en økonomisk gevinst har et beløp."), "amount_ore")
    if data.kind != BenefitKind.TIME and data.person_years is not None:
        raise RuleViolation(N_("Bare en tidsgevinst har årsverk."), "person_years")
    participants = {org.id for org in project.participants}
    if any(org_id not in participants for org_id in data.owners):
        raise RuleViolation(N_("Gevinsteiere kan bare være i deltakende organisasjoner."),
                            "owners")
    people = [pid for pid in [data.responsible_person_id, *data.owners.values()] if pid]
    if people and len(session.scalars(select(Person.id).where(Person.id.in_(people)))
                      .all()) != len(set(people)):
        raise RuleViolation(N_("Personen finnes ikke."), "responsible_person_id")


def save_benefit(session: Session, actor, project: Project, data: BenefitInput,
                 benefit: Benefit | None = None, version_id: int | None = None) -> Benefit:
    if benefit is not None and version_id != benefit.version_id:
        raise StaleEdit()
    _check_benefit(session, project, data)
    if benefit is None:
        benefit = Benefit(project_id=project.id, position=next_number(
            session, Benefit.position, Benefit.project_id == project.id))
        session.add(benefit)
    benefit.title = data.title.strip()
    benefit.description = data.description.strip()
    benefit.kind = data.kind
    benefit.goal_id = data.goal_id
    benefit.amount_ore = data.amount_ore
    benefit.person_years = data.person_years
    benefit.responsible_person_id = data.responsible_person_id
    benefit.expected_from = data.expected_from
    benefit.realisation = data.realisation
    benefit.realisation_note = data.realisation_note.strip()
    session.flush()
    current = {owner.organisation_id: owner for owner in benefit.owners}
    for org_id, owner in current.items():
        if org_id not in data.owners:
            benefit.owners.remove(owner)
    for org_id, person_id in data.owners.items():
        if org_id in current:
            current[org_id].person_id = person_id
        else:
            benefit.owners.append(BenefitOwner(project_id=project.id, organisation_id=org_id,
                                               person_id=person_id))
    session.flush()
    return benefit


# --- Indicators, baselines, targets ---------------------------------------------------------


@dataclass
class IndicatorInput:
    name: str
    benefit_id: int | None
    unit: Unit
    unit_label: str
    direction: Direction
    frequency: Frequency
    method: str
    data_source: str
    measured_by_person_id: int | None
    is_ratio: bool
    ratio_factor: Decimal | None


def _check_indicator(session: Session, project: Project, data: IndicatorInput) -> None:
    if not data.name.strip():
        raise RuleViolation(N_("Skriv navnet på indikatoren."), "name")
    if data.benefit_id is not None:
        benefit = session.get(Benefit, data.benefit_id)
        if benefit is None or benefit.project_id != project.id:
            raise RuleViolation(N_("Gevinsten finnes ikke i prosjektet."), "benefit_id")
    if data.unit == Unit.FREE and not data.unit_label.strip():
        raise RuleViolation(N_("Skriv enheten, for eksempel «fakturaer»."), "unit_label")
    if data.is_ratio:
        if data.unit != Unit.NOK:
            raise RuleViolation(
                N_("En andel av driftskostnadene rapporteres i kroner: velg enheten kroner."),
                "unit")
        if data.ratio_factor is None or data.ratio_factor <= 0:
            raise RuleViolation(N_("Skriv en faktor større enn 0, for eksempel 0,25."),
                                "ratio_factor")
    elif data.ratio_factor is not None:
        raise RuleViolation(N_("Faktoren brukes bare for andeler av driftskostnadene."),
                            "ratio_factor")


def save_indicator(session: Session, actor, project: Project, data: IndicatorInput,
                   indicator: Indicator | None = None,
                   version_id: int | None = None) -> Indicator:
    if indicator is not None and version_id != indicator.version_id:
        raise StaleEdit()
    _check_indicator(session, project, data)
    if indicator is None:
        indicator = Indicator(project_id=project.id, position=next_number(
            session, Indicator.position, Indicator.project_id == project.id))
        session.add(indicator)
    elif indicator.is_ratio != data.is_ratio and (indicator.baselines or _has_measurements(
            session, indicator)):
        raise RuleViolation(
            N_("Indikatoren har allerede nullpunkter eller målinger; om den er en andel av "
               "driftskostnadene kan ikke endres nå."), "is_ratio")
    indicator.name = data.name.strip()
    indicator.benefit_id = data.benefit_id
    indicator.unit = data.unit
    indicator.unit_label = data.unit_label.strip()
    indicator.direction = data.direction
    indicator.frequency = data.frequency
    indicator.method = data.method.strip()
    indicator.data_source = data.data_source.strip()
    indicator.measured_by_person_id = data.measured_by_person_id
    indicator.is_ratio = data.is_ratio
    indicator.ratio_factor = data.ratio_factor if data.is_ratio else None
    session.flush()
    return indicator


def _has_measurements(session: Session, indicator: Indicator) -> bool:
    return session.scalar(select(func.count()).select_from(Measurement)
                          .where(Measurement.indicator_id == indicator.id)) > 0


def _check_value(value: Decimal | None, field: str = "value") -> Decimal:
    if value is None:
        raise RuleViolation(N_("Skriv et tall."), field)
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        raise RuleViolation(N_("Tallet er for stort."), field)
    return value


def _check_organisation(project: Project, organisation_id: int, field: str) -> None:
    if organisation_id not in {org.id for org in project.participants}:
        raise RuleViolation(N_("Organisasjonen deltar ikke i prosjektet."), field)


def set_baseline(session: Session, actor, project: Project, indicator: Indicator, *,
                 organisation_id: int, value: Decimal | None, measured_on: date | None,
                 today: date | None = None) -> Baseline:
    today = today or date.today()
    _check_organisation(project, organisation_id, "organisation_id")
    value = _check_value(value)
    if measured_on is None:
        raise RuleViolation(N_("Skriv datoen nullpunktet gjelder."), "measured_on")
    if measured_on > today:
        raise RuleViolation(N_("Datoen kan ikke være fram i tid."), "measured_on")
    for target in indicator.targets:
        if target.value == value and not indicator.is_ratio:
            raise RuleViolation(
                N_("Nullpunktet er lik målet for %(date)s: da kan ikke måloppnåelsen regnes ut."),
                "value", date=target.target_date.strftime("%d.%m.%Y"))
    baseline = next((b for b in indicator.baselines if b.organisation_id == organisation_id),
                    None)
    if baseline is None:
        baseline = Baseline(project_id=project.id, organisation_id=organisation_id,
                            value=value, measured_on=measured_on)
        indicator.baselines.append(baseline)
    else:
        baseline.value = value
        baseline.measured_on = measured_on
    session.flush()
    return baseline


def add_target(session: Session, actor, project: Project, indicator: Indicator, *,
               target_date: date | None, value: Decimal | None,
               baseline_readings: list[Decimal] | None = None) -> Target:
    """A dated target. Refused when it equals an organisation's baseline reading (then the
    achievement cannot be worked out)."""
    value = _check_value(value)
    if target_date is None:
        raise RuleViolation(N_("Skriv datoen målet skal være nådd."), "target_date")
    if any(t.target_date == target_date for t in indicator.targets):
        raise RuleViolation(N_("Indikatoren har allerede et mål for denne datoen."),
                            "target_date")
    if any(reading == value for reading in baseline_readings or []):
        raise RuleViolation(
            N_("Målet er lik nullpunktet: da kan ikke måloppnåelsen regnes ut."), "value")
    target = Target(project_id=project.id, target_date=target_date, value=value)
    indicator.targets.append(target)
    session.flush()
    return target


def delete_target(session: Session, actor, indicator: Indicator, target: Target) -> None:
    indicator.targets.remove(target)
    session.flush()


# --- Measurements ---------------------------------------------------------------------------


@dataclass
class MeasurementInput:
    indicator: Indicator
    organisation_id: int
    period: str
    value: Decimal | None
    comment: str


def check_measurement(project: Project, data: MeasurementInput, today: date) -> Period:
    _check_organisation(project, data.organisation_id, "organisation_id")
    if data.indicator.project_id != project.id:
        raise RuleViolation(N_("Indikatoren finnes ikke i prosjektet."), "indicator")
    period = parse_period(data.period)
    if period.start > today:
        raise RuleViolation(N_("Perioden har ikke begynt ennå."), "period")
    _check_value(data.value)
    if len(data.comment) > 1000:
        raise RuleViolation(N_("Kommentaren kan ha høyst 1000 tegn."), "comment")
    return period


def record_measurement(session: Session, actor, project: Project, data: MeasurementInput, *,
                       version_id: int | None = None,
                       today: date | None = None) -> Measurement:
    """Save one value for (indicator, organisation, period); an existing one is updated when
    the version matches (the entry screen sends it), so two people cannot overwrite each
    other unseen."""
    today = today or date.today()
    period = check_measurement(project, data, today)
    existing = session.scalar(select(Measurement).where(
        Measurement.indicator_id == data.indicator.id,
        Measurement.organisation_id == data.organisation_id,
        Measurement.period == period.code))
    if existing is not None:
        if version_id is not None and version_id != existing.version_id:
            raise StaleEdit()
        existing.value = data.value
        existing.comment = data.comment.strip()
        existing.entered_by_id = getattr(actor, "id", None)
        session.flush()
        return existing
    if version_id not in (None, 0):
        raise StaleEdit()
    measurement = Measurement(
        indicator_id=data.indicator.id, project_id=project.id,
        organisation_id=data.organisation_id, period=period.code, period_start=period.start,
        period_end=period.end, value=data.value, comment=data.comment.strip(),
        entered_by_id=getattr(actor, "id", None))
    session.add(measurement)
    try:
        session.flush()
    except IntegrityError as error:
        # Someone else stored this period's value since we looked (the unique key): the
        # same as a stale version. The caller rolls back and shows the value now stored.
        raise StaleEdit() from error
    return measurement


def delete_measurement(session: Session, actor, measurement: Measurement) -> None:
    """Move the value to the project's wastebasket (it can be restored)."""
    from governance.retention.service import trash

    trash(session, actor, measurement)


# --- Approval --------------------------------------------------------------------------------


def approve_plan(session: Session, actor, project: Project, *, approved_on: date | None,
                 approved_by_person_id: int | None, note: str, snapshot: dict,
                 today: date | None = None) -> PlanApproval:
    today = today or date.today()
    if approved_on is None:
        raise RuleViolation(N_("Skriv datoen for godkjenningen."), "approved_on")
    if approved_on > today:
        raise RuleViolation(N_("Datoen kan ikke være fram i tid."), "approved_on")
    if approved_by_person_id is None or session.get(Person, approved_by_person_id) is None:
        raise RuleViolation(N_("Velg hvem som godkjente planen."), "approved_by_person_id")
    version = next_number(session, PlanApproval.version, PlanApproval.project_id == project.id)
    approval = PlanApproval(project_id=project.id, version=version, approved_on=approved_on,
                            approved_by_person_id=approved_by_person_id, note=note.strip(),
                            snapshot=snapshot, recorded_by_id=getattr(actor, "id", None))
    session.add(approval)
    session.flush()
    return approval
