"""The start page ("Mi side"): the user's own projects; an administrator's list is capped."""

from __future__ import annotations

from governance.roles.models import ProjectRoleKind
from tests.pages import text


def test_admin_sees_own_projects_then_a_capped_list_of_the_others(admin_client, make_project,
                                                                  give_role):
    mine = make_project(name="Aa mitt prosjekt")
    for number in range(1, 16):
        make_project(name=f"Prosjekt {number:02d}")
    give_role(admin_client.user, mine, ProjectRoleKind.PROJECT_LEADER)
    page = text(admin_client.get("/"))
    own, _, others = page.partition('id="other-projects-heading"')
    assert "Aa mitt prosjekt" in own and "Din rolle: Prosjektleder" in own
    assert "Prosjekt 01" not in own
    # Twelve of the fifteen others, by name, and the way to all of them.
    assert "Prosjekt 12" in others and "Prosjekt 13" not in others
    assert "Aa mitt prosjekt" not in others
    assert '<a class="ds-link" href="/prosjekter/">Se alle 16 prosjekter i prosjektlisten</a>' \
        in others


def test_admin_with_few_projects_gets_no_link_to_more(admin_client, make_project):
    make_project(name="Eneste")
    page = text(admin_client.get("/"))
    assert "Du har ingen rolle i noe prosjekt ennå." in page
    assert "Eneste" in page and "Du ser prosjektet som administrator." in page
    assert "Se alle" not in page


def test_a_user_sees_only_own_projects_and_no_others(client, make_user, make_project,
                                                     give_role):
    mine = make_project(name="Mitt prosjekt")
    make_project(name="Andres prosjekt")
    user = make_user(username="per")
    give_role(user, mine, ProjectRoleKind.MUNICIPAL_LEAD)
    client.login("per")
    page = text(client.get("/"))
    assert "Mitt prosjekt" in page
    assert "Andres prosjekt" not in page and "Andre prosjekter" not in page
