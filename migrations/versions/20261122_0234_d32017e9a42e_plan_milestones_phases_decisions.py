"""plan: milestones with date history, phases with checklists, decisions, meetings, calendar

Existing projects get the default checklists of every phase and a first phase record (their
current phase, from their start date, or the day they were created). The downgrade drops
the new tables and the time tolerance.

Revision ID: d32017e9a42e
Revises: 5bddc9b1d641
Create Date: 2026-11-22 02:34:26.926986

"""
import sqlalchemy as sa
from alembic import op

from governance.projects.checklists import DEFAULT_CHECKPOINTS

# revision identifiers, used by Alembic.
revision = 'd32017e9a42e'
down_revision = '5bddc9b1d641'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Enum('idea', 'concept', 'planning', 'execution', 'closing', 'realisation', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'not_relevant', name='checkpointstatus', native_enum=False, length=32), nullable=False),
    sa.Column('comment', sa.String(length=1000), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_checkpoint_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkpoint'))
    )
    with op.batch_alter_table('checkpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkpoint_project_id'), ['project_id'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Enum('steering_group', 'owner', 'chief_executives', 'other', name='decisionbody', native_enum=False, length=32), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_meeting_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_project_id'), ['project_id'], unique=False)

    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_agenda_item_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_agenda_item_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_item_project_id'), ['project_id'], unique=False)

    op.create_table('calendar_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_calendar_token_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_token_token_hash'))
    )
    with op.batch_alter_table('calendar_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_token_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_token_user_id'), ['user_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('decision_point', sa.Enum('bp1', 'bp2', 'bp3', 'bp4', 'bp5', 'bp6', name='decisionpoint', native_enum=False, length=32), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('body', sa.Enum('steering_group', 'owner', 'chief_executives', 'other', name='decisionbody', native_enum=False, length=32), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.Enum('approved', 'approved_with_conditions', 'rejected', 'postponed', name='decisionoutcome', native_enum=False, length=32), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('supersedes_id IS NULL OR supersedes_id <> id', name=op.f('ck_decision_not_itself')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_decision_meeting_id_meeting'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_decision_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_decision_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supersedes_id'], ['decision.id'], name=op.f('fk_decision_supersedes_id_decision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_decision_supersedes_id'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_project_id'), ['project_id'], unique=False)

    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('responsible_person_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('decision_point', sa.Enum('bp1', 'bp2', 'bp3', 'bp4', 'bp5', 'bp6', name='decisionpoint', native_enum=False, length=32), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('forecast_date', sa.Date(), nullable=True),
    sa.Column('actual_date', sa.Date(), nullable=True),
    sa.Column('comment', sa.String(length=1000), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['project_group.id'], name=op.f('fk_milestone_group_id_project_group'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_milestone_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_milestone_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_person_id'], ['person.id'], name=op.f('fk_milestone_responsible_person_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_responsible_person_id'), ['responsible_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_series_id'), ['series_id'], unique=False)

    op.create_table('phase_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Enum('idea', 'concept', 'planning', 'execution', 'closing', 'realisation', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_phase_record_decision_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_phase_record_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_phase_record_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase_record'))
    )
    with op.batch_alter_table('phase_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_record_project_id'), ['project_id'], unique=False)

    op.create_table('milestone_date_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('forecast_date', sa.Date(), nullable=True),
    sa.Column('actual_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_milestone_date_change_changed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_milestone_date_change_milestone_id_milestone'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_milestone_date_change_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_date_change'))
    )
    with op.batch_alter_table('milestone_date_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_date_change_milestone_id'), ['milestone_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_date_change_project_id'), ['project_id'], unique=False)

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_tolerance_days', sa.Integer(), server_default='14', nullable=False))



    _carry_over_projects()


def _carry_over_projects():
    project = sa.table("project", sa.column("id", sa.Integer), sa.column("phase", sa.String),
                       sa.column("start_date", sa.Date), sa.column("created_at", sa.DateTime))
    checkpoint = sa.table(
        "checkpoint", sa.column("project_id", sa.Integer), sa.column("phase", sa.String),
        sa.column("position", sa.Integer), sa.column("text", sa.String),
        sa.column("mandatory", sa.Boolean), sa.column("status", sa.String),
        sa.column("comment", sa.String), sa.column("version_id", sa.Integer),
    )
    phase_record = sa.table(
        "phase_record", sa.column("project_id", sa.Integer), sa.column("phase", sa.String),
        sa.column("started_on", sa.Date), sa.column("note", sa.String),
        sa.column("recorded_at", sa.DateTime),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(project.c.id, project.c.phase, project.c.start_date,
                                        project.c.created_at)).all()
    for project_id, phase, start_date, created_at in rows:
        connection.execute(checkpoint.insert(), [
            {"project_id": project_id, "phase": item_phase.value, "position": position,
             "text": text, "mandatory": mandatory, "status": "open", "comment": "",
             "version_id": 1}
            for item_phase, items in DEFAULT_CHECKPOINTS.items()
            for position, (text, mandatory) in enumerate(items, start=1)
        ])
        connection.execute(phase_record.insert().values(
            project_id=project_id, phase=phase,
            started_on=start_date or created_at.date(), note="", recorded_at=created_at,
        ))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of the project table
    # would drop the old table, and with it cascade-delete every row that refers to a project.
    op.execute("ALTER TABLE project DROP COLUMN time_tolerance_days")

    with op.batch_alter_table('milestone_date_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_date_change_project_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_date_change_milestone_id'))

    op.drop_table('milestone_date_change')
    with op.batch_alter_table('phase_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_record_project_id'))

    op.drop_table('phase_record')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_series_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_responsible_person_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_project_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_group_id'))

    op.drop_table('milestone')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_project_id'))
        batch_op.drop_index(batch_op.f('ix_decision_meeting_id'))

    op.drop_table('decision')
    with op.batch_alter_table('calendar_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_token_user_id'))
        batch_op.drop_index(batch_op.f('ix_calendar_token_project_id'))

    op.drop_table('calendar_token')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_project_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_item_meeting_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_project_id'))

    op.drop_table('meeting')
    with op.batch_alter_table('checkpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkpoint_project_id'))

    op.drop_table('checkpoint')
