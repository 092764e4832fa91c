"""Importing ORUK 1.0 feeds (the LGA profile many councils' directories still publish), field by field.

The record below is written here in the shape those feeds use (Placecube's Open Place Directory and
Outpost's API): ids that are not UUIDs, `organization.url`, `eligibilitys`, `regular_schedules`,
`service_taxonomys`, `physical_addresses`, and a page envelope of `content`, `totalPages`, `number`.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from directory.models import Service
from directory.oruk.importing import import_oruk, import_records, records_from_json
from directory.oruk.oruk1 import to_oruk3
from directory.oruk.vocabulary import fixed_id
from signpost.platform.extensions import db
from tests.support.oruk_schemas import assert_valid, commits_stay_in_the_test

pytestmark = pytest.mark.usefixtures(commits_stay_in_the_test.__name__)


def oruk1_service(number: int) -> dict:
    return {
        "id": f"svc-{number}",
        "name": f"Dementia café {number}",
        "description": "A friendly monthly café. " * 1200,  # well over 20,000 characters
        "url": "https://example.org/cafe",
        "email": "cafe@example.org\u00a0",
        "status": "active",
        "fees": "£2 for tea and cake",
        "accreditations": "Dementia Friends",
        "deliverable_type": "Information",
        "attending_type": "Drop in",
        "attending_access": "Self referral",
        "assured_date": "2025-01-15",
        "organization": {"id": "org-7", "name": "Age Concern Example", "description": "", "email": "hello@example.org",
                         "url": "https://example.org", "logo": "https://example.org/logo.png"},
        "contacts": [{"id": "c-1", "name": "Pat", "title": "Organiser",
                      "phones": [{"id": "p-1", "number": "01632 960123"}]}],
        "cost_options": [{"id": "co-1", "option": "Tea", "amount": 2, "amount_description": "per visit"}],
        "eligibilitys": [
            {"id": "e-1", "eligibility": "People living with dementia", "minimum_age": 50, "maximum_age": 99},
            {"id": "e-2", "eligibility": "Their carers", "minimum_age": 18},
        ],
        "fundings": [{"id": "f-1", "source": "Council grant"}],
        "holiday_schedules": [{"id": "h-1", "closed": True, "start_date": "2025-12-25", "end_date": "2025-12-26"}],
        "languages": [{"id": "l-1", "language": "en"}, {"id": "l-2", "language": "Polish"}],
        "regular_schedules": [
            {"id": "r-1", "freq": "MONTHLY", "byday": "2WE", "opens_at": "19:00", "closes_at": "20:30",
             "description": "Second Wednesday"},
            {"id": "r-2", "weekday": "Friday", "opens_at": "10:00", "closes_at": "12:00"},
        ],
        "service_areas": [{"id": "a-1", "service_area": "Stevenage", "uri": "http://statistics.data.gov.uk/id/x"}],
        "service_at_locations": [
            {"id": "sl-1", "location": {
                "id": "loc-1", "name": "Church hall", "description": "Side entrance",
                "latitude": 51.9, "longitude": -0.2,
                "physical_addresses": [{"id": "ad-1", "address_1": "1 High Street", "city": "Stevenage",
                                        "state_province": "Hertfordshire", "postal_code": "SG1 1AA", "country": "GB"}],
                "accessibility_for_disabilities": [{"id": "ac-1", "accessibility": "Step-free access"}]}},
        ],
        "service_taxonomys": [{"id": "st-1", "taxonomy": {"id": "bccsource:Dementia", "name": "Dementia",
                                                          "vocabulary": "BCC Source"}}],
    }  # fmt: skip


def test_an_oruk1_record_is_mapped_field_by_field(app):
    record = to_oruk3(oruk1_service(1))
    assert record["id"] == fixed_id("oruk1-service", "svc-1") and record["oruk1_id"] == "svc-1"
    assert record["organization"]["website"] == "https://example.org"
    assert record["organization"]["id"] == fixed_id("oruk1-organization", "org-7")
    assert record["eligibility_description"] == "People living with dementia; Their carers"
    assert (record["minimum_age"], record["maximum_age"]) == (18, 99)
    phone = {"id": fixed_id("oruk1-phone", "svc-1:p-1"), "number": "01632 960123", "description": "Pat"}
    assert record["phones"] == [phone]
    assert record["funding"] == [{"id": fixed_id("oruk1-funding", "svc-1:f-1"), "source": "Council grant"}]
    assert [lang.get("code") or lang.get("name") for lang in record["languages"]] == ["en", "Polish"]
    assert record["schedules"][1]["byday"] == "FR" and record["schedules"][1]["freq"] == "WEEKLY"
    assert record["service_areas"][0]["name"] == "Stevenage"
    location = record["service_at_locations"][0]["location"]
    assert location["addresses"][0]["address_type"] == "physical"
    assert location["accessibility"][0]["description"] == "Step-free access"
    term = record["attributes"][0]["taxonomy_term"]
    assert (term["name"], term["taxonomy"], term["term"]) == ("Dementia", "BCC Source", "bccsource:Dementia")
    assert record["holiday_schedules"] and record["deliverable_type"] == "Information"


def test_an_oruk1_feed_imports_with_nothing_lost_that_30_can_hold(app, client):
    page = {"totalElements": 2, "totalPages": 1, "number": 1, "size": 2, "first": True, "last": True,
            "content": [oruk1_service(1), oruk1_service(2)]}  # fmt: skip
    report = import_records(list(records_from_json(page)), "oruk1")
    assert (report.imported, report.failed) == (2, 0), report.errors
    service_id = fixed_id("oruk1-service", "svc-1")
    assert db.session.get(Service, service_id).email == "cafe@example.org"
    served = client.get(f"/api/oruk/services/{service_id}").get_json()
    assert_valid("item/service.json", served)
    assert served["fees"] == "£2 for tea and cake" and served["accreditations"] == "Dementia Friends"
    assert len(served["description"]) > 20_000
    assert served["oruk1_id"] == "svc-1" and served["holiday_schedules"][0]["closed"] is True
    assert {s["byday"] for s in served["schedules"]} == {"2WE", "FR"}
    assert served["organization"]["logo"] == "https://example.org/logo.png"


def test_an_oruk1_api_is_paged_through_and_re_synced_with_modified_after(app):
    services = [oruk1_service(n) for n in range(1, 6)]
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            query = parse_qs(urlsplit(self.path).query)
            asked.append(query)
            number, per_page = int(query["page"][0]), int(query["per_page"][0])
            chosen = services[:1] if "modified_after" in query else services
            content = chosen[(number - 1) * per_page : number * per_page]
            pages = -(-len(chosen) // per_page)
            body = {"totalElements": len(chosen), "totalPages": pages, "number": number, "size": len(content),
                    "first": number == 1, "last": number >= pages, "content": content}  # fmt: skip
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        from directory.oruk import importing

        base = f"http://127.0.0.1:{server.server_port}/api"
        pages = list(importing.records_from_api(base, per_page=2))
        assert len(pages) == 5 and len(asked) == 3
        report = import_records(pages, base)
        assert (report.imported, report.failed) == (5, 0), report.errors
        again = import_oruk(base, modified_after="2026-01-01T00:00:00Z")
        assert (again.imported, again.failed) == (1, 0)
        assert asked[-1]["modified_after"] == ["2026-01-01T00:00:00Z"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
