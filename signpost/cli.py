"""Command-line tasks: `flask --app wsgi demo load`, `demo generate`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

demo = AppGroup("demo", help="Demonstration and synthetic directory data.")


@demo.command("load")
def demo_load() -> None:
    """Replace the directory with the Hertfordshire demo listings."""
    from directory.loading import load_demo

    count = load_demo()
    click.echo(f"Loaded {count} demo services.")


@demo.command("generate")
@click.option("--services", default=10_000, show_default=True, help="How many synthetic services.")
@click.option("--seed", default=1, show_default=True)
def demo_generate(services: int, seed: int) -> None:
    """Replace the directory with a large synthetic one (for benchmarks and scale tests)."""
    from directory.generator import generate
    from directory.loading import load_records

    count = load_records(generate(services, seed))
    click.echo(f"Generated {count} synthetic services.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo)
