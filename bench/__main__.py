"""Search benchmarks on SQLite and PostgreSQL through the same function the pages use.

Builds synthetic directories with the generator, times keyword, keyword + postcode, typo and
filter-only searches, and beside them the floor: the database's bare full-text query and a Flask
route that does nothing. The last line printed is a JSON object (also saved under bench/results/).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from directory.generator import generate
from directory.loading import load_records
from directory.postcodes import locate
from directory.repository import Filters
from directory.search.backends import backend_for
from directory.search.engine import SearchRequest, search
from directory.search.query import Concept, ParsedQuery
from signpost import create_app
from signpost.config import normalise_database_url
from signpost.extensions import db

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(fn, repeat: int) -> dict[str, float]:
    fn()  # warm caches (lexicon, statement cache)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(samples), 3), "p95_ms": round(percentile(samples, 95), 3)}


def search_cases() -> dict[str, SearchRequest]:
    stevenage = locate("SG1 1AA")
    return {
        "keyword": SearchRequest(text="lunch club"),
        "keyword_postcode": SearchRequest(text="carers", place=stevenage),
        "typo": SearchRequest(text="demensia", place=stevenage),
        "filter_only": SearchRequest(filters=Filters(category="meals", free_only=True), place=stevenage),
    }


def reset(url: str) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def bench_database(name: str, url: str, sizes: list[int], repeat: int) -> dict:
    reset(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    out: dict = {"search": {}, "bare_fts": {}, "empty_route": {}, "search_page": {}}
    with app.app_context():
        upgrade()
        for size in sizes:
            started = time.perf_counter()
            load_records(generate(size, seed=7))
            load_s = time.perf_counter() - started
            cases = {case: timed(lambda r=request: search(r), repeat) for case, request in search_cases().items()}
            cases["load_s"] = round(load_s, 2)
            out["search"][str(size)] = cases
            clause = backend_for(db.engine.dialect.name).match_clause(
                ParsedQuery("lunch club", (Concept((("lunch", "club"), ("luncheon", "club"))),)), False
            )
            out["bare_fts"][str(size)] = timed(lambda c=clause: db.session.execute(c).all(), repeat)
            client = app.test_client()
            out["search_page"][str(size)] = timed(
                lambda c=client: c.get("/directory/search?q=carers&postcode=SG1+1AA"), max(10, repeat // 2)
            )
        client = app.test_client()
        out["empty_route"] = timed(lambda: client.get("/healthz"), repeat)
        db.session.remove()
        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = {}
    with tempfile.TemporaryDirectory() as tmp:
        databases["sqlite"] = f"sqlite:///{tmp}/bench.sqlite"
        if os.environ.get("TEST_DATABASE_URL"):
            databases["postgresql"] = normalise_database_url(os.environ["TEST_DATABASE_URL"])
        raw = {name: bench_database(name, url, sizes, args.repeat) for name, url in databases.items()}
    mid = str(10000 if 10000 in sizes else sizes[0])
    summary = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "search_p95_ms": {
            name: {
                size: max(case["p95_ms"] for key, case in cases.items() if key != "load_s")
                for size, cases in data["search"].items()
            }
            for name, data in raw.items()
        },
        "search_over_fts_ratio": {
            name: round(data["search"][mid]["keyword"]["median_ms"] / data["bare_fts"][mid]["median_ms"], 2)
            for name, data in raw.items()
        },
        "search_page_over_empty_route_ratio": {
            name: round(data["search_page"][mid]["median_ms"] / data["empty_route"]["median_ms"], 2)
            for name, data in raw.items()
        },
        "detail": raw,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
