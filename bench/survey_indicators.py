"""Indicator query time on 1,000,000 survey responses, SQLite and PostgreSQL.

    .venv/bin/python -m bench.survey_indicators [--responses 1000000] [--postgres postgresql://…]

Builds a fresh database per backend (the PostgreSQL one's public schema is reset, so point it at a scratch
database), inserts the responses and their answers with executemany, then times the same call the dashboard
and the API make (``surveys.reporting.result`` over three years, which runs one GROUP BY query) and the
quarterly trend. Prints medians in milliseconds as JSON.
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
from sqlalchemy import create_engine, insert, text

from signpost import create_app
from signpost.config import normalise_database_url
from signpost.extensions import db
from surveys import reporting
from surveys.models import SurveyAnswer, SurveyResponse
from surveys.repository import Scope

DISTRICTS = ("Broxbourne", "Dacorum", "Hertsmere", "Stevenage", "Watford", "St Albans")
CODES = ("very_helpful", "quite_helpful", "quite_unhelpful", "very_unhelpful", "not_contacted")
TYPES = ("voluntary", "statutory", "private")


def fill(total: int, batch: int = 20_000) -> float:
    rng = random.Random(1)
    start_day = date.today() - timedelta(days=1095)
    started = time.perf_counter()
    for first in range(1, total + 1, batch):
        responses, answers = [], []
        for response_id in range(first, min(first + batch, total + 1)):
            responses.append(
                {
                    "id": response_id,
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
            answers.append({"response_id": response_id, "question_id": "helpfulness", "code": rng.choice(CODES)})
            if rng.random() < 0.85:
                answers.append({"response_id": response_id, "question_id": "information_ease", "code": "fairly_easy"})
        db.session.execute(insert(SurveyResponse), responses)
        db.session.execute(insert(SurveyAnswer), answers)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('survey_response_id_seq', :n)"), {"n": total})
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return time.perf_counter() - started


def median_ms(fn, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def run(url: str, total: int, repeat: int) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_seconds = fill(total)
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
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        results["sqlite"] = run(f"sqlite:///{directory}/bench.sqlite", args.responses, args.repeat)
    if args.postgres:
        url = normalise_database_url(args.postgres)
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        results["postgresql"] = run(url, args.responses, args.repeat)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
