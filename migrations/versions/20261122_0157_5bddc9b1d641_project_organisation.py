"""project organisation: people, groups, members, responsibilities, tasks

Project roles now belong to people (who may or may not have an account) instead of
user accounts. Existing data is carried over:
- every user account gets a person;
- every project gets its steering group and project group;
- a role held by a user moves to that user's person; the former role kinds are mapped:
  owner_representative -> project_owner; steering_member -> membership of the steering
  group; workgroup_member -> membership of a work group named "Arbeidsgruppe".
Default responsibilities are not written here: projects created before this revision
start without them, and the project leader fills them in on the project's page.
The downgrade maps back where it can; people without an account and group memberships
other than those above are lost in a downgrade.

Revision ID: 5bddc9b1d641
Revises: 7a3149638854
Create Date: 2026-11-22 01:57:05.776430

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5bddc9b1d641'
down_revision = '7a3149638854'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('steering_group', 'project_group', 'work_group', 'reference_group', name='groupkind', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('mandate', sa.Text(), nullable=False),
    sa.Column('deliverables', sa.Text(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_group_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_group'))
    )
    with op.batch_alter_table('project_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_group_project_id'), ['project_id'], unique=False)

    op.create_table('project_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('regional', 'local', name='tasklevel', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_project_task_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_task'))
    )
    with op.batch_alter_table('project_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_task_project_id'), ['project_id'], unique=False)

    op.create_table('responsibility',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('role_key', sa.String(length=40), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_responsibility_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responsibility'))
    )
    with op.batch_alter_table('responsibility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responsibility_project_id'), ['project_id'], unique=False)

    op.create_table('local_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'done', name='localtaskstatus', native_enum=False, length=32), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('comment', sa.String(length=1000), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_local_task_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_local_task_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['project_task.id'], name=op.f('fk_local_task_task_id_project_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_task')),
    sa.UniqueConstraint('task_id', 'organisation_id', name=op.f('uq_local_task_task_id'))
    )
    with op.batch_alter_table('local_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_local_task_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_local_task_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_local_task_task_id'), ['task_id'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_person_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_person_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('user_id', name=op.f('uq_person_user_id'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('leader', 'member', 'secretary', 'senior_user', 'senior_supplier', 'observer', name='memberrole', native_enum=False, length=32), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_group_member_dates_in_order')),
    sa.ForeignKeyConstraint(['group_id'], ['project_group.id'], name=op.f('fk_group_member_group_id_project_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_group_member_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_group_member_person_id_person')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_group_member_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_member'))
    )
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_member_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_member_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_member_project_id'), ['project_id'], unique=False)

    # Every account becomes a person; every project gets its two standing groups.
    op.execute(
        "INSERT INTO person (full_name, organisation_id, email, user_id, created_at, version_id) "
        "SELECT full_name, organisation_id, email, id, created_at, 1 FROM user_account"
    )
    for kind, name in (("steering_group", "Styringsgruppe"), ("project_group", "Prosjektgruppe")):
        op.execute(sa.text(
            "INSERT INTO project_group (project_id, kind, name, mandate, deliverables, version_id) "
            "SELECT id, :kind, :name, '', '', 1 FROM project"
        ).bindparams(kind=kind, name=name))
    # Former role kinds that are group memberships now.
    op.execute(
        "INSERT INTO project_group (project_id, kind, name, mandate, deliverables, version_id) "
        "SELECT DISTINCT project_id, 'work_group', 'Arbeidsgruppe', '', '', 1 FROM project_role "
        "WHERE role = 'workgroup_member'"
    )
    for role, kind in (("steering_member", "steering_group"), ("workgroup_member", "work_group")):
        op.execute(sa.text(
            "INSERT INTO group_member (group_id, person_id, organisation_id, role, project_id, "
            "valid_from, valid_to) "
            "SELECT g.id, p.id, r.organisation_id, 'member', r.project_id, r.valid_from, r.valid_to "
            "FROM project_role r JOIN person p ON p.user_id = r.user_id "
            "JOIN project_group g ON g.project_id = r.project_id AND g.kind = :kind "
            "WHERE r.role = :role"
        ).bindparams(kind=kind, role=role))
    op.execute("DELETE FROM project_role WHERE role IN ('steering_member', 'workgroup_member')")
    op.execute("UPDATE project_role SET role = 'project_owner' WHERE role = 'owner_representative'")

    with op.batch_alter_table('project_role', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE project_role SET person_id = "
        "(SELECT person.id FROM person WHERE person.user_id = project_role.user_id)"
    )
    with op.batch_alter_table('project_role', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f('ix_project_role_user_id'))
        batch_op.create_index(batch_op.f('ix_project_role_person_id'), ['person_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_project_role_user_id_user_account'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_project_role_person_id_person'), 'person', ['person_id'], ['id'])
        batch_op.drop_column('user_id')
        batch_op.create_check_constraint(
            batch_op.f('ck_project_role_dates_in_order'),
            'valid_to IS NULL OR valid_to >= valid_from',
        )


def downgrade():
    # Roles go back to user accounts: those of people without an account are dropped.
    op.execute(
        "DELETE FROM project_role WHERE person_id NOT IN "
        "(SELECT id FROM person WHERE user_id IS NOT NULL)"
    )
    with op.batch_alter_table('project_role', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_project_role_dates_in_order'), type_='check')
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE project_role SET user_id = "
        "(SELECT person.user_id FROM person WHERE person.id = project_role.person_id)"
    )
    op.execute("UPDATE project_role SET role = 'owner_representative' WHERE role = 'project_owner'")
    op.execute(
        "DELETE FROM project_role WHERE role NOT IN "
        "('project_leader', 'deputy_leader', 'owner_representative', 'municipal_lead', "
        "'benefit_owner')"
    )
    # Steering group memberships of people with accounts become steering_member roles.
    op.execute(
        "INSERT INTO project_role (project_id, person_id, user_id, role, organisation_id, "
        "valid_from, valid_to) "
        "SELECT m.project_id, p.id, p.user_id, 'steering_member', m.organisation_id, "
        "m.valid_from, m.valid_to FROM group_member m JOIN person p ON p.id = m.person_id "
        "JOIN project_group g ON g.id = m.group_id "
        "WHERE g.kind = 'steering_group' AND p.user_id IS NOT NULL"
    )
    with op.batch_alter_table('project_role', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_project_role_person_id_person'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_project_role_user_id_user_account'), 'user_account', ['user_id'], ['id'])
        batch_op.drop_index(batch_op.f('ix_project_role_person_id'))
        batch_op.create_index(batch_op.f('ix_project_role_user_id'), ['user_id'], unique=False)
        batch_op.drop_column('person_id')
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_member_project_id'))
        batch_op.drop_index(batch_op.f('ix_group_member_person_id'))
        batch_op.drop_index(batch_op.f('ix_group_member_group_id'))

    op.drop_table('group_member')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_organisation_id'))

    op.drop_table('person')
    with op.batch_alter_table('local_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_local_task_task_id'))
        batch_op.drop_index(batch_op.f('ix_local_task_project_id'))
        batch_op.drop_index(batch_op.f('ix_local_task_organisation_id'))

    op.drop_table('local_task')
    with op.batch_alter_table('responsibility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responsibility_project_id'))

    op.drop_table('responsibility')
    with op.batch_alter_table('project_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_task_project_id'))

    op.drop_table('project_task')
    with op.batch_alter_table('project_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_group_project_id'))

    op.drop_table('project_group')
