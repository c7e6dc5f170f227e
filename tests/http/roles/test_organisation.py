"""The project organisation over HTTP: the chart, roles and members with htmx,
responsibilities, the task matrix, people, and who may see and do what."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from governance import demo as demo_data
from governance.extensions import db
from governance.organisations.models import Organisation
from governance.projects.models import Project
from governance.roles import service
from governance.roles.models import (
    GroupKind,
    GroupMember,
    LocalTask,
    LocalTaskStatus,
    Person,
    ProjectGroup,
    ProjectRole,
    ProjectRoleKind,
    ProjectTask,
    Responsibility,
    TaskLevel,
    User,
)
from tests.pages import field_error, text

CODE = "EHANDEL-SOGN"
BASE = f"/prosjekter/{CODE}"


# ---- a small HTML tree, to check what is nested in what ----------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict
    parent: Node | None = None
    children: list = field(default_factory=list)  # Nodes and strings

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join("".join(parts).split())

    def elements(self, tag: str | None = None) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and tag in (None, c.tag)]

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.elements():
            if child.tag == tag:
                found.append(child)
            found.extend(child.find_all(tag))
        return found

    def by_id(self, element_id: str) -> Node | None:
        for child in self.elements():
            if child.attrs.get("id") == element_id:
                return child
            hit = child.by_id(element_id)
            if hit is not None:
                return hit
        return None


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def tree(markup: str) -> Node:
    builder = TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def heading(item: Node) -> str:
    """The text of a list item's own heading (h3), without the visually hidden parts."""
    h3 = item.elements("h3")
    assert h3, f"no heading in {item.text()[:80]!r}"
    return " ".join(c for c in h3[0].children if isinstance(c, str)).strip()


def sub_items(item: Node) -> list[Node]:
    """The items of the list nested directly in a list item."""
    lists = item.elements("ol")
    assert len(lists) == 1, f"expected one nested list in {heading(item)!r}"
    return lists[0].elements("li")






# ---- the demo: eHandel Sogn --------------------------------------------------------------


@dataclass
class Demo:
    project: int
    orgs: dict[str, int]
    people: dict[str, int]
    groups: dict[str, int]
    roles: dict[tuple[str, ProjectRoleKind], int]
    members: dict[tuple[str, str], int]


@pytest.fixture
def demo(app) -> Demo:
    with app.app_context():
        demo_data.load(db.session)
        db.session.commit()
        project = db.session.scalar(select(Project).where(Project.code == CODE))
        groups = db.session.scalars(
            select(ProjectGroup).where(ProjectGroup.project_id == project.id)).all()
        roles = db.session.scalars(
            select(ProjectRole).where(ProjectRole.project_id == project.id)).all()
        members = db.session.scalars(
            select(GroupMember).where(GroupMember.project_id == project.id)).all()
        return Demo(
            project=project.id,
            orgs={o.name: o.id for o in db.session.scalars(select(Organisation))},
            people={p.full_name: p.id for p in db.session.scalars(select(Person))},
            groups={g.name: g.id for g in groups},
            roles={(r.person.full_name, r.role): r.id for r in roles},
            members={(m.group.name, m.person.full_name): m.id for m in members},
        )


def sign_in(make_client, username: str):
    browser = make_client()
    response = browser.login(username, demo_data.DEMO_PASSWORDS[username])
    assert response.status_code == 303
    return browser


@pytest.fixture
def katrine(demo, make_client):
    """The project leader of eHandel Sogn."""
    return sign_in(make_client, "katrine")


@pytest.fixture
def ingrid(demo, make_client):
    """Project owner for Sogndal and leader of the steering group: reads, may not edit."""
    return sign_in(make_client, "ingrid")


@pytest.fixture
def per(demo, make_client):
    """Municipal lead and benefit owner for Luster; in the project group and a work group."""
    return sign_in(make_client, "per")


def count(app, model, **where) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return db.session.scalar(stmt)


# ---- the organisation chart --------------------------------------------------------------


def test_chart_of_ehandel_sogn_is_nested_lists_from_owners_to_work_groups(ingrid):
    response = ingrid.get(f"{BASE}/organisering")
    assert response.status_code == 200
    page = text(response)
    organisation = tree(page).by_id("organisation")
    assert organisation is not None
    assert organisation.find_all("img") == []  # a chart of text, not a picture
    chart = [ol for ol in organisation.find_all("ol") if "org-chart" in ol.attrs.get("class", "")]
    assert len(chart) == 1

    # Owners at the top, each owner organisation with its representative.
    (owners,) = chart[0].elements("li")
    assert heading(owners) == "Prosjekteiere"
    owner_lines = [li.text() for li in owners.elements("ul")[0].elements("li")]
    assert any(line.startswith("Sogndal kommune: Ingrid Hauge") for line in owner_lines)
    assert any(line.startswith("Leikanger kommune: Randi Lunde") for line in owner_lines)
    assert any(line.startswith("Sogn og Fjordane fylkeskommune: Arne Vik")
               for line in owner_lines)

    # Under the owners the steering group, chaired by Ingrid Hauge.
    (steering,) = sub_items(owners)
    assert heading(steering) == "Styringsgruppe"
    steering_members = steering.elements("ul")[0].text()
    assert "Ingrid Hauge – Leder, Sogndal kommune" in steering_members
    assert "Randi Lunde" in steering_members and "Arne Vik" in steering_members

    # Under the steering group the project leader, Katrine Wilson.
    (leader,) = sub_items(steering)
    assert heading(leader) == "Prosjektleder"
    assert "Katrine Wilson" in leader.elements("div")[0].text()

    # Under the project leader: the project group first, then the two work groups.
    under_leader = sub_items(leader)
    assert [heading(item) for item in under_leader] == [
        "Prosjektgruppe",
        "Arbeidsgruppe: Leverandøraktivering",
        "Arbeidsgruppe: Buyer-oppsett og opplæring",
    ]
    project_group, supplier_group, buyer_group = under_leader

    # The project group lists one municipal lead for each participating organisation.
    leads = project_group.elements("ul")[-1].elements("li")
    lead_of = {li.text().split(":")[0]: li.text().split(":", 1)[1] for li in leads}
    assert {org: names.split(",")[0].strip() for org, names in lead_of.items()} == {
        "Sogndal kommune": "Kari Bø",
        "Leikanger kommune": "Jon Ask",
        "Luster kommune": "Per Nes",
        "Lærdal kommune": "Liv Berg",
        "Årdal kommune": "Ola Dale",
        "Sogn og Fjordane fylkeskommune": "Siri Fosse",
    }
    assert all(len(li.find_all("a")) == 1 for li in leads)  # exactly one lead each

    assert "Jon Ask" in supplier_group.text() and "Liv Berg" in supplier_group.text()
    assert "Mandat:" in supplier_group.text()
    assert "Tor Hamre" in buyer_group.text() and "Per Nes" in buyer_group.text()

    # The same order in the page as it is read.
    order = ["Prosjekteiere", "Styringsgruppe", ">Prosjektleder<", "Katrine Wilson",
             "Prosjektgruppe", "Arbeidsgruppe: Leverandøraktivering",
             "Arbeidsgruppe: Buyer-oppsett og opplæring"]
    position = page.index('id="chart-heading"')
    for marker in order:
        found = page.find(marker, position)
        assert found > position, f"{marker!r} not after the one before it"
        position = found


def test_readers_see_no_edit_controls_on_the_chart(ingrid):
    page = text(ingrid.get(f"{BASE}/organisering"))
    assert "Endre organiseringen" not in page
    assert "/avslutt" not in page
    assert 'name="role-person_id"' not in page


def test_leader_sees_the_forms_to_change_the_organisation(katrine):
    page = text(katrine.get(f"{BASE}/organisering"))
    assert "Endre organiseringen" in page
    for name in ("role-person_id", "member-group_id", "group-kind"):
        assert f'name="{name}"' in page


def test_htmx_get_of_the_chart_returns_the_fragment(ingrid):
    response = ingrid.htmx("GET", f"{BASE}/organisering")
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith('<div id="organisation">')
    assert "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


# ---- adding members and roles with htmx --------------------------------------------------


def member_data(demo: Demo, **overrides) -> dict:
    data = {
        "member-group_id": demo.groups["Leverandøraktivering"],
        "member-person_id": demo.people["Kari Bø"],
        "member-organisation_id": demo.orgs["Sogndal kommune"],
        "member-role": "member",
        "member-valid_from": "",
        "member-valid_to": "",
    }
    data.update(overrides)
    return data


def role_data(demo: Demo, **overrides) -> dict:
    data = {
        "role-person_id": demo.people["Tor Hamre"],
        "role-role": "deputy_leader",
        "role-organisation_id": "",
        "role-valid_from": "",
    }
    data.update(overrides)
    return data


def work_group_item(body: str, name: str) -> Node:
    organisation = tree(body).by_id("organisation")
    for item in organisation.find_all("li"):
        if item.elements("h3") and heading(item) == f"Arbeidsgruppe: {name}":
            return item
    raise AssertionError(f"no work group {name} in the chart")


def test_adding_a_member_with_htmx_returns_the_updated_fragment(app, demo, katrine):
    before = count(app, GroupMember)
    response = katrine.htmx("POST", f"{BASE}/medlemmer", member_data(demo))
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith('<div id="organisation">')
    assert "<html" not in body
    assert response.headers["HX-Trigger"] == "roles-changed"
    assert "Kari Bø er lagt til i Leverandøraktivering." in body
    group = work_group_item(body, "Leverandøraktivering")
    assert "Kari Bø" in group.text() and "Medlem, Sogndal kommune" in group.text()
    assert count(app, GroupMember) == before + 1
    # And it stays there.
    group = work_group_item(text(katrine.get(f"{BASE}/organisering")), "Leverandøraktivering")
    assert "Kari Bø" in group.text()


def test_adding_a_role_with_htmx_shows_the_new_holder(app, demo, katrine):
    response = katrine.htmx("POST", f"{BASE}/roller", role_data(demo))
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "roles-changed"
    body = text(response)
    assert "tor hamre er lagt til som stedfortredende prosjektleder." in body.lower()
    assert re.search(r"Stedfortreder:\s*<a [^>]*>Tor Hamre</a>", body)


def test_replacing_the_project_leader_keeps_the_former_one_in_the_record(app, demo, katrine):
    response = katrine.htmx("POST", f"{BASE}/roller", role_data(
        demo, **{"role-role": "project_leader", "role-valid_from": "2014-01-01",
                 "role-replace_current": "y"}))
    assert response.status_code == 200
    body = text(response)
    leader = re.search(r'>Prosjektleder</h3>\s*<div class="holder">(.*?)</div>', body,
                       re.S).group(1)
    assert "Tor Hamre" in leader and "Katrine Wilson" not in leader
    assert "Tidligere roller (1)" in body
    assert "Prosjektleder: Katrine Wilson, 12.04.2013 – 31.12.2013" in body
    assert count(app, ProjectRole, role=ProjectRoleKind.PROJECT_LEADER) == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("same_person_twice", "Personen er allerede medlem av gruppen i denne perioden."),
        ("end_before_start", "Sluttdatoen kan ikke være før startdatoen."),
        ("second_leader", "Rollen har allerede en innehaver."),
        ("lead_for_owner_not_taking_part", "Organisasjonen deltar ikke i prosjektet."),
        ("lead_for_organisation_outside_the_project", "Ugyldig valg."),
        ("owner_for_a_participant_only", "Organisasjonen er ikke eier av prosjektet."),
        ("no_person", "Velg en person."),
        ("group_of_another_project", None),
    ],
)
def test_bad_input_gives_422_with_the_message_and_saves_nothing(app, demo, katrine, case,
                                                                message):
    if case == "lead_for_owner_not_taking_part":
        # Sogn regionråd joins as an owner only, not as a participant.
        with app.app_context():
            project = db.session.get(Project, demo.project)
            project.owners.append(db.session.get(Organisation, demo.orgs["Sogn regionråd"]))
            db.session.commit()
    if case == "group_of_another_project":
        with app.app_context():
            other = db.session.scalar(select(Project).where(Project.code == "KODEKNEKK"))
            other_group = db.session.scalar(
                select(ProjectGroup.id).where(ProjectGroup.project_id == other.id))
    path, data = {
        "same_person_twice": ("medlemmer", member_data(
            demo, **{"member-person_id": demo.people["Jon Ask"]})),
        "end_before_start": ("medlemmer", member_data(
            demo, **{"member-valid_from": "2024-05-01", "member-valid_to": "2024-04-30"})),
        "second_leader": ("roller", role_data(demo, **{"role-role": "project_leader"})),
        "lead_for_owner_not_taking_part": ("roller", role_data(
            demo, **{"role-role": "municipal_lead",
                     "role-organisation_id": demo.orgs["Sogn regionråd"]})),
        "lead_for_organisation_outside_the_project": ("roller", role_data(
            demo, **{"role-role": "municipal_lead",
                     "role-organisation_id": demo.orgs["Time kommune"]})),
        "owner_for_a_participant_only": ("roller", role_data(
            demo, **{"role-role": "project_owner",
                     "role-organisation_id": demo.orgs["Luster kommune"]})),
        "no_person": ("roller", role_data(demo, **{"role-person_id": ""})),
        "group_of_another_project": ("medlemmer", member_data(
            demo, **{"member-group_id": other_group if case == "group_of_another_project"
                     else ""})),
    }[case]
    roles_before, members_before = count(app, ProjectRole), count(app, GroupMember)

    response = katrine.htmx("POST", f"{BASE}/{path}", data)
    assert response.status_code == 422
    body = text(response)
    assert body.lstrip().startswith('<div id="organisation">')
    if message is not None:
        assert message in html_lib.unescape(body)
    assert "roles-changed" not in response.headers.get("HX-Trigger", "")
    assert (count(app, ProjectRole), count(app, GroupMember)) == (roles_before, members_before)


def test_a_second_leader_is_refused_also_without_htmx(app, demo, katrine):
    response = katrine.post(f"{BASE}/roller", role_data(demo, **{"role-role": "project_leader"}))
    assert response.status_code == 422
    page = text(response)
    assert "<html" in page
    assert "Rollen har allerede en innehaver." in html_lib.unescape(
        field_error(page, "role-person_id") or "")


def test_plain_posts_redirect_303_to_the_chart_with_a_message(app, demo, katrine):
    chart = f"{BASE}/organisering"
    response = katrine.post(f"{BASE}/medlemmer", member_data(demo))
    assert response.status_code == 303
    assert response.headers["Location"] == chart
    assert "Kari Bø er lagt til i Leverandøraktivering." in text(katrine.get(chart))

    response = katrine.post(f"{BASE}/roller", role_data(demo))
    assert response.status_code == 303 and response.headers["Location"] == chart

    response = katrine.post(f"{BASE}/grupper", {"group-kind": "work_group",
                                               "group-name": "Fakturaflyt",
                                               "group-mandate": "Kartlegge fakturaflyten",
                                               "group-deliverables": ""})
    assert response.status_code == 303 and response.headers["Location"] == chart
    page = text(katrine.get(chart))
    assert "Arbeidsgruppe: Fakturaflyt" in page and "Kartlegge fakturaflyten" in page

    role_id = demo.roles[("Arne Vik", ProjectRoleKind.BENEFIT_RESPONSIBLE)]
    response = katrine.post(f"{BASE}/roller/{role_id}/avslutt", {"valid_to": "2014-06-30"})
    assert response.status_code == 303 and response.headers["Location"] == chart
    member_id = demo.members[("Buyer-oppsett og opplæring", "Per Nes")]
    response = katrine.post(f"{BASE}/medlemmer/{member_id}/avslutt", {"valid_to": "2014-06-30"})
    assert response.status_code == 303 and response.headers["Location"] == chart


def test_a_second_steering_group_is_refused(app, demo, katrine):
    response = katrine.htmx("POST", f"{BASE}/grupper", {"group-kind": "steering_group",
                                                        "group-name": "Ny styringsgruppe"})
    assert response.status_code == 422
    assert "Prosjektet har allerede en slik gruppe." in text(response)
    assert count(app, ProjectGroup, project_id=demo.project) == 4


# ---- ending roles and memberships --------------------------------------------------------


def test_ending_a_role_dates_it_and_shows_it_under_former_roles(app, demo, katrine):
    role_id = demo.roles[("Arne Vik", ProjectRoleKind.BENEFIT_RESPONSIBLE)]
    assert "Tidligere roller" not in text(katrine.get(f"{BASE}/organisering"))

    response = katrine.htmx("POST", f"{BASE}/roller/{role_id}/avslutt",
                            {"valid_to": "2014-06-30"})
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "roles-changed"
    body = text(response)
    assert body.lstrip().startswith('<div id="organisation">')
    former = body[body.index("Tidligere roller"):]
    assert "Tidligere roller (1)" in body
    assert "Gevinstansvarlig: Arne Vik, 12.04.2013 – 30.06.2014" in former
    assert re.search(r"Gevinstansvarlig:\s*<span class=\"muted\">ikke utpekt</span>", body)
    with app.app_context():
        stored = db.session.get(ProjectRole, role_id)
        assert stored.valid_to == date(2014, 6, 30)


def test_the_end_button_without_a_date_makes_yesterday_the_last_day(app, demo, katrine):
    role_id = demo.roles[("Arne Vik", ProjectRoleKind.BENEFIT_RESPONSIBLE)]
    response = katrine.htmx("POST", f"{BASE}/roller/{role_id}/avslutt", {})
    assert response.status_code == 200
    yesterday = date.today() - timedelta(days=1)
    assert (f"Gevinstansvarlig: Arne Vik, 12.04.2013 – {yesterday:%d.%m.%Y}"
            in text(response))
    with app.app_context():
        assert db.session.get(ProjectRole, role_id).valid_to == yesterday


def test_ending_a_role_before_it_started_is_refused(app, demo, katrine):
    role_id = demo.roles[("Arne Vik", ProjectRoleKind.BENEFIT_RESPONSIBLE)]
    response = katrine.htmx("POST", f"{BASE}/roller/{role_id}/avslutt",
                            {"valid_to": "2013-01-01"})
    assert response.status_code == 422
    assert "Sluttdatoen kan ikke være før startdatoen." in text(response)
    with app.app_context():
        assert db.session.get(ProjectRole, role_id).valid_to is None


def test_ending_a_membership_dates_it_and_takes_it_off_the_chart(app, demo, katrine):
    member_id = demo.members[("Buyer-oppsett og opplæring", "Per Nes")]
    response = katrine.htmx("POST", f"{BASE}/medlemmer/{member_id}/avslutt",
                            {"valid_to": "2014-06-30"})
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "roles-changed"
    group = work_group_item(text(response), "Buyer-oppsett og opplæring")
    assert "Per Nes" not in group.text() and "Tor Hamre" in group.text()
    with app.app_context():
        stored = db.session.get(GroupMember, member_id)
        assert (stored.valid_from, stored.valid_to) == (date(2013, 4, 12), date(2014, 6, 30))
    # Still in the record: Per's own page shows the membership with its dates.
    person_page = text(katrine.get(f"/personer/{demo.people['Per Nes']}"))
    assert re.search(r"Buyer-oppsett og opplæring: Medlem</td>\s*<td>Luster kommune</td>\s*"
                     r"<td>12\.04\.2013 – 30\.06\.2014</td>", person_page)


def test_ending_a_role_of_another_project_is_404(app, demo, katrine):
    with app.app_context():
        other = db.session.scalar(select(Project).where(Project.code == "KODEKNEKK"))
        foreign = service.assign_role(
            db.session, None, project=other, person=db.session.get(Person, demo.people["Liv Berg"]),
            role=ProjectRoleKind.PROJECT_LEADER, valid_from=date(2013, 1, 1))
        db.session.commit()
        foreign_id = foreign.id
    response = katrine.post(f"{BASE}/roller/{foreign_id}/avslutt", {"valid_to": "2014-01-01"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ProjectRole, foreign_id).valid_to is None


# ---- responsibilities --------------------------------------------------------------------


def test_leader_edits_responsibilities_and_the_chart_shows_them(app, demo, katrine, ingrid):
    response = katrine.post(f"{BASE}/ansvar", {
        "role_key": "steering_group",
        "steering_group-lines": "Godkjenner prosjektplanen\r\n\r\n  Følger opp gevinstene  \r\n",
    })
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/ansvar#steering_group-lines"
    page = text(katrine.get(f"{BASE}/ansvar"))
    assert "ansvaret for styringsgruppen er lagret." in page.lower()
    textarea = re.search(r'<textarea[^>]*name="steering_group-lines"[^>]*>(.*?)</textarea>',
                         page, re.S).group(1)
    assert textarea.strip().splitlines() == ["Godkjenner prosjektplanen", "Følger opp gevinstene"]

    # Readers see the lines, in order, on the chart and on the responsibilities page.
    chart = tree(text(ingrid.get(f"{BASE}/organisering"))).by_id("resp-steering")
    assert [li.text() for li in chart.elements("li")] == ["Godkjenner prosjektplanen",
                                                          "Følger opp gevinstene"]
    reader_page = text(ingrid.get(f"{BASE}/ansvar"))
    assert "<textarea" not in reader_page and "Følger opp gevinstene" in reader_page


def test_readers_may_not_edit_responsibilities(app, demo, ingrid):
    before = count(app, Responsibility, project_id=demo.project)
    response = ingrid.post(f"{BASE}/ansvar", {"role_key": "steering_group",
                                              "steering_group-lines": "Kapret"})
    assert response.status_code == 403
    assert count(app, Responsibility, project_id=demo.project) == before


def test_too_long_responsibility_line_is_422(app, demo, katrine):
    response = katrine.post(f"{BASE}/ansvar", {"role_key": "project_leader",
                                               "project_leader-lines": "x" * 501})
    assert response.status_code == 422
    assert "Hver linje kan ha høyst 500 tegn." in field_error(text(response),
                                                             "project_leader-lines")


# ---- the task matrix ---------------------------------------------------------------------


@dataclass
class Matrix:
    code: str
    sogndal: int
    luster: int
    task: int
    regional: int


@pytest.fixture
def matrix(app, make_org, make_project, make_user, give_role) -> Matrix:
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    project = make_project(code="INNKJOP", owners=[sogndal], participants=[sogndal, luster])
    kari = make_user(username="kari", full_name="Kari Bø")
    give_role(kari, project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    leader = make_user(username="katrine", full_name="Katrine Wilson")
    give_role(leader, project, ProjectRoleKind.PROJECT_LEADER)
    with app.app_context():
        stored = db.session.get(Project, project.id)
        task = service.add_task(db.session, None, project=stored, level=TaskLevel.LOCAL,
                                text="Én dedikert person med innkjøpskompetanse")
        regional = service.add_task(db.session, None, project=stored,
                                    level=TaskLevel.REGIONAL, text="Felles nettside")
        db.session.commit()
        return Matrix(project.code, sogndal.id, luster.id, task.id, regional.id)


def local_data(task_id: int, version: str, **fields) -> dict:
    return {
        f"t{task_id}-status": fields.get("status", "in_progress"),
        f"t{task_id}-responsible": fields.get("responsible", ""),
        f"t{task_id}-comment": fields.get("comment", ""),
        f"t{task_id}-version_id": version,
    }


def form_version(page: str, task_id: int) -> str:
    match = re.search(rf'<input[^>]*name="t{task_id}-version_id"[^>]*value="(\d*)"', page)
    assert match, "no version in the task form"
    return match.group(1)


def standing(app, task_id, organisation_id) -> LocalTask | None:
    with app.app_context():
        row = db.session.scalar(select(LocalTask).where(
            LocalTask.task_id == task_id, LocalTask.organisation_id == organisation_id))
        if row is not None:
            db.session.expunge(row)
        return row


def test_municipal_lead_edits_own_organisations_local_task(app, matrix, make_client):
    kari = make_client()
    kari.login("kari")
    page = text(kari.get(f"/prosjekter/{matrix.code}/oppgaver"))
    assert "Lokale oppgaver for Sogndal kommune" in page
    own = f"/prosjekter/{matrix.code}/oppgaver/{matrix.task}/organisasjoner/{matrix.sogndal}"
    other = f"/prosjekter/{matrix.code}/oppgaver/{matrix.task}/organisasjoner/{matrix.luster}"
    assert f'action="{own}"' in page and f'action="{other}"' not in page
    version = form_version(page, matrix.task)

    response = kari.htmx("POST", own, local_data(matrix.task, version, responsible="Kari Bø",
                                                 comment="Utlyst stilling"))
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "roles-changed"
    body = text(response)
    # Only this row comes back (other rows keep what is typed in them), with the
    # overview's cell for it updated out of band.
    assert body.lstrip().startswith(f'<form id="local-task-{matrix.task}"')
    assert (f'<span id="standing-{matrix.task}-{matrix.sogndal}" hx-swap-oob="true">Pågår'
            '</span>') in body
    assert "Lagret: Én dedikert person med innkjøpskompetanse" in body
    saved = standing(app, matrix.task, matrix.sogndal)
    assert (saved.status, saved.responsible, saved.comment) == (
        LocalTaskStatus.IN_PROGRESS, "Kari Bø", "Utlyst stilling")
    # The overview shows Sogndal under way and Luster not started.
    overview = text(kari.get(f"/prosjekter/{matrix.code}/oppgaver"))
    columns = re.findall(r'<th scope="col">(.*?)</th>', overview)[1:]
    row = re.search(r"<tr>\s*<th scope=\"row\">Én dedikert.*?</tr>", overview, re.S).group(0)
    cells = re.findall(r"<td><span[^>]*>(.*?)</span></td>", row)
    assert dict(zip(columns, cells, strict=True)) == {
        "Sogndal kommune": "Pågår", "Luster kommune": "Ikke startet"}


def test_municipal_lead_may_not_edit_another_organisations_local_task(app, matrix,
                                                                      make_client):
    kari = make_client()
    kari.login("kari")
    other = f"/prosjekter/{matrix.code}/oppgaver/{matrix.task}/organisasjoner/{matrix.luster}"
    assert kari.htmx("POST", other, local_data(matrix.task, "0")).status_code == 403
    assert kari.post(other, local_data(matrix.task, "0")).status_code == 403
    assert standing(app, matrix.task, matrix.luster) is None
    # Nor choose it on the page: the page shows her own organisation's forms.
    page = text(kari.get(f"/prosjekter/{matrix.code}/oppgaver?organisasjon={matrix.luster}"))
    assert f"/organisasjoner/{matrix.luster}" not in page


def test_municipal_lead_may_not_add_or_delete_tasks(app, matrix, make_client):
    kari = make_client()
    kari.login("kari")
    base = f"/prosjekter/{matrix.code}/oppgaver"
    assert kari.post(base, {"level": "local", "text": "Ny"}).status_code == 403
    assert kari.post(f"{base}/{matrix.regional}/slett").status_code == 403
    assert count(app, ProjectTask) == 2
    assert "Felles nettside" in text(kari.get(base))


def test_plain_post_of_a_local_task_redirects_303(app, matrix, make_client):
    kari = make_client()
    kari.login("kari")
    own = f"/prosjekter/{matrix.code}/oppgaver/{matrix.task}/organisasjoner/{matrix.sogndal}"
    response = kari.post(own, local_data(matrix.task, "0", status="done"))
    assert response.status_code == 303
    assert response.headers["Location"] == (
        f"/prosjekter/{matrix.code}/oppgaver?organisasjon={matrix.sogndal}")
    assert standing(app, matrix.task, matrix.sogndal).status == LocalTaskStatus.DONE


def test_regional_task_has_no_local_standing(app, matrix, make_client):
    katrine = make_client()
    katrine.login("katrine")
    path = f"/prosjekter/{matrix.code}/oppgaver/{matrix.regional}/organisasjoner/{matrix.sogndal}"
    response = katrine.htmx("POST", path, local_data(matrix.regional, "0"))
    assert response.status_code == 422
    assert count(app, LocalTask) == 0


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_second_of_two_concurrent_saves_gets_409_with_current_values(app, matrix, make_client,
                                                                     existing):
    kari, katrine = make_client(), make_client()
    kari.login("kari")
    katrine.login("katrine")
    own = f"/prosjekter/{matrix.code}/oppgaver/{matrix.task}/organisasjoner/{matrix.sogndal}"
    page_url = f"/prosjekter/{matrix.code}/oppgaver?organisasjon={matrix.sogndal}"
    if existing:
        assert kari.htmx("POST", own, local_data(matrix.task, "0",
                                                 comment="Start")).status_code == 200

    # Both open the page on the same version.
    kari_version = form_version(text(kari.get(page_url)), matrix.task)
    katrine_version = form_version(text(katrine.get(page_url)), matrix.task)
    assert kari_version == katrine_version

    first = kari.htmx("POST", own, local_data(matrix.task, kari_version, status="done",
                                              responsible="Kari Bø", comment="Ferdig i mai"))
    assert first.status_code == 200
    second = katrine.htmx("POST", own, local_data(matrix.task, katrine_version,
                                                  status="not_started",
                                                  responsible="Katrine",
                                                  comment="Overskriver"))
    assert second.status_code == 409
    body = html_lib.unescape(text(second))
    assert "Noen andre lagret denne oppgaven i mellomtiden" in body
    assert 'value="Kari Bø"' in body and 'value="Ferdig i mai"' in body
    assert "Overskriver" not in body
    assert re.search(r'<option selected value="done">|<option value="done" selected', body)
    assert form_version(body, matrix.task) != katrine_version  # retry on the current one
    saved = standing(app, matrix.task, matrix.sogndal)
    assert (saved.status, saved.comment) == (LocalTaskStatus.DONE, "Ferdig i mai")


def test_project_leader_edits_any_organisations_local_task(app, matrix, make_client):
    katrine = make_client()
    katrine.login("katrine")
    for org in (matrix.sogndal, matrix.luster):
        path = f"/prosjekter/{matrix.code}/oppgaver/{matrix.task}/organisasjoner/{org}"
        assert katrine.htmx("POST", path, local_data(matrix.task, "0")).status_code == 200
        assert standing(app, matrix.task, org).status == LocalTaskStatus.IN_PROGRESS


def test_local_task_for_an_organisation_not_in_the_project_is_404(app, matrix, make_client,
                                                                  make_org):
    outside = make_org(name="Time kommune")
    katrine = make_client()
    katrine.login("katrine")
    path = f"/prosjekter/{matrix.code}/oppgaver/{matrix.task}/organisasjoner/{outside.id}"
    assert katrine.post(path, local_data(matrix.task, "0")).status_code == 404
    assert count(app, LocalTask) == 0


# ---- people ------------------------------------------------------------------------------


def test_project_leader_registers_a_person_without_an_account(app, demo, katrine):
    assert katrine.get("/personer/ny").status_code == 200
    assert katrine.get("/personer/").status_code == 200
    with app.app_context():
        admin_user_id = db.session.scalar(select(User.id).where(User.username == "admin"))
    response = katrine.post("/personer/ny", {
        "full_name": "Eva Ekstern", "title": "Innkjøpsrådgiver",
        "organisation_id": demo.orgs["Luster kommune"], "email": "", "phone": "",
        "user_id": str(admin_user_id),  # not hers to link: ignored
    })
    assert response.status_code == 303
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.full_name == "Eva Ekstern"))
        assert person is not None
        assert person.user_id is None
        assert person.organisation_id == demo.orgs["Luster kommune"]
    assert response.headers["Location"] == f"/personer/{person.id}"
    page = text(katrine.get(response.headers["Location"]))
    assert "Eva Ekstern" in page and "Innkjøpsrådgiver" in page
    # Now she can be given a role.
    chart = text(katrine.get(f"{BASE}/organisering"))
    assert f'<option value="{person.id}">Eva Ekstern (Luster kommune)</option>' in chart


def test_a_plain_member_may_not_register_people(app, demo, per):
    before = count(app, Person)
    assert per.get("/personer/").status_code == 403
    assert per.get("/personer/ny").status_code == 403
    assert per.post("/personer/ny", {"full_name": "Snik Snikesen"}).status_code == 403
    assert count(app, Person) == before


def test_person_page_shows_roles_only_in_projects_the_viewer_may_see(
        app, make_client, make_user, make_project, give_role, add_to_group):
    shared = make_project(name="Felles innkjøp", code="FELLES")
    hidden = make_project(name="Løynd omorganisering", code="LOYND")
    per = make_user(username="per", full_name="Per Nes")
    in_shared = give_role(per, shared, ProjectRoleKind.MUNICIPAL_LEAD)
    give_role(per, hidden, ProjectRoleKind.PROJECT_OWNER)
    add_to_group(per, hidden, GroupKind.WORK_GROUP, name="Hemmeleg arbeidsgruppe")
    vera = make_user(username="vera")
    give_role(vera, shared, ProjectRoleKind.BENEFIT_RESPONSIBLE)
    make_user(username="admin", is_admin=True)
    make_user(username="utenfor")
    person_url = f"/personer/{in_shared.person_id}"

    viewer = make_client()
    viewer.login("vera")
    response = viewer.get(person_url)
    assert response.status_code == 200
    page = text(response)
    assert "Per Nes" in page
    assert "Felles innkjøp" in page and "Prosjektleder i kommunen" in page
    assert "Løynd omorganisering" not in page and "Hemmeleg arbeidsgruppe" not in page
    assert "Prosjekteier" not in page

    admin = make_client()
    admin.login("admin")
    page = text(admin.get(person_url))
    assert "Felles innkjøp" in page and "Løynd omorganisering" in page
    assert "Hemmeleg arbeidsgruppe" in page

    outsider = make_client()
    outsider.login("utenfor")
    assert outsider.get(person_url).status_code == 404
    assert outsider.get(f"{person_url}/historikk").status_code == 404


def test_person_page_lists_roles_across_projects(app, demo, katrine, ingrid):
    with app.app_context():
        kodeknekk = db.session.scalar(select(Project).where(Project.code == "KODEKNEKK"))
        service.assign_role(db.session, None, project=kodeknekk,
                            person=db.session.get(Person, demo.people["Katrine Wilson"]),
                            role=ProjectRoleKind.DEPUTY_LEADER, valid_from=date(2012, 1, 1))
        db.session.commit()
    page = text(katrine.get(f"/personer/{demo.people['Katrine Wilson']}"))
    assert "eHandel i Sogn" in page and "Kodeknekk" in page
    assert "Stedfortredende prosjektleder" in page and "Prosjektleder" in page
    # Ingrid takes no part in Kodeknekk: she sees only eHandel Sogn.
    page = text(ingrid.get(f"/personer/{demo.people['Katrine Wilson']}"))
    assert "eHandel i Sogn" in page and "Kodeknekk" not in page


# ---- no role, no project -----------------------------------------------------------------


def test_someone_without_a_role_gets_404_on_every_organisation_page(app, demo, make_client,
                                                                     make_user):
    make_user(username="utenfor")
    outsider = make_client()
    outsider.login("utenfor")
    with app.app_context():
        project = db.session.get(Project, demo.project)
        task = service.add_task(db.session, None, project=project, level=TaskLevel.LOCAL,
                                text="Lokal oppgave")
        db.session.commit()
        task_id = task.id
    group = demo.groups["Leverandøraktivering"]
    role = demo.roles[("Katrine Wilson", ProjectRoleKind.PROJECT_LEADER)]
    member = demo.members[("Leverandøraktivering", "Jon Ask")]
    sogndal = demo.orgs["Sogndal kommune"]
    gets = ["organisering", "ansvar", "oppgaver", f"grupper/{group}"]
    posts = ["roller", f"roller/{role}/avslutt", "grupper", f"grupper/{group}", "medlemmer",
             f"medlemmer/{member}/avslutt", "ansvar", "oppgaver", f"oppgaver/{task_id}/slett",
             f"oppgaver/{task_id}/organisasjoner/{sogndal}"]
    for path in gets:
        assert outsider.get(f"{BASE}/{path}").status_code == 404, path
        assert outsider.htmx("GET", f"{BASE}/{path}").status_code == 404, path
    for path in posts:
        assert outsider.post(f"{BASE}/{path}", {}).status_code == 404, path
    with app.app_context():
        assert db.session.get(ProjectRole, role).valid_to is None
        assert db.session.get(GroupMember, member).valid_to is None
        assert db.session.get(Project, demo.project) is not None
    assert count(app, LocalTask) == 0
    assert count(app, Responsibility, project_id=demo.project) > 0


def test_a_leader_may_not_change_the_details_of_someone_with_an_account(app, demo, katrine,
                                                                        ingrid):
    """Ingrid Hauge has an account: her details are hers and the administrators' to change."""
    ingrid_path = f"/personer/{demo.people['Ingrid Hauge']}/rediger"
    assert katrine.get(ingrid_path).status_code == 403
    refused = katrine.post(ingrid_path, {"full_name": "Kapret", "version_id": "1"})
    assert refused.status_code == 403
    # She may change her own, and a leader may change someone without an account.
    assert ingrid.get(ingrid_path).status_code == 200
    assert katrine.get(f"/personer/{demo.people['Randi Lunde']}/rediger").status_code == 200
    with app.app_context():
        assert db.session.get(Person, demo.people["Ingrid Hauge"]).full_name == "Ingrid Hauge"


# ---- whom the forms offer ----------------------------------------------------------------


def _outsider(app, demo) -> int:
    """A person of an organisation that takes no part in eHandel Sogn."""
    with app.app_context():
        person = service.create_person(db.session, None, service.PersonInput(
            full_name="Olga Utenfor", title=None, organisation_id=demo.orgs["Time kommune"],
            user_id=None))
        db.session.commit()
        return person.id


def _person_options(page: str, name: str) -> list[str]:
    select_ = tree(page).by_id(f"{name}-person_id")
    return [option.text() for option in select_.find_all("option")]


def test_person_lists_offer_the_projects_people_and_all_on_request(app, demo, katrine):
    """The person choices are the people of the project's organisations, of none, and those
    already in it, not everyone in the register; a link shows everyone."""
    _outsider(app, demo)
    page = text(katrine.get(f"{BASE}/organisering"))
    for name in ("role", "member"):
        options = _person_options(page, name)
        assert "Kari Bø (Sogndal kommune)" in options
        assert not any(option.startswith("Olga Utenfor") for option in options)
    assert "Viser personer fra prosjektets organisasjoner" in page
    assert f'href="{BASE}/organisering?alle_personer=1#change-heading"' in page

    everyone = text(katrine.get(f"{BASE}/organisering?alle_personer=1"))
    for name in ("role", "member"):
        assert "Olga Utenfor (Time kommune)" in _person_options(everyone, name)
    # The forms keep asking for everyone, so a refused post shows the same list again.
    assert everyone.count('name="alle_personer" value="1"') == 2
    assert f'href="{BASE}/organisering#change-heading"' in everyone


def test_a_person_from_the_whole_list_can_be_given_a_role(app, demo, katrine):
    outsider = _outsider(app, demo)
    response = katrine.htmx("POST", f"{BASE}/roller", role_data(
        demo, **{"role-person_id": outsider, "alle_personer": "1"}))
    assert response.status_code == 200
    assert "Olga Utenfor er lagt til som" in html_lib.unescape(text(response))
    # Now in the project, she is offered without asking for everyone.
    page = text(katrine.get(f"{BASE}/organisering"))
    assert "Olga Utenfor (Time kommune)" in _person_options(page, "member")


def test_a_refused_post_keeps_the_person_chosen_from_the_whole_list(app, demo, katrine):
    outsider = _outsider(app, demo)
    response = katrine.htmx("POST", f"{BASE}/roller", role_data(
        demo, **{"role-person_id": outsider, "role-role": "project_leader"}))
    assert response.status_code == 422
    select_ = tree(text(response)).by_id("role-person_id")
    chosen = [o.text() for o in select_.find_all("option") if "selected" in o.attrs]
    assert chosen == ["Olga Utenfor (Time kommune)"]
    response = katrine.htmx("POST", f"{BASE}/roller", role_data(
        demo, **{"role-person_id": "999999"}))
    assert response.status_code == 422
