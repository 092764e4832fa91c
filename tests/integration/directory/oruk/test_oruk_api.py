"""The Open Referral UK 3.0 read API: envelopes, filters, errors, and the official schemas."""

from __future__ import annotations

import pytest

from directory import repository
from directory.oruk.vocabulary import ORGANISATION_TYPE, term_for
from tests.support.oruk_schemas import assert_valid

ENVELOPE = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents")


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def check_envelope(page: dict, number: int, per_page: int) -> None:
    assert list(page) and set(ENVELOPE) <= set(page)
    total = page["total_items"]
    expected_pages = -(-total // per_page)
    assert page["total_pages"] == expected_pages
    assert page["page_number"] == number
    assert page["size"] == len(page["contents"]) <= per_page
    assert page["first_page"] is (number == 1)
    assert page["last_page"] is (number >= expected_pages)
    assert page["empty"] is (not page["contents"])
    if number < expected_pages:
        assert page["size"] == per_page


def test_api_details(client):
    details = get_json(client, "/api/oruk/")
    assert details["version"] == "HSDS-UK-3.0"
    assert details["openapi_url"].endswith("/api/openapi.json")
    assert_valid("page/api_details.json", details)


def test_first_middle_and_last_pages_of_services_are_valid(client):
    first = get_json(client, "/api/oruk/services?per_page=25")
    check_envelope(first, 1, 25)
    pages = first["total_pages"]
    assert pages >= 3
    seen = set()
    for number in (1, pages // 2, pages):
        page = get_json(client, f"/api/oruk/services?per_page=25&page={number}")
        check_envelope(page, number, 25)
        assert_valid("page/service_list.json", page)
        seen |= {item["id"] for item in page["contents"]}
    assert len(seen) == 25 * 2 + get_json(client, f"/api/oruk/services?per_page=25&page={pages}")["size"]


def test_a_fully_nested_service_is_valid(client):
    hit = get_json(client, "/api/oruk/services?search=memory+cafe&postcode=SG1&per_page=1")["contents"][0]
    service = get_json(client, f"/api/oruk/services/{hit['id']}")
    assert_valid("item/service.json", service)
    assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
    assert service["organization"]["attributes"][0]["taxonomy_term"]["taxonomy"] == ORGANISATION_TYPE.name
    assert any(a["link_type"] == "service_category" for a in service["attributes"])


def test_taxonomies_terms_and_service_at_locations_are_valid(client):
    taxonomies = get_json(client, "/api/oruk/taxonomies")
    check_envelope(taxonomies, 1, 20)
    assert_valid("page/taxonomy_list.json", taxonomies)
    terms = get_json(client, "/api/oruk/taxonomy_terms?per_page=100")
    assert_valid("page/taxonomy_term_list.json", terms)
    for taxonomy in taxonomies["contents"]:
        one = get_json(client, f"/api/oruk/taxonomies/{taxonomy['id']}")
        assert_valid("item/taxonomy.json", one)
        assert one["taxonomy_terms"]
    term = get_json(client, f"/api/oruk/taxonomy_terms/{terms['contents'][0]['id']}")
    assert_valid("item/taxonomy_term.json", term)
    sals = get_json(client, "/api/oruk/service_at_locations?per_page=10&page=2")
    check_envelope(sals, 2, 10)
    assert_valid("page/service_at_location_list.json", sals)
    one = get_json(client, f"/api/oruk/service_at_locations/{sals['contents'][0]['id']}")
    assert_valid("item/service_at_location.json", one)


def test_an_empty_result_is_still_a_valid_page(client):
    page = get_json(client, "/api/oruk/services?search=zzzqqqxxyy")
    assert page["empty"] is True and page["total_items"] == 0 and page["size"] == 0
    assert page["first_page"] is True and page["last_page"] is True
    assert_valid("page/service_list.json", page)
    sals = get_json(client, "/api/oruk/service_at_locations?search=zzzqqqxxyy")
    assert_valid("page/service_at_location_list.json", sals)


def test_search_uses_the_same_engine_as_the_pages(client):
    page = get_json(client, "/api/oruk/services?search=demensia&postcode=SG1+1AA")
    names = " ".join(item["name"] for item in page["contents"][:5]).lower()
    assert "dementia" in names or "memory" in names


def test_taxonomy_term_and_organisation_type_filters(app, client):
    carers = next(t for t in repository.categories() if t.code == "carers")
    page = get_json(client, f"/api/oruk/services?taxonomy_term_id={carers.id}&per_page=100")
    assert page["total_items"] > 0
    for item in page["contents"][:5]:
        full = get_json(client, f"/api/oruk/services/{item['id']}")
        assert carers.id in {a["taxonomy_term_id"] for a in full["attributes"]}
    statutory = term_for("organization_type", "statutory").id
    page = get_json(client, f"/api/oruk/services?taxonomy_term_id={statutory}&per_page=100")
    assert page["total_items"] > 0
    for item in page["contents"]:
        assert statutory in {a["taxonomy_term_id"] for a in item["organization"]["attributes"]}
    by_taxonomy = get_json(client, f"/api/oruk/services?taxonomy_id={carers.taxonomy_id}")
    assert by_taxonomy["total_items"] >= page["total_items"]


def test_age_day_and_time_filters(client):
    page = get_json(client, "/api/oruk/services?minimum_age=60&per_page=100")
    assert page["total_items"] > 0
    assert all(item["minimum_age"] >= 60 for item in page["contents"])
    page = get_json(client, "/api/oruk/services?maximum_age=25&per_page=100")
    assert all(item["maximum_age"] <= 25 for item in page["contents"])
    page = get_json(client, "/api/oruk/services?day=saturday&start_time=09:00&end_time=17:00&per_page=100")
    for item in page["contents"][:5]:
        full = get_json(client, f"/api/oruk/services/{item['id']}")
        assert any(
            "SA" in s.get("byday", "") and s["opens_at"] >= "09:00" and s["closes_at"] <= "17:00"
            for s in full["schedules"]
        )


def test_proximity_limits_service_at_locations(client):
    near = get_json(client, "/api/oruk/service_at_locations?postcode=AL1&proximity=3000&per_page=100")
    wide = get_json(client, "/api/oruk/service_at_locations?postcode=AL1&proximity=30000&per_page=100")
    assert 0 < near["total_items"] < wide["total_items"]
    assert {i["location"]["addresses"][0]["region"] for i in near["contents"]} <= {"St Albans", "Welwyn Hatfield"}


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("page=0", "page"),
        ("per_page=1001", "per_page"),
        ("page=abc", "page"),
        ("minimum_age=old", "minimum_age"),
        ("day=someday", "day"),
        ("start_time=25:00", "start_time"),
        ("taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
        ("postcode=ZZ99", "postcode"),
        ("postcode=hello%20world", "postcode"),
        ("proximity=1000", "proximity"),
        ("postcode=SG1&proximity=-5", "proximity"),
        ("search=" + "a" * 201, "search"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, query, parameter):
    body = get_json(client, f"/api/oruk/services?{query}", 400)
    assert body["parameter"] == parameter and parameter in body["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/oruk/services/00000000-0000-4000-8000-000000000000",
        "/api/oruk/services/not-an-id",
        "/api/oruk/service_at_locations/00000000-0000-4000-8000-000000000000",
        "/api/oruk/taxonomies/00000000-0000-4000-8000-000000000000",
        "/api/oruk/taxonomy_terms/x",
        "/api/oruk/nothing-here",
    ],
)
def test_unknown_ids_get_a_json_404(client, url):
    assert get_json(client, url, 404)["error"] == "not_found"


def test_the_openapi_document_is_served(client):
    document = get_json(client, "/api/openapi.json")
    assert document["openapi"].startswith("3.")
    assert {"/api/oruk/services", "/api/oruk/services/{id}", "/api/v1/indicators"} <= set(document["paths"])


@pytest.mark.parametrize("path", ["/api/oruk/taxonomy_terms", "/api/oruk/taxonomies"])
@pytest.mark.parametrize("per_page", [1, 2, 7])
def test_stored_then_fixed_vocabularies_page_the_same_as_one_long_page(client, path, per_page):
    whole = get_json(client, f"{path}?per_page=1000")
    assert whole["total_items"] == len(whole["contents"]) > 2  # stored ones, then the fixed ones
    pages, number = [], 1
    while True:
        page = get_json(client, f"{path}?per_page={per_page}&page={number}")
        check_envelope(page, number, per_page)
        assert page["total_items"] == whole["total_items"]
        if page["empty"]:
            break
        pages += page["contents"]
        number += 1
    assert pages == whole["contents"]
