"""benefits plan: goals, benefits and owners, indicators with baselines and targets,
measurements per organisation and period, and approvals of the plan

New tables only; nothing existing changes.

Revision ID: 10fadf590481
Revises: d32017e9a42e
Create Date: 2026-11-22 03:20:49.770623

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '10fadf590481'
down_revision = 'd32017e9a42e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Enum('societal', 'effect', 'result', name='goallevel', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('success_criteria', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['goal.id'], name=op.f('fk_goal_parent_id_goal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_goal_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal'))
    )
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_project_id'), ['project_id'], unique=False)

    op.create_table('benefit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('economic', 'time', 'qualitative', name='benefitkind', native_enum=False, length=32), nullable=False),
    sa.Column('amount_ore', sa.BigInteger(), nullable=True),
    sa.Column('person_years', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('responsible_person_id', sa.Integer(), nullable=True),
    sa.Column('expected_from', sa.Date(), nullable=True),
    sa.Column('realisation', sa.Enum('budget_cut', 'reallocation', 'better_quality', 'time_for_other_tasks', 'other', name='realisation', native_enum=False, length=32), nullable=True),
    sa.Column('realisation_note', sa.String(length=1000), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_benefit_goal_id_goal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_benefit_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_person_id'], ['person.id'], name=op.f('fk_benefit_responsible_person_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit'))
    )
    with op.batch_alter_table('benefit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_responsible_person_id'), ['responsible_person_id'], unique=False)

    op.create_table('benefit_plan_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=False),
    sa.Column('approved_by_person_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_person_id'], ['person.id'], name=op.f('fk_benefit_plan_approval_approved_by_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_benefit_plan_approval_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_benefit_plan_approval_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_plan_approval')),
    sa.UniqueConstraint('project_id', 'version', name=op.f('uq_benefit_plan_approval_project_id'))
    )
    with op.batch_alter_table('benefit_plan_approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_plan_approval_project_id'), ['project_id'], unique=False)

    op.create_table('benefit_owner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('benefit_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['benefit_id'], ['benefit.id'], name=op.f('fk_benefit_owner_benefit_id_benefit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_benefit_owner_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_benefit_owner_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_benefit_owner_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_owner')),
    sa.UniqueConstraint('benefit_id', 'organisation_id', name=op.f('uq_benefit_owner_benefit_id'))
    )
    with op.batch_alter_table('benefit_owner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_owner_benefit_id'), ['benefit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_owner_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_owner_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_owner_project_id'), ['project_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('benefit_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.Enum('nok', 'percent', 'count', 'hours', 'free', name='unit', native_enum=False, length=32), nullable=False),
    sa.Column('unit_label', sa.String(length=40), nullable=False),
    sa.Column('direction', sa.Enum('higher', 'lower', name='direction', native_enum=False, length=32), nullable=False),
    sa.Column('frequency', sa.Enum('monthly', 'quarterly', 'yearly', name='frequency', native_enum=False, length=32), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('data_source', sa.String(length=500), nullable=False),
    sa.Column('measured_by_person_id', sa.Integer(), nullable=True),
    sa.Column('is_ratio', sa.Boolean(), nullable=False),
    sa.Column('ratio_factor', sa.Numeric(precision=10, scale=4), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ratio_factor IS NULL OR ratio_factor > 0', name=op.f('ck_indicator_factor_positive')),
    sa.ForeignKeyConstraint(['benefit_id'], ['benefit.id'], name=op.f('fk_indicator_benefit_id_benefit'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measured_by_person_id'], ['person.id'], name=op.f('fk_indicator_measured_by_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_indicator_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_benefit_id'), ['benefit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_measured_by_person_id'), ['measured_by_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_project_id'), ['project_id'], unique=False)

    op.create_table('baseline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_baseline_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_baseline_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_baseline_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_baseline')),
    sa.UniqueConstraint('indicator_id', 'organisation_id', name=op.f('uq_baseline_indicator_id'))
    )
    with op.batch_alter_table('baseline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_baseline_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_baseline_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_baseline_project_id'), ['project_id'], unique=False)

    op.create_table('measurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('comment', sa.String(length=1000), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_measurement_period_in_order')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_measurement_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_measurement_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_measurement_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_measurement_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement')),
    sa.UniqueConstraint('indicator_id', 'organisation_id', 'period', name=op.f('uq_measurement_indicator_id'))
    )
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurement_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_period_end'), ['period_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_project_id'), ['project_id'], unique=False)

    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_target_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_target_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('indicator_id', 'target_date', name=op.f('uq_target_indicator_id'))
    )
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_target_project_id'), ['project_id'], unique=False)



def downgrade():
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_project_id'))
        batch_op.drop_index(batch_op.f('ix_target_indicator_id'))

    op.drop_table('target')
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurement_project_id'))
        batch_op.drop_index(batch_op.f('ix_measurement_period_end'))
        batch_op.drop_index(batch_op.f('ix_measurement_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_measurement_indicator_id'))

    op.drop_table('measurement')
    with op.batch_alter_table('baseline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_baseline_project_id'))
        batch_op.drop_index(batch_op.f('ix_baseline_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_baseline_indicator_id'))

    op.drop_table('baseline')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_project_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_measured_by_person_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_benefit_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('benefit_owner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_owner_project_id'))
        batch_op.drop_index(batch_op.f('ix_benefit_owner_person_id'))
        batch_op.drop_index(batch_op.f('ix_benefit_owner_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_benefit_owner_benefit_id'))

    op.drop_table('benefit_owner')
    with op.batch_alter_table('benefit_plan_approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_plan_approval_project_id'))

    op.drop_table('benefit_plan_approval')
    with op.batch_alter_table('benefit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_responsible_person_id'))
        batch_op.drop_index(batch_op.f('ix_benefit_project_id'))
        batch_op.drop_index(batch_op.f('ix_benefit_goal_id'))

    op.drop_table('benefit')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_project_id'))
        batch_op.drop_index(batch_op.f('ix_goal_parent_id'))

    op.drop_table('goal')
