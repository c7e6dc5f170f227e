"""Demo data from the two seed documents: eHandel Sogn, Kodeknekk, Kongsbergregionen.

Loading is idempotent: what exists (by name, code or username) is left as it is.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance import demo_benefits, demo_finance, demo_plan, demo_risks
from governance.organisations.models import Organisation, OrganisationKind
from governance.projects import service as project_service
from governance.projects.models import Phase, Project, ProjectStatus
from governance.roles import service as role_service
from governance.roles.models import (
    GroupKind,
    MemberRole,
    Person,
    ProjectGroup,
    ProjectRole,
    ProjectRoleKind,
    ProjectTask,
    TaskLevel,
    User,
)

M = OrganisationKind.MUNICIPALITY
ORGANISATIONS: list[tuple[str, OrganisationKind]] = [
    ("Sogn og Fjordane fylkeskommune", OrganisationKind.COUNTY),
    ("Sogn regionråd", OrganisationKind.REGIONAL_COUNCIL),
    ("Sogndal kommune", M),
    ("Leikanger kommune", M),
    ("Luster kommune", M),
    ("Lærdal kommune", M),
    ("Årdal kommune", M),
    ("Time kommune", M),
    ("Klepp kommune", M),
    ("Gjesdal kommune", M),
    ("Kongsbergregionen", OrganisationKind.REGIONAL_COUNCIL),
    ("Kongsberg kommune", M),
    ("Flesberg kommune", M),
    ("Rollag kommune", M),
    ("Nore og Uvdal kommune", M),
    ("Notodden kommune", M),
    ("Hjartdal kommune", M),
    ("Tinn kommune", M),
]

KONGSBERG_SEVEN = [
    "Kongsberg kommune", "Flesberg kommune", "Rollag kommune", "Nore og Uvdal kommune",
    "Notodden kommune", "Hjartdal kommune", "Tinn kommune",
]

PROJECTS = [
    {
        "code": "EHANDEL-SOGN",
        "name": "eHandel i Sogn",
        "purpose": (
            "Innføre e-handel i kommunane i Sogn etter Difi sin metode: færre og definerte "
            "bestillarar, lågare transaksjonskostnader, færre feil i fakturaprosessen og "
            "større lojalitet mot rammeavtalar."
        ),
        "description": (
            "Felles prosjekt for kommunane i Sogn og Sogn og Fjordane fylkeskommune. "
            "Resultatmål: kartlegge innkjøpsprosessen i den enkelte kommune og aktivere så "
            "mange leverandørar som praktisk mogleg på e-handelsplattforma. Første "
            "styringsgruppemøte 22. april skal godkjenne prosjektplanen."
        ),
        "phase": Phase.PLANNING,
        "start_date": date(2013, 4, 12),
        "end_date": date(2015, 12, 31),
        "owners": ["Sogndal kommune", "Leikanger kommune", "Sogn og Fjordane fylkeskommune"],
        "participants": ["Sogndal kommune", "Leikanger kommune", "Luster kommune",
                         "Lærdal kommune", "Årdal kommune", "Sogn og Fjordane fylkeskommune"],
    },
    {
        "code": "KODEKNEKK",
        "name": "Kodeknekk – e-handel i Time, Klepp og Gjesdal",
        "purpose": (
            "Auke e-handelsdelen og avtalelojaliteten i Time, Klepp og Gjesdal gjennom eit "
            "formalisert og forpliktande samarbeid."
        ),
        "description": (
            "E-handelsdel 2011: Time 0,8 %, Klepp 3,8 %, Gjesdal 3,3 %. Juni 2012: 8 %, "
            "18,9 % og 20,2 %. Målet er 30–40 % e-handelsdel og 100 % avtalelojalitet."
        ),
        "phase": Phase.EXECUTION,
        "start_date": date(2011, 1, 1),
        "end_date": None,
        "owners": ["Time kommune", "Klepp kommune", "Gjesdal kommune"],
        "participants": ["Time kommune", "Klepp kommune", "Gjesdal kommune"],
    },
    {
        "code": "INNKJOP-KONGSBERG",
        "name": "Innkjøpssamarbeid i Kongsbergregionen",
        "purpose": (
            "Utrede en interkommunal innkjøpsordning som i størst mulig grad tjener alle "
            "kommunenes interesser: én henvendelse i stedet for sju."
        ),
        "description": (
            "Vedtatt av rådmannsutvalget (sak 072/07, 28.09.2007). Forslag: en 100 % stilling "
            "som regional innkjøpskoordinator i Kongsberg, anslått til 700 000 kr per år, "
            "fordelt etter en omforent nøkkel, og en lokal innkjøpsressurs i hver kommune."
        ),
        "phase": Phase.CONCEPT,
        "start_date": date(2007, 9, 28),
        "end_date": None,
        "owners": ["Kongsbergregionen"],
        "participants": KONGSBERG_SEVEN,
    },
]

# username, full name, password, organisation, is_admin, can_create_projects.
USERS = [
    ("admin", "Demo Administrator", "admin-demo-2026", None, True, True),
    ("katrine", "Katrine Wilson", "prosjektleder-demo", "Sogn regionråd", False, True),
    ("ingrid", "Ingrid Hauge", "styringsgruppe-demo", "Sogndal kommune", False, False),
    ("per", "Per Nes", "kommuneleder-demo", "Luster kommune", False, False),
    ("kari", "Kari Bø", "sogndal-demo-2026", "Sogndal kommune", False, False),
]

DEMO_PASSWORDS = {username: password for username, _, password, *_ in USERS}

# People without user accounts (fictional, except Katrine Wilson from the seed):
# name, title, organisation.
PEOPLE = [
    ("Randi Lunde", "Rådmann", "Leikanger kommune"),
    ("Arne Vik", "Innkjøpssjef, Innkjøpstenesta", "Sogn og Fjordane fylkeskommune"),
    ("Kari Bø", "Økonomikonsulent", "Sogndal kommune"),
    ("Jon Ask", "Innkjøpsrådgjevar", "Leikanger kommune"),
    ("Liv Berg", "Økonomisjef", "Lærdal kommune"),
    ("Ola Dale", "Innkjøpsansvarleg", "Årdal kommune"),
    ("Siri Fosse", "Rådgjevar", "Sogn og Fjordane fylkeskommune"),
    ("Tor Hamre", "Systemansvarleg", "Sogndal kommune"),
]

# eHandel Sogn: the organisation on the seed's slides 14 and 32-38.
EHANDEL_ROLES = [
    # person, role, organisation
    ("Ingrid Hauge", ProjectRoleKind.PROJECT_OWNER, "Sogndal kommune"),
    ("Randi Lunde", ProjectRoleKind.PROJECT_OWNER, "Leikanger kommune"),
    ("Arne Vik", ProjectRoleKind.PROJECT_OWNER, "Sogn og Fjordane fylkeskommune"),
    ("Katrine Wilson", ProjectRoleKind.PROJECT_LEADER, None),
    ("Arne Vik", ProjectRoleKind.BENEFIT_RESPONSIBLE, None),
    ("Kari Bø", ProjectRoleKind.MUNICIPAL_LEAD, "Sogndal kommune"),
    ("Jon Ask", ProjectRoleKind.MUNICIPAL_LEAD, "Leikanger kommune"),
    ("Per Nes", ProjectRoleKind.MUNICIPAL_LEAD, "Luster kommune"),
    ("Liv Berg", ProjectRoleKind.MUNICIPAL_LEAD, "Lærdal kommune"),
    ("Ola Dale", ProjectRoleKind.MUNICIPAL_LEAD, "Årdal kommune"),
    ("Siri Fosse", ProjectRoleKind.MUNICIPAL_LEAD, "Sogn og Fjordane fylkeskommune"),
    ("Per Nes", ProjectRoleKind.BENEFIT_OWNER, "Luster kommune"),
]

EHANDEL_WORK_GROUPS = [
    ("Leverandøraktivering",
     "Finne aktuelle leverandørar ut frå volum, tal fakturaer og tal brukarar, og avgjere "
     "kva leverandørar som skal aktiverast og i kva rekkjefølgje.",
     "Prioritert liste over leverandørar; leverandørar aktivert på e-handelsplattforma."),
    ("Buyer-oppsett og opplæring",
     "Førebu buyer-oppsett i kvar kommune (kontaktpersonar, administrator, teknisk kontakt, "
     "IP-adresser, leveringsvilkår) og samordne opplæringa.",
     "Utfylt buyer-oppsett for alle kommunane; opplæringsplan."),
]

# group kind or work group name -> members: (person, member role, organisation)
EHANDEL_MEMBERS = {
    GroupKind.STEERING_GROUP: [
        ("Ingrid Hauge", MemberRole.LEADER, "Sogndal kommune"),
        ("Randi Lunde", MemberRole.MEMBER, "Leikanger kommune"),
        ("Arne Vik", MemberRole.SENIOR_SUPPLIER, "Sogn og Fjordane fylkeskommune"),
        ("Katrine Wilson", MemberRole.SECRETARY, "Sogn regionråd"),
    ],
    GroupKind.PROJECT_GROUP: [
        ("Katrine Wilson", MemberRole.LEADER, "Sogn regionråd"),
        ("Kari Bø", MemberRole.MEMBER, "Sogndal kommune"),
        ("Jon Ask", MemberRole.MEMBER, "Leikanger kommune"),
        ("Per Nes", MemberRole.MEMBER, "Luster kommune"),
        ("Liv Berg", MemberRole.MEMBER, "Lærdal kommune"),
        ("Ola Dale", MemberRole.MEMBER, "Årdal kommune"),
        ("Siri Fosse", MemberRole.MEMBER, "Sogn og Fjordane fylkeskommune"),
    ],
    "Leverandøraktivering": [
        ("Jon Ask", MemberRole.LEADER, "Leikanger kommune"),
        ("Liv Berg", MemberRole.MEMBER, "Lærdal kommune"),
    ],
    "Buyer-oppsett og opplæring": [
        ("Tor Hamre", MemberRole.LEADER, "Sogndal kommune"),
        ("Per Nes", MemberRole.MEMBER, "Luster kommune"),
    ],
}

# The Kongsberg memo's split of tasks between the region and each municipality.
KONGSBERG_TASKS = {
    TaskLevel.REGIONAL: [
        "Utvikling og daglig drift av den interkommunale innkjøpsordningen, i løpende dialog "
        "med innkjøpskontaktene i kommunene",
        "Administrasjon av felles avtaleportefølje i BTV; samordne kontakten med BTV – én "
        "henvendelse i stedet for sju",
        "Initiere og bidra til nye rammeavtaler regionalt, for eksempel reiseavtaler",
        "Koordinere anbudsbehov for kommunene",
        "Inngå felles forhandlinger",
        "Samarbeide med andre konstellasjoner, for eksempel KS",
        "Kompetanseheving innen innkjøp: kurs og samlinger i regionen",
        "Kvalitetssikring og veiledning",
        "Felles nettside med oversikt over rammeavtaler og planlagte innkjøp",
        "Leverandørutvikling, slik at lokale leverandører deltar",
        "Oversikt over nødvendig kompetanse i regionen, for eksempel konsulenter og jurister",
        "Holde tak i e-handel",
    ],
    TaskLevel.LOCAL: [
        "En medarbeider som ivaretar interessene til alle kommunale virksomheter ved nye "
        "rammeavtaler (lokal ressurs)",
        "Én dedikert person med innkjøpskompetanse som seksjonene kan kontakte, og som har "
        "oversikt over rammeavtalene",
        "Veiledning og informasjon til lokale innkjøpere og ledere om regelverket for "
        "offentlige anskaffelser",
        "Opplæring av mellomledere og nytilsatte; råd om innkjøp i hele kommunen",
        "Kvalitetssikring med ekstern kompetanse ved behov",
        "Veiledning i lokale oppgaver og utlysninger som ikke ligger på regionalt nivå",
        "Kontakt med regional koordinator, BTV og andre samarbeidsfora",
    ],
}


def _person(session: Session, people: dict[str, Person], name: str, title=None,
            organisation=None, user=None) -> Person:
    if name not in people:
        people[name] = role_service.create_person(session, None, role_service.PersonInput(
            full_name=name, title=title,
            organisation_id=organisation.id if organisation else None,
            user_id=user.id if user else None,
        ))
    return people[name]


def _load_users(session: Session, orgs) -> tuple[dict[str, User], int]:
    created = 0
    users = {u.username: u for u in session.scalars(select(User))}
    for username, full_name, password, org_name, is_admin, can_create in USERS:
        if username in users:
            continue
        users[username] = role_service.create_user(
            session, None, username=username, full_name=full_name, password=password,
            organisation_id=orgs[org_name].id if org_name else None,
            is_admin=is_admin, can_create_projects=can_create,
        )
        created += 1
    return users, created


def _load_ehandel_organisation(session: Session, project: Project, orgs, people) -> int:
    if session.scalar(select(ProjectRole.id).where(ProjectRole.project_id == project.id)):
        return 0  # already there (or changed by its users): leave it alone
    created = 0
    for name, role, org_name in EHANDEL_ROLES:
        role_service.assign_role(
            session, None, project=project, person=people[name], role=role,
            organisation_id=orgs[org_name].id if org_name else None,
            valid_from=project.start_date,
        )
        created += 1
    groups = {g.kind: g for g in session.scalars(
        select(ProjectGroup).where(ProjectGroup.project_id == project.id))}
    for name, mandate, deliverables in EHANDEL_WORK_GROUPS:
        groups[name] = role_service.create_group(
            session, None, project=project, kind=GroupKind.WORK_GROUP, name=name,
            mandate=mandate, deliverables=deliverables)
    for key, members in EHANDEL_MEMBERS.items():
        for name, member_role, org_name in members:
            role_service.add_member(session, None, group=groups[key], person=people[name],
                                    role=member_role, organisation_id=orgs[org_name].id,
                                    valid_from=project.start_date)
            created += 1
    return created


def _load_tasks(session: Session, project: Project) -> int:
    if session.scalar(select(ProjectTask.id).where(ProjectTask.project_id == project.id)):
        return 0
    count = 0
    for level, texts in KONGSBERG_TASKS.items():
        for text in texts:
            role_service.add_task(session, None, project=project, level=level, text=text)
            count += 1
    return count


def _snapshot(session: Session, project: Project, on: date) -> dict:
    """What a report published on ``on`` would have kept of the project."""
    from governance.benefits import queries as benefit_queries
    from governance.projects import plan_queries
    from governance.reporting import queries as report_queries
    from governance.risks import queries as risk_queries

    risks = risk_queries.all_risks(session, project.id)
    return report_queries.snapshot(
        plan_queries.milestone_rows(session, project, on), risks, risk_queries.top(risks),
        benefit_queries.indicator_views(session, project, on))


def load(session: Session) -> dict[str, int]:
    created = 0
    orgs: dict[str, Organisation] = {
        org.name: org for org in session.scalars(select(Organisation))
    }
    for name, kind in ORGANISATIONS:
        if name not in orgs:
            orgs[name] = Organisation(name=name, kind=kind)
            session.add(orgs[name])
            created += 1
    session.flush()

    projects = {p.code: p for p in session.scalars(select(Project))}
    for spec in PROJECTS:
        if spec["code"] in projects:
            continue
        projects[spec["code"]] = project_service.create_project(
            session, None,
            project_service.ProjectInput(
                code=spec["code"], name=spec["name"], purpose=spec["purpose"],
                description=spec["description"], phase=spec["phase"],
                status=ProjectStatus.ACTIVE, start_date=spec["start_date"],
                end_date=spec["end_date"],
                owner_ids=[orgs[n].id for n in spec["owners"]],
                participant_ids=[orgs[n].id for n in spec["participants"]],
            ),
        )
        created += 1

    users, new_users = _load_users(session, orgs)
    created += new_users
    people = {p.full_name: p for p in session.scalars(select(Person))}
    titles = {name: title for name, title, _org in PEOPLE}
    for username, full_name, _password, org_name, _admin, _create in USERS:
        if username != "admin":
            person = _person(session, people, full_name, title=titles.get(full_name),
                             organisation=orgs.get(org_name), user=users[username])
            if not person.title and titles.get(full_name):
                person.title = titles[full_name]  # the account made the person untitled
    for name, title, org_name in PEOPLE:
        _person(session, people, name, title=title, organisation=orgs[org_name])
    created += _load_ehandel_organisation(session, projects["EHANDEL-SOGN"], orgs, people)
    created += _load_tasks(session, projects["INNKJOP-KONGSBERG"])
    ehandel_groups = {g.name: g for g in session.scalars(
        select(ProjectGroup).where(ProjectGroup.project_id == projects["EHANDEL-SOGN"].id))}
    created += demo_plan.load_ehandel(session, projects["EHANDEL-SOGN"], people, ehandel_groups)
    created += demo_plan.load_kongsberg(session, projects["INNKJOP-KONGSBERG"])
    created += demo_benefits.load_kodeknekk(session, projects["KODEKNEKK"], orgs)
    created += demo_benefits.load_ehandel(session, projects["EHANDEL-SOGN"], orgs)
    created += demo_finance.load_ehandel(session, projects["EHANDEL-SOGN"], date.today())
    created += demo_finance.load_kongsberg(session, projects["INNKJOP-KONGSBERG"], orgs)
    created += demo_risks.load_kongsberg(session, projects["INNKJOP-KONGSBERG"])
    created += demo_risks.load_ehandel(session, projects["EHANDEL-SOGN"], people)
    created += demo_risks.load_ehandel_reports(
        session, projects["EHANDEL-SOGN"], _snapshot(session, projects["EHANDEL-SOGN"],
                                                     date(2013, 9, 1)))
    session.flush()
    return {
        "organisations": len(orgs),
        "projects": len(projects),
        "users": len(users),
        "created": created,
    }
