"""The OpenAPI 3.0.3 document of /api/v1. Built from constants only: it describes the shape
of the API and holds no data."""

from __future__ import annotations

from functools import cache

from governance.benefits.models import Direction, Frequency, Unit
from governance.projects.models import DecisionPoint, Phase, ProjectStatus
from governance.projects.plan import MilestoneStatus
from governance.reporting.models import Dimension, Light, ReportStatus
from governance.risks.models import Proximity, RiskCategory, RiskKind, RiskStatus, Strategy

MAX_ID = 2**31 - 1
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
PERIOD_PATTERN = r"^(19\d{2}|2\d{3})(-(0?[1-9]|1[0-2]|[Hh][12]|[Qq][1-4]))?$"
CODE_PATTERN = r"^[A-Z0-9-]{2,20}$"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _enum(cls, nullable: bool = False) -> dict:
    schema: dict = {"type": "string", "enum": [m.value for m in cls]}
    if nullable:
        schema["nullable"] = True
        schema["enum"] = [*schema["enum"], None]
    return schema


def _string(nullable: bool = False, **extra) -> dict:
    return {"type": "string", **({"nullable": True} if nullable else {}), **extra}


def _date(nullable: bool = False) -> dict:
    return _string(nullable, format="date")


def _datetime(nullable: bool = False) -> dict:
    return _string(nullable, format="date-time")


DECIMAL = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$",
           "description": "An exact decimal number written as a string (a point as decimal "
                          "separator, no trailing zeros), e.g. \"12.5\". Values in kroner are "
                          "decimal kroner."}
NULLABLE_DECIMAL = {**DECIMAL, "nullable": True}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _object(properties: dict, required: list[str] | None = None,
            nullable: bool = False) -> dict:
    schema = {"type": "object", "properties": properties,
              "required": list(properties) if required is None else required,
              "additionalProperties": False}
    if nullable:
        schema["nullable"] = True
    return schema


def _page(item: str) -> dict:
    return _object({
        "items": {"type": "array", "items": _ref(item)},
        "total": {"type": "integer", "minimum": 0,
                  "description": "How many there are in all (not only on this page)."},
        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        "offset": {"type": "integer", "minimum": 0},
    })


ORGANISATION = _object({"id": ID, "name": {"type": "string"}})
NULLABLE_ORGANISATION = {**ORGANISATION, "nullable": True}


def _schemas() -> dict:
    measurement = _object({
        "id": ID, "indicator_id": ID, "organisation": ORGANISATION,
        "period": {"type": "string", "description": "2013, 2013-H1, 2013-Q2 or 2013-03."},
        "period_start": _date(), "period_end": _date(), "value": DECIMAL,
        "comment": {"type": "string"}, "entered_at": _datetime(),
        "version_id": {"type": "integer", "minimum": 1,
                       "description": "Send it back when updating, so that a change "
                                      "someone else made in between is not overwritten."},
    })
    lights = _object({
        d.value: _object({"light": _enum(Light, nullable=True), "comment": {"type": "string"}})
        for d in Dimension})
    return {
        "Error": _object({
            "error": _object({
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "message": {"type": "string", "description": "What went wrong (Norwegian)."},
                "fields": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "A message per field or parameter that was wrong."},
                "current": {**measurement, "nullable": True,
                            "description": "409: the measurement as it is stored now."},
            }, required=["status", "message"]),
        }),
        "Organisation": ORGANISATION,
        "ProjectSummary": _object({
            "code": {"type": "string"}, "name": {"type": "string"}, "phase": _enum(Phase),
            "status": _enum(ProjectStatus), "start_date": _date(True),
            "end_date": _date(True),
        }),
        "Project": _object({
            "code": {"type": "string"}, "name": {"type": "string"}, "phase": _enum(Phase),
            "status": _enum(ProjectStatus), "start_date": _date(True),
            "end_date": _date(True), "purpose": {"type": "string"},
            "description": {"type": "string"},
            "owners": {"type": "array", "items": ORGANISATION},
            "participants": {"type": "array", "items": ORGANISATION},
        }),
        "Milestone": _object({
            "id": ID, "title": {"type": "string"}, "description": {"type": "string"},
            "status": _enum(MilestoneStatus), "decision_point": _enum(DecisionPoint, True),
            "organisation": NULLABLE_ORGANISATION, "baseline_date": _date(True),
            "forecast_date": _date(True), "actual_date": _date(True), "due_date": _date(True),
            "slip_days": {"type": "integer", "nullable": True,
                          "description": "Days the forecast or actual date lies after the "
                                         "baseline."},
            "comment": {"type": "string"},
        }),
        "Indicator": _object({
            "id": ID, "name": {"type": "string"}, "unit": _enum(Unit),
            "unit_label": {"type": "string"}, "direction": _enum(Direction),
            "frequency": _enum(Frequency),
            "is_ratio": {"type": "boolean", "description": "Reported in kroner, read as a "
                         "percentage of the organisation's operating costs × ratio_factor."},
            "ratio_factor": NULLABLE_DECIMAL,
            "benefit": _object({"id": ID, "title": {"type": "string"}}, nullable=True),
            "baselines": {"type": "array", "items": _object({
                "organisation_id": ID, "value": DECIMAL, "measured_on": _date()})},
            "targets": {"type": "array", "items": _object({
                "target_date": _date(), "value": DECIMAL})},
        }),
        "Measurement": measurement,
        "MeasurementInput": {
            **_object({
                "organisation_id": {**ID, "description": "The organisation the value is "
                                    "for; it must take part in the project."},
                "period": {"type": "string", "pattern": PERIOD_PATTERN, "maxLength": 10,
                           "description": "2013 (year), 2013-H1, 2013-Q2 or 2013-03; not "
                                          "one that has not begun."},
                "value": {"oneOf": [{"type": "number"},
                                    {"type": "string", "pattern": r"^-?\d{1,14}([.,]\d+)?$"}],
                          "description": "In the indicator's unit; kroner for a ratio "
                                         "indicator. A string keeps every decimal exactly."},
                "comment": {"type": "string", "maxLength": 1000},
                "version_id": {"type": "integer", "minimum": 0, "maximum": MAX_ID,
                               "nullable": True,
                               "description": "Leave out to save whatever is stored. 0: only "
                                              "if there is no value yet; the stored "
                                              "version_id: only if nobody changed it since."},
            }, required=["organisation_id", "period", "value"]),
        },
        "Risk": _object({
            "id": ID, "number": {"type": "integer"}, "kind": _enum(RiskKind),
            "title": {"type": "string"}, "description": {"type": "string"},
            "category": _enum(RiskCategory), "phase": _enum(Phase, True),
            "probability": {"type": "integer", "minimum": 1, "maximum": 5},
            "consequence": {"type": "integer", "minimum": 1, "maximum": 5},
            "score": {"type": "integer", "minimum": 1, "maximum": 25},
            "residual_probability": {"type": "integer", "minimum": 1, "maximum": 5,
                                     "nullable": True},
            "residual_consequence": {"type": "integer", "minimum": 1, "maximum": 5,
                                     "nullable": True},
            "residual_score": {"type": "integer", "minimum": 1, "maximum": 25,
                               "nullable": True},
            "strategy": _enum(Strategy, True), "proximity": _enum(Proximity, True),
            "status": _enum(RiskStatus), "escalated": {"type": "boolean"},
            "owner": _string(True),
            "measures": {"type": "array", "items": _object({
                "id": ID, "text": {"type": "string"}, "due_date": _date(True),
                "done_on": _date(True)})},
        }),
        "ReportSummary": _object({
            "id": ID, "period": {"type": "string"}, "organisation": NULLABLE_ORGANISATION,
            "version": {"type": "integer", "minimum": 1}, "status": _enum(ReportStatus),
            "overall": _enum(Light, True), "published_at": _datetime(True),
        }),
        "Status": _object({
            "project": {"type": "string"},
            "latest": _object({
                "report_id": ID, "period": {"type": "string"},
                "version": {"type": "integer", "minimum": 1}, "published_at": _datetime(True),
                "lights": lights,
            }, nullable=True),
            "reports": _page("ReportSummary"),
        }),
        "ProjectPage": _page("ProjectSummary"),
        "MilestonePage": _page("Milestone"),
        "IndicatorPage": _page("Indicator"),
        "MeasurementPage": _page("Measurement"),
        "RiskPage": _page("Risk"),
    }


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(schema: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": _ref(schema)}}, "headers": {"Cache-Control": {"schema": {
            "type": "string", "enum": ["no-store"]}}}}


ERRORS = {
    "401": _error("No valid token: missing, unknown, revoked or expired, or its user is "
                  "disabled. Comes with WWW-Authenticate: Bearer."),
    "404": _error("No such project (or object), or the token's user may not see it."),
    "405": _error("Method not allowed."),
}
PAGE_PARAMS = [
    {"name": "limit", "in": "query", "required": False,
     "description": f"How many to return (1–{MAX_LIMIT}; {DEFAULT_LIMIT} unless given).",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                "default": DEFAULT_LIMIT}},
    {"name": "offset", "in": "query", "required": False,
     "description": "How many to skip.",
     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
]
CODE_PARAM = {"name": "code", "in": "path", "required": True,
              "description": "The project's short code, e.g. EHANDEL-SOGN.",
              "schema": {"type": "string", "pattern": CODE_PATTERN}}
INDICATOR_PARAM = {"name": "indicator_id", "in": "path", "required": True, "schema": ID}


def _read(summary: str, schema: str, params: list, description: str = "") -> dict:
    return {"get": {
        "summary": summary, "description": description, "parameters": params,
        "responses": {"200": _ok(schema),
                      "400": _error("A query parameter is invalid or unknown."),
                      **ERRORS},
    }}


@cache
def document() -> dict:
    measurements_get = _read(
        "An indicator's measurements", "MeasurementPage",
        [CODE_PARAM, INDICATOR_PARAM, *PAGE_PARAMS,
         {"name": "organisation_id", "in": "query", "required": False, "schema": ID},
         {"name": "period", "in": "query", "required": False,
          "schema": {"type": "string", "pattern": PERIOD_PATTERN, "maxLength": 10}}],
        "Oldest period first; filter by organisation and by period (2013, 2013-H1, "
        "2013-Q2, 2013-03).")["get"]
    measurements_post = {
        "summary": "Save a measurement",
        "description": (
            "Saves one organisation's value of the indicator for a period, with the same rules "
            "and rights as the entry screen: the project leader, the deputy and administrators "
            "for any participating organisation; a municipal project lead or benefit owner "
            "only for their own organisation. Posting again for the same organisation and "
            "period updates the stored value (200); a new one answers 201. Send version_id to "
            "be sure not to overwrite a change someone else made: a stale version answers 409 "
            "with the stored value in error.current."),
        "parameters": [CODE_PARAM, INDICATOR_PARAM],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": _ref("MeasurementInput")}}},
        "responses": {
            "200": _ok("Measurement", "Updated: the value for the period was already there."),
            "201": _ok("Measurement", "Created."),
            "400": _error("The body is not valid JSON, or the address has a query "
                          "parameter."),
            "403": _error("The token's user may not enter measurements for this "
                          "organisation (or in this project)."),
            "409": _error("Changed by someone else since version_id (error.current holds "
                          "the stored value)."),
            "415": _error("The body is not application/json."),
            "422": _error("Invalid input; error.fields has a message per field. Nothing "
                          "was saved."),
            **ERRORS,
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Styringsrommet API",
            "version": "1.0.0",
            "description": (
                "Read projects, milestones, indicators, measurements, risks and status; write "
                "measurements. Authenticate with a personal API token from the account page "
                "(Min konto → API-nøkler): `Authorization: Bearer <token>`. A token has exactly "
                "its user's rights. Dates are ISO 8601 (times in UTC); decimal numbers, "
                "amounts in kroner included, are strings of decimal digits; enumerations are "
                "stable lower-case codes. Lists are paginated with limit and offset. Errors "
                "are JSON: {\"error\": {\"status\", \"message\", \"fields\"}} with messages "
                "in Norwegian."),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/projects": _read("Projects the token's user can see", "ProjectPage",
                               PAGE_PARAMS, "Sorted by code."),
            "/projects/{code}": _read("One project", "Project", [CODE_PARAM]),
            "/projects/{code}/milestones": _read(
                "The project's milestones", "MilestonePage", [CODE_PARAM, *PAGE_PARAMS],
                "By due date; the status is derived from the dates and the time tolerance."),
            "/projects/{code}/indicators": _read(
                "The benefits plan's indicators, with baselines and targets", "IndicatorPage",
                [CODE_PARAM, *PAGE_PARAMS]),
            "/projects/{code}/indicators/{indicator_id}/measurements": {
                "get": measurements_get, "post": measurements_post},
            "/projects/{code}/risks": _read("The risk register", "RiskPage",
                                            [CODE_PARAM, *PAGE_PARAMS]),
            "/projects/{code}/status": _read(
                "Status: the latest published lights and the status reports", "Status",
                [CODE_PARAM, *PAGE_PARAMS],
                "latest: the newest published version of the project's own report (null "
                "when none is published). reports: every report and version, the "
                "municipalities' too, drafts included, newest period first; limit and offset "
                "page this list."),
        },
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A personal API token (sr_…) made on /konto/api-nokler."}},
            "schemas": _schemas(),
        },
    }
