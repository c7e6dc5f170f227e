"""The number of SQL queries a page needs does not grow with the data."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from governance.extensions import db
from governance.roles.models import (
    GroupKind,
    LocalTaskStatus,
    MemberRole,
    ProjectRoleKind,
    TaskLevel,
)


@contextmanager
def counting(app):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def build(app, size, make_org, make_project, make_user, give_role, add_to_group):
    """A project with ``size`` participants, leads, members and tasks; ``size`` more
    projects around it that the admin also sees."""
    from governance.projects.models import Project
    from governance.roles import service

    orgs = [make_org() for _ in range(size)]
    project = make_project(code=f"MAIN-{size}", owners=orgs[:1], participants=orgs)
    for n in range(size):
        make_project(owners=orgs[:1])
        person_user = make_user()
        give_role(person_user, project, ProjectRoleKind.MUNICIPAL_LEAD, orgs[n])
        add_to_group(person_user, project, GroupKind.PROJECT_GROUP, MemberRole.MEMBER, orgs[n])
        add_to_group(person_user, project, GroupKind.WORK_GROUP, name=f"Gruppe {n % 3}")
    with app.app_context():
        stored = db.session.get(Project, project.id)
        for n in range(size):
            task = service.add_task(db.session, None, project=stored, level=TaskLevel.LOCAL,
                                    text=f"Lokal oppgave {n}")
            service.set_local_task(db.session, None, project=stored, task=task,
                                   organisation_id=orgs[n].id, status=LocalTaskStatus.DONE,
                                   responsible="", comment="", version_id=None)
            service.add_task(db.session, None, project=stored, level=TaskLevel.REGIONAL,
                             text=f"Regional oppgave {n}")
        db.session.commit()
    return project


PAGES = ["/", "/prosjekter/", "/prosjekter/{code}", "/prosjekter/{code}/organisering",
         "/prosjekter/{code}/oppgaver?organisasjon={org}", "/prosjekter/{code}/ansvar",
         "/prosjekter/{code}/historikk", "/personer/"]


def queries_per_page(app, admin_client, project) -> dict[str, int]:
    from governance.projects.models import Project

    with app.app_context():
        org = db.session.get(Project, project.id).participants[0].id
    counts = {}
    for page in PAGES:
        path = page.format(code=project.code, org=org)
        admin_client.get(path)  # warm up: session, caches
        with counting(app) as statements:
            response = admin_client.get(path)
        assert response.status_code == 200, path
        counts[page] = len(statements)
    return counts


def test_query_count_does_not_grow_tenfold(app, admin_client, make_org, make_project, make_user,
                                           give_role, add_to_group):
    small = build(app, 1, make_org, make_project, make_user, give_role, add_to_group)
    small_counts = queries_per_page(app, admin_client, small)
    large = build(app, 10, make_org, make_project, make_user, give_role, add_to_group)
    large_counts = queries_per_page(app, admin_client, large)
    grown = {page: (small_counts[page], large_counts[page]) for page in PAGES
             if large_counts[page] != small_counts[page]}
    assert grown == {}, f"queries per page grew with the data (small, 10x): {grown}"
