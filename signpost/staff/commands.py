"""Command-line tasks for staff accounts: `users create`, `users sign-out-everywhere`, `users force-reset`, and
the demo staff accounts `demo load` prints."""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import AppGroup

from signpost.platform import accounts

users = AppGroup("users", help="Staff accounts.")

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


def load_demo_accounts() -> None:
    """One demo staff account per role, printed here and nowhere else."""
    click.echo("Demo staff accounts (for local demos only; passwords change on every `demo load`):")
    for role in accounts.ROLES:
        email = f"{role.replace('_', '-')}@{DEMO_DOMAIN}"
        password = secrets.token_urlsafe(12)
        accounts.create_or_update_user(email, role, password, replace=True)
        click.echo(f"  {role:<13} {email:<40} {password}")
