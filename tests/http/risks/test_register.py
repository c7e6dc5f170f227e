"""The risk register over HTTP: threats and opportunities with their strategies, bad scales
refused at the field, the score, re-assessments kept as history and the movement since the
last published report, measures (tiltak) with a responsible person, stale versions, the heat
maps' counts and the cell filter (full page and htmx fragment), the residual matrix, the colour
thresholds, who may change the register, and ids of another project."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from governance.extensions import db
from governance.projects.models import Project
from governance.reporting.models import Light, ReportStatus, StatusReport
from governance.risks import service
from governance.risks.models import (
    Proximity,
    Risk,
    RiskAssessment,
    RiskCategory,
    RiskKind,
    RiskMeasure,
    RiskStatus,
    Strategy,
)
from governance.roles.models import GroupKind, Person, ProjectRoleKind
from tests.pages import field_error, input_value, text

TODAY = date(2013, 6, 3)
CODE = "EHANDEL"
BASE = f"/prosjekter/{CODE}/risiko"
NBSP = "\u00a0"


# ---- the world: eHandel i Sogn, its leader, a municipal lead and a steering group member ---


@dataclass
class World:
    project: int
    person: dict[str, int]  # username -> person id


@pytest.fixture
def today(app, monkeypatch):
    """The app's today is 03.06.2013 (a test may move it on)."""
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())

    def move_to(day: date) -> None:
        monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", day.isoformat())

    return move_to


@pytest.fixture
def world(app, today, make_org, make_project, make_user, give_role, add_to_group) -> World:
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    project = make_project(code=CODE, name="eHandel i Sogn", owners=[sogndal],
                           participants=[sogndal, luster])
    users = {
        "katrine": make_user(username="katrine", full_name="Katrine Wilson"),
        "kari": make_user(username="kari", full_name="Kari Bø"),
        "ingrid": make_user(username="ingrid", full_name="Ingrid Eide"),
    }
    give_role(users["katrine"], project, ProjectRoleKind.PROJECT_LEADER)
    give_role(users["kari"], project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    add_to_group(users["ingrid"], project, GroupKind.STEERING_GROUP)
    with app.app_context():
        people = {name: db.session.scalar(select(Person.id).where(Person.user_id == user.id))
                  for name, user in users.items()}
    return World(project=project.id, person=people)


def signed_in(make_client, username: str):
    browser = make_client()
    assert browser.login(username).status_code == 303
    return browser


@pytest.fixture
def katrine(world, make_client):
    """The project leader: keeps the register."""
    return signed_in(make_client, "katrine")


@pytest.fixture
def kari(world, make_client):
    """Municipal project lead for Sogndal: reads the register."""
    return signed_in(make_client, "kari")


def add_risk(app, world: World, title: str, probability: int, consequence: int, *,
             residual: tuple[int, int] | None = None, kind=RiskKind.THREAT,
             status=RiskStatus.IDENTIFIED, owner: str | None = None, project_id=None) -> int:
    """A risk registered the way the form registers it, assessed on TODAY."""
    with app.app_context():
        project = db.session.get(Project, project_id or world.project)
        risk = service.save_risk(db.session, None, project, service.RiskInput(
            kind=kind, title=title, description="", cause="", consequence_text="",
            category=RiskCategory.OTHER, phase=None, probability=probability,
            consequence=consequence,
            residual_probability=residual[0] if residual else None,
            residual_consequence=residual[1] if residual else None,
            owner_person_id=world.person[owner] if owner else None, strategy=None,
            proximity=None, status=status, escalated=False), today=TODAY)
        db.session.commit()
        return risk.id


def add_measure(app, world: World, risk_id: int, what: str, responsible: str = "kari",
                due: date | None = None) -> int:
    with app.app_context():
        measure = service.save_measure(
            db.session, None, db.session.get(Risk, risk_id), service.MeasureInput(
                text=what, responsible_person_id=world.person[responsible], due_date=due,
                done_on=None), today=TODAY)
        db.session.commit()
        return measure.id


# ---- reading the database and the pages ---------------------------------------------------


def everything(app) -> list[tuple]:
    """Every risk, assessment and measure as stored: to show nothing was saved."""
    with app.app_context():
        risks = db.session.execute(select(
            Risk.id, Risk.kind, Risk.title, Risk.probability, Risk.consequence,
            Risk.residual_probability, Risk.residual_consequence, Risk.strategy, Risk.status,
            Risk.version_id).order_by(Risk.id)).all()
        assessments = db.session.execute(select(
            RiskAssessment.risk_id, RiskAssessment.probability, RiskAssessment.consequence,
            RiskAssessment.assessed_on).order_by(RiskAssessment.id)).all()
        measures = db.session.execute(select(
            RiskMeasure.id, RiskMeasure.text, RiskMeasure.responsible_person_id,
            RiskMeasure.due_date, RiskMeasure.done_on, RiskMeasure.version_id)
            .order_by(RiskMeasure.id)).all()
        return [tuple(r) for r in risks + assessments + measures]


def stored(app, risk_id: int) -> Risk | None:
    with app.app_context():
        found = db.session.get(Risk, risk_id)
        if found is not None:
            db.session.expunge(found)
        return found


def risk_by_title(app, title: str) -> Risk:
    with app.app_context():
        found = db.session.scalar(select(Risk).where(Risk.title == title))
        assert found is not None, f"no risk {title!r}"
        db.session.expunge(found)
        return found


def assessments_of(app, risk_id: int) -> list[tuple]:
    """(assessed on, probability, consequence, residual p, residual c, status), oldest first."""
    with app.app_context():
        rows = db.session.execute(select(
            RiskAssessment.assessed_on, RiskAssessment.probability, RiskAssessment.consequence,
            RiskAssessment.residual_probability, RiskAssessment.residual_consequence,
            RiskAssessment.status).where(RiskAssessment.risk_id == risk_id)
            .order_by(RiskAssessment.id)).all()
        return [tuple(r) for r in rows]


def measures_of(app, risk_id: int) -> list[tuple]:
    """(text, responsible person, due date, done on), in order."""
    with app.app_context():
        rows = db.session.execute(select(
            RiskMeasure.text, RiskMeasure.responsible_person_id, RiskMeasure.due_date,
            RiskMeasure.done_on).where(RiskMeasure.risk_id == risk_id)
            .order_by(RiskMeasure.id)).all()
        return [tuple(r) for r in rows]


def plain(markup: str) -> str:
    """What a reader sees: no tags, entities read, no-break spaces as spaces, one space."""
    words = html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).replace(NBSP, " ")
    return re.sub(r"\s+", " ", words).strip()


def risk_list(page: str) -> str:
    match = re.search(r'<section id="risk-list".*?</section>', page, re.S)
    assert match, "no risk list"
    return match.group(0)


def listed(page: str) -> list[str]:
    """The titles in the register's list, in order."""
    return [html_lib.unescape(t) for t in re.findall(
        r'<th scope="row"><a class="ds-link" href="[^"]*/risiko/\d+">([^<]*)</a>',
        risk_list(page))]


def list_row(page: str, title: str) -> str:
    """The list row of one risk, as text."""
    for row in re.findall(r"<tr>.*?</tr>", risk_list(page), re.S):
        if f">{title}</a>" in row:
            return plain(row)
    raise AssertionError(f"{title!r} is not in the list")


def matrix_table(page: str, caption: str) -> str:
    start = page.index(f">{caption}</caption>")
    return page[start:page.index("</table>", start)]


def matrix(page: str, caption: str = "Åpne risikoer før tiltak") -> dict[tuple[int, int], int]:
    """The heat map's data table: (probability, consequence) -> the count shown in the cell."""
    counts = {}
    for p, cells in re.findall(r'<tr><th scope="row">(\d)</th>(.*?)</tr>',
                               matrix_table(page, caption), re.S):
        for c, cell in enumerate(re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S), start=1):
            if cell.strip():
                counts[(int(p), c)] = int(re.match(r"<a[^>]*>(\d+)<", cell).group(1))
    return counts


def zones(page: str, caption: str = "Åpne risikoer før tiltak") -> dict[tuple[int, int], int]:
    """The colour zone of every cell of the data table (0 green, 1 yellow, 2 red)."""
    found = {}
    for p, cells in re.findall(r'<tr><th scope="row">(\d)</th>(.*?)</tr>',
                               matrix_table(page, caption), re.S):
        for c, zone in enumerate(re.findall(r'<td class="zone-(\d)">', cells), start=1):
            found[(int(p), c)] = int(zone)
    return found


def cell_link(page: str, caption: str, p: int, c: int) -> str:
    table = matrix_table(page, caption)
    match = re.search(rf'<a class="ds-link" href="([^"]+)"[^>]*>\d+<span class="ds-sr-only"> '
                      rf"risikoer med sannsynlighet {p} og konsekvens {c}</span>", table)
    assert match, f"no link in cell {p}, {c}"
    return html_lib.unescape(match.group(1))


def risk_data(world: World, **overrides) -> dict:
    data = {
        "kind": "threat", "title": "Leverandørene tar ikke i bruk e-handel",
        "description": "Små leverandører i Sogn har ikke e-faktura.",
        "cause": "Lav digital modenhet", "consequence_text": "Gevinstene uteblir",
        "category": "agreements", "phase": "", "probability": "3", "consequence": "4",
        "residual_probability": "2", "residual_consequence": "3",
        "owner_person_id": str(world.person["katrine"]), "strategy": "reduce",
        "proximity": "soon", "status": "identified", "note": "", "version_id": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def form_version(browser, risk_id: int) -> str:
    value = input_value(text(browser.get(f"{BASE}/{risk_id}/rediger")), "version_id")
    assert value, "no version on the form"
    return value


# ---- registering threats and opportunities ------------------------------------------------


def test_leader_registers_a_threat_and_its_score_is_shown(app, world, katrine):
    form = katrine.get(f"{BASE}/ny")
    assert form.status_code == 200
    # The scales' meanings are offered on the form.
    assert "3 – mulig" in text(form) and "5 – svært stor" in text(form)
    response = katrine.post(f"{BASE}/ny", risk_data(world, escalated="y", note="Første"))
    assert response.status_code == 303
    risk = risk_by_title(app, "Leverandørene tar ikke i bruk e-handel")
    assert response.headers["Location"] == f"{BASE}/{risk.id}"
    assert (risk.kind, risk.category, risk.strategy, risk.proximity, risk.status) == (
        RiskKind.THREAT, RiskCategory.AGREEMENTS, Strategy.REDUCE, Proximity.SOON,
        RiskStatus.IDENTIFIED)
    assert (risk.probability, risk.consequence, risk.residual_probability,
            risk.residual_consequence) == (3, 4, 2, 3)
    assert (risk.owner_person_id, risk.escalated, risk.number) == (
        world.person["katrine"], True, 1)
    assert assessments_of(app, risk.id) == [(TODAY, 3, 4, 2, 3, RiskStatus.IDENTIFIED)]

    detail = text(katrine.get(f"{BASE}/{risk.id}"))
    assert "Risikoen er lagret." in detail
    facts = plain(re.search(r'<dl class="facts">.*?</dl>', detail, re.S).group(0))
    assert "Sannsynlighet 3 – mulig" in facts
    assert "Konsekvens 4 – stor" in facts
    assert "Poengsum 12" in facts
    assert "Etter tiltak 2 – lite sannsynlig, 3 – middels: 6" in facts
    assert "Eier Katrine Wilson" in facts and "Strategi Redusere" in facts
    assert "Løftet til styringsgruppen" in facts

    row = list_row(text(katrine.get(f"{BASE}/")), "Leverandørene tar ikke i bruk e-handel")
    assert row == ("1 Leverandørene tar ikke i bruk e-handel Trussel · Avtaler · Løftet til "
                   "styringsgruppen 12 (3 × 4) 6 (2 × 3) Katrine Wilson Redusere Identifisert")


def test_an_opportunity_takes_the_opportunity_strategies(app, world, katrine):
    response = katrine.post(f"{BASE}/ny", risk_data(
        world, kind="opportunity", title="Felles innkjøp gir bedre priser", strategy="exploit",
        probability="4", consequence="5", residual_probability="", residual_consequence=""))
    assert response.status_code == 303
    risk = risk_by_title(app, "Felles innkjøp gir bedre priser")
    assert (risk.kind, risk.strategy, risk.score, risk.residual_score) == (
        RiskKind.OPPORTUNITY, Strategy.EXPLOIT, 20, None)
    row = list_row(text(katrine.get(f"{BASE}/")), "Felles innkjøp gir bedre priser")
    assert "Mulighet" in row and "Utnytte" in row and "20 (4 × 5)" in row


@pytest.mark.parametrize("kind, strategy, message", [
    ("threat", "exploit", "Strategien passer ikke for en trussel."),
    ("threat", "share", "Strategien passer ikke for en trussel."),
    ("opportunity", "avoid", "Strategien passer ikke for en mulighet."),
    ("opportunity", "transfer", "Strategien passer ikke for en mulighet."),
    ("threat", "bribe", "Ugyldig valg."),
])
def test_a_strategy_of_the_other_kind_is_refused(app, world, katrine, kind, strategy, message):
    response = katrine.post(f"{BASE}/ny", risk_data(world, kind=kind, strategy=strategy))
    assert response.status_code == 422
    assert field_error(text(response), "strategy") == message
    assert everything(app) == []


@pytest.mark.parametrize("field", ["probability", "consequence"])
@pytest.mark.parametrize("value, message", [
    ("0", "Ugyldig valg."), ("6", "Ugyldig valg."), ("tre", "Ugyldig valg."),
    ("-1", "Ugyldig valg."), ("", "Velg en verdi fra 1 til 5."),
])
def test_a_scale_outside_1_to_5_is_refused_at_the_field(app, world, katrine, field, value,
                                                        message):
    response = katrine.post(f"{BASE}/ny", risk_data(world, **{field: value}))
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, field) == message
    assert input_value(page, "title") == "Leverandørene tar ikke i bruk e-handel"  # kept
    assert everything(app) == []


@pytest.mark.parametrize("data, field, message", [
    ({"residual_probability": "6"}, "residual_probability", "Ugyldig valg."),
    ({"residual_consequence": "0"}, "residual_consequence", "Ugyldig valg."),
    ({"residual_consequence": ""}, "residual_probability",
     "Fyll ut både sannsynlighet og konsekvens etter tiltak, eller ingen av dem."),
    ({"title": "  "}, "title", "Dette feltet må fylles ut."),
    ({"owner_person_id": "99999"}, "owner_person_id", "Ugyldig valg."),
    ({"kind": "risk"}, "kind", "Ugyldig valg."),
])
def test_other_bad_input_is_refused_and_nothing_saved(app, world, katrine, data, field,
                                                      message):
    response = katrine.post(f"{BASE}/ny", risk_data(world, **data))
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert everything(app) == []


def test_a_bad_scale_on_a_reassessment_changes_nothing(app, world, katrine):
    risk = add_risk(app, world, "Manglende kompetanse", 3, 3)
    before = everything(app)
    response = katrine.post(f"{BASE}/{risk}/rediger", risk_data(
        world, title="Manglende kompetanse", probability="6",
        version_id=form_version(katrine, risk)))
    assert response.status_code == 422
    assert field_error(text(response), "probability") == "Ugyldig valg."
    assert everything(app) == before


# ---- re-assessment and history ------------------------------------------------------------


def publish_project_report(app, world: World, on: datetime) -> None:
    """The project's report for May, published at ``on`` (the register's comparison day)."""
    with app.app_context():
        db.session.add(StatusReport(
            project_id=world.project, period="2013-05", organisation_id=None, version=1,
            status=ReportStatus.PUBLISHED, overall=Light.YELLOW, published_at=on))
        db.session.commit()


def test_every_reassessment_is_kept_and_the_register_shows_the_movement(app, world, katrine,
                                                                       today):
    up = add_risk(app, world, "Leverandørene henger etter", 3, 4)
    down = add_risk(app, world, "Lite forankring i ledelsen", 4, 4)
    still = add_risk(app, world, "Avtalene løper ut", 2, 2)
    publish_project_report(app, world, datetime(2013, 6, 5, 12, 0))
    today(date(2013, 6, 10))
    assert katrine.post(f"{BASE}/{up}/rediger", risk_data(
        world, title="Leverandørene henger etter", probability="4", consequence="4",
        note="Flere leverandører har trukket seg", version_id=form_version(katrine, up))
    ).status_code == 303
    assert katrine.post(f"{BASE}/{down}/rediger", risk_data(
        world, title="Lite forankring i ledelsen", probability="2", consequence="4",
        version_id=form_version(katrine, down))).status_code == 303
    # Only the description changes: no new assessment.
    assert katrine.post(f"{BASE}/{still}/rediger", risk_data(
        world, title="Avtalene løper ut", probability="2", consequence="2",
        residual_probability="", residual_consequence="", strategy="",
        version_id=form_version(katrine, still))).status_code == 303
    new = add_risk(app, world, "Ny risiko etter rapporten", 5, 5)

    assert assessments_of(app, up) == [
        (TODAY, 3, 4, None, None, RiskStatus.IDENTIFIED),
        (date(2013, 6, 10), 4, 4, 2, 3, RiskStatus.IDENTIFIED)]
    assert len(assessments_of(app, still)) == 1

    page = text(katrine.get(f"{BASE}/"))
    assert ("Endring i poengsum siden forrige publiserte statusrapport (05.06.2013)."
            in plain(page))
    assert "16 (4 × 4) ▲ opp fra 12" in list_row(page, "Leverandørene henger etter")
    assert "8 (2 × 4) ▼ ned fra 16" in list_row(page, "Lite forankring i ledelsen")
    assert "fra" not in list_row(page, "Avtalene løper ut")
    assert "fra" not in list_row(page, "Ny risiko etter rapporten")
    assert stored(app, new).score == 25
    # Highest score first.
    assert listed(page) == ["Ny risiko etter rapporten", "Leverandørene henger etter",
                            "Lite forankring i ledelsen", "Avtalene løper ut"]

    detail = text(katrine.get(f"{BASE}/{up}"))
    table = detail[detail.index("Alle vurderinger av risikoen"):]
    rows = [plain(r) for r in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S)]
    assert rows == [
        "10.06.2013 Katrine Wilson 16 (4 × 4) 6 (2 × 3) Identifisert "
        "Flere leverandører har trukket seg",
        "03.06.2013 12 (3 × 4) Identifisert",
    ]


def test_without_a_published_report_no_movement_is_shown(app, world, katrine, today):
    risk = add_risk(app, world, "Leverandørene henger etter", 3, 4)
    today(date(2013, 6, 10))
    katrine.post(f"{BASE}/{risk}/rediger", risk_data(
        world, title="Leverandørene henger etter", probability="4", consequence="4",
        version_id=form_version(katrine, risk)))
    page = text(katrine.get(f"{BASE}/"))
    assert "siden forrige publiserte statusrapport" not in page
    assert list_row(page, "Leverandørene henger etter").startswith(
        "1 Leverandørene henger etter Trussel · Avtaler 16 (4 × 4) 6 (2 × 3)")


def test_a_stale_reassessment_gets_409_with_the_current_values(app, world, katrine,
                                                               make_client):
    risk = add_risk(app, world, "Leverandørene henger etter", 3, 4)
    old_version = form_version(katrine, risk)
    other_tab = signed_in(make_client, "katrine")
    assert other_tab.post(f"{BASE}/{risk}/rediger", risk_data(
        world, title="Leverandørene henger godt etter", probability="5", consequence="4",
        version_id=form_version(other_tab, risk))).status_code == 303
    after_first = everything(app)
    response = katrine.post(f"{BASE}/{risk}/rediger", risk_data(
        world, title="Overskrevet", probability="1", consequence="1", version_id=old_version))
    assert response.status_code == 409
    page = text(response)
    assert "Noen andre lagret risikoen i mellomtiden." in page
    assert input_value(page, "title") == "Leverandørene henger godt etter"
    assert re.search(r'<select[^>]*name="probability".*?<option selected value="5">', page,
                     re.S)
    assert input_value(page, "version_id") not in ("", old_version)
    assert everything(app) == after_first
    # A garbled or missing version is a conflict too, never an overwrite.
    for version in ("", "abc"):
        assert katrine.post(f"{BASE}/{risk}/rediger", risk_data(
            world, title="Overskrevet", version_id=version)).status_code == 409
    assert everything(app) == after_first


# ---- measures -----------------------------------------------------------------------------


def measure_data(prefix: str, **fields) -> dict:
    data = {"text": "Kurs for leverandørene", "responsible_person_id": "", "due_date": "",
            "done_on": "", "version_id": ""}
    data.update(fields)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def measure_items(page: str) -> list[str]:
    return [plain(re.sub(r"<details.*?</details>", "", item, flags=re.S))
            for item in re.findall(r'<li class="entry-row">.*?</li>', page, re.S)]


def test_a_measure_with_responsible_and_due_date(app, world, katrine):
    risk = add_risk(app, world, "Leverandørene henger etter", 3, 4)
    response = katrine.post(f"{BASE}/{risk}/tiltak", measure_data(
        "ny", responsible_person_id=str(world.person["kari"]), due_date="01.09.2013"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/{risk}#tiltak"
    assert measures_of(app, risk) == [
        ("Kurs for leverandørene", world.person["kari"], date(2013, 9, 1), None)]
    page = text(katrine.get(f"{BASE}/{risk}"))
    assert "Tiltaket er lagret." in page
    assert measure_items(page) == [
        "Kurs for leverandørene Ansvarlig: Kari Bø · Frist 01.09.2013 · Ikke gjennomført"]


@pytest.mark.parametrize("fields, field, message", [
    ({"responsible_person_id": ""}, "responsible_person_id",
     "Velg hvem som er ansvarlig for tiltaket."),
    ({"responsible_person_id": "99999"}, "responsible_person_id", "Ugyldig valg."),
    ({"responsible_person_id": "kari", "text": " "}, "text", "Dette feltet må fylles ut."),
    ({"responsible_person_id": "kari", "due_date": "31.02.2013"}, "due_date",
     "Skriv en gyldig dato, for eksempel 22.04.2013."),
])
def test_a_bad_measure_is_refused_and_nothing_saved(app, world, katrine, fields, field,
                                                    message):
    risk = add_risk(app, world, "Leverandørene henger etter", 3, 4)
    if fields.get("responsible_person_id") == "kari":
        fields = {**fields, "responsible_person_id": str(world.person["kari"])}
    before = everything(app)
    response = katrine.post(f"{BASE}/{risk}/tiltak", measure_data("ny", **fields))
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, f"ny-{field}") == message
    assert "Ingen tiltak ennå." in page
    assert everything(app) == before


def test_marking_a_measure_done_and_deleting_it(app, world, katrine, today):
    risk = add_risk(app, world, "Leverandørene henger etter", 3, 4)
    measure = add_measure(app, world, risk, "Kurs for leverandørene", due=date(2013, 9, 1))
    add_measure(app, world, risk, "Felles nettside", responsible="katrine")
    prefix = f"t{measure}"
    page = text(katrine.get(f"{BASE}/{risk}"))
    version = input_value(page, f"{prefix}-version_id")
    # Done in the future is refused.
    before = everything(app)
    refused = katrine.post(f"{BASE}/{risk}/tiltak/{measure}", measure_data(
        prefix, responsible_person_id=str(world.person["kari"]), due_date="2013-09-01",
        done_on="2013-06-04", version_id=version))
    assert refused.status_code == 422
    assert field_error(text(refused), f"{prefix}-done_on") == "Datoen kan ikke være fram i tid."
    assert everything(app) == before

    done = katrine.post(f"{BASE}/{risk}/tiltak/{measure}", measure_data(
        prefix, responsible_person_id=str(world.person["kari"]), due_date="2013-09-01",
        done_on="2013-06-03", version_id=version))
    assert done.status_code == 303
    assert measures_of(app, risk)[0] == (
        "Kurs for leverandørene", world.person["kari"], date(2013, 9, 1), TODAY)
    assert measure_items(text(katrine.get(f"{BASE}/{risk}")))[0] == (
        "Kurs for leverandørene Ansvarlig: Kari Bø · Frist 01.09.2013 · ✓ Gjennomført "
        "03.06.2013")

    deleted = katrine.post(f"{BASE}/{risk}/tiltak/{measure}/slett")
    assert deleted.status_code == 303
    assert measures_of(app, risk) == [
        ("Felles nettside", world.person["katrine"], None, None)]
    page = text(katrine.get(f"{BASE}/{risk}"))
    assert "Tiltaket er flyttet til papirkurven." in page
    assert [item.split(" Ansvarlig")[0] for item in measure_items(page)] == ["Felles nettside"]
    # Deleted is gone: a second delete finds nothing.
    assert katrine.post(f"{BASE}/{risk}/tiltak/{measure}/slett").status_code == 404


def test_a_stale_measure_gets_409_with_the_current_values(app, world, katrine, make_client):
    risk = add_risk(app, world, "Leverandørene henger etter", 3, 4)
    measure = add_measure(app, world, risk, "Kurs for leverandørene")
    prefix = f"t{measure}"
    old = input_value(text(katrine.get(f"{BASE}/{risk}")), f"{prefix}-version_id")
    other_tab = signed_in(make_client, "katrine")
    assert other_tab.post(f"{BASE}/{risk}/tiltak/{measure}", measure_data(
        prefix, text="Kurs for alle leverandører", responsible_person_id=str(
            world.person["katrine"]), version_id=old)).status_code == 303
    after_first = everything(app)
    response = katrine.post(f"{BASE}/{risk}/tiltak/{measure}", measure_data(
        prefix, text="Overskrevet", responsible_person_id=str(world.person["kari"]),
        version_id=old))
    assert response.status_code == 409
    page = text(response)
    assert "Noen andre lagret tiltaket i mellomtiden." in page
    assert input_value(page, f"{prefix}-text") == "Kurs for alle leverandører"
    assert input_value(page, f"{prefix}-version_id") != old
    assert everything(app) == after_first


# ---- the heat maps and the cell filter ----------------------------------------------------


@pytest.fixture
def register(app, world):
    """Five open risks in four cells, one no longer relevant, residual scores for three."""
    return {
        "a": add_risk(app, world, "Leverandørene henger etter", 4, 3, residual=(2, 2)),
        "b": add_risk(app, world, "Lite forankring i ledelsen", 4, 3, residual=(2, 2)),
        "c": add_risk(app, world, "Manglende kompetanse", 2, 5, residual=(1, 5)),
        "d": add_risk(app, world, "Felles innkjøp gir bedre priser", 5, 5,
                      kind=RiskKind.OPPORTUNITY),
        "e": add_risk(app, world, "Avtalene løper ut", 1, 1),
        "closed": add_risk(app, world, "Gammel teknologi", 4, 3, residual=(2, 2),
                           status=RiskStatus.NOT_RELEVANT),
    }


def test_the_heat_maps_count_the_open_risks_per_cell(world, register, katrine):
    page = text(katrine.get(f"{BASE}/"))
    assert matrix(page) == {(4, 3): 2, (2, 5): 1, (5, 5): 1, (1, 1): 1}
    assert matrix(page, "Åpne risikoer etter tiltak") == {(2, 2): 2, (1, 5): 1}
    # Both figures are drawn from the same counts.
    assert page.count('class="chart__plot"') == 2
    assert "5 risikoer vises" in page
    assert "Gammel teknologi" not in listed(page)
    everyone = text(katrine.get(f"{BASE}/?alle=1"))
    assert "Gammel teknologi" in listed(everyone)
    assert "6 risikoer vises (også de som ikke lenger er aktuelle)" in everyone


def test_a_cell_of_the_heat_map_filters_the_list(world, register, katrine):
    page = text(katrine.get(f"{BASE}/"))
    link = cell_link(page, "Åpne risikoer før tiltak", 4, 3)
    assert link == f"{BASE}/?s=4&k=3"
    filtered = katrine.get(link)
    assert filtered.status_code == 200
    body = text(filtered)
    assert sorted(listed(body)) == ["Leverandørene henger etter", "Lite forankring i ledelsen"]
    assert "Viser risikoene med sannsynlighet 4 og konsekvens 3: 2." in plain(body)
    # The whole page: the heat maps still count everything.
    assert matrix(body) == {(4, 3): 2, (2, 5): 1, (5, 5): 1, (1, 1): 1}


def test_the_htmx_cell_request_returns_only_the_list(world, register, katrine):
    response = katrine.htmx("GET", f"{BASE}/", {"s": "2", "k": "5"})
    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith('<section id="risk-list"')
    assert "<html" not in body and "risk-matrix" not in body
    assert listed(body) == ["Manglende kompetanse"]
    assert "Viser risikoene med sannsynlighet 2 og konsekvens 5: 1." in plain(body)
    assert "HX-Request" in response.headers["Vary"]
    empty = text(katrine.htmx("GET", f"{BASE}/", {"s": "3", "k": "3"}))
    assert listed(empty) == [] and "Ingen risikoer her." in empty


def test_a_cell_of_the_residual_matrix_filters_on_residual_scores(world, register, katrine):
    page = text(katrine.get(f"{BASE}/"))
    link = cell_link(page, "Åpne risikoer etter tiltak", 2, 2)
    assert link == f"{BASE}/?s=2&k=2&etter=1"
    body = text(katrine.htmx("GET", link))
    assert sorted(listed(body)) == ["Leverandørene henger etter", "Lite forankring i ledelsen"]
    assert ("Viser risikoene med sannsynlighet 2 og konsekvens 2 etter tiltak: 2."
            in plain(body))
    # The same cell before measures has nothing in it.
    assert listed(text(katrine.htmx("GET", f"{BASE}/", {"s": "2", "k": "2"}))) == []


@pytest.mark.parametrize("query", ["s=0&k=3", "s=4&k=9", "s=abc&k=3", "s=4", "s=4&k=%00",
                                   "s=99999999999999999999&k=1", "type=ukjent", "etter=2"])
def test_odd_cell_parameters_show_every_open_risk(world, register, katrine, query):
    response = katrine.get(f"{BASE}/?{query}")
    assert response.status_code == 200
    assert len(listed(text(response))) == 5


def test_the_list_filters_by_kind(world, register, katrine):
    body = text(katrine.get(f"{BASE}/?type=opportunity"))
    assert listed(body) == ["Felles innkjøp gir bedre priser"]


def test_colour_thresholds_are_saved_and_colour_the_matrix(app, world, register, katrine):
    page = text(katrine.get(f"{BASE}/"))
    assert "Gult fra 5, rødt fra 12." in page
    assert (zones(page)[(1, 4)], zones(page)[(2, 3)], zones(page)[(3, 4)]) == (0, 1, 2)
    response = katrine.post(f"{BASE}/terskler", {"risk_yellow_from": "4",
                                                  "risk_red_from": "6"})
    assert response.status_code == 303
    with app.app_context():
        project = db.session.get(Project, world.project)
        assert (project.risk_yellow_from, project.risk_red_from) == (4, 6)
    page = text(katrine.get(f"{BASE}/"))
    assert "Fargegrensene er lagret." in page
    assert "Gult fra 4, rødt fra 6." in page
    assert (zones(page)[(1, 3)], zones(page)[(1, 4)], zones(page)[(2, 3)]) == (0, 1, 2)
    assert zones(page, "Åpne risikoer etter tiltak")[(2, 3)] == 2
    # The list colours the scores the same way.
    assert re.search(r'<td class="zone-2"><strong>12</strong>', risk_list(page))


@pytest.mark.parametrize("yellow, red, field, message", [
    ("8", "6", "risk_red_from", "Rødt må begynne på en høyere poengsum enn gult."),
    ("8", "8", "risk_red_from", "Rødt må begynne på en høyere poengsum enn gult."),
    ("0", "12", "risk_yellow_from", "Skriv en poengsum fra 1 til 25."),
    ("5", "26", "risk_red_from", "Skriv en poengsum fra 1 til 25."),
    ("", "12", "risk_yellow_from", "Skriv en poengsum fra 1 til 25."),
    ("fem", "12", "risk_yellow_from", "Skriv et helt tall, for eksempel 27 000."),
    ("-3", "12", "risk_yellow_from", "Skriv et helt tall, for eksempel 27 000."),
])
def test_bad_thresholds_are_refused_and_nothing_saved(app, world, katrine, yellow, red, field,
                                                      message):
    response = katrine.post(f"{BASE}/terskler", {"risk_yellow_from": yellow,
                                                  "risk_red_from": red})
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, field) == message
    assert input_value(page, "risk_yellow_from") == yellow  # what was typed is kept
    with app.app_context():
        project = db.session.get(Project, world.project)
        assert (project.risk_yellow_from, project.risk_red_from) == (5, 12)


# ---- who may change the register ----------------------------------------------------------


def test_a_municipal_lead_reads_the_register_but_cannot_change_it(app, world, kari):
    risk = add_risk(app, world, "Leverandørene henger etter", 3, 4)
    measure = add_measure(app, world, risk, "Kurs for leverandørene")
    before = everything(app)
    page = text(kari.get(f"{BASE}/"))
    assert listed(page) == ["Leverandørene henger etter"]
    assert "Ny risiko" not in page and "Lagre fargegrensene" not in page
    detail = text(kari.get(f"{BASE}/{risk}"))
    assert "Kurs for leverandørene" in detail
    assert "Vurder på nytt" not in detail and "Legg til tiltak" not in detail
    assert kari.get(f"{BASE}/ny").status_code == 403
    assert kari.post(f"{BASE}/ny", risk_data(world)).status_code == 403
    assert kari.post(f"{BASE}/{risk}/rediger", risk_data(
        world, version_id="1")).status_code == 403
    assert kari.post(f"{BASE}/{risk}/tiltak", measure_data(
        "ny", responsible_person_id=str(world.person["kari"]))).status_code == 403
    assert kari.post(f"{BASE}/{risk}/tiltak/{measure}/slett").status_code == 403
    assert kari.post(f"{BASE}/terskler", {"risk_yellow_from": "1",
                                          "risk_red_from": "2"}).status_code == 403
    assert everything(app) == before


def test_a_stranger_does_not_see_the_register(world, make_user, make_client):
    make_user(username="fremmed")
    stranger = signed_in(make_client, "fremmed")
    assert stranger.get(f"{BASE}/").status_code == 404


def test_risks_and_measures_of_another_project_are_404(app, world, katrine, make_project):
    other = make_project(code="ANNET")
    foreign = add_risk(app, world, "Fremmed risiko", 2, 2, project_id=other.id)
    foreign_measure = add_measure(app, world, foreign, "Fremmed tiltak")
    own = add_risk(app, world, "Egen risiko", 3, 3)
    before = everything(app)
    requests = [
        ("GET", f"{BASE}/{foreign}", {}),
        ("GET", f"{BASE}/{foreign}/rediger", {}),
        ("POST", f"{BASE}/{foreign}/rediger", risk_data(world, title="Kapret", version_id="1")),
        ("POST", f"{BASE}/{foreign}/tiltak", measure_data(
            "ny", responsible_person_id=str(world.person["kari"]))),
        ("POST", f"{BASE}/{foreign}/tiltak/{foreign_measure}", measure_data(
            f"t{foreign_measure}", responsible_person_id=str(world.person["kari"]),
            version_id="1")),
        ("POST", f"{BASE}/{foreign}/tiltak/{foreign_measure}/slett", {}),
        # This project's risk, the other project's measure.
        ("POST", f"{BASE}/{own}/tiltak/{foreign_measure}", measure_data(
            f"t{foreign_measure}", responsible_person_id=str(world.person["kari"]),
            version_id="1")),
        ("POST", f"{BASE}/{own}/tiltak/{foreign_measure}/slett", {}),
        ("GET", f"{BASE}/999999", {}),
    ]
    wrong = []
    for method, url, data in requests:
        response = katrine.get(url) if method == "GET" else katrine.post(url, data)
        if response.status_code != 404:
            wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == []
    assert everything(app) == before
    # Nor does the other project's risk show in this register.
    assert listed(text(katrine.get(f"{BASE}/?alle=1"))) == ["Egen risiko"]


def test_numbers_count_per_project(app, world, katrine, make_project):
    other = make_project(code="ANNET")
    add_risk(app, world, "Fremmed risiko", 2, 2, project_id=other.id)
    katrine.post(f"{BASE}/ny", risk_data(world, title="Første"))
    katrine.post(f"{BASE}/ny", risk_data(world, title="Andre"))
    assert (risk_by_title(app, "Første").number, risk_by_title(app, "Andre").number) == (1, 2)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Risk)) == 3
