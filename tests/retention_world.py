"""A small project with one of every kind of evidence, for the wastebasket and purge tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from governance.benefits import service as benefit_service
from governance.benefits.models import Direction, Frequency, Unit
from governance.extensions import db
from governance.finance import service as finance_service
from governance.finance.models import Category, LineKind, Nature
from governance.projects import decisions as decision_service
from governance.projects import plan
from governance.projects.models import DecisionBody, DecisionOutcome, Project
from governance.reporting.models import Light, ReportStatus, StatusReport
from governance.risks import service as risk_service
from governance.risks.models import RiskCategory, RiskKind, RiskStatus
from governance.roles.models import ProjectRoleKind

TODAY = date(2013, 6, 3)


@dataclass
class Evidence:
    code: str
    project: int
    org: int
    milestone: int
    other_milestone: int
    indicator: int
    measurement: int  # 2013-Q1: 40
    earlier_measurement: int  # 2012-Q4: 30
    risk: int
    measure: int
    line: int
    actual: int  # 2013-05 of the line
    meeting: int
    agenda_item: int


def build(app, *, code: str, leader, make_org, make_project, give_role, org=None,
          decided: bool = False, published: bool = False) -> Evidence:
    org = org or make_org(name=f"Kommune {code}")
    project = make_project(code=code, name=f"Prosjekt {code}", owners=[org], participants=[org])
    if leader is not None:
        give_role(leader, project, ProjectRoleKind.PROJECT_LEADER)
    with app.app_context():
        stored = db.session.get(Project, project.id)

        def milestone(title: str) -> int:
            [made] = plan.create_milestone(db.session, None, stored, plan.MilestoneInput(
                title=title, description="", responsible_person_id=None, organisation_id=None,
                group_id=None, decision_point=None, baseline_date=date(2013, 9, 1),
                forecast_date=None, actual_date=None, comment=""), today=TODAY)
            return made.id

        first, second = milestone(f"Avtale signert {code}"), milestone(f"Opplæring {code}")
        indicator = benefit_service.save_indicator(
            db.session, None, stored, benefit_service.IndicatorInput(
                name=f"Avtalelojalitet {code}", benefit_id=None, unit=Unit.PERCENT,
                unit_label="", direction=Direction.HIGHER, frequency=Frequency.QUARTERLY,
                method="", data_source="", measured_by_person_id=None, is_ratio=False,
                ratio_factor=None))
        values = {}
        for period, value in (("2012-Q4", 30), ("2013-Q1", 40)):
            values[period] = benefit_service.record_measurement(
                db.session, None, stored, benefit_service.MeasurementInput(
                    indicator, org.id, period, Decimal(value), ""), today=TODAY).id
        risk = risk_service.save_risk(db.session, None, stored, risk_service.RiskInput(
            kind=RiskKind.THREAT, title=f"Leverandørene henger etter {code}", description="",
            cause="", consequence_text="", category=RiskCategory.OTHER, phase=None,
            probability=3, consequence=4, residual_probability=None,
            residual_consequence=None, owner_person_id=None, strategy=None, proximity=None,
            status=RiskStatus.IDENTIFIED, escalated=False), today=TODAY)
        from governance.roles import service as role_service

        person = role_service.create_person(db.session, None, role_service.PersonInput(
            full_name=f"Arne {code}", organisation_id=org.id))
        db.session.flush()
        measure = risk_service.save_measure(db.session, None, risk, risk_service.MeasureInput(
            text=f"Ring leverandørene {code}", responsible_person_id=person.id, due_date=None,
            done_on=None), today=TODAY)
        [line] = finance_service.save_line(db.session, None, stored, finance_service.LineInput(
            year=2013, kind=LineKind.COST, category=Category.SALARY, nature=Nature.OPERATING,
            name=f"Lønn prosjektleder {code}", amount_ore=300_000_00))
        actual = finance_service.set_actual(db.session, None, stored, line, period="2013-05",
                                            amount_ore=25_000_00, note="", today=TODAY)
        meeting = decision_service.create_meeting(
            db.session, None, stored, decision_service.MeetingInput(
                body=DecisionBody.STEERING_GROUP, meeting_date=date(2013, 4, 22),
                starts_at=None, location="", notes=""))
        item = decision_service.add_agenda_item(db.session, None, meeting,
                                                case_number="sak 1/13",
                                                title=f"Prosjektplanen {code}")
        if decided:
            decision_service.record_decision(
                db.session, None, stored, decision_service.DecisionInput(
                    decision_point=None, title="Prosjektplan", decided_on=date(2013, 4, 22),
                    body=DecisionBody.STEERING_GROUP, case_number="sak 1/13",
                    outcome=DecisionOutcome.APPROVED, conditions="", text="",
                    meeting_id=meeting.id), today=TODAY)
        # A draft report always; a published one when asked.
        db.session.add(StatusReport(project_id=project.id, period="2013-04", version=1,
                                    status=ReportStatus.DRAFT, overall=Light.GREEN))
        if published:
            db.session.add(StatusReport(
                project_id=project.id, period="2013-05", version=1,
                status=ReportStatus.PUBLISHED, overall=Light.GREEN,
                snapshot={"milestones": [], "top_risks": [], "benefits": []}))
        db.session.commit()
        return Evidence(code=code, project=project.id, org=org.id, milestone=first,
                        other_milestone=second, indicator=indicator.id,
                        measurement=values["2013-Q1"], earlier_measurement=values["2012-Q4"],
                        risk=risk.id, measure=measure.id, line=line.id, actual=actual.id,
                        meeting=meeting.id, agenda_item=item.id)


def row_counts(app, project_id: int | None = None) -> dict[str, int]:
    """Rows per table (all, or the project's where the table has a project_id), the
    wastebasket included: a Core count, which the ORM filter does not touch."""
    counts = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            stmt = select(func.count()).select_from(table)
            if project_id is not None:
                if "project_id" in table.c:
                    stmt = stmt.where(table.c.project_id == project_id)
                elif table.name == "project":
                    stmt = stmt.where(table.c.id == project_id)
                else:
                    continue
            counts[table.name] = db.session.execute(stmt).scalar_one()
    return counts
