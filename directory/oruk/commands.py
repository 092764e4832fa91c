"""`flask --app wsgi directory import-oruk | export-oruk | import-csv`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from directory.oruk.importing import BATCH_SIZE, ImportReport, export_oruk, import_oruk, import_records

directory_cli = AppGroup("directory", help="Import and export the directory (Open Referral UK 3.0, CSV).")
SHOWN_ERRORS = 20


def _report(report: ImportReport) -> None:
    click.echo(
        f"Imported {report.imported} services from {report.source} in {report.seconds:.1f}s "
        f"({report.unchanged} unchanged since the last import, skipped); "
        f"{report.failed} records could not be imported (import run {report.run_id})."
    )
    for entry in report.errors[:SHOWN_ERRORS]:
        where = ", ".join(f"{k} {v}" for k, v in entry.items() if k != "errors")
        click.echo(f"  {where}: {'; '.join(entry['errors'])}", err=True)
    if report.failed > SHOWN_ERRORS:
        click.echo(f"  … and {report.failed - SHOWN_ERRORS} more (see the import_run row).", err=True)
    if report.warnings:
        click.echo(f"{len(report.warnings)} records were kept with a value left out, such as:", err=True)
        for entry in report.warnings[:SHOWN_ERRORS]:
            click.echo(f"  record {entry['record']}: {'; '.join(entry['warnings'])}", err=True)
    if report.failed:
        sys.exit(1)


@directory_cli.command("import-oruk")
@click.argument("path_or_url")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, help="Services per committed transaction.")
@click.option("--modified-after", default=None, help="From an API: only services changed since (RFC 3339).")
def import_oruk_command(path_or_url: str, batch_size: int, modified_after: str | None) -> None:
    """Import services from an ORUK 3.0 or 1.0 JSON file (services or API pages) or an ORUK API's base URL."""
    try:
        report = import_oruk(path_or_url, batch_size, modified_after)
    except (OSError, ValueError) as error:
        raise click.ClickException(f"Could not read {path_or_url}: {error}") from None
    _report(report)


@directory_cli.command("import-csv")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, help="Services per committed transaction.")
def import_csv_command(path: str, batch_size: int) -> None:
    """Import services from the simple CSV spreadsheet (columns in the README)."""
    from directory.oruk.spreadsheet import records_from_csv

    try:
        report = import_records(records_from_csv(path), path, batch_size)
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"Could not read {path}: {error}") from None
    _report(report)


@directory_cli.command("export-oruk")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_oruk_command(path: str) -> None:
    """Write every listing that is not archived as a JSON list of fully nested ORUK services."""
    count = export_oruk(path)
    click.echo(f"Exported {count} services to {path}.")
