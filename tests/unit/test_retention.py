"""The wastebasket's filter (one place, every ORM query), the history of trash and restore,
and the guard that no decision or published report is ever deleted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import aliased

from governance.benefits import service as benefit_service
from governance.benefits.models import Indicator, Measurement
from governance.errors import RuleViolation
from governance.extensions import db
from governance.finance.models import ActualCost, BudgetLine
from governance.history.models import ChangeRecord
from governance.projects import decisions as decision_service
from governance.projects.models import Decision, Meeting, Milestone, Project
from governance.reporting import service as report_service
from governance.reporting.models import ReportStatus, StatusReport
from governance.retention import service
from governance.retention.filtering import INCLUDE_DELETED
from governance.risks.models import Risk
from tests.retention_world import TODAY, Evidence, build


@pytest.fixture
def world(app, make_org, make_project, give_role) -> Evidence:
    return build(app, code="ENHET", leader=None, make_org=make_org,
                 make_project=make_project, give_role=give_role, decided=True,
                 published=True)


def _trash(app, model, object_id):
    with app.app_context():
        service.trash(db.session, None, db.session.get(model, object_id))
        db.session.commit()


def test_every_kind_of_query_leaves_out_the_wastebasket(app, world):
    _trash(app, Measurement, world.measurement)
    _trash(app, ActualCost, world.actual)
    _trash(app, Milestone, world.milestone)
    with app.app_context():
        s = db.session
        # Lists, aggregates, joins, aliases, subqueries, get and relationship loads.
        assert s.scalars(select(Measurement.id)).all() == [world.earlier_measurement]
        assert s.scalar(select(func.sum(Measurement.value))) == Decimal(30)
        assert s.scalar(select(func.count()).select_from(Milestone)) == 1
        assert s.scalars(select(Indicator.id).join(
            Measurement, Measurement.indicator_id == Indicator.id)).all() == [world.indicator]
        alias = aliased(Measurement)
        assert s.scalars(select(alias.period)).all() == ["2012-Q4"]
        newest = select(func.max(Measurement.period)).scalar_subquery()
        assert s.scalar(select(newest)) == "2012-Q4"
        assert s.get(Milestone, world.milestone) is None
        assert s.get(BudgetLine, world.line).actuals == []
        # With the option, the wastebasket is there.
        assert len(s.scalars(select(Measurement).execution_options(
            **{INCLUDE_DELETED: True})).all()) == 2
        found = s.get(Milestone, world.milestone, execution_options={INCLUDE_DELETED: True})
        assert found is not None and found.deleted_at is not None


def test_trash_and_restore_are_in_the_history(app, world):
    _trash(app, Milestone, world.milestone)
    with app.app_context():
        milestone = db.session.get(Milestone, world.milestone,
                                   execution_options={INCLUDE_DELETED: True})
        service.restore(db.session, None, milestone)
        db.session.commit()
        records = db.session.scalars(select(ChangeRecord).where(
            ChangeRecord.table_name == "milestone",
            ChangeRecord.row_id == str(world.milestone)).order_by(ChangeRecord.id)).all()
        assert [r.action for r in records] == ["insert", "trash", "restore"]
        assert records[1].before == {"deleted_at": None}
        assert records[1].after["deleted_at"] is not None
        assert records[1].project_id == world.project
        with pytest.raises(RuleViolation, match="ligger ikke i papirkurven"):
            service.restore(db.session, None, milestone)
        service.trash(db.session, None, milestone)
        with pytest.raises(RuleViolation, match="allerede i papirkurven"):
            service.trash(db.session, None, milestone)


def test_a_risk_measure_in_the_bin_is_not_among_the_risks_measures(app, world):
    with app.app_context():
        risk = db.session.get(Risk, world.risk)
        service.trash(db.session, None, risk.measures[0])
        db.session.commit()
    with app.app_context():
        assert db.session.get(Risk, world.risk).measures == []


def test_a_value_can_be_entered_again_after_its_predecessor_was_deleted(app, world):
    _trash(app, Measurement, world.measurement)
    with app.app_context():
        project = db.session.get(Project, world.project)
        indicator = db.session.get(Indicator, world.indicator)
        fresh = benefit_service.record_measurement(
            db.session, None, project, benefit_service.MeasurementInput(
                indicator, world.org, "2013-Q1", Decimal(44), ""), today=TODAY)
        db.session.commit()
        assert fresh.id != world.measurement
        old = db.session.get(Measurement, world.measurement,
                             execution_options={INCLUDE_DELETED: True})
        with pytest.raises(RuleViolation, match="Det finnes allerede en måling for 2013-Q1"):
            service.restore(db.session, None, old)


def test_decisions_are_never_deleted(app, world):
    with app.app_context():
        decision = db.session.scalar(select(Decision).where(
            Decision.project_id == world.project))
        with pytest.raises(RuleViolation, match="Vedtak kan aldri slettes"):
            decision_service.delete_decision(db.session, None, decision)
        db.session.delete(decision)
        with pytest.raises(RuleViolation, match="Vedtak kan aldri slettes"):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(RuleViolation, match="Vedtak kan aldri slettes"):
            db.session.execute(delete(Decision).where(Decision.project_id == world.project))
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 1


def test_published_reports_are_never_deleted_drafts_may_be(app, world):
    with app.app_context():
        published = db.session.scalar(select(StatusReport).where(
            StatusReport.status == ReportStatus.PUBLISHED))
        with pytest.raises(RuleViolation, match="En publisert statusrapport kan aldri slettes"):
            report_service.delete_report(db.session, None, published)
        db.session.delete(published)
        with pytest.raises(RuleViolation, match="En publisert statusrapport kan aldri slettes"):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(RuleViolation, match="statusrapport kan aldri slettes"):
            db.session.execute(delete(StatusReport))
        db.session.rollback()
        draft = db.session.scalar(select(StatusReport).where(
            StatusReport.status == ReportStatus.DRAFT))
        report_service.delete_report(db.session, None, draft)
        db.session.commit()
        assert [r.status for r in db.session.scalars(select(StatusReport))] == [
            ReportStatus.PUBLISHED]


def test_a_project_holding_evidence_is_not_deleted_even_by_a_bug(app, world):
    with app.app_context():
        db.session.delete(db.session.get(Project, world.project))
        with pytest.raises(RuleViolation, match="Avslutt prosjektet i stedet"):
            db.session.flush()
        db.session.rollback()
        project = db.session.get(Project, world.project)
        with pytest.raises(RuleViolation, match="Avslutt prosjektet i stedet"):
            service.purge_project(db.session, None, project, world.code)
        db.session.rollback()
        assert db.session.get(Project, world.project) is not None
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1


def test_restoring_a_budget_line_brings_back_the_costs_that_went_with_it(app, world):
    with app.app_context():
        line = db.session.get(BudgetLine, world.line)
        service.trash(db.session, None, line)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(ActualCost)) == 0
        line = db.session.get(BudgetLine, world.line, execution_options={INCLUDE_DELETED: True})
        service.restore(db.session, None, line)
        db.session.commit()
        assert db.session.scalars(select(ActualCost.id)).all() == [world.actual]
        assert date(2013, 5, 1) == db.session.get(ActualCost, world.actual).period_start
