"""ORUK import and export: round trip, idempotency, bad records, paging another API, organisation types."""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, text

from directory import repository
from directory.listing_rows import CHILD_ATTRIBUTES
from directory.listings import save_listing
from directory.models import (
    CostOption,
    ImportRun,
    Location,
    Organization,
    OrganizationType,
    SearchDocument,
    Service,
    ServiceVersion,
    TaxonomyTerm,
)
from directory.oruk.importing import export_oruk, import_oruk, import_records
from directory.oruk.vocabulary import term_for
from directory.repository import write
from signpost.platform.extensions import db
from tests.support.oruk_schemas import commits_stay_in_the_test
from tests.support.paths import ROOT
from tests.support.queries import statements

pytestmark = pytest.mark.usefixtures(commits_stay_in_the_test.__name__)


def export(tmp_path, name: str) -> list[dict]:
    path = tmp_path / name
    export_oruk(path)
    return json.loads(path.read_text(encoding="utf-8"))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_export_import_into_an_empty_directory_export_gives_the_same_document(app, tmp_path):
    first = export(tmp_path, "first.json")
    assert len(first) > 100
    repository.delete_directory(include_taxonomies=True)
    db.session.commit()
    assert repository.count_services() == 0
    report = import_oruk(str(tmp_path / "first.json"), batch_size=50)
    assert (report.imported, report.failed) == (len(first), 0)
    assert export(tmp_path, "second.json") == first
    service = db.session.get(Service, first[0]["id"])
    assert service.source == str(tmp_path / "first.json") and service.imported_at is not None


def rows(model, leave_out: tuple[str, ...] = ()) -> list[dict]:
    table = model.__table__
    columns = [column for column in table.c if column.key not in leave_out]
    return sorted(
        (dict(row) for row in db.session.execute(select(*columns)).mappings()),
        key=lambda row: json.dumps(row, default=str),
    )


def search_facts_migration():
    path = ROOT / "migrations" / "versions" / "0006_search_facts.py"
    spec = importlib.util.spec_from_file_location("search_facts_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def directory_rows() -> dict[str, list[dict]]:
    """Every directory row, less what each import stamps afresh (when it ran)."""
    found = {model.__name__: rows(model) for model in (Location, SearchDocument, *CHILD_ATTRIBUTES)}
    found["Service"] = rows(Service, ("imported_at",))
    found["Organization"] = rows(Organization, ("imported_at", "last_modified"))
    return found


def test_importing_the_same_feed_again_changes_no_row_and_keeps_no_version(app, tmp_path):
    records = export(tmp_path, "feed.json")
    import_records(records, "feed", batch_size=40)
    before, versions = directory_rows(), count(ServiceVersion)
    report = import_records(records, "feed", batch_size=40)
    assert (report.imported, report.failed) == (len(records), 0)
    assert count(ServiceVersion) == versions
    assert directory_rows() == before


def found_by(client, words: str) -> list[str]:
    page = client.get("/api/oruk/services", query_string={"search": words, "per_page": 1000}).get_json()
    return [item["id"] for item in page["contents"]]


@contextlib.contextmanager
def directory_writes() -> Iterator[list[str]]:
    """The statements that write to any table but the import run's, while the block runs."""
    written: list[str] = []
    with statements() as seen:
        yield written
    written += [
        s for s in seen if s.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"} and "import_run" not in s
    ]


def test_an_unchanged_feed_imported_again_is_skipped_record_by_record(app, client, tmp_path):
    records = export(tmp_path, "feed.json")
    import_records(records, "feed", batch_size=40)
    rows_before, versions, results = directory_rows(), count(ServiceVersion), found_by(client, "lunch club")
    stamped = rows(Service)
    with directory_writes() as written:
        report = import_records(records, "feed", batch_size=40)
    assert (report.imported, report.unchanged, report.failed) == (len(records), len(records), 0)
    assert written == [], "no listing, version or search row is written for an unchanged record"
    assert count(ServiceVersion) == versions and rows(Service) == stamped and directory_rows() == rows_before
    assert found_by(client, "lunch club") == results and results


def test_a_record_that_changes_is_imported_again_and_only_it(app, tmp_path):
    records = export(tmp_path, "feed.json")
    import_records(records, "feed", batch_size=40)
    versions = count(ServiceVersion)
    records[5]["description"] = "A quite different description."
    report = import_records(records, "feed", batch_size=40)
    assert (report.imported, report.unchanged) == (len(records), len(records) - 1)
    assert count(ServiceVersion) == versions + 1
    assert db.session.get(Service, records[5]["id"]).description == "A quite different description."


def shared_organisation(records: list[dict]) -> tuple[str, list[dict]]:
    by_organisation: dict[str, list[dict]] = {}
    for record in records:
        by_organisation.setdefault(record["organization"]["id"], []).append(record)
    organisation_id, showing = max(by_organisation.items(), key=lambda item: len(item[1]))
    assert len(showing) >= 3
    return organisation_id, showing


@pytest.mark.parametrize("renamed_in", ["every record", "one record"])
def test_a_shared_organisation_renamed_updates_every_service_that_shows_it(app, client, tmp_path, renamed_in):
    """A publisher renames an organisation in every record that holds it, or (a feed that nests it in one
    record and names it by id elsewhere) in one: either way every service that shows it says the new name,
    has a new version and is found by it, and no other service changes."""
    records = export(tmp_path, "feed.json")
    import_records(records, "feed", batch_size=40)
    organisation_id, showing = shared_organisation(records)
    versions = count(ServiceVersion)
    others = {record["id"]: record for record in records if record["organization"]["id"] != organisation_id}
    for record in showing if renamed_in == "every record" else showing[-1:]:
        record["organization"]["name"] = "Zephyrquill Community Trust"
    report = import_records(records, "feed", batch_size=40)
    assert report.failed == 0 and report.unchanged == len(records) - (
        len(showing) if renamed_in == "every record" else 1
    )
    assert count(ServiceVersion) == versions + len(showing)
    for record in showing:
        served = client.get(f"/api/oruk/services/{record['id']}").get_json()
        assert served["organization"]["name"] == "Zephyrquill Community Trust"
    assert sorted(found_by(client, "zephyrquill")) == sorted(record["id"] for record in showing)
    assert client.get(f"/api/oruk/services/{next(iter(others))}").get_json()["organization"]["name"] != (
        "Zephyrquill Community Trust"
    )
    again = import_records(records, "feed", batch_size=40)
    assert again.unchanged == len(records) and count(ServiceVersion) == versions + len(showing)


def test_a_listing_saved_since_its_import_is_written_again_by_the_next_import(app, tmp_path):
    records = export(tmp_path, "feed.json")
    import_records(records, "feed", batch_size=40)
    service = db.session.get(Service, records[0]["id"])
    service.name = "Edited by hand"
    assert save_listing(service, "edited", "editor@example.org")
    report = import_records(records, "feed", batch_size=40)
    assert report.unchanged == len(records) - 1
    assert db.session.get(Service, records[0]["id"]).name == records[0]["name"]


def test_search_rows_written_in_bulk_hold_the_facts_the_migration_backfill_gives(app, tmp_path):
    changed = export(tmp_path, "feed.json")[:20]
    for record in changed:
        record["name"] = f"{record['name']} (renamed)"
        record["status"] = "inactive"
        record["service_at_locations"] = record["service_at_locations"][:1]
    import_records(changed, "feed")
    written = rows(SearchDocument)  # from the demo load and this import
    db.session.execute(text(search_facts_migration().BACKFILL))
    assert rows(SearchDocument) == written


def test_importing_twice_updates_rather_than_duplicates(app, tmp_path):
    records = export(tmp_path, "feed.json")[:30]
    before = repository.count_services()
    import_records(records, "feed")
    versions = count(ServiceVersion)
    changed = copy.deepcopy(records)
    changed[0]["name"] = "Renamed lunch club"
    report = import_records(changed, "feed")
    assert report.imported == 30 and repository.count_services() == before
    assert db.session.get(Service, records[0]["id"]).name == "Renamed lunch club"
    assert count(ServiceVersion) == versions + 1, "only the changed listing gets a new version"
    assert count(ImportRun) >= 2


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
def test_bad_records_are_reported_by_record_and_the_good_ones_kept(app, tmp_path):
    records = export(tmp_path, "feed.json")[:6]
    good = records[:4]
    no_name = {**records[4], "name": ""}
    bad_age = {**records[5], "minimum_age": "old", "id": "not-a-uuid"}
    with_phone = next(r for r in records if r["phones"])
    clash = {  # a new service reusing another's phone id: refused by the database
        "id": "11111111-1111-4111-8111-111111111111",
        "name": "Clashing service",
        "organization": with_phone["organization"],
        "phones": [{**with_phone["phones"][0], "number": "01632 960001"}],
    }
    report = import_records([good[0], no_name, good[1], bad_age, "nonsense", clash, good[2], good[3]], "mixed", 3)
    assert report.imported == 4
    failed = {entry["record"]: entry["errors"] for entry in report.errors}
    assert "name is missing" in failed[2]
    assert failed[4] == ["id must be a UUID"]  # an age that is not a number is only left out (a warning)
    warned = {entry["record"]: entry["warnings"] for entry in report.warnings}
    assert any("minimum_age" in warning for warning in warned[4])
    assert failed[5] == ["a service must be a JSON object"]
    assert "database refused" in failed[6][0]
    run = db.session.get(ImportRun, report.run_id)
    assert run.failed == report.failed and run.finished_at is not None
    assert json.loads(run.errors)[0]["record"] == 2


def test_organisation_type_is_read_from_another_publishers_term(app):
    record = {"id": "22222222-2222-4222-8222-222222222222", "name": "Council advice line", "status": "active"}
    record["organization"] = {
        "id": "33333333-3333-4333-8333-333333333333",
        "name": "Borough Council",
        "description": "",
        "attributes": [
            {"taxonomy_term": {"id": "44444444-4444-4444-8444-444444444444", "name": "Local authority",
                               "taxonomy": "Organisation Type", "description": ""}}
        ],
    }  # fmt: skip
    import_records([record], "other")
    assert db.session.get(Service, record["id"]).organization.organization_type == OrganizationType.STATUTORY
    fixed = term_for("organization_type", "private").id
    record["organization"]["attributes"] = [{"taxonomy_term_id": fixed}]
    import_records([record], "other")
    assert db.session.get(Service, record["id"]).organization.organization_type == OrganizationType.PRIVATE


def test_importing_from_another_oruk_api_pages_through_it(app, client, tmp_path):
    pages = {}
    first = client.get("/api/oruk/services?page=1&per_page=100").get_json()
    ids = []
    for number in range(1, first["total_pages"] + 1):
        page = client.get(f"/api/oruk/services?page={number}&per_page=100").get_json()
        pages[f"/oruk/services?page={number}&per_page=100"] = page
        ids += [item["id"] for item in page["contents"]]
    for service_id in ids:
        pages[f"/oruk/services/{service_id}"] = client.get(f"/api/oruk/services/{service_id}").get_json()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            body = pages.get(parts.path + (f"?{parts.query}" if parts.query else ""))
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body or {}).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        repository.delete_directory(include_taxonomies=True)
        db.session.commit()
        report = import_oruk(f"http://127.0.0.1:{server.server_port}/oruk/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert (report.imported, report.failed) == (len(ids), 0)
    assert repository.count_services() == len(ids)


@pytest.mark.parametrize("together", [True, False], ids=["one statement", "a statement per table"])
def test_stored_listings_hold_what_the_tables_hold(app, monkeypatch, together):
    """Child rows, locations and terms, read together as JSON (a few listings) or table by table (many),
    come back with their columns' types (a whole number in a float column as a float) and the values the
    tables hold."""
    monkeypatch.setattr(write, "FEW", 100 if together else 0)
    with_both = select(Service).where(Service.cost_options.any(), Service.service_at_locations.any())
    service = db.session.scalars(with_both).first()
    service.cost_options[0].amount = 5
    located = service.service_at_locations[0].location
    located.latitude = 52
    db.session.flush()
    db.session.expire_all()
    shared: dict = {Location: {}, TaxonomyTerm: {}}
    listing = repository.stored_listings([service.id], shared)[service.id]
    service = db.session.get(Service, service.id)
    for model, attribute in CHILD_ATTRIBUTES.items():
        table = model.__table__
        expected = [
            dict(row) for row in db.session.execute(select(table).where(table.c.service_id == service.id)).mappings()
        ]
        assert sorted(listing.rows(model), key=str) == sorted(expected, key=str), attribute
    amount = listing.rows(CostOption)[0]["amount"]
    assert amount == 5.0 and isinstance(amount, float)
    assert shared[Location][located.id]["latitude"] == 52.0 and isinstance(
        shared[Location][located.id]["latitude"], float
    )
    assert set(shared[TaxonomyTerm]) == {term.id for term in service.taxonomy_terms}
