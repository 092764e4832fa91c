"""No public URL disappears: survey links sit in people's inboxes, other councils' systems harvest the ORUK API,
residents and staff bookmark pages. tests/data/public_urls.txt lists every URL with its methods and endpoint."""

from __future__ import annotations

import re

from signpost.app import create_app
from tests.support.paths import DATA

LISTED = DATA / "public_urls.txt"


def listed() -> set[tuple[str, str, str]]:
    lines = [line.split() for line in LISTED.read_text().splitlines() if line and not line.startswith("#")]
    return {(path, methods, endpoint) for path, methods, endpoint in lines}


def served(app) -> set[tuple[str, str, str]]:
    return {
        (re.sub(r"<[^>]+>", "<>", rule.rule), ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"})), rule.endpoint)
        for rule in app.url_map.iter_rules()
    }


def test_every_listed_url_is_still_served_with_its_methods_and_endpoint():
    missing = listed() - served(create_app({"TESTING": True}))
    assert not missing, f"these URLs are no longer served: {sorted(missing)}"


def test_the_list_covers_the_url_contracts_others_rely_on():
    paths = {path for path, _methods, _endpoint in listed()}
    for contract in (
        "/your-views/<>",
        "/your-views/<>/<>",
        "/api/oruk/services",
        "/api/oruk/services/<>",
        "/api/v1/paying-for-care/estimate",
        "/directory/search",
        "/api/v1/indicators",
    ):
        assert contract in paths
