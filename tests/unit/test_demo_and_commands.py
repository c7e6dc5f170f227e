"""Demo data, the first administrator from the command line, and production safeguards."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from governance import create_app, demo
from governance.extensions import db
from governance.organisations.models import Organisation
from governance.projects.models import Project
from governance.roles.models import User
from tests.conftest import Browserless


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_loads_the_seed_projects_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "load"])
    assert "(nye: 0)" in second.output
    with app.app_context():
        codes = set(db.session.scalars(select(Project.code)))
        assert codes == {"EHANDEL-SOGN", "KODEKNEKK", "INNKJOP-KONGSBERG"}
        kongsberg = db.session.scalar(select(Project).where(Project.code == "INNKJOP-KONGSBERG"))
        assert len(kongsberg.participants) == 7
        ehandel = db.session.scalar(select(Project).where(Project.code == "EHANDEL-SOGN"))
        assert "Sogn og Fjordane fylkeskommune" in [o.name for o in ehandel.owners]
        assert count(Organisation) == len(demo.ORGANISATIONS)


def test_every_demo_user_can_sign_in(app):
    with app.app_context():
        demo.load(db.session)
        db.session.commit()
    for username, password in demo.DEMO_PASSWORDS.items():
        client = Browserless(app.test_client())
        response = client.login(username, password)
        assert response.status_code == 303, username


def test_demo_project_leader_sees_her_project(app):
    with app.app_context():
        demo.load(db.session)
        db.session.commit()
    client = Browserless(app.test_client())
    client.login("katrine", demo.DEMO_PASSWORDS["katrine"])
    html = client.get("/").get_data(as_text=True)
    assert "eHandel i Sogn" in html and "Prosjektleder" in html
    assert "Kodeknekk" not in html


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create-admin", "--username", "forste", "--name", "Første Admin",
              "--password-stdin"],
        input="et-langt-passord\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "forste"))
        assert user.is_admin
    client = Browserless(app.test_client())
    assert client.login("forste", "et-langt-passord").status_code == 303


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "--username", "svak", "--name", "Svak",
              "--password-stdin"],
        input="passord\n",
    )
    assert result.exit_code != 0
    assert "minst 8 tegn" in result.output
    with app.app_context():
        assert count(User) == 0


def test_production_needs_a_secret_key(monkeypatch):
    monkeypatch.setenv("GOVERNANCE_ENV", "production")
    monkeypatch.delenv("GOVERNANCE_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="GOVERNANCE_SECRET_KEY"):
        create_app()


def test_production_loads_no_demo(app, monkeypatch):
    app.config["GOVERNANCE_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["GOVERNANCE_ENV"] = "development"
    assert result.exit_code != 0
    assert "Demodata lastes ikke i produksjon" in result.output
    with app.app_context():
        assert count(User) == 0


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("GOVERNANCE_ENV", "production")
    monkeypatch.setenv("GOVERNANCE_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("GOVERNANCE_DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
