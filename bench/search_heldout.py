"""`python -m bench.search_heldout`: judged search queries through `directory.search.engine.search`.

HELD-OUT: tests/data/heldout/search_heldout_v4.csv (``--set v3`` for v3) is measured here and never tuned on
(see its README).
``--dev`` runs the development sets (tests/data/dev/search_dev.csv, and search_dev_v1_heldout.csv and
search_dev_v2_heldout.csv, the first two held-out sets, each measured before and after a round of tuning and so
development data now), which is what tuning may look at.

Each query runs as the search page in its language runs it (`directory.views.search_in_language`, the one path of
the page and of GET /api/v1/search?lang=, over `directory.search.engine.search`). The demo directory is loaded
into a fresh SQLite database (a temporary file). Reported by kind and by
language: recall@5 (relevant services in the top five, over min(5, relevant)), hit@5 (any relevant in
the top five) and MRR (first relevant). A `nomatch` query, or one with no relevant services (an
out-of-county postcode), scores 1 on all three when it is answered empty and 0 otherwise.

Beside Signpost, a peer as the floor to beat: plain Okapi BM25 (k1 1.2, b 0.75) over each listing's
name, categories and body (the search row's text, name repeated 3 times and categories twice as field
weights), with Signpost's tokeniser (`query.words`) and stopwords and no synonyms, stemming or distance.
(bm25s and python3-xapian are not installed, so the floor is written here.)
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
HELDOUT_SETS = {name: DATA / "heldout" / f"search_heldout_{name}.csv" for name in ("v3", "v4")}
HELDOUT = HELDOUT_SETS["v4"]  # the newest; v3 was measured before and after the first round of 2026-12-04
DEV = (
    DATA / "dev" / "search_dev.csv",
    DATA / "dev" / "search_dev_v1_heldout.csv",
    DATA / "dev" / "search_dev_v2_heldout.csv",  # held-out v2 until measured before and after session 5's tuning
)
TOP = 5


def rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {**row, "relevant": [k for k in row["relevant_keys"].split(";") if k.strip()]}
            for row in csv.DictReader(handle)
        ]


def scores(found: list[str], relevant: list[str]) -> tuple[float, float, float]:
    """(recall@5, hit@5, reciprocal rank) of one answer."""
    if not relevant:
        ok = float(not found)
        return ok, ok, ok
    top = found[:TOP]
    got = len(set(top) & set(relevant))
    rank = next((i for i, key in enumerate(found) if key in relevant), None)
    return got / min(TOP, len(relevant)), float(got > 0), 0.0 if rank is None else 1.0 / (rank + 1)


class Bm25:
    """Okapi BM25 over the search rows' text: the floor."""

    def __init__(self, documents: dict[str, str], stopwords: frozenset[str], k1: float = 1.2, b: float = 0.75):
        from directory.search.query import words

        self.words, self.stop, self.k1, self.b = words, stopwords, k1, b
        self.tf = {key: Counter(w for w in words(text) if w not in stopwords) for key, text in documents.items()}
        self.length = {key: sum(tf.values()) for key, tf in self.tf.items()}
        self.average = statistics.fmean(self.length.values())
        df = Counter(w for tf in self.tf.values() for w in tf)
        n = len(self.tf)
        self.idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}

    def search(self, text: str) -> list[str]:
        terms = [w for w in self.words(text) if w not in self.stop and w in self.idf]
        scored = []
        for key, tf in self.tf.items():
            norm = self.k1 * (1 - self.b + self.b * self.length[key] / self.average)
            score = sum(self.idf[w] * tf[w] * (self.k1 + 1) / (tf[w] + norm) for w in terms if w in tf)
            if score > 0:
                scored.append((-score, key))
        return [key for _score, key in sorted(scored)]


def place_of(postcode: str):
    from directory.postcodes import PostcodeError, locate

    if not postcode.strip():
        return None
    try:
        return locate(postcode)
    except PostcodeError:
        return None


def report(name: str, results: list[tuple[dict, tuple[float, float, float]]]) -> None:
    def line(label: str, group: list[tuple[float, float, float]]) -> str:
        r, h, m = (statistics.fmean(x[i] for x in group) for i in range(3))
        return f"  {label:<14} n={len(group):>3}  recall@5 {r:.3f}  hit@5 {h:.3f}  MRR {m:.3f}"

    print(f"{name}")
    print(line("all", [s for _row, s in results]))
    for field in ("kind", "lang"):
        groups = defaultdict(list)
        for row, s in results:
            groups[row[field]].append(s)
        for label in sorted(groups):
            print(line(f"{field}={label}", groups[label]))
    english = [s for row, s in results if row["lang"] == "en"]
    other = [s for row, s in results if row["lang"] != "en"]
    print(line("English", english))
    if other:
        print(line("other langs", other))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="the development set instead of the held-out set")
    parser.add_argument("--show", action="store_true", help="print each query that misses")
    parser.add_argument("--set", choices=sorted(HELDOUT_SETS), default="v4", help="which held-out set")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade
    from sqlalchemy import select

    from directory.loading import load_demo, stable_id
    from directory.models import SearchDocument
    from directory.search.engine import SearchRequest, search
    from directory.search.query import base_lexicon
    from directory.views import search_in_language
    from signpost.app import create_app
    from signpost.platform.extensions import db

    rows = [row for path in DEV for row in rows_of(path)] if args.dev else rows_of(HELDOUT_SETS[args.set])
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/search-heldout.sqlite",
                "SECRET_KEY": "bench",
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
        with app.app_context():
            upgrade()
            load_demo()
            db.session.commit()
            import json

            from directory.loading import DEMO_FILE

            keys = {stable_id("service", s["key"]): s["key"] for s in json.loads(DEMO_FILE.read_text())["services"]}
            documents = {
                keys[doc.service_id]: " ".join([doc.name] * 3 + [doc.categories] * 2 + [doc.body])
                for doc in db.session.scalars(select(SearchDocument).where(SearchDocument.active.is_(True)))
            }
            peer = Bm25(documents, base_lexicon().stopwords)
            search(SearchRequest(text="warm up"))
            ours, floor, times = [], [], []
            for row in rows:
                place = place_of(row["postcode"])
                start = time.perf_counter()
                # As the search page in the query's language shows it (and GET /api/v1/search?lang=).
                found, _category = search_in_language(
                    SearchRequest(text=row["query"], place=place, per_page=TOP), row["lang"]
                )
                times.append((row["kind"], (time.perf_counter() - start) * 1000))
                got = [keys[hit.service_id] for hit in found.hits]
                ours.append((row, scores(got, row["relevant"])))
                floor.append((row, scores(peer.search(row["query"]), row["relevant"])))
                if args.show and ours[-1][1][0] < 1:
                    print(f"MISS {row['kind']}/{row['lang']} {row['query']!r} {row['postcode']}: got {got}")
                    print(f"     wanted {row['relevant']}")
    which = "development" if args.dev else "HELD-OUT"
    report(f"Signpost search ({which} set, {len(rows)} queries)", ours)
    report("BM25 floor (Okapi, same tokeniser, no synonyms)", floor)
    by_kind = defaultdict(list)
    for kind, ms in times:
        by_kind["all"].append(ms)
        by_kind[kind].append(ms)
    print("search time ms (SQLite, demo directory, one run each; the first foreign query loads the model):")
    for kind, ms in sorted(by_kind.items()):
        ms.sort()
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        print(f"  {kind:<14} p50 {statistics.median(ms):6.1f}  p95 {p95:6.1f}")


if __name__ == "__main__":
    main()
