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
