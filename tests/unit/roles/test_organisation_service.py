"""Rules of the project organisation: roles, groups and members, responsibilities, tasks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from governance.errors import RuleViolation, StaleEdit
from governance.extensions import db
from governance.projects.models import Project
from governance.roles import queries, service
from governance.roles.models import (
    GroupKind,
    GroupMember,
    LocalTask,
    LocalTaskStatus,
    MemberRole,
    ProjectGroup,
    ProjectRole,
    ProjectRoleKind,
    TaskLevel,
    User,
)


@pytest.fixture
def world(make_org, make_project):
    """A project owned by Sogndal (also taking part), with Luster taking part only,
    and Sogn regionråd standing outside it."""
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    outside = make_org(name="Sogn regionråd")
    project = make_project(code="EHANDEL", owners=[sogndal], participants=[sogndal, luster])
    return {"project": project, "sogndal": sogndal, "luster": luster, "outside": outside}


@pytest.fixture
def session(app, world):
    with app.app_context():
        yield db.session
        db.session.rollback()


@pytest.fixture
def project(session, world):
    return session.get(Project, world["project"].id)


def person(session, name: str):
    return service.create_person(session, None, service.PersonInput(full_name=name))


def group_of(session, project, kind: GroupKind) -> ProjectGroup:
    return session.scalar(select(ProjectGroup).where(ProjectGroup.project_id == project.id,
                                                     ProjectGroup.kind == kind))


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# ---- group members -----------------------------------------------------------------------


def test_same_person_twice_in_a_group_in_overlapping_periods_is_refused(session, project):
    steering = group_of(session, project, GroupKind.STEERING_GROUP)
    ingrid = person(session, "Ingrid Hauge")
    service.add_member(session, None, group=steering, person=ingrid, role=MemberRole.LEADER,
                       valid_from=date(2013, 4, 12), valid_to=date(2014, 12, 31))
    session.commit()

    with pytest.raises(RuleViolation) as refused:
        service.add_member(session, None, group=steering, person=ingrid,
                           role=MemberRole.MEMBER, valid_from=date(2014, 6, 1))
    assert refused.value.field == "person_id"
    assert "allerede medlem" in refused.value.message
    session.rollback()
    assert len(group_of(session, project, GroupKind.STEERING_GROUP).members) == 1

    # After the first period has ended, she may come back.
    again = service.add_member(session, None, group=steering, person=ingrid,
                               role=MemberRole.MEMBER, valid_from=date(2015, 1, 1))
    session.commit()
    assert again.valid_from == date(2015, 1, 1)
    assert [m.role for m in group_of(session, project, GroupKind.STEERING_GROUP)
            .members_on(date(2015, 6, 1))] == [MemberRole.MEMBER]


def test_open_ended_membership_overlaps_any_later_period(session, project):
    group = group_of(session, project, GroupKind.PROJECT_GROUP)
    kari = person(session, "Kari Bø")
    service.add_member(session, None, group=group, person=kari, role=MemberRole.MEMBER,
                       valid_from=date(2013, 4, 12))
    with pytest.raises(RuleViolation):
        service.add_member(session, None, group=group, person=kari, role=MemberRole.MEMBER,
                           valid_from=date(2030, 1, 1), valid_to=date(2030, 12, 31))
    # A period that ends before the open-ended one starts does not overlap.
    earlier = service.add_member(session, None, group=group, person=kari,
                                 role=MemberRole.OBSERVER, valid_from=date(2012, 1, 1),
                                 valid_to=date(2013, 4, 11))
    assert earlier.id is not None


def test_the_same_person_may_sit_in_two_groups_at_once(session, project):
    kari = person(session, "Kari Bø")
    for kind in (GroupKind.STEERING_GROUP, GroupKind.PROJECT_GROUP):
        service.add_member(session, None, group=group_of(session, project, kind), person=kari,
                           role=MemberRole.MEMBER, valid_from=date(2013, 4, 12))
    session.commit()
    assert count(session, GroupMember) == 2


def test_membership_ending_before_it_starts_is_refused(session, project):
    group = group_of(session, project, GroupKind.STEERING_GROUP)
    arne = person(session, "Arne Vik")
    with pytest.raises(RuleViolation) as refused:
        service.add_member(session, None, group=group, person=arne, role=MemberRole.MEMBER,
                           valid_from=date(2014, 1, 1), valid_to=date(2013, 12, 31))
    assert refused.value.field == "valid_to"
    assert refused.value.message == "Sluttdatoen kan ikke være før startdatoen."
    session.rollback()
    assert count(session, GroupMember) == 0


def test_ending_a_membership_keeps_it_with_its_end_date(session, project):
    group = group_of(session, project, GroupKind.STEERING_GROUP)
    member = service.add_member(session, None, group=group, person=person(session, "Arne Vik"),
                                role=MemberRole.MEMBER, valid_from=date(2013, 4, 12))
    with pytest.raises(RuleViolation):
        service.end_member(session, None, member, date(2013, 4, 11))
    service.end_member(session, None, member, date(2014, 6, 30))
    session.commit()
    stored = session.get(GroupMember, member.id)
    assert stored.valid_to == date(2014, 6, 30)
    assert group.members_on(date(2014, 6, 30)) == [stored]
    assert group.members_on(date(2014, 7, 1)) == []


# ---- project roles -----------------------------------------------------------------------


def test_second_project_leader_is_refused(session, project):
    katrine = person(session, "Katrine Wilson")
    tor = person(session, "Tor Hamre")
    service.assign_role(session, None, project=project, person=katrine,
                        role=ProjectRoleKind.PROJECT_LEADER, valid_from=date(2013, 4, 12))
    session.commit()
    with pytest.raises(RuleViolation) as refused:
        service.assign_role(session, None, project=project, person=tor,
                            role=ProjectRoleKind.PROJECT_LEADER, valid_from=date(2014, 1, 1))
    assert "allerede en innehaver" in refused.value.message
    session.rollback()
    leaders = session.scalars(select(ProjectRole)).all()
    assert [(r.person_id, r.valid_to) for r in leaders] == [(katrine.id, None)]


def test_replacing_the_project_leader_ends_the_previous_one_the_day_before(session, project):
    katrine = person(session, "Katrine Wilson")
    tor = person(session, "Tor Hamre")
    first = service.assign_role(session, None, project=project, person=katrine,
                                role=ProjectRoleKind.PROJECT_LEADER,
                                valid_from=date(2013, 4, 12))
    session.commit()
    service.assign_role(session, None, project=project, person=tor,
                        role=ProjectRoleKind.PROJECT_LEADER, valid_from=date(2014, 1, 1),
                        replace_current=True)
    session.commit()

    rows = session.scalars(select(ProjectRole).order_by(ProjectRole.valid_from)).all()
    assert [(r.person_id, r.valid_from, r.valid_to) for r in rows] == [
        (katrine.id, date(2013, 4, 12), date(2013, 12, 31)),
        (tor.id, date(2014, 1, 1), None),
    ]
    assert first.id == rows[0].id  # the same row, ended: not deleted and re-created
    chart = queries.project_organisation(session, project.id, on=date(2014, 1, 1))
    assert [r.person.full_name for r in chart.holders(ProjectRoleKind.PROJECT_LEADER,
                                                      on=date(2014, 1, 1))] == ["Tor Hamre"]
    assert [r.person.full_name for r in chart.former_roles] == ["Katrine Wilson"]


def test_replacing_from_the_same_day_the_holder_started_is_refused(session, project):
    katrine = person(session, "Katrine Wilson")
    service.assign_role(session, None, project=project, person=katrine,
                        role=ProjectRoleKind.PROJECT_LEADER, valid_from=date(2013, 4, 12))
    session.commit()
    with pytest.raises(RuleViolation) as refused:
        service.assign_role(session, None, project=project, person=person(session, "Tor"),
                            role=ProjectRoleKind.PROJECT_LEADER, valid_from=date(2013, 4, 12),
                            replace_current=True)
    assert refused.value.field == "valid_from"
    session.rollback()
    assert session.scalar(select(ProjectRole.valid_to)) is None


def test_one_municipal_lead_per_organisation(session, project, world):
    kari = person(session, "Kari Bø")
    per = person(session, "Per Nes")
    service.assign_role(session, None, project=project, person=kari,
                        role=ProjectRoleKind.MUNICIPAL_LEAD,
                        organisation_id=world["sogndal"].id, valid_from=date(2013, 4, 12))
    # Another organisation's lead is no second holder.
    service.assign_role(session, None, project=project, person=per,
                        role=ProjectRoleKind.MUNICIPAL_LEAD,
                        organisation_id=world["luster"].id, valid_from=date(2013, 4, 12))
    with pytest.raises(RuleViolation):
        service.assign_role(session, None, project=project, person=per,
                            role=ProjectRoleKind.MUNICIPAL_LEAD,
                            organisation_id=world["sogndal"].id, valid_from=date(2014, 1, 1))


def test_municipal_lead_for_an_organisation_not_taking_part_is_refused(session, project, world):
    per = person(session, "Per Nes")
    with pytest.raises(RuleViolation) as refused:
        service.assign_role(session, None, project=project, person=per,
                            role=ProjectRoleKind.MUNICIPAL_LEAD,
                            organisation_id=world["outside"].id)
    assert refused.value.field == "organisation_id"
    assert refused.value.message == "Organisasjonen deltar ikke i prosjektet."
    with pytest.raises(RuleViolation) as missing:
        service.assign_role(session, None, project=project, person=per,
                            role=ProjectRoleKind.MUNICIPAL_LEAD, organisation_id=None)
    assert missing.value.field == "organisation_id"
    session.rollback()
    assert count(session, ProjectRole) == 0


def test_benefit_owner_also_needs_a_participating_organisation(session, project, world):
    per = person(session, "Per Nes")
    with pytest.raises(RuleViolation):
        service.assign_role(session, None, project=project, person=per,
                            role=ProjectRoleKind.BENEFIT_OWNER,
                            organisation_id=world["outside"].id)
    role = service.assign_role(session, None, project=project, person=per,
                               role=ProjectRoleKind.BENEFIT_OWNER,
                               organisation_id=world["luster"].id)
    assert role.organisation_id == world["luster"].id


def test_project_owner_role_only_for_an_owner_organisation(session, project, world):
    ingrid = person(session, "Ingrid Hauge")
    session.commit()
    # Luster takes part but does not own the project.
    with pytest.raises(RuleViolation) as refused:
        service.assign_role(session, None, project=project, person=ingrid,
                            role=ProjectRoleKind.PROJECT_OWNER,
                            organisation_id=world["luster"].id)
    assert refused.value.message == "Organisasjonen er ikke eier av prosjektet."
    assert refused.value.field == "organisation_id"
    session.rollback()
    role = service.assign_role(session, None, project=project, person=ingrid,
                               role=ProjectRoleKind.PROJECT_OWNER,
                               organisation_id=world["sogndal"].id)
    session.commit()
    assert session.get(ProjectRole, role.id).organisation_id == world["sogndal"].id


def test_ending_a_role_keeps_the_row_with_its_end_date(session, project, world):
    kari = person(session, "Kari Bø")
    role = service.assign_role(session, None, project=project, person=kari,
                               role=ProjectRoleKind.MUNICIPAL_LEAD,
                               organisation_id=world["sogndal"].id,
                               valid_from=date(2013, 4, 12))
    session.commit()
    service.end_role(session, None, role, date(2014, 6, 30))
    session.commit()

    stored = session.get(ProjectRole, role.id)
    assert stored is not None
    assert (stored.valid_from, stored.valid_to) == (date(2013, 4, 12), date(2014, 6, 30))
    chart = queries.project_organisation(session, project.id)
    assert chart.holders(ProjectRoleKind.MUNICIPAL_LEAD, world["sogndal"].id) == []
    assert [r.id for r in chart.former_roles] == [role.id]
    # Ended before today: it cannot be ended again.
    with pytest.raises(RuleViolation):
        service.end_role(session, None, stored, date(2014, 12, 31))


def test_a_role_cannot_end_before_it_starts(session, project):
    role = service.assign_role(session, None, project=project,
                               person=person(session, "Katrine Wilson"),
                               role=ProjectRoleKind.PROJECT_LEADER,
                               valid_from=date(2013, 4, 12))
    session.commit()
    with pytest.raises(RuleViolation) as refused:
        service.end_role(session, None, role, date(2013, 4, 11))
    assert refused.value.field == "valid_to"
    session.rollback()
    assert session.get(ProjectRole, role.id).valid_to is None


def test_an_ended_role_no_longer_gives_access(session, project, make_user):
    user = make_user(username="katrine")
    katrine = service.person_for_user(session, session.get(User, user.id))
    role = service.assign_role(session, None, project=project, person=katrine,
                               role=ProjectRoleKind.PROJECT_LEADER,
                               valid_from=date(2013, 4, 12))
    session.commit()
    assert [r.id for r in queries.active_roles(session, user.id, project.id)] == [role.id]
    service.end_role(session, None, role, date.today() - timedelta(days=1))
    session.commit()
    assert queries.active_roles(session, user.id, project.id) == []


# ---- responsibilities --------------------------------------------------------------------


def test_set_responsibilities_replaces_the_lines_and_keeps_their_order(session, project):
    defaults = queries.project_organisation(session, project.id).responsibilities
    assert len(defaults["steering_group"]) == 4

    service.set_responsibilities(session, None, project=project, role_key="steering_group",
                                 lines=["Godkjenner prosjektplanen", "  ", "Følger opp budsjettet",
                                        "Avgjør endringer"])
    session.commit()
    lines = queries.project_organisation(session, project.id).responsibilities
    assert lines["steering_group"] == ["Godkjenner prosjektplanen", "Følger opp budsjettet",
                                       "Avgjør endringer"]
    # Other roles keep theirs.
    assert lines["project_owner"] == defaults["project_owner"]

    service.set_responsibilities(session, None, project=project, role_key="steering_group",
                                 lines=["Avgjør endringer", "Godkjenner prosjektplanen"])
    session.commit()
    lines = queries.project_organisation(session, project.id).responsibilities
    assert lines["steering_group"] == ["Avgjør endringer", "Godkjenner prosjektplanen"]

    service.set_responsibilities(session, None, project=project, role_key="steering_group",
                                 lines=[])
    session.commit()
    assert "steering_group" not in queries.project_organisation(
        session, project.id).responsibilities


def test_set_responsibilities_refuses_unknown_roles_and_overlong_lines(session, project):
    with pytest.raises(RuleViolation):
        service.set_responsibilities(session, None, project=project, role_key="janitor",
                                     lines=["Vasker"])
    with pytest.raises(RuleViolation):
        service.set_responsibilities(session, None, project=project, role_key="project_leader",
                                     lines=["x" * 501])
    with pytest.raises(RuleViolation):
        service.set_responsibilities(session, None, project=project, role_key="project_leader",
                                     lines=[f"Linje {n}" for n in range(31)])
    session.rollback()
    assert len(queries.project_organisation(session, project.id)
               .responsibilities["project_leader"]) == 5


# ---- local tasks -------------------------------------------------------------------------


def save_local(session, project, task, organisation_id, version_id, **fields):
    return service.set_local_task(
        session, None, project=project, task=task, organisation_id=organisation_id,
        status=fields.get("status", LocalTaskStatus.IN_PROGRESS),
        responsible=fields.get("responsible", ""), comment=fields.get("comment", ""),
        version_id=version_id,
    )


def test_local_task_standing_is_kept_per_organisation(session, project, world):
    task = service.add_task(session, None, project=project, level=TaskLevel.LOCAL,
                            text="Én dedikert person med innkjøpskompetanse")
    session.commit()
    save_local(session, project, task, world["sogndal"].id, 0, responsible="Kari Bø")
    save_local(session, project, task, world["luster"].id, None, status=LocalTaskStatus.DONE)
    session.commit()
    standings = queries.local_tasks(session, project.id)
    assert standings[(task.id, world["sogndal"].id)].status == LocalTaskStatus.IN_PROGRESS
    assert standings[(task.id, world["sogndal"].id)].responsible == "Kari Bø"
    assert standings[(task.id, world["luster"].id)].status == LocalTaskStatus.DONE


def test_local_task_standing_only_for_local_tasks(session, project, world):
    regional = service.add_task(session, None, project=project, level=TaskLevel.REGIONAL,
                                text="Felles nettside med rammeavtaler")
    with pytest.raises(RuleViolation) as refused:
        save_local(session, project, regional, world["sogndal"].id, 0)
    assert "ikke en lokal oppgave" in refused.value.message
    session.rollback()
    assert count(session, LocalTask) == 0


def test_local_task_of_another_project_is_refused(session, project, world, make_project):
    other = make_project(code="ANNET", owners=[world["sogndal"]])
    other_task = service.add_task(session, None, project=session.get(Project, other.id),
                                  level=TaskLevel.LOCAL, text="Lokal ressurs")
    with pytest.raises(RuleViolation):
        save_local(session, project, other_task, world["sogndal"].id, 0)


def test_local_task_only_for_participating_organisations(session, project, world):
    task = service.add_task(session, None, project=project, level=TaskLevel.LOCAL,
                            text="Lokal ressurs")
    with pytest.raises(RuleViolation) as refused:
        save_local(session, project, task, world["outside"].id, 0)
    assert refused.value.field == "organisation_id"
    session.rollback()
    assert count(session, LocalTask) == 0


def test_local_task_save_on_an_old_version_is_stale(session, project, world):
    task = service.add_task(session, None, project=project, level=TaskLevel.LOCAL,
                            text="Lokal ressurs")
    sogndal = world["sogndal"].id
    first = save_local(session, project, task, sogndal, 0, comment="Første")
    session.commit()
    loaded_version = first.version_id

    # Someone saves on the version both loaded; the other, saving on it afterwards, is stale.
    save_local(session, project, task, sogndal, loaded_version, comment="Andre")
    session.commit()
    with pytest.raises(StaleEdit):
        save_local(session, project, task, sogndal, loaded_version, comment="Tredje")
    session.rollback()
    # A form made before the row existed is stale too, once someone has created it.
    with pytest.raises(StaleEdit):
        save_local(session, project, task, sogndal, 0, comment="Fjerde")
    session.rollback()
    with pytest.raises(StaleEdit):
        save_local(session, project, task, sogndal, None, comment="Femte")
    session.rollback()

    stored = queries.local_tasks(session, project.id)[(task.id, sogndal)]
    assert stored.comment == "Andre"
    assert stored.version_id == loaded_version + 1
    # A save on the current version goes through.
    save_local(session, project, task, sogndal, stored.version_id, comment="Sjette")
    session.commit()
    assert queries.local_tasks(session, project.id)[(task.id, sogndal)].comment == "Sjette"


def test_a_new_standing_with_a_made_up_version_is_stale(session, project, world):
    task = service.add_task(session, None, project=project, level=TaskLevel.LOCAL,
                            text="Lokal ressurs")
    with pytest.raises(StaleEdit):
        save_local(session, project, task, world["sogndal"].id, 3)
    session.rollback()
    assert count(session, LocalTask) == 0


def test_deleting_a_task_removes_its_standings(session, project, world):
    task = service.add_task(session, None, project=project, level=TaskLevel.LOCAL,
                            text="Lokal ressurs")
    save_local(session, project, task, world["sogndal"].id, 0)
    session.commit()
    service.delete_task(session, None, task)
    session.commit()
    assert queries.tasks(session, project.id) == ([], [])
    assert count(session, LocalTask) == 0


def test_tasks_are_numbered_in_order_per_level(session, project):
    for text in ("Første lokale", "Andre lokale"):
        service.add_task(session, None, project=project, level=TaskLevel.LOCAL, text=text)
    service.add_task(session, None, project=project, level=TaskLevel.REGIONAL, text="Felles")
    session.commit()
    with pytest.raises(RuleViolation):
        service.add_task(session, None, project=project, level=TaskLevel.LOCAL, text="   ")
    session.rollback()
    regional, local = queries.tasks(session, project.id)
    assert [t.text for t in local] == ["Første lokale", "Andre lokale"]
    assert [t.text for t in regional] == ["Felles"]
