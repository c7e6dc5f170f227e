"""Fixtures of the finance HTTP tests: the worlds (see support.py) and signed-in users."""

from __future__ import annotations

from datetime import date

import pytest

from governance.extensions import db
from governance.organisations import service as organisation_service
from governance.organisations.models import Organisation
from governance.roles.models import GroupKind, ProjectRoleKind
from tests.http.finance.support import POPULATION_2008, TODAY, Kongsberg, Sogn, signed_in


@pytest.fixture
def today(app, monkeypatch):
    monkeypatch.setitem(app.config, "GOVERNANCE_TODAY", TODAY.isoformat())


@pytest.fixture
def sogn(app, today, make_org, make_project, make_user, give_role, add_to_group) -> Sogn:
    sogndal = make_org(name="Sogndal kommune")
    luster = make_org(name="Luster kommune")
    leikanger = make_org(name="Leikanger kommune")
    project = make_project(code="EHANDEL", name="eHandel i Sogn", owners=[sogndal],
                           participants=[sogndal, luster])
    katrine = make_user(username="katrine", full_name="Katrine Wilson")
    kari = make_user(username="kari", full_name="Kari Bø")
    ingrid = make_user(username="ingrid", full_name="Ingrid Eide")
    make_user(username="olav", full_name="Olav Utanfor")
    give_role(katrine, project, ProjectRoleKind.PROJECT_LEADER)
    give_role(kari, project, ProjectRoleKind.MUNICIPAL_LEAD, organisation=sogndal)
    add_to_group(ingrid, project, GroupKind.STEERING_GROUP)
    return Sogn(project.id, "EHANDEL", "/prosjekter/EHANDEL/okonomi", sogndal.id, luster.id,
                leikanger.id)


@pytest.fixture
def kongsberg(app, today, make_org, make_project, make_user, give_role) -> Kongsberg:
    region = make_org(name="Kongsbergregionen")
    orgs = {name: make_org(name=name) for name in POPULATION_2008}
    project = make_project(code="KONGSBERG", name="Innkjøpssamarbeid i Kongsbergregionen",
                           owners=[region], participants=list(orgs.values()),
                           start_date=date(2007, 9, 28), end_date=None)
    leader = make_user(username="kristin", full_name="Kristin Leiar")
    give_role(leader, project, ProjectRoleKind.PROJECT_LEADER)
    with app.app_context():
        for name, population in POPULATION_2008.items():
            organisation_service.set_year_figures(
                db.session, None, db.session.get(Organisation, orgs[name].id), year=2008,
                population=population, operating_costs_ore=None)
        db.session.commit()
    return Kongsberg(project.id, "KONGSBERG", "/prosjekter/KONGSBERG/okonomi",
                     {name: org.id for name, org in orgs.items()})


@pytest.fixture
def katrine(sogn, make_client):
    """eHandel i Sogn's project leader."""
    return signed_in(make_client, "katrine")


@pytest.fixture
def kari(sogn, make_client):
    """Municipal lead for Sogndal: a member who reads the budget but does not write it."""
    return signed_in(make_client, "kari")


@pytest.fixture
def ingrid(sogn, make_client):
    """A member of the steering group: reads, does not write."""
    return signed_in(make_client, "ingrid")


@pytest.fixture
def olav(sogn, make_client):
    """No role in the project."""
    return signed_in(make_client, "olav")


@pytest.fixture
def kristin(kongsberg, make_client):
    """Kongsbergregionen's project leader."""
    return signed_in(make_client, "kristin")
