"""Command-line commands: flask users ..., flask demo load."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from governance.errors import RuleViolation
from governance.extensions import db
from governance.history.recorder import set_actor

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demo data from the seed documents.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Passord", hide_input=True, confirmation_prompt=True)


@users_cli.command("create-admin")
@click.option("--username", required=True, help="Brukernavn for administratoren.")
@click.option("--name", "full_name", required=True, help="Fullt navn.")
@click.option("--email", default=None)
@click.option("--password-stdin", is_flag=True, help="Les passordet fra standard input.")
def create_admin(username: str, full_name: str, email: str | None, password_stdin: bool):
    """Create an administrator (the way to get the first account in production)."""
    from governance.roles import service

    set_actor(db.session, None, "kommandolinje")
    password = _read_password(password_stdin)
    try:
        user = service.create_user(db.session, None, username=username, full_name=full_name,
                                   password=password, email=email, is_admin=True,
                                   can_create_projects=True)
    except RuleViolation as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Administrator {user.username} er opprettet.")


@users_cli.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True)
def reset_password(username: str, password_stdin: bool):
    """Set a new password for a user and end their sessions."""
    from governance.roles import service
    from governance.roles.models import User

    set_actor(db.session, None, "kommandolinje")
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise click.ClickException(f"Fant ingen bruker med brukernavnet {username}.")
    try:
        service.reset_password(db.session, None, user, _read_password(password_stdin))
    except RuleViolation as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Nytt passord er satt for {user.username}.")


@demo_cli.command("load")
def demo_load():
    """Load the demo projects, organisations and users (idempotent; not in production)."""
    from governance import demo

    if current_app.config["GOVERNANCE_ENV"] == "production":
        raise click.ClickException(
            "Demodata lastes ikke i produksjon: demokontoene har kjente passord."
        )
    set_actor(db.session, None, "demodata")
    summary = demo.load(db.session)
    db.session.commit()
    click.echo(
        "Demodata er lastet: "
        f"{summary['organisations']} organisasjoner, {summary['projects']} prosjekter, "
        f"{summary['users']} brukere (nye: {summary['created']})."
    )


def register(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
