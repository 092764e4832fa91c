"""Production behaviour: rate limits (memory or Redis), compression, cacheable fingerprinted assets."""

import json
import os

import pytest

from signpost.platform.assets import STATIC_DIR
from tests.support.limits import limit_on


@pytest.fixture
def limited(app):
    """Turn rate limiting on for one test, with a tiny search limit."""
    with limit_on(app, "SEARCH_RATE_LIMIT", "3 per minute"):
        yield app


def test_searching_too_often_gets_a_friendly_429_page(limited, client):
    statuses = [client.get("/directory/search?q=carers").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/directory/search?q=carers")
    assert "Too many requests" in response.get_data(as_text=True)
    assert "0300 123 4044" in response.get_data(as_text=True)


def test_rate_limit_counters_can_live_in_redis_so_every_worker_shares_them():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis tests need TEST_REDIS_URL (CI sets it to the local server)")
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import MovingWindowRateLimiter

    storage = storage_from_string(url)
    assert storage.check()
    first, second = MovingWindowRateLimiter(storage), MovingWindowRateLimiter(storage)
    limit = parse("2 per minute")
    storage.clear(limit.key_for("signpost-test"))
    assert first.hit(limit, "signpost-test") and second.hit(limit, "signpost-test")
    assert not first.hit(limit, "signpost-test"), "a second worker's hits count against the same limit"
    storage.clear(limit.key_for("signpost-test"))


def test_pages_are_compressed(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_assets_are_fingerprinted_and_cached_for_a_year(client):
    manifest = json.loads((STATIC_DIR / "manifest.json").read_text())
    html = client.get("/").get_data(as_text=True)
    for logical in ("signpost.css", "js/init.mjs"):
        assert f"/static/{manifest[logical]}" in html
        with client.get(f"/static/{manifest[logical]}") as response:  # closes the file it streams
            assert response.status_code == 200
            assert "max-age=31536000" in response.headers["Cache-Control"]
            assert "immutable" in response.headers["Cache-Control"]


def test_the_page_loads_nothing_from_other_sites(client):
    html = client.get("/directory/search?q=carers&postcode=SG1").get_data(as_text=True)
    assert "https://" not in "".join(line for line in html.splitlines() if "<link" in line or "<script" in line)
