"""Commands on projects. Take (session, actor, ...); flush, never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.errors import N_, RuleViolation, StaleEdit
from governance.organisations import queries as organisation_queries
from governance.projects import decisions
from governance.projects.models import Phase, Project, ProjectStatus
from governance.roles import service as role_service
from governance.roles.models import ProjectRoleKind

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")


@dataclass
class ProjectInput:
    code: str
    name: str
    purpose: str
    description: str
    phase: Phase
    status: ProjectStatus
    start_date: date | None
    end_date: date | None
    owner_ids: list[int]
    participant_ids: list[int]
    programme_id: int | None = None
    time_tolerance_days: int = 14


def _validate(session: Session, data: ProjectInput, project: Project | None) -> str:
    code = data.code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise RuleViolation(
            N_("Kortnavnet skal ha 2–20 tegn: store bokstaver A–Z, tall og bindestrek."), "code"
        )
    same = select(Project.id).where(func.upper(Project.code) == code)
    if project is not None:
        same = same.where(Project.id != project.id)
    if session.scalar(same) is not None:
        raise RuleViolation(N_("Kortnavnet er allerede brukt av et annet prosjekt."), "code")
    if not data.name.strip():
        raise RuleViolation(N_("Navn må fylles ut."), "name")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise RuleViolation(N_("Sluttdatoen kan ikke være før startdatoen."), "end_date")
    if not 0 <= data.time_tolerance_days <= 3650:
        raise RuleViolation(N_("Toleransen skal være mellom 0 og 3650 dager."),
                            "time_tolerance_days")
    if not data.owner_ids:
        raise RuleViolation(N_("Velg minst én eierorganisasjon."), "owner_ids")
    if data.programme_id is not None:
        if project is not None and data.programme_id == project.id:
            raise RuleViolation(N_("Et prosjekt kan ikke være sitt eget program."), "programme_id")
        programme = session.get(Project, data.programme_id)
        if programme is None:
            raise RuleViolation(N_("Programmet finnes ikke."), "programme_id")
        ancestor = programme
        while ancestor is not None and project is not None:
            if ancestor.id == project.id:
                raise RuleViolation(
                    N_("Programmet kan ikke være et av prosjektets egne delprosjekter."),
                    "programme_id",
                )
            ancestor = ancestor.programme
    return code


def _organisations(session: Session, ids: list[int], field: str):
    found = organisation_queries.by_ids(session, list(set(ids)))
    if len(found) != len(set(ids)):
        raise RuleViolation(N_("En av organisasjonene finnes ikke."), field)
    return found


def _apply(session: Session, project: Project, data: ProjectInput, code: str) -> None:
    project.code = code
    project.name = data.name.strip()
    project.purpose = data.purpose.strip()
    project.description = data.description.strip()
    project.status = data.status
    project.time_tolerance_days = data.time_tolerance_days
    project.start_date = data.start_date
    project.end_date = data.end_date
    project.programme_id = data.programme_id
    project.owners = _organisations(session, data.owner_ids, "owner_ids")
    project.participants = _organisations(session, data.participant_ids, "participant_ids")


def create_project(session: Session, actor, data: ProjectInput) -> Project:
    """Create a project. A creator who is not an administrator becomes its project leader.
    The project starts in the chosen phase with the default checklists; later phase changes
    go through decisions or the phase page."""
    code = _validate(session, data, None)
    project = Project(phase=data.phase)
    _apply(session, project, data, code)
    session.add(project)
    session.flush()
    role_service.set_up_organisation(session, project)
    decisions.add_default_checklists(session, project)
    decisions.start_phase_history(session, actor, project, data.start_date or date.today())
    if actor is not None and not actor.is_admin:
        role_service.assign_role(
            session, actor, project=project, person=role_service.person_for_user(session, actor),
            role=ProjectRoleKind.PROJECT_LEADER,
        )
    return project


def update_project(session: Session, actor, project: Project, data: ProjectInput,
                   version_id: int) -> Project:
    if version_id != project.version_id:
        raise StaleEdit()
    code = _validate(session, data, project)
    _apply(session, project, data, code)
    session.flush()
    return project
