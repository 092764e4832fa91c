"""What another council's harvester needs from the ORUK API: organisations and locations, incremental
re-syncs, several terms, full and minimal pages, big pages, caching headers, and clear refusals."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy import event, func, select

from directory import repository
from directory.models import Service, ServiceAtLocation, ServiceStatus, TaxonomyTerm
from signpost.platform.extensions import db
from tests.integration.directory.oruk.test_oruk_api import check_envelope, get_json
from tests.support.oruk_schemas import assert_valid


def test_organisations_are_listed_and_each_comes_with_its_services(client):
    page = get_json(client, "/api/oruk/organizations?per_page=5")
    check_envelope(page, 1, 5)
    for item in page["contents"]:
        assert_valid("item/organization_list.json", item)
    first = page["contents"][0]
    full = get_json(client, f"/api/oruk/organizations/{first['id']}?full_service=true")
    assert_valid("item/organization.json", full)
    assert full["services"] and all(s["organization_id"] == first["id"] for s in full["services"])
    assert all("schedules" in s for s in full["services"])
    summary = get_json(client, f"/api/oruk/organizations/{first['id']}")
    assert_valid("item/organization.json", summary)
    assert [s["id"] for s in summary["services"]] == [s["id"] for s in full["services"]]


def test_locations_are_listed_and_served_by_id(client):
    page = get_json(client, "/api/oruk/locations?per_page=3&page=2")
    check_envelope(page, 2, 3)
    location = page["contents"][0]
    assert location["location_type"] == "physical" and location["id"]
    assert get_json(client, f"/api/oruk/locations/{location['id']}") == location
    get_json(client, "/api/oruk/locations/00000000-0000-4000-8000-000000000000", 404)


def test_modified_after_gives_only_what_changed(app, client):
    everything = get_json(client, "/api/oruk/services?per_page=1")["total_items"]
    assert get_json(client, "/api/oruk/services?modified_after=2000-01-01T00:00:00Z")["total_items"] == everything
    assert get_json(client, "/api/oruk/services?modified_after=2999-01-01t00:00:00z")["total_items"] == 0
    newest = db.session.scalar(select(func.max(Service.last_modified)))
    newest = newest if newest.tzinfo else newest.replace(tzinfo=UTC)  # SQLite gives UTC without its zone
    edited = db.session.scalars(select(Service).order_by(Service.id).limit(2)).all()
    for service, minutes in zip(edited, (10, 20), strict=True):
        service.last_modified = newest + timedelta(minutes=minutes)
    db.session.flush()
    since = (newest + timedelta(minutes=5)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    changed = get_json(client, f"/api/oruk/services?modified_after={since.replace('+', '%2B')}&per_page=1000")
    assert sorted(item["id"] for item in changed["contents"]) == sorted(s.id for s in edited)
    later = (newest + timedelta(minutes=15)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [i["id"] for i in get_json(client, f"/api/oruk/services?modified_after={later}")["contents"]] == [
        edited[1].id
    ]


def test_organization_id_filters_services(client):
    organization = get_json(client, "/api/oruk/organizations?per_page=1")["contents"][0]
    page = get_json(client, f"/api/oruk/services?organization_id={organization['id']}&per_page=100")
    assert page["total_items"] >= 1
    assert {item["organization_id"] for item in page["contents"]} == {organization["id"]}


def test_several_taxonomy_terms_give_services_with_any_of_them(app, client):
    terms = db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name).limit(2)).all()
    counts = [get_json(client, f"/api/oruk/services?taxonomy_term_id={t.id}")["total_items"] for t in terms]
    both = get_json(client, f"/api/oruk/services?taxonomy_term_id={terms[0].id},{terms[1].id}")["total_items"]
    repeated = get_json(client, f"/api/oruk/services?taxonomy_term_id={terms[0].id}&taxonomy_term_id={terms[1].id}")
    assert max(counts) <= both <= sum(counts) and repeated["total_items"] == both


def test_full_and_minimal_pages(client):
    full = get_json(client, "/api/oruk/services?full=true&per_page=5")
    for item in full["contents"]:
        assert_valid("item/service.json", item)
        assert "schedules" in item and "service_at_locations" in item
    minimal = get_json(client, "/api/oruk/services?minimal=true&per_page=5")
    assert [set(item) for item in minimal["contents"]] == [{"id", "name", "status", "last_modified"}] * 5
    assert [item["id"] for item in minimal["contents"]] == [item["id"] for item in full["contents"]]
    get_json(client, "/api/oruk/services?full=true&minimal=true", 400)


def test_a_harvester_may_ask_for_a_thousand_at_a_time(client):
    page = get_json(client, "/api/oruk/services?per_page=1000")
    assert page["size"] == min(page["total_items"], 1000)
    assert_valid("page/service_list.json", page)


def test_taxonomies_and_terms_can_be_searched(client):
    terms = get_json(client, "/api/oruk/taxonomy_terms?per_page=1000")["contents"]
    word = terms[0]["name"].split()[0]
    found = get_json(client, f"/api/oruk/taxonomy_terms?search={word}&per_page=1000")["contents"]
    assert found and len(found) <= len(terms)
    assert all(word.casefold() in (t["name"] + t.get("description", "") + t.get("term", "")).casefold() for t in found)
    assert get_json(client, "/api/oruk/taxonomies?search=zzzznothing")["total_items"] == 0
    assert get_json(client, "/api/oruk/taxonomies?search=organisation")["total_items"] >= 1


def test_responses_carry_an_etag_and_last_modified_and_answer_304(client):
    item = get_json(client, "/api/oruk/services?per_page=1")["contents"][0]
    url = f"/api/oruk/services/{item['id']}"
    first = client.get(url)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    page = client.get("/api/oruk/services?per_page=3")
    repeat = client.get("/api/oruk/services?per_page=3", headers={"If-None-Match": page.headers["ETag"]})
    assert repeat.status_code == 304


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/oruk/services", "/api/oruk/services/00000000-0000-4000-8000-000000000000"])
def test_a_wrong_method_gets_a_json_405_saying_what_is_allowed(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert response.get_json()["status"] == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/oruk/services?colour=blue",
        "/api/oruk/services?organisation_id=00000000-0000-4000-8000-000000000000",
        "/api/oruk/taxonomies?taxonomy_id=00000000-0000-4000-8000-000000000000",
        "/api/oruk/organizations?search=x",
        "/api/oruk/services/00000000-0000-4000-8000-000000000000?full=true",
    ],
)
def test_a_parameter_the_api_does_not_know_is_a_400_naming_it(client, url):
    body = get_json(client, url, 400)
    assert body["parameter"] == url.split("?")[1].split("=")[0]


def test_a_service_at_location_passes_the_published_check_against_the_service_schema(client):
    item = get_json(client, "/api/oruk/service_at_locations?per_page=1")["contents"][0]
    document = get_json(client, f"/api/oruk/service_at_locations/{item['id']}")
    assert_valid("item/service_at_location.json", document)
    assert_valid("item/service.json", document)  # what the national validator checks it against
    assert (document["name"], document["status"]) == (document["service"]["name"], document["service"]["status"])


def test_service_at_locations_are_paged_in_sql_over_every_active_listing(app, client):
    active = db.session.scalar(
        select(func.count())
        .select_from(ServiceAtLocation)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .where(Service.status == ServiceStatus.ACTIVE)
    )
    first = get_json(client, "/api/oruk/service_at_locations?per_page=50")
    second = get_json(client, "/api/oruk/service_at_locations?per_page=50&page=2")
    assert first["total_items"] == active == second["total_items"]
    assert not {i["id"] for i in first["contents"]} & {i["id"] for i in second["contents"]}
    assert_valid("page/service_at_location_list.json", first)
    ids, total = repository.active_service_at_location_page(2, 50)
    assert total == active and ids == [item["id"] for item in second["contents"]]


def _queries(client, url: str) -> int:
    count = 0

    def counted(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


@pytest.mark.parametrize(
    "path",
    [
        "/api/oruk/services",
        "/api/oruk/services?full=true",
        "/api/oruk/services?minimal=true",
        "/api/oruk/services?search=club",
        "/api/oruk/service_at_locations",
        "/api/oruk/service_at_locations?search=club",
        "/api/oruk/organizations",
        "/api/oruk/locations",
        "/api/oruk/taxonomy_terms",
    ],
)
def test_a_page_takes_the_same_number_of_queries_whatever_its_size(client, path):
    """Nested records are read a table at a time for the whole page, never one listing at a time."""
    joiner = "&" if "?" in path else "?"
    client.get(f"{path}{joiner}per_page=2")  # warm the per-process caches (lexicon, statements)
    small, large = (_queries(client, f"{path}{joiner}per_page={n}") for n in (2, 40))
    assert small == large, (small, large)
