"""Turning listing records (the demo data and synthetic directories) into directory rows.

A record is a plain dict in the shape of `directory/data/demo_services.json`; ids are derived
from each record's `key`, so loading the same records again gives the same service URLs.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from babel import Locale, UnknownLocaleError

from directory import repository
from directory.listing_rows import ListingRows, Row, RowWrites, service_view
from directory.models import (
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationType,
    Phone,
    Referral,
    Schedule,
    SearchDocument,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTaxonomyTerm,
    TaxonomyTerm,
)
from directory.postcodes import PostcodeError, locate, normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_FILE = DATA_DIR / "demo_services.json"
CATEGORIES_FILE = DATA_DIR / "categories.json"
ID_NAMESPACE = uuid.UUID("6f1c1f0e-6c53-4a8e-9a55-5b7f3c0d2a11")
COUNTYWIDE_AREA = "Hertfordshire"


def stable_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{key}"))


def load_categories() -> dict[str, TaxonomyTerm]:
    data = json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
    info = data["taxonomy"]
    taxonomy = repository.get_or_create_taxonomy(info["name"], info["description"], info["version"])
    if taxonomy.id is None:
        taxonomy.id = stable_id("taxonomy", info["name"])
    existing = repository.terms_by_code(taxonomy)
    for term in data["terms"]:
        row = existing.get(term["code"])
        if row is None:
            row = TaxonomyTerm(id=stable_id("term", term["code"]), taxonomy_id=taxonomy.id, code=term["code"])
            repository.add_all([row])
            existing[term["code"]] = row
        row.name, row.description = term["name"], term["description"]
    return existing


@cache
def language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def location_row(record: dict, service_key: str, index: int) -> Row:
    postcode = normalise(record.get("postcode", ""))
    try:
        place = locate(postcode)
        latitude, longitude, district = place.latitude, place.longitude, place.district
    except PostcodeError:
        latitude = longitude = district = None
    return {
        "id": stable_id("location", f"{service_key}:{index}"),
        "name": record.get("name", ""),
        "address_1": record.get("address_1", ""),
        "city": record.get("city", ""),
        "postal_code": postcode,
        "latitude": latitude,
        "longitude": longitude,
        "district": district,
    }


def organization_row(record: dict) -> Row:
    return {
        "id": stable_id("organization", record["key"]),
        "name": record["name"],
        "description": record.get("description", ""),
        "email": record.get("email"),
        "website": record.get("website"),
        "organization_type": OrganizationType(record.get("type", "voluntary")),
    }


def listing_rows(record: dict, organization_id: str, terms: dict[str, Any], locations: dict[str, Row]) -> ListingRows:
    """One record as rows (child rows get new ids); its locations are added to `locations`."""
    key = record["key"]
    service_id = stable_id("service", key)
    delivery = set(record.get("delivery", []))
    area = record.get("area", [])
    countywide = area == "countywide"
    service = {
        "id": service_id,
        "organization_id": organization_id,
        "name": record["name"],
        "description": record.get("description", ""),
        "url": record.get("url"),
        "email": record.get("email"),
        "status": ServiceStatus.ACTIVE,
        "eligibility_description": record.get("eligibility", ""),
        "minimum_age": record.get("minimum_age"),
        "maximum_age": record.get("maximum_age"),
        "application_process": record.get("how_to_access", ""),
        "referral": Referral(record.get("referral", "self")),
        "is_free": bool(record.get("free")),
        "fees_description": record.get("cost_description", ""),
        "in_person": "in_person" in delivery,
        "by_phone": "phone" in delivery,
        "online": "online" in delivery,
        "countywide": countywide,
        "assured_date": date.fromisoformat(record["assured_date"]) if record.get("assured_date") else None,
    }
    own = {"service_id": service_id}
    located = [location_row(loc, key, i) for i, loc in enumerate(record.get("locations", []))]
    locations.update((location["id"], location) for location in located)
    districts = [COUNTYWIDE_AREA] if countywide else list(area)
    for location in located:
        if location["district"] and location["district"] not in districts and not countywide:
            districts.append(location["district"])
    cost = record.get("cost_description") or ""
    children = {
        Phone: [
            {**own, "number": p["number"], "description": p.get("description") or "", "position": i}
            for i, p in enumerate(record.get("phones", []))
        ],
        Schedule: [
            {
                **own,
                "byday": ",".join(s.get("days", [])),
                "opens_at": s.get("opens_at"),
                "closes_at": s.get("closes_at"),
                "description": s.get("description") or "",
            }
            for s in record.get("schedules", [])
        ],
        CostOption: [{**own, "amount_description": cost}] if not service["is_free"] or cost else [],
        Language: [{**own, "code": c, "name": language_name(c)} for c in record.get("languages", ["en"])],
        ServiceAtLocation: [
            {**own, "id": stable_id("sal", f"{key}:{i}"), "location_id": location["id"]}
            for i, location in enumerate(located)
        ],
        ServiceArea: [{**own, "name": name} for name in districts],
        ServiceTaxonomyTerm: [
            {**own, "taxonomy_term_id": terms[code].id} for code in record.get("categories", []) if code in terms
        ],
    }
    return ListingRows(service, children)


def load_records(data: dict, batch_size: int = 5000) -> int:
    """Replace the directory with these records, written in batches; returns the services loaded. The caller
    (the `flask demo` command, a test's set-up) commits, so the directory is replaced all at once or not at all."""
    repository.delete_directory()
    terms = {code: SimpleNamespace(id=term.id, name=term.name) for code, term in load_categories().items()}
    organizations = {o["key"]: organization_row(o) for o in data["organizations"]}
    services = list(data["services"])
    written: set[str] = set()
    for start in range(0, len(services), batch_size):
        _store(services[start : start + batch_size], organizations, terms, written)
    repository.refresh_statistics()
    return len(services)


def _store(records: list[dict], organizations: dict[str, Row], terms: dict[str, Any], written: set[str]) -> None:
    """Write one batch of services, with the organisations not yet written, and their search documents."""
    writes = RowWrites()
    locations: dict[str, Row] = {}
    terms_by_id = {term.id: term for term in terms.values()}
    for record in records:
        organization = organizations[record["organization"]]
        if organization["id"] not in written:
            writes.new[Organization].append(organization)
            written.add(organization["id"])
        listing = listing_rows(record, organization["id"], terms, locations)
        writes.new[Service].append(listing.service)
        for model, rows in listing.children.items():
            writes.new[model].extend(rows)
        view = service_view(listing, {organization["id"]: organization}, locations, terms_by_id)
        writes.new[SearchDocument].append(repository.search_row(view))
    writes.new[Location] = list(locations.values())
    repository.write_rows(writes)


def load_demo() -> int:
    return load_records(json.loads(DEMO_FILE.read_text(encoding="utf-8")))
