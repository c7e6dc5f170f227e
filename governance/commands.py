"""Command-line commands: flask users ..., flask demo load, flask backup, flask restore."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
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
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path | None):
    """Back up the database (SQLite: online backup API; PostgreSQL: pg_dump), with a
    manifest of every table's row count and checksum beside the file."""
    from governance import backup

    try:
        result = backup.backup(db.engine.url, db.metadata, Path(current_app.instance_path),
                               path)
    except (backup.BackupError, OSError) as error:
        raise click.ClickException(str(error)) from None
    manifest = result.manifest
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"Sikkerhetskopi: {result.path}")
    click.echo(f"Størrelse: {backup.human_size(manifest['size'])} ({manifest['size']} byte), "
               f"tid {result.seconds:.2f} s")
    click.echo(f"Manifest: {result.manifest_path} (revisjon {manifest['alembic_revision']}, "
               f"{len(manifest['tables'])} tabeller, {rows} rader, sha256 {manifest['sha256']})")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Erstatt en database som har data, uten å spørre.")
@click.option("--check", is_flag=True,
              help="Bare kontroller sikkerhetskopien mot manifestet; gjenopprett ingenting.")
@with_appcontext
def restore_command(path: Path, yes: bool, check: bool):
    """Restore a backup made by `flask backup` into the configured database, then compare
    every table's row count and checksum with the backup's manifest."""
    from governance import backup

    url = db.engine.url
    db.session.remove()
    try:
        plan = backup.prepare_restore(path, url, db.metadata)
    except (backup.BackupError, OSError) as error:
        raise click.ClickException(str(error)) from None
    try:
        manifest = plan.manifest
        click.echo(f"Sikkerhetskopi: {plan.path} ({manifest['kind']}, laget "
                   f"{manifest['created_at']}, revisjon {manifest['alembic_revision']})")
        click.echo("Filen stemmer med manifestet (størrelse og sha256) og kan leses.")
        if plan.pre_check is not None and not plan.pre_check.ok:
            for line in plan.pre_check.lines():
                click.echo(line)
            raise click.ClickException(
                "Innholdet i sikkerhetskopien stemmer ikke med manifestet. Ingenting er endret."
            )
        if check:
            if plan.pre_check is not None:
                for line in plan.pre_check.lines():
                    click.echo(line)
                click.echo("Alle tabeller stemmer med manifestet. Ingenting er gjenopprettet.")
            else:
                click.echo("Tabellene kontrolleres mot manifestet etter en gjenoppretting. "
                           "Ingenting er gjenopprettet.")
            return
        if plan.existing_rows and not yes:
            click.echo(f"Databasen {url.render_as_string(hide_password=True)} har data "
                       f"({plan.existing_rows} rader i {plan.existing_tables} tabeller). "
                       "Gjenopprettingen erstatter alt innholdet.")
            try:
                confirmed = click.confirm("Vil du erstatte innholdet?", default=False)
            except click.Abort:
                confirmed = False
            if not confirmed:
                raise click.ClickException(
                    "Avbrutt: ingenting er endret. Bruk --yes for å gjenopprette over en "
                    "database som har data."
                )
        started = time.perf_counter()
        try:
            comparison = backup.restore(plan, url, db.metadata)
        except (backup.BackupError, OSError) as error:
            raise click.ClickException(str(error)) from None
    finally:
        plan.discard()
    db.engine.dispose()  # pooled connections may hold the old schema
    for line in comparison.lines():
        click.echo(line)
    if not comparison.ok:
        raise click.ClickException(
            f"{len(comparison.differences)} tabeller stemmer ikke med manifestet etter "
            "gjenopprettingen."
        )
    click.echo(f"Gjenopprettet på {time.perf_counter() - started:.2f} s; alle "
               f"{len(comparison.actual)} tabeller stemmer med manifestet.")
