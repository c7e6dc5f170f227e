"""Migrations: one head, upgrade from empty, downgrade and upgrade again, models match."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from governance.extensions import db
from tests.conftest import DATABASES, make_test_app


def test_there_is_one_head():
    from alembic.config import Config

    config = Config("migrations/alembic.ini")
    config.set_main_option("script_location", "migrations")
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"


def test_file_names_are_dated():
    import re
    from pathlib import Path

    names = [p.name for p in Path("migrations/versions").glob("*.py")]
    assert names
    for name in names:
        assert re.match(r"^\d{8}_\d{4}_[0-9a-f]{12}_\w+\.py$", name), name


@pytest.mark.parametrize("kind", DATABASES)
def test_upgrade_downgrade_upgrade_and_models_match(make_database_url, kind):
    app = make_test_app(make_database_url(kind))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"project", "organisation", "user_account", "change_record"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        db.engine.dispose()


FOUNDATION = "7a3149638854"


@pytest.mark.parametrize("kind", DATABASES)
def test_project_roles_move_from_accounts_to_people(make_database_url, kind):
    """Data made before the project organisation keeps its meaning after the upgrade."""
    from sqlalchemy import text

    app = make_test_app(make_database_url(kind))
    with app.app_context():
        upgrade(revision=FOUNDATION)
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO organisation (id, name, kind, created_at, version_id) "
                "VALUES (1, 'Time kommune', 'municipality', '2012-01-01', 1)"))
            conn.execute(text(
                "INSERT INTO user_account (id, username, full_name, password_hash, "
                "organisation_id, is_admin, can_create_projects, is_active_account, locale, "
                "created_at, version_id) VALUES "
                "(1, 'torhild', 'Torhild', 'x', 1, false, true, true, 'nb', '2012-01-01', 1), "
                "(2, 'bente', 'Bente', 'x', 1, false, false, true, 'nn', '2012-01-01', 1)"))
            conn.execute(text(
                "INSERT INTO project (id, code, name, purpose, description, phase, status, "
                "created_at, version_id) VALUES (1, 'KODEKNEKK', 'Kodeknekk', '', '', "
                "'execution', 'active', '2012-01-01', 1)"))
            conn.execute(text(
                "INSERT INTO project_role (project_id, user_id, role, organisation_id, "
                "valid_from) VALUES "
                "(1, 1, 'project_leader', NULL, '2011-01-01'), "
                "(1, 2, 'steering_member', 1, '2011-02-01'), "
                "(1, 2, 'owner_representative', 1, '2011-02-01'), "
                "(1, 1, 'workgroup_member', NULL, '2011-03-01')"))
        upgrade()
        with db.engine.connect() as conn:
            people = dict(conn.execute(text("SELECT user_id, id FROM person")).all())
            assert set(people) == {1, 2}
            roles = set(conn.execute(text(
                "SELECT person_id, role FROM project_role")).all())
            assert roles == {(people[1], "project_leader"), (people[2], "project_owner")}
            members = set(conn.execute(text(
                "SELECT m.person_id, g.kind, g.name FROM group_member m "
                "JOIN project_group g ON g.id = m.group_id")).all())
            assert members == {(people[2], "steering_group", "Styringsgruppe"),
                               (people[1], "work_group", "Arbeidsgruppe")}
            kinds = sorted(k for (k,) in conn.execute(text("SELECT kind FROM project_group")))
            assert kinds == ["project_group", "steering_group", "work_group"]
        downgrade(revision=FOUNDATION)
        with db.engine.connect() as conn:
            back = set(conn.execute(text("SELECT user_id, role FROM project_role")).all())
        assert back == {(1, "project_leader"), (2, "owner_representative"),
                        (2, "steering_member")}
        db.engine.dispose()


PROJECT_ORGANISATION = "5bddc9b1d641"


@pytest.mark.parametrize("kind", DATABASES)
def test_projects_before_the_plan_get_checklists_and_a_phase_record(make_database_url, kind):
    """Projects made before the plan get every phase's default checkpoints and one phase
    record; a downgrade keeps their roles."""
    from sqlalchemy import text

    from governance.projects.checklists import DEFAULT_CHECKPOINTS

    app = make_test_app(make_database_url(kind))
    with app.app_context():
        upgrade(revision=PROJECT_ORGANISATION)
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO organisation (id, name, kind, created_at, version_id) "
                "VALUES (1, 'Time kommune', 'municipality', '2012-01-01 08:00:00', 1)"))
            conn.execute(text(
                "INSERT INTO user_account (id, username, full_name, password_hash, "
                "organisation_id, is_admin, can_create_projects, is_active_account, locale, "
                "created_at, version_id) VALUES "
                "(1, 'torhild', 'Torhild', 'x', 1, false, true, true, 'nb', "
                "'2012-01-01 08:00:00', 1)"))
            conn.execute(text(
                "INSERT INTO person (id, full_name, organisation_id, user_id, created_at, "
                "version_id) VALUES (1, 'Torhild', 1, 1, '2012-01-01 08:00:00', 1), "
                "(2, 'Eva Ekstern', NULL, NULL, '2012-01-01 08:00:00', 1)"))
            conn.execute(text(
                "INSERT INTO project (id, code, name, purpose, description, phase, status, "
                "start_date, created_at, version_id) VALUES "
                "(1, 'KODEKNEKK', 'Kodeknekk', '', '', 'execution', 'active', '2011-05-02', "
                "'2012-01-01 08:00:00', 1), "
                "(2, 'IDE', 'Uten startdato', '', '', 'idea', 'active', NULL, "
                "'2012-03-05 09:30:00', 1)"))
            conn.execute(text(
                "INSERT INTO project_role (project_id, person_id, role, organisation_id, "
                "valid_from, valid_to) VALUES "
                "(1, 1, 'project_leader', NULL, '2011-01-01', NULL), "
                "(1, 2, 'municipal_lead', 1, '2011-02-01', '2012-12-31'), "
                "(2, 1, 'project_owner', 1, '2012-03-05', NULL)"))
        roles_before = _project_roles()
        upgrade()
        expected = sorted(
            (phase.value, position, item, mandatory)
            for phase, items in DEFAULT_CHECKPOINTS.items()
            for position, (item, mandatory) in enumerate(items, start=1))
        with db.engine.connect() as conn:
            for project_id in (1, 2):
                rows = conn.execute(text(
                    "SELECT phase, position, text, mandatory, status, comment FROM checkpoint "
                    "WHERE project_id = :p"), {"p": project_id}).all()
                assert sorted((p, pos, t, bool(m)) for p, pos, t, m, _, _ in rows) == expected
                assert {(s, c) for *_, s, c in rows} == {("open", "")}
            records = conn.execute(text(
                "SELECT project_id, phase, started_on, decision_id FROM phase_record "
                "ORDER BY project_id")).all()
            assert [(p, ph, str(d), dec) for p, ph, d, dec in records] == [
                (1, "execution", "2011-05-02", None),
                (2, "idea", "2012-03-05", None),  # no start date: the day it was made
            ]
            tolerance = conn.execute(text(
                "SELECT time_tolerance_days FROM project ORDER BY id")).scalars().all()
            assert tolerance == [14, 14]
        assert _project_roles() == roles_before

        downgrade(revision=PROJECT_ORGANISATION)
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"checkpoint", "phase_record", "milestone", "decision", "meeting",
                             "calendar_token"}
        columns = {c["name"] for c in inspect(db.engine).get_columns("project")}
        assert "time_tolerance_days" not in columns
        assert _project_roles() == roles_before
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT code FROM project ORDER BY id")).scalars().all() == [
                "KODEKNEKK", "IDE"]
            assert conn.execute(text("SELECT count(*) FROM person")).scalar() == 2
        db.engine.dispose()


def _project_roles() -> set[tuple]:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return {(p, person, role, org, str(start), str(end) if end else None)
                for p, person, role, org, start, end in conn.execute(text(
                    "SELECT project_id, person_id, role, organisation_id, valid_from, "
                    "valid_to FROM project_role"))}


WASTEBASKET = "22f5f54c36f1"


@pytest.mark.parametrize("kind", DATABASES)
def test_the_wastebasket_downgrade_removes_what_is_in_it_and_keeps_the_rest(
        make_database_url, kind):
    """Before the wastebasket a delete was final: going back removes the rows in the
    wastebasket (the old unique constraints could not hold with them) and keeps the live ones;
    the unique rule is a partial index after the upgrade and a constraint before it."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    app = make_test_app(make_database_url(kind))
    with app.app_context():
        upgrade(revision="7c1e5a9d3b21")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO project (id, code, name, purpose, description, phase, status, "
                "created_at, version_id) VALUES (1, 'P', 'P', '', '', 'execution', 'active', "
                "'2013-01-01', 1)"))
            conn.execute(text(
                "INSERT INTO budget_line (id, project_id, year, kind, category, nature, name, "
                "amount_ore, note, version_id) VALUES "
                "(1, 1, 2013, 'cost', 'salary', 'operating', 'Lønn', 100, '', 1)"))
            conn.execute(text(
                "INSERT INTO actual_cost (id, project_id, line_id, period, period_start, "
                "amount_ore, note, entered_at, version_id) VALUES "
                "(2, 1, 1, '2013-05', '2013-05-01', 20, '', '2013-06-03', 1)"))
        # The upgrade rebuilds budget_line on SQLite: its actual costs must survive that.
        upgrade(revision=WASTEBASKET)
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT id, deleted_at FROM actual_cost")).all() == [
                (2, None)]
            conn.execute(text(
                "INSERT INTO actual_cost (id, project_id, line_id, period, period_start, "
                "amount_ore, note, entered_at, version_id, deleted_at) VALUES "
                "(1, 1, 1, '2013-05', '2013-05-01', 10, '', '2013-06-01', 1, '2013-06-02')"))
        with pytest.raises(IntegrityError), db.engine.begin() as conn:  # two live: refused
            conn.execute(text(
                "INSERT INTO actual_cost (id, project_id, line_id, period, period_start, "
                "amount_ore, note, entered_at, version_id) VALUES "
                "(3, 1, 1, '2013-05', '2013-05-01', 30, '', '2013-06-04', 1)"))
        downgrade(revision="7c1e5a9d3b21")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT id, amount_ore FROM actual_cost")).all() == [
                (2, 20)]
            assert "deleted_at" not in {c["name"] for c in inspect(conn).get_columns(
                "actual_cost")}
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT id, deleted_at FROM actual_cost")).all() == [
                (2, None)]
        db.engine.dispose()
