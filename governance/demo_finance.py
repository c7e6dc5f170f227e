"""Demo budgets from the seeds. Loaded once per project.

eHandel Sogn (seed 2, "Kor mykje?" and "Felles budsjett"): each municipality's own costs
(connection to the e-commerce platform 60 000 kr in 2013; the yearly subscription 5 000 kr
from 1 September 2013, then 20 000 kr; the integration fee 2 400 kr, then 9 600 kr) and the
shared budget (85 000 kr transferred from the county's procurement service; travel and
meetings for the project leader 50 000 kr, the launch meeting 15 000 kr, miscellaneous
35 000 kr). The seed gives no figures for the Difi grant and the project leader's salary, nor
for 2014 and 2015 of the shared budget: those amounts, and the actual costs, are the demo's.

Kongsbergregionen (seed 1): the regional procurement coordinator, 700 000 kr a year, to be
shared "by an agreed key"; the seed asks for alternative keys. The populations and the fixed
percentages are demo figures, not official ones.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.finance import service
from governance.finance.models import BudgetLine, Category, LineKind, Nature, SharedCost
from governance.finance.sharing import KeyMethod
from governance.organisations.models import Organisation, OrganisationYear
from governance.projects.models import Project

KR = 100  # øre per krone

# year, kind, category, name, amount (kroner), nature; the shared budget of eHandel Sogn.
EHANDEL_SHARED = [
    (2013, LineKind.INCOME, Category.GRANT, "Tilskot frå Difi til løn til prosjektleiar",
     300_000, Nature.OPERATING),
    (2013, LineKind.INCOME, Category.TRANSFER, "Overføring frå Innkjøpstenesta SFj", 85_000,
     Nature.OPERATING),
    (2013, LineKind.COST, Category.SALARY, "Løn prosjektleiar", 300_000, Nature.OPERATING),
    (2013, LineKind.COST, Category.TRAVEL_MEETINGS, "Reise- og møteutgifter prosjektleiar",
     50_000, Nature.OPERATING),
    (2013, LineKind.COST, Category.TRAVEL_MEETINGS, "Møtekostnadar skipingsmøte", 15_000,
     Nature.OPERATING),
    (2013, LineKind.COST, Category.MISC, "Diverse", 35_000, Nature.OPERATING),
    (2014, LineKind.INCOME, Category.GRANT, "Tilskot frå Difi til løn til prosjektleiar",
     450_000, Nature.OPERATING),
    (2014, LineKind.COST, Category.SALARY, "Løn prosjektleiar", 600_000, Nature.OPERATING),
    (2014, LineKind.COST, Category.TRAVEL_MEETINGS, "Reise- og møteutgifter prosjektleiar",
     60_000, Nature.OPERATING),
    (2015, LineKind.COST, Category.TRAVEL_MEETINGS, "Reise- og møteutgifter prosjektleiar",
     30_000, Nature.OPERATING),
]

# year, category, name, amount (kroner), nature: what each participant carries itself.
EHANDEL_OWN = [
    (2013, Category.CONNECTION, "Tilknyting til eHandelsplattformen", 60_000, Nature.INVESTMENT),
    (2013, Category.LICENCES, "Årleg abonnementsavgift eHandelsplattformen (frå 1. sept.)",
     5_000, Nature.OPERATING),
    (2013, Category.CONNECTION, "Årleg avgift integrasjon eHandelsplattformen", 2_400,
     Nature.OPERATING),
    (2014, Category.LICENCES, "Årleg abonnementsavgift eHandelsplattformen", 20_000,
     Nature.OPERATING),
    (2014, Category.CONNECTION, "Årleg avgift integrasjon eHandelsplattformen", 9_600,
     Nature.OPERATING),
    (2015, Category.LICENCES, "Årleg abonnementsavgift eHandelsplattformen", 20_000,
     Nature.OPERATING),
    (2015, Category.CONNECTION, "Årleg avgift integrasjon eHandelsplattformen", 9_600,
     Nature.OPERATING),
]

# line name -> months with actual costs (kroner), the demo's.
EHANDEL_ACTUALS = {
    "Reise- og møteutgifter prosjektleiar": [("2013-05", 6_200), ("2013-06", 8_150),
                                             ("2013-08", 4_300), ("2013-09", 12_900)],
    "Møtekostnadar skipingsmøte": [("2013-04", 17_450)],
    "Løn prosjektleiar": [("2013-05", 37_500), ("2013-06", 37_500), ("2013-07", 37_500),
                          ("2013-08", 37_500), ("2013-09", 37_500)],
}

KONGSBERG_POPULATION_2008 = {
    "Kongsberg kommune": 24_600, "Notodden kommune": 12_400, "Tinn kommune": 6_100,
    "Nore og Uvdal kommune": 2_600, "Flesberg kommune": 2_600, "Hjartdal kommune": 1_600,
    "Rollag kommune": 1_400,
}
KONGSBERG_FIXED = {
    "Kongsberg kommune": Decimal(40), "Notodden kommune": Decimal(20),
    "Tinn kommune": Decimal(12), "Nore og Uvdal kommune": Decimal(8),
    "Flesberg kommune": Decimal(8), "Hjartdal kommune": Decimal(6),
    "Rollag kommune": Decimal(6),
}


def _has_budget(session: Session, project: Project) -> bool:
    lines = session.scalar(select(func.count()).select_from(BudgetLine)
                           .where(BudgetLine.project_id == project.id))
    costs = session.scalar(select(func.count()).select_from(SharedCost)
                           .where(SharedCost.project_id == project.id))
    return bool(lines or costs)


def load_ehandel(session: Session, project: Project, today) -> int:
    if _has_budget(session, project):
        return 0
    created = 0
    shared: dict[tuple[int, str], BudgetLine] = {}
    for year, kind, category, name, kroner, nature in EHANDEL_SHARED:
        [line] = service.save_line(session, None, project, service.LineInput(
            year=year, kind=kind, category=category, nature=nature, name=name,
            amount_ore=kroner * KR))
        shared[(year, name)] = line
        created += 1
    for year, category, name, kroner, nature in EHANDEL_OWN:
        created += len(service.save_line(session, None, project, service.LineInput(
            year=year, kind=LineKind.COST, category=category, nature=nature, name=name,
            amount_ore=kroner * KR, for_all=True)))
    for name, months in EHANDEL_ACTUALS.items():
        for period, kroner in months:
            service.set_actual(session, None, project, shared[(2013, name)], period=period,
                               amount_ore=kroner * KR, note="", today=today)
            created += 1
    return created


def load_kongsberg(session: Session, project: Project, orgs: dict[str, Organisation]) -> int:
    if _has_budget(session, project):
        return 0
    for name, population in KONGSBERG_POPULATION_2008.items():
        org = orgs[name]
        if not any(f.year == 2008 for f in org.figures):
            session.add(OrganisationYear(organisation_id=org.id, year=2008,
                                         population=population))
    session.flush()
    by_id = {orgs[name].id: value for name, value in KONGSBERG_FIXED.items()}
    for name, method, equal in (("Like deler", KeyMethod.EQUAL, None),
                                ("Folketall", KeyMethod.POPULATION, None),
                                ("50 % likt, 50 % folketall", KeyMethod.MIX, Decimal(50)),
                                ("Faste prosentandeler", KeyMethod.FIXED, None)):
        service.save_key(session, None, project, service.KeyInput(
            name=name, method=method, equal_percent=equal,
            percents=by_id if method == KeyMethod.FIXED else {}))
    service.save_shared_cost(session, None, project, service.SharedCostInput(
        year=2008, name="Regional innkjøpskoordinator (100 % stilling)", amount_kroner=700_000,
        note="Anslått til 700 000 kr per år inkl. overheadkostnader, fordeles etter en "
             "omforent nøkkel (sak 072/07)."))
    return 5
