"""The national ORUK validator's endpoint checks (OpenReferralUK/oruk-validator), re-run against the app.

As the validator does: discover the standard from `GET /` ("version" wins over "openapi_url"); take the
endpoints from the API's own OpenAPI document, grouped by path; fetch each collection's first, middle
and last page; then up to 10 ids from those pages for each parameterised endpoint; check every response
against the published ORUK 3.0 schema for it (JSON Schema 2020-12) and the page envelope by hand
(the validator enforces it only loosely). `GET /service_at_locations/{id}` is checked against the service
schema, as the published 3.0 spec does.
"""

from __future__ import annotations

import random

from tests.integration.directory.oruk.test_oruk_api import check_envelope, get_json
from tests.support.oruk_schemas import assert_valid

BASE = "/api/oruk"
PAGE_SCHEMAS = {
    "/services": "page/service_list.json",
    "/service_at_locations": "page/service_at_location_list.json",
    "/taxonomies": "page/taxonomy_list.json",
    "/taxonomy_terms": "page/taxonomy_term_list.json",
}
ITEM_OF_PAGE = {"/organizations": "item/organization_list.json"}
BY_ID_SCHEMAS = {
    "/services/{id}": ["item/service.json"],
    "/service_at_locations/{id}": ["item/service.json", "item/service_at_location.json"],
    "/taxonomies/{id}": ["item/taxonomy.json"],
    "/taxonomy_terms/{id}": ["item/taxonomy_term.json"],
    "/organizations/{id}": ["item/organization.json"],
}
IDS_PER_ENDPOINT = 10


def _endpoints(client) -> tuple[list[str], list[str]]:
    details = get_json(client, f"{BASE}/")
    assert details["version"] == "HSDS-UK-3.0"  # the standard the checks below are for
    assert_valid("page/api_details.json", details)
    document = get_json(client, "/api/openapi.json")
    paths = sorted(path.removeprefix(BASE) for path in document["paths"] if path.startswith(f"{BASE}/"))
    paths = [path for path in paths if path != "/"]
    return [p for p in paths if "{" not in p], [p for p in paths if "{" in p]


def _pages_to_check(client, path: str) -> list[dict]:
    first = get_json(client, f"{BASE}{path}")
    per_page = len(first["contents"]) or 1
    last = max(first["total_pages"], 1)
    pages = {1: first}
    for number in sorted({(1 + last) // 2, last} - {1}):
        pages[number] = get_json(client, f"{BASE}{path}?page={number}")
    for number, page in pages.items():
        check_envelope(page, number, per_page if number < last else max(per_page, page["size"]))
        if path in PAGE_SCHEMAS:
            assert_valid(PAGE_SCHEMAS[path], page)
        for item in page["contents"]:
            if path in ITEM_OF_PAGE:
                assert_valid(ITEM_OF_PAGE[path], item)
    return list(pages.values())


def test_the_validators_endpoint_checks_pass(client):
    collections, by_id = _endpoints(client)
    assert {"/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms", "/organizations"} <= set(
        collections
    )
    ids: dict[str, list[str]] = {}
    for path in collections:
        pages = _pages_to_check(client, path)
        ids[f"{path}/{{id}}"] = [item["id"] for page in pages for item in page["contents"]]
    rng = random.Random(14)
    checked = 0
    for path in by_id:
        found = ids.get(path, [])
        assert found, f"no ids to check {path} with"
        for item_id in rng.sample(found, min(IDS_PER_ENDPOINT, len(found))):
            document = get_json(client, f"{BASE}{path.replace('{id}', item_id)}")
            assert document["id"] == item_id
            for schema in BY_ID_SCHEMAS.get(path, []):
                assert_valid(schema, document)
            checked += 1
    assert checked >= 10 * len(BY_ID_SCHEMAS)
