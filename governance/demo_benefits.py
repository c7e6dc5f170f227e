"""Demo benefits plans from the seeds. Loaded once per project (skipped when it has goals).

Kodeknekk (seed 2, slides 27–28): e-commerce share of purchases for Time, Klepp and Gjesdal
in 2011, for 2012 up to 30 June, and in June 2012; contract loyalty for office supplies and
on average, 2011 and 2012, as read from the slide's table. The seed's aim: 30–40 % e-commerce
and 100 % contract loyalty.

eHandel Sogn (seed 2, slide 30): annual order volume on the e-commerce platform of 15 % of the
calculation base within a year, then 25 %, the calculation base being operating costs × 0.25.
The operating costs and populations of the municipalities are demo figures, not official ones.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.benefits import service
from governance.benefits.models import (
    BenefitKind,
    Direction,
    Frequency,
    Goal,
    GoalLevel,
    Realisation,
    Unit,
)
from governance.organisations.models import Organisation, OrganisationYear
from governance.projects.models import Project

# Demo figures: population and operating costs (kroner) per year.
EHANDEL_FIGURES = {
    "Sogndal kommune": (7_600, 620_000_000),
    "Leikanger kommune": (2_300, 215_000_000),
    "Luster kommune": (5_100, 455_000_000),
    "Lærdal kommune": (2_200, 210_000_000),
    "Årdal kommune": (5_400, 510_000_000),
    "Sogn og Fjordane fylkeskommune": (108_000, 3_100_000_000),
}


def _has_plan(session: Session, project: Project) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Goal)
                               .where(Goal.project_id == project.id)))


def _goal(session, project, level, title, parent=None, criteria=""):
    return service.save_goal(session, None, project, service.GoalInput(
        level=level, title=title, success_criteria=criteria,
        parent_id=parent.id if parent else None))


def _indicator(session, project, name, *, benefit=None, unit=Unit.PERCENT,
               frequency=Frequency.YEARLY, method="", source="", ratio=None):
    return service.save_indicator(session, None, project, service.IndicatorInput(
        name=name, benefit_id=benefit.id if benefit else None, unit=unit, unit_label="",
        direction=Direction.HIGHER, frequency=frequency, method=method, data_source=source,
        measured_by_person_id=None, is_ratio=ratio is not None, ratio_factor=ratio))


def _figures(session: Session, orgs: dict[str, Organisation]) -> None:
    for name, (population, costs) in EHANDEL_FIGURES.items():
        org = orgs[name]
        known = {f.year for f in org.figures}
        for year in (2012, 2013, 2014, 2015):
            if year not in known:
                session.add(OrganisationYear(organisation_id=org.id, year=year,
                                             population=population,
                                             operating_costs_ore=costs * 100))
    session.flush()


def load_kodeknekk(session: Session, project: Project, orgs: dict[str, Organisation]) -> int:
    if _has_plan(session, project):
        return 0
    time_, klepp, gjesdal = (orgs["Time kommune"], orgs["Klepp kommune"],
                             orgs["Gjesdal kommune"])
    top = _goal(session, project, GoalLevel.SOCIETAL, "Betre, enklare og sikrare innkjøp")
    share_goal = _goal(session, project, GoalLevel.EFFECT,
                       "Større del av innkjøpa via e-handel", top,
                       "30–40 % av innkjøpa via e-handel.")
    loyalty_goal = _goal(session, project, GoalLevel.EFFECT,
                         "Større lojalitet mot rammeavtalar", top,
                         "100 % avtalelojalitet.")
    _goal(session, project, GoalLevel.RESULT,
          "Leverandørar med rammeavtale aktivert på e-handelsplattforma", share_goal)
    lower_costs = service.save_benefit(session, None, project, service.BenefitInput(
        title="Lågare transaksjonskostnader gjennom automatisering", description="",
        kind=BenefitKind.QUALITATIVE, goal_id=share_goal.id, amount_ore=None,
        person_years=None, responsible_person_id=None, expected_from=date(2012, 1, 1),
        realisation=Realisation.TIME_FOR_OTHER_TASKS, realisation_note="",
        owners={time_.id: None, klepp.id: None, gjesdal.id: None}))
    loyalty = service.save_benefit(session, None, project, service.BenefitInput(
        title="Betre prisar gjennom større avtalelojalitet", description="",
        kind=BenefitKind.QUALITATIVE, goal_id=loyalty_goal.id, amount_ore=None,
        person_years=None, responsible_person_id=None, expected_from=date(2012, 1, 1),
        realisation=Realisation.BUDGET_CUT, realisation_note="",
        owners={time_.id: None, klepp.id: None, gjesdal.id: None}))
    share = _indicator(session, project, "Kjøp via e-handel (del av innkjøpa)",
                       benefit=lower_costs, frequency=Frequency.QUARTERLY,
                       method="Ordrevolum via e-handelsplattforma delt på samla innkjøp.",
                       source="Visma og rekneskapen")
    office = _indicator(session, project, "Avtalelojalitet, kontorrekvisita", benefit=loyalty,
                        source="Innkjøpsanalyse")
    average = _indicator(session, project, "Avtalelojalitet, snitt alle kategoriar",
                         benefit=loyalty, source="Innkjøpsanalyse")
    year_end_2011 = date(2011, 12, 31)
    figures = {
        share: {time_: ("0.8", [("2012-H1", "3"), ("2012-06", "8")]),
                klepp: ("3.8", [("2012-H1", "8.4"), ("2012-06", "18.9")]),
                gjesdal: ("3.3", [("2012-H1", "6.3"), ("2012-06", "20.2")])},
        office: {time_: ("39.9", [("2012", "61")]), klepp: ("76", [("2012", "80")]),
                 gjesdal: ("91.5", [("2012", "106.5")])},
        average: {time_: ("13.5", [("2012", "39")]), klepp: ("31", [("2012", "30")]),
                  gjesdal: ("24.4", [("2012", "40.66")])},
    }
    for indicator, by_org in figures.items():
        for org, (baseline, measurements) in by_org.items():
            service.set_baseline(session, None, project, indicator, organisation_id=org.id,
                                 value=Decimal(baseline), measured_on=year_end_2011)
            for period, value in measurements:
                service.record_measurement(
                    session, None, project,
                    service.MeasurementInput(indicator, org.id, period, Decimal(value), ""))
    service.add_target(session, None, project, share, target_date=date(2013, 12, 31),
                       value=Decimal(30))
    service.add_target(session, None, project, share, target_date=date(2014, 12, 31),
                       value=Decimal(40))
    for indicator in (office, average):
        service.add_target(session, None, project, indicator, target_date=date(2013, 12, 31),
                           value=Decimal(100))
    session.flush()
    return 4 + 2 + 3


def load_ehandel(session: Session, project: Project, orgs: dict[str, Organisation]) -> int:
    if _has_plan(session, project):
        return 0
    _figures(session, orgs)
    top = _goal(session, project, GoalLevel.SOCIETAL, "Meir effektiv offentleg sektor")
    effects = {}
    for title in ("Færre og definerte bestillarar",
                  "Lågare transaksjonskostnader og ressursbruk gjennom automatisering",
                  "Færre feil i fakturaprosessen", "Større lojalitet mot rammeavtalar",
                  "Betre budsjettkontroll"):
        effects[title] = _goal(session, project, GoalLevel.EFFECT, title, top)
    _goal(session, project, GoalLevel.RESULT,
          "Kartlegge innkjøpsprosessen i den enkelte kommune", effects[
              "Færre og definerte bestillarar"])
    _goal(session, project, GoalLevel.RESULT,
          "Aktivere så mange leverandørar som praktisk mogleg på e-handelsplattforma",
          effects["Lågare transaksjonskostnader og ressursbruk gjennom automatisering"])
    participants = [o for o in project.participants]
    volume_benefit = service.save_benefit(session, None, project, service.BenefitInput(
        title="Lågare transaksjonskostnader", description="Automatisk kontroll av faktura mot "
        "ordre og færre leverandørar i reskontroen.", kind=BenefitKind.QUALITATIVE,
        goal_id=effects["Lågare transaksjonskostnader og ressursbruk gjennom automatisering"].id,
        amount_ore=None, person_years=None, responsible_person_id=None,
        expected_from=date(2014, 1, 1), realisation=Realisation.TIME_FOR_OTHER_TASKS,
        realisation_note="", owners={o.id: None for o in participants}))
    service.save_benefit(session, None, project, service.BenefitInput(
        title="Færre feil i fakturaprosessen", description="Korrekt ordre gir korrekt faktura.",
        kind=BenefitKind.QUALITATIVE, goal_id=effects["Færre feil i fakturaprosessen"].id,
        amount_ore=None, person_years=None, responsible_person_id=None,
        expected_from=date(2014, 1, 1), realisation=Realisation.BETTER_QUALITY,
        realisation_note="", owners={}))
    volume = _indicator(
        session, project, "Årleg ordrevolum via e-handel (del av berekningsgrunnlaget)",
        benefit=volume_benefit, unit=Unit.NOK, ratio=Decimal("0.25"),
        method="Ordrevolum via e-handelsplattforma i kroner, delt på berekningsgrunnlaget "
               "(sum driftskostnader × 0,25).", source="E-handelsplattforma (Visma)")
    for org in participants:
        service.set_baseline(session, None, project, volume, organisation_id=org.id,
                             value=Decimal(0), measured_on=date(2012, 12, 31))
    service.add_target(session, None, project, volume, target_date=date(2014, 4, 22),
                       value=Decimal(15))
    service.add_target(session, None, project, volume, target_date=date(2015, 4, 22),
                       value=Decimal(25))
    session.flush()
    return 8 + 2 + 1
