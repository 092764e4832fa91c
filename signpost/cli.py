"""Command-line tasks: `flask --app wsgi demo load`, `demo generate`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from signpost.platform.extensions import db

demo = AppGroup("demo", help="Demonstration and synthetic directory data.")


@demo.command("load")
def demo_load() -> None:
    """Replace the directory with the Hertfordshire demo listings."""
    from directory.loading import load_demo
    from signpost.staff.commands import load_demo_accounts
    from surveys.commands import load_demo_surveys

    count = load_demo()
    click.echo(f"Loaded {count} demo services.")
    load_demo_surveys()
    load_demo_accounts()
    db.session.commit()  # the command owns its transaction: all of the demo, or none of it


@demo.command("generate")
@click.option("--services", default=10_000, show_default=True, help="How many synthetic services.")
@click.option("--seed", default=1, show_default=True)
def demo_generate(services: int, seed: int) -> None:
    """Replace the directory with a large synthetic one (for benchmarks and scale tests)."""
    from directory.generator import generate
    from directory.loading import load_records

    count = load_records(generate(services, seed))
    db.session.commit()
    click.echo(f"Generated {count} synthetic services.")


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(destination: Path) -> None:
    """Copy the SQLite database to DESTINATION while the app keeps running."""
    from signpost.platform.backup import BackupError, backup

    try:
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {destination}.")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(backup_file: Path, yes: bool) -> None:
    """Replace the SQLite database with BACKUP_FILE (stop the app first)."""
    from signpost.platform.backup import BackupError, restore
    from signpost.platform.extensions import db

    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], backup_file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {backup_file}.")


def register_commands(app: Flask) -> None:
    from directory.oruk.commands import directory_cli
    from signpost.guides.commands import rates_cli
    from signpost.staff.commands import users
    from surveys.commands import surveys_cli

    app.cli.add_command(demo)
    app.cli.add_command(directory_cli)
    app.cli.add_command(users)
    app.cli.add_command(surveys_cli)
    app.cli.add_command(rates_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from signpost.privacy import data_cli

    app.cli.add_command(data_cli)
