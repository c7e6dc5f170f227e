"""project-level status reports: one per project, period and version

The unique constraint on (project_id, period, organisation_id, version) treats NULLs as
distinct, so two project-level reports (organisation_id NULL) of the same period and version
could be stored when two project leaders started the report at the same moment. A partial
unique index closes that gap on SQLite and PostgreSQL.

Revision ID: 5b8e2d71c0a4
Revises: 22f5f54c36f1
Create Date: 2026-12-07 04:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b8e2d71c0a4'
down_revision = '22f5f54c36f1'
branch_labels = None
depends_on = None

PROJECT_LEVEL = sa.text('organisation_id IS NULL')


def upgrade():
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.create_index('uq_status_report_project_level',
                              ['project_id', 'period', 'version'], unique=True,
                              sqlite_where=PROJECT_LEVEL, postgresql_where=PROJECT_LEVEL)


def downgrade():
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.drop_index('uq_status_report_project_level')
