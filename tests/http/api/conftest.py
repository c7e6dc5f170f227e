"""Fixtures of the API tests: a project with two municipalities, people in different roles,
an indicator with measurements, a risk, a milestone and a published status report; and a
factory of API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest

from governance.api import service as api_service
from governance.benefits import service as benefit_service
from governance.benefits.models import Direction, Frequency, Unit
from governance.extensions import db
from governance.projects import plan
from governance.projects.models import Project
from governance.reporting.models import Light, ReportStatus, StatusReport
from governance.risks import service as risk_service
from governance.risks.models import RiskCategory, RiskKind, RiskStatus
from governance.roles.models import GroupKind, ProjectRoleKind, User

TODAY = date(2013, 9, 16)


@dataclass
class ApiWorld:
    code: str
    other_code: str
    sogndal: int
    luster: int
    indicator: int
    users: dict[str, User]


@pytest.fixture
def today(app, monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())


@pytest.fixture
def make_token(app):
    """Factory: an API token of the user; returns the secret."""

    def make(user, name: str = "Fagsystem", expires_on: date | None = None,
             created_on: date = TODAY) -> str:
        with app.app_context():
            stored = db.session.get(User, user.id)
            _token, secret = api_service.create_token(db.session, stored, stored, name=name,
                                                      expires_on=expires_on, today=created_on)
            db.session.commit()
            return secret

    return make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api_world(app, today, make_org, make_project, make_user, give_role,
              add_to_group) -> ApiWorld:
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    project = make_project(code="EHANDEL", name="eHandel i Sogn", owners=[sogndal],
                           participants=[sogndal, luster])
    other = make_project(code="ANNET", name="Et annet prosjekt", owners=[luster])
    users = {
        "admin": make_user(username="admin", is_admin=True, full_name="Anne Admin"),
        "leader": make_user(username="katrine", full_name="Katrine Wilson"),
        "lead": make_user(username="kari", full_name="Kari Bø"),
        "steering": make_user(username="ingrid", full_name="Ingrid Hauge"),
        "stranger": make_user(username="fremmed", full_name="Frida Fremmed"),
    }
    give_role(users["leader"], project, ProjectRoleKind.PROJECT_LEADER)
    give_role(users["lead"], project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    add_to_group(users["steering"], project, GroupKind.STEERING_GROUP)
    give_role(users["stranger"], other, ProjectRoleKind.PROJECT_LEADER)
    with app.app_context():
        stored = db.session.get(Project, project.id)
        indicator = benefit_service.save_indicator(
            db.session, None, stored, benefit_service.IndicatorInput(
                name="E-handelsandel", benefit_id=None, unit=Unit.PERCENT, unit_label="",
                direction=Direction.HIGHER, frequency=Frequency.QUARTERLY, method="",
                data_source="", measured_by_person_id=None, is_ratio=False,
                ratio_factor=None))
        benefit_service.set_baseline(db.session, None, stored, indicator,
                                     organisation_id=sogndal.id, value=Decimal("0.8"),
                                     measured_on=date(2011, 12, 31), today=TODAY)
        benefit_service.add_target(db.session, None, stored, indicator,
                                   target_date=date(2014, 12, 31), value=Decimal(30))
        for period, org, value in (("2012-Q1", sogndal, "3"), ("2012-Q2", sogndal, "8.4"),
                                   ("2012-Q2", luster, "6.3")):
            benefit_service.record_measurement(
                db.session, None, stored, benefit_service.MeasurementInput(
                    indicator, org.id, period, Decimal(value), "Frå tabellen"), today=TODAY)
        risk_service.save_risk(db.session, None, stored, risk_service.RiskInput(
            kind=RiskKind.THREAT, title="Leiinga prioriterer ikkje", description="",
            cause="", consequence_text="", category=RiskCategory.ORGANISATION, phase=None,
            probability=3, consequence=5, residual_probability=None,
            residual_consequence=None, owner_person_id=None, strategy=None, proximity=None,
            status=RiskStatus.IDENTIFIED, escalated=False), today=TODAY)
        plan.create_milestone(db.session, None, stored, plan.MilestoneInput(
            title="Buyer-oppsett ferdig", description="", responsible_person_id=None,
            organisation_id=sogndal.id, group_id=None, decision_point=None,
            baseline_date=date(2013, 9, 1), forecast_date=date(2013, 10, 1),
            actual_date=None, comment=""), today=TODAY)
        db.session.add(StatusReport(
            project_id=project.id, period="2013-08", organisation_id=None, version=1,
            status=ReportStatus.PUBLISHED, published_at=datetime(2013, 9, 2, 10, 0),
            overall=Light.YELLOW, schedule=Light.YELLOW,
            schedule_comment="Styringsdokumentet er forseinka.", cost=Light.GREEN,
            snapshot={"milestones": [], "top_risks": [], "benefits": []}))
        db.session.commit()
        indicator_id = indicator.id
    return ApiWorld(code=project.code, other_code=other.code, sogndal=sogndal.id,
                    luster=luster.id, indicator=indicator_id, users=users)
