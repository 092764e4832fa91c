"""`make bench`: the benchmark suite. Prints one JSON object (last line) and saves it in bench/results/.

On SQLite (a temporary file) and on PostgreSQL (TEST_DATABASE_URL; its public schema is reset, so point
it at a scratch database) it measures, with synthetic data from the directory generator:
- search through `directory.search.engine.search` (what the pages and APIs call): every kind of query
  (`search_cases`: keyword, keyword + postcode on a common and a rare word, typo, filter only, a need in plain
  words with and without a postcode, another language), at each directory size; beside it the floor, the database's bare
  full-text query and a Flask route that does nothing, and the search page itself;
- indicator computation over N survey responses (bench.survey_indicators);
- importing a 10,000-service ORUK feed (bench.oruk_import); a page of 50 from `/api/oruk/services`, and 50
  fully nested service records (what a feed consumer or an export reads);
- peak RSS of one gunicorn worker serving the largest directory, and page weight (bench.serving);
- the page budget (bench.pages): home, search, service, guide question, "Ask us" and dashboard, whole
  requests beside an empty route, with the demo directory and at 10,000 services.
Medians and 95th percentiles; the machine has 2 noisy cores, so read ratios as well as times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from bench import oruk_import, pages, serving, survey_indicators
from directory.generator import generate
from directory.loading import load_records
from directory.models import SearchDocument, Service
from directory.oruk import serialise
from directory.postcodes import locate
from directory.repository import Filters, full_service_views
from directory.search import languages
from directory.search.backends import backend_for
from directory.search.engine import SearchRequest, search
from directory.search.query import Concept, ParsedQuery
from signpost.app import create_app
from signpost.platform.config import normalise_database_url
from signpost.platform.extensions import db

RESULTS_DIR = Path(__file__).resolve().parent / "results"


# The keyword case's words as the search understands them, for the bare full-text query beside it.
LUNCH_CLUB = ParsedQuery("lunch club", (Concept((("lunch", "club"), ("luncheon", "club"))),))


# The independent floor: the database's own full-text match and rank of the words, the best 20, nothing else
# (no synonyms, fields, distance or filters), for an ordinary and a common word.
FLOOR_WORDS = {"lunch_club": ('"lunch club"', "lunch <-> club"), "carers": ("carers", "carers")}
FLOOR_SQL = {
    "sqlite": "SELECT rowid FROM service_fts WHERE service_fts MATCH :words ORDER BY bm25(service_fts) LIMIT 20",
    "postgresql": "SELECT id FROM search_document WHERE document @@ to_tsquery('english', :words) "
    "ORDER BY ts_rank(document, to_tsquery('english', :words)) DESC LIMIT 20",
}


def floor_match_rank(repeat: int) -> dict:
    dialect = db.engine.dialect.name
    statement = text(FLOOR_SQL[dialect])
    return {
        name: timed(
            lambda w=(fts5 if dialect == "sqlite" else tsquery): db.session.execute(statement, {"words": w}).all(),
            repeat,
        )
        for name, (fts5, tsquery) in FLOOR_WORDS.items()
    }


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def timed(fn, repeat: int) -> dict[str, float]:
    fn()  # warm caches (lexicon, statement cache)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(samples), 3), "p95_ms": round(percentile(samples, 95), 3)}


def search_cases() -> dict[str, SearchRequest]:
    """Every kind of query the search answers. "carers" is a common word (about 12% of the listings); a need in plain
    words names no need the synonym data knows, so the model embeds it ("live" is in almost every listing); the
    non-English one (Arabic) is embedded and translated. Each repetition embeds afresh (`uncached_search`)."""
    stevenage = locate("SG1 1AA")
    return {
        "keyword": SearchRequest(text="lunch club"),
        "keyword_postcode": SearchRequest(text="carers", place=stevenage),
        "keyword_postcode_rare": SearchRequest(text="lunch club", place=stevenage),
        "typo": SearchRequest(text="demensia", place=stevenage),
        "filter_only": SearchRequest(filters=Filters(category="meals", free_only=True), place=stevenage),
        "need": SearchRequest(text="my mum is lonely since dad died and needs company"),
        "need_plain_words": SearchRequest(text="live in fear of my partner"),
        "need_plain_words_postcode": SearchRequest(text="live in fear of my partner", place=stevenage),
        "language": SearchRequest(text="نادي الغداء"),  # Arabic: lunch club
    }


def uncached_search(request: SearchRequest):
    """A search as a different person's would be: its words embedded afresh, not taken from the small cache of
    embedded queries (which would flatter a benchmark that repeats one query)."""
    languages._embedded.cache_clear()
    return search(request)


def medians(raw: dict, key: str) -> dict:
    return {name: {size: c["median_ms"] for size, c in data[key].items()} for name, data in raw.items()}


def full_records_page() -> None:
    """A page of 50 fully nested ORUK service records, as a feed consumer or an export reads them."""
    ids = [hit.service_id for hit in search(SearchRequest(per_page=50)).hits]
    names = serialise.taxonomy_names()
    json.dumps([serialise.service_full(service, names) for service in full_service_views(ids)])


def reset(url: str) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def bench_search(url: str, sizes: list[int], repeat: int) -> dict:
    reset(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    out: dict = {
        "search": {},
        "bare_fts": {},
        "floor_match_rank_20": {},
        "search_page": {},
        "oruk_services_page_50": {},
        "oruk_full_records_50": {},
        "import": None,
        "serving": None,
    }
    with app.app_context():
        upgrade()
        client = app.test_client()
        backend = backend_for(db.engine.dialect.name)
        bare = backend.scored_documents(len(LUNCH_CLUB.concepts)).add_columns(SearchDocument.service_id)
        words = backend.parameters(LUNCH_CLUB)
        for size in sizes:
            started = time.perf_counter()
            load_records(generate(size, seed=7))
            db.session.commit()
            cases = {name: timed(lambda r=r: uncached_search(r), repeat) for name, r in search_cases().items()}
            cases["load_s"] = round(time.perf_counter() - started, 2)
            out["search"][str(size)] = cases
            out["bare_fts"][str(size)] = timed(lambda: db.session.execute(bare, words).all(), repeat)
            out["floor_match_rank_20"][str(size)] = floor_match_rank(repeat)
            out["search_page"][str(size)] = timed(
                lambda: client.get("/directory/search?q=lunch+club"), max(10, repeat // 2)
            )
            out["oruk_services_page_50"][str(size)] = timed(
                lambda: client.get("/api/oruk/services?per_page=50"), max(10, repeat // 2)
            )
            out["oruk_full_records_50"][str(size)] = timed(full_records_page, max(10, repeat // 2))
        out["empty_route"] = timed(lambda: client.get("/healthz"), repeat)
        service_id = db.session.scalar(select(Service.id).limit(1))
        db.session.remove()
    out["serving"] = serving.worker_rss_and_page_weight(url, service_id)
    with app.app_context():
        out["import"] = oruk_import.time_import(10_000)
        db.session.remove()
        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    load_at_start = os.getloadavg()
    raw: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        databases = {"sqlite": f"sqlite:///{tmp}/bench.sqlite"}
        if os.environ.get("TEST_DATABASE_URL"):
            databases["postgresql"] = normalise_database_url(os.environ["TEST_DATABASE_URL"])
        for name, url in databases.items():
            raw[name] = bench_search(url, sizes, args.repeat)
            reset(url)
            if name == "sqlite":
                url = f"sqlite:///{tmp}/indicators.sqlite"
            raw[name]["indicators"] = survey_indicators.run(url, args.responses, repeat=7)
        mid = str(10000 if 10000 in sizes else sizes[-1])
        for name, url in databases.items():
            raw[name]["pages"] = {}
            for scale, services in (("demo", None), (mid, int(mid))):
                where = f"sqlite:///{tmp}/pages-{scale}.sqlite" if name == "sqlite" else url
                raw[name]["pages"][scale] = pages.run(where, services, max(20, args.repeat))
            reset(url)
    largest = raw.get("postgresql", raw["sqlite"])
    summary = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        # 1, 5 and 15-minute load averages: other work on the machine inflates every time here.
        "load_average": {"start": load_at_start, "end": os.getloadavg()},
        "search_p95_ms": {
            name: {
                size: max(c["p95_ms"] for k, c in cases.items() if k != "load_s")
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
        "pages_ms": {
            name: {
                scale: {
                    page: {key: c[key] for key in ("median_ms", "p95_ms", "over_empty_route")}
                    for page, c in figures.items()
                }
                for scale, figures in data["pages"].items()
            }
            for name, data in raw.items()
        },
        "indicators_ms": {
            name: {str(args.responses): data["indicators"]["indicator_0_3_ms"]} for name, data in raw.items()
        },
        "import_10000_s": {name: data["import"]["seconds"] for name, data in raw.items()},
        "oruk_services_page_50_ms": medians(raw, "oruk_services_page_50"),
        "oruk_full_records_50_ms": medians(raw, "oruk_full_records_50"),
        "worker_rss_mb": largest["serving"]["worker_rss_mb"],
        "search_page_bytes": largest["serving"]["page_bytes"]["search"],
        "page_bytes": largest["serving"]["page_bytes"],
        "detail": raw,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
