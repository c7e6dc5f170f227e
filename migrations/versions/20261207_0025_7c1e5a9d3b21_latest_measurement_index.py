"""index for the newest measurement of each indicator and organisation

The portfolio and the comparison of municipalities look up the latest measurement per
(indicator, organisation); this index answers that lookup without scanning the table.

Revision ID: 7c1e5a9d3b21
Revises: d649c6fef42c
Create Date: 2026-12-07 00:25:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c1e5a9d3b21'
down_revision = 'd649c6fef42c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.create_index('ix_measurement_latest',
                              ['indicator_id', 'organisation_id', 'period_end', 'period_start', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index('ix_measurement_latest')
