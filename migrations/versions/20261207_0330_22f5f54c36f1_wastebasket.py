"""wastebasket: deleted_at and deleted_by_id on the evidence tables

Milestones, checkpoints, agenda items, measurements, risk measures, budget lines and actual
costs are no longer deleted but moved to the project's wastebasket (papirkurv). The unique
rules "one measurement per indicator, organisation and period" and "one actual cost per line
and month" now hold among the live rows only (partial unique indexes, on SQLite and
PostgreSQL), so a value can be entered again after one was deleted.

Revision ID: 22f5f54c36f1
Revises: 7c1e5a9d3b21
Create Date: 2026-12-07 03:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '22f5f54c36f1'
down_revision = '7c1e5a9d3b21'
branch_labels = None
depends_on = None

TABLES = ('milestone', 'checkpoint', 'agenda_item', 'measurement', 'risk_measure',
          'budget_line', 'actual_cost')

LIVE = sa.text('deleted_at IS NULL')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_deleted_by_id_user_account'), 'user_account',
                ['deleted_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_constraint('uq_measurement_indicator_id', type_='unique')
        batch_op.create_index('uq_measurement_live_period',
                              ['indicator_id', 'organisation_id', 'period'], unique=True,
                              sqlite_where=LIVE, postgresql_where=LIVE)
    with op.batch_alter_table('actual_cost', schema=None) as batch_op:
        batch_op.drop_constraint('uq_actual_cost_line_id', type_='unique')
        batch_op.create_index('uq_actual_cost_live_period', ['line_id', 'period'],
                              unique=True, sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    # Rows in the wastebasket would break the restored unique constraints (and nothing
    # older knows about them): they are removed, as the hard delete used to do.
    for table in TABLES:
        rows = sa.table(table, sa.column('deleted_at'))
        op.execute(rows.delete().where(rows.c.deleted_at.is_not(None)))
    with op.batch_alter_table('actual_cost', schema=None) as batch_op:
        batch_op.drop_index('uq_actual_cost_live_period')
        batch_op.create_unique_constraint('uq_actual_cost_line_id', ['line_id', 'period'])
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index('uq_measurement_live_period')
        batch_op.create_unique_constraint('uq_measurement_indicator_id',
                                          ['indicator_id', 'organisation_id', 'period'])
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_deleted_by_id_user_account'),
                                     type_='foreignkey')
            batch_op.drop_column('deleted_by_id')
            batch_op.drop_column('deleted_at')
