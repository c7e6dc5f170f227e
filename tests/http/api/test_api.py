"""The JSON API with a token: reading with the user's rights, pagination, JSON errors, and
writing measurements with the entry screen's rules (own organisation only, 409 on a stale
version, 422 with per-field messages, nothing saved when refused)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from governance.benefits.models import Measurement
from governance.extensions import db
from tests.http.api.conftest import bearer

BASE = "/api/v1/projects/EHANDEL"


@pytest.fixture
def tokens(api_world, make_token) -> dict[str, str]:
    return {name: make_token(user) for name, user in api_world.users.items()}


@pytest.fixture
def api(app):
    return app.test_client()


def _get(api, path, secret):
    return api.get(path, headers=bearer(secret))


def _post(api, secret, payload, indicator, **headers):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return api.post(f"{BASE}/indicators/{indicator}/measurements", data=body,
                    headers={**bearer(secret), "Content-Type": "application/json",
                             **headers})


def _stored(app) -> set[tuple]:
    with app.app_context():
        return set(db.session.execute(select(
            Measurement.organisation_id, Measurement.period, Measurement.value,
            Measurement.comment)).all())


# --- Reading ---------------------------------------------------------------------------------


def test_a_token_reads_what_its_user_may_see(api, api_world, tokens):
    projects = _get(api, "/api/v1/projects", tokens["lead"]).get_json()
    assert [p["code"] for p in projects["items"]] == ["EHANDEL"]
    assert [p["code"] for p in _get(api, "/api/v1/projects", tokens["admin"])
            .get_json()["items"]] == ["ANNET", "EHANDEL"]
    detail = _get(api, BASE, tokens["steering"]).get_json()
    assert detail["name"] == "eHandel i Sogn"
    assert [o["name"] for o in detail["participants"]] == ["Luster kommune",
                                                            "Sogndal kommune"]
    # Another project's leader is told nothing about this one.
    refused = _get(api, BASE, tokens["stranger"])
    assert refused.status_code == 404
    assert refused.get_json()["error"]["message"].startswith("Prosjektet finnes ikke")


def test_milestones_indicators_risks_and_status(api, api_world, tokens):
    secret = tokens["steering"]
    [milestone] = _get(api, f"{BASE}/milestones", secret).get_json()["items"]
    assert (milestone["title"], milestone["status"], milestone["baseline_date"],
            milestone["forecast_date"], milestone["slip_days"]) == (
        "Buyer-oppsett ferdig", "late", "2013-09-01", "2013-10-01", 30)
    [indicator] = _get(api, f"{BASE}/indicators", secret).get_json()["items"]
    assert indicator["unit"] == "percent"
    assert indicator["baselines"] == [{"organisation_id": api_world.sogndal, "value": "0.8",
                                       "measured_on": "2011-12-31"}]
    assert indicator["targets"] == [{"target_date": "2014-12-31", "value": "30"}]
    [risk] = _get(api, f"{BASE}/risks", secret).get_json()["items"]
    assert (risk["title"], risk["score"], risk["category"]) == (
        "Leiinga prioriterer ikkje", 15, "organisation")
    status = _get(api, f"{BASE}/status", secret).get_json()
    assert status["latest"]["period"] == "2013-08"
    assert status["latest"]["published_at"] == "2013-09-02T10:00:00Z"
    assert status["latest"]["lights"]["schedule"] == {
        "light": "yellow", "comment": "Styringsdokumentet er forseinka."}
    assert status["latest"]["lights"]["quality"]["light"] is None
    assert status["reports"]["total"] == 1


def test_measurements_are_filtered_and_paginated(api, api_world, tokens):
    path = f"{BASE}/indicators/{api_world.indicator}/measurements"
    secret = tokens["steering"]
    everything = _get(api, path, secret).get_json()
    assert [(m["period"], m["organisation"]["name"], m["value"]) for m in everything["items"]] \
        == [("2012-Q1", "Sogndal kommune", "3"), ("2012-Q2", "Sogndal kommune", "8.4"),
            ("2012-Q2", "Luster kommune", "6.3")]
    first = _get(api, f"{path}?limit=2", secret).get_json()
    rest = _get(api, f"{path}?limit=2&offset=2", secret).get_json()
    assert (first["total"], len(first["items"]), len(rest["items"])) == (3, 2, 1)
    assert first["items"] + rest["items"] == everything["items"]
    only_luster = _get(api, f"{path}?organisation_id={api_world.luster}", secret).get_json()
    assert [m["value"] for m in only_luster["items"]] == ["6.3"]
    q2 = _get(api, f"{path}?period=2012-q2", secret).get_json()
    assert q2["total"] == 2


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=abc", "offset=-1",
                                   "offset=99999999999", "limit=%C3%A6"])
def test_bad_paging_is_a_400_with_a_message(api, api_world, tokens, query):
    response = _get(api, f"/api/v1/projects?{query}", tokens["lead"])
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert set(error["fields"]) <= {"limit", "offset"} and error["fields"]


def test_a_bad_period_filter_is_a_400(api, api_world, tokens):
    response = _get(api, f"{BASE}/indicators/{api_world.indicator}/measurements?period=mars",
                    tokens["lead"])
    assert response.status_code == 400
    assert "2013-Q2" in response.get_json()["error"]["fields"]["period"]


def test_unknown_addresses_and_methods_answer_json(api, api_world, tokens):
    missing = _get(api, "/api/v1/finnes-ikke", tokens["lead"])
    assert (missing.status_code, missing.is_json) == (404, True)
    assert missing.headers["Cache-Control"] == "no-store"
    no_indicator = _get(api, f"{BASE}/indicators/999999/measurements", tokens["lead"])
    assert no_indicator.status_code == 404
    assert no_indicator.get_json()["error"]["message"] == "Indikatoren finnes ikke i prosjektet."
    wrong = api.delete(BASE, headers=bearer(tokens["lead"]))
    assert wrong.status_code == 405 and wrong.is_json
    assert "GET" in wrong.headers["Allow"]


def test_the_openapi_document_is_public_and_holds_no_data(api, api_world):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/projects/{code}/indicators/{indicator_id}/measurements" in document["paths"]
    assert "Sogndal" not in response.get_data(as_text=True)


# --- Writing ---------------------------------------------------------------------------------


def test_a_municipal_lead_writes_own_organisations_measurements(app, api, api_world, tokens):
    before = _stored(app)
    created = _post(api, tokens["lead"], {"organisation_id": api_world.sogndal,
                                          "period": "2013-Q1", "value": "12,5",
                                          "comment": "Frå fagsystemet"}, api_world.indicator)
    assert created.status_code == 201
    body = created.get_json()
    assert (body["period"], body["value"], body["period_start"], body["period_end"]) == (
        "2013-Q1", "12.5", "2013-01-01", "2013-03-31")
    # Posting the same organisation and period again updates it.
    updated = _post(api, tokens["lead"], {"organisation_id": api_world.sogndal,
                                          "period": "2013-q1", "value": 13,
                                          "version_id": body["version_id"]},
                    api_world.indicator)
    assert updated.status_code == 200
    assert updated.get_json()["id"] == body["id"]
    added = _stored(app) - before
    assert [(org, period, str(value.normalize()), comment)
            for org, period, value, comment in added] == [
        (api_world.sogndal, "2013-Q1", "13", "")]
    # Another organisation's is refused, and nothing is saved.
    refused = _post(api, tokens["lead"], {"organisation_id": api_world.luster,
                                          "period": "2013-Q1", "value": 5},
                    api_world.indicator)
    assert refused.status_code == 403
    assert "egen organisasjon" in refused.get_json()["error"]["message"]
    assert len(_stored(app) - before) == 1


def test_the_leader_writes_for_any_participant(app, api, api_world, tokens):
    response = _post(api, tokens["leader"], {"organisation_id": api_world.luster,
                                             "period": "2013-07", "value": 20.25},
                     api_world.indicator)
    assert response.status_code == 201
    assert response.get_json()["value"] == "20.25"


def test_a_steering_group_member_reads_but_cannot_write(app, api, api_world, tokens):
    before = _stored(app)
    response = _post(api, tokens["steering"], {"organisation_id": api_world.sogndal,
                                               "period": "2013-Q1", "value": 5},
                     api_world.indicator)
    assert response.status_code == 403
    assert _stored(app) == before


def test_a_stale_version_is_a_409_with_the_stored_value(app, api, api_world, tokens):
    first = _post(api, tokens["lead"], {"organisation_id": api_world.sogndal,
                                        "period": "2013-Q1", "value": 10},
                  api_world.indicator).get_json()
    _post(api, tokens["leader"], {"organisation_id": api_world.sogndal, "period": "2013-Q1",
                                  "value": 11, "version_id": first["version_id"]},
          api_world.indicator)
    stale = _post(api, tokens["lead"], {"organisation_id": api_world.sogndal,
                                        "period": "2013-Q1", "value": 12,
                                        "version_id": first["version_id"]},
                  api_world.indicator)
    assert stale.status_code == 409
    assert stale.get_json()["error"]["current"]["value"] == "11"
    new_only = _post(api, tokens["lead"], {"organisation_id": api_world.sogndal,
                                           "period": "2013-Q1", "value": 12,
                                           "version_id": 0}, api_world.indicator)
    assert new_only.status_code == 409


@pytest.mark.parametrize(("payload", "fields"), [
    ({"organisation_id": "én", "period": "2013-Q1", "value": 1}, {"organisation_id"}),
    ({"organisation_id": True, "period": "2013-Q1", "value": 1}, {"organisation_id"}),
    ({"period": "2013-Q1", "value": 1}, {"organisation_id"}),
    ({"organisation_id": "x", "period": "mars", "value": "mye"},
     {"organisation_id", "period", "value"}),
    ({"organisation_id": "ORG", "period": "2013-Q1", "value": None}, {"value"}),
    ({"organisation_id": "ORG", "period": "2013-Q1", "value": 1e300}, {"value"}),
    ({"organisation_id": "ORG", "period": "2013-Q4", "value": 1}, {"period"}),  # not begun
    ({"organisation_id": "ORG", "period": "2013-Q1", "value": 1, "comment": "x" * 1001},
     {"comment"}),
    ({"organisation_id": "ORG", "period": "2013-Q1", "value": 1, "verdi": 2}, {"verdi"}),
    ({"organisation_id": "ORG", "period": "2013-Q1", "value": 1, "version_id": -1},
     {"version_id"}),
])
def test_invalid_measurements_are_422_with_a_message_per_field(app, api, api_world, tokens,
                                                               payload, fields):
    before = _stored(app)
    payload = {key: api_world.sogndal if value == "ORG" else value
               for key, value in payload.items()}
    response = _post(api, tokens["leader"], payload, api_world.indicator)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert set(error["fields"]) == fields
    assert all(error["fields"].values())
    assert _stored(app) == before


def test_an_organisation_outside_the_project_is_a_422(app, api, api_world, tokens, make_org):
    outside = make_org(name="Tinn kommune")
    response = _post(api, tokens["leader"], {"organisation_id": outside.id,
                                             "period": "2013-Q1", "value": 1},
                     api_world.indicator)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "organisation_id": "Organisasjonen deltar ikke i prosjektet."}


@pytest.mark.parametrize(("body", "content_type", "status"), [
    ("{not json", "application/json", 400),
    ('{"value": NaN, "organisation_id": 1, "period": "2013"}', "application/json", 400),
    (b"\xff\xfe\x00", "application/json", 400),
    ("[1, 2]", "application/json", 422),
    ("organisation_id=1&period=2013&value=1", "application/x-www-form-urlencoded", 415),
    ("", "text/plain", 415),
])
def test_bodies_that_are_not_a_json_object(app, api, api_world, tokens, body, content_type,
                                           status):
    before = _stored(app)
    response = api.post(f"{BASE}/indicators/{api_world.indicator}/measurements", data=body,
                        headers={**bearer(tokens["leader"]), "Content-Type": content_type})
    assert response.status_code == status
    assert response.get_json()["error"]["message"]
    assert _stored(app) == before
