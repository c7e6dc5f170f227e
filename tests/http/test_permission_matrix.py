"""Who may do what: role × own/other organisation × endpoint × method.

Every project-scoped endpoint (its rule has ``<code>``) and every people endpoint is
classified below by the right it needs. The expected answer for each user follows from
the rights table in governance/roles/policy.py:

| who                                          | may                                          |
|----------------------------------------------|----------------------------------------------|
| administrator                                | everything                                   |
| project leader (and deputy)                  | edit everything in their project             |
| project owner, steering group member         | read the whole project; record decisions     |
| municipal project lead, benefit owner        | read; edit their own organisation's data     |
| work group member                            | read; update what is given to their group    |
| project group or reference group member      | read                                         |
| anyone else                                  | nothing: the project answers 404             |

A milestone's progress (forecast, actual date, comment) is updated by the leaders, the lead
(or benefit owner) of the milestone's organisation, its work group and its responsible person.

The benefits plan: everyone in the project reads it; the leaders keep goals, benefits,
indicators and targets; the plan's approval is recorded by those who decide; a baseline or a
measurement of an organisation is set by the leaders and that organisation's lead or benefit
owner; the entry screen and the import are for those who report for some organisation.

The risk register: everyone in the project reads it (the list, the heat maps, a risk and its
measures); the leaders register and re-assess risks, keep the measures and set the colour
thresholds.

Status reports: everyone in the project reads the overview, a period's reports side by side
and each report (drafts too); the leaders set the tolerances. The project's own report is
written, published and corrected by the leaders; an organisation's report by the leaders and
that organisation's lead or benefit owner (``reporting.write`` and ``reporting.correct`` are
tried for the own organisation, the other one and the project's report).

The project dashboard and each of its panels: everyone in the project reads them (read only).

The JSON API (``/api/v1``) is tried with each actor's own token: the same rights as the
pages (404 outside the project, 403 without the right), 401 without a token.

A new endpoint under ``/prosjekter/<code>/``, ``/personer/`` or ``/api/`` fails these tests
until it is given a line in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from flask import url_for
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from governance.benefits import service as benefit_service
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
    PlanApproval,
    Target,
    Unit,
)
from governance.extensions import db
from governance.finance import service as finance_service
from governance.finance.models import Category, LineKind, Nature
from governance.finance.sharing import KeyMethod
from governance.projects import decisions as decision_service
from governance.projects import plan
from governance.projects.models import (
    AgendaItem,
    CalendarToken,
    Checkpoint,
    Decision,
    DecisionBody,
    DecisionOutcome,
    Meeting,
    Milestone,
    Phase,
    Project,
)
from governance.reporting.models import Light, ReportStatus, StatusReport
from governance.risks import service as risk_service
from governance.risks.models import Risk, RiskCategory, RiskKind, RiskMeasure, RiskStatus
from governance.roles import service
from governance.roles.models import (
    GroupKind,
    LocalTask,
    MemberRole,
    Person,
    ProjectGroup,
    ProjectRole,
    ProjectRoleKind,
    ProjectTask,
    TaskLevel,
    User,
)

# ---- what each endpoint needs ------------------------------------------------------------

VIEW = "view"  # any role or membership in the project
EDIT = "edit"  # project leader, deputy, administrator
ORG_DATA = "organisation data"  # edit: or municipal lead / benefit owner of that organisation
CREATE = "create projects"  # administrator or a user allowed to create projects
SIGNED_IN = "signed in"
DECIDE = "decide"  # edit: or project owner or steering group member
PROGRESS = "milestone progress"  # edit: or the milestone's organisation, group or responsible
REPORTING = "reports for some organisation"  # edit: or municipal lead / benefit owner of any
TRASH = "wastebasket"  # edit, decide, or keep some organisation's data
ADMIN_ONLY = "administrator"  # an administrator; 403 for everyone else, in the project or not

PROJECT_ENDPOINTS: dict[str, dict[str, str]] = {
    "projects.show": {"GET": VIEW},
    "projects.history": {"GET": VIEW},
    "projects.edit": {"GET": EDIT, "POST": EDIT},
    "organisation.chart": {"GET": VIEW},
    "organisation.add_role": {"POST": EDIT},
    "organisation.end_role": {"POST": EDIT},
    "organisation.add_group": {"POST": EDIT},
    "organisation.edit_group": {"GET": EDIT, "POST": EDIT},
    "organisation.add_member": {"POST": EDIT},
    "organisation.end_member": {"POST": EDIT},
    "organisation.responsibilities": {"GET": VIEW, "POST": EDIT},
    "organisation.tasks": {"GET": VIEW},
    "organisation.add_task": {"POST": EDIT},
    "organisation.delete_task": {"POST": EDIT},
    "organisation.set_local_task": {"POST": ORG_DATA},
    "plan.milestones": {"GET": VIEW},
    "plan.milestone_detail": {"GET": VIEW},
    "plan.milestone_row": {"GET": VIEW},
    "plan.milestone_charts": {"GET": VIEW},
    "plan.create_milestone": {"GET": EDIT, "POST": EDIT},
    "plan.edit_milestone": {"GET": EDIT, "POST": EDIT},
    "plan.delete_milestone": {"POST": EDIT},
    "plan.set_baseline": {"POST": EDIT},
    "plan.report_progress": {"GET": PROGRESS, "POST": PROGRESS},
    "decisions.phases": {"GET": VIEW},
    "decisions.phase_change": {"POST": EDIT},
    "decisions.phase_checkpoint": {"POST": EDIT},
    "decisions.phase_checkpoint_add": {"POST": EDIT},
    "decisions.phase_checkpoint_delete": {"POST": EDIT},
    "decisions.log": {"GET": VIEW},
    "decisions.record": {"GET": DECIDE, "POST": DECIDE},
    "decisions.correct": {"GET": DECIDE, "POST": DECIDE},
    "decisions.meetings": {"GET": VIEW},
    "decisions.meeting_detail": {"GET": VIEW},
    "decisions.meeting_create": {"GET": DECIDE, "POST": DECIDE},
    "decisions.meeting_edit": {"GET": DECIDE, "POST": DECIDE},
    "decisions.meeting_item_add": {"POST": DECIDE},
    "decisions.meeting_item_delete": {"POST": DECIDE},
    "decisions.calendar_settings": {"GET": VIEW, "POST": VIEW},  # each user's own address
    "benefits.overview": {"GET": VIEW},
    "benefits.goal": {"GET": EDIT, "POST": EDIT},
    "benefits.benefit": {"GET": EDIT, "POST": EDIT},
    "benefits.indicator_form": {"GET": EDIT, "POST": EDIT},
    "benefits.indicator": {"GET": VIEW},
    "benefits.indicator_baseline": {"POST": ORG_DATA},
    "benefits.indicator_target": {"POST": EDIT},
    "benefits.indicator_target_delete": {"POST": EDIT},
    "benefits.entry": {"GET": REPORTING},
    "benefits.entry_row": {"POST": ORG_DATA},
    "benefits.entry_row_delete": {"POST": ORG_DATA},
    "benefits.import_measurements": {"GET": REPORTING, "POST": REPORTING},
    "benefits.import_confirm": {"POST": REPORTING},
    "benefits.plan_document": {"GET": VIEW, "POST": DECIDE},
    "risks.register": {"GET": VIEW},
    "risks.detail": {"GET": VIEW},
    "risks.edit": {"GET": EDIT, "POST": EDIT},
    "risks.measure": {"POST": EDIT},
    "risks.measure_delete": {"POST": EDIT},
    "risks.thresholds": {"POST": EDIT},
    "reporting.overview": {"GET": VIEW},
    "reporting.tolerances": {"POST": EDIT},
    "reporting.period": {"GET": VIEW},
    "reporting.read": {"GET": VIEW},
    # The organisation's report: the "project" variant (its own report) needs EDIT.
    "reporting.write": {"GET": ORG_DATA, "POST": ORG_DATA},
    "reporting.correct": {"POST": ORG_DATA},
    "finance.overview": {"GET": VIEW},
    "finance.line": {"GET": VIEW},
    "finance.line_form": {"GET": EDIT, "POST": EDIT},
    "finance.line_delete": {"POST": EDIT},
    "finance.actual_add": {"POST": EDIT},
    "finance.actual_delete": {"POST": EDIT},
    "finance.forecast": {"POST": EDIT},
    "finance.import_actuals": {"GET": EDIT, "POST": EDIT},
    "finance.import_confirm": {"POST": EDIT},
    "finance.sharing": {"GET": VIEW},
    "finance.key_form": {"GET": EDIT, "POST": EDIT},
    "finance.key_delete": {"POST": EDIT},
    "finance.cost_form": {"GET": EDIT, "POST": EDIT},
    "finance.cost_delete": {"POST": EDIT},
    "finance.choose_key": {"POST": EDIT},
    "finance.settlement": {"GET": VIEW},
    "finance.settlement_export": {"GET": VIEW},
    "dashboards.project": {"GET": VIEW},
    "dashboards.panel": {"GET": VIEW},
    "pack.printable": {"GET": VIEW},
    "pack.pdf": {"GET": VIEW},
    "pack.workbook": {"GET": VIEW},
    "retention.wastebasket": {"GET": TRASH},
    "retention.restore": {"POST": EDIT},  # a milestone: restored by who may delete it
    "retention.purge": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},  # refused: it holds evidence
}

# Endpoints about one organisation's data, tried for the own and the other organisation.
ORGANISATION_VARIANTS = {"organisation.set_local_task", "benefits.indicator_baseline",
                         "benefits.entry_row", "benefits.entry_row_delete"}

# Status reports tried for the own organisation's, the other one's and the project's report.
REPORT_VARIANTS = ("own", "other", "project")
REPORT_ENDPOINTS = {"reporting.write", "reporting.correct"}
DOOMED_MEASUREMENT_PERIOD = "2012-Q4"  # a value of each organisation, deleted by the matrix
WRITE_PERIOD = "2013-04"  # no report yet: a new one is written
PUBLISHED_PERIOD = "2013-05"  # published reports of all three, to be corrected

# Fragments that answer only htmx (a plain request is sent back to the page, 303).
HTMX_ONLY = {"plan.milestone_row", "plan.milestone_charts"}

# The milestones whose progress is updated: by organisation, work group or responsible person.
PROGRESS_VARIANTS = ("own", "other", "group", "responsible")

# projects.* endpoints that are not about one project.
PROJECT_LIST_ENDPOINTS: dict[str, dict[str, str]] = {
    "projects.index": {"GET": SIGNED_IN},
    "projects.create": {"GET": CREATE, "POST": CREATE},
}

MANAGE_PEOPLE = "manage people"  # administrator or a project leader (or deputy) anywhere
SEE_PERSON = "see person"  # the person has a role the viewer can see (or is the viewer)
EDIT_PERSON = "edit person"  # SEE_PERSON and MANAGE_PEOPLE

PEOPLE_ENDPOINTS: dict[str, dict[str, str]] = {
    "people.index": {"GET": MANAGE_PEOPLE},
    "people.create": {"GET": MANAGE_PEOPLE, "POST": MANAGE_PEOPLE},
    "people.show": {"GET": SEE_PERSON},
    "people.edit": {"GET": EDIT_PERSON, "POST": EDIT_PERSON},
    "people.history": {"GET": SEE_PERSON},
}

METHODS = {"GET", "POST"}


def rule_methods(rule) -> set[str]:
    return set(rule.methods) - {"HEAD", "OPTIONS"}


def endpoints_of(app, select_rule) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if select_rule(rule):
            found.setdefault(rule.endpoint, set()).update(rule_methods(rule))
    return found


def project_scoped(rule) -> bool:
    """A web page of one project (the API's project addresses have their own table)."""
    return "<code>" in rule.rule and not rule.rule.startswith("/api/")


# ---- the classification is complete ------------------------------------------------------


def test_every_project_scoped_endpoint_is_classified(app):
    found = endpoints_of(app, project_scoped)
    assert set(found) == set(PROJECT_ENDPOINTS), (
        "classify these project endpoints in PROJECT_ENDPOINTS: "
        f"{sorted(set(found) - set(PROJECT_ENDPOINTS))}; "
        f"gone: {sorted(set(PROJECT_ENDPOINTS) - set(found))}"
    )
    for endpoint, methods in found.items():
        assert methods <= METHODS, f"{endpoint}: methods {methods} not covered by the matrix"
        assert methods == set(PROJECT_ENDPOINTS[endpoint]), endpoint


def test_every_projects_and_people_endpoint_is_classified(app):
    projects = endpoints_of(app, lambda rule: rule.endpoint.startswith("projects.")
                            and not project_scoped(rule))
    assert set(projects) == set(PROJECT_LIST_ENDPOINTS), sorted(
        set(projects) ^ set(PROJECT_LIST_ENDPOINTS))
    people = endpoints_of(app, lambda rule: rule.endpoint.startswith("people.")
                          or rule.rule.startswith("/personer"))
    assert set(people) == set(PEOPLE_ENDPOINTS), sorted(set(people) ^ set(PEOPLE_ENDPOINTS))
    for table, found in ((PROJECT_LIST_ENDPOINTS, projects), (PEOPLE_ENDPOINTS, people)):
        for endpoint, rights in table.items():
            assert found[endpoint] == set(rights), endpoint


# ---- the world: one project, two participating organisations -----------------------------


@dataclass
class World:
    code: str
    org_a: int
    org_b: int
    work_group: int
    target_role: int
    target_member: int
    local_task: int
    regional_task: int
    person_in_project: int
    person_without_roles: int
    person_elsewhere: int
    own_person: dict[str, int]
    milestones: dict[str, int]  # the PROGRESS_VARIANTS, "edited", "doomed" and "trashed"
    checkpoint: int
    doomed_checkpoint: int
    decision: int
    meeting: int
    agenda_item: int
    indicator: int
    doomed_target: int
    import_payload: str  # a checked import of one row for org_a, as the preview signs it
    risk: int
    doomed_measure: int
    reports: dict[str, int]  # the published reports of PUBLISHED_PERIOD by REPORT_VARIANTS
    line: int  # a shared budget line of 2013 with an actual cost in May ...
    doomed_actual: int  # ... and one in April, deleted
    doomed_line: int
    key: int  # an equal-shares key
    doomed_key: int
    cost: int  # a shared cost of 2013, split by the key
    doomed_cost: int
    actuals_payload: str  # a checked import of one actual cost, as the preview signs it


ACTORS = ["admin", "leader", "deputy", "owner_a", "steering", "lead_a", "benefit_a", "work",
          "project_group", "no_role", "anonymous"]


@pytest.fixture
def world(app, make_org, make_project, make_user, give_role, add_to_group) -> World:
    org_a = make_org(name="Sogndal kommune")
    org_b = make_org(name="Luster kommune")
    project = make_project(code="MATRISE", owners=[org_a], participants=[org_a, org_b])
    elsewhere = make_project(code="ANNET", owners=[org_b])

    users = {
        "admin": make_user(username="admin", is_admin=True),
        "leader": make_user(username="leader", can_create_projects=True),
    }
    for name in ACTORS[2:-1]:
        users[name] = make_user(username=name.replace("_", "-"))
    give_role(users["leader"], project, ProjectRoleKind.PROJECT_LEADER)
    give_role(users["deputy"], project, ProjectRoleKind.DEPUTY_LEADER)
    give_role(users["owner_a"], project, ProjectRoleKind.PROJECT_OWNER, organisation=org_a)
    give_role(users["lead_a"], project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=org_a)
    give_role(users["benefit_a"], project, ProjectRoleKind.BENEFIT_OWNER, organisation=org_a)
    add_to_group(users["steering"], project, GroupKind.STEERING_GROUP)
    add_to_group(users["project_group"], project, GroupKind.PROJECT_GROUP)
    add_to_group(users["work"], project, GroupKind.WORK_GROUP, name="Leverandøraktivering")

    with app.app_context():
        stored = db.session.get(Project, project.id)
        target = service.create_person(db.session, None, service.PersonInput(
            full_name="Arne Vik", organisation_id=org_a.id))
        loose = service.create_person(db.session, None, service.PersonInput(
            full_name="Eva Ekstern"))
        hidden = service.create_person(db.session, None, service.PersonInput(
            full_name="Siri Fosse"))
        db.session.flush()
        target_role = service.assign_role(db.session, None, project=stored, person=target,
                                          role=ProjectRoleKind.BENEFIT_RESPONSIBLE,
                                          valid_from=date(2013, 4, 12))
        work_group = db.session.scalar(select(ProjectGroup).where(
            ProjectGroup.project_id == project.id, ProjectGroup.kind == GroupKind.WORK_GROUP))
        target_member = service.add_member(db.session, None, group=work_group, person=target,
                                           role=MemberRole.MEMBER, valid_from=date(2013, 4, 12))
        service.assign_role(db.session, None, project=db.session.get(Project, elsewhere.id),
                            person=hidden, role=ProjectRoleKind.PROJECT_LEADER,
                            valid_from=date(2013, 1, 1))
        local = service.add_task(db.session, None, project=stored, level=TaskLevel.LOCAL,
                                 text="Lokal innkjøpsressurs")
        regional = service.add_task(db.session, None, project=stored, level=TaskLevel.REGIONAL,
                                    text="Felles nettside")
        milestones = _plan(stored, {
            "own": {"organisation_id": org_a.id},
            "other": {"organisation_id": org_b.id},
            "group": {"group_id": work_group.id},
            "responsible": {"responsible_person_id": service.person_for_user(
                db.session, db.session.get(User, users["project_group"].id)).id},
            "edited": {}, "doomed": {}, "trashed": {},
        })
        plan.delete_milestone(db.session, None, db.session.get(Milestone, milestones["trashed"]))
        items = db.session.scalars(select(Checkpoint.id).where(
            Checkpoint.project_id == project.id, Checkpoint.phase == Phase.PLANNING)
            .order_by(Checkpoint.position)).all()
        meeting = decision_service.create_meeting(db.session, None, stored,
                                                  decision_service.MeetingInput(
                                                      body=DecisionBody.STEERING_GROUP,
                                                      meeting_date=date(2013, 4, 22),
                                                      starts_at=None, location="", notes=""))
        item = decision_service.add_agenda_item(db.session, None, meeting,
                                                case_number="sak 1/13", title="Prosjektplan")
        decision, _ = decision_service.record_decision(
            db.session, None, stored, decision_service.DecisionInput(
                decision_point=None, title="Prosjektplan", decided_on=date(2013, 4, 22),
                body=DecisionBody.STEERING_GROUP, case_number="sak 1/13",
                outcome=DecisionOutcome.APPROVED, conditions="", text="",
                meeting_id=meeting.id), today=date(2013, 6, 3))
        indicator = benefit_service.save_indicator(
            db.session, None, stored, benefit_service.IndicatorInput(
                name="Avtalelojalitet", benefit_id=None, unit=Unit.PERCENT, unit_label="",
                direction=Direction.HIGHER, frequency=Frequency.QUARTERLY, method="",
                data_source="", measured_by_person_id=None, is_ratio=False, ratio_factor=None))
        doomed_target = benefit_service.add_target(
            db.session, None, stored, indicator, target_date=date(2015, 12, 31),
            value=Decimal(100))
        for org in (org_a, org_b):  # the values moved to the wastebasket by the matrix
            benefit_service.record_measurement(
                db.session, None, stored, benefit_service.MeasurementInput(
                    indicator, org.id, DOOMED_MEASUREMENT_PERIOD, Decimal(3), ""),
                today=date(2013, 6, 3))
        risk = risk_service.save_risk(db.session, None, stored, risk_service.RiskInput(
            kind=RiskKind.THREAT, title="Leverandørene henger etter", description="",
            cause="", consequence_text="", category=RiskCategory.OTHER, phase=None,
            probability=3, consequence=4, residual_probability=None, residual_consequence=None,
            owner_person_id=None, strategy=None, proximity=None, status=RiskStatus.IDENTIFIED,
            escalated=False), today=date(2013, 6, 3))
        doomed_measure = risk_service.save_measure(
            db.session, None, risk, risk_service.MeasureInput(
                text="Slettes", responsible_person_id=target.id, due_date=None, done_on=None),
            today=date(2013, 6, 3))
        line, doomed_line = (finance_service.save_line(
            db.session, None, stored, finance_service.LineInput(
                year=2013, kind=LineKind.COST, category=Category.SALARY,
                nature=Nature.OPERATING, name=name, amount_ore=100_000_00))[0]
            for name in ("Lønn", "Slettes"))
        finance_service.set_actual(db.session, None, stored, line, period="2013-05",
                                   amount_ore=10_000_00, note="", today=date(2013, 6, 3))
        doomed_actual = finance_service.set_actual(
            db.session, None, stored, line, period="2013-04", amount_ore=5_000_00, note="",
            today=date(2013, 6, 3))
        key, doomed_key = (finance_service.save_key(
            db.session, None, stored, finance_service.KeyInput(name=name, method=KeyMethod.EQUAL))
            for name in ("Like deler", "Slettes"))
        cost, doomed_cost = (finance_service.save_shared_cost(
            db.session, None, stored, finance_service.SharedCostInput(
                year=2013, name=name, amount_kroner=700_000, key_id=key.id))
            for name in ("Koordinator", "Slettes"))
        actuals_payload = URLSafeSerializer(
            app.config["SECRET_KEY"], salt="actual-cost-import").dumps(
            {"project": project.id, "rows": [
                {"linje": "Lønn", "periode": "2013-03", "beløp": "1 000", "kommentar": ""}]})
        published = {
            variant: StatusReport(project_id=project.id, period=PUBLISHED_PERIOD,
                                  organisation_id=org, version=1,
                                  status=ReportStatus.PUBLISHED, overall=Light.GREEN,
                                  snapshot={"milestones": [], "top_risks": [], "benefits": []})
            for variant, org in (("own", org_a.id), ("other", org_b.id), ("project", None))}
        db.session.add_all(published.values())
        db.session.commit()
        payload = URLSafeSerializer(app.config["SECRET_KEY"], salt="measurement-import").dumps(
            {"project": project.id, "rows": [
                {"indikator": "Avtalelojalitet", "organisasjon": "Sogndal kommune",
                 "periode": "2013-Q2", "verdi": "7", "kommentar": "Importert"}]})
        own_person = {
            name: db.session.scalar(select(Person.id).where(Person.user_id == user.id))
            for name, user in users.items()
        }
        return World(
            code=project.code, org_a=org_a.id, org_b=org_b.id, work_group=work_group.id,
            target_role=target_role.id, target_member=target_member.id,
            local_task=local.id, regional_task=regional.id,
            person_in_project=target.id, person_without_roles=loose.id,
            person_elsewhere=hidden.id, own_person=own_person, milestones=milestones,
            checkpoint=items[0], doomed_checkpoint=items[1], decision=decision.id,
            meeting=meeting.id, agenda_item=item.id, indicator=indicator.id,
            doomed_target=doomed_target.id, import_payload=payload, risk=risk.id,
            doomed_measure=doomed_measure.id,
            reports={variant: report.id for variant, report in published.items()},
            line=line.id, doomed_actual=doomed_actual.id, doomed_line=doomed_line.id,
            key=key.id, doomed_key=doomed_key.id, cost=cost.id, doomed_cost=doomed_cost.id,
            actuals_payload=actuals_payload,
        )


def _plan(project, links: dict[str, dict]) -> dict[str, int]:
    """One milestone for each key, linked as given; all due 01.09.2013."""
    made = {}
    for key, link in links.items():
        data = plan.MilestoneInput(
            title=f"Milepæl {key}", description="", responsible_person_id=None,
            organisation_id=None, group_id=None, decision_point=None,
            baseline_date=date(2013, 9, 1), forecast_date=None, actual_date=None, comment="")
        for name, value in link.items():
            setattr(data, name, value)
        [milestone] = plan.create_milestone(db.session, None, project, data,
                                            today=date(2013, 6, 3))
        made[key] = milestone.id
    db.session.flush()
    return made


def signed_in(make_client, actor: str):
    browser = make_client()
    if actor != "anonymous":
        assert browser.login(actor.replace("_", "-")).status_code == 303
    return browser


# ---- what each actor may do --------------------------------------------------------------

LEADERS = {"admin", "leader", "deputy"}
READERS = {"owner_a", "steering", "lead_a", "benefit_a", "work", "project_group"}
KEEPS_ORG_A = {"lead_a", "benefit_a"}
DECIDERS = {"owner_a", "steering"}
# Who besides the leaders updates each milestone's progress.
REPORTS = {"own": KEEPS_ORG_A, "other": set(), "group": {"work"},
           "responsible": {"project_group"}}


def expected_in_project(actor: str, right: str, variant: str | None) -> str:
    """'sign in', 'hidden' (404), 'forbidden' (403) or 'allowed'."""
    if actor == "anonymous":
        return "sign in"
    if right == ADMIN_ONLY:
        return "allowed" if actor == "admin" else "forbidden"
    if actor == "no_role":
        return "hidden"
    assert actor in LEADERS | READERS
    if right == VIEW or actor in LEADERS:
        return "allowed"
    if right == ORG_DATA and actor in KEEPS_ORG_A and variant == "own":
        return "allowed"
    if right == DECIDE and actor in DECIDERS:
        return "allowed"
    if right == PROGRESS and actor in REPORTS[variant]:
        return "allowed"
    if right == REPORTING and actor in KEEPS_ORG_A:
        return "allowed"
    if right == TRASH and actor in KEEPS_ORG_A | DECIDERS:
        return "allowed"
    return "forbidden"


def outcome_matches(expected: str, method: str, response) -> bool:
    status = response.status_code
    if expected == "sign in":  # htmx is told where to go instead of being redirected
        if status == 401:
            return response.headers.get("HX-Redirect", "").startswith("/logg-inn")
        return status == 302 and response.headers["Location"].startswith("/logg-inn")
    if expected == "hidden":
        return status == 404
    if expected == "forbidden":
        return status == 403
    if method == "GET":
        return status == 200
    # Allowed: saved (303, or 200 with a fragment) or refused input (422); never 4xx/5xx else.
    return status in (200, 303, 422)


def project_cases(world: World):
    """(endpoint, method, right, variant, url arguments, form data)."""
    for endpoint in sorted(PROJECT_ENDPOINTS):
        for method, right in sorted(PROJECT_ENDPOINTS[endpoint].items()):
            args = {"code": world.code}
            data: dict = {}
            variants: list[tuple[str | None, dict]] = [(None, {})]
            if endpoint in ("plan.milestone_detail", "plan.milestone_row"):
                args["milestone_id"] = world.milestones["own"]
            if endpoint == "plan.edit_milestone":
                args["milestone_id"] = world.milestones["edited"]
            if endpoint == "plan.delete_milestone":
                args["milestone_id"] = world.milestones["doomed"]
            if endpoint == "plan.report_progress":
                variants = [(key, {"milestone_id": world.milestones[key]})
                            for key in PROGRESS_VARIANTS]
            if endpoint == "decisions.phase_checkpoint":
                args["checkpoint_id"] = world.checkpoint
            if endpoint == "decisions.phase_checkpoint_delete":
                args["checkpoint_id"] = world.doomed_checkpoint
            if endpoint == "decisions.correct":
                args["decision_id"] = world.decision
            if endpoint.startswith("decisions.meeting_") and endpoint != "decisions.meeting_create":
                args["meeting_id"] = world.meeting
            if endpoint == "decisions.meeting_item_delete":
                args["item_id"] = world.agenda_item
            if endpoint == "decisions.calendar_settings" and method == "POST":
                data = {"action": "create"}
            if endpoint == "organisation.end_role":
                args["role_id"] = world.target_role
            if endpoint == "organisation.end_member":
                args["member_id"] = world.target_member
            if endpoint == "organisation.edit_group":
                args["group_id"] = world.work_group
            if endpoint == "organisation.delete_task":
                args["task_id"] = world.regional_task
            if endpoint == "organisation.responsibilities" and method == "POST":
                data = {"role_key": "steering_group", "steering_group-lines": "Ny linje"}
            if endpoint == "organisation.set_local_task":
                args["task_id"] = world.local_task
                task = world.local_task
                data = {f"t{task}-status": "done", f"t{task}-responsible": "",
                        f"t{task}-comment": "", f"t{task}-version_id": "0"}
            if endpoint in ("benefits.indicator", "benefits.indicator_baseline",
                            "benefits.indicator_target", "benefits.indicator_target_delete",
                            "benefits.entry_row"):
                args["indicator_id"] = world.indicator
            if endpoint == "benefits.indicator_target":
                data = {"value": "50", "target_date": "2014-12-31"}
            if endpoint == "benefits.indicator_target_delete":
                args["target_id"] = world.doomed_target
            if endpoint == "benefits.entry_row":
                args["period"] = "2013-Q1"
                prefix = f"i{world.indicator}-"
                data = {prefix + "value": "12", prefix + "comment": "Oppdatert",
                        prefix + "version_id": "0"}
            if endpoint == "benefits.entry_row_delete":
                args.update(indicator_id=world.indicator, period=DOOMED_MEASUREMENT_PERIOD)
            if endpoint == "retention.restore":
                args.update(kind="milepael", object_id=world.milestones["trashed"])
            if endpoint == "benefits.import_confirm":
                data = {"payload": world.import_payload}
            if endpoint in ("risks.detail", "risks.measure", "risks.measure_delete"):
                args["risk_id"] = world.risk  # risks.edit without one: /ny, a new risk
            if endpoint == "risks.edit" and method == "POST":
                data = {"kind": "threat", "title": "Ny i matrisen", "category": "other",
                        "phase": "", "probability": "2", "consequence": "2",
                        "residual_probability": "", "residual_consequence": "",
                        "owner_person_id": "", "strategy": "", "proximity": "",
                        "status": "identified", "version_id": ""}
            if endpoint == "risks.measure":
                data = {"ny-text": "Tiltak i matrisen",
                        "ny-responsible_person_id": str(world.person_in_project)}
            if endpoint == "risks.measure_delete":
                args["measure_id"] = world.doomed_measure
            if endpoint == "risks.thresholds":
                data = {"risk_yellow_from": "6", "risk_red_from": "15"}
            if endpoint == "reporting.tolerances":
                data = {"reporting_frequency": "monthly", "time_tolerance_days": "21",
                        "cost_tolerance_percent": "5", "benefit_tolerance_percent": "15",
                        "version_id": "1"}
            if endpoint == "reporting.period":
                args["period_code"] = PUBLISHED_PERIOD
            if endpoint == "reporting.read":
                args["report_id"] = world.reports["other"]
            if endpoint == "reporting.write":
                args["period_code"] = WRITE_PERIOD
                who = {"own": world.org_a, "other": world.org_b, "project": "prosjekt"}
                variants = [(key, {"who": who[key]}) for key in REPORT_VARIANTS]
                if method == "POST":
                    data = {**{light: "" for light in ("overall", "schedule", "cost",
                                                        "quality", "risk", "benefits")},
                            "done_this_period": "Skrevet i matrisen", "version_id": "0",
                            "action": "save"}
            if endpoint == "reporting.correct":
                variants = [(key, {"report_id": world.reports[key]}) for key in REPORT_VARIANTS]
            if endpoint in ("finance.line", "finance.actual_add", "finance.actual_delete",
                            "finance.forecast"):
                args["line_id"] = world.line
            if endpoint == "finance.actual_add":
                data = {"period": "2013-06", "amount_ore": "1 000", "note": "I matrisen"}
            if endpoint == "finance.actual_delete":
                args["actual_id"] = world.doomed_actual
            if endpoint == "finance.forecast":
                data = {"forecast_ore": "120 000", "version_id": "1"}
            if endpoint == "finance.line_delete":
                args["line_id"] = world.doomed_line
            if endpoint == "finance.line_form" and method == "POST":
                data = {"year": "2013", "kind": "cost", "category": "misc",
                        "nature": "operating", "name": "Ny i matrisen", "amount_ore": "500",
                        "organisation": "", "note": ""}
            if endpoint == "finance.import_confirm":
                data = {"payload": world.actuals_payload}
            if endpoint == "finance.key_form" and method == "POST":
                data = {"name": "Folketall i matrisen", "method": "population"}
            if endpoint == "finance.key_delete":
                args["key_id"] = world.doomed_key
            if endpoint == "finance.cost_form" and method == "POST":
                data = {"year": "2013", "name": "Ny i matrisen", "amount_kroner": "1 000",
                        "key_id": "", "note": ""}
            if endpoint == "finance.cost_delete":
                args["cost_id"] = world.doomed_cost
            if endpoint == "finance.choose_key":
                args["cost_id"] = world.cost
                data = {f"c{world.cost}-key_id": str(world.key),
                        f"c{world.cost}-version_id": "1"}
            if endpoint == "finance.settlement_export":
                args.update(year=2013, fmt="xlsx")
            if endpoint == "dashboards.panel":
                args["panel"] = "risiko"
            if endpoint == "pack.workbook":
                args["name"] = "risiko"
            if endpoint in ORGANISATION_VARIANTS:
                variants = [("own", {"organisation_id": world.org_a}),
                            ("other", {"organisation_id": world.org_b})]
            if endpoint == "benefits.indicator_baseline":
                # The organisation is chosen in the form, not in the address.
                variants = [(key, {}) for key, _ in variants]
            for variant, extra in variants:
                if endpoint == "benefits.indicator_baseline":
                    org = world.org_a if variant == "own" else world.org_b
                    data = {"organisation_id": str(org), "value": "5",
                            "measured_on": "2013-01-01"}
                if endpoint == "plan.report_progress" and method == "POST":
                    prefix = f"m{extra['milestone_id']}-"
                    data = {prefix + "forecast_date": "2013-12-01", prefix + "actual_date": "",
                            prefix + "comment": "Oppdatert", prefix + "version_id": "1"}
                yield endpoint, method, right, variant, {**args, **extra}, data


def build_url(app, endpoint: str, args: dict) -> str:
    """The address of the endpoint's rule that takes these arguments (an endpoint may have
    two: /mal/nytt and /mal/<goal_id>)."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    missing = min((set(r.arguments) - set(args) for r in rules), key=len)
    assert not missing, f"{endpoint}: no value for {missing}: give it one in project_cases"
    with app.test_request_context():
        return url_for(endpoint, **args)


def request(browser, method: str, url: str, data: dict, endpoint: str | None = None):
    if endpoint in HTMX_ONLY:
        return browser.htmx(method, url, data or None)
    if method == "GET":
        return browser.get(url)
    return browser.post(url, data)


CREATORS = {"admin", "leader"}  # the leader's account may create projects


def expected_in_project_list(actor: str, right: str) -> str:
    if actor == "anonymous":
        return "sign in"
    return "allowed" if right == SIGNED_IN or actor in CREATORS else "forbidden"


@pytest.mark.parametrize("actor", ACTORS)
def test_project_endpoints(app, world, make_client, actor):
    browser = signed_in(make_client, actor)
    wrong = []
    checked = 0
    for endpoint, method, right, variant, args, data in project_cases(world):
        url = build_url(app, endpoint, args)
        response = request(browser, method, url, data, endpoint)
        expected = expected_in_project(actor, right, variant)
        checked += 1
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        if not outcome_matches(expected, method, response):
            wrong.append(f"{method} {url} ({endpoint}, needs {right}"
                         f"{', ' + variant if variant else ''}): "
                         f"expected {expected}, got {response.status_code}")
    # + the other organisation's local task, baseline and measurement; + the other milestones'
    # progress, read and saved; + the other organisation's and the project's status report,
    # written (read and saved) and corrected
    assert checked == (sum(len(m) for m in PROJECT_ENDPOINTS.values())
                       + len(ORGANISATION_VARIANTS) + 2 * (len(PROGRESS_VARIANTS) - 1)
                       + 3 * (len(REPORT_VARIANTS) - 1))

    # The project list and creating projects: not about one project.
    for endpoint, rights in sorted(PROJECT_LIST_ENDPOINTS.items()):
        for method, right in sorted(rights.items()):
            url = build_url(app, endpoint, {})
            response = request(browser, method, url, {})
            expected = expected_in_project_list(actor, right)
            if not outcome_matches(expected, method, response):
                wrong.append(f"{method} {url} ({endpoint}, needs {right}): "
                             f"expected {expected}, got {response.status_code}")
    assert wrong == [], "\n".join(wrong)

    # What was let through was saved; what was refused left nothing behind.
    with app.app_context():
        saved = set(db.session.scalars(select(LocalTask.organisation_id)))
    may_keep = {
        **{name: {world.org_a, world.org_b} for name in LEADERS},
        **{name: {world.org_a} for name in KEEPS_ORG_A},
    }
    assert saved == may_keep.get(actor, set())
    with app.app_context():
        updated = set(db.session.scalars(select(Milestone.id).where(
            Milestone.comment == "Oppdatert")))
        remaining = {
            "milestone": db.session.get(Milestone, world.milestones["doomed"]) is not None,
            "checkpoint": db.session.get(Checkpoint, world.doomed_checkpoint) is not None,
            "agenda item": db.session.get(AgendaItem, world.agenda_item) is not None,
            "restored": db.session.get(Milestone, world.milestones["trashed"]) is not None,
        }
        decisions = db.session.scalar(select(func.count()).select_from(Decision))
        meetings = db.session.scalar(select(func.count()).select_from(Meeting))
        tokens = db.session.scalar(select(func.count()).select_from(CalendarToken))
    reporters = {key for key in PROGRESS_VARIANTS
                 if actor in LEADERS or actor in REPORTS[key]}
    assert updated == {world.milestones[key] for key in reporters}
    assert remaining == {"milestone": actor not in LEADERS, "checkpoint": actor not in LEADERS,
                         "agenda item": actor not in LEADERS | DECIDERS,
                         "restored": actor in LEADERS}
    assert (decisions, meetings) == (1, 1)  # the empty forms saved nothing
    assert tokens == (1 if actor in LEADERS | READERS else 0)

    # The benefits plan: an organisation's baseline and measurements as for local tasks; the
    # import (one row for org_a) by whoever reports; the empty forms saved nothing.
    with app.app_context():
        baselines = set(db.session.scalars(select(Baseline.organisation_id)))
        entered = set(db.session.execute(
            select(Measurement.organisation_id, Measurement.period, Measurement.comment)))
        target_dates = set(db.session.scalars(select(Target.target_date)))
        plan_counts = [db.session.scalar(select(func.count()).select_from(model))
                       for model in (Goal, Benefit, Indicator, PlanApproval)]
    assert baselines == may_keep.get(actor, set())
    assert entered == ({(org, "2013-Q1", "Oppdatert") for org in may_keep.get(actor, set())}
                       | ({(world.org_a, "2013-Q2", "Importert")}
                          if actor in LEADERS | KEEPS_ORG_A else set())
                       # The values to delete are left (the others went to the wastebasket).
                       | {(org, DOOMED_MEASUREMENT_PERIOD, "")
                          for org in {world.org_a, world.org_b} - may_keep.get(actor, set())})
    assert target_dates == ({date(2014, 12, 31)} if actor in LEADERS else {date(2015, 12, 31)})
    assert plan_counts == [0, 0, 1, 0]

    # The risk register is kept by the leaders only.
    with app.app_context():
        new_risks = db.session.scalar(select(func.count()).select_from(Risk).where(
            Risk.title == "Ny i matrisen"))
        new_measures = db.session.scalar(select(func.count()).select_from(RiskMeasure).where(
            RiskMeasure.text == "Tiltak i matrisen"))
        doomed = db.session.get(RiskMeasure, world.doomed_measure) is not None
        project = db.session.scalar(select(Project).where(Project.code == world.code))
        thresholds = (project.risk_yellow_from, project.risk_red_from)
        time_tolerance = project.time_tolerance_days
    leader = actor in LEADERS
    assert (new_risks, new_measures, doomed) == (int(leader), int(leader), not leader)
    assert thresholds == ((6, 15) if leader else (5, 12))
    assert time_tolerance == (21 if leader else 14)

    # Status reports: the leaders write and correct every report; an organisation's lead or
    # benefit owner only their own organisation's.
    with app.app_context():
        written = set(db.session.scalars(select(StatusReport.organisation_id).where(
            StatusReport.period == WRITE_PERIOD,
            StatusReport.done_this_period == "Skrevet i matrisen")))
        corrected = set(db.session.scalars(select(StatusReport.organisation_id).where(
            StatusReport.period == PUBLISHED_PERIOD, StatusReport.version == 2)))
        kept = db.session.scalar(select(func.count()).select_from(StatusReport).where(
            StatusReport.period == PUBLISHED_PERIOD, StatusReport.version == 1,
            StatusReport.status == ReportStatus.PUBLISHED))
    may_write = ({world.org_a, world.org_b, None} if leader
                 else {world.org_a} if actor in KEEPS_ORG_A else set())
    assert written == may_write
    assert corrected == may_write
    assert kept == 3  # a correction keeps the published version


# ---- the JSON API, with each actor's own token -------------------------------------------

# The API's project addresses need the same rights as the pages; its token pages are each
# user's own (a token acts with exactly its user's rights). No token: 401.
TOKEN = "any valid token"
API_ENDPOINTS: dict[str, dict[str, str]] = {
    "api.openapi_document": {"GET": "public"},
    "api.projects": {"GET": TOKEN},
    "api.project": {"GET": VIEW},
    "api.milestones": {"GET": VIEW},
    "api.indicators": {"GET": VIEW},
    "api.measurements": {"GET": VIEW, "POST": ORG_DATA},
    "api.risks": {"GET": VIEW},
    "api.status": {"GET": VIEW},
}
TOKEN_PAGES = {"api_tokens.tokens": {"GET", "POST"}, "api_tokens.revoke": {"POST"}}


def test_every_api_endpoint_is_classified(app):
    found = endpoints_of(app, lambda rule: rule.rule.startswith("/api/"))
    assert {e: set(m) for e, m in found.items()} == {
        e: set(m) for e, m in API_ENDPOINTS.items()}
    tokens = endpoints_of(app, lambda rule: rule.endpoint.startswith("api_tokens."))
    assert tokens == TOKEN_PAGES


def _api_token(app, actor: str) -> dict[str, str]:
    from governance.api import service as api_service

    if actor == "anonymous":
        return {}
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == actor.replace("_", "-")))
        _token, secret = api_service.create_token(db.session, user, user, name="Matrise",
                                                  expires_on=None, today=date(2013, 6, 3))
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("actor", ACTORS)
def test_api_endpoints(app, world, actor):
    headers = _api_token(app, actor)
    api = app.test_client()  # no cookies: the token is the only credential
    wrong = []
    for endpoint, rights in sorted(API_ENDPOINTS.items()):
        for method, right in rights.items():
            [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
            args = {name: value for name, value in (("code", world.code),
                                                    ("indicator_id", world.indicator))
                    if name in rule.arguments}
            variants: list[tuple[str | None, int | None]] = [(None, None)]
            if right == ORG_DATA:
                variants = [("own", world.org_a), ("other", world.org_b)]
            for variant, org in variants:
                url = build_url(app, endpoint, args)
                if method == "GET":
                    response = api.get(url, headers=headers)
                else:
                    response = api.post(url, headers=headers, json={
                        "organisation_id": org, "period": "2013-Q1", "value": 12,
                        "comment": "Fra API-et"})
                status = response.status_code
                assert status < 500 and response.is_json, f"{method} {url}: {status}"
                if right == "public":
                    expected = {200}
                elif actor == "anonymous":
                    expected = {401}
                elif right == TOKEN:
                    expected = {200}
                else:
                    outcome = expected_in_project(actor, right, variant)
                    expected = {"hidden": {404}, "forbidden": {403},
                                "allowed": {200, 201}}[outcome]
                if status not in expected:
                    wrong.append(f"{method} {url} ({endpoint}, {variant or '-'}): expected "
                                 f"{sorted(expected)}, got {status}")
    assert wrong == [], "\n".join(wrong)
    with app.app_context():
        entered = set(db.session.scalars(select(Measurement.organisation_id).where(
            Measurement.comment == "Fra API-et")))
    may_keep = ({world.org_a, world.org_b} if actor in LEADERS
                else {world.org_a} if actor in KEEPS_ORG_A else set())
    assert entered == may_keep


@pytest.mark.parametrize("actor", ["anonymous", "no_role"])
def test_token_pages_are_for_signed_in_users(app, world, make_client, actor):
    browser = signed_in(make_client, actor)
    page = browser.get("/konto/api-nokler/")
    assert outcome_matches("sign in" if actor == "anonymous" else "allowed", "GET", page)


# ---- people ------------------------------------------------------------------------------

PEOPLE_ACTORS = ["admin", "leader", "steering", "lead_a", "no_role", "anonymous"]
MANAGERS = {"admin", "leader"}


def person_variants(world: World, actor: str) -> dict[str, int]:
    variants = {
        "in the project": world.person_in_project,
        "without roles": world.person_without_roles,
        "only elsewhere": world.person_elsewhere,
    }
    if actor in world.own_person:
        variants["themselves"] = world.own_person[actor]
    return variants


def expected_for_person(actor: str, right: str, variant: str | None) -> str:
    if actor == "anonymous":
        return "sign in"
    manager = actor in MANAGERS
    if right == MANAGE_PEOPLE:
        return "allowed" if manager else "forbidden"
    if actor == "admin":
        return "allowed"
    sees = (
        variant == "themselves"
        or (variant == "in the project" and actor != "no_role")
        or (variant == "without roles" and manager)
    )
    if not sees:
        return "hidden"
    if right == EDIT_PERSON and variant != "themselves" and not manager:
        return "forbidden"
    return "allowed"


@pytest.mark.parametrize("actor", PEOPLE_ACTORS)
def test_people_endpoints(app, world, make_client, actor):
    browser = signed_in(make_client, actor)
    wrong = []
    for endpoint in sorted(PEOPLE_ENDPOINTS):
        for method, right in sorted(PEOPLE_ENDPOINTS[endpoint].items()):
            rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
            if "person_id" in rule.arguments:
                cases = [(v, {"person_id": pid})
                         for v, pid in person_variants(world, actor).items()]
            else:
                cases = [(None, {})]
            for variant, args in cases:
                url = build_url(app, endpoint, args)
                response = request(browser, method, url, {})
                assert response.status_code < 500, f"{method} {url}: {response.status_code}"
                expected = expected_for_person(actor, right, variant)
                if not outcome_matches(expected, method, response):
                    wrong.append(f"{method} {url} ({endpoint}, {variant or '-'}): "
                                 f"expected {expected}, got {response.status_code}")
    assert wrong == [], "\n".join(wrong)


# ---- objects of another project ----------------------------------------------------------


def test_objects_of_another_project_are_404_even_for_its_leader(app, world, make_client,
                                                                make_project, make_org,
                                                                add_to_group, make_user):
    """Ids that belong to another project answer 404 under this project's code."""
    other = make_project(code="FREMMED")
    stranger = make_user(username="fremmed")
    member = add_to_group(stranger, other, GroupKind.WORK_GROUP, name="Fremmed gruppe")
    with app.app_context():
        stored = db.session.get(Project, other.id)
        role = service.assign_role(db.session, None, project=stored,
                                   person=db.session.get(Person, member.person_id),
                                   role=ProjectRoleKind.PROJECT_LEADER,
                                   valid_from=date(2013, 1, 1))
        task = service.add_task(db.session, None, project=stored, level=TaskLevel.LOCAL,
                                text="Fremmed oppgave")
        db.session.commit()
        role_id, task_id = role.id, task.id
    leader = signed_in(make_client, "leader")
    base = f"/prosjekter/{world.code}"
    assert leader.get(f"{base}/grupper/{member.group_id}").status_code == 404
    assert leader.post(f"{base}/grupper/{member.group_id}", {"name": "Kapret"}).status_code == 404
    assert leader.post(f"{base}/roller/{role_id}/avslutt", {}).status_code == 404
    assert leader.post(f"{base}/medlemmer/{member.id}/avslutt", {}).status_code == 404
    assert leader.post(f"{base}/oppgaver/{task_id}/slett").status_code == 404
    assert leader.post(f"{base}/oppgaver/{task_id}/organisasjoner/{world.org_a}",
                       {f"t{task_id}-status": "done",
                        f"t{task_id}-version_id": "0"}).status_code == 404
    with app.app_context():
        assert db.session.get(ProjectRole, role_id).valid_to is None
        assert db.session.get(ProjectTask, task_id) is not None
        assert db.session.scalar(select(LocalTask.id)) is None


def test_plan_objects_of_another_project_are_404(app, world, make_client, make_project):
    """Milestones, checkpoints, decisions, meetings and agenda items of another project
    answer 404 under this project's code, and stay as they were."""
    other = make_project(code="FREMMED")
    with app.app_context():
        stored = db.session.get(Project, other.id)
        ids = _plan(stored, {"milestone": {}})
        checkpoint = db.session.scalar(select(Checkpoint.id).where(
            Checkpoint.project_id == other.id))
        meeting = decision_service.create_meeting(db.session, None, stored,
                                                  decision_service.MeetingInput(
                                                      body=DecisionBody.OWNER,
                                                      meeting_date=date(2013, 5, 1),
                                                      starts_at=None, location="Borte",
                                                      notes=""))
        item = decision_service.add_agenda_item(db.session, None, meeting, case_number="",
                                                title="Fremmed sak")
        decision, _ = decision_service.record_decision(
            db.session, None, stored, decision_service.DecisionInput(
                decision_point=None, title="Fremmed vedtak", decided_on=date(2013, 5, 1),
                body=DecisionBody.OWNER, case_number="", outcome=DecisionOutcome.APPROVED,
                conditions="", text=""), today=date(2013, 6, 3))
        db.session.commit()
        meeting_id, item_id, decision_id = meeting.id, item.id, decision.id
    milestone = ids["milestone"]
    leader = signed_in(make_client, "leader")
    base = f"/prosjekter/{world.code}"
    progress = {f"m{milestone}-forecast_date": "2014-01-01", f"m{milestone}-comment": "Kapret",
                f"m{milestone}-version_id": "1"}
    requests = [
        ("GET", f"{base}/milepaler/{milestone}", {}),
        ("GET", f"{base}/milepaler/{milestone}/rediger", {}),
        ("POST", f"{base}/milepaler/{milestone}/rediger", {"title": "Kapret"}),
        ("GET", f"{base}/milepaler/{milestone}/oppdater", {}),
        ("POST", f"{base}/milepaler/{milestone}/oppdater", progress),
        ("POST", f"{base}/milepaler/{milestone}/slett", {}),
        ("POST", f"{base}/faser/sjekkpunkt/{checkpoint}",
         {f"c{checkpoint}-status": "done", f"c{checkpoint}-version_id": "1"}),
        ("POST", f"{base}/faser/sjekkpunkt/{checkpoint}/slett", {}),
        ("GET", f"{base}/vedtak/{decision_id}/rett", {}),
        ("POST", f"{base}/vedtak/{decision_id}/rett", {"title": "Kapret"}),
        ("GET", f"{base}/moter/{meeting_id}", {}),
        ("GET", f"{base}/moter/{meeting_id}/rediger", {}),
        ("POST", f"{base}/moter/{meeting_id}/rediger", {"location": "Kapret"}),
        ("POST", f"{base}/moter/{meeting_id}/saker", {"title": "Kapret"}),
        ("POST", f"{base}/moter/{meeting_id}/saker/{item_id}/slett", {}),
        # This project's meeting, the other project's agenda item.
        ("POST", f"{base}/moter/{world.meeting}/saker/{item_id}/slett", {}),
    ]
    wrong = [f"{method} {url}: {status}" for method, url, data in requests
             if (status := request(leader, method, url, data).status_code) != 404]
    assert wrong == []
    with app.app_context():
        kept = db.session.get(Milestone, milestone)
        assert (kept.forecast_date, kept.comment) == (date(2013, 9, 1), "")
        assert db.session.get(Checkpoint, checkpoint).status.value == "open"
        assert db.session.get(Meeting, meeting_id).location == "Borte"
        assert db.session.get(AgendaItem, item_id) is not None
        assert db.session.scalar(select(func.count()).select_from(Decision).where(
            Decision.project_id == other.id)) == 1


def test_benefit_objects_of_another_project_are_404(app, world, make_client, make_project):
    """Goals, benefits, indicators and targets of another project answer 404 under this
    project's code, and stay as they were."""
    other = make_project(code="FREMMED")
    with app.app_context():
        stored = db.session.get(Project, other.id)
        goal = benefit_service.save_goal(db.session, None, stored, benefit_service.GoalInput(
            level=GoalLevel.SOCIETAL, title="Fremmed mål", success_criteria="",
            parent_id=None))
        benefit = benefit_service.save_benefit(
            db.session, None, stored, benefit_service.BenefitInput(
                title="Fremmed gevinst", description="", kind=BenefitKind.QUALITATIVE,
                goal_id=None, amount_ore=None, person_years=None, responsible_person_id=None,
                expected_from=None, realisation=None, realisation_note="", owners={}))
        indicator = benefit_service.save_indicator(
            db.session, None, stored, benefit_service.IndicatorInput(
                name="Fremmed indikator", benefit_id=None, unit=Unit.COUNT, unit_label="",
                direction=Direction.HIGHER, frequency=Frequency.YEARLY, method="",
                data_source="", measured_by_person_id=None, is_ratio=False, ratio_factor=None))
        target = benefit_service.add_target(db.session, None, stored, indicator,
                                            target_date=date(2014, 1, 1), value=Decimal(5))
        db.session.commit()
        ids = (goal.id, benefit.id, indicator.id, target.id)
    goal_id, benefit_id, indicator_id, target_id = ids
    leader = signed_in(make_client, "leader")
    base = f"/prosjekter/{world.code}/gevinster"
    requests = [
        ("GET", f"{base}/mal/{goal_id}", {}),
        ("POST", f"{base}/mal/{goal_id}", {"level": "societal", "title": "Kapret"}),
        ("GET", f"{base}/gevinst/{benefit_id}", {}),
        ("POST", f"{base}/gevinst/{benefit_id}", {"title": "Kapret", "kind": "qualitative"}),
        ("GET", f"{base}/indikatorer/{indicator_id}", {}),
        ("GET", f"{base}/indikatorer/{indicator_id}/rediger", {}),
        ("POST", f"{base}/indikatorer/{indicator_id}/rediger", {"name": "Kapret"}),
        ("POST", f"{base}/indikatorer/{indicator_id}/nullpunkt",
         {"organisation_id": str(world.org_a), "value": "1", "measured_on": "2013-01-01"}),
        ("POST", f"{base}/indikatorer/{indicator_id}/mal",
         {"value": "9", "target_date": "2015-01-01"}),
        ("POST", f"{base}/indikatorer/{indicator_id}/mal/{target_id}/slett", {}),
        # This project's indicator, the other project's target.
        ("POST", f"{base}/indikatorer/{world.indicator}/mal/{target_id}/slett", {}),
        ("POST", f"{base}/registrering/{world.org_a}/2013/{indicator_id}",
         {f"i{indicator_id}-value": "1", f"i{indicator_id}-version_id": "0"}),
    ]
    wrong = [f"{method} {url}: {status}" for method, url, data in requests
             if (status := request(leader, method, url, data).status_code) != 404]
    assert wrong == []
    with app.app_context():
        assert db.session.get(Goal, goal_id).title == "Fremmed mål"
        assert db.session.get(Benefit, benefit_id).title == "Fremmed gevinst"
        assert db.session.get(Indicator, indicator_id).name == "Fremmed indikator"
        assert db.session.get(Target, target_id) is not None
        assert db.session.scalar(select(func.count()).select_from(Baseline)) == 0
        assert db.session.scalar(select(func.count()).select_from(Measurement).where(
            Measurement.project_id == other.id)) == 0


# ---- ids that cannot exist ---------------------------------------------------------------


@pytest.mark.parametrize("number", [2**31, 10**20], ids=["above-int4", "above-int8"])
def test_ids_too_large_for_the_database_are_404_not_500(app, world, make_client, number):
    """A made-up id in any URL is a page that does not exist, on SQLite and PostgreSQL."""
    admin = signed_in(make_client, "admin")
    wrong = []
    for rule in app.url_map.iter_rules():
        numbers = [name for name, converter in rule._converters.items()
                   if converter.regex == r"\d+"]
        if not numbers:
            continue
        args = {name: number for name in numbers}
        if "code" in rule.arguments:
            args["code"] = world.code
        if "period" in rule.arguments:
            args["period"] = "2013-Q1"
        if "fmt" in rule.arguments:
            args["fmt"] = "csv"
        if "kind" in rule.arguments:
            args["kind"] = "milepael"
        url = build_url(app, rule.endpoint, args)
        for method in sorted(rule_methods(rule) & METHODS):
            response = request(admin, method, url, {})
            if response.status_code != 404:
                wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


# ---- the portfolio: not about one project ------------------------------------------------

# Every signed-in user reads the portfolio and the comparison (of the projects they see); the
# municipality view of an organisation answers 404 to one who sees no project it is in.
SEES_ORGANISATION = "sees a project of the organisation"
PORTFOLIO_ENDPOINTS: dict[str, dict[str, str]] = {
    "portfolio.index": {"GET": SIGNED_IN},
    "portfolio.compare": {"GET": SIGNED_IN},
    "portfolio.municipality": {"GET": SEES_ORGANISATION},
}


def test_every_portfolio_endpoint_is_classified(app):
    found = endpoints_of(app, lambda rule: rule.endpoint.startswith("portfolio.")
                         or rule.rule.startswith("/portefolje"))
    assert {e: set(m) for e, m in found.items()} == {
        e: set(m) for e, m in PORTFOLIO_ENDPOINTS.items()}


@pytest.mark.parametrize("actor", ACTORS)
def test_portfolio_endpoints(app, world, make_client, actor):
    browser = signed_in(make_client, actor)
    wrong = []
    for endpoint, rights in sorted(PORTFOLIO_ENDPOINTS.items()):
        for method, right in rights.items():
            url = build_url(app, endpoint, {"org_id": world.org_a})
            response = request(browser, method, url, {})
            assert response.status_code < 500, f"{method} {url}: {response.status_code}"
            if actor == "anonymous":
                expected = "sign in"
            elif right == SEES_ORGANISATION and actor == "no_role":
                expected = "hidden"
            else:
                expected = "allowed"
            if not outcome_matches(expected, method, response):
                wrong.append(f"{method} {url} ({endpoint}): expected {expected}, "
                             f"got {response.status_code}")
            if expected == "allowed" and endpoint == "portfolio.index":
                shown = response.get_data(as_text=True)
                assert ("/prosjekter/ANNET" in shown) == (actor == "admin"), actor
    assert wrong == [], "\n".join(wrong)
