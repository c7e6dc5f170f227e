"""The benefits realisation plan over HTTP: goals in their hierarchy, benefits with owners per
organisation, indicators (also ratios of operating costs), baselines and targets, the indicator
page's readings and achievement, the plan document and its approvals, measurements entered row
by row with htmx, the import with a checked preview (all or nothing), and the start page's
list of measurements due."""

from __future__ import annotations

import html as html_lib
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from governance.benefits import service
from governance.benefits.models import (
    Baseline,
    Benefit,
    BenefitKind,
    Direction,
    Frequency,
    Goal,
    GoalLevel,
    Indicator,
    Measurement,
    PlanApproval,
    Target,
    Unit,
)
from governance.extensions import db
from governance.organisations import service as organisation_service
from governance.organisations.models import Organisation
from governance.projects.models import Phase, Project, ProjectStatus
from governance.roles.models import GroupKind, Person, ProjectRoleKind, User
from tests.pages import field_error, input_value, text

TODAY = date(2013, 6, 3)
CODE = "EHANDEL"
BASE = f"/prosjekter/{CODE}/gevinster"
NBSP = "\u00a0"
MILLION_ORE = 1_000_000 * 100


# ---- the world: eHandel i Sogn with two participants and three indicators ------------------


@dataclass
class Plan:
    project: int
    sogndal: int
    luster: int
    leikanger: int  # not a participant
    ratio: int  # order volume, a monthly share of the calculation base (costs × 0.25)
    loyalty: int  # contract loyalty in %, quarterly
    errors: int  # invoice errors, a monthly count, lower is better
    person: dict[str, int]  # username -> person id


@pytest.fixture
def today(app, monkeypatch):
    """The app's today is 03.06.2013 (a test may move it on)."""
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())

    def move_to(day: date) -> None:
        monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", day.isoformat())

    return move_to


def set_costs(app, organisation_id: int, year: int, million_kroner: int) -> None:
    with app.app_context():
        organisation_service.set_year_figures(
            db.session, None, db.session.get(Organisation, organisation_id), year=year,
            population=None, operating_costs_ore=million_kroner * MILLION_ORE)
        db.session.commit()


def add_indicator(project, name, *, unit=Unit.PERCENT, direction=Direction.HIGHER,
                  frequency=Frequency.YEARLY, factor=None) -> Indicator:
    return service.save_indicator(db.session, None, project, service.IndicatorInput(
        name=name, benefit_id=None, unit=unit, unit_label="", direction=direction,
        frequency=frequency, method="", data_source="", measured_by_person_id=None,
        is_ratio=factor is not None, ratio_factor=factor))


@pytest.fixture
def world(app, today, make_org, make_project, make_user, give_role, add_to_group) -> Plan:
    sogndal = make_org(name="Sogndal kommune", org_number="964968519")
    luster = make_org(name="Luster kommune")
    leikanger = make_org(name="Leikanger kommune")
    project = make_project(code=CODE, name="eHandel i Sogn", owners=[sogndal],
                           participants=[sogndal, luster])
    users = {
        "katrine": make_user(username="katrine", full_name="Katrine Wilson"),
        "kari": make_user(username="kari", full_name="Kari Bø"),
        "lars": make_user(username="lars", full_name="Lars Hauge"),
        "ingrid": make_user(username="ingrid", full_name="Ingrid Eide"),
        "per": make_user(username="per", full_name="Per Lunde"),
    }
    give_role(users["katrine"], project, ProjectRoleKind.PROJECT_LEADER)
    give_role(users["kari"], project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    give_role(users["lars"], project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=luster)
    add_to_group(users["ingrid"], project, GroupKind.STEERING_GROUP)
    add_to_group(users["per"], project, GroupKind.PROJECT_GROUP)
    # Operating costs: Sogndal 400 mill. both years; Luster 1 200 mill. in 2012, 2013 unknown.
    set_costs(app, sogndal.id, 2012, 400)
    set_costs(app, sogndal.id, 2013, 400)
    set_costs(app, luster.id, 2012, 1200)
    with app.app_context():
        stored = db.session.get(Project, project.id)
        ratio = add_indicator(stored, "Ordrevolum via e-handel", unit=Unit.NOK,
                              frequency=Frequency.MONTHLY, factor=Decimal("0.25"))
        loyalty = add_indicator(stored, "Avtalelojalitet", frequency=Frequency.QUARTERLY)
        errors = add_indicator(stored, "Fakturafeil", unit=Unit.COUNT,
                               direction=Direction.LOWER, frequency=Frequency.MONTHLY)
        end_2012 = date(2012, 12, 31)
        for indicator, values in ((ratio, (4_000_000, 12_000_000)), (loyalty, (40, 60)),
                                  (errors, (120, 80))):
            for org, value in zip((sogndal, luster), values, strict=True):
                service.set_baseline(db.session, None, stored, indicator, organisation_id=org.id,
                                     value=Decimal(value), measured_on=end_2012, today=TODAY)
        for indicator, targets in ((ratio, [("2014-04-22", 15), ("2015-04-22", 25)]),
                                   (loyalty, [("2014-12-31", 100)]),
                                   (errors, [("2014-06-30", 60)])):
            for day, value in targets:
                service.add_target(db.session, None, stored, indicator,
                                   target_date=date.fromisoformat(day), value=Decimal(value))
        db.session.commit()
        people = {name: db.session.scalar(select(Person.id).where(Person.user_id == user.id))
                  for name, user in users.items()}
        return Plan(project=project.id, sogndal=sogndal.id, luster=luster.id,
                    leikanger=leikanger.id, ratio=ratio.id, loyalty=loyalty.id,
                    errors=errors.id, person=people)


def signed_in(make_client, username: str):
    browser = make_client()
    assert browser.login(username).status_code == 303
    return browser


@pytest.fixture
def katrine(world, make_client):
    """The project leader."""
    return signed_in(make_client, "katrine")


@pytest.fixture
def kari(world, make_client):
    """Municipal project lead for Sogndal."""
    return signed_in(make_client, "kari")


@pytest.fixture
def lars(world, make_client):
    """Municipal project lead for Luster."""
    return signed_in(make_client, "lars")


@pytest.fixture
def ingrid(world, make_client):
    """A member of the steering group (records the plan's approval)."""
    return signed_in(make_client, "ingrid")


# ---- reading the database and the pages ---------------------------------------------------


def measure(app, world: Plan, indicator: int, organisation: int, period: str, value,
            comment: str = "") -> None:
    with app.app_context():
        project = db.session.get(Project, world.project)
        service.record_measurement(db.session, None, project, service.MeasurementInput(
            db.session.get(Indicator, indicator), organisation, period, Decimal(str(value)),
            comment), today=TODAY)
        db.session.commit()


def measurements(app) -> dict[tuple[int, int, str], tuple[Decimal, str, str | None]]:
    """(indicator, organisation, period) -> (value, comment, entered by)."""
    with app.app_context():
        rows = db.session.execute(
            select(Measurement.indicator_id, Measurement.organisation_id, Measurement.period,
                   Measurement.value, Measurement.comment, User.username)
            .outerjoin(User, User.id == Measurement.entered_by_id)).all()
        return {(i, o, p): (Decimal(v).normalize(), c, u) for i, o, p, v, c, u in rows}


def count(app, model, **where) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return db.session.scalar(stmt)


def plain(markup: str) -> str:
    """What a reader sees: no tags, entities read, no-break spaces as spaces, one space."""
    words = html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).replace(NBSP, " ")
    return re.sub(r"\s+", " ", words).strip()


def standing(page: str, organisation: str) -> str:
    """The indicator page's row for one organisation (or "Hele prosjektet"), as text."""
    match = re.search(rf'<tr[^>]*>\s*<th scope="row">{organisation}</th>.*?</tr>', page, re.S)
    assert match, f"no row for {organisation}"
    return plain(match.group(0))


def section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(0)


def entry_path(world: Plan, indicator: int, organisation: int | None = None,
               period: str = "2013-05") -> str:
    return f"{BASE}/registrering/{organisation or world.sogndal}/{period}/{indicator}"


def entry_data(indicator: int, value: str, comment: str = "", version: str = "0") -> dict:
    prefix = f"i{indicator}-"
    return {prefix + "value": value, prefix + "comment": comment, prefix + "version_id": version}


# ---- goals -----------------------------------------------------------------------------------


def goal_data(level: str, title: str, parent: int | None = None, criteria: str = "") -> dict:
    return {"level": level, "title": title, "parent_id": str(parent) if parent else "",
            "success_criteria": criteria}


def goal_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Goal.id).where(Goal.title == title))


def test_goals_are_made_societal_then_effect_then_result(app, world, katrine):
    assert katrine.get(f"{BASE}/mal/nytt").status_code == 200
    response = katrine.post(f"{BASE}/mal/nytt", goal_data(
        "societal", "Meir effektiv offentleg sektor"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/#mal"
    top = goal_id(app, "Meir effektiv offentleg sektor")
    assert katrine.post(f"{BASE}/mal/nytt", goal_data(
        "effect", "Lågare transaksjonskostnader", top,
        "Ordrevolum via e-handel 15 % av berekningsgrunnlaget")).status_code == 303
    effect = goal_id(app, "Lågare transaksjonskostnader")
    assert katrine.post(f"{BASE}/mal/nytt", goal_data(
        "result", "Aktivere leverandørar på plattforma", effect)).status_code == 303
    with app.app_context():
        saved = {g.title: (g.level, g.parent_id) for g in db.session.scalars(select(Goal))}
    assert saved == {
        "Meir effektiv offentleg sektor": (GoalLevel.SOCIETAL, None),
        "Lågare transaksjonskostnader": (GoalLevel.EFFECT, top),
        "Aktivere leverandørar på plattforma": (GoalLevel.RESULT, effect),
    }
    page = text(katrine.get(f"{BASE}/"))
    assert "Målet er lagret." in page
    tree = plain(section(page, "mal"))
    assert ("Samfunns- eller organisasjonsmål Meir effektiv offentleg sektor" in tree)
    assert ("Suksesskriterier: Ordrevolum via e-handel 15 % av berekningsgrunnlaget" in tree)
    # The result goal is listed inside its effect goal, which is inside the societal goal.
    nested = re.search(r"Meir effektiv offentleg sektor.*?<ul class=\"goal-tree\">.*?"
                       r"Lågare transaksjonskostnader.*?<ul class=\"goal-tree\">.*?"
                       r"Aktivere leverandørar på plattforma", section(page, "mal"), re.S)
    assert nested, "the goals are not nested"


HIERARCHY = ("Et effektmål hører under et samfunns- eller organisasjonsmål, og et resultatmål "
             "under et effektmål.")


@pytest.mark.parametrize("case", ["result under societal", "effect under effect",
                                  "societal under societal", "effect under result"])
def test_a_goal_in_the_wrong_place_of_the_hierarchy_is_refused(app, world, katrine, case):
    with app.app_context():
        project = db.session.get(Project, world.project)
        top = service.save_goal(db.session, None, project, service.GoalInput(
            GoalLevel.SOCIETAL, "Samfunnsmål", "", None))
        effect = service.save_goal(db.session, None, project, service.GoalInput(
            GoalLevel.EFFECT, "Effektmål", "", top.id))
        result = service.save_goal(db.session, None, project, service.GoalInput(
            GoalLevel.RESULT, "Resultatmål", "", effect.id))
        db.session.commit()
        ids = {"societal": top.id, "effect": effect.id, "result": result.id}
    level, _, parent = case.split()
    expected = "Ugyldig valg." if parent == "result" else HIERARCHY  # not offered at all
    response = katrine.post(f"{BASE}/mal/nytt", goal_data(level, "Feilplassert", ids[parent]))
    assert response.status_code == 422
    assert field_error(text(response), "parent_id") == expected
    assert count(app, Goal) == 3


def test_a_goal_needs_a_title_and_its_parent_in_the_project(app, world, katrine):
    response = katrine.post(f"{BASE}/mal/nytt", goal_data("societal", "  "))
    assert response.status_code == 422
    assert field_error(text(response), "title") == "Dette feltet må fylles ut."
    assert count(app, Goal) == 0


def test_only_the_leaders_make_goals_benefits_and_indicators(app, world, kari, ingrid):
    for browser in (kari, ingrid):
        for path, data in ((f"{BASE}/mal/nytt", goal_data("societal", "Kapret")),
                           (f"{BASE}/gevinst/ny", {"title": "Kapret", "kind": "qualitative"}),
                           (f"{BASE}/indikatorer/ny", {"name": "Kapret", "unit": "count"})):
            assert browser.get(path).status_code == 403
            assert browser.post(path, data).status_code == 403
    assert (count(app, Goal), count(app, Benefit), count(app, Indicator)) == (0, 0, 3)
    page = text(kari.get(f"{BASE}/"))
    assert "Nytt mål" not in page and "Ny gevinst" not in page and "Ny indikator" not in page


# ---- benefits --------------------------------------------------------------------------------


def benefit_data(**overrides) -> dict:
    data = {"title": "Lågare transaksjonskostnader", "description": "", "kind": "qualitative",
            "goal_id": "", "amount_ore": "", "person_years": "", "responsible_person_id": "",
            "expected_from": "", "realisation": "", "realisation_note": ""}
    data.update(overrides)
    return data


def benefits_row(page: str, title: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\">(?:<a[^>]*>)?{title}.*?</tr>", page, re.S)
    assert match, f"no row for the benefit {title}"
    return plain(match.group(0))


def test_a_qualitative_benefit_without_an_indicator_is_listed(app, world, katrine):
    response = katrine.post(f"{BASE}/gevinst/ny", benefit_data(
        title="Færre feil i fakturaprosessen", description="Korrekt ordre gir korrekt faktura.",
        realisation="better_quality"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/#gevinster"
    overview = text(katrine.get(f"{BASE}/"))
    assert "Gevinsten er lagret." in overview
    row = benefits_row(overview, "Færre feil i fakturaprosessen")
    assert "Kvalitativ" in row and "Ingen indikator" in row and "Bedre kvalitet" in row
    document = plain(text(katrine.get(f"{BASE}/plan")))
    assert "Færre feil i fakturaprosessen Korrekt ordre gir korrekt faktura. Kvalitativ" in (
        document)


def test_an_economic_benefit_with_owners_per_organisation(app, world, katrine):
    response = katrine.post(f"{BASE}/gevinst/ny", {
        **benefit_data(title="Lågare prisar", kind="economic", amount_ore="85 000",
                       responsible_person_id=str(world.person["katrine"]),
                       expected_from="01.01.2014", realisation="budget_cut",
                       realisation_note="Kuttast i budsjettet for 2015"),
        f"owner-{world.sogndal}": str(world.person["kari"]),
        f"owner-{world.luster}": "0",  # an owner, the person not chosen yet
    })
    assert response.status_code == 303
    with app.app_context():
        saved = db.session.scalar(select(Benefit))
        assert (saved.kind, saved.amount_ore, saved.expected_from) == (
            BenefitKind.ECONOMIC, 85_000 * 100, date(2014, 1, 1))
        assert {(o.organisation_id, o.person_id) for o in saved.owners} == {
            (world.sogndal, world.person["kari"]), (world.luster, None)}
        benefit = saved.id
    row = benefits_row(text(katrine.get(f"{BASE}/")), "Lågare prisar")
    assert "85 000 kr" in row
    assert "Katrine Wilson" in row
    assert "Sogndal kommune (Kari Bø)" in row
    assert "Luster kommune" in row and "Luster kommune (" not in row
    assert "01.01.2014" in row and "Budsjettkutt: Kuttast i budsjettet for 2015" in row
    # Luster is no longer an owner after the next edit.
    page = text(katrine.get(f"{BASE}/gevinst/{benefit}"))
    response = katrine.post(f"{BASE}/gevinst/{benefit}", {
        **benefit_data(title="Lågare prisar", kind="economic", amount_ore="85 000",
                       version_id=input_value(page, "version_id")),
        f"owner-{world.sogndal}": str(world.person["kari"]), f"owner-{world.luster}": ""})
    assert response.status_code == 303
    with app.app_context():
        assert [o.organisation_id for o in db.session.get(Benefit, benefit).owners] == [
            world.sogndal]


def test_a_time_benefit_in_person_years(app, world, katrine):
    assert katrine.post(f"{BASE}/gevinst/ny", benefit_data(
        title="Frigjort tid i økonomiavdelinga", kind="time",
        person_years="1,5")).status_code == 303
    row = benefits_row(text(katrine.get(f"{BASE}/")), "Frigjort tid i økonomiavdelinga")
    assert "Tid (årsverk)" in row and "1,5 årsverk" in row


@pytest.mark.parametrize("case", ["negative amount", "negative person-years",
                                  "amount on a qualitative benefit", "garbled owner",
                                  "no title"])
def test_bad_benefits_are_refused_and_nothing_saved(app, world, katrine, case):
    data, field, message = {
        "negative amount": (benefit_data(kind="economic", amount_ore="-5 000"), "amount_ore",
                            "Beløpet kan ikke være negativt."),
        "negative person-years": (benefit_data(kind="time", person_years="-1"), "person_years",
                                  "Antall årsverk kan ikke være negativt."),
        "amount on a qualitative benefit": (benefit_data(amount_ore="5 000"), "amount_ore",
                                            "Bare en økonomisk gevinst har et beløp."),
        "garbled owner": (benefit_data(**{f"owner-{world.sogndal}": "x"}), "owners",
                          "Ugyldig valg."),
        "no title": (benefit_data(title=""), "title", "Dette feltet må fylles ut."),
    }[case]
    response = katrine.post(f"{BASE}/gevinst/ny", data)
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, field) == message
    assert count(app, Benefit) == 0


# ---- indicators ------------------------------------------------------------------------------


def indicator_data(**overrides) -> dict:
    data = {"name": "Ordrevolum, andel", "benefit_id": "", "unit": "nok", "unit_label": "",
            "direction": "higher", "frequency": "monthly", "method": "", "data_source": "",
            "measured_by_person_id": "", "ratio_factor": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("case", ["ratio in per cent", "ratio without factor",
                                  "ratio with factor 0", "negative factor",
                                  "factor on a plain indicator", "free unit without a name"])
def test_a_ratio_needs_kroner_and_a_factor_above_zero(app, world, katrine, case):
    data, field, message = {
        "ratio in per cent": ({"is_ratio": "y", "unit": "percent", "ratio_factor": "0,25"},
                              "unit", "En andel av driftskostnadene rapporteres i kroner: "
                                      "velg enheten kroner."),
        "ratio without factor": ({"is_ratio": "y"}, "ratio_factor",
                                 "Skriv en faktor større enn 0, for eksempel 0,25."),
        "ratio with factor 0": ({"is_ratio": "y", "ratio_factor": "0"}, "ratio_factor",
                                "Skriv en faktor større enn 0, for eksempel 0,25."),
        "negative factor": ({"is_ratio": "y", "ratio_factor": "-0,25"}, "ratio_factor",
                            "Skriv en faktor større enn 0, for eksempel 0,25."),
        "factor on a plain indicator": ({"ratio_factor": "0,25"}, "ratio_factor",
                                        "Faktoren brukes bare for andeler av "
                                        "driftskostnadene."),
        "free unit without a name": ({"unit": "free"}, "unit_label",
                                     "Skriv enheten, for eksempel «fakturaer»."),
    }[case]
    response = katrine.post(f"{BASE}/indikatorer/ny", indicator_data(**data))
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert count(app, Indicator) == 3


def test_a_ratio_indicator_in_kroner_with_its_factor(app, world, katrine):
    response = katrine.post(f"{BASE}/indikatorer/ny", indicator_data(
        is_ratio="y", ratio_factor="0,25", method="Ordrevolum delt på berekningsgrunnlaget",
        data_source="Visma", measured_by_person_id=str(world.person["kari"])))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/#indikatorer"
    with app.app_context():
        saved = db.session.scalar(select(Indicator).where(Indicator.name == "Ordrevolum, andel"))
        assert (saved.is_ratio, saved.ratio_factor, saved.unit) == (True, Decimal("0.25"),
                                                                     Unit.NOK)
        new = saved.id
    page = plain(text(katrine.get(f"{BASE}/indikatorer/{new}")))
    assert ("Rapporteres i kroner; vises som prosent av beregningsgrunnlaget "
            "(driftskostnader × 0,25)") in page
    assert "Visma" in page and "Kari Bø" in page


# ---- baselines and targets -------------------------------------------------------------------


def baseline_data(organisation: int, value: str, measured_on: str = "2012-12-31") -> dict:
    return {"organisation_id": str(organisation), "value": value, "measured_on": measured_on}


def baselines(app, indicator: int) -> dict[int, tuple[Decimal, date]]:
    with app.app_context():
        return {b.organisation_id: (Decimal(b.value).normalize(), b.measured_on)
                for b in db.session.scalars(select(Baseline).where(
                    Baseline.indicator_id == indicator))}


def test_the_lead_sets_the_baseline_of_their_own_organisation(app, world, kari):
    page = text(kari.get(f"{BASE}/indikatorer/{world.loyalty}"))
    assert "Sett nullpunkt" in page
    response = kari.post(f"{BASE}/indikatorer/{world.loyalty}/nullpunkt",
                         baseline_data(world.sogndal, "42,5", "31.12.2012"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/indikatorer/{world.loyalty}"
    assert baselines(app, world.loyalty)[world.sogndal] == (Decimal("42.5"), date(2012, 12, 31))
    page = text(kari.get(f"{BASE}/indikatorer/{world.loyalty}"))
    assert "Nullpunktet er lagret." in page
    assert standing(page, "Sogndal kommune").startswith("Sogndal kommune 42,5 % 31.12.2012")


def test_the_lead_may_not_set_another_organisations_baseline(app, world, kari):
    before = baselines(app, world.loyalty)
    response = kari.post(f"{BASE}/indikatorer/{world.loyalty}/nullpunkt",
                         baseline_data(world.luster, "99"))
    assert response.status_code == 403, (
        f"{response.status_code}: {field_error(text(response), 'organisation_id')}")
    assert baselines(app, world.loyalty) == before


def test_readers_set_no_baselines(app, world, ingrid):
    assert "Sett nullpunkt" not in text(ingrid.get(f"{BASE}/indikatorer/{world.loyalty}"))
    before = baselines(app, world.loyalty)
    response = ingrid.post(f"{BASE}/indikatorer/{world.loyalty}/nullpunkt",
                           baseline_data(world.sogndal, "99"))
    assert response.status_code == 403
    assert baselines(app, world.loyalty) == before


@pytest.mark.parametrize("case", ["future date", "not a number", "no date", "not a participant"])
def test_bad_baselines_are_refused(app, world, katrine, case):
    data, field, message = {
        "future date": (baseline_data(world.sogndal, "50", "2013-06-04"), "measured_on",
                        "Datoen kan ikke være fram i tid."),
        "not a number": (baseline_data(world.sogndal, "førti"), "value",
                         "Skriv et tall, for eksempel 15,5."),
        "no date": (baseline_data(world.sogndal, "50", ""), "measured_on",
                    "Dette feltet må fylles ut."),
        "not a participant": (baseline_data(world.leikanger, "50"), "organisation_id",
                              "Ugyldig valg."),
    }[case]
    before = baselines(app, world.loyalty)
    response = katrine.post(f"{BASE}/indikatorer/{world.loyalty}/nullpunkt", data)
    assert response.status_code == 422
    assert field_error(text(response), field) == message
    assert baselines(app, world.loyalty) == before


def targets(app, indicator: int) -> list[tuple[date, Decimal]]:
    with app.app_context():
        return [(t.target_date, Decimal(t.value).normalize()) for t in db.session.scalars(
            select(Target).where(Target.indicator_id == indicator).order_by(Target.target_date))]


def test_a_target_equal_to_a_baseline_is_refused(app, world, katrine):
    before = targets(app, world.loyalty)
    # Luster's baseline is 60 %.
    response = katrine.post(f"{BASE}/indikatorer/{world.loyalty}/mal",
                            {"value": "60", "target_date": "2015-12-31"})
    assert response.status_code == 422
    assert field_error(text(response), "value") == (
        "Målet er lik nullpunktet: da kan ikke måloppnåelsen regnes ut.")
    assert targets(app, world.loyalty) == before


def test_a_ratio_target_equal_to_a_baseline_reading_is_refused(app, world, katrine):
    # Sogndal's baseline: 4 mill. kroner of a base of 100 mill. in 2012, that is 4 %.
    response = katrine.post(f"{BASE}/indikatorer/{world.ratio}/mal",
                            {"value": "4", "target_date": "2016-12-31"})
    assert response.status_code == 422
    assert field_error(text(response), "value") == (
        "Målet er lik nullpunktet: da kan ikke måloppnåelsen regnes ut.")
    assert len(targets(app, world.ratio)) == 2


def test_targets_are_added_and_deleted_by_the_leader(app, world, katrine, kari):
    response = katrine.post(f"{BASE}/indikatorer/{world.loyalty}/mal",
                            {"value": "80", "target_date": "31.12.2013"})
    assert response.status_code == 303
    assert targets(app, world.loyalty) == [(date(2013, 12, 31), Decimal(80)),
                                           (date(2014, 12, 31), Decimal(100))]
    page = text(katrine.get(f"{BASE}/indikatorer/{world.loyalty}"))
    assert "Målet er lagt til." in page
    assert "80 % innen 31.12.2013" in plain(page)
    # The same date twice is refused.
    response = katrine.post(f"{BASE}/indikatorer/{world.loyalty}/mal",
                            {"value": "90", "target_date": "2013-12-31"})
    assert response.status_code == 422
    assert field_error(text(response), "target_date") == (
        "Indikatoren har allerede et mål for denne datoen.")
    # A municipal lead neither adds nor deletes targets.
    assert kari.post(f"{BASE}/indikatorer/{world.loyalty}/mal",
                     {"value": "90", "target_date": "2015-12-31"}).status_code == 403
    with app.app_context():
        first = db.session.scalar(select(Target.id).where(
            Target.indicator_id == world.loyalty, Target.target_date == date(2013, 12, 31)))
    assert kari.post(f"{BASE}/indikatorer/{world.loyalty}/mal/{first}/slett").status_code == 403
    assert katrine.post(f"{BASE}/indikatorer/{world.loyalty}/mal/{first}/slett"
                        ).status_code == 303
    assert targets(app, world.loyalty) == [(date(2014, 12, 31), Decimal(100))]


# ---- the indicator page: readings and achievement --------------------------------------------


def test_the_indicator_page_shows_readings_and_achievement(app, world, katrine):
    measure(app, world, world.loyalty, world.sogndal, "2013-Q1", 70, "Etter opplæringa")
    measure(app, world, world.loyalty, world.luster, "2013-Q1", 90)
    page = text(katrine.get(f"{BASE}/indikatorer/{world.loyalty}"))
    # Baseline, latest, next target and achievement: (70 − 40) / (100 − 40) = 50 %.
    assert standing(page, "Sogndal kommune") == (
        "Sogndal kommune 40 % 31.12.2012 70 % 2013-Q1 100 % 31.12.2014 50 %")
    assert standing(page, "Luster kommune") == (
        "Luster kommune 60 % 31.12.2012 90 % 2013-Q1 100 % 31.12.2014 75 %")
    # The whole project averages percentages: (80 − 50) / (100 − 50) = 60 %.
    assert standing(page, "Hele prosjektet") == (
        "Hele prosjektet 50 % 80 % 2013-Q1 100 % 31.12.2014 60 %")
    assert "Etter opplæringa" in page
    overview = plain(text(katrine.get(f"{BASE}/")))
    assert "Avtalelojalitet Høyere er bedre, kvartalsvis 50 % 100 % innen 31.12.2014 80 % " \
           "(2013-Q1) 60 %" in overview


def test_achievement_of_a_lower_is_better_indicator(app, world, katrine):
    measure(app, world, world.errors, world.sogndal, "2013-05", 105)
    measure(app, world, world.errors, world.luster, "2013-05", 90)
    page = text(katrine.get(f"{BASE}/indikatorer/{world.errors}"))
    # Sogndal: (105 − 120) / (60 − 120) = 25 %; Luster got worse: (90 − 80) / (60 − 80) = −50 %.
    assert standing(page, "Sogndal kommune") == (
        "Sogndal kommune 120 stk. 31.12.2012 105 stk. 2013-05 60 stk. 30.06.2014 25 %")
    assert standing(page, "Luster kommune") == (
        "Luster kommune 80 stk. 31.12.2012 90 stk. 2013-05 60 stk. 30.06.2014 -50 %")
    # The whole project sums the counts.
    assert standing(page, "Hele prosjektet").startswith(
        "Hele prosjektet 200 stk. 195 stk. 2013-05")


def test_the_projects_achievement_of_summed_counts_lies_between_the_organisations(
        app, world, katrine):
    """The target (60 invoice errors a month) is each organisation's; the project's count is
    the sum of theirs. Sogndal is 25 % of the way and Luster 50 %: the project as a whole is
    somewhere between. (With the organisations' targets summed as their counts are, 120:
    (175 − 200) / (120 − 200) = 31 %.)"""
    measure(app, world, world.errors, world.sogndal, "2013-05", 105)
    measure(app, world, world.errors, world.luster, "2013-05", 70)
    page = text(katrine.get(f"{BASE}/indikatorer/{world.errors}"))
    assert standing(page, "Sogndal kommune").endswith(" 25 %")
    assert standing(page, "Luster kommune").endswith(" 50 %")
    total = standing(page, "Hele prosjektet")
    assert total.startswith("Hele prosjektet 200 stk. 175 stk. 2013-05")
    assert total == "Hele prosjektet 200 stk. 175 stk. 2013-05 120 stk. 30.06.2014 31 %"


def test_a_ratio_reads_as_share_of_the_base_and_of_operating_costs(app, world, katrine):
    # A month's base in Sogndal: 400 mill. × 0.25 / 12; 1.25 mill. is 15 % of it.
    measure(app, world, world.ratio, world.sogndal, "2013-05", 1_250_000)
    page = text(katrine.get(f"{BASE}/indikatorer/{world.ratio}"))
    row = standing(page, "Sogndal kommune")
    assert row == ("Sogndal kommune 4 % 31.12.2012 15 % = 3,75 % av driftskostnadene 2013-05 "
                   "15 % 22.04.2014 100 %")
    # The targets, too, in both readings.
    assert "15 % innen 22.04.2014 (= 3,75 % av driftskostnadene)" in plain(page)
    assert "25 % innen 22.04.2015 (= 6,25 % av driftskostnadene)" in plain(page)


def test_missing_operating_costs_give_a_message_not_a_number(app, world, katrine):
    # Luster has no operating costs for 2013.
    measure(app, world, world.ratio, world.luster, "2013-05", 3_000_000)
    page = text(katrine.get(f"{BASE}/indikatorer/{world.ratio}"))
    row = standing(page, "Luster kommune")
    assert row == ("Luster kommune 4 % 31.12.2012 Mangler driftskostnader for 2013 2013-05 "
                   "15 % 22.04.2014 –")
    # The measurement table shows the amount as entered and the same message.
    assert "Luster kommune 2013-05 3 000 000 kr Mangler driftskostnader for 2013" in plain(page)


def test_the_project_reading_of_a_ratio_sums_amounts_and_bases(app, world, katrine):
    set_costs(app, world.luster, 2013, 1200)
    measure(app, world, world.ratio, world.sogndal, "2013-05", 1_250_000)  # 15 %
    measure(app, world, world.ratio, world.luster, "2013-05", 3_000_000)  # 12 %
    page = text(katrine.get(f"{BASE}/indikatorer/{world.ratio}"))
    assert "Luster kommune 4 % 31.12.2012 12 %" in standing(page, "Luster kommune")
    # 4.25 mill. of (100 + 300) mill. / 12 = 12.75 %, not the average 13.5 %; achievement
    # (12.75 − 4) / (15 − 4) = 80 %.
    assert standing(page, "Hele prosjektet") == (
        "Hele prosjektet 4 % 12,75 % 2013-05 15 % 22.04.2014 80 %")


def test_the_project_row_does_not_say_someone_has_not_reported_when_costs_are_missing(
        app, world, katrine):
    measure(app, world, world.ratio, world.sogndal, "2013-05", 1_250_000)
    measure(app, world, world.ratio, world.luster, "2013-05", 3_000_000)
    total = standing(text(katrine.get(f"{BASE}/indikatorer/{world.ratio}")), "Hele prosjektet")
    assert total.startswith("Hele prosjektet 4 %")
    assert total.count("%") == 1, total  # no reading for the project
    assert "ikke alle har rapportert" not in total, (
        f"both organisations have reported; the project row says: {total}")


def test_an_indicator_of_another_project_is_404(app, world, katrine, make_project):
    other = make_project(code="ANNET")
    with app.app_context():
        foreign = add_indicator(db.session.get(Project, other.id), "Fremmed")
        db.session.commit()
        foreign_id = foreign.id
    for path in (f"{BASE}/indikatorer/{foreign_id}", f"{BASE}/indikatorer/{foreign_id}/rediger"):
        assert katrine.get(path).status_code == 404
    assert katrine.post(f"{BASE}/indikatorer/{foreign_id}/mal",
                        {"value": "5", "target_date": "2014-01-01"}).status_code == 404
    assert katrine.post(entry_path(world, foreign_id), entry_data(foreign_id, "5")
                        ).status_code == 404
    assert measurements(app) == {}


# ---- the plan document and its approval ------------------------------------------------------


def approval_data(world: Plan, approved_on: str = "2013-05-30") -> dict:
    return {"approved_on": approved_on, "approved_by_person_id": str(world.person["ingrid"]),
            "note": "Godkjent i styringsgruppa"}


def test_approving_the_plan_then_changing_it_then_approving_version_2(app, world, katrine,
                                                                      ingrid, today):
    page = plain(text(ingrid.get(f"{BASE}/plan")))
    assert "Utkast: planen er ikke godkjent ennå." in page
    assert "Ordrevolum via e-handel" in page and "Avtalelojalitet" in page
    response = ingrid.post(f"{BASE}/plan", approval_data(world))
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/plan"
    page = plain(text(ingrid.get(f"{BASE}/plan")))
    assert "Versjon 1 av gevinstrealiseringsplanen er registrert som godkjent." in page
    assert "Versjon 1, godkjent 30.05.2013 av Ingrid Eide." in page
    assert "endret etter godkjenningen" not in page
    assert "Versjon 1 godkjent 30.05.2013." in plain(text(katrine.get(f"{BASE}/")))

    # A measurement is not a change of the plan; a new target is.
    measure(app, world, world.loyalty, world.sogndal, "2013-Q1", 70)
    assert "endret etter godkjenningen" not in text(ingrid.get(f"{BASE}/plan"))
    assert katrine.post(f"{BASE}/indikatorer/{world.loyalty}/mal",
                        {"value": "80", "target_date": "2013-12-31"}).status_code == 303
    page = plain(text(ingrid.get(f"{BASE}/plan")))
    assert "Versjon 1, godkjent 30.05.2013 av Ingrid Eide." in page
    assert ("Planen er endret etter godkjenningen: dette er et utkast til versjon 2."
            in page)

    today(date(2013, 6, 10))
    assert ingrid.post(f"{BASE}/plan", approval_data(world, "10.06.2013")).status_code == 303
    page = plain(text(ingrid.get(f"{BASE}/plan")))
    assert "Versjon 2, godkjent 10.06.2013 av Ingrid Eide." in page
    assert "endret etter godkjenningen" not in page
    assert "Versjon 1 godkjent 30.05.2013 av Ingrid Eide: Godkjent i styringsgruppa" in page
    with app.app_context():
        kept = db.session.scalars(select(PlanApproval).order_by(PlanApproval.version)).all()
        assert [a.version for a in kept] == [1, 2]
        # Each approval keeps the plan as it was.
        loyalty_targets = [[i["targets"] for i in a.snapshot["indicators"]
                            if i["name"] == "Avtalelojalitet"][0] for a in kept]
        assert [len(t) for t in loyalty_targets] == [1, 2]


def test_only_deciders_approve_and_a_bad_approval_is_refused(app, world, kari, ingrid):
    page = text(kari.get(f"{BASE}/plan"))
    assert "Registrer godkjenning" not in page
    assert kari.post(f"{BASE}/plan", approval_data(world)).status_code == 403
    for data, field, message in [
        (approval_data(world, "2013-06-04"), "approved_on", "Datoen kan ikke være fram i tid."),
        ({**approval_data(world), "approved_by_person_id": ""}, "approved_by_person_id",
         "Velg hvem som godkjente planen."),
    ]:
        response = ingrid.post(f"{BASE}/plan", data)
        assert response.status_code == 422
        assert field_error(text(response), field) == message
    assert count(app, PlanApproval) == 0


# ---- entering measurements row by row --------------------------------------------------------


def test_the_entry_screen_lists_the_organisations_indicators_for_a_period(app, world, kari):
    measure(app, world, world.errors, world.sogndal, "2013-05", 105)
    response = kari.get(f"{BASE}/registrering?organisasjon={world.sogndal}&periode=2013-05")
    assert response.status_code == 200
    page = text(response)
    assert "Sogndal kommune, 2013-05 (01.05.2013–31.05.2013)" in plain(page)
    for indicator in (world.ratio, world.loyalty, world.errors):
        assert f'<li id="entry-{indicator}"' in page
    assert input_value(page, f"i{world.errors}-value") == "105"
    assert input_value(page, f"i{world.errors}-version_id") == "1"
    assert input_value(page, f"i{world.ratio}-value") == ""
    assert input_value(page, f"i{world.ratio}-version_id") == "0"
    assert "Ordrevolum via e-handel (kr)" in plain(page)
    # Kari reports only for Sogndal: Luster is not offered (and not shown when asked for).
    assert "Luster kommune" not in page
    page = text(kari.get(f"{BASE}/registrering?organisasjon={world.luster}&periode=2013-05"))
    assert "Sogndal kommune, 2013-05" in plain(page)


def test_the_lead_saves_one_row_and_gets_only_that_row_back(app, world, kari):
    response = kari.htmx("POST", entry_path(world, world.ratio),
                         entry_data(world.ratio, "1 250 000", "Fra Visma"))
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "measurements-changed"
    body = text(response)
    assert body.lstrip().startswith(f'<li id="entry-{world.ratio}"')
    assert "<html" not in body and body.count("<li id=") == 1
    assert "Lagret: Ordrevolum via e-handel." in body
    assert input_value(body, f"i{world.ratio}-value") == "1250000"
    assert input_value(body, f"i{world.ratio}-version_id") == "1"
    assert measurements(app) == {
        (world.ratio, world.sogndal, "2013-05"): (Decimal(1_250_000), "Fra Visma", "kari")}
    # And it shows on the indicator page.
    assert "15 %" in standing(text(kari.get(f"{BASE}/indikatorer/{world.ratio}")),
                              "Sogndal kommune")
    # The next save of the row updates it.
    response = kari.htmx("POST", entry_path(world, world.ratio),
                         entry_data(world.ratio, "1 300 000", "Retta", version="1"))
    assert response.status_code == 200
    assert measurements(app) == {
        (world.ratio, world.sogndal, "2013-05"): (Decimal(1_300_000), "Retta", "kari")}


def test_a_plain_post_redirects_to_the_entry_screen(app, world, kari):
    response = kari.post(entry_path(world, world.loyalty, period="2013-q1"),
                         entry_data(world.loyalty, "70,5"))
    assert response.status_code == 303
    assert response.headers["Location"] == (
        f"{BASE}/registrering?organisasjon={world.sogndal}&periode=2013-Q1")
    assert "Målingen er lagret." in text(kari.get(response.headers["Location"]))
    assert measurements(app) == {
        (world.loyalty, world.sogndal, "2013-Q1"): (Decimal("70.5"), "", "kari")}


def test_a_stale_row_gets_409_with_the_current_value(app, world, kari, katrine):
    screen = text(kari.get(f"{BASE}/registrering?organisasjon={world.sogndal}&periode=2013-05"))
    version = input_value(screen, f"i{world.errors}-version_id")
    assert version == "0"
    # The project leader saves the same row first.
    assert katrine.htmx("POST", entry_path(world, world.errors),
                        entry_data(world.errors, "105", "Katrine")).status_code == 200
    response = kari.htmx("POST", entry_path(world, world.errors),
                         entry_data(world.errors, "99", "Kari", version=version))
    assert response.status_code == 409
    body = text(response)
    assert body.lstrip().startswith(f'<li id="entry-{world.errors}"')
    assert "Noen andre lagret denne målingen i mellomtiden" in body
    assert input_value(body, f"i{world.errors}-value") == "105"
    assert input_value(body, f"i{world.errors}-comment") == "Katrine"
    assert input_value(body, f"i{world.errors}-version_id") == "1"
    assert "HX-Trigger" not in response.headers
    assert measurements(app) == {
        (world.errors, world.sogndal, "2013-05"): (Decimal(105), "Katrine", "katrine")}


@pytest.mark.parametrize("value, message", [
    ("femten", "Skriv et tall, for eksempel 15,5."),
    ("15,5,5", "Skriv et tall, for eksempel 15,5."),
    ("", "Skriv et tall."),
    ("100000000000000", "Skriv et tall med høyst 14 sifre før og 4 etter komma."),
])
def test_a_bad_value_is_refused_with_422_and_nothing_saved(app, world, kari, value, message):
    response = kari.htmx("POST", entry_path(world, world.errors),
                         entry_data(world.errors, value))
    assert response.status_code == 422
    body = text(response)
    assert body.lstrip().startswith(f'<li id="entry-{world.errors}"')
    assert field_error(body, f"i{world.errors}-value") == message
    assert "HX-Trigger" not in response.headers
    assert measurements(app) == {}


def test_a_period_not_begun_is_refused(app, world, kari):
    response = kari.htmx("POST", entry_path(world, world.errors, period="2013-07"),
                         entry_data(world.errors, "3"))
    assert response.status_code == 422
    assert field_error(text(response), f"i{world.errors}-value") == (
        "Perioden har ikke begynt ennå.")
    assert measurements(app) == {}


def test_an_organisation_not_in_the_project_is_404(app, world, katrine, kari):
    for browser in (katrine, kari):
        response = browser.htmx("POST", entry_path(world, world.errors, world.leikanger),
                                entry_data(world.errors, "3"))
        assert response.status_code == 404
    assert measurements(app) == {}


def test_another_organisations_row_is_403(app, world, kari, ingrid):
    assert kari.htmx("POST", entry_path(world, world.errors, world.luster),
                     entry_data(world.errors, "3")).status_code == 403
    assert ingrid.htmx("POST", entry_path(world, world.errors),
                       entry_data(world.errors, "3")).status_code == 403
    assert ingrid.get(f"{BASE}/registrering").status_code == 403
    assert measurements(app) == {}


@pytest.mark.parametrize("period", ["2013-13", "mai 2013", "2013/05", "2013-Q5"])
def test_a_period_in_the_wrong_format_gets_a_message(app, world, kari, period):
    response = kari.get(f"{BASE}/registrering", query_string={
        "organisasjon": world.sogndal, "periode": period})
    assert response.status_code == 422
    assert field_error(text(response), "entry-period") == (
        "Skriv perioden som 2013 (år), 2013-H1 (halvår), 2013-Q2 (kvartal) eller "
        "2013-03 (måned).")
    assert f'id="entry-{world.errors}"' not in text(response)


def test_a_row_address_with_a_period_in_the_wrong_format_is_no_page(app, world, kari):
    for period in ("2013-13", "2013-Q5", "mai"):
        response = kari.htmx("POST", entry_path(world, world.errors, period=period),
                             entry_data(world.errors, "3"))
        assert response.status_code == 404, period
    assert measurements(app) == {}


def test_measurements_are_entered_after_the_project_is_closed(app, world, kari, today):
    with app.app_context():
        project = db.session.get(Project, world.project)
        project.status = ProjectStatus.CLOSED
        project.phase = Phase.REALISATION
        db.session.commit()
    today(date(2016, 2, 1))
    assert kari.get(f"{BASE}/registrering?periode=2016-01").status_code == 200
    response = kari.htmx("POST", entry_path(world, world.errors, period="2016-01"),
                         entry_data(world.errors, "55", "Etter prosjektslutt"))
    assert response.status_code == 200
    assert measurements(app) == {
        (world.errors, world.sogndal, "2016-01"): (Decimal(55), "Etter prosjektslutt", "kari")}
    page = text(kari.get(f"{BASE}/indikatorer/{world.errors}"))
    assert "55 stk. 2016-01" in standing(page, "Sogndal kommune")


# ---- import ----------------------------------------------------------------------------------

GOOD_ROWS = [
    "indikator;organisasjon;periode;verdi;kommentar",
    "Ordrevolum via e-handel;Sogndal kommune;2013-05;1 250 000;Fra Visma",
    "Avtalelojalitet;964968519;2013-Q1;70,5;",
    "fakturafeil;sogndal kommune;2013-4;110;April",
]


def upload(browser, path: str, content: bytes, filename: str = "maalinger.csv"):
    return browser.post(path, {"file": (io.BytesIO(content), filename)},
                        content_type="multipart/form-data")


def csv_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


EXPECTED_IMPORT = {
    ("ratio", "2013-05"): (Decimal(1_250_000), "Fra Visma"),
    ("loyalty", "2013-Q1"): (Decimal("70.5"), ""),
    ("errors", "2013-04"): (Decimal(110), "April"),
}


def imported(app, world: Plan) -> dict:
    names = {world.ratio: "ratio", world.loyalty: "loyalty", world.errors: "errors"}
    found = {}
    for (indicator, organisation, period), (value, comment, who) in measurements(app).items():
        assert (organisation, who) == (world.sogndal, "kari")
        found[(names[indicator], period)] = (value, comment)
    return found


def test_an_import_with_one_bad_row_names_it_and_saves_nothing(app, world, kari):
    assert kari.get(f"{BASE}/import").status_code == 200
    lines = [*GOOD_ROWS[:2], "Avtalelojalitet;Sogndal kommune;2013-Q1;sytti;", *GOOD_ROWS[3:]]
    response = upload(kari, f"{BASE}/import", csv_bytes(lines))
    assert response.status_code == 422
    page = plain(text(response))
    assert "1 rad har feil. Ingenting er lagret." in page
    assert "Rad 3, kolonne verdi: «sytti» er ikke et tall." in page
    assert "Rad 2" not in page.split("Rett filen")[0]  # only the bad row is listed
    assert input_value(text(response), "payload") is None
    assert measurements(app) == {}


def test_an_import_is_previewed_then_saved_all_at_once(app, world, kari):
    response = upload(kari, f"{BASE}/import", csv_bytes(GOOD_ROWS))
    assert response.status_code == 200
    page = text(response)
    assert "Alle 3 rader er sjekket og klare til å lagres." in plain(page)
    assert "Lagre 3 målinger" in page
    assert measurements(app) == {}  # nothing saved by the preview
    payload = input_value(page, "payload")
    assert payload
    response = kari.post(f"{BASE}/import/lagre", {"payload": payload})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/"
    assert "3 målinger er lagret." in text(kari.get(f"{BASE}/"))
    assert imported(app, world) == EXPECTED_IMPORT


def test_a_tampered_payload_is_400_and_saves_nothing(app, world, kari):
    payload = input_value(text(upload(kari, f"{BASE}/import", csv_bytes(GOOD_ROWS))), "payload")
    body, _, signature = payload.rpartition(".")
    for tampered in (body + "." + signature[::-1], body[:-2] + "AA." + signature, "", "x.y"):
        assert kari.post(f"{BASE}/import/lagre", {"payload": tampered}).status_code == 400
    assert measurements(app) == {}


def test_a_payload_for_rows_kari_may_not_report_saves_nothing(app, world, kari, lars):
    """Lars' checked file, confirmed by Kari: the rows are checked again, for Kari."""
    lines = [GOOD_ROWS[0], "Avtalelojalitet;Luster kommune;2013-Q1;80;",
             "Fakturafeil;Luster kommune;2013-04;40;"]
    payload = input_value(text(upload(lars, f"{BASE}/import", csv_bytes(lines))), "payload")
    assert payload
    response = kari.post(f"{BASE}/import/lagre", {"payload": payload})
    assert response.status_code == 422
    assert "Rad 2, kolonne organisasjon: «Luster kommune» er ikke en organisasjon du kan " \
           "rapportere for i prosjektet." in plain(text(response))
    assert measurements(app) == {}


def test_a_row_that_went_bad_after_the_preview_saves_none_of_them(app, world, kari):
    payload = input_value(text(upload(kari, f"{BASE}/import", csv_bytes(GOOD_ROWS))), "payload")
    with app.app_context():  # the indicator is renamed in the meantime
        db.session.get(Indicator, world.errors).name = "Feil i fakturaer"
        db.session.commit()
    response = kari.post(f"{BASE}/import/lagre", {"payload": payload})
    assert response.status_code == 422
    assert "Rad 4, kolonne indikator: Prosjektet har ingen indikator som heter «fakturafeil»." \
        in plain(text(response))
    assert measurements(app) == {}


def test_an_excel_file_is_imported(app, world, kari):
    workbook = Workbook()
    sheet = workbook.active
    for row in [["Indikator", "Organisasjon", "Periode", "Verdi", "Kommentar"],
                ["Ordrevolum via e-handel", "Sogndal kommune", "2013-05", 1250000, "Fra Visma"],
                ["Avtalelojalitet", "964968519", "2013-Q1", 70.5, None],
                ["Fakturafeil", "Sogndal kommune", "2013-04", 110, "April"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(kari, f"{BASE}/import", buffer.getvalue(), "maalinger.xlsx")
    assert response.status_code == 200
    assert "Alle 3 rader er sjekket og klare til å lagres." in plain(text(response))
    payload = input_value(text(response), "payload")
    assert kari.post(f"{BASE}/import/lagre", {"payload": payload}).status_code == 303
    assert imported(app, world) == EXPECTED_IMPORT


@pytest.mark.parametrize("filename, content, message", [
    ("maalinger.csv", b"indikator;verdi\nFakturafeil;3\n",
     "Første rad må ha kolonnene indikator, organisasjon, periode og verdi. "
     "Mangler: organisasjon, periode."),
    ("maalinger.csv", b"", "Filen er tom."),
    ("maalinger.csv", "indikator;organisasjon;periode;verdi\nFakturafeil;Sogndal kommune;"
                      "2013-05;3;Årdal\n".encode("latin-1"),
     "Filen er ikke i UTF-8. Lagre den som «CSV UTF-8» og prøv igjen."),
    ("maalinger.pdf", b"%PDF", "Velg en CSV-fil (.csv) eller en Excel-fil (.xlsx)."),
])
def test_a_file_that_cannot_be_read_is_refused(app, world, kari, filename, content, message):
    response = upload(kari, f"{BASE}/import", content, filename)
    assert response.status_code == 422
    assert field_error(text(response), "file") == message
    assert measurements(app) == {}


def test_readers_do_not_import(app, world, ingrid):
    assert ingrid.get(f"{BASE}/import").status_code == 403
    assert upload(ingrid, f"{BASE}/import", csv_bytes(GOOD_ROWS)).status_code == 403
    assert "Importer målinger" not in text(ingrid.get(f"{BASE}/"))


# ---- the start page --------------------------------------------------------------------------

DUE = "Målinger du skal registrere"


def test_the_start_page_lists_measurements_due_for_the_leads_own_organisation(
        app, world, kari, lars, katrine, ingrid):
    # Luster has reported everything that is due; Sogndal all but May's invoice errors.
    for indicator, period in ((world.ratio, "2013-05"), (world.errors, "2013-05"),
                              (world.loyalty, "2013-Q1")):
        measure(app, world, indicator, world.luster, period, 1)
        if indicator != world.errors:
            measure(app, world, indicator, world.sogndal, period, 1)
    page = text(kari.get("/"))
    assert DUE in page
    due = plain(section(page, "due-heading"))
    assert due == f"{DUE} Fakturafeil for Sogndal kommune, mai 2013 (eHandel i Sogn)"
    assert (f'href="{BASE}/registrering?organisasjon={world.sogndal}&amp;periode=2013-05"'
            in page)
    for other in (lars, katrine, ingrid):
        assert DUE not in text(other.get("/"))
