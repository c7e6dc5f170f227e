"""Shared fixtures. Fixtures return factories: make_project(**overrides) and so on.

The suite runs on SQLite, and on PostgreSQL too when GOVERNANCE_TEST_POSTGRES_URL is
set: each test that uses ``app`` runs once per database. On PostgreSQL the tests make
their own database on that server and drop it afterwards.
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from governance import create_app
from governance.extensions import db

PASSWORD = "riktig-hest-batteri"
POSTGRES_URL = os.environ.get("GOVERNANCE_TEST_POSTGRES_URL", "")
DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def pytest_configure(config):
    if os.environ.get("GOVERNANCE_REQUIRE_POSTGRES") == "1" and not POSTGRES_URL:
        raise pytest.UsageError(
            "GOVERNANCE_REQUIRE_POSTGRES=1 but GOVERNANCE_TEST_POSTGRES_URL is not set."
        )


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    """argon2id with minimal cost parameters: the same algorithm, fast enough for tests.

    Production uses argon2-cffi's defaults (see governance/roles/passwords.py).
    """
    from argon2 import PasswordHasher

    from governance.roles import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


# ---- databases ---------------------------------------------------------------------


class PostgresDatabase:
    """A throwaway database on the server given by GOVERNANCE_TEST_POSTGRES_URL."""

    def __init__(self, server_url: str):
        base = make_url(server_url)
        if base.drivername == "postgresql":
            base = base.set(drivername="postgresql+psycopg")
        self.name = f"styringsrommet_test_{uuid.uuid4().hex[:12]}"
        self.admin_url = base
        self.url = base.set(database=self.name)

    def _admin(self):
        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT")

    def create(self) -> str:
        engine = self._admin()
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        engine.dispose()
        return self.url.render_as_string(hide_password=False)

    def drop(self) -> None:
        engine = self._admin()
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def make_database_url(tmp_path_factory):
    """Factory: a fresh, empty database URL of the given kind; dropped at the end."""
    created: list[PostgresDatabase] = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        database = PostgresDatabase(POSTGRES_URL)
        created.append(database)
        return database.create()

    yield make
    for database in created:
        database.drop()


def make_test_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "GOVERNANCE_THROTTLE_STORAGE": "database",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session", params=DATABASES)
def app(request, make_database_url):
    """The app on a migrated, empty database (one per database kind)."""
    from flask_migrate import upgrade

    flask_app = make_test_app(make_database_url(request.param))
    with flask_app.app_context():
        upgrade()
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts from empty tables."""
    yield
    if "app" not in request.fixturenames:
        return
    flask_app = request.getfixturevalue("app")
    with flask_app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


# ---- factories ---------------------------------------------------------------------


def _detached(obj):
    """Load the columns and detach, so tests can read ids and names after the commit."""
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


@pytest.fixture
def make_org(app):
    from governance.organisations import service
    from governance.organisations.models import OrganisationKind

    counter = iter(range(1, 10_000))

    def make(name: str | None = None, kind=OrganisationKind.MUNICIPALITY, org_number=None):
        with app.app_context():
            org = service.create_organisation(
                db.session, None, name=name or f"Testkommune {next(counter)}", kind=kind,
                org_number=org_number,
            )
            db.session.commit()
            return _detached(org)

    return make


@pytest.fixture
def make_user(app):
    from governance.roles import service

    counter = iter(range(1, 10_000))

    def make(username: str | None = None, password: str = PASSWORD, **fields):
        number = next(counter)
        with app.app_context():
            user = service.create_user(
                db.session, None,
                username=username or f"bruker{number}",
                full_name=fields.pop("full_name", f"Test Bruker {number}"),
                password=password,
                **fields,
            )
            db.session.commit()
            return _detached(user)

    return make


@pytest.fixture
def make_project(app, make_org):
    from governance.projects import service
    from governance.projects.models import Phase, ProjectStatus

    counter = iter(range(1, 10_000))

    def make(**overrides):
        number = next(counter)
        owners = overrides.pop("owners", None) or [make_org()]
        participants = overrides.pop("participants", owners)
        data = service.ProjectInput(
            code=overrides.pop("code", f"PRO-{number}"),
            name=overrides.pop("name", f"Testprosjekt {number}"),
            purpose=overrides.pop("purpose", "Et formål"),
            description=overrides.pop("description", ""),
            phase=overrides.pop("phase", Phase.PLANNING),
            status=overrides.pop("status", ProjectStatus.ACTIVE),
            start_date=overrides.pop("start_date", date(2013, 4, 12)),
            end_date=overrides.pop("end_date", date(2015, 12, 31)),
            owner_ids=[o.id for o in owners],
            participant_ids=[o.id for o in participants],
            programme_id=overrides.pop("programme_id", None),
        )
        assert not overrides, f"unknown overrides {overrides}"
        with app.app_context():
            project = service.create_project(db.session, None, data)
            db.session.commit()
            return _detached(project)

    return make


def _person_of(user):
    from governance.roles import service
    from governance.roles.models import User

    return service.person_for_user(db.session, db.session.get(User, user.id))


@pytest.fixture
def give_role(app):
    """Factory: a user holds a project role (dated), whatever the business rules say."""
    from governance.roles.models import ProjectRole

    def give(user, project, role, organisation=None, valid_from=None, valid_to=None):
        with app.app_context():
            assignment = ProjectRole(
                project_id=project.id, person_id=_person_of(user).id, role=role,
                organisation_id=organisation.id if organisation else None,
                valid_from=valid_from or date(2000, 1, 1), valid_to=valid_to,
            )
            db.session.add(assignment)
            db.session.commit()
            return _detached(assignment)

    return give


@pytest.fixture
def add_to_group(app):
    """Factory: a user becomes a member of one of the project's groups."""
    from sqlalchemy import select

    from governance.roles import service
    from governance.roles.models import GroupKind, GroupMember, MemberRole, ProjectGroup

    def add(user, project, kind=GroupKind.STEERING_GROUP, role=MemberRole.MEMBER,
            organisation=None, name=None, valid_from=None, valid_to=None):
        with app.app_context():
            stmt = select(ProjectGroup).where(ProjectGroup.project_id == project.id,
                                              ProjectGroup.kind == kind)
            if name:
                stmt = stmt.where(ProjectGroup.name == name)
            group = db.session.scalar(stmt)
            if group is None:
                from governance.projects.models import Project

                group = service.create_group(db.session, None,
                                             project=db.session.get(Project, project.id),
                                             kind=kind, name=name or "")
            member = GroupMember(
                group_id=group.id, project_id=project.id, person_id=_person_of(user).id,
                role=role, organisation_id=organisation.id if organisation else None,
                valid_from=valid_from or date(2000, 1, 1), valid_to=valid_to,
            )
            db.session.add(member)
            db.session.commit()
            return _detached(member)

    return add


# ---- HTTP helpers ------------------------------------------------------------------

TOKEN_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client) -> str:
    """A CSRF token for the client's current session, read from a page's form.

    The sign-in page has one when signed out; it redirects when signed in, and the
    account page (every page's language form, really) has one then.
    """
    page = client.get("/logg-inn", follow_redirects=True)
    match = TOKEN_PATTERN.search(page.get_data(as_text=True))
    assert match, "no CSRF token on the sign-in page or where it led"
    return match.group(1)


class Browserless:
    """The Flask test client with CSRF tokens filled in, as a browser's forms would."""

    def __init__(self, client):
        self.client = client
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token(self.client)
        return self._token

    def forget_token(self) -> None:
        self._token = None

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def post(self, path, data=None, headers=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.token())
        response = self.client.post(path, data=data, headers=headers, **kwargs)
        if path == "/logg-ut":
            self.forget_token()  # signing out clears the session and its token
        return response

    def htmx(self, method: str, path: str, data=None, **headers):
        hx = {"HX-Request": "true", **headers}
        if method == "GET":
            return self.client.get(path, headers=hx, query_string=data)
        return self.post(path, data=data, headers=hx)

    def login(self, username: str, password: str = PASSWORD):
        response = self.post("/logg-inn", {"username": username, "password": password})
        self.forget_token()  # sign-in starts a new session
        return response


@pytest.fixture
def client(app) -> Browserless:
    # Not used as a context manager: that would keep the last request's context open
    # and other clients' requests would share its signed-in user.
    return Browserless(app.test_client())


@pytest.fixture
def make_client(app):
    """Factory for more clients (two users at once)."""
    clients = []

    def make() -> Browserless:
        flask_client = app.test_client()
        clients.append(flask_client)
        return Browserless(flask_client)

    return make


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(username="admin", is_admin=True, can_create_projects=True,
                      full_name="Anne Admin")
    response = client.login("admin")
    assert response.status_code == 303
    client.user = admin
    return client
