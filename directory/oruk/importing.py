"""Taking in Open Referral UK services: from a file, from another ORUK API, or from a spreadsheet.

Every record is validated first, and problems are reported by record without stopping the others.
Records are stored in batches, one transaction each (with the ImportRun's progress), so a crash
loses nothing already committed and running the import again picks up where it stopped. The same
ids update rather than duplicate; each listing keeps where it came from and when, and a version
(ServiceVersion) is kept whenever an import changes what a listing says.

A record the same as the one last imported for its listing (`record_hash`, kept in Service.content_hash) is
skipped before it is even validated: no version, no search row, nothing written. An organisation or location
that a record changes is shown by other listings too: those are updated with it (their versions and search
rows), whether or not their own records came in this run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from directory import repository
from directory.listing_rows import CHILD_ATTRIBUTES, ListingRows, Row, RowWrites, same_rows, service_view
from directory.models import Location, Organization, SearchDocument, Service, ServiceAtLocation, ServiceVersion
from directory.oruk import serialise
from directory.oruk.oruk1 import is_oruk1, is_oruk1_page, to_oruk3
from directory.oruk.rows import ImportContext, build_listing, location_ids, organization_id
from directory.oruk.validation import check_service, parse_datetime
from signpost.platform.extensions import db

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# Part of every record's content hash: change it when the same record would now be stored differently
# (a new column, a changed mapping), so the next import writes every listing again instead of skipping it.
IMPORT_FORMAT = 1
STAMPS = frozenset({"source", "imported_at"})  # what each import writes afresh: no change of content
MAX_KEPT_ERRORS = 1000
USER_AGENT = "Signpost ORUK importer"


@dataclass(frozen=True)
class Unreadable:
    """A record that could not even be read (a failed download, a spreadsheet row that makes no sense)."""

    reference: str
    errors: list[str]


@dataclass
class ImportReport:
    run_id: str
    source: str
    imported: int = 0
    failed: int = 0
    unchanged: int = 0  # among the imported: the same record as last time, skipped
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # records kept with a value left out
    seconds: float = 0.0


# --- reading sources ------------------------------------------------------------------------------


def _services_in(item: Any) -> Iterator[Any]:
    """The services one ORUK object holds: a service is itself; an organisation (`GET /organizations/{id}`)
    holds its services; a service at a location (`GET /service_at_locations/{id}`) holds one."""
    if isinstance(item, dict) and "name" not in item and isinstance(item.get("service"), dict):
        service = dict(item["service"])
        link = {key: value for key, value in item.items() if key != "service"}
        service.setdefault("service_at_locations", [link] if "location" in link or "location_id" in link else [])
        yield service
    elif isinstance(item, dict) and isinstance(item.get("services"), list) and "status" not in item:
        organization = {key: value for key, value in item.items() if key != "services"}
        for service in item["services"]:
            yield {**service, "organization": organization} if isinstance(service, dict) else service
    elif is_oruk1(item):
        yield to_oruk3(item)
    else:
        yield item


def _is_page(data: Any) -> bool:
    return isinstance(data, dict) and ("contents" in data or is_oruk1_page(data))


def records_from_json(data: Any) -> Iterator[dict | Unreadable]:
    """Services from a list of services, one API page, a list of API pages, or a single service,
    organisation or service at a location."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
    elif is_oruk1_page(data):
        items = data["content"]
    elif (
        isinstance(data, list)
        and data
        and all(isinstance(p, dict) and ("contents" in p or is_oruk1_page(p)) for p in data)
    ):
        items = [item for page in data for item in page.get("contents") or page.get("content") or []]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = [data]
    else:
        yield Unreadable("file", ["expected a service, a list of services or ORUK API pages"])
        return
    for item in items:
        yield from _services_in(item)


def _fetch_json(url: str) -> Any:
    req = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.load(response)


def _is_fully_nested(item: dict) -> bool:
    nested = ("service_at_locations", "schedules", "phones", "attributes", "regular_schedules", "contacts")
    return any(key in item for key in nested)


def records_from_api(
    base_url: str, per_page: int = 100, modified_after: str | None = None
) -> Iterator[dict | Unreadable]:
    """Page through another ORUK API's /services (3.0, or 1.0's page shape), fetching each fully nested
    service; with `modified_after`, only what changed since (a re-sync)."""
    base = base_url.rstrip("/")
    base = base.removesuffix("/services")
    page = 1
    while True:
        query = {"page": page, "per_page": per_page} | ({"modified_after": modified_after} if modified_after else {})
        url = f"{base}/services?" + urllib.parse.urlencode(query)
        try:
            data = _fetch_json(url)
        except (OSError, ValueError) as error:
            yield Unreadable(url, [f"could not read the page: {error}"])
            return
        contents = (data.get("contents") or data.get("content")) if isinstance(data, dict) else None
        if not contents:
            return
        for item in contents:
            if isinstance(item, dict) and not _is_fully_nested(item) and isinstance(item.get("id"), str):
                item_url = f"{base}/services/{urllib.parse.quote(item['id'], safe='')}"
                try:
                    item = _fetch_json(item_url)
                except (OSError, ValueError) as error:
                    yield Unreadable(item_url, [f"could not read the service: {error}"])
                    continue
            yield from _services_in(item)
        total_pages = data.get("total_pages", data.get("totalPages"))
        if data.get("last_page", data.get("last")) is True or (isinstance(total_pages, int) and page >= total_pages):
            return
        page += 1


def read_source(path_or_url: str, modified_after: str | None = None) -> Iterator[dict | Unreadable]:
    if path_or_url.startswith(("http://", "https://")):
        return records_from_api(path_or_url, modified_after=modified_after)
    with Path(path_or_url).open(encoding="utf-8") as handle:
        return records_from_json(json.load(handle))


# --- running an import ----------------------------------------------------------------------------


def _describe(index: int, record: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"record": index}
    if isinstance(record, dict):
        if isinstance(record.get("id"), str):
            entry["id"] = record["id"][:100]
        if isinstance(record.get("name"), str):
            entry["name"] = record["name"][:200]
    return entry


def _without_modified(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "last_modified"}


@dataclass
class Stored:
    """What the database holds for one batch: its listings, and the organisations and locations that
    the records or those listings name."""

    listings: dict[str, ListingRows]
    organizations: dict[str, Row]
    locations: dict[str, Row]

    @classmethod
    def read(cls, records: list[dict]) -> Stored:
        listings = repository.stored_listings(record["id"] for record in records)
        organization_ids = [*map(organization_id, records), *(s.service["organization_id"] for s in listings.values())]
        located = [
            *(location for record in records for location in location_ids(record)),
            *(row["location_id"] for s in listings.values() for row in s.rows(ServiceAtLocation)),
        ]
        return cls(
            listings,
            repository.rows_by_id(Organization, organization_ids),
            repository.rows_by_id(Location, located),
        )


def record_hash(record: Any, source: str) -> str:
    """A hash of everything an incoming record says, as it came (so before it is validated), with the
    organisation, locations, contacts, schedules and terms it holds, its source and IMPORT_FORMAT."""
    text = json.dumps([IMPORT_FORMAT, source, record], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _differs(old: Row, row: Row, ignore: frozenset[str] = frozenset()) -> bool:
    return row is not old and any(old[key] != value for key, value in row.items() if key not in ignore)


def _changed_ids(rows: dict[str, Row], stored: dict[str, Row]) -> set[str]:
    """The stored shared rows (organisations, locations) whose content these rows change."""
    return {row_id for row_id, row in rows.items() if row_id in stored and _differs(stored[row_id], row, STAMPS)}


def _new_and_changed(
    writes: RowWrites, model: type, rows: dict[str, Row], stored: dict[str, Row], ignore: frozenset[str] = frozenset()
) -> None:
    """Rows that are new, or hold a value that differs from what is stored (apart from `ignore`), go
    into `writes`."""
    for row_id, row in rows.items():
        old = stored.get(row_id)
        if old is None:
            writes.new[model].append(row)
        elif _differs(old, row, ignore):
            writes.changed[model].append(row)


def _replace_children(writes: RowWrites, listings: list[ListingRows], stored: dict[str, ListingRows]) -> None:
    """A new listing's child rows go in; a stored one's are replaced, table by table, where they differ."""
    for model in CHILD_ATTRIBUTES:
        for listing in listings:
            service_id, wanted = listing.service["id"], listing.rows(model)
            old = stored.get(service_id)
            if old is None:
                writes.new[model].extend(wanted)
            elif not same_rows(old.rows(model), wanted):
                writes.replaced[model].add(service_id)
                writes.new[model].extend(wanted)


def save_progress() -> None:
    """The one commit an import makes itself, after starting its run and after each batch: an import is
    long, so an interrupted one keeps the batches it saved (and its ImportRun says how far it got; see
    tests/test_import_interrupted.py), and running it again carries on. Everything else in the directory
    leaves committing to the request or the `flask` command."""
    db.session.commit()


class Importer:
    """Runs one import: batches, one transaction each, with the run's progress saved as it goes."""

    def __init__(self, source: str, batch_size: int = BATCH_SIZE, changed_by: str | None = None) -> None:
        self.batch_size = batch_size
        self.run = repository.start_import_run(source)
        save_progress()
        self.report = ImportReport(run_id=self.run.id, source=source)
        self.ctx = ImportContext(source, datetime.now(UTC))
        self.changed_by = (changed_by or f"import: {source}")[:255]

    def import_all(self, records: Iterable[dict | Unreadable]) -> ImportReport:
        started = time.perf_counter()
        batch: list[tuple[int, dict]] = []
        for index, record in enumerate(records, start=1):
            if isinstance(record, Unreadable):
                self._fail({"record": index, "source": record.reference}, record.errors)
                continue
            batch.append((index, record))
            if len(batch) >= self.batch_size:
                self._commit_batch(batch)
                batch = []
        self._commit_batch(batch, final=True)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _fail(self, where: dict[str, Any], errors: list[str]) -> None:
        self.report.failed += 1
        if len(self.report.errors) < MAX_KEPT_ERRORS:
            self.report.errors.append({**where, "errors": errors})

    def _changed_and_valid(self, batch: list[tuple[int, Any]]) -> list[tuple[int, dict, str]]:
        """The batch's records that differ from the one last imported for their listing, validated, each
        with its hash; the same record again is counted as imported and unchanged, and left out."""
        hashes = [record_hash(record, self.ctx.source) for _index, record in batch]
        ids = [
            record["id"] for _index, record in batch if isinstance(record, dict) and isinstance(record.get("id"), str)
        ]
        stored = repository.content_hashes(ids)
        valid = []
        for (index, record), content_hash in zip(batch, hashes, strict=True):
            if isinstance(record, dict) and stored.get(record.get("id")) == content_hash:
                self.report.imported += 1
                self.report.unchanged += 1
                continue
            checked = check_service(record)
            if checked.warnings and len(self.report.warnings) < MAX_KEPT_ERRORS:
                self.report.warnings.append({**_describe(index, record), "warnings": checked.warnings})
            if checked.record is None:
                self._fail(_describe(index, record), checked.errors)
                continue
            valid.append((index, checked.record, content_hash))
        return valid

    def _commit_batch(self, raw: list[tuple[int, Any]], final: bool = False) -> None:
        batch = self._changed_and_valid(raw)
        if batch:
            try:
                with repository.savepoint():
                    self._store(batch)
            except (SQLAlchemyError, ValueError):
                self.ctx.reload_terms()
                for index, record, content_hash in batch:  # find the records at fault; keep the rest
                    try:
                        with repository.savepoint():
                            self._store([(index, record, content_hash)])
                    except (SQLAlchemyError, ValueError) as error:
                        self.ctx.reload_terms()
                        self._fail(_describe(index, record), [_database_message(error)])
        run = repository.get_import_run(self.report.run_id)
        run.imported, run.failed = self.report.imported, self.report.failed
        run.errors = json.dumps(self.report.errors, ensure_ascii=False)
        if final:
            run.finished_at = datetime.now(UTC)
        save_progress()

    def _store(self, batch: list[tuple[int, dict, str]]) -> None:
        """Turn the batch into rows, compare them with what is stored, and write what differs: with the
        other listings that show an organisation or location the batch changes."""
        records = [record for _index, record, _hash in batch]
        stored = Stored.read(records)
        organizations, locations = dict(stored.organizations), dict(stored.locations)
        listings, own_modified = [], set()
        for _index, record, content_hash in batch:
            listing = build_listing(record, stored.listings.get(record["id"]), organizations, locations, self.ctx)
            old = stored.listings.get(record["id"])
            if record.get("last_modified"):
                listing.service["last_modified"] = parse_datetime(record["last_modified"])
                own_modified.add(record["id"])
            else:
                listing.service["last_modified"] = old.service["last_modified"] if old else self.ctx.now
            listing.service["content_hash"] = content_hash
            listings.append(listing)
        listings += self._showing_changed(stored, listings, organizations, locations)
        writes = RowWrites()
        self._versions_and_search_rows(writes, listings, own_modified, stored, organizations, locations)
        _new_and_changed(writes, Organization, organizations, stored.organizations, STAMPS)
        _new_and_changed(writes, Location, locations, stored.locations, STAMPS)
        _new_and_changed(
            writes,
            Service,
            {listing.service["id"]: listing.service for listing in listings},
            {service_id: listing.service for service_id, listing in stored.listings.items()},
        )
        _replace_children(writes, listings, stored.listings)
        repository.write_rows(writes)
        self.report.imported += len(batch)

    @staticmethod
    def _showing_changed(
        stored: Stored, listings: list[ListingRows], organizations: dict[str, Row], locations: dict[str, Row]
    ) -> list[ListingRows]:
        """The stored listings outside the batch that show an organisation or location the batch changes,
        as they are (added to `stored`, with the shared rows they show), to be written with the new values."""
        in_batch = {listing.service["id"] for listing in listings}
        showing = repository.services_showing(
            _changed_ids(organizations, stored.organizations), _changed_ids(locations, stored.locations)
        )
        others = repository.stored_listings(showing - in_batch)
        if not others:
            return []
        stored.listings.update(others)
        organization_ids = {listing.service["organization_id"] for listing in others.values()}
        located = {row["location_id"] for listing in others.values() for row in listing.rows(ServiceAtLocation)}
        for model, shared, new in (
            (Organization, stored.organizations, organizations),
            (Location, stored.locations, locations),
        ):
            wanted = organization_ids if model is Organization else located
            for row_id, row in repository.rows_by_id(model, wanted - shared.keys()).items():
                shared[row_id] = row
                new.setdefault(row_id, row)
        return [
            ListingRows(dict(listing.service), {model: list(rows) for model, rows in listing.children.items()})
            for listing in others.values()
        ]

    def _versions_and_search_rows(
        self,
        writes: RowWrites,
        listings: list[ListingRows],
        own_modified: set[str],
        stored: Stored,
        organizations: dict[str, Row],
        locations: dict[str, Row],
    ) -> None:
        """A version for each listing whose ORUK document changes (stamped with the import's time when the
        record gave no last_modified), and a new search row for each whose search row changes."""
        names, terms = self.ctx.taxonomy_names, self.ctx.terms
        search_rows = repository.search_rows(stored.listings)
        changed = []
        for listing in listings:
            service_id = listing.service["id"]
            view = service_view(listing, organizations, locations, terms)
            document = serialise.service_full(view, names)
            old = stored.listings.get(service_id)
            if old is None or _without_modified(document) != _without_modified(
                serialise.service_full(service_view(old, stored.organizations, stored.locations, terms), names)
            ):
                if old is not None and service_id not in own_modified:
                    listing.service["last_modified"] = view.last_modified = self.ctx.now
                    document = serialise.service_full(view, names)
                changed.append((service_id, document))
            search_row = repository.search_row(view)
            if search_rows.get(service_id) != search_row:
                if service_id in search_rows:
                    writes.replaced[SearchDocument].add(service_id)
                writes.new[SearchDocument].append(search_row)
        numbers = repository.version_numbers(service_id for service_id, _ in changed)
        writes.new[ServiceVersion] = [
            repository.version_row(
                service_id,
                numbers.get(service_id, 0) + 1,
                "imported",
                self.changed_by,
                serialise.document_text(document),
                self.ctx.now,
            )
            for service_id, document in changed
        ]


def _database_message(error: Exception) -> str:
    if isinstance(error, ValueError):
        return str(error)
    text = str(getattr(error, "orig", error)).splitlines()[0]
    return f"the database refused this record: {text[:300]}"


def import_records(records: Iterable[dict | Unreadable], source: str, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Validate and store services, one committed transaction per batch; returns what happened."""
    return Importer(source, batch_size).import_all(records)


def import_oruk(path_or_url: str, batch_size: int = BATCH_SIZE, modified_after: str | None = None) -> ImportReport:
    """Import a file or another ORUK API (3.0 or 1.0); from an API, `modified_after` re-syncs what changed."""
    return import_records(read_source(path_or_url, modified_after), path_or_url, batch_size)


def export_oruk(path: str | Path, batch_size: int = BATCH_SIZE) -> int:
    """Write every listing that is not archived, fully nested, as one JSON list; returns how many."""
    names = serialise.taxonomy_names()
    ids = repository.exportable_service_ids()
    with Path(path).open("w", encoding="utf-8") as handle:
        handle.write("[")
        for start in range(0, len(ids), batch_size):
            for position, service in enumerate(repository.full_service_views(ids[start : start + batch_size])):
                handle.write(",\n" if start or position else "\n")
                handle.write(json.dumps(serialise.service_full(service, names), ensure_ascii=False, sort_keys=True))
        handle.write("\n]\n")
    return len(ids)
