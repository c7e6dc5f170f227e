"""Who may do what. Pure functions of the user (and their roles); also used by templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.roles.models import ProjectRole, ProjectRoleKind

LEADERS = frozenset({ProjectRoleKind.PROJECT_LEADER, ProjectRoleKind.DEPUTY_LEADER})
DECIDERS = frozenset({ProjectRoleKind.OWNER_REPRESENTATIVE, ProjectRoleKind.STEERING_MEMBER})


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
    """What one user may do in one project, from their roles in force."""

    admin: bool
    roles: tuple[ProjectRole, ...] = field(default_factory=tuple)

    @property
    def kinds(self) -> frozenset[ProjectRoleKind]:
        return frozenset(role.role for role in self.roles)

    @property
    def can_view(self) -> bool:
        return self.admin or bool(self.roles)

    @property
    def can_edit(self) -> bool:
        """Edit the project itself (and, later, everything in it)."""
        return self.admin or bool(self.kinds & LEADERS)

    @property
    def can_decide(self) -> bool:
        return self.admin or bool(self.kinds & (LEADERS | DECIDERS))

    def own_organisation_ids(self) -> frozenset[int]:
        """Organisations whose data this user may edit in the project."""
        return frozenset(
            role.organisation_id
            for role in self.roles
            if role.role in {ProjectRoleKind.MUNICIPAL_LEAD, ProjectRoleKind.BENEFIT_OWNER}
            and role.organisation_id is not None
        )


def project_access(user, roles: list[ProjectRole]) -> ProjectAccess:
    return ProjectAccess(admin=is_admin(user), roles=tuple(roles))
