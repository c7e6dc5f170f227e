"""The wastebasket (papirkurv), evidence that can never be deleted, and the administrator's
purge of a project created by mistake, over HTTP."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from governance.api import service as api_service
from governance.extensions import db
from governance.history.models import ChangeRecord
from governance.roles.models import User
from tests.pages import text
from tests.retention_world import TODAY, Evidence, build, row_counts


@pytest.fixture(autouse=True)
def today(app, monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())


@pytest.fixture
def leader(make_user):
    return make_user(username="katrine", full_name="Katrine Wilson")


@pytest.fixture
def rydd(app, leader, make_org, make_project, give_role) -> Evidence:
    return build(app, code="RYDD", leader=leader, make_org=make_org,
                 make_project=make_project, give_role=give_role)


@pytest.fixture
def katrine(make_client, leader):
    browser = make_client()
    assert browser.login("katrine").status_code == 303
    return browser


@pytest.fixture
def token(app, leader) -> dict[str, str]:
    with app.app_context():
        stored = db.session.get(User, leader.id)
        _token, secret = api_service.create_token(db.session, stored, stored, name="Fagsystem",
                                                  expires_on=None, today=TODAY)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def base(world: Evidence) -> str:
    return f"/prosjekter/{world.code}"


def wastebasket(browser, world: Evidence) -> str:
    response = browser.get(f"{base(world)}/papirkurv")
    assert response.status_code == 200
    return text(response)


def restore(browser, world: Evidence, kind: str, object_id: int):
    return browser.post(f"{base(world)}/papirkurv/{kind}/{object_id}/gjenopprett")


def history(browser, world: Evidence) -> str:
    return text(browser.get(f"{base(world)}/historikk"))


def actions(app, table: str, row_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            select(ChangeRecord.action).where(ChangeRecord.table_name == table,
                                              ChangeRecord.row_id == str(row_id))
            .order_by(ChangeRecord.id)))


# ---- the wastebasket -------------------------------------------------------------------------


def test_a_deleted_milestone_leaves_every_list_and_comes_back_on_restore(
        app, rydd, katrine, client, token):
    title = "Avtale signert RYDD"
    api_path = f"/api/v1/projects/{rydd.code}/milestones"

    def api_titles():
        return [m["title"] for m in client.get(api_path, headers=token).get_json()["items"]]

    assert title in api_titles()
    response = katrine.post(f"{base(rydd)}/milepaler/{rydd.milestone}/slett")
    assert response.status_code == 303
    page = text(katrine.get(f"{base(rydd)}/milepaler"))
    assert f"Milepælen «{title}» er flyttet til papirkurven." in page
    assert f'id="milestone-{rydd.milestone}"' not in page
    assert "Opplæring RYDD" in page
    assert katrine.get(f"{base(rydd)}/milepaler/{rydd.milestone}").status_code == 404
    assert title not in api_titles()
    assert title not in text(katrine.get(f"{base(rydd)}/dashbord"))
    assert title not in text(katrine.get(f"{base(rydd)}/styringsgruppepakke"))

    basket = wastebasket(katrine, rydd)
    assert re.search(rf"Milepæl:</span> {title}</td>.*?Katrine Wilson", basket, re.S)
    assert "Flyttet til papirkurven" in history(katrine, rydd)

    response = restore(katrine, rydd, "milepael", rydd.milestone)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{base(rydd)}/papirkurv"
    basket = text(katrine.get(response.headers["Location"]))
    assert "Milepæl er gjenopprettet." in basket
    assert "Papirkurven er tom." in basket
    assert f'id="milestone-{rydd.milestone}"' in text(katrine.get(f"{base(rydd)}/milepaler"))
    assert title in api_titles()
    assert actions(app, "milestone", rydd.milestone) == ["insert", "trash", "restore"]
    assert "Gjenopprettet" in history(katrine, rydd)
    # Nothing left to restore: 404, not a second restore.
    assert restore(katrine, rydd, "milepael", rydd.milestone).status_code == 404


def test_a_deleted_measurement_leaves_the_api_and_the_figures_and_a_new_value_may_be_entered(
        app, rydd, katrine, client, token):
    api_path = f"/api/v1/projects/{rydd.code}/indicators/{rydd.indicator}/measurements"

    def api_values():
        items = client.get(api_path, headers=token).get_json()["items"]
        return sorted((m["period"], m["value"]) for m in items)

    assert api_values() == [("2012-Q4", "30"), ("2013-Q1", "40")]
    row = f"{base(rydd)}/gevinster/registrering/{rydd.org}/2013-Q1/{rydd.indicator}"
    entry = text(katrine.get(f"{base(rydd)}/gevinster/registrering?organisasjon={rydd.org}"
                             "&periode=2013-Q1"))
    assert f'formaction="{row}/slett"' in entry
    response = katrine.post(f"{row}/slett")
    assert response.status_code == 303
    assert api_values() == [("2012-Q4", "30")]
    assert "Målingen er flyttet til papirkurven." in text(
        katrine.get(f"{base(rydd)}/gevinster/registrering?organisasjon={rydd.org}"
                    "&periode=2013-Q1"))

    # The slot is free again: a new value for 2013-Q1 is saved (the old one stays in the bin).
    prefix = f"i{rydd.indicator}-"
    response = katrine.post(row, {prefix + "value": "45", prefix + "comment": "Rettet",
                                  prefix + "version_id": "0"})
    assert response.status_code == 303
    assert api_values() == [("2012-Q4", "30"), ("2013-Q1", "45")]

    # Restoring the old one now would make two values for one period: refused with a reason.
    response = restore(katrine, rydd, "maling", rydd.measurement)
    assert response.status_code == 422
    assert "Det finnes allerede en måling for 2013-Q1." in text(response)
    assert api_values() == [("2012-Q4", "30"), ("2013-Q1", "45")]

    # Delete the new one by htmx (the row is swapped), then the old one comes back.
    response = katrine.htmx("POST", f"{row}/slett")
    assert response.status_code == 200
    assert "Flyttet til papirkurven: Avtalelojalitet RYDD." in text(response)
    assert restore(katrine, rydd, "maling", rydd.measurement).status_code == 303
    assert api_values() == [("2012-Q4", "30"), ("2013-Q1", "40")]


def test_a_deleted_budget_line_leaves_the_sums_with_its_actual_costs(app, rydd, katrine):
    overview = text(katrine.get(f"{base(rydd)}/okonomi/?ar=2013"))
    assert "Lønn prosjektleder RYDD" in overview
    assert "300\u00a0000\u00a0kr" in overview
    response = katrine.post(f"{base(rydd)}/okonomi/linjer/{rydd.line}/slett")
    assert response.status_code == 303
    overview = text(katrine.get(f"{base(rydd)}/okonomi/?ar=2013"))
    assert "Lønn prosjektleder RYDD" not in overview
    assert "300\u00a0000\u00a0kr" not in overview
    assert "25\u00a0000\u00a0kr" not in overview
    basket = wastebasket(katrine, rydd)
    assert "Budsjettlinje:</span> Lønn prosjektleder RYDD" in basket
    # The line's actual cost went with it and is not listed on its own...
    assert "Regnskapstall:</span>" not in basket
    # ... and cannot be restored without the line.
    response = restore(katrine, rydd, "regnskapstall", rydd.actual)
    assert response.status_code == 422
    assert "Budsjettlinjen ligger i papirkurven. Gjenopprett budsjettlinjen først." in text(
        response)
    assert restore(katrine, rydd, "budsjettlinje", rydd.line).status_code == 303
    overview = text(katrine.get(f"{base(rydd)}/okonomi/?ar=2013"))
    assert "300\u00a0000\u00a0kr" in overview and "25\u00a0000\u00a0kr" in overview
    assert actions(app, "actual_cost", rydd.actual) == ["insert", "trash", "restore"]


def test_risk_measures_and_agenda_items_go_to_the_bin_and_back(app, rydd, katrine):
    risk_page = f"{base(rydd)}/risiko/{rydd.risk}"
    assert "Ring leverandørene RYDD" in text(katrine.get(risk_page))
    assert katrine.post(f"{risk_page}/tiltak/{rydd.measure}/slett").status_code == 303
    assert "Ring leverandørene RYDD" not in text(katrine.get(risk_page))
    meeting_page = f"{base(rydd)}/moter/{rydd.meeting}"
    assert "Prosjektplanen RYDD" in text(katrine.get(meeting_page))
    assert katrine.post(
        f"{meeting_page}/saker/{rydd.agenda_item}/slett").status_code == 303
    assert "Prosjektplanen RYDD" not in text(katrine.get(meeting_page))
    basket = wastebasket(katrine, rydd)
    assert "Risikotiltak:</span> Ring leverandørene RYDD" in basket
    assert "Sak på sakslisten:</span> Prosjektplanen RYDD" in basket
    assert restore(katrine, rydd, "tiltak", rydd.measure).status_code == 303
    assert restore(katrine, rydd, "sak", rydd.agenda_item).status_code == 303
    assert "Ring leverandørene RYDD" in text(katrine.get(risk_page))
    assert "Prosjektplanen RYDD" in text(katrine.get(meeting_page))


def test_who_may_restore_is_who_could_delete(app, rydd, katrine, make_user, give_role,
                                             make_client, make_project):
    from governance.projects.models import Project
    from governance.roles.models import ProjectRoleKind

    assert katrine.post(f"{base(rydd)}/milepaler/{rydd.milestone}/slett").status_code == 303
    reader = make_user(username="lese", full_name="Lene Leser")
    with app.app_context():
        project = db.session.get(Project, rydd.project)
        db.session.expunge(project)
    give_role(reader, project, ProjectRoleKind.BENEFIT_RESPONSIBLE)  # reads the project
    browser = make_client()
    assert browser.login("lese").status_code == 303
    assert browser.get(f"{base(rydd)}/papirkurv").status_code == 403
    assert restore(browser, rydd, "milepael", rydd.milestone).status_code == 403
    assert "Papirkurv" not in text(browser.get(f"{base(rydd)}/milepaler"))
    # Outside the project: 404.
    stranger = make_user(username="fremmed")
    other = make_client()
    assert other.login("fremmed").status_code == 303
    assert other.get(f"{base(rydd)}/papirkurv").status_code == 404
    assert restore(other, rydd, "milepael", rydd.milestone).status_code == 404
    assert stranger is not None
    # An unknown kind or another project's id: 404; no CSRF token: 400.
    assert restore(katrine, rydd, "vedtak", 1).status_code == 404
    assert katrine.post(f"{base(rydd)}/papirkurv/milepael/{rydd.milestone}/gjenopprett",
                        csrf=False).status_code == 400
    assert actions(app, "milestone", rydd.milestone) == ["insert", "trash"]


# ---- evidence that is never deleted ----------------------------------------------------------


def test_no_route_deletes_a_report_or_a_decision(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("reporting.", "decisions.", "api.")):
            deletes = "DELETE" in rule.methods or re.search(r"slett|delete", rule.rule)
            about = re.search(r"rapport|vedtak|report|decision|status", rule.rule)
            assert not (deletes and about), rule.rule


# ---- purge of a project created by mistake ---------------------------------------------------


@pytest.fixture
def mistake(app, make_org, make_project, give_role, leader) -> Evidence:
    return build(app, code="FEIL", leader=leader, make_org=make_org,
                 make_project=make_project, give_role=give_role)


def test_only_an_administrator_may_purge(app, mistake, katrine):
    for response in (katrine.get(f"/admin/prosjekter/{mistake.code}/slett"),
                     katrine.post(f"/admin/prosjekter/{mistake.code}/slett",
                                  {"confirmation": mistake.code}),
                     katrine.get("/admin/prosjekter/slettede")):
        assert response.status_code == 403
    assert row_counts(app, mistake.project)["project"] == 1


def test_the_purge_asks_for_the_code_and_removes_that_project_only(
        app, rydd, mistake, admin_client):
    others_before = row_counts(app, rydd.project)
    before = row_counts(app, mistake.project)
    assert before["milestone"] == 2 and before["measurement"] == 2
    url = f"/admin/prosjekter/{mistake.code}/slett"
    page = text(admin_client.get(url))
    assert "Slett prosjektet FEIL" in page
    assert re.search(r"Milepæler</th><td class=\"number\">2</td>", page)
    assert re.search(r"Målinger</th><td class=\"number\">2</td>", page)
    assert re.search(r"Statusrapporter</th><td class=\"number\">1</td>", page)
    assert "Skriv prosjektets kortnavn, FEIL, for å bekrefte" in page
    # The edit page links to it, for administrators.
    assert url in text(admin_client.get(f"/prosjekter/{mistake.code}/rediger"))

    for wrong in ("", "RYDD", "FEI"):
        response = admin_client.post(url, {"confirmation": wrong})
        assert response.status_code == 422
        assert "Skriv prosjektets kortnavn, FEIL, for å bekrefte." in text(response)
    assert row_counts(app, mistake.project) == before

    response = admin_client.post(url, {"confirmation": "feil"})  # case does not matter
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/prosjekter/slettede"
    listing = text(admin_client.get(response.headers["Location"]))
    assert "Prosjektet FEIL (Prosjekt FEIL) er slettet." in listing
    assert re.search(r"Anne Admin</td>\s*<td>FEIL: Prosjekt FEIL</td>", listing)
    assert "Milepæler: 2" in listing and "Målinger: 2" in listing
    after = row_counts(app, mistake.project)
    assert set(after.values()) == {0}, {k: v for k, v in after.items() if v}
    assert row_counts(app, rydd.project) == others_before
    assert admin_client.get(f"/prosjekter/{mistake.code}").status_code == 404
    with app.app_context():
        [purge] = db.session.scalars(select(ChangeRecord).where(
            ChangeRecord.action == "purge")).all()
        assert purge.before["code"] == "FEIL" and purge.before["counts"]["milestones"] == 2
        assert purge.actor_name == "Anne Admin"
        # The purged project's own change records went with it (on SQLite a new project may
        # get its id); the purge record is filed apart and stays.
        assert db.session.scalar(select(ChangeRecord.id).where(
            ChangeRecord.project_id == mistake.project)) is None


@pytest.mark.parametrize("evidence", ["decided", "published"])
def test_a_project_with_decisions_or_published_reports_cannot_be_purged(
        app, make_org, make_project, give_role, leader, admin_client, evidence):
    world = build(app, code="BEVIS", leader=leader, make_org=make_org,
                  make_project=make_project, give_role=give_role, **{evidence: True})
    before = row_counts(app, world.project)
    url = f"/admin/prosjekter/{world.code}/slett"
    page = text(admin_client.get(url))
    assert "Prosjektet kan ikke slettes" in page
    assert "Avslutt prosjektet i stedet." in page
    assert 'name="confirmation"' not in page
    response = admin_client.post(url, {"confirmation": world.code})
    assert response.status_code == 422
    assert ("Prosjektet har publiserte statusrapporter eller vedtak og kan ikke slettes."
            in text(response))
    assert row_counts(app, world.project) == before
