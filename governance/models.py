"""Imports every domain's models, so the metadata (and Alembic) sees all tables."""

from governance.history.models import ChangeRecord  # noqa: F401
from governance.organisations.models import Organisation, OrganisationYear  # noqa: F401
from governance.projects.models import Project  # noqa: F401
from governance.roles.models import (  # noqa: F401
    GroupMember,
    LocalTask,
    LoginAttempt,
    Person,
    ProjectGroup,
    ProjectRole,
    ProjectTask,
    Responsibility,
    User,
    UserSession,
)
