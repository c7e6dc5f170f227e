"""Projects over HTTP: list with live search and filters, detail, create, edit, history."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from governance.extensions import db
from governance.projects.models import Phase, Project, ProjectStatus
from governance.roles.models import GroupKind, ProjectRoleKind


def project_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Project))


def form_data(owners, **overrides):
    data = {
        "name": "eHandel i Nordfjord",
        "code": "EHANDEL-NF",
        "purpose": "Innføre e-handel",
        "description": "",
        "phase": "planning",
        "status": "active",
        "start_date": "2013-04-22",
        "end_date": "2015-12-31",
        "owner_ids": [str(i) for i in owners],
        "participant_ids": [str(i) for i in owners],
        "programme_id": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def leader_client(client, make_user, make_org):
    org = make_org(name="Sogn regionråd")
    leader = make_user(username="katrine", full_name="Katrine Wilson",
                       can_create_projects=True, organisation_id=org.id)
    client.login("katrine")
    client.user = leader
    client.org = org
    return client


# ---- list, search and filters ------------------------------------------------------


def test_list_shows_only_projects_where_the_user_has_a_role(client, make_user, make_project,
                                                           give_role):
    mine = make_project(name="Mitt prosjekt")
    make_project(name="Andres prosjekt")
    user = make_user(username="per")
    give_role(user, mine, ProjectRoleKind.MUNICIPAL_LEAD)
    client.login("per")
    html = client.get("/prosjekter/").get_data(as_text=True)
    assert "Mitt prosjekt" in html
    assert "Andres prosjekt" not in html
    assert "1 prosjekt" in html


def test_ended_role_no_longer_gives_access(client, make_user, make_project, give_role):
    project = make_project(name="Gammelt prosjekt")
    user = make_user(username="per")
    give_role(user, project, ProjectRoleKind.PROJECT_OWNER, valid_to=date(2020, 1, 1))
    client.login("per")
    assert "Gammelt prosjekt" not in client.get("/prosjekter/").get_data(as_text=True)
    assert client.get(f"/prosjekter/{project.code}").status_code == 404


def test_admin_sees_every_project(admin_client, make_project):
    make_project(name="Alfa")
    make_project(name="Beta")
    html = admin_client.get("/prosjekter/").get_data(as_text=True)
    assert "Alfa" in html and "Beta" in html and "2 prosjekter" in html


def test_text_search_matches_name_code_and_purpose(admin_client, make_project):
    make_project(name="eHandel Sogn", code="EHANDEL-SOGN")
    make_project(name="Innkjøp Kongsberg", code="INNKJOP", purpose="Én henvendelse")
    make_project(name="Kodeknekk", code="KODEKNEKK")
    html = admin_client.get("/prosjekter/?q=KONGS").get_data(as_text=True)
    assert "Innkjøp Kongsberg" in html and "eHandel Sogn" not in html
    assert "Innkjøp Kongsberg" in admin_client.get("/prosjekter/?q=henvendelse").get_data(
        as_text=True)
    assert "Kodeknekk" in admin_client.get("/prosjekter/?q=knekk").get_data(as_text=True)
    # Case-insensitive for æ, ø and å too (SQLite's own lower() is ASCII only).
    assert "Innkjøp Kongsberg" in admin_client.get("/prosjekter/?q=INNKJØP").get_data(
        as_text=True)


def test_search_treats_wildcards_literally(admin_client, make_project):
    make_project(name="Hundre prosent")
    html = admin_client.get("/prosjekter/?q=%25").get_data(as_text=True)
    assert "Hundre prosent" not in html
    assert "Ingen prosjekter passer med søket" in html


def test_filters_by_phase_status_and_organisation(admin_client, make_project, make_org):
    time = make_org(name="Time kommune")
    make_project(name="Kodeknekk", phase=Phase.EXECUTION, owners=[time])
    make_project(name="Idéprosjekt", phase=Phase.IDEA, status=ProjectStatus.PAUSED)
    by_phase = admin_client.get("/prosjekter/?fase=execution").get_data(as_text=True)
    assert "Kodeknekk" in by_phase and "Idéprosjekt" not in by_phase
    by_status = admin_client.get("/prosjekter/?status=paused").get_data(as_text=True)
    assert "Idéprosjekt" in by_status and "Kodeknekk" not in by_status
    by_org = admin_client.get(f"/prosjekter/?organisasjon={time.id}").get_data(as_text=True)
    assert "Kodeknekk" in by_org and "Idéprosjekt" not in by_org


@pytest.mark.parametrize(
    "query",
    ["fase=ukjent", "status=%00", "organisasjon=abc", "organisasjon=99999999999999999999",
     "q=" + "x" * 5000, "q=%27%3B+DROP+TABLE+project%3B--"],
)
def test_odd_filter_values_never_fail(admin_client, make_project, query):
    make_project(name="Robust")
    response = admin_client.get(f"/prosjekter/?{query}")
    assert response.status_code == 200


def test_htmx_search_returns_only_the_results_fragment(admin_client, make_project):
    make_project(name="eHandel Sogn")
    make_project(name="Kodeknekk")
    response = admin_client.htmx("GET", "/prosjekter/", {"q": "sogn"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert "eHandel Sogn" in html and "Kodeknekk" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_and_history_restore_requests_get_the_whole_page(admin_client):
    for header in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        html = admin_client.htmx("GET", "/prosjekter/", **header).get_data(as_text=True)
        assert "<html" in html


def test_list_works_without_javascript(admin_client, make_project):
    make_project(name="Kodeknekk")
    html = admin_client.get("/prosjekter/?q=kode&fase=&status=&organisasjon=").get_data(
        as_text=True)
    assert '<form method="get" action="/prosjekter/"' in html
    assert "Kodeknekk" in html


# ---- pages of the list ---------------------------------------------------------------


def test_the_list_shows_50_projects_a_page(admin_client, make_project):
    for number in range(1, 52):
        make_project(name=f"Prosjekt {number:02d}")
    first = admin_client.get("/prosjekter/").get_data(as_text=True)
    assert "51 prosjekter, viser 1–50 (side 1 av 2)" in first
    assert "Prosjekt 50" in first and "Prosjekt 51" not in first
    assert 'aria-label="Sider i prosjektlisten"' in first
    assert 'href="/prosjekter/?side=2"' in first
    second = admin_client.get("/prosjekter/?side=2").get_data(as_text=True)
    assert "viser 51–51 (side 2 av 2)" in second
    assert "Prosjekt 51" in second and "Prosjekt 50" not in second


@pytest.fixture
def pages_of_two(admin_client, make_project, monkeypatch):
    from governance.projects import views

    monkeypatch.setattr(views, "PROJECTS_PER_PAGE", 2)
    for name in ("Alfa", "Beta", "Gamma", "Delta", "Epsilon"):
        make_project(name=f"Sogn {name}", phase=Phase.EXECUTION)
    make_project(name="Kodeknekk", phase=Phase.EXECUTION)
    return admin_client


def test_page_links_keep_the_filters(pages_of_two):
    page = pages_of_two.get("/prosjekter/?q=sogn&fase=execution&side=2").get_data(
        as_text=True)
    assert "5 prosjekter passer med filteret, viser 3–4 (side 2 av 3)" in page
    assert "Sogn Delta" in page and "Sogn Epsilon" in page and "Sogn Alfa" not in page
    assert 'href="/prosjekter/?side=3&amp;q=sogn&amp;fase=execution"' in page
    # The first page has no page number in its address.
    assert 'href="/prosjekter/?q=sogn&amp;fase=execution"' in page
    assert 'aria-label="Side 2" aria-current="page"' in page
    assert ">Forrige side<" in page and ">Neste side<" in page


def test_htmx_search_starts_on_the_first_page(pages_of_two):
    """The live search form sends no page number, so a new search shows its first page;
    the page links swap the results in place and work as plain links too."""
    html = pages_of_two.htmx("GET", "/prosjekter/", {"q": "sogn"}).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="results"')
    assert "viser 1–2 (side 1 av 3)" in html
    assert 'hx-get="/prosjekter/?side=2&amp;q=sogn" hx-target="#results"' in html
    full = pages_of_two.get("/prosjekter/?q=sogn").get_data(as_text=True)
    assert 'name="side"' not in full


def test_a_page_past_the_end_shows_the_last_page(pages_of_two):
    response = pages_of_two.get("/prosjekter/?side=99")
    assert response.status_code == 200
    assert "viser 5–6 (side 3 av 3)" in response.get_data(as_text=True)
    empty = pages_of_two.get("/prosjekter/?q=finnesikke&side=4")
    assert empty.status_code == 200
    assert "Ingen prosjekter passer med søket" in empty.get_data(as_text=True)


@pytest.mark.parametrize("side", ["0", "abc", "-1", "1.5", "99999999999"])
def test_an_invalid_page_number_is_a_clear_400(pages_of_two, side):
    response = pages_of_two.get(f"/prosjekter/?side={side}")
    assert response.status_code == 400
    assert "Sidenummeret må være et helt tall fra 1 og oppover." in response.get_data(
        as_text=True)


def test_a_single_page_has_no_page_links(admin_client, make_project):
    make_project(name="Alene")
    html = admin_client.get("/prosjekter/").get_data(as_text=True)
    assert "Sider i prosjektlisten" not in html and "viser 1–1" not in html
    assert "1 prosjekt<" in html


# ---- detail and access -------------------------------------------------------------


def test_detail_page_in_norwegian_format(admin_client, make_project, make_org):
    owner = make_org(name="Sogndal kommune")
    project = make_project(name="eHandel Sogn", owners=[owner], start_date=date(2013, 4, 22),
                           end_date=date(2015, 12, 31))
    html = admin_client.get(f"/prosjekter/{project.code}").get_data(as_text=True)
    assert "22.04.2013 – 31.12.2015" in html
    assert "Sogndal kommune" in html
    assert "Planlegge" in html


def test_someone_without_a_role_gets_404(client, make_user, make_project):
    project = make_project()
    make_user(username="utenfor")
    client.login("utenfor")
    for path in (f"/prosjekter/{project.code}", f"/prosjekter/{project.code}/rediger",
                 f"/prosjekter/{project.code}/historikk"):
        assert client.get(path).status_code == 404
    assert client.post(f"/prosjekter/{project.code}/rediger", {}).status_code == 404


def test_unknown_project_is_404(admin_client):
    assert admin_client.get("/prosjekter/FINNES-IKKE").status_code == 404
    assert admin_client.get("/prosjekter/" + "X" * 300).status_code == 404


@pytest.mark.parametrize("role", ["municipal_lead", "project_owner", "steering_group",
                                  "work_group"])
def test_readers_see_the_project_but_may_not_edit_it(client, make_user, make_project,
                                                    give_role, add_to_group, role):
    project = make_project(name="Felles prosjekt")
    user = make_user(username="leser")
    if role in ("steering_group", "work_group"):
        add_to_group(user, project, GroupKind(role), name="Gruppe" if role == "work_group"
                     else None)
    else:
        give_role(user, project, ProjectRoleKind(role))
    client.login("leser")
    page = client.get(f"/prosjekter/{project.code}").get_data(as_text=True)
    assert "Felles prosjekt" in page
    assert "/rediger" not in page  # no edit button shown
    assert client.get(f"/prosjekter/{project.code}/rediger").status_code == 403
    response = client.post(f"/prosjekter/{project.code}/rediger",
                           form_data([], name="Kapret", code=project.code))
    assert response.status_code == 403


def test_create_needs_the_right(client, make_user):
    make_user(username="vanlig")
    client.login("vanlig")
    assert client.get("/prosjekter/nytt").status_code == 403
    assert client.post("/prosjekter/nytt", {}).status_code == 403


# ---- create ------------------------------------------------------------------------


def test_project_leader_creates_a_project_and_becomes_its_leader(app, leader_client, make_org):
    owner = make_org(name="Sogndal kommune")
    response = leader_client.post("/prosjekter/nytt", form_data([owner.id]))
    assert response.status_code == 303
    assert response.headers["Location"] == "/prosjekter/EHANDEL-NF"
    page = leader_client.get("/prosjekter/EHANDEL-NF").get_data(as_text=True)
    assert "Prosjektet eHandel i Nordfjord er opprettet." in page
    chart = leader_client.get("/prosjekter/EHANDEL-NF/organisering").get_data(as_text=True)
    assert "Katrine Wilson" in chart
    assert leader_client.get("/prosjekter/EHANDEL-NF/rediger").status_code == 200


def test_code_is_stored_in_capitals(admin_client, make_org):
    owner = make_org()
    admin_client.post("/prosjekter/nytt", form_data([owner.id], code="ehandel-nf"))
    assert admin_client.get("/prosjekter/EHANDEL-NF").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Dette feltet må fylles ut."),
        ({"name": "x" * 201}, "Teksten kan ha høyst 200 tegn."),
        ({"code": ""}, "Dette feltet må fylles ut."),
        ({"code": "ÆØÅ"}, "Kortnavnet skal ha 2–20 tegn"),
        ({"code": "A B"}, "Kortnavnet skal ha 2–20 tegn"),
        ({"end_date": "2012-01-01"}, "Sluttdatoen kan ikke være før startdatoen."),
        ({"start_date": "22.13.2013"}, "Skriv en gyldig dato"),
        ({"start_date": "2013-02-30"}, "Skriv en gyldig dato"),
        ({"owner_ids": []}, "Velg minst én eierorganisasjon."),
        ({"owner_ids": ["999999"]}, "Ugyldig valg."),
        ({"owner_ids": ["abc"]}, "Ugyldig valg."),
        ({"programme_id": "424242"}, "Ugyldig valg."),
        ({"phase": "moon"}, "Ugyldig valg."),
    ],
)
def test_bad_input_gives_422_with_message_and_saves_nothing(app, admin_client, make_org,
                                                           overrides, message):
    owner = make_org()
    data = form_data([owner.id], **overrides)
    before = project_count(app)
    response = admin_client.post("/prosjekter/nytt", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Rett opp dette før du lagrer:" in html
    assert project_count(app) == before


def test_duplicate_code_is_refused(app, admin_client, make_project, make_org):
    make_project(code="KODEKNEKK")
    owner = make_org()
    response = admin_client.post("/prosjekter/nytt", form_data([owner.id], code="kodeknekk"))
    assert response.status_code == 422
    assert "Kortnavnet er allerede brukt av et annet prosjekt." in response.get_data(
        as_text=True)
    assert project_count(app) == 1


def test_user_text_is_escaped(admin_client, make_org):
    owner = make_org()
    admin_client.post("/prosjekter/nytt",
                      form_data([owner.id], name="<script>alert(1)</script>"))
    html = admin_client.get("/prosjekter/EHANDEL-NF").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---- edit --------------------------------------------------------------------------


def test_leader_edits_the_project(leader_client, make_project, give_role, make_org):
    project = make_project(name="Gammelt navn")
    give_role(leader_client.user, project, ProjectRoleKind.PROJECT_LEADER)
    form = leader_client.get(f"/prosjekter/{project.code}/rediger").get_data(as_text=True)
    assert 'value="Gammelt navn"' in form
    owner = make_org(name="Luster kommune")
    response = leader_client.post(
        f"/prosjekter/{project.code}/rediger",
        form_data([owner.id], name="Nytt navn", code=project.code, version_id="1"),
    )
    assert response.status_code == 303
    page = leader_client.get(f"/prosjekter/{project.code}").get_data(as_text=True)
    assert "Nytt navn" in page and "Luster kommune" in page


def test_second_of_two_concurrent_edits_gets_409_with_current_values(
        app, make_client, make_user, make_project, make_org):
    owner = make_org()
    project = make_project(name="Start")
    make_user(username="a1", is_admin=True)
    make_user(username="a2", is_admin=True)
    first, second = make_client(), make_client()
    first.login("a1")
    second.login("a2")
    path = f"/prosjekter/{project.code}/rediger"
    assert 'name="version_id" type="hidden" value="1"' in first.get(path).get_data(as_text=True)
    second.get(path)
    ok = first.post(path, form_data([owner.id], name="Første", code=project.code,
                                     version_id="1"))
    assert ok.status_code == 303
    stale = second.post(path, form_data([owner.id], name="Andre", code=project.code,
                                        version_id="1"))
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Noen andre lagret endringer i mellomtiden" in html
    assert 'value="Første"' in html
    with app.app_context():
        assert db.session.get(Project, project.id).name == "Første"


def test_edit_without_a_version_is_refused_as_a_conflict(app, admin_client, make_project,
                                                         make_org):
    owner = make_org()
    project = make_project(name="Uendret")
    response = admin_client.post(f"/prosjekter/{project.code}/rediger",
                                 form_data([owner.id], name="Blindt", code=project.code))
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(Project, project.id).name == "Uendret"


def test_project_cannot_be_its_own_programme(admin_client, make_project, make_org):
    owner = make_org()
    programme = make_project(name="Program", owners=[owner])
    child = make_project(name="Barn", owners=[owner], programme_id=programme.id)
    response = admin_client.post(
        f"/prosjekter/{programme.code}/rediger",
        form_data([owner.id], name="Program", code=programme.code,
                  programme_id=str(child.id), version_id="1"),
    )
    assert response.status_code == 422
    assert "Programmet kan ikke være et av prosjektets egne delprosjekter." in (
        response.get_data(as_text=True))
    page = admin_client.get(f"/prosjekter/{programme.code}").get_data(as_text=True)
    assert "Delprosjekter" in page and "Barn" in page


# ---- history -----------------------------------------------------------------------


def test_history_shows_who_changed_what(admin_client, make_org):
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    admin_client.post("/prosjekter/nytt", form_data([sogndal.id], name="Før"))
    admin_client.post("/prosjekter/EHANDEL-NF/rediger",
                      form_data([sogndal.id, luster.id], name="Etter", code="EHANDEL-NF",
                                version_id="1"))
    html = admin_client.get("/prosjekter/EHANDEL-NF/historikk").get_data(as_text=True)
    assert "Anne Admin" in html
    assert "Opprettet" in html and "Endret" in html
    assert "<td>Før</td>" in html and "<td>Etter</td>" in html
    # Owners, phase and dates are shown by name, not by id or code.
    assert "<td>Sogndal kommune</td>" in html
    assert "<td>Sogndal kommune, Luster kommune</td>" in html
    assert "<td>Planlegge</td>" in html and "<td>22.04.2013</td>" in html


def test_history_is_paged_newest_first(app, admin_client, make_project):
    from datetime import datetime, timedelta

    from governance.history.models import ChangeRecord

    project = make_project(name="Mange endringer")
    start = datetime(2030, 1, 1, 12, 0)
    with app.app_context():
        db.session.add_all([
            ChangeRecord(at=start + timedelta(minutes=n), actor_name="Anne Admin",
                         action="update", table_name="project", row_id=str(project.id),
                         project_id=project.id, before={"name": f"Navn {n - 1}"},
                         after={"name": f"Navn {n}"})
            for n in range(1, 106)
        ])
        db.session.commit()
    path = f"/prosjekter/{project.code}/historikk"

    def shown(html: str) -> list[int]:
        """The "after" values of the changes on the page, in order."""
        return [int(n) for n in re.findall(r"<td>Navn (\d+)</td>\s*</tr>", html)]

    first = admin_client.get(path).get_data(as_text=True)
    assert shown(first) == list(range(105, 5, -1))  # the 100 newest
    assert f'href="{path}?side=2">Eldre endringer</a>' in first
    assert "Nyere endringer" not in first
    assert '<span aria-current="page">Side 1</span>' in first

    second = admin_client.get(f"{path}?side=2").get_data(as_text=True)
    assert shown(second) == [5, 4, 3, 2, 1]
    assert "Opprettet" in second  # the oldest: the project was created
    assert f'href="{path}">Nyere endringer</a>' in second
    assert "Eldre endringer" not in second

    # A garbled page number is the first page, not an error.
    assert shown(admin_client.get(f"{path}?side=x").get_data(as_text=True))[0] == 105
