"""The project organisation: the chart, its htmx forms, responsibilities and the task matrix.

The live server's demo database is shared by all browser tests, so a test that changes the
organisation works on a project of its own (``own_project``), and a test that changes demo
data adds something unique or checks the change it made itself.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from tests.browser.support import assert_accessible, focused_element, is_htmx_response, visit
from tests.browser.test_reflow import OVERFLOWING

pytestmark = pytest.mark.browser

CHART = "/prosjekter/EHANDEL-SOGN/organisering"
LEADER_SINCE = date(2025, 1, 2)
# The box that ends the current holder's role ("Erstatt"/"Avslutt den som har rollen nå").
REPLACE_CURRENT = re.compile(r"den som har rollen nå$")


def _norwegian(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _organisation_id(live_server, name: str) -> int:
    from governance.extensions import db
    from governance.organisations.models import Organisation

    with live_server.app.app_context():
        return db.session.scalars(
            select(Organisation.id).where(Organisation.name == name)
        ).one()


@dataclass
class OwnProject:
    code: str
    name: str

    @property
    def chart(self) -> str:
        return f"/prosjekter/{self.code}/organisering"


@pytest.fixture
def own_project(live_server) -> OwnProject:
    """A project of the test's own, led by Katrine Wilson since 2 January 2025, with two
    work groups; Jon Ask is a member of the first."""
    from governance.extensions import db
    from governance.organisations.models import Organisation
    from governance.projects import service as project_service
    from governance.projects.models import Phase, ProjectStatus
    from governance.roles import service as role_service
    from governance.roles.models import GroupKind, MemberRole, Person, ProjectRoleKind

    suffix = uuid.uuid4().hex[:6].upper()
    code, name = f"ORG-{suffix}", f"Organiseringstest {suffix}"
    with live_server.app.app_context():
        session = db.session
        orgs = {o.name: o for o in session.scalars(select(Organisation))}
        people = {}
        for person in session.scalars(select(Person).order_by(Person.id.desc())):
            people[person.full_name] = person  # the oldest of a name wins
        project = project_service.create_project(session, None, project_service.ProjectInput(
            code=code, name=name, purpose="Prøve organiseringen.", description="",
            phase=Phase.PLANNING, status=ProjectStatus.ACTIVE, start_date=LEADER_SINCE,
            end_date=None,
            owner_ids=[orgs["Sogndal kommune"].id, orgs["Leikanger kommune"].id],
            participant_ids=[orgs["Sogndal kommune"].id, orgs["Luster kommune"].id],
        ))
        role_service.assign_role(session, None, project=project,
                                 person=people["Katrine Wilson"],
                                 role=ProjectRoleKind.PROJECT_LEADER, valid_from=LEADER_SINCE)
        suppliers = role_service.create_group(session, None, project=project,
                                              kind=GroupKind.WORK_GROUP,
                                              name="Leverandøraktivering",
                                              mandate="Aktivere leverandørar.")
        role_service.create_group(session, None, project=project, kind=GroupKind.WORK_GROUP,
                                  name="Opplæring")
        role_service.add_member(session, None, group=suppliers, person=people["Jon Ask"],
                                role=MemberRole.LEADER,
                                organisation_id=orgs["Leikanger kommune"].id,
                                valid_from=LEADER_SINCE)
        session.commit()
    return OwnProject(code=code, name=name)


# ---- the chart -------------------------------------------------------------------------


def _item(parent: Locator, heading: str) -> Locator:
    """A direct list item of ``parent`` (a list item of the chart) under its nested <ol>,
    whose heading is ``heading``."""
    page = parent.page
    return parent.locator(":scope > ol > li").filter(
        has=page.locator(":scope > h3", has_text=re.compile(rf"^\s*{re.escape(heading)}"))
    )


def _chart_levels(page: Page) -> dict[str, Locator]:
    chart = page.locator("ol.org-chart")
    owners = chart.locator(":scope > li")
    steering = _item(owners, "Styringsgruppe")
    leader = _item(steering, "Prosjektleder")
    project_group = _item(leader, "Prosjektgruppe")
    return {"owners": owners, "steering": steering, "leader": leader,
            "project_group": project_group}


def _work_group(page: Page, name: str) -> Locator:
    return _item(_chart_levels(page)["leader"], f"Arbeidsgruppe: {name}")


def _own_heading(item: Locator) -> Locator:
    return item.locator(":scope > h3")


def test_steering_group_member_sees_the_chart_read_only(page: Page, sign_in):
    sign_in("ingrid")
    visit(page, CHART)
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisering: eHandel i Sogn")
    expect(page.get_by_role("navigation", name="Prosjektets sider")
           .get_by_role("link", name="Organisering")).to_have_attribute("aria-current", "page")

    # Owners → steering group → project leader → project group and work groups, as lists
    # nested in that order.
    levels = _chart_levels(page)
    expect(levels["owners"]).to_have_count(1)
    expect(_own_heading(levels["owners"])).to_have_text("Prosjekteiere")
    owner_lines = levels["owners"].locator(":scope > ul.org-people > li")
    expect(owner_lines.filter(has_text="Sogndal kommune")).to_contain_text("Ingrid Hauge")
    expect(owner_lines.filter(has_text="Leikanger kommune")).to_contain_text("Randi Lunde")
    expect(owner_lines.filter(has_text="Sogn og Fjordane fylkeskommune")).to_contain_text(
        "Arne Vik")

    steering = levels["steering"]
    expect(steering).to_have_count(1)
    steering_members = steering.locator(":scope > ul.org-people > li")
    expect(steering_members.filter(has_text="Ingrid Hauge")).to_contain_text("Leder")
    expect(steering_members.filter(has_text="Randi Lunde")).to_contain_text("Medlem")
    expect(steering_members.filter(has_text="Arne Vik")).to_contain_text("Seniorleverandør")
    expect(steering_members.filter(has_text="Katrine Wilson")).to_contain_text("Sekretær")

    leader = levels["leader"]
    expect(leader).to_have_count(1)
    expect(leader.locator(":scope > div.holder").first).to_have_text("Katrine Wilson")

    project_group = levels["project_group"]
    expect(project_group).to_have_count(1)
    group_members = project_group.locator(":scope > ul.org-people").first.locator(":scope > li")
    for name in ["Katrine Wilson", "Kari Bø", "Jon Ask", "Per Nes", "Liv Berg", "Ola Dale",
                 "Siri Fosse"]:
        expect(group_members.filter(has_text=name)).to_have_count(1)
    leads = project_group.locator(":scope > ul.org-people").nth(1).locator(":scope > li")
    expect(leads.filter(has_text="Luster kommune")).to_contain_text("Per Nes")

    suppliers = _work_group(page, "Leverandøraktivering")
    expect(suppliers).to_have_count(1)
    expect(suppliers).to_contain_text("Mandat:")
    expect(suppliers.locator("ul.org-people > li").filter(has_text="Jon Ask")).to_contain_text(
        "Leder")
    expect(suppliers.locator("ul.org-people > li").filter(has_text="Liv Berg")).to_have_count(1)
    buyers = _work_group(page, "Buyer-oppsett og opplæring")
    expect(buyers.locator("ul.org-people > li").filter(has_text="Tor Hamre")).to_have_count(1)
    expect(buyers.locator("ul.org-people > li").filter(has_text="Per Nes")).to_have_count(1)

    # Read only: no forms to change it, no buttons to end a role, no links to edit groups.
    expect(page.get_by_role("heading", name="Endre organiseringen")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Avslutt"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^(Endre|Rediger)\b"))).to_have_count(0)
    expect(page.locator("#organisation form")).to_have_count(0)
    assert_accessible(page)

    visit(page, "/prosjekter/EHANDEL-SOGN/ansvar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roller og ansvar: eHandel i Sogn")
    expect(page.locator("main textarea")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Lagre"))).to_have_count(0)

    visit(page, "/prosjekter/EHANDEL-SOGN/oppgaver")
    expect(page.get_by_role("heading", level=1)).to_have_text("Oppgavefordeling: eHandel i Sogn")
    expect(page.get_by_role("heading", name="Ny oppgave")).to_have_count(0)


def _member_form(page: Page) -> Locator:
    return page.get_by_role("form", name="Legg til medlem i en gruppe")


def _role_form(page: Page) -> Locator:
    return page.get_by_role("form", name="Gi en person en rolle")


def _post(page: Page, path: str, button: Locator) -> int:
    with page.expect_response(is_htmx_response(path, "POST")) as answer:
        button.click()
    return answer.value.status


def _same_document(page: Page) -> None:
    assert page.evaluate("() => window.__sameDocument") == "ja", "the page was reloaded"


def test_project_leader_adds_a_member_in_place(page: Page, sign_in, own_project):
    sign_in("katrine")
    visit(page, own_project.chart)
    url = page.url
    page.evaluate("() => { window.__sameDocument = 'ja'; }")
    training = _work_group(page, "Opplæring")
    expect(training).to_contain_text("Ingen medlemmer ennå.")

    form = _member_form(page)
    form.get_by_label("Gruppe", exact=True).select_option(label="Opplæring")
    form.get_by_label("Person").select_option(label="Kari Bø (Sogndal kommune)")
    form.get_by_label("Representerer").select_option(label="Sogndal kommune")
    form.get_by_label("Rolle i gruppen").select_option(label="Observatør")
    status = _post(page, f"/prosjekter/{own_project.code}/medlemmer",
                   form.get_by_role("button", name="Legg til medlem"))
    assert status == 200

    message = "Kari Bø er lagt til i Opplæring."
    expect(page.locator("#organisation [data-announce]")).to_have_text(message)
    # Told through the page's lasting live region, not one swapped in with the chart.
    live = page.locator("#live-status")
    expect(live).to_have_text(message)
    expect(live).to_have_attribute("aria-live", "polite")
    training = _work_group(page, "Opplæring")
    expect(training.locator("ul.org-people > li")).to_have_count(1)
    expect(training.locator("ul.org-people > li")).to_contain_text(
        "Kari Bø, Økonomikonsulent – Observatør, Sogndal kommune")
    expect(training.get_by_role("link", name="Kari Bø")).to_be_visible()
    suppliers = _work_group(page, "Leverandøraktivering")
    expect(suppliers.locator("ul.org-people > li").filter(has_text="Kari Bø")).to_have_count(0)
    expect(suppliers.locator("ul.org-people > li").filter(has_text="Jon Ask")).to_have_count(1)
    # The form is ready for the next member.
    expect(_member_form(page).get_by_label("Person")).to_have_value("")
    expect(_member_form(page).locator("[data-error-summary]")).to_have_count(0)
    # Focus is not lost to the top of the page.
    assert focused_element(page)["tag"] != "body", focused_element(page)
    assert page.url == url
    _same_document(page)
    assert_accessible(page)


def test_project_leader_ends_a_membership_and_it_leaves_the_chart(
    page: Page, sign_in, own_project
):
    sign_in("katrine")
    visit(page, own_project.chart)
    page.evaluate("() => { window.__sameDocument = 'ja'; }")
    suppliers = _work_group(page, "Leverandøraktivering")
    expect(suppliers.locator("ul.org-people > li").filter(has_text="Jon Ask")).to_have_count(1)

    end = page.get_by_role("button", name="Avslutt Jon Ask Leverandøraktivering", exact=True)
    status = _post(page, "/avslutt", end)
    assert status == 200
    message = "Medlemskapet er avsluttet. Det står fortsatt i historikken."
    expect(page.locator("#live-status")).to_have_text(message)
    _same_document(page)
    assert_accessible(page)
    suppliers = _work_group(page, "Leverandøraktivering")
    # Ended now: yesterday was the last day, so the member has left today's chart.
    expect(suppliers.locator("ul.org-people > li").filter(has_text="Jon Ask")).to_have_count(0)
    expect(suppliers).to_contain_text("Ingen medlemmer ennå.")


def test_project_leader_hands_over_the_role(page: Page, sign_in, own_project):
    sign_in("katrine")
    visit(page, own_project.chart)
    page.evaluate("() => { window.__sameDocument = 'ja'; }")
    expect(page.locator("#organisation details").filter(has_text="Tidligere roller")
           ).to_have_count(0)
    path = f"/prosjekter/{own_project.code}/roller"

    # A second project leader, without ending the current one: refused in place.
    form = _role_form(page)
    form.get_by_label("Person").select_option(label="Tor Hamre (Sogndal kommune)")
    form.get_by_label("Rolle", exact=True).select_option(label="Prosjektleder")
    expect(form.get_by_label(REPLACE_CURRENT)).not_to_be_checked()
    assert _post(page, path, form.get_by_role("button", name="Legg til rolle")) == 422

    form = _role_form(page)
    summary = form.locator("[data-error-summary]")
    expect(summary.get_by_role("link")).to_have_text(
        re.compile(r"^Person: Rollen har allerede en innehaver\. .*den som har rollen nå"))
    expect(summary.get_by_role("link")).to_have_attribute("href", "#role-person_id")
    expect(summary).to_be_focused()
    person = form.get_by_label("Person")
    expect(person).to_have_attribute("aria-invalid", "true")
    # What the user chose is still there.
    assert person.evaluate("s => s.selectedOptions[0].text") == "Tor Hamre (Sogndal kommune)"
    expect(form.get_by_label("Rolle", exact=True)).to_have_value("project_leader")
    leader = _chart_levels(page)["leader"]
    expect(leader.locator(":scope > div.holder").first).to_have_text(
        re.compile(r"^\s*Katrine Wilson\b"))
    _same_document(page)
    assert_accessible(page)

    # Ticking the box hands the role over: the old leader's role ends yesterday.
    form.get_by_label(REPLACE_CURRENT).check()
    assert _post(page, path, form.get_by_role("button", name="Legg til rolle")) == 200
    message = re.compile(r"^Tor Hamre er lagt til som prosjektleder\.$", re.IGNORECASE)
    expect(page.locator("#live-status")).to_have_text(message)
    leader = _chart_levels(page)["leader"]
    expect(leader.locator(":scope > div.holder").first).to_have_text(
        re.compile(r"^\s*Tor Hamre, Systemansvarleg\b"))
    expect(leader.locator(":scope > div.holder").first).not_to_contain_text("Katrine Wilson")
    expect(_role_form(page).locator("[data-error-summary]")).to_have_count(0)
    _same_document(page)
    assert_accessible(page)

    former = page.locator("#organisation details").filter(has_text="Tidligere roller")
    expect(former.locator("summary")).to_have_text("Tidligere roller (1)")
    former.locator("summary").click()
    expect(former).to_have_attribute("open", "")
    yesterday = date.today() - timedelta(days=1)
    expect(former.get_by_role("listitem")).to_have_text(
        f"Prosjektleder: Katrine Wilson, {_norwegian(LEADER_SINCE)} – {_norwegian(yesterday)}")
    assert_accessible(page)


# ---- responsibilities ------------------------------------------------------------------


def test_project_leader_edits_the_steering_groups_responsibilities(page: Page, sign_in):
    sign_in("katrine")
    visit(page, "/prosjekter/EHANDEL-SOGN/ansvar")
    section = page.get_by_role("region", name="Styringsgruppen", exact=True)
    lines = section.get_by_label("Ansvar")
    expect(section.get_by_text("Ett ansvarsområde per linje.")).to_be_visible()
    before = [line for line in lines.input_value().splitlines() if line.strip()]
    assert before, "the demo steering group has its default responsibilities"

    # Drop the last line, add two of this test's own.
    added = [f"Godkjenne sluttrapporten {uuid.uuid4().hex[:6]}",
             f"Følge opp gevinstane {uuid.uuid4().hex[:6]}"]
    wanted = before[:-1] + added
    lines.fill("\n".join(wanted))
    with page.expect_navigation() as navigation:
        section.get_by_role("button", name="Lagre Styringsgruppen").click()
    assert navigation.value.ok
    expect(page).to_have_url(re.compile(r"/prosjekter/EHANDEL-SOGN/ansvar#steering_group-lines$"))
    expect(page.locator("#messages")).to_have_text(
        re.compile(r"^\s*Ansvaret for styringsgruppen er lagret\.\s*$", re.IGNORECASE))
    section = page.get_by_role("region", name="Styringsgruppen", exact=True)
    expect(section.get_by_label("Ansvar")).to_have_value("\n".join(wanted))
    assert_accessible(page)

    # And in the chart, under the steering group.
    visit(page, CHART)
    steering = _chart_levels(page)["steering"]
    steering.locator(":scope > details summary").click()
    expect(steering.locator(":scope > details li")).to_have_text(wanted)
    assert_accessible(page)


# ---- the task matrix -------------------------------------------------------------------


def test_local_task_status_saves_its_row_in_place(page: Page, sign_in, live_server):
    kongsberg = _organisation_id(live_server, "Kongsberg kommune")
    sign_in("admin")
    visit(page, f"/prosjekter/INNKJOP-KONGSBERG/oppgaver?organisasjon={kongsberg}")
    expect(page.get_by_role("heading", level=2, name="Lokale oppgaver for Kongsberg kommune")
           ).to_be_visible()
    page.evaluate("() => { window.__sameDocument = 'ja'; }")

    row = page.locator("#local-rows form").first
    task = row.locator("p strong").inner_text()
    status = row.get_by_label("Status")
    current = status.evaluate("s => s.selectedOptions[0].text")
    new = next(label for label in ["Pågår", "Ferdig", "Ikke startet"] if label != current)
    status.select_option(label=new)
    row.get_by_label("Ansvarlig").fill("Innkjøpskontakten")
    action = row.get_attribute("action") or ""
    with page.expect_response(is_htmx_response(action, "POST")) as answer:
        row.get_by_role("button", name=re.compile(r"^Lagre")).click()
    assert answer.value.status == 200

    row = page.locator("#local-rows form").filter(
        has=page.locator("p strong", has_text=task)).first
    expect(row.locator("[data-announce]")).to_contain_text("Lagret:")
    expect(page.locator("#live-status")).to_contain_text("Lagret:")
    expect(row.get_by_label("Status")).to_have_value(
        {"Ikke startet": "not_started", "Pågår": "in_progress", "Ferdig": "done"}[new])
    expect(row.locator("[data-error-summary]")).to_have_count(0)
    # The button that had focus was swapped away: focus waits on the row's status.
    assert focused_element(page)["tag"] != "body", "focus was lost to <body>"
    expect(row.get_by_label("Status")).to_be_focused()
    _same_document(page)
    assert_accessible(page)
    # The overview above follows at once, without a reload.
    matrix = page.get_by_role("table")
    headers = [text.strip() for text in matrix.locator("thead th").all_inner_texts()]
    column = headers.index("Kongsberg kommune")
    expect(matrix.locator("tbody tr").first.locator("th, td").nth(column)).to_have_text(new)

    # Saved for real: the matrix shows it after a reload.
    page.reload()
    matrix = page.get_by_role("table")
    first_local = matrix.locator("tbody tr").first
    expect(first_local.locator("th, td").nth(column)).to_have_text(new)
    expect(page.locator("#local-rows form").first.get_by_label("Ansvarlig")).to_have_value(
        "Innkjøpskontakten")
    assert_accessible(page)


def test_municipal_lead_sees_the_task_page_without_local_tasks(page: Page, sign_in):
    sign_in("per")
    visit(page, "/prosjekter/EHANDEL-SOGN/oppgaver")
    expect(page.get_by_text("Ingen lokale oppgaver ennå.")).to_be_visible()
    expect(page.locator("#local-rows")).to_have_count(0)


# ---- people ---------------------------------------------------------------------------


def test_person_page_from_the_chart(page: Page, sign_in):
    sign_in("ingrid")
    visit(page, CHART)
    leader = _chart_levels(page)["leader"]
    with page.expect_navigation():
        leader.get_by_role("link", name="Katrine Wilson").first.click()
    expect(page).to_have_url(re.compile(r"/personer/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Katrine Wilson")
    roles = page.get_by_role("table")
    expect(roles.get_by_role("row").filter(has_text="Prosjektleder")
           .filter(has_text="eHandel i Sogn")).to_have_count(1)
    assert_accessible(page)


def test_people_list_and_new_person_form(page: Page, sign_in):
    sign_in("admin")
    visit(page, "/personer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Personer")
    expect(page.get_by_role("link", name="Katrine Wilson")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_role("link", name="Ny person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny person")
    expect(page.get_by_label("Brukerkonto")).to_be_enabled()
    assert_accessible(page)


# ---- reflow ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "path"),
    [("katrine", CHART), ("ingrid", CHART),
     ("admin", "/prosjekter/INNKJOP-KONGSBERG/oppgaver?organisasjon={kongsberg}")],
    ids=["chart-leader", "chart-reader", "tasks"],
)
def test_no_horizontal_scrolling_at_320_px(page: Page, sign_in, live_server, username, path):
    path = path.format(kongsberg=_organisation_id(live_server, "Kongsberg kommune"))
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(username)
    visit(page, path)
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= 320, (
        f"{path} is {scroll_width} px wide at a 320 px viewport; sticking out: "
        f"{page.evaluate(OVERFLOWING, 320)}"
    )
