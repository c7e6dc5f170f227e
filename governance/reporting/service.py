"""Commands on status reports. Take (session, actor, ...); flush, never commit.

A report is a draft until published; a published report is frozen and keeps a snapshot of the
project; a correction is a new version (the old one stays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from governance.benefits.achievement import Frequency, Period, parse_period, period_for
from governance.db_base import next_number, utcnow
from governance.errors import N_, RuleViolation, StaleEdit
from governance.projects.models import Project
from governance.reporting.models import Dimension, Light, ReportStatus, StatusReport

FREQUENCIES = ("monthly", "quarterly")


def check_period(project: Project, code: str, today: date) -> Period:
    """A reporting period of the project: in its frequency's form, begun, and not before
    the project started."""
    try:
        period = parse_period(code)
    except RuleViolation:
        raise RuleViolation(N_("Perioden finnes ikke."), "period") from None
    # The period of the project's frequency that starts the same day, or none: a quarter
    # ("2013-Q2", seven characters like a month) is not a period of a monthly project.
    frequency = Frequency.QUARTERLY if project.reporting_frequency == "quarterly" \
        else Frequency.MONTHLY
    if period_for(frequency, period.start).code != period.code:
        raise RuleViolation(N_("Perioden finnes ikke."), "period")
    if period.start > today:
        raise RuleViolation(N_("Perioden har ikke begynt ennå."), "period")
    if project.start_date is not None and period.end < project.start_date:
        raise RuleViolation(N_("Prosjektet hadde ikke startet i denne perioden."), "period")
    return period


def latest(session: Session, project_id: int, period: str,
           organisation_id: int | None) -> StatusReport | None:
    return session.scalar(
        select(StatusReport).where(
            StatusReport.project_id == project_id, StatusReport.period == period,
            StatusReport.organisation_id.is_(None) if organisation_id is None
            else StatusReport.organisation_id == organisation_id)
        .order_by(StatusReport.version.desc()).limit(1))


def start_report(session: Session, actor, project: Project, period: Period,
                 organisation_id: int | None) -> StatusReport:
    """The period's report for the project (organisation None) or one participant: the
    existing one, or a new draft."""
    if organisation_id is not None and organisation_id not in {
            o.id for o in project.participants}:
        raise RuleViolation(N_("Organisasjonen deltar ikke i prosjektet."), "organisation_id")
    existing = latest(session, project.id, period.code, organisation_id)
    if existing is not None:
        return existing
    report = StatusReport(project_id=project.id, period=period.code,
                          organisation_id=organisation_id, version=1,
                          author_id=getattr(actor, "id", None))
    session.add(report)
    try:
        session.flush()
    except IntegrityError as error:
        # Someone else started this report since we looked (the unique key): the same
        # as a stale version. The caller rolls back and shows the report now stored.
        raise StaleEdit() from error
    return report


@dataclass
class ReportInput:
    lights: dict[Dimension, Light | None]
    comments: dict[Dimension, str]
    done_this_period: str
    next_period: str
    needs_decision: str
    override_reason: str = ""


def save_report(session: Session, actor, report: StatusReport, data: ReportInput,
                version_id: int, suggested_overall: Light | None = None) -> None:
    if report.published:
        raise RuleViolation(
            N_("Rapporten er publisert og kan ikke endres. Lag en rettet versjon."), "overall")
    if version_id != report.version_id:
        raise StaleEdit()
    overall = data.lights.get(Dimension.OVERALL)
    if (report.organisation_id is None and suggested_overall is not None
            and overall is not None and overall != suggested_overall
            and not data.override_reason.strip()):
        raise RuleViolation(
            N_("Totalvurderingen avviker fra forslaget. Skriv hvorfor."), "override_reason")
    for dimension in Dimension:
        setattr(report, dimension.value, data.lights.get(dimension))
        setattr(report, f"{dimension.value}_comment",
                data.comments.get(dimension, "").strip())
    report.override_reason = data.override_reason.strip() if report.organisation_id is None \
        else ""
    report.done_this_period = data.done_this_period.strip()
    report.next_period = data.next_period.strip()
    report.needs_decision = data.needs_decision.strip()
    report.author_id = getattr(actor, "id", None)
    session.flush()


def publish(session: Session, actor, report: StatusReport, snapshot: dict,
            version_id: int) -> None:
    if report.published:
        raise RuleViolation(N_("Rapporten er allerede publisert."), "overall")
    if version_id != report.version_id:
        raise StaleEdit()
    if report.overall is None:
        raise RuleViolation(N_("Sett totalvurderingen før rapporten publiseres."), "overall")
    report.status = ReportStatus.PUBLISHED
    report.published_at = utcnow()
    report.published_by_id = getattr(actor, "id", None)
    report.snapshot = snapshot
    session.flush()


def delete_report(session: Session, actor, report: StatusReport) -> None:
    """A published report is evidence and is never deleted, by anyone (a correction is a
    new version). A draft that nobody published is removed."""
    from governance.retention.filtering import REPORT_NEVER_DELETED

    if report.status == ReportStatus.PUBLISHED:
        raise RuleViolation(REPORT_NEVER_DELETED)
    session.delete(report)
    session.flush()


def correct(session: Session, actor, report: StatusReport) -> StatusReport:
    """A new draft version of a published report, starting from its content."""
    if not report.published:
        raise RuleViolation(N_("Bare en publisert rapport kan rettes."), "overall")
    newest = latest(session, report.project_id, report.period, report.organisation_id)
    if newest is not None and newest.id != report.id:
        raise RuleViolation(N_("Det finnes allerede en nyere versjon av rapporten."), "overall")
    copy = StatusReport(
        project_id=report.project_id, period=report.period,
        organisation_id=report.organisation_id,
        version=next_number(session, StatusReport.version,
                            StatusReport.project_id == report.project_id,
                            StatusReport.period == report.period,
                            StatusReport.organisation_id.is_(None)
                            if report.organisation_id is None
                            else StatusReport.organisation_id == report.organisation_id),
        author_id=getattr(actor, "id", None), override_reason=report.override_reason,
        done_this_period=report.done_this_period, next_period=report.next_period,
        needs_decision=report.needs_decision)
    for dimension in Dimension:
        setattr(copy, dimension.value, report.light(dimension))
        setattr(copy, f"{dimension.value}_comment", report.comment(dimension))
    session.add(copy)
    session.flush()
    return copy


@dataclass
class ToleranceInput:
    reporting_frequency: str
    time_tolerance_days: int | None
    cost_tolerance_percent: int | None
    benefit_tolerance_percent: int | None
    scope_tolerance: str
    quality_tolerance: str


def set_tolerances(session: Session, actor, project: Project, data: ToleranceInput,
                   version_id: int) -> None:
    if version_id != project.version_id:
        raise StaleEdit()
    if data.reporting_frequency not in FREQUENCIES:
        raise RuleViolation(N_("Velg månedlig eller kvartalsvis."), "reporting_frequency")
    for name, value, top in (("time_tolerance_days", data.time_tolerance_days, 3650),
                             ("cost_tolerance_percent", data.cost_tolerance_percent, 100),
                             ("benefit_tolerance_percent", data.benefit_tolerance_percent, 100)):
        if value is None or not 0 <= value <= top:
            raise RuleViolation(N_("Skriv et helt tall fra 0 til %(top)d."), name, top=top)
        setattr(project, name, value)
    project.reporting_frequency = data.reporting_frequency
    project.scope_tolerance = data.scope_tolerance.strip()
    project.quality_tolerance = data.quality_tolerance.strip()
    session.flush()
