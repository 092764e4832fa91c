"""Command-line tasks for staff accounts and surveys: `users create`, `surveys import-responses`, demo data."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from signpost.platform import accounts

users = AppGroup("users", help="Staff accounts.")
surveys_cli = AppGroup("surveys", help="Your Views survey responses.")

DEMO_DOMAIN = "demo.signpost.invalid"


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(accounts.ROLES), help="What the account may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
def users_create(email: str, role: str, password_stdin: bool) -> None:
    """Create a staff account with a hashed password."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_or_update_user(email, role, password)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    from signpost.platform import audit

    audit.record("user.created", user.id)
    click.echo(f"Created {user.email} ({user.role}).")


@users.command("sign-out-everywhere")
@click.argument("email")
def users_sign_out_everywhere(email: str) -> None:
    """End every session of one staff account at once (a lost laptop, a leaver, a suspected break-in)."""
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"there is no account for {email}")
    from signpost.platform import audit, staff_sessions

    ended = staff_sessions.end_all(user.id)
    audit.record("user.signed_out_everywhere", user.id)
    click.echo(f"Ended {ended} session(s) for {user.email}.")


@users.command("force-reset")
@click.argument("email")
def users_force_reset(email: str) -> None:
    """End every session of an account and make its next sign-in choose a new password."""
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"there is no account for {email}")
    from signpost.platform import audit

    ended = accounts.require_password_reset(user)
    audit.record("user.password_reset_required", user.id)
    click.echo(f"{user.email} must choose a new password at next sign-in; ended {ended} session(s).")


@surveys_cli.command("import-responses")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_responses_command(file: Path) -> None:
    """Import signposting survey returns from CSV (all rows or none)."""
    from surveys.importing import import_responses

    report = import_responses(file)
    if report.errors:
        for error in report.errors[:200]:
            click.echo(error, err=True)
        if len(report.errors) > 200:
            click.echo(f"… and {len(report.errors) - 200} more problems", err=True)
        raise click.ClickException(f"Nothing was imported: {len(report.errors)} problem(s) found.")
    click.echo(f"Imported {report.imported} responses.")


def load_demo_surveys() -> None:
    """Demo survey responses plus one demo staff account per role, printed here and nowhere else."""
    from surveys.demo import load_demo_responses

    click.echo(f"Loaded {load_demo_responses()} demo survey responses.")
    click.echo("Demo staff accounts (for local demos only; passwords change on every `demo load`):")
    for role in accounts.ROLES:
        email = f"{role.replace('_', '-')}@{DEMO_DOMAIN}"
        password = secrets.token_urlsafe(12)
        accounts.create_or_update_user(email, role, password, replace=True)
        click.echo(f"  {role:<13} {email:<40} {password}")
