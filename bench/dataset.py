"""A large data set for the benchmark, on top of the demo data.

    .venv/bin/python -m bench.dataset     # SQLite in a temporary file; prints the counts
    .venv/bin/python -m bench.dataset --database postgresql+psycopg://postgres@127.0.0.1:5432/test

40 organisations with population and operating costs; 500 projects (made through the project
service, so each has its default groups, responsibilities, checklists and phase history) with
owners, 3-8 participants, a project leader with an account, municipal leads and steering
group members; 20 milestones per project with 3 date changes each; 3 indicators per project
with baselines and targets and 120 measurements; 10 risks with 2-3 assessments and measures;
6 status reports (project and municipal; five published, with the snapshot the publish code
makes); budget lines with actual costs; steering group meetings and decisions.

Everything but the projects themselves goes in with SQLAlchemy Core bulk inserts with ids
chosen here (PostgreSQL's sequences are moved past them at the end).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from governance.benefits.models import (
    Baseline,
    Benefit,
    BenefitKind,
    Direction,
    Frequency,
    Goal,
    GoalLevel,
    Indicator,
    Measurement,
    Target,
    Unit,
)
from governance.finance.models import ActualCost, BudgetLine, Category, LineKind, Nature
from governance.organisations.models import Organisation, OrganisationKind, OrganisationYear
from governance.projects.models import (
    AgendaItem,
    Decision,
    DecisionBody,
    DecisionOutcome,
    Meeting,
    Milestone,
    MilestoneDateChange,
    Phase,
    Project,
    ProjectStatus,
)
from governance.reporting.models import Light, ReportStatus, StatusReport
from governance.risks.models import (
    Proximity,
    Risk,
    RiskAssessment,
    RiskCategory,
    RiskKind,
    RiskMeasure,
    RiskStatus,
    Strategy,
)
from governance.roles.models import (
    GroupKind,
    GroupMember,
    MemberRole,
    Person,
    ProjectGroup,
    ProjectRole,
    ProjectRoleKind,
    User,
)

MUNICIPALITIES = [
    "Alver", "Askøy", "Bjørnafjorden", "Bømlo", "Eidfjord", "Etne", "Fitjar", "Kvam",
    "Kvinnherad", "Masfjorden", "Modalen", "Osterøy", "Samnanger", "Stord", "Sveio", "Tysnes",
    "Ullensvang", "Ulvik", "Vaksdal", "Voss", "Øygarden", "Austevoll", "Austrheim", "Fedje",
    "Gulen", "Høyanger", "Hyllestad", "Kinn", "Solund", "Sunnfjord", "Askvoll", "Bremanger",
    "Fjaler", "Gloppen", "Stad", "Stryn", "Vik", "Aurland", "Sandnes", "Sola",
]
FIRST = ["Anne", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Guro", "Hans", "Ida", "Jon",
         "Kristin", "Lars", "Marit", "Nils", "Oda", "Pål", "Rune", "Silje", "Tor", "Unni"]
LAST = ["Aasen", "Berg", "Dahl", "Eide", "Fosse", "Haugen", "Lie", "Moe", "Nilsen", "Rønning",
        "Solberg", "Strand", "Tveit", "Vik", "Ødegård"]
TOPICS = ["e-handel", "arkiv", "digital post", "velferdsteknologi", "innkjøp", "lønn",
          "sak og arkiv", "skoleadministrasjon", "byggesak", "kartdata", "helseplattform",
          "IKT-drift", "informasjonssikkerhet", "kundesenter", "økonomisystem"]
MILESTONES = ["Prosjektplan godkjent", "Anskaffelse kunngjort", "Kontrakt signert",
              "Pilot i første kommune", "Opplæring gjennomført", "Integrasjon testet",
              "Leverandører aktivert", "Overlevering til drift", "Evaluering",
              "Gevinstrealiseringsplan vedtatt"]


@dataclass
class Scale:
    organisations: int = 40
    projects: int = 500
    milestones: int = 20  # per project
    date_changes: int = 3  # per milestone
    measurements: int = 120  # per project
    risks: int = 10  # per project
    reports: int = 6  # per project


@dataclass
class Made:
    counts: dict[str, int] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number


class Ids:
    """The next free id of each table (explicit ids, so the rows can refer to each other)."""

    def __init__(self, session: Session):
        self.session = session
        self.next: dict[str, int] = {}

    def take(self, model) -> int:
        table = model.__table__.name
        if table not in self.next:
            self.next[table] = (self.session.scalar(select(func.max(model.id))) or 0) + 1
        value = self.next[table]
        self.next[table] += 1
        return value


def _insert(session: Session, model, rows: list[dict], made: Made) -> None:
    if rows:
        for start in range(0, len(rows), 5000):
            session.execute(model.__table__.insert(), rows[start:start + 5000])
    made.add(model.__table__.name, len(rows))


def _months_back(day: date, count: int) -> list[date]:
    """The first days of the ``count`` full months before ``day``'s month, newest first."""
    months, year, month = [], day.year, day.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return months


def _month_end(first: date) -> date:
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def generate(session: Session, scale: Scale | None = None, seed: int = 2013,
             today: date | None = None) -> Made:
    """Add the large data set to the session's database (with the demo data already in it)
    and commit."""
    from governance.projects import service as project_service
    from governance.roles.passwords import hash_password

    scale = scale or Scale()
    today = today or date.today()
    rng = random.Random(seed)
    made = Made()
    started = time.perf_counter()
    ids = Ids(session)

    # ---- organisations with figures ---------------------------------------------------
    taken = set(session.scalars(select(Organisation.name)))
    orgs: list[dict] = []
    years: list[dict] = []
    for index in range(scale.organisations):
        base = MUNICIPALITIES[index % len(MUNICIPALITIES)]
        name = f"{base} kommune" if index < len(MUNICIPALITIES) else f"{base} kommune {index}"
        while name in taken:
            name += " (bench)"
        taken.add(name)
        org_id = ids.take(Organisation)
        orgs.append({"id": org_id, "name": name, "kind": OrganisationKind.MUNICIPALITY,
                     "version_id": 1})
        population = rng.randint(800, 80_000)
        for year in range(today.year - 3, today.year + 2):
            years.append({"id": ids.take(OrganisationYear), "organisation_id": org_id,
                          "year": year, "population": population + (year - today.year) * 50,
                          "operating_costs_ore": population * rng.randint(90_000, 120_000)
                          * 100})
    _insert(session, Organisation, orgs, made)
    _insert(session, OrganisationYear, years, made)
    org_ids = [o["id"] for o in orgs]
    org_names = {o["id"]: o["name"] for o in orgs}
    made.organisation_ids = org_ids

    # ---- people: a pool per organisation ------------------------------------------------
    people: list[dict] = []
    pool: dict[int, list[int]] = {}
    for org_id in org_ids:
        pool[org_id] = []
        for _ in range(12):
            person_id = ids.take(Person)
            people.append({"id": person_id, "organisation_id": org_id, "version_id": 1,
                           "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                           "title": rng.choice(["Rådmann", "Kommunalsjef", "IKT-leder",
                                                "Innkjøpsrådgiver", "Seksjonsleder"])})
            pool[org_id].append(person_id)
    _insert(session, Person, people, made)
    session.flush()

    # ---- projects, through the service (groups, responsibilities, checklists) -----------
    projects: list[Project] = []
    for number in range(1, scale.projects + 1):
        participants = rng.sample(org_ids, rng.randint(3, 8))
        owners = participants[:rng.randint(1, 2)]
        start = today - timedelta(days=rng.randint(120, 900))
        topic = rng.choice(TOPICS)
        project = project_service.create_project(
            session, None, project_service.ProjectInput(
                code=f"PRJ-{number:03d}", name=f"Felles {topic} {number}",
                purpose=f"Innføre felles løsning for {topic} i regionen.",
                description="Generert for ytelsesmåling.",
                phase=rng.choice([Phase.PLANNING, Phase.EXECUTION, Phase.EXECUTION,
                                  Phase.REALISATION]),
                status=rng.choice([ProjectStatus.ACTIVE] * 8 + [ProjectStatus.PAUSED]),
                start_date=start, end_date=start + timedelta(days=rng.randint(600, 1400)),
                owner_ids=owners, participant_ids=participants))
        projects.append(project)
    session.flush()
    made.add("project", len(projects))
    made.codes = [p.code for p in projects]
    groups = {(g.project_id, g.kind): g.id for g in session.scalars(
        select(ProjectGroup).where(ProjectGroup.project_id.in_([p.id for p in projects])))}

    password = hash_password("bench-leder-2026")
    users, leaders, roles, members = [], [], [], []
    milestones, changes, goals, benefits, indicators = [], [], [], [], []
    baselines, targets, measurements = [], [], []
    risks, assessments, measures, reports, lines, actuals = [], [], [], [], [], []
    meetings, items, decisions = [], [], []
    plans: dict[int, dict] = {}
    for project in projects:
        participants = [o.id for o in project.participants]
        owners = [o.id for o in project.owners]
        start = project.start_date
        # People: a project leader with an account, municipal leads, the steering group.
        user_id, leader_id = ids.take(User), ids.take(Person)
        users.append({"id": user_id, "username": f"leder-{project.code.lower()}",
                      "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                      "password_hash": password, "organisation_id": owners[0],
                      "is_admin": False, "can_create_projects": True,
                      "is_active_account": True, "locale": "nb", "version_id": 1})
        leaders.append({"id": leader_id, "full_name": users[-1]["full_name"],
                        "title": "Prosjektleder", "organisation_id": owners[0],
                        "user_id": user_id, "version_id": 1})
        roles.append({"id": ids.take(ProjectRole), "project_id": project.id,
                      "person_id": leader_id, "role": ProjectRoleKind.PROJECT_LEADER,
                      "organisation_id": None, "valid_from": start, "valid_to": None})
        leads = {}
        for org_id in participants:
            leads[org_id] = rng.choice(pool[org_id])
            roles.append({"id": ids.take(ProjectRole), "project_id": project.id,
                          "person_id": leads[org_id], "role": ProjectRoleKind.MUNICIPAL_LEAD,
                          "organisation_id": org_id, "valid_from": start, "valid_to": None})
            members.append({"id": ids.take(GroupMember), "project_id": project.id,
                            "group_id": groups[(project.id, GroupKind.PROJECT_GROUP)],
                            "person_id": leads[org_id], "organisation_id": org_id,
                            "role": MemberRole.MEMBER, "valid_from": start, "valid_to": None})
        for org_id in owners:
            owner_person = pool[org_id][0]
            roles.append({"id": ids.take(ProjectRole), "project_id": project.id,
                          "person_id": owner_person, "role": ProjectRoleKind.PROJECT_OWNER,
                          "organisation_id": org_id, "valid_from": start, "valid_to": None})
        for position, org_id in enumerate(participants[:5]):
            members.append({"id": ids.take(GroupMember), "project_id": project.id,
                            "group_id": groups[(project.id, GroupKind.STEERING_GROUP)],
                            "person_id": pool[org_id][0], "organisation_id": org_id,
                            "role": MemberRole.LEADER if position == 0 else MemberRole.MEMBER,
                            "valid_from": start, "valid_to": None})

        # Milestones with their slippage history.
        span = (project.end_date - start).days
        for index in range(scale.milestones):
            baseline = start + timedelta(days=span * (index + 1) // (scale.milestones + 1))
            slip = rng.choice([0, 0, 0, 7, 14, 30, 45, 90])
            forecast = baseline + timedelta(days=slip)
            actual = forecast if forecast < today - timedelta(days=10) and rng.random() < .9 \
                else None
            organisation_id = rng.choice(participants) if index % 4 == 3 else None
            milestone_id = ids.take(Milestone)
            milestones.append({
                "id": milestone_id, "project_id": project.id,
                "title": f"{MILESTONES[index % len(MILESTONES)]} ({index + 1})",
                "responsible_person_id": leads[organisation_id] if organisation_id
                else leader_id, "organisation_id": organisation_id,
                "baseline_date": baseline, "forecast_date": forecast, "actual_date": actual,
                "comment": "Forsinket levering" if slip > 30 else "", "version_id": 1})
            for step in range(scale.date_changes):
                reported = min(today, start + timedelta(days=30 * (index + step)))
                changes.append({
                    "id": ids.take(MilestoneDateChange), "project_id": project.id,
                    "milestone_id": milestone_id, "reported_on": reported,
                    "changed_by_id": user_id, "baseline_date": baseline,
                    "forecast_date": baseline + timedelta(days=slip * step // 2),
                    "actual_date": actual if step == scale.date_changes - 1 else None})

        # Benefits: a goal, a benefit, three monthly indicators with baselines and targets.
        goal_id, benefit_id = ids.take(Goal), ids.take(Benefit)
        goals.append({"id": goal_id, "project_id": project.id, "level": GoalLevel.EFFECT,
                      "title": "Lavere transaksjonskostnader", "position": 1, "version_id": 1})
        benefits.append({"id": benefit_id, "project_id": project.id, "goal_id": goal_id,
                         "title": "Mindre tid til manuell behandling",
                         "kind": BenefitKind.ECONOMIC, "amount_ore": rng.randint(1, 50) * 10**7,
                         "responsible_person_id": leader_id, "position": 1, "version_id": 1})
        indicator_ids = []
        for position, (name, unit, direction) in enumerate(
                [("Andel e-handel", Unit.PERCENT, Direction.HIGHER),
                 ("Avtalelojalitet", Unit.PERCENT, Direction.HIGHER),
                 ("Behandlingstid per faktura", Unit.HOURS, Direction.LOWER)], start=1):
            indicator_id = ids.take(Indicator)
            indicator_ids.append((indicator_id, direction))
            indicators.append({"id": indicator_id, "project_id": project.id,
                               "benefit_id": benefit_id, "name": name, "unit": unit,
                               "direction": direction, "frequency": Frequency.MONTHLY,
                               "measured_by_person_id": leader_id, "is_ratio": False,
                               "position": position, "version_id": 1})
            low = direction == Direction.LOWER
            for org_id in participants:
                baselines.append({"id": ids.take(Baseline), "project_id": project.id,
                                  "indicator_id": indicator_id, "organisation_id": org_id,
                                  "value": Decimal(rng.randint(20, 40) if low
                                                   else rng.randint(5, 20)),
                                  "measured_on": start})
            for years_on, value in ((1, 8 if low else 30), (2, 5 if low else 40)):
                targets.append({"id": ids.take(Target), "project_id": project.id,
                                "indicator_id": indicator_id,
                                "target_date": start + timedelta(days=365 * years_on),
                                "value": Decimal(value)})
        count = 0
        for first in _months_back(today, 60):
            for indicator_id, _direction in indicator_ids:
                for org_id in participants:
                    if count == scale.measurements:
                        break
                    count += 1
                    measurements.append({
                        "id": ids.take(Measurement), "project_id": project.id,
                        "indicator_id": indicator_id, "organisation_id": org_id,
                        "period": first.strftime("%Y-%m"), "period_start": first,
                        "period_end": _month_end(first),
                        "value": Decimal(rng.randint(5, 45)) + Decimal("0.5"),
                        "entered_by_id": user_id, "version_id": 1})

        # Risks with assessments and measures.
        for number in range(1, scale.risks + 1):
            risk_id = ids.take(Risk)
            probability, consequence = rng.randint(1, 5), rng.randint(1, 5)
            status = rng.choice([RiskStatus.IDENTIFIED] * 6 + [RiskStatus.MEASURES_DONE,
                                                               RiskStatus.NOT_RELEVANT])
            threat = number % 5 != 0
            risks.append({
                "id": risk_id, "project_id": project.id, "number": number,
                "kind": RiskKind.THREAT if threat else RiskKind.OPPORTUNITY,
                "title": f"{rng.choice(['Manglende', 'Forsinket', 'Uklar', 'Svak'])} "
                         f"{rng.choice(['forankring', 'kompetanse', 'leveranse', 'avtale'])}"
                         f" ({number})",
                "description": "Kan føre til forsinkelse.", "cause": "", "consequence_text": "",
                "category": rng.choice(list(RiskCategory)), "phase": project.phase,
                "probability": probability, "consequence": consequence,
                "residual_probability": max(1, probability - 1),
                "residual_consequence": max(1, consequence - 1),
                "owner_person_id": rng.choice(list(leads.values())),
                "strategy": Strategy.REDUCE if threat else Strategy.EXPLOIT,
                "proximity": rng.choice(list(Proximity)), "status": status,
                "escalated": probability * consequence >= 16, "version_id": 1})
            history = rng.randint(2, 3)
            for step in range(history):
                last = step == history - 1
                assessments.append({
                    "id": ids.take(RiskAssessment), "project_id": project.id,
                    "risk_id": risk_id,
                    "assessed_on": start + timedelta(days=60 * step + number),
                    "assessed_by_id": user_id,
                    "probability": probability if last else rng.randint(1, 5),
                    "consequence": consequence if last else rng.randint(1, 5),
                    "residual_probability": max(1, probability - 1),
                    "residual_consequence": max(1, consequence - 1),
                    "status": status if last else RiskStatus.IDENTIFIED, "note": ""})
            for step in range(rng.randint(1, 2)):
                due = start + timedelta(days=90 * (step + 1))
                measures.append({
                    "id": ids.take(RiskMeasure), "project_id": project.id, "risk_id": risk_id,
                    "text": "Avklare ansvar og følge opp i styringsgruppen",
                    "responsible_person_id": leader_id, "due_date": due,
                    "done_on": due if due < today else None, "version_id": 1})

        # Budget: the shared budget and each participant's own costs, this year and last.
        for year in (today.year - 1, today.year):
            months = 12 if year < today.year else max(1, today.month - 1)
            shared = [(LineKind.INCOME, Category.GRANT, "Tilskudd", 400_000),
                      (LineKind.COST, Category.SALARY, "Prosjektleder", 900_000),
                      (LineKind.COST, Category.TRAVEL_MEETINGS, "Reiser og møter", 50_000),
                      (LineKind.COST, Category.LICENCES, "Lisenser", 120_000),
                      (LineKind.COST, Category.CONSULTANCY, "Konsulentbistand", 300_000)]
            own = [(LineKind.COST, Category.CONNECTION, "Tilknytning", 60_000, org_id)
                   for org_id in participants]
            for kind, category, name, kroner, *org in shared + own:
                line_id = ids.take(BudgetLine)
                lines.append({"id": line_id, "project_id": project.id, "year": year,
                              "kind": kind, "category": category, "nature": Nature.OPERATING,
                              "name": name, "amount_ore": kroner * 100,
                              "organisation_id": org[0] if org else None, "version_id": 1})
                if kind == LineKind.COST and not org:
                    for month in range(1, months + 1):
                        actuals.append({
                            "id": ids.take(ActualCost), "project_id": project.id,
                            "line_id": line_id, "period": f"{year}-{month:02d}",
                            "period_start": date(year, month, 1),
                            "amount_ore": kroner * 100 // 12 * rng.randint(80, 125) // 100,
                            "entered_by_id": user_id, "version_id": 1})

        # Steering group meetings (two held, two ahead) and decisions.
        for step, offset in enumerate((-120, -30, 20, 80)):
            meeting_id = ids.take(Meeting)
            meetings.append({"id": meeting_id, "project_id": project.id,
                             "body": DecisionBody.STEERING_GROUP,
                             "meeting_date": today + timedelta(days=offset),
                             "location": "Teams", "version_id": 1})
            for position in range(1, 4):
                items.append({"id": ids.take(AgendaItem), "project_id": project.id,
                              "meeting_id": meeting_id, "position": position,
                              "case_number": f"sak {step * 3 + position}/{today.year % 100}",
                              "title": rng.choice(["Status", "Risiko", "Budsjett",
                                                   "Gevinstrealisering", "Eventuelt"])})
            if offset < 0:
                decisions.append({"id": ids.take(Decision), "project_id": project.id,
                                  "title": "Statusrapport tatt til orientering",
                                  "decided_on": today + timedelta(days=offset),
                                  "body": DecisionBody.STEERING_GROUP,
                                  "outcome": DecisionOutcome.APPROVED,
                                  "meeting_id": meeting_id, "recorded_by_id": user_id})

        plans[project.id] = {"user_id": user_id, "participants": participants}

    session.flush()
    _insert(session, User, users, made)
    _insert(session, Person, leaders, made)
    _insert(session, ProjectRole, roles, made)
    _insert(session, GroupMember, members, made)
    _insert(session, Milestone, milestones, made)
    _insert(session, MilestoneDateChange, changes, made)
    _insert(session, Goal, goals, made)
    _insert(session, Benefit, benefits, made)
    _insert(session, Indicator, indicators, made)
    _insert(session, Baseline, baselines, made)
    _insert(session, Target, targets, made)
    _insert(session, Measurement, measurements, made)
    _insert(session, Risk, risks, made)
    _insert(session, RiskAssessment, assessments, made)
    _insert(session, RiskMeasure, measures, made)
    _insert(session, BudgetLine, lines, made)
    _insert(session, ActualCost, actuals, made)
    _insert(session, Meeting, meetings, made)
    _insert(session, AgendaItem, items, made)
    _insert(session, Decision, decisions, made)
    session.commit()

    # ---- status reports, published with the snapshot the publish code would keep -------
    session.expire_all()
    periods = _months_back(today, scale.reports // 2)
    lights = [Light.GREEN] * 5 + [Light.YELLOW] * 3 + [Light.RED]
    for project in session.scalars(select(Project).where(
            Project.id.in_(list(plans)))).all():
        plan = plans[project.id]
        kept = _snapshot(session, project, today)
        for step, first in enumerate(periods):
            for organisation_id in (None, plan["participants"][0]):
                draft = step == 0 and organisation_id is None
                report = {dimension: rng.choice(lights) for dimension in
                          ("overall", "schedule", "cost", "quality", "risk", "benefits")}
                reports.append({
                    "id": ids.take(StatusReport), "project_id": project.id,
                    "period": first.strftime("%Y-%m"), "organisation_id": organisation_id,
                    "version": 1, **report,
                    "status": ReportStatus.DRAFT if draft else ReportStatus.PUBLISHED,
                    "overall_comment": "Arbeidet går etter planen.",
                    "done_this_period": "Møter med leverandører.",
                    "next_period": "Opplæring.", "needs_decision": "",
                    "author_id": plan["user_id"],
                    "published_at": None if draft else _month_end(first) + timedelta(days=3),
                    "published_by_id": None if draft else plan["user_id"],
                    "snapshot": None if draft else kept, "version_id": 1})
    _insert(session, StatusReport, reports, made)
    session.commit()

    if session.get_bind().dialect.name == "postgresql":
        for table in ids.next:  # table names from the models, not from input
            sql = "SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT max(id) FROM {0}))"
            session.execute(text(sql.format(table)))
        session.execute(text("ANALYZE"))
        session.commit()
    made.organisation_ids = org_ids
    made.counts["organisation_names"] = len(org_names)
    made.seconds = time.perf_counter() - started
    return made


def _snapshot(session: Session, project: Project, day: date) -> dict:
    """What publishing a report of the project on ``day`` keeps (as reporting.views does)."""
    from governance.benefits import queries as benefit_queries
    from governance.finance import queries as finance_queries
    from governance.projects import plan_queries
    from governance.reporting import queries as report_queries
    from governance.risks import queries as risk_queries

    risks = risk_queries.all_risks(session, project.id)
    return report_queries.snapshot(
        plan_queries.milestone_rows(session, project, day), risks, risk_queries.top(risks),
        benefit_queries.indicator_views(session, project, day),
        finance_queries.budget_snapshot(finance_queries.year_figures(session, project,
                                                                     day.year)))


LABELS = [
    ("organisation", "organisations"), ("organisation_year", "organisation years"),
    ("project", "projects"), ("person", "people"), ("user_account", "users"),
    ("project_role", "project roles"), ("group_member", "group members"),
    ("milestone", "milestones"), ("milestone_date_change", "milestone date changes"),
    ("indicator", "indicators"), ("baseline", "baselines"), ("target", "targets"),
    ("measurement", "measurements"), ("risk", "risks"), ("risk_assessment", "risk assessments"),
    ("risk_measure", "risk measures"), ("status_report", "status reports"),
    ("budget_line", "budget lines"), ("actual_cost", "actual costs"),
    ("meeting", "meetings"), ("agenda_item", "agenda items"), ("decision", "decisions"),
]


def describe(made: Made) -> str:
    parts = [f"{made.counts.get(table, 0):,} {label}".replace(",", " ")
             for table, label in LABELS]
    return f"Large data set made in {made.seconds:.1f} s: " + ", ".join(parts)


def main() -> None:
    import argparse

    from bench.pages import _app, _database

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    url, clean_up = _database(args.database)
    try:
        app = _app(url)
        from governance.extensions import db

        with app.app_context():
            print(describe(generate(db.session)))
    finally:
        clean_up()


if __name__ == "__main__":
    main()
