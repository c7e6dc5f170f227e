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

A new endpoint under ``/prosjekter/<code>/`` or ``/personer/`` fails these tests until it is
given a line in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from flask import url_for
from sqlalchemy import select

from governance.extensions import db
from governance.projects.models import Project
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
)

# ---- what each endpoint needs ------------------------------------------------------------

VIEW = "view"  # any role or membership in the project
EDIT = "edit"  # project leader, deputy, administrator
ORG_DATA = "organisation data"  # edit: or municipal lead / benefit owner of that organisation
CREATE = "create projects"  # administrator or a user allowed to create projects
SIGNED_IN = "signed in"

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
}

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
    return "<code>" in rule.rule


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
        db.session.commit()
        own_person = {
            name: db.session.scalar(select(Person.id).where(Person.user_id == user.id))
            for name, user in users.items()
        }
        return World(
            code=project.code, org_a=org_a.id, org_b=org_b.id, work_group=work_group.id,
            target_role=target_role.id, target_member=target_member.id,
            local_task=local.id, regional_task=regional.id,
            person_in_project=target.id, person_without_roles=loose.id,
            person_elsewhere=hidden.id, own_person=own_person,
        )


def signed_in(make_client, actor: str):
    browser = make_client()
    if actor != "anonymous":
        assert browser.login(actor.replace("_", "-")).status_code == 303
    return browser


# ---- what each actor may do --------------------------------------------------------------

LEADERS = {"admin", "leader", "deputy"}
READERS = {"owner_a", "steering", "lead_a", "benefit_a", "work", "project_group"}
KEEPS_ORG_A = {"lead_a", "benefit_a"}


def expected_in_project(actor: str, right: str, organisation: str | None) -> str:
    """'sign in', 'hidden' (404), 'forbidden' (403) or 'allowed'."""
    if actor == "anonymous":
        return "sign in"
    if actor == "no_role":
        return "hidden"
    assert actor in LEADERS | READERS
    if right == VIEW or actor in LEADERS:
        return "allowed"
    if right == ORG_DATA and actor in KEEPS_ORG_A and organisation == "own":
        return "allowed"
    return "forbidden"


def outcome_matches(expected: str, method: str, response) -> bool:
    status = response.status_code
    if expected == "sign in":
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
    """(endpoint, method, right, organisation variant, url arguments, form data)."""
    for endpoint in sorted(PROJECT_ENDPOINTS):
        for method, right in sorted(PROJECT_ENDPOINTS[endpoint].items()):
            args = {"code": world.code}
            data: dict = {}
            variants: list[tuple[str | None, dict]] = [(None, {})]
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
                variants = [("own", {"organisation_id": world.org_a}),
                            ("other", {"organisation_id": world.org_b})]
            for organisation, extra in variants:
                yield endpoint, method, right, organisation, {**args, **extra}, data


def build_url(app, endpoint: str, args: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    missing = set(rule.arguments) - set(args)
    assert not missing, f"{endpoint}: no value for {missing}: give it one in project_cases"
    with app.test_request_context():
        return url_for(endpoint, **args)


def request(browser, method: str, url: str, data: dict):
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
    for endpoint, method, right, organisation, args, data in project_cases(world):
        url = build_url(app, endpoint, args)
        response = request(browser, method, url, data)
        expected = expected_in_project(actor, right, organisation)
        checked += 1
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        if not outcome_matches(expected, method, response):
            wrong.append(f"{method} {url} ({endpoint}, needs {right}"
                         f"{', ' + organisation + ' organisation' if organisation else ''}): "
                         f"expected {expected}, got {response.status_code}")
    assert checked == sum(len(m) for m in PROJECT_ENDPOINTS.values()) + 1  # + other org

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
        url = build_url(app, rule.endpoint, args)
        for method in sorted(rule_methods(rule) & METHODS):
            response = request(admin, method, url, {})
            if response.status_code != 404:
                wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
