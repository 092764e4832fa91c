"""Open Referral UK from other publishers: the official examples import, validate and come back as they went in.

The examples in tests/data/oruk are copied unmodified from openreferral/uk-profile (examples/),
openreferral/specification (branch 3.0, examples/) and tpximpact/OpenReferralApi (the national validator's
mock feeds, Mocks/V3.0-UK-*), each folder with its licence (CC BY-SA 4.0; the mocks' code BSD 3-Clause).

What a round trip may change (the documented normalisation, checked by `assert_kept`):
- Signpost adds fields: ids linking children to their parents (`service_id`, `location_id`, `link_id`,
  `organization_id`), the `taxonomy` / `taxonomy_id` of a term, an address's id, `location_type`
  "physical" when none was given, a cost option's `currency` (GBP), `fees_description` (from `fees`),
  empty strings for the text fields it always publishes, and attributes linking its own vocabulary
  (how a service is offered, referral, organisation type).
- `last_modified` is published in UTC with milliseconds; spaces (including U+00A0) are trimmed; RFC 5545
  codes and times are upper-cased (`mo` -> `MO`, `09:30z` -> `09:30Z`).
- A value the schema allows but that cannot be true (a latitude of 100) is left out, with a warning.
- The same location given twice is kept once.
- A term with the same taxonomy and code as one Signpost holds under another id is that term (its id is served).
"""

from __future__ import annotations

import copy
import json
from datetime import datetime

import pytest

from bench.oruk_api import BYDAY_FORMS, synthetic_feed
from directory import repository
from directory.models import Location, Organization, Schedule, Service
from directory.oruk import serialise
from directory.oruk.importing import import_records, records_from_json
from directory.oruk.validation import parse_datetime, tidy
from signpost.platform.extensions import db
from tests.support.oruk_schemas import assert_valid, commits_stay_in_the_test
from tests.support.paths import DATA

pytestmark = pytest.mark.usefixtures(commits_stay_in_the_test.__name__)

DATA = DATA / "oruk"
SERVICE_EXAMPLES = sorted(
    str(path.relative_to(DATA))
    for folder in ("uk-profile", "hsds", "validator-mocks/Default", "validator-mocks/Test")
    for path in (DATA / folder).glob("*_full.json")
)
IMPOSSIBLE = {("latitude", 100), ("longitude", 101)}  # the uk-profile example's location: left out
ADDED_BY_SIGNPOST = {"service_id", "location_id", "link_id", "organization_id", "taxonomy_id", "taxonomy"}
SERVICE_ID = "99999999-9999-4999-8999-999999999999"


def load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def services_in(name: str) -> list[dict]:
    return list(records_from_json(load(name)))


def _same_instant(a: str, b: str) -> bool:
    try:
        return parse_datetime(a) == parse_datetime(b)
    except ValueError:
        return False


def assert_kept(given, served, path: str = "") -> None:
    """Every field given is served back with the same value, after the normalisation in the module's notes."""
    if isinstance(given, dict):
        assert isinstance(served, dict), f"{path}: {served!r} is not an object"
        for key, value in given.items():
            if isinstance(value, int | float) and (key, value) in IMPOSSIBLE:
                assert key not in served, f"{path}.{key}: an impossible value was kept"
                continue
            assert key in served, f"{path}.{key} was lost (given {value!r})"
            assert_kept(value, served[key], f"{path}.{key}")
    elif isinstance(given, list) and given and all(isinstance(item, dict) and "id" in item for item in given):
        served_by_id = {item.get("id"): item for item in served if isinstance(item, dict)}
        for item in given:
            assert item["id"] in served_by_id, f"{path}: the item {item['id']} was lost"
            assert_kept(item, served_by_id[item["id"]], f"{path}[{item['id']}]")
    elif isinstance(given, str) and path.endswith("last_modified"):
        assert _same_instant(given, served), f"{path}: {given} came back as {served}"
    elif isinstance(given, str) and path.endswith((".byday", ".freq", "opens_at", "closes_at")):
        assert served == given.strip().upper(), f"{path}: {given!r} came back as {served!r}"
    else:
        assert served == tidy(given), f"{path}: {given!r} came back as {served!r}"


def import_ok(records: list, source: str = "elsewhere"):
    report = import_records(records, source)
    assert report.failed == 0, report.errors
    return report


# --- the official examples ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SERVICE_EXAMPLES)
def test_every_official_example_imports_round_trips_and_validates(app, client, name):
    given = services_in(name)
    report = import_ok(given)
    assert report.imported == len(given) >= 1
    for service in given:
        served = client.get(f"/api/oruk/services/{service['id']}")
        assert served.status_code == 200
        assert_valid("item/service.json", served.get_json())
        assert_kept(service, served.get_json(), service["id"])


@pytest.mark.parametrize("name", [n for n in SERVICE_EXAMPLES if n.startswith("uk-profile")])
def test_the_impossible_latitude_in_the_uk_example_is_left_out_with_a_warning(app, name):
    report = import_ok(services_in(name))
    warnings = [w for entry in report.warnings for w in entry["warnings"]]
    assert any("latitude" in w and "left out" in w for w in warnings), warnings


def test_a_bare_service_page_and_lists_of_the_official_examples_all_import(app):
    for name in ("uk-profile/service_list.json", "hsds/service_list.json", "validator-mocks/Test/service_list.json"):
        items = services_in(name)
        assert items and import_records(items, name).failed == 0, name


# --- what other publishers send -------------------------------------------------------------------


def minimal(**fields) -> dict:
    return {"id": SERVICE_ID, "name": "Lunch club", "status": "active", **fields}


def test_a_language_given_by_id_only_is_kept(app, client):
    import_ok([minimal(languages=[{"id": "2989d3ed-c547-48f8-8f9d-432d81c7892e"}])])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert [lang["id"] for lang in served["languages"]] == ["2989d3ed-c547-48f8-8f9d-432d81c7892e"]


def test_long_names_areas_phones_and_descriptions_are_kept_whole(app, client):
    long_name = "A" * 400
    record = minimal(
        name=long_name,
        description="word " * 6000,
        phones=[{"id": "aaaaaaaa-0000-4000-8000-000000000001", "number": "01632 960000 " + "ext 1 " * 10}],
        service_areas=[{"id": "aaaaaaaa-0000-4000-8000-000000000002", "name": "Area " * 60}],
        organization={"id": "aaaaaaaa-0000-4000-8000-000000000003", "name": "Org " * 100, "description": ""},
    )
    import_ok([record])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert served["name"] == long_name and served["description"] == record["description"].strip()
    assert served["phones"][0]["number"] == record["phones"][0]["number"].strip()
    assert served["service_areas"][0]["name"] == record["service_areas"][0]["name"].strip()
    assert served["organization"]["name"] == record["organization"]["name"].strip()


def test_schedules_keep_the_whole_rfc_5545_rule(app, client):
    schedules = [
        {"id": "bbbbbbbb-0000-4000-8000-000000000001", "freq": "MONTHLY", "byday": "2WE", "opens_at": "19:00:00",
         "closes_at": "20:30:00", "dtstart": "2026-01-14", "until": "2026-12-31", "valid_from": "2026-01-01",
         "valid_to": "2026-12-31", "notes": "Not in August", "attending_type": "in person"},
        {"id": "bbbbbbbb-0000-4000-8000-000000000002", "freq": "WEEKLY", "interval": 2, "byday": "MO,-1TU,+1FR",
         "opens_at": "09:00", "closes_at": "24:00", "count": 10},
        {"id": "bbbbbbbb-0000-4000-8000-000000000003", "freq": "MONTHLY", "bymonthday": "1,15,-1",
         "opens_at": "10:00:30"},
    ]  # fmt: skip
    import_ok([minimal(schedules=copy.deepcopy(schedules))])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert_valid("item/service.json", served)
    assert_kept(schedules, served["schedules"], "schedules")
    fortnightly = db.session.get(Schedule, schedules[1]["id"])
    assert (fortnightly.freq, fortnightly.interval, fortnightly.byday) == ("WEEKLY", 2, "MO,-1TU,+1FR")
    monthly = db.session.get(Schedule, schedules[0]["id"])  # the column holds HH:MM, as search and editors use
    assert (monthly.opens_at, monthly.closes_at) == ("19:00", "20:30")


def test_lower_case_date_times_and_offsets_are_read_as_the_same_instant_on_both_databases(app, client):
    import_ok([minimal(last_modified="2026-06-01t10:30:00+01:00")])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert served["last_modified"] == "2026-06-01T09:30:00.000Z"
    import_ok([minimal(last_modified="2026-06-01t09:30:00.250z")])
    assert client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()["last_modified"] == "2026-06-01T09:30:00.250Z"


def test_the_same_location_twice_is_kept_once_with_a_warning(app, client):
    location = {"id": "cccccccc-0000-4000-8000-000000000001", "location_type": "physical", "name": "Hall"}
    sals = [
        {"id": "cccccccc-0000-4000-8000-000000000002", "location": location},
        {"id": "cccccccc-0000-4000-8000-000000000003", "location": location},
    ]
    report = import_ok([minimal(service_at_locations=sals)])
    assert any("repeats a location" in w for entry in report.warnings for w in entry["warnings"])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert [sal["id"] for sal in served["service_at_locations"]] == [sals[0]["id"]]


def test_an_organisation_not_yet_known_is_added_and_filled_in_later(app, client):
    organization_id = "dddddddd-0000-4000-8000-000000000001"
    import_ok([minimal(organization_id=organization_id)])
    assert db.session.get(Organization, organization_id) is not None
    import_ok([minimal(organization={"id": organization_id, "name": "Good Neighbours", "description": ""})])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert served["organization"]["name"] == "Good Neighbours"


def test_a_service_with_no_organisation_at_all_imports(app, client):
    import_ok([minimal()])
    assert client.get(f"/api/oruk/services/{SERVICE_ID}").status_code == 200


def test_an_email_with_a_non_breaking_space_is_tidied(app):
    import_ok([minimal(email="help@example.org\u00a0")])
    assert db.session.get(Service, SERVICE_ID).email == "help@example.org"


def test_an_impossible_value_is_left_out_with_a_warning_and_the_record_kept(app):
    location = {"id": "eeeeeeee-0000-4000-8000-000000000001", "location_type": "physical", "latitude": 100,
                "longitude": 1.0, "name": "Somewhere"}  # fmt: skip
    record = minimal(
        service_at_locations=[{"id": "eeeeeeee-0000-4000-8000-000000000002", "location": location}],
        email="not an email",
        minimum_age=-3,
    )
    report = import_ok([record])
    warnings = report.warnings[0]["warnings"]
    assert any("latitude" in w for w in warnings) and any("email" in w for w in warnings)
    assert any("minimum_age" in w for w in warnings)
    stored = db.session.get(Location, location["id"])
    assert stored.latitude is None and stored.longitude is None
    assert db.session.get(Service, SERVICE_ID).minimum_age is None


def test_fractional_ages_and_virtual_locations_come_back_as_given(app, client):
    location = {"id": "ffffffff-0000-4000-8000-000000000001", "location_type": "virtual", "name": "Online",
                "url": "https://example.org/join"}  # fmt: skip
    record = minimal(
        minimum_age=2.5,
        maximum_age=17.5,
        service_at_locations=[{"id": "ffffffff-0000-4000-8000-000000000002", "location": location}],
    )
    import_ok([record])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert (served["minimum_age"], served["maximum_age"]) == (2.5, 17.5)
    assert served["service_at_locations"][0]["location"]["location_type"] == "virtual"


def test_a_defunct_service_is_served_as_defunct(app, client):
    import_ok([minimal(status="defunct")])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}")
    assert served.status_code == 200 and served.get_json()["status"] == "defunct"


def test_records_are_refused_only_for_no_name_or_a_link_that_is_not_a_web_address(app, client):
    records = [
        minimal(name=""),
        {**minimal(url="javascript:alert(1)"), "id": "12121212-0000-4000-8000-000000000001"},
        {**minimal(), "id": "12121212-0000-4000-8000-000000000002",
         "organization": {"id": "12121212-0000-4000-8000-000000000003", "name": "X", "description": "",
                          "logo": "JavaScript:alert(1)"}},
        {**minimal(), "id": "12121212-0000-4000-8000-000000000004"},
    ]  # fmt: skip
    report = import_records(records, "elsewhere")
    assert (report.imported, report.failed) == (1, 3)
    reasons = {entry["record"]: entry["errors"] for entry in report.errors}
    assert reasons[1] == ["name is missing"]
    assert reasons[2] == ["url must be an http or https address"]
    assert reasons[3] == ["organization.logo must be an http or https address"]
    for record in records[1:3]:
        assert client.get(f"/api/oruk/services/{record['id']}").status_code == 404


def test_a_stored_javascript_link_is_never_published(app, client):
    import_ok([minimal(url="https://example.org")])
    db.session.get(Service, SERVICE_ID).url = "javascript:alert(1)"
    db.session.flush()
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert "url" not in served


def test_a_services_last_modified_is_stored_in_utc(app):
    import_ok([minimal(last_modified="2026-06-01T23:30:00-02:00")])
    stored = db.session.get(Service, SERVICE_ID).last_modified
    assert isinstance(stored, datetime)
    assert stored.replace(tzinfo=None) == datetime(2026, 6, 2, 1, 30)


# --- the service page says a schedule in plain English ----------------------------------------------


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"freq": "MONTHLY", "byday": "2WE", "opens_at": "19:00", "closes_at": "20:30"},
         "The second Wednesday of each month, 7pm to 8.30pm"),
        ({"freq": "MONTHLY", "byday": "1TU,3TU", "opens_at": "10:00:00", "closes_at": "12:00:00"},
         "The first and third Tuesday of each month, 10am to midday"),
        ({"freq": "MONTHLY", "byday": "-1FR", "opens_at": "18:00", "closes_at": "24:00"},
         "The last Friday of each month, 6pm to midnight"),
        ({"freq": "WEEKLY", "interval": 2, "byday": "MO", "opens_at": "09:00", "closes_at": "17:00"},
         "Every other Monday, 9am to 5pm"),
        ({"freq": "WEEKLY", "byday": "MO,WE,FR", "opens_at": "09:30"},
         "Every Monday, Wednesday and Friday, from 9.30am"),
        ({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "17:00",
          "until": "2026-12-31"}, "Monday to Friday, 9am to 5pm, until 31 December 2026"),
        ({"freq": "MONTHLY", "bymonthday": "1,15", "opens_at": "14:00", "closes_at": "15:00"},
         "Day 1 and 15 of each month, 2pm to 3pm"),
    ],
)  # fmt: skip
def test_a_schedule_is_said_in_plain_english(app, rule, words):
    from types import SimpleNamespace

    from directory.oruk.schedule_words import schedule_in_words

    fields = {"freq": None, "interval": None, "byday": "", "bymonthday": None, "opens_at": None, "closes_at": None}
    with app.test_request_context("/"):
        assert schedule_in_words(SimpleNamespace(**(fields | rule))) == words


def test_the_service_page_shows_the_schedule_in_words(app, page):
    schedule = {"id": "abababab-0000-4000-8000-000000000001", "freq": "MONTHLY", "byday": "2WE",
                "opens_at": "19:00:00", "closes_at": "20:30:00", "notes": "Not in August"}  # fmt: skip
    import_ok([minimal(schedules=[schedule])])
    text = page(f"/directory/services/{SERVICE_ID}").get_text(" ", strip=True)
    assert "The second Wednesday of each month, 7pm to 8.30pm" in text and "Not in August" in text


# --- a synthetic feed that uses every field and every valid BYDAY form ------------------------------


def test_a_synthetic_feed_with_every_field_and_byday_form_imports_with_no_rejections(app, client):
    feed = synthetic_feed(len(BYDAY_FORMS) * 2)
    report = import_records(feed, "synthetic", batch_size=25)
    assert (report.imported, report.failed) == (len(feed), 0), report.errors[:3]
    for record in feed:
        served = client.get(f"/api/oruk/services/{record['id']}").get_json()
        assert_valid("item/service.json", served)
        assert_kept(record, served, record["id"])


def test_a_category_an_editor_removes_is_not_published_again_from_the_imported_attributes(app, client):
    attribute = {"id": "acacacac-0000-4000-8000-000000000001", "link_type": "service_category",
                 "taxonomy_term": {"id": "acacacac-0000-4000-8000-000000000002", "name": "Befriending",
                                   "description": "", "taxonomy": "Other council"}}  # fmt: skip
    import_ok([minimal(attributes=[attribute])])
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert attribute["id"] in [a["id"] for a in served["attributes"]]
    db.session.get(Service, SERVICE_ID).taxonomy_terms = []
    db.session.flush()
    served = client.get(f"/api/oruk/services/{SERVICE_ID}").get_json()
    assert attribute["taxonomy_term"]["id"] not in [a.get("taxonomy_term_id") for a in served["attributes"]]
    assert attribute["id"] not in [a["id"] for a in served["attributes"]]


def test_a_full_record_read_as_rows_is_the_same_document_as_read_through_the_orm(app):
    """Exports and the API's pages serialise views built from plain rows; every field must come out as
    `GET /services/{id}` (the ORM objects) gives it, on both databases."""
    records = [service for name in SERVICE_EXAMPLES for service in services_in(name)]
    records += synthetic_feed(len(BYDAY_FORMS))
    import_ok(records)
    ids = [record["id"] for record in records] + repository.exportable_service_ids()[:50]
    names = serialise.taxonomy_names()
    views = repository.full_service_views(ids)
    orm = repository.full_services(ids)
    assert [view.id for view in views] == [service.id for service in orm] and len(orm) >= len(records)
    summaries = repository.summary_service_views(ids)
    assert [view.id for view in summaries] == [service.id for service in orm]
    for view, summary, service in zip(views, summaries, orm, strict=True):
        assert serialise.service_full(view, names) == serialise.service_full(service, names), service.id
        assert serialise.service_summary(summary) == serialise.service_summary(service), service.id
    sal_ids = [sal.id for service in orm for sal in service.service_at_locations]
    sal_views = repository.summary_service_at_location_views(sal_ids)
    sals = repository.service_at_locations_by_ids(sal_ids, include_inactive=True, full=False)
    assert len(sal_ids) > len(records) // 2 and [v.id for v in sal_views] == [sal.id for sal in sals]
    for view, sal in zip(sal_views, sals, strict=True):
        assert serialise.service_at_location_summary(view) == serialise.service_at_location_summary(sal), sal.id
