"""Taking in Open Referral UK services: from a file, from another ORUK API, or from a spreadsheet.

Every record is validated first, and problems are reported by record without stopping the others.
Records are stored in batches, one transaction each (with the ImportRun's progress), so a crash
loses nothing already committed and running the import again picks up where it stopped. The same
ids update rather than duplicate; each listing keeps where it came from and when, and a version
(ServiceVersion) is kept whenever an import changes what a listing says.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from directory import repository
from directory.loading import COUNTYWIDE_AREA, language_name
from directory.models import (
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationType,
    Phone,
    Referral,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from directory.oruk import serialise
from directory.oruk.validation import is_uuid, parse_datetime, validate_service
from directory.oruk.vocabulary import TERMS_BY_ID, fixed_id, organisation_type_from_words
from directory.postcodes import PostcodeError, locate, normalise

log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_KEPT_ERRORS = 1000
USER_AGENT = "Signpost ORUK importer"
STATUS_IN = {
    "active": ServiceStatus.ACTIVE,
    "inactive": ServiceStatus.INACTIVE,
    "temporarily closed": ServiceStatus.INACTIVE,
    "defunct": ServiceStatus.ARCHIVED,
}
ORGANISATION_TYPE_TAXONOMIES = {"organisation type", "organization type", "organisation types", "organization types"}


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
    errors: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


# --- reading sources ------------------------------------------------------------------------------


def records_from_json(data: Any) -> Iterator[dict | Unreadable]:
    """Services from a list of services, one API page, or a list of API pages."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        yield from data["contents"]
    elif isinstance(data, list) and data and all(isinstance(p, dict) and "contents" in p for p in data):
        for page in data:
            yield from page.get("contents") or []
    elif isinstance(data, list):
        yield from data
    else:
        yield Unreadable("file", ["expected a list of services or ORUK API pages"])


def _fetch_json(url: str) -> Any:
    req = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.load(response)


def _is_fully_nested(item: dict) -> bool:
    return any(key in item for key in ("service_at_locations", "schedules", "phones", "attributes"))


def records_from_api(base_url: str, per_page: int = 100) -> Iterator[dict | Unreadable]:
    """Page through another ORUK API's /services, fetching each fully nested service."""
    base = base_url.rstrip("/")
    base = base.removesuffix("/services")
    page = 1
    while True:
        url = f"{base}/services?" + urllib.parse.urlencode({"page": page, "per_page": per_page})
        try:
            data = _fetch_json(url)
        except (OSError, ValueError) as error:
            yield Unreadable(url, [f"could not read the page: {error}"])
            return
        contents = data.get("contents") if isinstance(data, dict) else None
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
            yield item
        total_pages = data.get("total_pages")
        if data.get("last_page") is True or (isinstance(total_pages, int) and page >= total_pages):
            return
        page += 1


def read_source(path_or_url: str) -> Iterator[dict | Unreadable]:
    if path_or_url.startswith(("http://", "https://")):
        return records_from_api(path_or_url)
    with Path(path_or_url).open(encoding="utf-8") as handle:
        return records_from_json(json.load(handle))


# --- building rows --------------------------------------------------------------------------------


def _text(value: Any, limit: int | None = None) -> str:
    text = "" if value is None else str(value)
    return text[:limit] if limit else text


def _child_id(item: dict, kind: str, parent_id: str, index: int) -> str:
    value = item.get("id")
    return value if is_uuid(value) else fixed_id(kind, f"{parent_id}:{index}")


def _sync(existing: list, wanted: list[tuple[str, dict[str, Any]]], model: type) -> list:
    """Children with these ids and values, updating rows that already exist rather than replacing them."""
    by_id = {row.id: row for row in existing}
    rows = []
    for child_id, values in wanted:
        row = by_id.get(child_id) or model(id=child_id)
        for key, value in values.items():
            setattr(row, key, value)
        rows.append(row)
    return rows


def _time(value: Any) -> str | None:
    return str(value)[:5] if value else None


class ImportContext:
    """What one import run knows across records: taxonomies and terms, the source and its time."""

    def __init__(self, source: str, run_id: str) -> None:
        self.source = source
        self.run_id = run_id
        self.now = datetime.now(UTC)
        self.reload_terms()

    def reload_terms(self) -> None:
        taxonomies, terms = repository.all_taxonomies_and_terms()
        self.taxonomies: dict[str, Taxonomy] = {t.id: t for t in taxonomies}
        self.taxonomy_by_name = {t.name.casefold(): t for t in taxonomies}
        self.terms: dict[str, TaxonomyTerm] = {t.id: t for t in terms}
        self.term_by_code = {(t.taxonomy_id, t.code): t for t in terms}

    @property
    def taxonomy_names(self) -> dict[str, str]:
        return {t.id: t.name for t in self.taxonomies.values()}

    def taxonomy_for(self, term: dict) -> Taxonomy:
        name = _text(term.get("taxonomy")).strip() or "Imported terms"
        taxonomy_id = term.get("taxonomy_id")
        found = self.taxonomies.get(taxonomy_id) if is_uuid(taxonomy_id) else None
        found = found or self.taxonomy_by_name.get(name.casefold())
        if found is None:
            found = Taxonomy(
                id=taxonomy_id if is_uuid(taxonomy_id) else fixed_id("taxonomy", name), name=name[:255], description=""
            )
            repository.add_all([found])
            self.taxonomies[found.id] = found
            self.taxonomy_by_name[name.casefold()] = found
        return found

    def term_for(self, attribute: dict) -> TaxonomyTerm | None:
        """The stored term an attribute links to, creating it (and its taxonomy) when it is new here."""
        term = attribute.get("taxonomy_term") if isinstance(attribute.get("taxonomy_term"), dict) else {}
        term_id = attribute.get("taxonomy_term_id") or term.get("id")
        if term_id in self.terms:
            return self.terms[term_id]
        if not term.get("name"):
            return None
        taxonomy = self.taxonomy_for(term)
        code = (_text(term.get("term")) or _text(term.get("name"))).strip().lower().replace(" ", "-")[:80]
        found = self.term_by_code.get((taxonomy.id, code))
        if found is None:
            found = TaxonomyTerm(
                id=term_id if is_uuid(term_id) else fixed_id("term", f"{taxonomy.id}:{code}"),
                taxonomy_id=taxonomy.id,
                code=code,
                name=_text(term.get("name"), 255),
                description=_text(term.get("description")),
                parent_id=term.get("parent_id") if term.get("parent_id") in self.terms else None,
            )
            repository.add_all([found])
            self.terms[found.id] = found
            self.term_by_code[(taxonomy.id, code)] = found
        return found


def _embedded_term(attribute: Any) -> dict:
    if not isinstance(attribute, dict):
        return {}
    term = attribute.get("taxonomy_term")
    return term if isinstance(term, dict) else {}


def organisation_type(organization: dict, record: dict) -> OrganizationType | None:
    """Organisation type from a fixed Signpost term, or from another publisher's term that names one."""
    attributes = [*(organization.get("attributes") or []), *(record.get("attributes") or [])]
    for attribute in attributes:
        if not isinstance(attribute, dict):
            continue
        term_id = attribute.get("taxonomy_term_id") or _embedded_term(attribute).get("id")
        fixed = TERMS_BY_ID.get(term_id)
        if fixed is not None and fixed.field == "organization_type":
            return OrganizationType(fixed.value)
    for attribute in attributes:
        term = _embedded_term(attribute)
        taxonomy = _text(term.get("taxonomy")).strip().casefold()
        link_type = _text(attribute.get("link_type")).casefold()
        if taxonomy in ORGANISATION_TYPE_TAXONOMIES or link_type == "organization_type":
            kind = organisation_type_from_words(term.get("term"), term.get("name"))
            if kind is not None:
                return kind
    return None


def build_organization(record: dict, organizations: dict[str, Organization], ctx: ImportContext) -> Organization:
    data = record.get("organization")
    if not isinstance(data, dict):
        found = organizations.get(record["organization_id"])
        if found is None:
            raise ValueError("organization_id names an organisation this directory does not have")
        return found
    organization = organizations.get(data["id"])
    if organization is None:
        organization = Organization(id=data["id"], organization_type=OrganizationType.VOLUNTARY)
        repository.add_all([organization])
        organizations[organization.id] = organization
    organization.name = _text(data.get("name"), 255)
    organization.description = _text(data.get("description"))
    organization.email = data.get("email") or None
    organization.website = data.get("website") or None
    organization.organization_type = organisation_type(data, record) or organization.organization_type
    organization.source, organization.imported_at = ctx.source[:500], ctx.now
    return organization


def _apply_attributes(service: Service, record: dict, ctx: ImportContext) -> None:
    terms: list[TaxonomyTerm] = []
    fixed = set()
    for attribute in record.get("attributes") or []:
        if not isinstance(attribute, dict):
            continue
        term_id = attribute.get("taxonomy_term_id") or _embedded_term(attribute).get("id")
        if term_id in TERMS_BY_ID:
            fixed.add(TERMS_BY_ID[term_id])
            continue
        taxonomy = _text(_embedded_term(attribute).get("taxonomy")).strip().casefold()
        if taxonomy in ORGANISATION_TYPE_TAXONOMIES:
            continue
        term = ctx.term_for(attribute)
        if term is not None and term not in terms:
            terms.append(term)
    service.taxonomy_terms = terms
    access = [term for term in fixed if term.field != "organization_type"]
    if access:
        delivery = {term.value for term in access if term.field == "delivery"}
        referral = [term.value for term in access if term.field == "referral"]
        service.in_person, service.by_phone, service.online = (k in delivery for k in ("in_person", "phone", "online"))
        service.referral = Referral(referral[0]) if referral else Referral.SELF
        service.is_free = any(term.field == "free" for term in access)
    else:  # another publisher's record: infer what Signpost shows from what the record holds
        service.in_person = bool(record.get("service_at_locations"))
        service.by_phone = bool(record.get("phones"))
        service.online = bool(record.get("url"))
        service.referral = service.referral or Referral.SELF
        service.is_free = any(
            isinstance(o, dict) and (o.get("amount") == 0 or _text(o.get("amount_description")).lower() == "free")
            for o in record.get("cost_options") or []
        )


def _apply_children(service: Service, record: dict) -> None:
    sid = service.id
    items = {key: [i for i in (record.get(key) or []) if isinstance(i, dict)] for key in CHILD_KEYS}
    phones = [
        (_child_id(p, "phone", sid, i), {"number": _text(p.get("number")), "description": _text(p.get("description"))})
        for i, p in enumerate(items["phones"])
    ]
    phones = [(child_id, {**values, "position": i}) for i, (child_id, values) in enumerate(phones)]
    service.phones = _sync(service.phones, phones, Phone)
    schedules = [
        (
            _child_id(s, "schedule", sid, i),
            {
                "byday": ",".join(d.strip().upper() for d in _text(s.get("byday")).split(",") if d.strip()),
                "opens_at": _time(s.get("opens_at")),
                "closes_at": _time(s.get("closes_at")),
                "description": _text(s.get("description"), 255),
            },
        )
        for i, s in enumerate(items["schedules"])
    ]
    service.schedules = _sync(service.schedules, schedules, Schedule)
    areas = [
        (_child_id(a, "area", sid, i), {"name": _text(a.get("name"), 120)})
        for i, a in enumerate(items["service_areas"])
    ]
    service.service_areas = _sync(service.service_areas, areas, ServiceArea)
    languages = [(_child_id(lang, "language", sid, i), _language(lang)) for i, lang in enumerate(items["languages"])]
    service.languages = _sync(service.languages, languages, Language)
    costs = [
        (
            _child_id(c, "cost", sid, i),
            {
                "amount": float(c["amount"]) if c.get("amount") is not None else None,
                "currency": _text(c.get("currency") or "GBP", 3),
                "amount_description": _text(c.get("amount_description"), 255),
            },
        )
        for i, c in enumerate(items["cost_options"])
    ]
    service.cost_options = _sync(service.cost_options, costs, CostOption)
    contacts = [
        (
            _child_id(c, "contact", sid, i),
            {"name": _text(c.get("name"), 255), "title": _text(c.get("title"), 255), "email": c.get("email") or None},
        )
        for i, c in enumerate(items["contacts"])
    ]
    service.contacts = _sync(service.contacts, contacts, Contact)


CHILD_KEYS = ("phones", "schedules", "service_areas", "languages", "cost_options", "contacts")


def _language(data: dict) -> dict[str, str]:
    code = _text(data.get("code") or data.get("name"), 10)
    return {"code": code, "name": _text(data.get("name"), 60) or language_name(code)}


def _location_values(data: dict) -> dict[str, Any]:
    addresses = [a for a in data.get("addresses") or [] if isinstance(a, dict)]
    address = addresses[0] if addresses else {}
    postcode = normalise(_text(address.get("postal_code")))[:10]
    latitude, longitude = data.get("latitude"), data.get("longitude")
    try:
        place = locate(postcode)
    except PostcodeError:
        place = None
    if latitude is None or longitude is None:
        latitude, longitude = (place.latitude, place.longitude) if place else (None, None)
    district = place.district if place else (_text(address.get("region"), 60) or None)
    return {
        "name": _text(data.get("name"), 255),
        "address_1": _text(address.get("address_1"), 255),
        "city": _text(address.get("city"), 120),
        "postal_code": postcode,
        "latitude": latitude,
        "longitude": longitude,
        "district": district,
    }


def _apply_locations(service: Service, record: dict, locations: dict[str, Location]) -> None:
    wanted = []
    for i, sal in enumerate(record.get("service_at_locations") or []):
        data = sal["location"]
        location_id = data.get("id") or sal.get("location_id")
        location = locations.get(location_id)
        if location is None:
            location = Location(id=location_id)
            repository.add_all([location])
            locations[location_id] = location
        for key, value in _location_values(data).items():
            setattr(location, key, value)
        wanted.append((_child_id(sal, "sal", service.id, i), {"location": location}))
    service.service_at_locations = _sync(service.service_at_locations, wanted, ServiceAtLocation)


def apply_record(record: dict, service: Service | None, stores: dict[str, dict], ctx: ImportContext) -> Service:
    """Create or update one service (and its organisation, locations and terms) from a valid record."""
    if service is None:
        service = Service(id=record["id"])
        repository.add_all([service])
    service.organization = build_organization(record, stores["organizations"], ctx)
    service.name = _text(record.get("name"), 255)
    service.description = _text(record.get("description"))
    service.url = record.get("url") or None
    service.email = record.get("email") or None
    service.status = STATUS_IN[record.get("status") or "active"]
    service.eligibility_description = _text(record.get("eligibility_description"))
    service.application_process = _text(record.get("application_process"))
    service.fees_description = _text(record.get("fees_description") or record.get("fees"))
    service.minimum_age = int(record["minimum_age"]) if record.get("minimum_age") is not None else None
    service.maximum_age = int(record["maximum_age"]) if record.get("maximum_age") is not None else None
    assured = record.get("assured_date")
    service.assured_date = date.fromisoformat(str(assured)[:10]) if assured else None
    _apply_children(service, record)
    _apply_locations(service, record, stores["locations"])
    service.countywide = any(area.name.casefold() == COUNTYWIDE_AREA.casefold() for area in service.service_areas)
    _apply_attributes(service, record, ctx)
    service.source, service.imported_at = ctx.source[:500], ctx.now
    return service


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


class Importer:
    """Runs one import: batches, one transaction each, with the run's progress saved as it goes."""

    def __init__(self, source: str, batch_size: int = BATCH_SIZE, changed_by: str | None = None) -> None:
        self.batch_size = batch_size
        self.run = repository.start_import_run(source)
        self.report = ImportReport(run_id=self.run.id, source=source)
        self.ctx = ImportContext(source, self.run.id)
        self.changed_by = (changed_by or f"import: {source}")[:255]

    def import_all(self, records: Iterable[dict | Unreadable]) -> ImportReport:
        started = time.perf_counter()
        batch: list[tuple[int, dict]] = []
        for index, record in enumerate(records, start=1):
            if isinstance(record, Unreadable):
                self._fail({"record": index, "source": record.reference}, record.errors)
                continue
            errors = validate_service(record)
            if errors:
                self._fail(_describe(index, record), errors)
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

    def _commit_batch(self, batch: list[tuple[int, dict]], final: bool = False) -> None:
        if batch:
            try:
                with repository.savepoint():
                    self._store(batch)
            except (SQLAlchemyError, ValueError):
                self.ctx.reload_terms()
                for index, record in batch:  # find the records at fault; keep the rest
                    try:
                        with repository.savepoint():
                            self._store([(index, record)])
                    except (SQLAlchemyError, ValueError) as error:
                        self.ctx.reload_terms()
                        self._fail(_describe(index, record), [_database_message(error)])
        run = repository.get_import_run(self.report.run_id)
        run.imported, run.failed = self.report.imported, self.report.failed
        run.errors = json.dumps(self.report.errors, ensure_ascii=False)
        if final:
            run.finished_at = datetime.now(UTC)
        repository.commit()

    def _store(self, batch: list[tuple[int, dict]]) -> None:
        ids = [record["id"] for _index, record in batch]
        existing = {s.id: s for s in repository.full_services(ids)}
        names = self.ctx.taxonomy_names
        before = {sid: _without_modified(serialise.service_full(s, names)) for sid, s in existing.items()}
        previous_modified = {sid: s.last_modified for sid, s in existing.items()}
        records = [record for _index, record in batch]
        organization_ids = [
            r["organization"]["id"] if isinstance(r.get("organization"), dict) else r["organization_id"]
            for r in records
        ]
        location_ids = [
            sal["location"].get("id") or sal.get("location_id")
            for r in records
            for sal in r.get("service_at_locations") or []
        ]
        stores = {
            "organizations": repository.organizations_by_ids(organization_ids),
            "locations": repository.locations_by_ids(location_ids),
        }
        services = []
        for _index, record in batch:
            service = apply_record(record, existing.get(record["id"]), stores, self.ctx)
            modified = record.get("last_modified")
            service.last_modified = (
                parse_datetime(modified) if modified else previous_modified.get(service.id, self.ctx.now)
            )
            services.append((service, bool(modified)))
        repository.flush()
        self._keep_versions(services, before)
        repository.reindex([service for service, _ in services])
        self.report.imported += len(batch)

    def _keep_versions(self, services: list[tuple[Service, bool]], before: dict[str, dict]) -> None:
        names = self.ctx.taxonomy_names
        latest = repository.latest_versions([service.id for service, _ in services])
        for service, has_modified in services:
            after = serialise.service_full(service, names)
            if _without_modified(after) == before.get(service.id):
                continue
            if not has_modified and service.id in before:
                service.last_modified = self.ctx.now
                after = serialise.service_full(service, names)
            version = latest.get(service.id, (0, ""))[0] + 1
            repository.add_version(
                service.id,
                version,
                "imported",
                self.changed_by,
                json.dumps(after, sort_keys=True, ensure_ascii=False),
                self.ctx.now,
            )


def _database_message(error: Exception) -> str:
    if isinstance(error, ValueError):
        return str(error)
    text = str(getattr(error, "orig", error)).splitlines()[0]
    return f"the database refused this record: {text[:300]}"


def import_records(records: Iterable[dict | Unreadable], source: str, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Validate and store services, one committed transaction per batch; returns what happened."""
    return Importer(source, batch_size).import_all(records)


def import_oruk(path_or_url: str, batch_size: int = BATCH_SIZE) -> ImportReport:
    return import_records(read_source(path_or_url), path_or_url, batch_size)


def export_oruk(path: str | Path, batch_size: int = BATCH_SIZE) -> int:
    """Write every listing that is not archived, fully nested, as one JSON list; returns how many."""
    names = serialise.taxonomy_names()
    ids = repository.exportable_service_ids()
    with Path(path).open("w", encoding="utf-8") as handle:
        handle.write("[")
        for start in range(0, len(ids), batch_size):
            for position, service in enumerate(repository.full_services(ids[start : start + batch_size])):
                handle.write(",\n" if start or position else "\n")
                handle.write(json.dumps(serialise.service_full(service, names), ensure_ascii=False, sort_keys=True))
        handle.write("\n]\n")
    return len(ids)
