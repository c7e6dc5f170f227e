"""Read side of users, people, project roles, groups, responsibilities and tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.roles.models import (
    GroupKind,
    GroupMember,
    LocalTask,
    Person,
    ProjectGroup,
    ProjectRole,
    ProjectTask,
    Responsibility,
    TaskLevel,
    User,
)


def users(session: Session) -> list[User]:
    stmt = select(User).options(joinedload(User.organisation)).order_by(User.full_name)
    return list(session.scalars(stmt))


def people(session: Session) -> list[Person]:
    stmt = (
        select(Person)
        .options(joinedload(Person.organisation), joinedload(Person.user))
        .order_by(Person.full_name)
    )
    return list(session.scalars(stmt))


def person_names(session: Session) -> dict[int, str]:
    """Every person's full name by id (no objects loaded)."""
    return dict(session.execute(select(Person.id, Person.full_name)).all())


def group_names(session: Session, project_id: int) -> dict[int, str]:
    """The names of the project's groups by id (no objects loaded)."""
    return dict(session.execute(
        select(ProjectGroup.id, ProjectGroup.name).where(ProjectGroup.project_id == project_id)
    ).all())


def people_for_project(session: Session, project_id: int, organisation_ids,
                       also_id: int | None = None) -> list[Person]:
    """The people to choose from in a project's organisation forms: those of its
    organisations, those of no organisation, those already in the project, and ``also_id``
    (a person chosen from the whole list). Bounded by the project, not by everyone."""
    chosen = or_(
        Person.organisation_id.in_(list(organisation_ids)),
        Person.organisation_id.is_(None),
        Person.id.in_(select(ProjectRole.person_id).where(ProjectRole.project_id == project_id)),
        Person.id.in_(select(GroupMember.person_id).where(GroupMember.project_id == project_id)),
    )
    if also_id is not None:
        chosen = or_(chosen, Person.id == also_id)
    stmt = (
        select(Person)
        .options(joinedload(Person.organisation))
        .where(chosen)
        .order_by(Person.full_name)
    )
    return list(session.scalars(stmt))


def person_of_user(session: Session, user_id: int) -> Person | None:
    return session.scalar(select(Person).where(Person.user_id == user_id))


def _in_force(model, day: date):
    return (model.valid_from <= day) & or_(model.valid_to.is_(None), model.valid_to >= day)


def active_roles(session: Session, user_id: int, project_id: int | None = None,
                 on: date | None = None) -> list[ProjectRole]:
    """The user's project roles in force today (or on ``on``), optionally in one project."""
    stmt = (
        select(ProjectRole)
        .options(joinedload(ProjectRole.organisation))
        .join(Person, Person.id == ProjectRole.person_id)
        .where(Person.user_id == user_id, _in_force(ProjectRole, on or date.today()))
    )
    if project_id is not None:
        stmt = stmt.where(ProjectRole.project_id == project_id)
    return list(session.scalars(stmt))


def active_memberships(session: Session, user_id: int, project_id: int | None = None,
                       on: date | None = None) -> list[GroupMember]:
    """The user's group memberships in force, with their groups."""
    stmt = (
        select(GroupMember)
        .options(joinedload(GroupMember.group))
        .join(Person, Person.id == GroupMember.person_id)
        .where(Person.user_id == user_id, _in_force(GroupMember, on or date.today()))
    )
    if project_id is not None:
        stmt = stmt.where(GroupMember.project_id == project_id)
    return list(session.scalars(stmt))


def project_ids_with_role(user_id: int):
    """A subquery: ids of projects where the user has a role or a group membership today."""
    today = date.today()
    roles = (
        select(ProjectRole.project_id)
        .join(Person, Person.id == ProjectRole.person_id)
        .where(Person.user_id == user_id, _in_force(ProjectRole, today))
    )
    members = (
        select(GroupMember.project_id)
        .join(Person, Person.id == GroupMember.person_id)
        .where(Person.user_id == user_id, _in_force(GroupMember, today))
    )
    return select(union(roles, members).subquery().c[0])


def leads_any_project(session: Session, user_id: int) -> bool:
    from governance.roles.policy import LEADERS

    stmt = (
        select(ProjectRole.id)
        .join(Person, Person.id == ProjectRole.person_id)
        .where(Person.user_id == user_id, ProjectRole.role.in_(LEADERS),
               _in_force(ProjectRole, date.today()))
        .limit(1)
    )
    return session.scalar(stmt) is not None


@dataclass
class ProjectOrganisation:
    """Everything the organisation chart shows, read in a fixed number of queries."""

    roles: list[ProjectRole]
    groups: list[ProjectGroup]
    responsibilities: dict[str, list[str]] = field(default_factory=dict)
    former_roles: list[ProjectRole] = field(default_factory=list)

    def roles_of(self, kind) -> list[ProjectRole]:
        return [r for r in self.roles if r.role == kind]

    def holders(self, kind, organisation_id: int | None = None,
                on: date | None = None) -> list[ProjectRole]:
        """Who holds a role on the day (for one organisation, where given)."""
        day = on or date.today()
        return [
            r for r in self.roles
            if r.role == kind and r.active_on(day)
            and (organisation_id is None or r.organisation_id == organisation_id)
        ]

    def group(self, kind: GroupKind) -> ProjectGroup | None:
        return next((g for g in self.groups if g.kind == kind), None)

    def groups_of(self, kind: GroupKind) -> list[ProjectGroup]:
        return [g for g in self.groups if g.kind == kind]


def project_organisation(session: Session, project_id: int,
                         on: date | None = None) -> ProjectOrganisation:
    day = on or date.today()
    roles = list(session.scalars(
        select(ProjectRole)
        .options(joinedload(ProjectRole.person).joinedload(Person.organisation),
                 joinedload(ProjectRole.organisation))
        .where(ProjectRole.project_id == project_id)
        .order_by(ProjectRole.valid_from, ProjectRole.id)
    ))
    groups = list(session.scalars(
        select(ProjectGroup)
        .options(selectinload(ProjectGroup.members).joinedload(GroupMember.person),
                 selectinload(ProjectGroup.members).joinedload(GroupMember.organisation))
        .where(ProjectGroup.project_id == project_id)
        .order_by(ProjectGroup.id)
    ))
    lines: dict[str, list[str]] = {}
    for item in session.scalars(
        select(Responsibility).where(Responsibility.project_id == project_id)
        .order_by(Responsibility.role_key, Responsibility.position)
    ):
        lines.setdefault(item.role_key, []).append(item.text)
    current = [r for r in roles if r.active_on(day) or r.valid_from > day]
    former = [r for r in roles if r not in current]
    return ProjectOrganisation(roles=current, groups=groups, responsibilities=lines,
                               former_roles=former)


def roles_of_person(session: Session, person_id: int) -> list[ProjectRole]:
    return list(session.scalars(
        select(ProjectRole).options(joinedload(ProjectRole.organisation))
        .where(ProjectRole.person_id == person_id)
        .order_by(ProjectRole.valid_from.desc())
    ))


def memberships_of_person(session: Session, person_id: int) -> list[GroupMember]:
    return list(session.scalars(
        select(GroupMember).options(joinedload(GroupMember.group),
                                    joinedload(GroupMember.organisation))
        .where(GroupMember.person_id == person_id)
        .order_by(GroupMember.valid_from.desc())
    ))


def tasks(session: Session, project_id: int) -> tuple[list[ProjectTask], list[ProjectTask]]:
    """(regional, local) tasks of the project, in order."""
    all_tasks = list(session.scalars(
        select(ProjectTask).where(ProjectTask.project_id == project_id)
        .order_by(ProjectTask.position, ProjectTask.id)
    ))
    return ([t for t in all_tasks if t.level == TaskLevel.REGIONAL],
            [t for t in all_tasks if t.level == TaskLevel.LOCAL])


def local_tasks(session: Session, project_id: int) -> dict[tuple[int, int], LocalTask]:
    """(task id, organisation id) -> that organisation's standing on the task."""
    rows = session.scalars(select(LocalTask).where(LocalTask.project_id == project_id))
    return {(row.task_id, row.organisation_id): row for row in rows}
