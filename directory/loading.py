"""Turning listing records (the demo data and synthetic directories) into directory rows.

A record is a plain dict in the shape of `directory/data/demo_services.json`; ids are derived
from each record's `key`, so loading the same records again gives the same service URLs.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError

from directory import repository
from directory.models import (
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


def language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def build_location(record: dict, service_key: str, index: int) -> Location:
    postcode = normalise(record.get("postcode", ""))
    try:
        place = locate(postcode)
        latitude, longitude, district = place.latitude, place.longitude, place.district
    except PostcodeError:
        latitude = longitude = district = None
    return Location(
        id=stable_id("location", f"{service_key}:{index}"),
        name=record.get("name", ""),
        address_1=record.get("address_1", ""),
        city=record.get("city", ""),
        postal_code=postcode,
        latitude=latitude,
        longitude=longitude,
        district=district,
    )


def build_service(record: dict, organization: Organization, terms: dict[str, TaxonomyTerm]) -> Service:
    key = record["key"]
    delivery = set(record.get("delivery", []))
    area = record.get("area", [])
    countywide = area == "countywide"
    service = Service(
        id=stable_id("service", key),
        organization=organization,
        name=record["name"],
        description=record.get("description", ""),
        url=record.get("url"),
        email=record.get("email"),
        eligibility_description=record.get("eligibility", ""),
        minimum_age=record.get("minimum_age"),
        maximum_age=record.get("maximum_age"),
        application_process=record.get("how_to_access", ""),
        referral=Referral(record.get("referral", "self")),
        is_free=bool(record.get("free")),
        fees_description=record.get("cost_description", ""),
        in_person="in_person" in delivery,
        by_phone="phone" in delivery,
        online="online" in delivery,
        countywide=countywide,
        assured_date=date.fromisoformat(record["assured_date"]) if record.get("assured_date") else None,
    )
    service.taxonomy_terms = [terms[code] for code in record.get("categories", []) if code in terms]
    service.phones = [
        Phone(number=p["number"], description=p.get("description") or "", position=i)
        for i, p in enumerate(record.get("phones", []))
    ]
    service.schedules = [
        Schedule(
            byday=",".join(s.get("days", [])),
            opens_at=s.get("opens_at"),
            closes_at=s.get("closes_at"),
            description=s.get("description") or "",
        )
        for s in record.get("schedules", [])
    ]
    if not service.is_free or record.get("cost_description"):
        service.cost_options = [CostOption(amount_description=record.get("cost_description") or "")]
    service.languages = [Language(code=c, name=language_name(c)) for c in record.get("languages", ["en"])]
    locations = [build_location(loc, key, i) for i, loc in enumerate(record.get("locations", []))]
    service.service_at_locations = [
        ServiceAtLocation(id=stable_id("sal", f"{key}:{i}"), location=loc) for i, loc in enumerate(locations)
    ]
    districts = [COUNTYWIDE_AREA] if countywide else list(area)
    for loc in locations:
        if loc.district and loc.district not in districts and not countywide:
            districts.append(loc.district)
    service.service_areas = [ServiceArea(name=name) for name in districts]
    return service


def build_organization(record: dict) -> Organization:
    return Organization(
        id=stable_id("organization", record["key"]),
        name=record["name"],
        description=record.get("description", ""),
        email=record.get("email"),
        website=record.get("website"),
        organization_type=OrganizationType(record.get("type", "voluntary")),
    )


def build_all(data: dict, terms: dict[str, TaxonomyTerm]) -> Iterator[Service]:
    organizations = {o["key"]: build_organization(o) for o in data["organizations"]}
    for record in data["services"]:
        yield build_service(record, organizations[record["organization"]], terms)


def load_records(data: dict, batch_size: int = 500) -> int:
    """Replace the directory with these records, committing in batches; returns the services loaded."""
    repository.delete_directory()
    terms = load_categories()
    repository.commit()
    count = 0
    batch: list[Service] = []
    for service in build_all(data, terms):
        batch.append(service)
        if len(batch) >= batch_size:
            count += _store(batch)
            batch = []
    count += _store(batch)
    repository.refresh_statistics()
    return count


def _store(batch: Iterable[Service]) -> int:
    batch = list(batch)
    if not batch:
        return 0
    repository.add_all(batch)
    repository.reindex(batch)
    repository.commit()
    return len(batch)


def load_demo() -> int:
    return load_records(json.loads(DEMO_FILE.read_text(encoding="utf-8")))
