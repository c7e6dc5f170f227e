"""Who may do what. Pure functions of the user and their roles; also used by templates.

| who                                          | may                                          |
|----------------------------------------------|----------------------------------------------|
| administrator                                | everything                                   |
| project leader (and deputy)                  | edit everything in their project             |
| project owner, steering group member         | read the whole project; record decisions     |
| municipal project lead, benefit owner        | read; edit their own organisation's data     |
| work group member                            | read; update what is given to their group    |
| project group or reference group member      | read                                         |
| anyone else                                  | nothing: the project answers 404             |
"""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.roles.models import GroupKind, GroupMember, ProjectRole, ProjectRoleKind

LEADERS = frozenset({ProjectRoleKind.PROJECT_LEADER, ProjectRoleKind.DEPUTY_LEADER})
ORGANISATION_EDITORS = frozenset({ProjectRoleKind.MUNICIPAL_LEAD, ProjectRoleKind.BENEFIT_OWNER})


def is_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_admin)


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_manage_organisations(user) -> bool:
    return is_admin(user)


def can_create_project(user) -> bool:
    return is_admin(user) or bool(
        user is not None and user.is_authenticated and user.can_create_projects
    )


@dataclass(frozen=True)
class ProjectAccess:
    """What one user may do in one project, from their roles and memberships in force."""

    admin: bool
    roles: tuple[ProjectRole, ...] = field(default_factory=tuple)
    memberships: tuple[GroupMember, ...] = field(default_factory=tuple)

    @property
    def kinds(self) -> frozenset[ProjectRoleKind]:
        return frozenset(role.role for role in self.roles)

    @property
    def group_kinds(self) -> frozenset[GroupKind]:
        return frozenset(m.group.kind for m in self.memberships)

    @property
    def can_view(self) -> bool:
        return self.admin or bool(self.roles) or bool(self.memberships)

    @property
    def can_edit(self) -> bool:
        """Edit the project and everything in it, including its organisation."""
        return self.admin or bool(self.kinds & LEADERS)

    @property
    def can_decide(self) -> bool:
        """Record decisions: owners and the steering group (and the leaders who keep the log)."""
        return (
            self.can_edit
            or ProjectRoleKind.PROJECT_OWNER in self.kinds
            or GroupKind.STEERING_GROUP in self.group_kinds
        )

    @property
    def own_organisation_ids(self) -> frozenset[int]:
        """Organisations whose own data (reports, measurements, local tasks) the user keeps."""
        return frozenset(
            role.organisation_id
            for role in self.roles
            if role.role in ORGANISATION_EDITORS and role.organisation_id is not None
        )

    @property
    def person_ids(self) -> frozenset[int]:
        """The people the user is in this project (normally one)."""
        return frozenset(r.person_id for r in self.roles) | frozenset(
            m.person_id for m in self.memberships)

    def can_edit_organisation_data(self, organisation_id: int) -> bool:
        return self.can_edit or organisation_id in self.own_organisation_ids

    @property
    def work_group_ids(self) -> frozenset[int]:
        return frozenset(
            m.group_id for m in self.memberships if m.group.kind == GroupKind.WORK_GROUP
        )

    def can_edit_group_work(self, group_id: int | None) -> bool:
        """Update what is given to a work group (its milestones, later)."""
        return self.can_edit or (group_id is not None and group_id in self.work_group_ids)


def project_access(user, roles: list[ProjectRole],
                   memberships: list[GroupMember] | None = None) -> ProjectAccess:
    return ProjectAccess(admin=is_admin(user), roles=tuple(roles),
                         memberships=tuple(memberships or ()))


def can_manage_people(user, leads_a_project: bool) -> bool:
    """Register people (also those without an account): administrators and project leaders."""
    return is_admin(user) or leads_a_project
