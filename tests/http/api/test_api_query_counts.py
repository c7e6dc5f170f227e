"""The number of SQL queries an API answer needs does not grow with the data (the same
project as the pages' query-count test, small and ten times larger)."""

from __future__ import annotations

from sqlalchemy import select

from governance.benefits.models import Indicator
from governance.extensions import db
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
