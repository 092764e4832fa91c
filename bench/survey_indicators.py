"""Indicator query time on 1,000,000 survey responses, SQLite and PostgreSQL.

    .venv/bin/python -m bench.survey_indicators [--responses 1000000] [--postgres postgresql://…]

Builds a fresh database per backend (the PostgreSQL one's public schema is reset, so point it at a scratch
database), stores the responses and their answers through ``repository.add_responses`` (executemany), runs
what autovacuum would after a bulk load (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite; ``--no-vacuum``
skips the VACUUM), then times the same call the dashboard and the API make (``surveys.reporting.result`` over
three years, which runs two index-only counts) and the quarterly trend. Prints medians in milliseconds as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from signpost.app import create_app
from signpost.platform.config import normalise_database_url
from signpost.platform.extensions import db
from surveys import reporting, repository
from surveys.repository import Scope

DISTRICTS = ("Broxbourne", "Dacorum", "Hertsmere", "Stevenage", "Watford", "St Albans")
CODES = ("very_helpful", "quite_helpful", "quite_unhelpful", "very_unhelpful", "not_contacted")
TYPES = ("voluntary", "statutory", "private")


def fill(total: int, batch: int = 20_000) -> float:
    """Store ``total`` responses through ``repository.add_responses``, the path every real response takes."""
    rng = random.Random(1)
    start_day = date.today() - timedelta(days=1095)
    started = time.perf_counter()
    for first in range(0, total, batch):
        responses, answers = [], []
        for _ in range(first, min(first + batch, total)):
            responses.append(
                {
                    "survey_id": "signposting",
                    "survey_version": 1,
                    "submitted_on": start_day + timedelta(days=rng.randrange(1095)),
                    "source": "online",
                    "district": rng.choice(DISTRICTS),
                    "organisation_type": rng.choice(TYPES),
                    "organisation_id": f"org-{rng.randrange(300)}",
                    "is_demo": False,
                }
            )
            these = [{"question_id": "helpfulness", "code": rng.choice(CODES), "text": None}]
            if rng.random() < 0.85:
                these.append({"question_id": "information_ease", "code": "fairly_easy", "text": None})
            answers.append(these)
        repository.add_responses(responses, answers)
        db.session.commit()  # the benchmark owns its transaction, as a command does
    return time.perf_counter() - started


def settle(vacuum: bool) -> None:
    """What a deployment's autovacuum does after a bulk load: ANALYZE (statistics for the planner) and, on
    PostgreSQL, VACUUM, which marks pages all-visible so index-only scans need not visit the table."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        vacuum_first = vacuum and db.engine.dialect.name == "postgresql"
        connection.execute(text("VACUUM ANALYZE" if vacuum_first else "ANALYZE"))


def median_ms(fn, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def run(url: str, total: int, repeat: int, vacuum: bool = True) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_seconds = fill(total)
        settle(vacuum)
        indicator = reporting.survey("signposting").indicator("0.3")
        voluntary = reporting.survey("signposting").indicator("1.2")
        scope = Scope(date.today() - timedelta(days=1095), date.today())
        return {
            "responses": total,
            "load_seconds": round(load_seconds, 1),
            "indicator_0_3_ms": median_ms(lambda: reporting.result(indicator, scope), repeat),
            "indicator_1_2_ms": median_ms(lambda: reporting.result(voluntary, scope), repeat),
            "indicator_0_3_one_district_ms": median_ms(
                lambda: reporting.result(indicator, Scope(scope.date_from, scope.date_to, "Watford")), repeat
            ),
            "trend_by_quarter_ms": median_ms(lambda: reporting.trend(indicator, scope), repeat),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--no-vacuum", action="store_true", help="only ANALYZE after loading, no VACUUM")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        results["sqlite"] = run(f"sqlite:///{directory}/bench.sqlite", args.responses, args.repeat, not args.no_vacuum)
    if args.postgres:
        url = normalise_database_url(args.postgres)
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        results["postgresql"] = run(url, args.responses, args.repeat, not args.no_vacuum)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
