"""budget lines (shared and per organisation), actual costs per month, cost-sharing keys
with fixed percentages, and shared costs

New tables only; amounts are whole øre (BigInteger), shared costs whole kroner.

Revision ID: 05f66f02e5a7
Revises: 68b8dc167264
Create Date: 2026-11-22 07:52:51.685724

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '05f66f02e5a7'
down_revision = '68b8dc167264'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('income', 'cost', name='linekind', native_enum=False, length=32), nullable=False),
    sa.Column('category', sa.Enum('grant', 'transfer', 'renewal_funds', 'own_contribution', 'other_income', 'salary', 'travel_meetings', 'licences', 'connection', 'consultancy', 'misc', name='category', native_enum=False, length=32), nullable=False),
    sa.Column('nature', sa.Enum('operating', 'investment', name='nature', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('forecast_ore', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_ore >= 0', name=op.f('ck_budget_line_amount_not_negative')),
    sa.CheckConstraint('forecast_ore IS NULL OR forecast_ore >= 0', name=op.f('ck_budget_line_forecast_not_negative')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_budget_line_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_budget_line_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line'))
    )
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_line_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_line_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_line_year'), ['year'], unique=False)

    op.create_table('cost_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('method', sa.Enum('equal', 'population', 'mix', 'fixed', name='keymethod', native_enum=False, length=32), nullable=False),
    sa.Column('equal_percent', sa.Numeric(precision=7, scale=4), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_cost_key_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_key')),
    sa.UniqueConstraint('project_id', 'name', name=op.f('uq_cost_key_project_id'))
    )
    with op.batch_alter_table('cost_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_key_project_id'), ['project_id'], unique=False)

    op.create_table('actual_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_ore >= 0', name=op.f('ck_actual_cost_amount_not_negative')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_actual_cost_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['line_id'], ['budget_line.id'], name=op.f('fk_actual_cost_line_id_budget_line'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_actual_cost_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actual_cost')),
    sa.UniqueConstraint('line_id', 'period', name=op.f('uq_actual_cost_line_id'))
    )
    with op.batch_alter_table('actual_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actual_cost_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actual_cost_project_id'), ['project_id'], unique=False)

    op.create_table('key_percent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['key_id'], ['cost_key.id'], name=op.f('fk_key_percent_key_id_cost_key'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_key_percent_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_key_percent_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_percent')),
    sa.UniqueConstraint('key_id', 'organisation_id', name=op.f('uq_key_percent_key_id'))
    )
    with op.batch_alter_table('key_percent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_percent_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_percent_project_id'), ['project_id'], unique=False)

    op.create_table('shared_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('amount_kroner', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_kroner >= 0', name=op.f('ck_shared_cost_amount_not_negative')),
    sa.ForeignKeyConstraint(['key_id'], ['cost_key.id'], name=op.f('fk_shared_cost_key_id_cost_key'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_shared_cost_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_cost'))
    )
    with op.batch_alter_table('shared_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_cost_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shared_cost_year'), ['year'], unique=False)



def downgrade():
    with op.batch_alter_table('shared_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shared_cost_year'))
        batch_op.drop_index(batch_op.f('ix_shared_cost_project_id'))

    op.drop_table('shared_cost')
    with op.batch_alter_table('key_percent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_percent_project_id'))
        batch_op.drop_index(batch_op.f('ix_key_percent_key_id'))

    op.drop_table('key_percent')
    with op.batch_alter_table('actual_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actual_cost_project_id'))
        batch_op.drop_index(batch_op.f('ix_actual_cost_line_id'))

    op.drop_table('actual_cost')
    with op.batch_alter_table('cost_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_key_project_id'))

    op.drop_table('cost_key')
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_line_year'))
        batch_op.drop_index(batch_op.f('ix_budget_line_project_id'))
        batch_op.drop_index(batch_op.f('ix_budget_line_organisation_id'))

    op.drop_table('budget_line')
