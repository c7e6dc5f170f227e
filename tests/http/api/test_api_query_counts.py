"""The number of SQL queries an API answer needs does not grow with the data (the same
project as the pages' query-count test, small and ten times larger)."""

from __future__ import annotations

from sqlalchemy import insert, select

from governance.benefits.models import Indicator
from governance.extensions import db
from governance.projects.models import Phase, Project, ProjectStatus
from governance.roles.models import ProjectRoleKind
from tests.http.api.conftest import bearer
from tests.http.test_query_counts import build, counting

ADDRESSES = ["/api/v1/projects", "/api/v1/projects/{code}",
             "/api/v1/projects/{code}/milestones", "/api/v1/projects/{code}/indicators",
             "/api/v1/projects/{code}/indicators/{indicator}/measurements",
             "/api/v1/projects/{code}/risks", "/api/v1/projects/{code}/status"]


def _counts(app, api, secret, project) -> dict[str, tuple[int, int]]:
    with app.app_context():
        indicator = db.session.scalar(select(Indicator.id).where(
            Indicator.project_id == project.id).order_by(Indicator.id))
    counts = {}
    for address in ADDRESSES:
        path = address.format(code=project.code, indicator=indicator)
        api.get(path, headers=bearer(secret))  # warm up
        with counting(app) as statements:
            response = api.get(path, headers=bearer(secret))
        assert response.status_code == 200, path
        counts[address] = (len(statements), response.get_json().get("total", 1))
    return counts


def test_api_query_count_does_not_grow_tenfold(app, make_org, make_project, make_user,
                                               give_role, add_to_group, make_token,
                                               monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", "2013-04-12")
    admin = make_user(username="admin", is_admin=True)
    secret = make_token(admin)
    api = app.test_client()
    small = _counts(app, api, secret,
                    build(app, 1, make_org, make_project, make_user, give_role, add_to_group))
    large = _counts(app, api, secret,
                    build(app, 10, make_org, make_project, make_user, give_role, add_to_group))
    # The larger project's lists are longer ...
    assert large["/api/v1/projects/{code}/milestones"][1] > small[
        "/api/v1/projects/{code}/milestones"][1]
    assert large["/api/v1/projects/{code}/risks"][1] > small["/api/v1/projects/{code}/risks"][1]
    # ... and take as many queries.
    grown = {a: (small[a][0], large[a][0]) for a in ADDRESSES if small[a][0] != large[a][0]}
    assert grown == {}, f"queries per answer grew with the data (small, 10x): {grown}"


def _list_count(app, api, secret, path="/api/v1/projects") -> tuple[int, dict]:
    api.get(path, headers=bearer(secret))  # warm up
    with counting(app) as statements:
        response = api.get(path, headers=bearer(secret))
    assert response.status_code == 200, path
    return len(statements), response.get_json()


def test_project_list_pages_in_the_database_past_500_projects(
        app, make_org, make_project, make_user, give_role, make_token):
    """The list reads one page, not every project: as many queries with 3 projects as with
    513 (more than a selectinload batch of 500 ids), for an administrator and for a user
    who sees one project, and the page past the 500th is in code order."""
    org = make_org()
    seen = make_project(code="ZZ-SEEN", owners=[org])
    make_project(code="AA-1", owners=[org])
    make_project(code="AA-2", owners=[org])
    admin = make_user(is_admin=True)
    lead = make_user()
    give_role(lead, seen, ProjectRoleKind.PROJECT_LEADER, org)
    admin_secret, lead_secret = make_token(admin), make_token(lead)
    api = app.test_client()
    small_admin, small_page = _list_count(app, api, admin_secret)
    small_lead, _ = _list_count(app, api, lead_secret)
    assert small_page["total"] == 3

    with app.app_context():
        db.session.execute(insert(Project), [
            {"code": f"BULK-{n:03d}", "name": f"Masseprosjekt {n}", "phase": Phase.PLANNING,
             "status": ProjectStatus.ACTIVE} for n in range(510)])
        db.session.commit()

    large_admin, large_page = _list_count(app, api, admin_secret)
    large_lead, lead_page = _list_count(app, api, lead_secret)
    assert large_page["total"] == 513
    assert len(large_page["items"]) == 50
    assert (small_admin, small_lead) == (large_admin, large_lead)
    # A user sees only their own project, however many others there are.
    assert [p["code"] for p in lead_page["items"]] == ["ZZ-SEEN"]
    assert lead_page["total"] == 1
    # Past the 500th project, still by code.
    _count, tail = _list_count(app, api, admin_secret, "/api/v1/projects?limit=20&offset=500")
    assert [p["code"] for p in tail["items"]] == [f"BULK-{n:03d}" for n in range(498, 510)] + [
        "ZZ-SEEN"]
    assert tail["offset"] == 500 and tail["limit"] == 20
