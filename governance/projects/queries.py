"""Read side of projects: the filtered list, one project, choices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select, union
from sqlalchemy.orm import Session, load_only, selectinload

from governance.projects.models import (
    Phase,
    Project,
    ProjectStatus,
    project_owner,
    project_participant,
)
from governance.roles import queries as role_queries

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class ProjectFilter:
    text: str = ""
    phase: Phase | None = None
    status: ProjectStatus | None = None
    organisation_id: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.text or self.phase or self.status or self.organisation_id)


def _visible(stmt, user):
    if user.is_admin:
        return stmt
    return stmt.where(Project.id.in_(role_queries.project_ids_with_role(user.id)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def project_list(session: Session, user, filters: ProjectFilter,
                 with_organisations: bool = True, columns=None) -> list[Project]:
    """Projects the user may see, filtered; owners and participants loaded in one go
    (unless ``with_organisations`` is false); only the given ``columns`` when given."""
    stmt = select(Project)
    if columns:
        stmt = stmt.options(load_only(*columns))
    if with_organisations:
        stmt = stmt.options(selectinload(Project.owners), selectinload(Project.participants))
    stmt = _filtered(_visible(stmt, user), filters)
    return list(session.scalars(stmt.order_by(Project.name)))


def project_rows(session: Session, user, filters: ProjectFilter, columns) -> list:
    """Like :func:`project_list`, but plain rows of the given ``columns`` of the projects
    (attribute access by column name, no ORM objects: the portfolio reads every project)."""
    stmt = _filtered(_visible(select(*columns), user), filters)
    return list(session.execute(stmt.order_by(Project.name)))


def _filtered(stmt, filters: ProjectFilter):
    """The statement narrowed by the list's filters (text, phase, status, organisation)."""
    if filters.text:
        pattern = f"%{_escape_like(filters.text.lower())}%"
        stmt = stmt.where(
            or_(
                func.lower(Project.name).like(pattern, escape="\\"),
                func.lower(Project.code).like(pattern, escape="\\"),
                func.lower(Project.purpose).like(pattern, escape="\\"),
            )
        )
    if filters.phase:
        stmt = stmt.where(Project.phase == filters.phase)
    if filters.status:
        stmt = stmt.where(Project.status == filters.status)
    if filters.organisation_id:
        org = filters.organisation_id
        stmt = stmt.where(
            or_(
                exists().where(project_owner.c.project_id == Project.id,
                               project_owner.c.organisation_id == org),
                exists().where(project_participant.c.project_id == Project.id,
                               project_participant.c.organisation_id == org),
            )
        )
    return stmt


@dataclass(frozen=True)
class ProjectPage:
    projects: list[Project]
    total: int  # projects that match the filters, on every page
    page: int  # 1-based, clamped to the last page
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The number of the first project shown (1-based; 0 when none)."""
        return (self.page - 1) * self.per_page + 1 if self.projects else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.projects)


def project_page(session: Session, user, filters: ProjectFilter, page: int,
                 per_page: int) -> ProjectPage:
    """One page of the filtered list, by name, with owners: three queries however many
    projects match (count, the page, its owners). A page past the end shows the last one."""
    total = session.scalar(select(func.count()).select_from(
        _filtered(_visible(select(Project.id), user), filters).subquery())) or 0
    page = max(1, min(page, -(-total // per_page) or 1))
    stmt = _filtered(_visible(select(Project).options(selectinload(Project.owners)), user),
                     filters)
    projects = list(session.scalars(stmt.order_by(Project.name, Project.id)
                                    .limit(per_page).offset((page - 1) * per_page)))
    return ProjectPage(projects, total, page, per_page)


def visible_ids_query(user):
    """A subquery of the ids of the projects the user may see (to filter on in SQL)."""
    return _visible(select(Project.id), user)


def visible_projects(session: Session, user, ids=None) -> dict[int, Project]:
    """id -> project for every project the user may see (only those among ``ids`` when
    given), without owners or participants."""
    stmt = _visible(select(Project), user).order_by(Project.name)
    if ids is not None:
        stmt = stmt.where(Project.id.in_(list(ids)))
    return {project.id: project for project in session.scalars(stmt)}


def by_code(session: Session, code: str) -> Project | None:
    if len(code) > 20:
        return None
    stmt = (
        select(Project)
        .options(selectinload(Project.owners), selectinload(Project.participants))
        .where(Project.code == code)
    )
    return session.scalar(stmt)


def programme_choices(session: Session, exclude_id: int | None = None) -> list[Project]:
    stmt = select(Project).order_by(Project.name)
    if exclude_id is not None:
        stmt = stmt.where(Project.id != exclude_id)
    return list(session.scalars(stmt))


def project_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Project.id, Project.name)).all())


def subprojects(session: Session, project_id: int) -> list[Project]:
    stmt = select(Project).where(Project.programme_id == project_id).order_by(Project.name)
    return list(session.scalars(stmt))


def organisations_in(session: Session, project_ids) -> list:
    """The organisations that own or take part in any of the given projects, by name."""
    from governance.organisations.models import Organisation

    ids = union(
        select(project_owner.c.organisation_id)
        .where(project_owner.c.project_id.in_(project_ids)),
        select(project_participant.c.organisation_id)
        .where(project_participant.c.project_id.in_(project_ids)),
    ).subquery()
    return list(session.scalars(select(Organisation).where(
        Organisation.id.in_(select(ids.c[0]))).order_by(Organisation.name, Organisation.id)))


def organisation_links(session: Session, organisation_id: int) -> dict[int, set[str]]:
    """project id -> {"owner", "participant"}: how the organisation takes part in each."""
    links: dict[int, set[str]] = {}
    for table, kind in ((project_owner, "owner"), (project_participant, "participant")):
        for project_id in session.scalars(select(table.c.project_id).where(
                table.c.organisation_id == organisation_id)):
            links.setdefault(project_id, set()).add(kind)
    return links


def participants_of(session: Session, project_ids) -> dict[int, list]:
    """project id -> its participating organisations by name (one query)."""
    from governance.organisations.models import Organisation

    rows = session.execute(
        select(project_participant.c.project_id, Organisation)
        .join(Organisation, Organisation.id == project_participant.c.organisation_id)
        .where(project_participant.c.project_id.in_(project_ids))
        .order_by(Organisation.name, Organisation.id))
    found: dict[int, list] = {}
    for project_id, organisation in rows:
        found.setdefault(project_id, []).append(organisation)
    return found
