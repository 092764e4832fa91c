"""The page budget: whole requests through the WSGI app (template rendered, response compressed) beside an empty
route timed in the same run, so a noisy machine still shows what a page costs over Flask itself.

Pages: home, search (keyword + postcode, with results), a service's page, a guide question, "Ask us" (with a
conversation of one question and its answer) and the commissioners' dashboard. Each sample is one page
request followed by one empty-route request, so both see the same load on the machine.

    python -m bench.pages [--services 10000] [--repeat 50]   # TEST_DATABASE_URL, else a temporary SQLite file
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable

from flask import Flask, g
from sqlalchemy import select

from directory.models import Service
from signpost.platform import accounts
from signpost.platform.extensions import db

COMPRESSED = {"Accept-Encoding": "br, gzip"}
SEARCH = "/directory/search?q=carers&postcode=SG1+1AA"
GUIDE_QUESTION = "/guides/paying-for-care/setting"
PASSWORD = "bench password 1234"
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def summary(samples: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(samples), 3), "p95_ms": round(percentile(samples, 95), 3)}


def _csrf(client, url: str) -> str:
    g.pop("csrf_token", None)
    match = TOKEN.search(client.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def _get(client, url: str) -> Callable[[], None]:
    def fetch() -> None:
        response = client.get(url, headers=COMPRESSED)
        assert response.status_code == 200, (url, response.status_code)
        response.get_data()

    return fetch


def page_cases(app: Flask) -> dict[str, Callable[[], None]]:
    """Each page as a function that fetches it compressed; the clients are signed in where a page needs it.
    Call them outside an app context, as a server does (a shared one would share `g`, and the signed-in user)."""
    with app.app_context():
        return _clients(app)


def _clients(app: Flask) -> dict[str, Callable[[], None]]:
    service_id = db.session.scalar(select(Service.id).order_by(Service.id).limit(1))
    public = app.test_client()
    public.get("/")
    public.post("/guides/paying-for-care/start-again", data={"csrf_token": _csrf(public, GUIDE_QUESTION)})
    asker = app.test_client()
    asker.post("/ask", data={"message": "I look after my mum, she has dementia", "csrf_token": _csrf(asker, "/ask")})
    commissioner = app.test_client()
    accounts.create_or_update_user("bench-commissioner@bench.invalid", "commissioner", PASSWORD, replace=True)
    db.session.commit()
    signed_in = commissioner.post(
        "/staff/login",
        data={
            "email": "bench-commissioner@bench.invalid",
            "password": PASSWORD,
            "csrf_token": _csrf(commissioner, "/staff/login"),
        },
    )
    assert signed_in.status_code == 302, signed_in.status_code
    return {
        "empty_route": _get(public, "/healthz"),
        "home": _get(public, "/"),
        "search": _get(public, SEARCH),
        "service": _get(public, f"/directory/services/{service_id}"),
        "guide_question": _get(public, GUIDE_QUESTION),
        "ask": _get(asker, "/ask"),
        "dashboard": _get(commissioner, "/commissioners/indicators"),
    }


def measure(app: Flask, repeat: int) -> dict:
    """Median and p95 of each page, its median over the empty route's (each page interleaved with the empty
    route, so both are timed under the same load) and the median CPU time this process spent on it (what the
    app itself costs, less sensitive to other work on the machine than the wall clock)."""
    cases = page_cases(app)
    empty = cases.pop("empty_route")
    out: dict = {}
    for name, fetch in cases.items():
        fetch(), empty()  # warm: templates compiled, statements cached
        pages, empties, cpu = [], [], []
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            fetch()
            middle, middle_cpu = time.perf_counter(), time.process_time()
            empty()
            pages.append((middle - start) * 1000)
            cpu.append((middle_cpu - start_cpu) * 1000)
            empties.append((time.perf_counter() - middle) * 1000)
        out[name] = summary(pages) | {
            "cpu_median_ms": round(statistics.median(cpu), 3),
            "empty_route_median_ms": round(statistics.median(empties), 3),
            "over_empty_route": round(statistics.median(pages) / statistics.median(empties), 1),
        }
    return out


def profile(app: Flask, name: str, repeat: int) -> None:
    import cProfile
    import pstats

    fetch = page_cases(app)[name]
    fetch()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        fetch()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def prepare(url: str, services: int | None) -> Flask:
    """A fresh database at `url` with the demo directory (or `services` synthetic ones) and demo survey answers."""
    from flask_migrate import upgrade

    from bench.__main__ import reset
    from directory.generator import generate
    from directory.loading import load_demo, load_records
    from signpost.app import create_app
    from surveys.demo import load_demo_responses

    reset(url)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "TESTING": False}
    )
    with app.app_context():
        upgrade()
        load_records(generate(services, seed=7)) if services else load_demo()
        load_demo_responses()
        db.session.commit()
        db.session.remove()
    return app


def run(url: str, services: int | None, repeat: int) -> dict:
    """The page budget on a fresh database at `url` (its data is replaced): the demo or `services` synthetic."""
    app = prepare(url, services)
    try:
        return measure(app, repeat)
    finally:
        with app.app_context():
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=0, help="synthetic services (0: the demo directory)")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--profile", metavar="PAGE", help="print a cProfile of PAGE (e.g. search) instead")
    args = parser.parse_args()
    from signpost.platform.config import normalise_database_url

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("TEST_DATABASE_URL")
        url = normalise_database_url(url) if url else f"sqlite:///{tmp}/pages.sqlite"
        app = prepare(url, args.services or None)
        if args.profile:
            profile(app, args.profile, args.repeat)
            return
        print(
            json.dumps({"database": url.split(":")[0], "services": args.services or "demo"} | measure(app, args.repeat))
        )


if __name__ == "__main__":
    main()
