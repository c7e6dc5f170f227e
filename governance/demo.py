"""Demo data from the two seed documents: eHandel Sogn, Kodeknekk, Kongsbergregionen.

Loading is idempotent: what exists (by name, code or username) is left as it is.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.organisations.models import Organisation, OrganisationKind
from governance.projects import service as project_service
from governance.projects.models import Phase, Project, ProjectStatus
from governance.roles import service as role_service
from governance.roles.models import ProjectRole, ProjectRoleKind, User

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

# username, full name, password, organisation, is_admin, can_create_projects,
# and roles as (project code, role, organisation name or None).
USERS = [
    ("admin", "Demo Administrator", "admin-demo-2026", None, True, True, []),
    ("katrine", "Katrine Wilson", "prosjektleder-demo", "Sogn regionråd", False, True,
     [("EHANDEL-SOGN", ProjectRoleKind.PROJECT_LEADER, "Sogn regionråd")]),
    ("ingrid", "Ingrid Hauge", "styringsgruppe-demo", "Sogndal kommune", False, False,
     [("EHANDEL-SOGN", ProjectRoleKind.STEERING_MEMBER, "Sogndal kommune")]),
    ("per", "Per Nes", "kommuneleder-demo", "Luster kommune", False, False,
     [("EHANDEL-SOGN", ProjectRoleKind.MUNICIPAL_LEAD, "Luster kommune")]),
]

DEMO_PASSWORDS = {username: password for username, _, password, *_ in USERS}


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

    users = {u.username: u for u in session.scalars(select(User))}
    for username, full_name, password, org_name, is_admin, can_create, roles in USERS:
        if username in users:
            continue
        user = role_service.create_user(
            session, None, username=username, full_name=full_name, password=password,
            organisation_id=orgs[org_name].id if org_name else None,
            is_admin=is_admin, can_create_projects=can_create,
        )
        users[username] = user
        created += 1
        for code, role, role_org in roles:
            exists = session.scalar(
                select(ProjectRole.id).where(
                    ProjectRole.project_id == projects[code].id,
                    ProjectRole.user_id == user.id, ProjectRole.role == role,
                )
            )
            if exists is None:
                role_service.assign_role(
                    session, None, project_id=projects[code].id, user=user, role=role,
                    organisation_id=orgs[role_org].id if role_org else None,
                    valid_from=projects[code].start_date,
                )
    session.flush()
    return {
        "organisations": len(orgs),
        "projects": len(projects),
        "users": len(users),
        "created": created,
    }
