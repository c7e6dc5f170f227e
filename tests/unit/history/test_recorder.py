"""The history records every insert, update and delete in the same transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from governance.extensions import db
from governance.history import queries
from governance.history.models import ChangeRecord
from governance.history.recorder import set_actor
from governance.organisations import service as org_service
from governance.organisations.models import Organisation, OrganisationKind
from governance.projects.models import Project


def records(table: str) -> list[ChangeRecord]:
    return list(db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.table_name == table).order_by(ChangeRecord.id)
    ))


def test_insert_update_delete_are_recorded_with_actor(app, make_user):
    katrine = make_user(username="katrine", full_name="Katrine Wilson")
    with app.app_context():
        set_actor(db.session, katrine.id, "Katrine Wilson")
        org = org_service.create_organisation(db.session, None, name="Time kommune",
                                              kind=OrganisationKind.MUNICIPALITY)
        db.session.commit()
        set_actor(db.session, katrine.id, "Katrine Wilson")
        org.name = "Time kommune (endret)"
        db.session.commit()
        set_actor(db.session, None, "demodata")
        db.session.delete(org)
        db.session.commit()
        insert, update, delete = records("organisation")
    assert (insert.action, update.action, delete.action) == ("insert", "update", "delete")
    assert insert.actor_name == "Katrine Wilson" and insert.actor_id == katrine.id
    assert insert.row_id == str(insert.after["id"])
    assert insert.after["name"] == "Time kommune" and insert.before is None
    assert update.before == {"name": "Time kommune"}
    assert update.after == {"name": "Time kommune (endret)"}
    assert delete.before["name"] == "Time kommune (endret)" and delete.after is None
    assert delete.actor_name == "demodata"
    assert "version_id" not in insert.after


def test_a_rolled_back_change_leaves_no_record(app):
    with app.app_context():
        org_service.create_organisation(db.session, None, name="Klepp kommune",
                                        kind=OrganisationKind.MUNICIPALITY)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(ChangeRecord)) == 0
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_unchanged_assignment_records_nothing(app, make_org):
    org = make_org(name="Gjesdal kommune")
    with app.app_context():
        stored = db.session.get(Organisation, org.id)
        stored.name = "Gjesdal kommune"
        db.session.commit()
        assert [r.action for r in records("organisation")] == ["insert"]


def test_collection_changes_are_recorded_as_id_lists(app, make_project, make_org):
    first, second = make_org(), make_org()
    project = make_project(owners=[first])
    with app.app_context():
        stored = db.session.get(Project, project.id)
        stored.owners = [first_o for first_o in db.session.scalars(
            select(Organisation).where(Organisation.id.in_([first.id, second.id])))]
        db.session.commit()
        update = records("project")[-1]
    assert update.before == {"owners": [first.id]}
    assert update.after == {"owners": sorted([first.id, second.id])}


def test_child_rows_show_in_their_parents_history(app, make_org):
    org = make_org(name="Luster kommune")
    with app.app_context():
        stored = db.session.get(Organisation, org.id)
        org_service.set_year_figures(db.session, None, stored, year=2012, population=5000,
                                     operating_costs_ore=None)
        db.session.commit()
        history = queries.for_object(db.session, "organisation", org.id)
    assert [r.table_name for r in history] == ["organisation_year", "organisation"]


def test_user_history_never_holds_the_password_hash(app, make_user):
    user = make_user(username="kari")
    with app.app_context():
        (insert,) = queries.for_object(db.session, "user_account", user.id)
    assert "password_hash" not in insert.after
    assert insert.after["username"] == "kari"
