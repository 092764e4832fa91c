"""Command-line tasks for surveys: `surveys import-responses`, and the demo responses `demo load` adds."""

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


def load_demo_surveys() -> None:
    """Demo survey responses."""
    from surveys.demo import load_demo_responses

    click.echo(f"Loaded {load_demo_responses()} demo survey responses.")
