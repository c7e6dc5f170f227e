"""status reports and the risk register; reporting frequency, tolerances and risk colour
thresholds on the project

New tables; the new project columns have server defaults (monthly, 10 %, 20 %, yellow from 5,
red from 12), so existing projects get them. The downgrade drops the columns with plain DROP
COLUMN statements (a batch copy of the project table would cascade-delete its rows' children).

Revision ID: 68b8dc167264
Revises: 10fadf590481
Create Date: 2026-11-22 03:29:49.335669

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '68b8dc167264'
down_revision = '10fadf590481'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('status_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='reportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('overall', sa.Enum('green', 'yellow', 'red', name='light', native_enum=False, length=32), nullable=True),
    sa.Column('overall_comment', sa.Text(), nullable=False),
    sa.Column('schedule', sa.Enum('green', 'yellow', 'red', name='light', native_enum=False, length=32), nullable=True),
    sa.Column('schedule_comment', sa.Text(), nullable=False),
    sa.Column('cost', sa.Enum('green', 'yellow', 'red', name='light', native_enum=False, length=32), nullable=True),
    sa.Column('cost_comment', sa.Text(), nullable=False),
    sa.Column('quality', sa.Enum('green', 'yellow', 'red', name='light', native_enum=False, length=32), nullable=True),
    sa.Column('quality_comment', sa.Text(), nullable=False),
    sa.Column('risk', sa.Enum('green', 'yellow', 'red', name='light', native_enum=False, length=32), nullable=True),
    sa.Column('risk_comment', sa.Text(), nullable=False),
    sa.Column('benefits', sa.Enum('green', 'yellow', 'red', name='light', native_enum=False, length=32), nullable=True),
    sa.Column('benefits_comment', sa.Text(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('done_this_period', sa.Text(), nullable=False),
    sa.Column('next_period', sa.Text(), nullable=False),
    sa.Column('needs_decision', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_status_report_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_status_report_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_status_report_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_status_report_published_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_report')),
    sa.UniqueConstraint('project_id', 'period', 'organisation_id', 'version', name=op.f('uq_status_report_project_id'))
    )
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_report_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_report_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_report_project_id'), ['project_id'], unique=False)

    op.create_table('risk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('threat', 'opportunity', name='riskkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('consequence_text', sa.Text(), nullable=False),
    sa.Column('category', sa.Enum('economy', 'schedule', 'quality', 'organisation', 'competence', 'technology', 'agreements', 'legal', 'benefits', 'other', name='riskcategory', native_enum=False, length=32), nullable=False),
    sa.Column('phase', sa.Enum('idea', 'concept', 'planning', 'execution', 'closing', 'realisation', name='phase', native_enum=False, length=32), nullable=True),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('consequence', sa.Integer(), nullable=False),
    sa.Column('residual_probability', sa.Integer(), nullable=True),
    sa.Column('residual_consequence', sa.Integer(), nullable=True),
    sa.Column('owner_person_id', sa.Integer(), nullable=True),
    sa.Column('strategy', sa.Enum('avoid', 'reduce', 'transfer', 'accept', 'monitor', 'exploit', 'enhance', 'share', name='strategy', native_enum=False, length=32), nullable=True),
    sa.Column('proximity', sa.Enum('now', 'soon', 'later', 'distant', name='proximity', native_enum=False, length=32), nullable=True),
    sa.Column('status', sa.Enum('identified', 'measures_done', 'not_relevant', name='riskstatus', native_enum=False, length=32), nullable=False),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('consequence BETWEEN 1 AND 5', name=op.f('ck_risk_consequence_1_to_5')),
    sa.CheckConstraint('probability BETWEEN 1 AND 5', name=op.f('ck_risk_probability_1_to_5')),
    sa.CheckConstraint('residual_consequence IS NULL OR residual_consequence BETWEEN 1 AND 5', name=op.f('ck_risk_residual_consequence_1_to_5')),
    sa.CheckConstraint('residual_probability IS NULL OR residual_probability BETWEEN 1 AND 5', name=op.f('ck_risk_residual_probability_1_to_5')),
    sa.ForeignKeyConstraint(['owner_person_id'], ['person.id'], name=op.f('fk_risk_owner_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_risk_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk'))
    )
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_owner_person_id'), ['owner_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_project_id'), ['project_id'], unique=False)

    op.create_table('risk_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('consequence', sa.Integer(), nullable=False),
    sa.Column('residual_probability', sa.Integer(), nullable=True),
    sa.Column('residual_consequence', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('identified', 'measures_done', 'not_relevant', name='riskstatus', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('consequence BETWEEN 1 AND 5', name=op.f('ck_risk_assessment_consequence_1_to_5')),
    sa.CheckConstraint('probability BETWEEN 1 AND 5', name=op.f('ck_risk_assessment_probability_1_to_5')),
    sa.CheckConstraint('residual_consequence IS NULL OR residual_consequence BETWEEN 1 AND 5', name=op.f('ck_risk_assessment_residual_consequence_1_to_5')),
    sa.CheckConstraint('residual_probability IS NULL OR residual_probability BETWEEN 1 AND 5', name=op.f('ck_risk_assessment_residual_probability_1_to_5')),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['user_account.id'], name=op.f('fk_risk_assessment_assessed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_risk_assessment_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_id'], ['risk.id'], name=op.f('fk_risk_assessment_risk_id_risk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_assessment'))
    )
    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_assessment_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_assessment_risk_id'), ['risk_id'], unique=False)

    op.create_table('risk_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('responsible_person_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_risk_measure_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_person_id'], ['person.id'], name=op.f('fk_risk_measure_responsible_person_id_person')),
    sa.ForeignKeyConstraint(['risk_id'], ['risk.id'], name=op.f('fk_risk_measure_risk_id_risk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_measure'))
    )
    with op.batch_alter_table('risk_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_measure_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_measure_responsible_person_id'), ['responsible_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_measure_risk_id'), ['risk_id'], unique=False)

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reporting_frequency', sa.String(length=10), server_default='monthly', nullable=False))
        batch_op.add_column(sa.Column('cost_tolerance_percent', sa.Integer(), server_default='10', nullable=False))
        batch_op.add_column(sa.Column('benefit_tolerance_percent', sa.Integer(), server_default='20', nullable=False))
        batch_op.add_column(sa.Column('scope_tolerance', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('quality_tolerance', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('risk_yellow_from', sa.Integer(), server_default='5', nullable=False))
        batch_op.add_column(sa.Column('risk_red_from', sa.Integer(), server_default='12', nullable=False))



def downgrade():
    op.execute("ALTER TABLE project DROP COLUMN risk_red_from")
    op.execute("ALTER TABLE project DROP COLUMN risk_yellow_from")
    op.execute("ALTER TABLE project DROP COLUMN quality_tolerance")
    op.execute("ALTER TABLE project DROP COLUMN scope_tolerance")
    op.execute("ALTER TABLE project DROP COLUMN benefit_tolerance_percent")
    op.execute("ALTER TABLE project DROP COLUMN cost_tolerance_percent")
    op.execute("ALTER TABLE project DROP COLUMN reporting_frequency")

    with op.batch_alter_table('risk_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_measure_risk_id'))
        batch_op.drop_index(batch_op.f('ix_risk_measure_responsible_person_id'))
        batch_op.drop_index(batch_op.f('ix_risk_measure_project_id'))

    op.drop_table('risk_measure')
    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_assessment_risk_id'))
        batch_op.drop_index(batch_op.f('ix_risk_assessment_project_id'))

    op.drop_table('risk_assessment')
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_project_id'))
        batch_op.drop_index(batch_op.f('ix_risk_owner_person_id'))

    op.drop_table('risk')
    with op.batch_alter_table('status_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_report_project_id'))
        batch_op.drop_index(batch_op.f('ix_status_report_period'))
        batch_op.drop_index(batch_op.f('ix_status_report_organisation_id'))

    op.drop_table('status_report')
