"""`flask --app wsgi rates check`: is every figure the rules need confirmed for this tax year and the next?

A new year's figures arrive as one reviewed change to `signpost/guides/data/charging_rates.json`; this command
says what that change still lacks (see the README, "Adding a tax year's figures").
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from signpost.guides.in_force import guide_date
from signpost.guides.rates import DATA_FILE, check_year, load_table, tax_year_bounds, tax_year_containing

rates_cli = AppGroup("rates", help="Care Act charging and benefit figures by tax year.")

STATUS = {"P": "primary", "S": "secondary, quoting the official figure"}


@rates_cli.command("check")
@click.option("--year", "years", multiple=True, help="A tax year like 2026-27 (default: this one and the next).")
def rates_check(years: tuple[str, ...]) -> None:
    """List every figure the rules need, with its status and source; exit 1 if any is missing or unconfirmed."""
    from flask import current_app

    path = current_app.config.get("CHARGING_RATES_FILE") or DATA_FILE
    table = load_table(path)
    if not years:
        this_year = tax_year_containing(guide_date())
        next_start = tax_year_bounds(this_year)[1].replace(day=6)
        years = (this_year, tax_year_containing(next_start))
    problems = 0
    for label in years:
        try:
            tax_year_bounds(label)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--year") from None
        checks = check_year(label, table)
        unconfirmed = [check for check in checks if check.problem]
        problems += len(unconfirmed)
        click.echo(f"{label}: {len(checks) - len(unconfirmed)} of {len(checks)} figures confirmed")
        for check in checks:
            figure = check.figure
            mark = "  ok " if check.problem is None else "  !! "
            if figure is None:
                click.echo(f"{mark}{check.key}: {check.problem}")
                continue
            status = STATUS.get(figure.status, figure.status)
            line = f"{mark}{check.key} = {figure.amount} ({figure.tax_year}, {status}): {figure.source}"
            if figure.url:
                line += f" <{figure.url}>"
            click.echo(line)
            if check.problem:
                click.echo(f"       {check.problem}")
    if problems:
        click.echo(f"{problems} figure(s) missing or not confirmed for the year asked about.", err=True)
        raise SystemExit(1)
    click.echo("Every figure is confirmed.")
