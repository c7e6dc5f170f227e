"""The API against its own OpenAPI document, fuzzed by schemathesis (on SQLite, and on
PostgreSQL when it is given): no 5xx, every status, content type, header and body as the
document says, and data outside the document refused with a 4xx.

The token is the project leader's, on a project with data, so the fuzzing reaches 200 and 201
answers too: the project code is the real one, the indicator is the real one in half the
cases and the organisation in half the measurements (the rest answer 404 or 422)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, select

from governance.benefits.models import Measurement
from governance.extensions import db
from tests.http.api.conftest import bearer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]

FUZZ = settings(
    deadline=None,  # requests hit a real database; timing is not what is tested here
    database=None,  # no example database written into the checkout
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    # The app fixture is shared by the examples on purpose (one database, one world), and
    # schemathesis' generated cases can be large or filtered; neither is a problem here.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def _strategy(schema, world, mode, headers):
    """Every operation's cases, with the real project's code fixed (so schemathesis knows it
    was not generated); the measurements also with the real indicator fixed."""
    strategies = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        fixed = {"code": world.code} if "code" in names else {}
        strategies.append(operation.as_strategy(mode, path_parameters=fixed or None,
                                                headers=headers))
        if "indicator_id" in names:
            strategies.append(operation.as_strategy(
                mode, path_parameters={**fixed, "indicator_id": world.indicator},
                headers=headers))
    return st.one_of(strategies)


def _aim_body(case, world) -> None:
    """Every other valid measurement is for a participating organisation and a period that
    has begun, without a version (the rest mostly answer 422: the organisation does not take
    part, the period lies ahead; or 409)."""
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("organisation_id"), int) \
            and body["organisation_id"] % 2:
        body["organisation_id"] = world.sogndal
        body["period"] = "2013-Q1"
        body.pop("version_id", None)


def test_the_api_keeps_to_its_openapi_document(app, api_world, make_token):
    secret = make_token(api_world.users["leader"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    statuses: set[tuple[str, int]] = set()

    @settings(FUZZ, max_examples=250)
    @given(case=_strategy(schema, api_world, GenerationMode.POSITIVE, bearer(secret)))
    def positive(case):
        _aim_body(case, api_world)
        response = case.call_and_validate(checks=CHECKS)
        statuses.add((case.method, response.status_code))

    @settings(FUZZ, max_examples=150)
    @given(case=_strategy(schema, api_world, GenerationMode.NEGATIVE, bearer(secret)))
    def negative(case):
        case.call_and_validate(checks=[*CHECKS, negative_data_rejection])

    positive()
    negative()
    # The fuzzing got through to real answers, not only refusals.
    assert {("GET", 200), ("POST", 201)} <= statuses, statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Measurement)) > 3


def test_without_a_token_every_operation_is_a_json_401(app, api_world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @settings(FUZZ, max_examples=30)
    @given(case=_strategy(schema, api_world, GenerationMode.POSITIVE, None))
    def anonymous(case):
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code == 401, (case.method, case.path, response.status_code)

    anonymous()
