"""Start page and health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user
from sqlalchemy import func, select, text

from governance.extensions import db
from governance.projects import queries as project_queries
from governance.projects.forms import phase_labels, status_labels
from governance.projects.models import Project
from governance.roles import policy
from governance.roles import queries as role_queries
from governance.roles.forms import member_role_labels, role_labels
from governance.web import PUBLIC, permission, render

bp = Blueprint("main", __name__)

# Projects the start page shows an administrator besides their own.
START_PAGE_OTHERS = 12


@bp.route("/")
@permission(PUBLIC)
def start():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    labels = role_labels()
    member_labels = member_role_labels()
    roles_by_project: dict[int, list[str]] = {}
    own_organisations: dict[int, dict[int, object]] = {}
    for role in role_queries.active_roles(db.session, current_user.id):
        if role.role in policy.ORGANISATION_EDITORS and role.organisation_id is not None:
            own_organisations.setdefault(role.project_id, {})[role.organisation_id] = (
                role.organisation)
        text = labels[role.role]
        if role.organisation is not None:
            text = f"{text} ({role.organisation.name})"
        roles_by_project.setdefault(role.project_id, []).append(text)
    for member in role_queries.active_memberships(db.session, current_user.id):
        text = f"{member.group.name}: {member_labels[member.role]}"
        roles_by_project.setdefault(member.project_id, []).append(text)
    # The user's own projects (bounded by their roles); an administrator, who may see
    # every project, also gets the first few others and a link to the whole list.
    visible = project_queries.visible_ids_query(current_user)
    projects = list(db.session.scalars(
        select(Project).where(Project.id.in_(list(roles_by_project)),
                              Project.id.in_(visible))
        .order_by(Project.name, Project.id)))
    others, other_count = [], 0
    if current_user.is_admin:
        not_mine = Project.id.not_in(list(roles_by_project))
        other_count = db.session.scalar(select(func.count(Project.id)).where(not_mine)) or 0
        others = list(db.session.scalars(select(Project).where(not_mine)
                                         .order_by(Project.name, Project.id)
                                         .limit(START_PAGE_OTHERS)))
    return render(
        "main/start.html",
        projects=projects,
        others=others,
        other_count=other_count,
        roles_by_project=roles_by_project,
        phase_labels=phase_labels(),
        status_labels=status_labels(),
        can_create=policy.can_create_project(current_user),
        due_measurements=_due_measurements(projects, own_organisations),
        due_reports=_due_reports(projects, own_organisations),
    )


def _due_reports(projects, own_organisations: dict[int, dict]) -> list:
    """The current period's status reports the user's own organisations have not published:
    one query however many projects."""
    from governance.projects.plan_views import today
    from governance.reporting import queries as report_queries

    return report_queries.due_reports(db.session, projects, own_organisations, today())


def _due_measurements(projects, own_organisations: dict[int, dict]) -> list:
    """Measurements the user's own organisations owe, per project (the last whole period
    of each indicator's frequency has no value)."""
    from governance.benefits import queries as benefit_queries
    from governance.projects.plan_views import today

    return benefit_queries.overdue_for(db.session, projects, own_organisations, today())


@bp.route("/helse")
@permission(PUBLIC)
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
