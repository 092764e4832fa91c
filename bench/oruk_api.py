"""Time what a harvester asks of the ORUK API: `python -m bench.oruk_api --services 10000`.

Loads a synthetic directory (directory.generator) into DATABASE_URL (its public schema is reset on
PostgreSQL, so point it at a scratch database) and measures, through the Flask test client:
`/api/oruk/services?per_page=100`, `/api/oruk/service_at_locations?per_page=100` (p50 / p95), a full
export of every listing, `modified_after` re-syncs that each read and import 100 changed services, and an
import of a synthetic feed of the HSDS full example (every field, every valid BYDAY form).
Each is timed paired with its floors (an empty Flask route, and `SELECT id FROM service LIMIT 50`), sample by
sample, and reported with its ratio to them. PostgreSQL is vacuumed after loading (the steady state autovacuum
keeps). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select, text, update

from bench.__main__ import full_records_page, percentile, reset
from directory.generator import generate
from directory.loading import load_records
from directory.models import Service
from directory.oruk.importing import export_oruk, import_records
from signpost.app import create_app
from signpost.platform.config import normalise_database_url
from signpost.platform.extensions import db

EXAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "oruk" / "hsds" / "service_full.json"


LISTS = (
    ("services_per_page_50", "/api/oruk/services?per_page=50"),
    ("services_per_page_100", "/api/oruk/services?per_page=100"),
    ("services_full_per_page_50", "/api/oruk/services?per_page=50&full=true"),
    ("services_page_90_of_100", "/api/oruk/services?per_page=100&page=90"),
    ("services_search_per_page_100", "/api/oruk/services?per_page=100&search=lunch+club"),
    ("service_at_locations_per_page_100", "/api/oruk/service_at_locations?per_page=100"),
    ("service_at_locations_page_50_of_100", "/api/oruk/service_at_locations?per_page=100&page=50"),
    ("service_at_locations_search_per_page_100", "/api/oruk/service_at_locations?per_page=100&search=lunch+club"),
    ("organizations_per_page_100", "/api/oruk/organizations?per_page=100&page=20"),
    ("locations_per_page_100", "/api/oruk/locations?per_page=100&page=20"),
    ("taxonomy_terms_per_page_100", "/api/oruk/taxonomy_terms?per_page=100"),
)
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
BYDAY_FORMS = [
    *DAYS,
    "MO,WE,FR",
    "mo,tu",
    *(f"{n}{day}" for n in (1, 2, 3, 4, 5, -1, -2, -3, -4, -5, "+1", "+2") for day in ("MO", "WE", "SU")),
    "1MO,3MO",
    "2WE,-1FR",
    "+53MO",
]


def synthetic_feed(count: int) -> list[dict]:
    """`count` copies of the HSDS 3.0 full example (every field HSDS has), each with its own ids, a different
    BYDAY form, and the awkward values other publishers send."""
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    feed = []
    for n in range(count):
        record = json.loads(json.dumps(base))

        def fresh(value, n=n):
            """New ids for everything but taxonomy terms (a feed names the same term by the same id)."""
            if isinstance(value, list):
                return [fresh(item) for item in value]
            if not isinstance(value, dict):
                return value
            renewed = {}
            for key, item in value.items():
                if key == "id":
                    renewed[key] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{n}:{item}"))
                else:
                    renewed[key] = item if key == "taxonomy_term" else fresh(item)
            return renewed

        record = fresh(record)
        schedule = record["schedules"][0]
        schedule |= {"byday": BYDAY_FORMS[n % len(BYDAY_FORMS)], "freq": "MONTHLY" if n % 2 else "WEEKLY",
                     "interval": 1 + n % 3, "closes_at": "24:00" if n % 5 == 0 else "18:00:00"}  # fmt: skip
        record["last_modified"] = "2026-05-31t10:00:00.5z" if n % 3 == 0 else "2026-05-31T11:00:00+01:00"
        record["email"] = f"service{n}@example.org\u00a0"
        record["description"] = "Long text. " * 2500
        record["languages"] = [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{n}:language"))}]
        record["name"] = f"Service {n} " + "with a long name " * 20
        feed.append(record)
    return feed


def paired(case, floors: dict, repeat: int) -> dict:
    """Time `case` with each floor run just before it, sample by sample, so a busy machine slows both alike:
    median and p95 of each, and the case's median over each floor's median."""
    samples: dict[str, list[float]] = {"case": [], **{name: [] for name in floors}}
    case()
    for _ in range(repeat):
        for name, fn in [*floors.items(), ("case", case)]:
            started = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - started) * 1000)
    case_samples = samples["case"]
    out = {"median_ms": round(statistics.median(case_samples), 2), "p95_ms": round(percentile(case_samples, 95), 2)}
    for name in floors:
        floor = statistics.median(samples[name])
        out[f"{name}_median_ms"] = round(floor, 3)
        out[f"over_{name}"] = round(out["median_ms"] / floor, 1)
    return out


def time_synthetic_import(services: int) -> dict:
    """Import `services` copies of the HSDS full example, every BYDAY form among them (see `synthetic_feed`)."""
    feed = synthetic_feed(services)
    report = import_records(feed, "synthetic")
    return {"services": services, "imported": report.imported, "failed": report.failed,
            "seconds": round(report.seconds, 2)}  # fmt: skip


def time_resync(client, day: int) -> dict:
    """Change 100 services (their last_modified, a day ahead), then do what a harvester's re-sync does: read
    the page of services modified since, fetch each, and import them."""
    since = datetime.now(UTC) + timedelta(days=day)
    changed = list(db.session.scalars(select(Service.id).order_by(Service.id).offset(100 * day).limit(100)))
    db.session.execute(update(Service).where(Service.id.in_(changed)).values(last_modified=since))
    db.session.commit()
    started, cpu = time.perf_counter(), time.process_time()
    stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    page = client.get(f"/api/oruk/services?modified_after={stamp}&per_page=1000").get_json()
    records = [client.get(f"/api/oruk/services/{item['id']}").get_json() for item in page["contents"]]
    report = import_records(records, "re-sync")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert (page["total_items"], report.imported, report.failed) == (100, 100, 0), (page["total_items"], report)
    return {"seconds": seconds, "cpu_seconds": cpu, "load_average": os.getloadavg()[0]}


def time_resyncs(client, runs: int) -> dict:
    """`runs` re-syncs of 100 changed services (a different 100 each time): median, p95 and fastest, and the
    median CPU time this process spent (the rest is waiting for the database, or for a core on a busy machine)."""
    samples = [time_resync(client, day) for day in range(1, runs + 1)]
    seconds = [sample["seconds"] for sample in samples]
    return {
        "changed": 100,
        "runs": runs,
        "median_seconds": round(statistics.median(seconds), 2),
        "p95_seconds": round(percentile(seconds, 95), 2),
        "fastest_seconds": round(min(seconds), 2),
        "median_cpu_seconds": round(statistics.median(sample["cpu_seconds"] for sample in samples), 2),
        "load_average": max(sample["load_average"] for sample in samples),
    }


def measure(url: str, services: int, repeat: int, synthetic: bool = True, resyncs: int = 5) -> dict:
    reset(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    out: dict = {"services": services, "database": url.split(":", 1)[0]}
    with app.app_context():
        upgrade()
        load_records(generate(services, seed=7))
        db.session.commit()
        if url.startswith("postgresql"):  # the steady state autovacuum keeps (index-only scans need it)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        client = app.test_client()
        bare = text("SELECT id FROM service LIMIT 50")
        floors = {
            "empty_route": lambda: client.get("/healthz"),
            "bare_select_50": lambda: db.session.execute(bare).all(),
        }
        cases = {name: (lambda p=path: client.get(p)) for name, path in LISTS}
        cases["full_records_50"] = full_records_page
        for _name, path in LISTS:
            assert client.get(path).status_code == 200, path
        out["lists"] = {name: paired(case, floors, repeat) for name, case in cases.items()}
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            exported = export_oruk(Path(folder) / "all.json")
            seconds = round(time.perf_counter() - started, 2)
            out["full_export"] = {"services": exported, "seconds": seconds, "load_average": os.getloadavg()[0]}
        out["modified_after_resync"] = time_resyncs(client, resyncs)
        if synthetic:
            out["synthetic_import"] = time_synthetic_import(services)
        db.session.remove()
        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--no-synthetic", action="store_true", help="leave out the synthetic full-example import")
    parser.add_argument("--resyncs", type=int, default=5, help="re-syncs of 100 changed services to time")
    args = parser.parse_args()
    url = normalise_database_url(os.environ["DATABASE_URL"])
    out = measure(url, args.services, args.repeat, synthetic=not args.no_synthetic, resyncs=args.resyncs)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
