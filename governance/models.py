"""Imports every domain's models, so the metadata (and Alembic) sees all tables."""

from governance.api.models import ApiToken  # noqa: F401
from governance.benefits.models import (  # noqa: F401
    Baseline,
    Benefit,
    BenefitOwner,
    Goal,
    Indicator,
    Measurement,
    PlanApproval,
    Target,
)
from governance.finance.models import (  # noqa: F401
    ActualCost,
    BudgetLine,
    CostKey,
    KeyPercent,
    SharedCost,
)
from governance.history.models import ChangeRecord  # noqa: F401
from governance.organisations.models import Organisation, OrganisationYear  # noqa: F401
from governance.projects.models import (  # noqa: F401
    AgendaItem,
    CalendarToken,
    Checkpoint,
    Decision,
    Meeting,
    Milestone,
    MilestoneDateChange,
    PhaseRecord,
    Project,
)
from governance.reporting.models import StatusReport  # noqa: F401
from governance.risks.models import Risk, RiskAssessment, RiskMeasure  # noqa: F401
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
