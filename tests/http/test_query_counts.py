"""The number of SQL queries a page needs does not grow with the data."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from sqlalchemy import event

from governance.extensions import db
from governance.roles.models import (
    GroupKind,
    LocalTaskStatus,
    MemberRole,
    ProjectRoleKind,
    TaskLevel,
)

NBSP = "\u00a0"


@contextmanager
def counting(app):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def build(app, size, make_org, make_project, make_user, give_role, add_to_group):
    """A project with ``size`` participants, leads, members and tasks; ``size`` more
    projects around it that the admin also sees."""
    from governance.projects.models import Project
    from governance.roles import service

    orgs = [make_org() for _ in range(size)]
    project = make_project(code=f"MAIN-{size}", owners=orgs[:1], participants=orgs)
    for n in range(size):
        make_project(owners=orgs[:1])
        person_user = make_user()
        give_role(person_user, project, ProjectRoleKind.MUNICIPAL_LEAD, orgs[n])
        add_to_group(person_user, project, GroupKind.PROJECT_GROUP, MemberRole.MEMBER, orgs[n])
        add_to_group(person_user, project, GroupKind.WORK_GROUP, name=f"Gruppe {n % 3}")
    with app.app_context():
        stored = db.session.get(Project, project.id)
        for n in range(size):
            task = service.add_task(db.session, None, project=stored, level=TaskLevel.LOCAL,
                                    text=f"Lokal oppgave {n}")
            service.set_local_task(db.session, None, project=stored, task=task,
                                   organisation_id=orgs[n].id, status=LocalTaskStatus.DONE,
                                   responsible="", comment="", version_id=None)
            service.add_task(db.session, None, project=stored, level=TaskLevel.REGIONAL,
                             text=f"Regional oppgave {n}")
        add_plan(stored, size, orgs)
        add_benefits(stored, size, orgs)
        add_risks(stored, size)
        add_reports(stored, size, orgs)
        add_finance(stored, size, orgs)
        db.session.commit()
    return project


def add_plan(project, size, orgs):
    """``size`` milestones (one per organisation, with a person, a work group and a slipping
    history), phase changes, checkpoints, meetings with agendas and decisions (every other
    one corrected)."""
    from sqlalchemy import select

    from governance.projects import decisions, plan
    from governance.projects.models import (
        DecisionBody,
        DecisionOutcome,
        Phase,
        PhaseRecord,
    )
    from governance.roles.models import GroupMember, ProjectGroup

    start = date(2013, 4, 12)
    members = db.session.execute(
        select(GroupMember.person_id, GroupMember.group_id)
        .join(ProjectGroup, ProjectGroup.id == GroupMember.group_id)
        .where(GroupMember.project_id == project.id, ProjectGroup.kind == GroupKind.WORK_GROUP)
    ).all()
    for n in range(size):
        person_id, group_id = members[n]
        [milestone] = plan.create_milestone(db.session, None, project, plan.MilestoneInput(
            title=f"Milepæl {n}", description="", responsible_person_id=person_id,
            organisation_id=orgs[n].id, group_id=group_id, decision_point=None,
            baseline_date=start + timedelta(days=60 + n), forecast_date=None,
            actual_date=None, comment=""), today=start)
        for week in (1, 2):
            plan.report_progress(db.session, None, milestone,
                                 forecast_date=start + timedelta(days=60 + n + 7 * week),
                                 actual_date=None, comment=f"Uke {week}",
                                 version_id=milestone.version_id,
                                 today=start + timedelta(days=7 * week))
        db.session.add(PhaseRecord(project_id=project.id,
                                   phase=[Phase.CONCEPT, Phase.PLANNING][n % 2],
                                   started_on=start + timedelta(days=n + 1)))
        decisions.add_checkpoint(db.session, None, project, phase=Phase.PLANNING,
                                 text=f"Sjekkpunkt {n}", mandatory=bool(n % 2))
        meeting = decisions.create_meeting(db.session, None, project, decisions.MeetingInput(
            body=DecisionBody.STEERING_GROUP,
            meeting_date=start + timedelta(days=(n - size // 2) * 30), starts_at=time(10, 0),
            location=f"Møterom {n}", notes=""))
        for item in range(2):
            decisions.add_agenda_item(db.session, None, meeting, case_number=f"sak {n}.{item}",
                                      title=f"Sak {item}")
        decision, _ = decisions.record_decision(
            db.session, None, project, decisions.DecisionInput(
                decision_point=None, title=f"Vedtak {n}", decided_on=start,
                body=DecisionBody.STEERING_GROUP, case_number=f"sak {n}",
                outcome=DecisionOutcome.APPROVED, conditions="", text="",
                meeting_id=meeting.id), today=start)
        if n % 2:
            decisions.record_decision(
                db.session, None, project, decisions.DecisionInput(
                    decision_point=None, title=f"Vedtak {n}, rettet", decided_on=start,
                    body=DecisionBody.STEERING_GROUP, case_number=f"sak {n}",
                    outcome=DecisionOutcome.APPROVED, conditions="", text="",
                    meeting_id=meeting.id), supersedes=decision, today=start)


def add_benefits(project, size, orgs):
    """A benefits plan of ``size``: operating costs for every organisation, goals on all three
    levels, benefits owned by every organisation, indicators (every third a ratio of operating
    costs, every third lower is better) with baselines, two targets and three months of
    measurements for every organisation, and approvals."""
    from decimal import Decimal

    from sqlalchemy import select

    from governance.benefits import service as benefits
    from governance.benefits.models import (
        BenefitKind,
        Direction,
        Frequency,
        GoalLevel,
        Realisation,
        Unit,
    )
    from governance.organisations.models import OrganisationYear
    from governance.roles.models import ProjectRole

    today = date(2013, 4, 12)
    people = db.session.scalars(select(ProjectRole.person_id).where(
        ProjectRole.project_id == project.id).order_by(ProjectRole.id)).all()
    for n, org in enumerate(orgs):
        for year in (2012, 2013):
            db.session.add(OrganisationYear(organisation_id=org.id, year=year,
                                            operating_costs_ore=(400 + n) * 1_000_000 * 100))
    db.session.flush()
    top = benefits.save_goal(db.session, None, project, benefits.GoalInput(
        GoalLevel.SOCIETAL, "Samfunnsmål", "Kriterium", None))
    for n in range(size):
        effect = benefits.save_goal(db.session, None, project, benefits.GoalInput(
            GoalLevel.EFFECT, f"Effektmål {n}", f"Kriterium {n}", top.id))
        benefits.save_goal(db.session, None, project, benefits.GoalInput(
            GoalLevel.RESULT, f"Resultatmål {n}", "", effect.id))
        benefit = benefits.save_benefit(db.session, None, project, benefits.BenefitInput(
            title=f"Gevinst {n}", description="", kind=BenefitKind.ECONOMIC,
            goal_id=effect.id, amount_ore=100_000 * (n + 1), person_years=None,
            responsible_person_id=people[n], expected_from=date(2014, 1, 1),
            realisation=Realisation.BUDGET_CUT, realisation_note="",
            owners={org.id: people[k] for k, org in enumerate(orgs)}))
        ratio = n % 3 == 0
        indicator = benefits.save_indicator(db.session, None, project, benefits.IndicatorInput(
            name=f"Indikator {n}", benefit_id=benefit.id,
            unit=Unit.NOK if ratio else [Unit.PERCENT, Unit.COUNT][n % 3 - 1], unit_label="",
            direction=Direction.LOWER if n % 3 == 2 else Direction.HIGHER,
            frequency=Frequency.MONTHLY, method="", data_source="Visma",
            measured_by_person_id=people[n], is_ratio=ratio,
            ratio_factor=Decimal("0.25") if ratio else None))
        for k, org in enumerate(orgs):
            benefits.set_baseline(db.session, None, project, indicator, organisation_id=org.id,
                                  value=Decimal(1000 + k), measured_on=date(2012, 12, 31),
                                  today=today)
            for month in (1, 2, 3):
                benefits.record_measurement(db.session, None, project, benefits.MeasurementInput(
                    indicator, org.id, f"2013-{month:02d}", Decimal(900 + month * 10 + k),
                    f"Kommentar {k}"), today=today)
        for year, value in ((2014, 500), (2015, 100)):
            benefits.add_target(db.session, None, project, indicator,
                                target_date=date(year, 4, 22), value=Decimal(value))
    for n in range(size):
        benefits.approve_plan(db.session, None, project, approved_on=today,
                              approved_by_person_id=people[n], note=f"Versjon {n}",
                              snapshot={"goals": []}, today=today)


def add_risks(project, size):
    """``size`` risks (threats and opportunities, every third no longer relevant), each with an
    owner, residual scores, a re-assessment and two measures; the first risk has ``size``
    more measures."""
    from sqlalchemy import select

    from governance.risks import service as risks
    from governance.risks.models import RiskCategory, RiskKind, RiskStatus, Strategy
    from governance.roles.models import ProjectRole

    today = date(2013, 4, 12)
    people = db.session.scalars(select(ProjectRole.person_id).where(
        ProjectRole.project_id == project.id).order_by(ProjectRole.id)).all()
    for n in range(size):
        threat = n % 2 == 0

        def data(probability, n=n, threat=threat):
            return risks.RiskInput(
                kind=RiskKind.THREAT if threat else RiskKind.OPPORTUNITY, title=f"Risiko {n}",
                description="", cause="", consequence_text="", category=RiskCategory.OTHER,
                phase=None, probability=probability, consequence=n % 5 + 1,
                residual_probability=1, residual_consequence=n % 5 + 1,
                owner_person_id=people[n],
                strategy=Strategy.REDUCE if threat else Strategy.EXPLOIT, proximity=None,
                status=RiskStatus.NOT_RELEVANT if n % 3 == 2 else RiskStatus.IDENTIFIED,
                escalated=bool(n % 2), note=f"Vurdering {n}")

        risk = risks.save_risk(db.session, None, project, data(3), today=today)
        risks.save_risk(db.session, None, project, data(4), risk, risk.version_id,
                        today=today + timedelta(days=n + 1))
        for m in range(2 + (size if n == 0 else 0)):
            risks.save_measure(db.session, None, risk, risks.MeasureInput(
                text=f"Tiltak {n}.{m}", responsible_person_id=people[m % len(people)],
                due_date=date(2013, 9, 1), done_on=today if m % 2 else None), today=today)


def add_reports(project, size, orgs):
    """The current period's reports: every organisation's published and corrected (two
    versions), the project's published and corrected, and ``size`` earlier project reports
    for the history of lights."""
    from governance.reporting.models import Light, ReportStatus, StatusReport

    published_at = datetime(2013, 4, 12, 12, 0)
    for org_id in [None] + [org.id for org in orgs]:
        for version in (1, 2):
            db.session.add(StatusReport(
                project_id=project.id, period="2013-04", organisation_id=org_id,
                version=version,
                status=ReportStatus.PUBLISHED if version == 1 else ReportStatus.DRAFT,
                overall=Light.YELLOW, schedule=Light.RED, schedule_comment="Forsinket",
                published_at=published_at if version == 1 else None,
                snapshot={"milestones": [], "top_risks": [], "benefits": [], "budget": None}
                if version == 1 else None))
    for n in range(size):
        db.session.add(StatusReport(
            project_id=project.id, period=f"2012-{n + 1:02d}", organisation_id=None, version=1,
            status=ReportStatus.PUBLISHED, overall=[Light.GREEN, Light.RED][n % 2],
            published_at=datetime(2012, n + 1, 28)))
    db.session.flush()


def add_finance(project, size, orgs):
    """``size`` shared budget lines of 2013 with ``size`` months of actual costs each, ``size``
    lines for every participant, ``size`` keys (equal, population, mix, fixed in turn) and
    ``size`` shared costs split by them; every participant's population in 2013."""
    from decimal import Decimal

    from sqlalchemy import select

    from governance.finance import service as finance
    from governance.finance.models import Category, LineKind, Nature
    from governance.finance.sharing import KeyMethod
    from governance.organisations.models import OrganisationYear

    for n, org in enumerate(orgs):
        figures = db.session.scalar(select(OrganisationYear).where(
            OrganisationYear.organisation_id == org.id, OrganisationYear.year == 2013))
        if figures is None:
            figures = OrganisationYear(organisation_id=org.id, year=2013)
            db.session.add(figures)
        figures.population = 1_000 * (n + 1)
    db.session.flush()
    today = date(2013, 12, 31)
    for n in range(size):
        [line] = finance.save_line(db.session, None, project, finance.LineInput(
            year=2013, kind=LineKind.COST, category=Category.MISC, nature=Nature.OPERATING,
            name=f"Felles linje {n}", amount_ore=100_000_00))
        for month in range(1, size + 1):
            finance.set_actual(db.session, None, project, line, period=f"2013-{month:02d}",
                               amount_ore=1_000_00 * month, note="", today=today)
        finance.save_line(db.session, None, project, finance.LineInput(
            year=2013, kind=LineKind.COST, category=Category.LICENCES, nature=Nature.OPERATING,
            name=f"Egen linje {n}", amount_ore=5_000_00, for_all=True))
    methods = [KeyMethod.EQUAL, KeyMethod.POPULATION, KeyMethod.MIX, KeyMethod.FIXED]
    keys = [finance.save_key(db.session, None, project, finance.KeyInput(
        name=f"Nøkkel {n}", method=methods[n % 4], equal_percent=Decimal(50),
        percents={org.id: Decimal(100 if i == 0 else 0) for i, org in enumerate(orgs)}))
        for n in range(size)]
    for n in range(size):
        finance.save_shared_cost(db.session, None, project, finance.SharedCostInput(
            year=2013, name=f"Felles kostnad {n}", amount_kroner=700_000,
            key_id=keys[n].id))
    db.session.flush()


PAGES = ["/", "/prosjekter/", "/prosjekter/{code}", "/prosjekter/{code}/organisering",
         "/prosjekter/{code}/oppgaver?organisasjon={org}", "/prosjekter/{code}/ansvar",
         "/prosjekter/{code}/historikk", "/personer/", "/prosjekter/{code}/milepaler",
         "/prosjekter/{code}/faser", "/prosjekter/{code}/vedtak", "/prosjekter/{code}/moter",
         "/prosjekter/{code}/gevinster/", "/prosjekter/{code}/gevinster/indikatorer/{indicator}",
         "/prosjekter/{code}/gevinster/registrering?organisasjon={org}&periode=2013-03",
         "/prosjekter/{code}/gevinster/plan", "/prosjekter/{code}/risiko/",
         "/prosjekter/{code}/risiko/?alle=1", "/prosjekter/{code}/risiko/{risk}",
         "/prosjekter/{code}/status/", "/prosjekter/{code}/status/2013-04",
         "/prosjekter/{code}/status/2013-04/prosjekt",
         "/prosjekter/{code}/status/2013-04/{org}", "/prosjekter/{code}/status/rapport/{report}",
         "/prosjekter/{code}/okonomi/?ar=2013", "/prosjekter/{code}/okonomi/linjer/{line}",
         "/prosjekter/{code}/okonomi/fordeling", "/prosjekter/{code}/okonomi/oppgjor?ar=2013",
         "/prosjekter/{code}/okonomi/oppgjor/2013.xlsx",
         "/prosjekter/{code}/styringsgruppepakke",
         "/prosjekter/{code}/eksport/milepaler.xlsx", "/prosjekter/{code}/eksport/gevinster.xlsx",
         "/prosjekter/{code}/eksport/risiko.xlsx", "/prosjekter/{code}/eksport/budsjett.xlsx"]


# The account's API tokens (the API's own lists: tests/http/api/test_api_query_counts.py).
PAGES += ["/konto/api-nokler/"]

# The project dashboard, and each of its panels as a page of its own.
PAGES += ["/prosjekter/{code}/dashbord"] + [
    f"/prosjekter/{{code}}/dashbord/{panel}" for panel in (
        "status", "milepaler", "gevinster", "risiko", "okonomi", "rapportering", "moter")]


def queries_per_page(app, admin_client, project) -> dict[str, int]:
    from sqlalchemy import select

    from governance.benefits.models import Indicator
    from governance.finance.models import BudgetLine
    from governance.projects.models import Project
    from governance.reporting.models import StatusReport
    from governance.risks.models import Risk

    with app.app_context():
        org = db.session.get(Project, project.id).participants[0].id
        indicator = db.session.scalar(select(Indicator.id).where(
            Indicator.project_id == project.id).order_by(Indicator.id))
        risk = db.session.scalar(select(Risk.id).where(
            Risk.project_id == project.id).order_by(Risk.id))
        report = db.session.scalar(select(StatusReport.id).where(
            StatusReport.project_id == project.id, StatusReport.period == "2013-04",
            StatusReport.organisation_id.is_(None), StatusReport.version == 1))
        line = db.session.scalar(select(BudgetLine.id).where(
            BudgetLine.project_id == project.id).order_by(BudgetLine.id))
    counts = {}
    for page in PAGES:
        path = page.format(code=project.code, org=org, indicator=indicator, risk=risk,
                           report=report, line=line)
        admin_client.get(path)  # warm up: session, caches
        with counting(app) as statements:
            response = admin_client.get(path)
        assert response.status_code == 200, path
        counts[page] = len(statements)
    return counts


def test_query_count_does_not_grow_tenfold(app, admin_client, make_org, make_project, make_user,
                                           give_role, add_to_group, monkeypatch):
    # Half the meetings are still to come, so the project page has a next meeting.
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", "2013-04-12")
    small = build(app, 1, make_org, make_project, make_user, give_role, add_to_group)
    small_counts = queries_per_page(app, admin_client, small)
    large = build(app, 10, make_org, make_project, make_user, give_role, add_to_group)
    large_counts = queries_per_page(app, admin_client, large)
    # The large plan is on its pages.
    base = f"/prosjekter/{large.code}"
    shown = {path: admin_client.get(base + path).get_data(as_text=True)
             for path in ("", "/milepaler", "/faser", "/vedtak", "/moter", "/gevinster/",
                          "/gevinster/plan")}
    assert "10 milepæler vises" in shown["/milepaler"]
    assert "Sjekkpunkt 9" in shown["/faser"]
    assert "Vedtak 9, rettet" in shown["/vedtak"]
    assert shown["/vedtak"].count("Erstattet av vedtaket") == 5
    assert "Møterom 9" in shown["/moter"] and "Møterom 0" in shown["/moter"]
    assert "(2 saker)" in shown[""]
    assert "Indikator 9" in shown["/gevinster/"] and "Resultatmål 9" in shown["/gevinster/"]
    assert "Gevinst 9" in shown["/gevinster/"] and "Versjon 10 godkjent" in shown["/gevinster/"]
    assert "Indikator 9" in shown["/gevinster/plan"]
    risks = admin_client.get(base + "/risiko/?alle=1").get_data(as_text=True)
    assert "10 risikoer vises" in risks and "Risiko 9" in risks
    status = admin_client.get(base + "/status/2013-04").get_data(as_text=True)
    assert status.count("Forsinket") == 10  # the organisations' comments, side by side
    overview = admin_client.get(base + "/status/").get_data(as_text=True)
    assert overview.count("2012-") >= 10  # the history of lights
    sharing = admin_client.get(base + "/okonomi/fordeling").get_data(as_text=True)
    assert sharing.count("Felles kostnad 9") >= 1 and "Nøkkel 9" in sharing
    assert sharing.count(f"700{NBSP}000{NBSP}kr") >= 10 * 10  # every key's sum, every cost
    budget = admin_client.get(base + "/okonomi/?ar=2013").get_data(as_text=True)
    assert "Felles linje 9" in budget
    dashboard = admin_client.get(base + "/dashbord").get_data(as_text=True)
    assert "Milepæl 9" in dashboard and "Indikator 9" in dashboard
    assert "Alle deltakerne har publisert rapport for april 2013." in dashboard
    grown = {page: (small_counts[page], large_counts[page]) for page in PAGES
             if large_counts[page] != small_counts[page]}
    assert grown == {}, f"queries per page grew with the data (small, 10x): {grown}"


def test_the_wastebasket_and_the_purge_page_do_not_grow(app, admin_client, make_org,
                                                        make_project, make_user, give_role,
                                                        add_to_group, monkeypatch):
    """Everything deletable of the project in the wastebasket: one query per kind."""
    from sqlalchemy import select

    from governance.benefits.models import Measurement
    from governance.finance.models import ActualCost
    from governance.projects.models import AgendaItem, Milestone
    from governance.retention import service as retention
    from governance.risks.models import RiskMeasure

    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", "2013-04-12")
    counts, listed = [], []
    for size in (1, 10):
        project = build(app, size, make_org, make_project, make_user, give_role, add_to_group)
        with app.app_context():
            for model in (Milestone, Measurement, RiskMeasure, ActualCost, AgendaItem):
                for row in db.session.scalars(select(model).where(
                        model.project_id == project.id)):
                    retention.trash(db.session, None, row)
            db.session.commit()
        pages = (f"/prosjekter/{project.code}/papirkurv",
                 f"/admin/prosjekter/{project.code}/slett")
        found = {}
        for path in pages:
            admin_client.get(path)
            with counting(app) as statements:
                response = admin_client.get(path)
            assert response.status_code == 200, path
            found[path.replace(project.code, "{code}")] = len(statements)
        listed.append(admin_client.get(pages[0]).get_data(as_text=True).count(
            ">Gjenopprett<span"))
        counts.append(found)
    assert listed[1] > listed[0] * 5  # the large bin is on the page
    assert counts[0] == counts[1], counts


def test_a_leads_start_page_does_not_grow_with_their_projects(app, make_client, make_org,
                                                             make_project, make_user,
                                                             give_role, monkeypatch):
    """The start page lists the measurements a municipal lead owes in each of their
    projects: ten projects need no more queries than one."""
    from governance.benefits import service as benefits
    from governance.benefits.models import Direction, Frequency, Unit
    from governance.projects.models import Project

    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", "2013-06-03")
    org = make_org(name="Sogndal kommune")
    lead = make_user(username="lead")

    def lead_projects(count: int) -> None:
        for _ in range(count):
            project = make_project(owners=[org])
            give_role(lead, project, ProjectRoleKind.MUNICIPAL_LEAD, org)
            with app.app_context():
                stored = db.session.get(Project, project.id)
                benefits.save_indicator(db.session, None, stored, benefits.IndicatorInput(
                    name=f"Fakturafeil i {project.code}", benefit_id=None, unit=Unit.COUNT,
                    unit_label="", direction=Direction.LOWER, frequency=Frequency.MONTHLY,
                    method="", data_source="", measured_by_person_id=None, is_ratio=False,
                    ratio_factor=None))
                db.session.commit()

    browser = make_client()
    assert browser.login("lead").status_code == 303
    counts = []
    for added in (1, 9):
        lead_projects(added)
        browser.get("/")
        with counting(app) as statements:
            page = browser.get("/").get_data(as_text=True)
        counts.append(len(statements))
    assert page.count("for Sogndal kommune, mai 2013") == 10
    assert counts[0] == counts[1], f"queries (1 project, 10 projects): {counts}"


def test_portfolio_pages_do_not_grow_with_the_projects(app, admin_client, make_org,
                                                       make_project, make_user, give_role,
                                                       add_to_group, monkeypatch):
    """The portfolio, its htmx fragment (filtered and sorted), the comparison and the
    municipality view need as many queries for 22 full projects as for 2."""
    from sqlalchemy import select

    from governance.benefits.models import Indicator
    from governance.projects.models import Project

    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", "2013-04-12")

    def counts(project) -> tuple[dict[str, int], dict[str, str]]:
        with app.app_context():
            org = db.session.get(Project, project.id).participants[0].id
            indicator = db.session.scalar(select(Indicator.id).where(
                Indicator.project_id == project.id).order_by(Indicator.id))
        pages = {"portfolio": "/portefolje/", "sorted": "/portefolje/?sorter=-gevinst",
                 "filtered": f"/portefolje/?organisasjon={org}&fase=planning&sorter=lys",
                 "compare": f"/portefolje/sammenligning?indikator={indicator}",
                 "municipality": f"/portefolje/organisasjoner/{org}"}
        found, bodies = {}, {}
        for name, path in pages.items():
            headers = {"HX-Request": "true"} if name == "filtered" else {}
            admin_client.get(path, headers=headers)  # warm up
            with counting(app) as statements:
                response = admin_client.get(path, headers=headers)
            assert response.status_code == 200, path
            found[name] = len(statements)
            bodies[name] = response.get_data(as_text=True)
        return found, bodies

    small = build(app, 1, make_org, make_project, make_user, give_role, add_to_group)
    small_counts, _ = counts(small)
    large = build(app, 10, make_org, make_project, make_user, give_role, add_to_group)
    large_counts, shown = counts(large)
    assert "13 prosjekter" in shown["portfolio"]  # 2 + 11, every one with its figures
    assert "Risiko 0" in shown["portfolio"] and "Risiko 4" in shown["portfolio"]  # highest
    assert shown["compare"].count("Testkommune") >= 10  # all ten participants side by side
    assert "Indikator 9" in shown["municipality"]  # the organisation's latest readings
    grown = {name: (small_counts[name], large_counts[name]) for name in small_counts
             if small_counts[name] != large_counts[name]}
    assert grown == {}, f"queries per page grew with the data (small, 10x): {grown}"
