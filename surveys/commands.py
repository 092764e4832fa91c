"""Command-line tasks for surveys: `surveys import-responses`, `surveys send-due`, and the demo responses
`demo load` adds."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from signpost.platform.extensions import db

surveys_cli = AppGroup("surveys", help="Your Views survey responses.")


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
    db.session.commit()
    click.echo(f"Imported {report.imported} responses.")


@surveys_cli.command("send-due")
def send_due_command() -> None:
    """Send the survey invitations that are due (SURVEY_DELAY_DAYS after each call); run it from cron.

    Safe to run again or twice at once: each invitation goes out exactly once. A message Notify refuses is
    left due and tried again on the next run.
    """
    from flask import current_app

    from signpost.platform.urls import absolute_url_for
    from surveys.signposting import send_due_invitations

    def survey_url(token: str) -> str:
        return absolute_url_for("your_views.start", token=token)

    if current_app.config.get("SERVER_NAME"):
        report = send_due_invitations(survey_url)
    else:
        click.echo("SERVER_NAME is not set: the links will point at localhost.", err=True)
        with current_app.test_request_context("/"):
            report = send_due_invitations(survey_url)
    db.session.commit()
    click.echo(f"Sent {report['sent']} survey invitations; {report['failed']} refused, to be tried again.")


def load_demo_surveys() -> None:
    """Demo survey responses."""
    from surveys.demo import load_demo_responses

    click.echo(f"Loaded {load_demo_responses()} demo survey responses.")
