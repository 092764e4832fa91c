"""Search timings only: every kind of query `make bench` times (`bench.__main__.search_cases`) through
`directory.search.engine.search`, beside the floor it prints (the database's bare full-text query for the
keyword case), at one directory size.

    TEST_DATABASE_URL=postgresql://... python -m bench.search_speed --services 10000
"""

from __future__ import annotations

import argparse
import json
import os

from flask_migrate import upgrade

from bench.__main__ import LUNCH_CLUB, floor_match_rank, reset, search_cases, timed, uncached_search
from directory.generator import generate
from directory.loading import load_records
from directory.models import SearchDocument
from directory.search.backends import backend_for
from signpost.app import create_app
from signpost.platform.config import normalise_database_url
from signpost.platform.extensions import db


def run(url: str, services: int, repeat: int) -> dict:
    reset(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_records(generate(services, seed=7))
        db.session.commit()
        backend = backend_for(db.engine.dialect.name)
        bare = backend.scored_documents(len(LUNCH_CLUB.concepts)).add_columns(SearchDocument.service_id)
        words = backend.parameters(LUNCH_CLUB)
        out = {"floor_bare_fts_keyword": timed(lambda: db.session.execute(bare, words).all(), repeat)}
        out["floor_match_rank_20"] = floor_match_rank(repeat)
        for name, request in search_cases().items():
            out[name] = timed(lambda r=request: uncached_search(r), repeat)
            out[name]["over_floor"] = round(out[name]["median_ms"] / out["floor_bare_fts_keyword"]["median_ms"], 2)
        db.session.remove()
        db.engine.dispose()
    reset(url)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    url = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    print(json.dumps({"services": args.services, "load": os.getloadavg(), **run(url, args.services, args.repeat)}))


if __name__ == "__main__":
    main()
