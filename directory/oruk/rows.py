"""A valid ORUK service record as table rows: the service, its children, organisation and locations.

Nothing here writes a listing: `build_listing` returns rows, and records the organisation and
locations it names in the dicts it is given, for the importer to compare with what is stored and
write in bulk. Only taxonomies and terms met for the first time are added at once, as other
records in the same run may use them.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from directory import repository
from directory.listing_rows import ListingRows, Row
from directory.loading import COUNTYWIDE_AREA, language_name
from directory.models import (
    Contact,
    CostOption,
    Language,
    OrganizationType,
    Phone,
    Referral,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTaxonomyTerm,
    Taxonomy,
    TaxonomyTerm,
)
from directory.oruk.validation import is_uuid
from directory.oruk.vocabulary import TERMS_BY_ID, fixed_id, organisation_type_from_words
from directory.postcodes import PostcodeError, locate, normalise

STATUS_IN = {
    "active": ServiceStatus.ACTIVE,
    "inactive": ServiceStatus.INACTIVE,
    "temporarily closed": ServiceStatus.INACTIVE,
    "defunct": ServiceStatus.ARCHIVED,
}
ORGANISATION_TYPE_TAXONOMIES = {"organisation type", "organization type", "organisation types", "organization types"}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _time(value: Any) -> str | None:
    """HH:MM for the column (what search and the edit form use); the exact time is kept beside it."""
    return str(value)[:5] if value else None


def extra_json(item: dict, known: frozenset[str] | set[str]) -> str | None:
    """The fields of an ORUK object that no column holds, as JSON to keep beside its row."""
    extra = {key: value for key, value in item.items() if key not in known and value is not None}
    return json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None


def _child_id(item: dict, kind: str, parent_id: str, index: int) -> str:
    value = item.get("id")
    return value if is_uuid(value) else fixed_id(kind, f"{parent_id}:{index}")


def _embedded_term(attribute: Any) -> dict:
    if not isinstance(attribute, dict):
        return {}
    term = attribute.get("taxonomy_term")
    return term if isinstance(term, dict) else {}


class ImportContext:
    """What one import run knows across records: taxonomies and terms, the source and its time."""

    def __init__(self, source: str, now: datetime) -> None:
        self.source = source
        self.now = now
        self.reload_terms()

    def reload_terms(self) -> None:
        taxonomies, terms = repository.taxonomy_rows()
        self.taxonomies: dict[str, SimpleNamespace] = {t["id"]: SimpleNamespace(**t) for t in taxonomies}
        self.taxonomy_by_name = {t.name.casefold(): t for t in self.taxonomies.values()}
        self.terms: dict[str, SimpleNamespace] = {t["id"]: SimpleNamespace(**t) for t in terms}
        self.term_by_code = {(t.taxonomy_id, t.code): t for t in self.terms.values()}
        self.taxonomy_names = {t.id: t.name for t in self.taxonomies.values()}

    def taxonomy_for(self, term: dict) -> SimpleNamespace:
        name = _text(term.get("taxonomy")).strip() or "Imported terms"
        taxonomy_id = term.get("taxonomy_id")
        found = self.taxonomies.get(taxonomy_id) if is_uuid(taxonomy_id) else None
        found = found or self.taxonomy_by_name.get(name.casefold())
        if found is None:
            row = {
                "id": taxonomy_id if is_uuid(taxonomy_id) else fixed_id("taxonomy", name),
                "name": name,
                "description": "",
                "version": None,
            }
            repository.insert_rows(Taxonomy, [row])
            found = SimpleNamespace(**row)
            self.taxonomies[found.id] = found
            self.taxonomy_by_name[name.casefold()] = found
            self.taxonomy_names[found.id] = found.name
        return found

    def term_for(self, attribute: dict) -> SimpleNamespace | None:
        """The stored term an attribute links to, adding it (and its taxonomy) when it is new here."""
        term = _embedded_term(attribute)
        term_id = attribute.get("taxonomy_term_id") or term.get("id")
        if term_id in self.terms:
            return self.terms[term_id]
        if not term.get("name"):
            return None
        taxonomy = self.taxonomy_for(term)
        code = (_text(term.get("term")) or _text(term.get("name"))).strip().lower().replace(" ", "-")
        found = self.term_by_code.get((taxonomy.id, code))
        if found is None:
            row = {
                "id": term_id if is_uuid(term_id) else fixed_id("term", f"{taxonomy.id}:{code}"),
                "taxonomy_id": taxonomy.id,
                "code": code,
                "name": _text(term.get("name")),
                "description": _text(term.get("description")),
                "parent_id": term.get("parent_id") if term.get("parent_id") in self.terms else None,
            }
            repository.insert_rows(TaxonomyTerm, [row])
            found = SimpleNamespace(**row)
            self.terms[found.id] = found
            self.term_by_code[(taxonomy.id, code)] = found
        return found


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


def organization_id(record: dict) -> str:
    """The id of the record's organisation; a record that names none gets one kept for its publisher."""
    data = record.get("organization")
    if isinstance(data, dict):
        return data["id"]
    return record.get("organization_id") or fixed_id("organization", f"not given:{record['id']}")


def location_ids(record: dict) -> list[str]:
    return [
        sal["location"]["id"] if isinstance(sal.get("location"), dict) else sal["location_id"]
        for sal in record.get("service_at_locations") or []
    ]


SERVICE_COLUMNS = frozenset(
    {
        "id", "organization_id", "organization", "name", "description", "url", "email", "status",
        "eligibility_description", "minimum_age", "maximum_age", "application_process", "fees_description",
        "assured_date", "last_modified", "phones", "schedules", "service_areas", "languages", "cost_options",
        "contacts", "service_at_locations",
    }
)  # fmt: skip
ORGANIZATION_COLUMNS = frozenset({"id", "name", "description", "email", "website", "services"})
LOCATION_COLUMNS = frozenset({"id", "name", "latitude", "longitude"})
SAL_COLUMNS = frozenset({"id", "service_id", "location_id", "location", "service"})


def _organization(record: dict, organizations: dict[str, Row], ctx: ImportContext) -> str:
    """The id of the record's organisation, recording its embedded values in `organizations`.

    An organisation named only by id (or not at all) that this directory does not have yet is added with
    no name, for a later import of the organisation to fill in."""
    data = record.get("organization")
    found_id = organization_id(record)
    found = organizations.get(found_id)
    if not isinstance(data, dict):
        if found is None:
            organizations[found_id] = {
                "id": found_id,
                "name": "",
                "description": "",
                "email": None,
                "website": None,
                "oruk_extra": None,
                "organization_type": OrganizationType.VOLUNTARY,
                "source": ctx.source[:500],
                "imported_at": ctx.now,
            }
        return found_id
    organizations[found_id] = {
        "id": found_id,
        "name": _text(data.get("name")),
        "description": _text(data.get("description")),
        "email": data.get("email") or None,
        "website": data.get("website") or None,
        "oruk_extra": extra_json(data, ORGANIZATION_COLUMNS),
        "organization_type": organisation_type(data, record)
        or (found["organization_type"] if found else OrganizationType.VOLUNTARY),
        "source": ctx.source[:500],
        "imported_at": ctx.now,
    }
    return found_id


def _phone(data: dict) -> Row:
    return {"number": _text(data.get("number")), "description": _text(data.get("description"))}


SCHEDULE_TEXT = ("bymonthday", "dtstart", "until", "valid_from", "valid_to", "notes", "attending_type")


def _schedule(data: dict) -> Row:
    return {
        "byday": _text(data.get("byday")),
        "opens_at": _time(data.get("opens_at")),
        "closes_at": _time(data.get("closes_at")),
        "description": _text(data.get("description")),
        "freq": data.get("freq") or None,
        "interval": data.get("interval"),
        "count": data.get("count"),
        **{key: (_text(data.get(key)) or None) for key in SCHEDULE_TEXT},
    }


def _area(data: dict) -> Row:
    return {"name": _text(data.get("name"))}


def _language(data: dict) -> Row:
    code = _text(data.get("code"))
    return {"code": code, "name": _text(data.get("name")) or (language_name(code) if code else "")}


def _cost(data: dict) -> Row:
    return {
        "amount": float(data["amount"]) if data.get("amount") is not None else None,
        "currency": _text(data.get("currency") or "GBP"),
        "amount_description": _text(data.get("amount_description")),
    }


def _contact(data: dict) -> Row:
    return {"name": _text(data.get("name")), "title": _text(data.get("title")), "email": data.get("email") or None}


# Each child table: its model, the kind its derived ids are made from, the record's key, its values.
CHILDREN = (
    (Phone, "phone", "phones", _phone),
    (Schedule, "schedule", "schedules", _schedule),
    (ServiceArea, "area", "service_areas", _area),
    (Language, "language", "languages", _language),
    (CostOption, "cost", "cost_options", _cost),
    (Contact, "contact", "contacts", _contact),
)
CHILD_COLUMNS = {
    model: frozenset({"id", "service_id", *values({})}) - {"currency"} for model, _kind, _key, values in CHILDREN
}  # a cost option's currency is kept as given: Signpost fills in GBP only for its own column


def _children(service_id: str, record: dict) -> dict[type, list[Row]]:
    children = {}
    for model, kind, key, values in CHILDREN:
        items = [item for item in record.get(key) or [] if isinstance(item, dict)]
        children[model] = [
            {
                "id": _child_id(item, kind, service_id, i),
                "service_id": service_id,
                **values(item),
                "oruk_extra": extra_json(item, CHILD_COLUMNS[model]),
            }
            for i, item in enumerate(items)
        ]
    for position, phone in enumerate(children[Phone]):
        phone["position"] = position
    schedules = [item for item in record.get("schedules") or [] if isinstance(item, dict)]
    for row, item in zip(children[Schedule], schedules, strict=True):
        exact = {key: item[key] for key in ("opens_at", "closes_at") if item.get(key) and item[key] != row[key]}
        if exact:  # 19:00:00, 09:30+01:00: the exact time, for the column holds HH:MM
            row["oruk_extra"] = json.dumps(json.loads(row["oruk_extra"] or "{}") | exact, sort_keys=True)
    return children


def _location_values(data: dict) -> Row:
    addresses = [a for a in data.get("addresses") or [] if isinstance(a, dict)]
    address = addresses[0] if addresses else {}
    postcode = normalise(_text(address.get("postal_code")))
    latitude, longitude = data.get("latitude"), data.get("longitude")
    try:
        place = locate(postcode)
    except PostcodeError:
        place = None
    if latitude is None or longitude is None:
        latitude, longitude = (place.latitude, place.longitude) if place else (None, None)
    district = place.district if place else (_text(address.get("region")) or None)
    return {
        "name": _text(data.get("name")),
        "address_1": _text(address.get("address_1")),
        "city": _text(address.get("city")),
        "postal_code": postcode,
        "latitude": latitude,
        "longitude": longitude,
        "district": district,
        "oruk_extra": extra_json(data, LOCATION_COLUMNS),
    }


def _placeholder_location(location_id: str) -> Row:
    return dict.fromkeys(("name", "address_1", "city", "postal_code"), "") | {
        "id": location_id,
        "latitude": None,
        "longitude": None,
        "district": None,
        "oruk_extra": None,
    }


def _service_at_locations(service_id: str, record: dict, locations: dict[str, Row]) -> list[Row]:
    rows = []
    for i, sal in enumerate(record.get("service_at_locations") or []):
        data = sal.get("location")
        location_id = data["id"] if isinstance(data, dict) else sal["location_id"]
        if isinstance(data, dict):
            locations[location_id] = {"id": location_id, **_location_values(data)}
        elif location_id not in locations:
            locations[location_id] = _placeholder_location(location_id)
        rows.append(
            {
                "id": _child_id(sal, "sal", service_id, i),
                "service_id": service_id,
                "location_id": location_id,
                "oruk_extra": extra_json(sal, SAL_COLUMNS),
            }
        )
    return rows


def _access(
    record: dict, stored_referral: Referral | None, ctx: ImportContext, links: dict[str, dict]
) -> tuple[list[str], Row]:
    """The record's category term ids, and the access columns its attributes (or its contents) give;
    `links` gets, by the id of the term Signpost keeps for it, each attribute that became a term."""
    term_ids: list[str] = []
    fixed = set()
    for attribute in record.get("attributes") or []:
        if not isinstance(attribute, dict):
            continue
        term_id = attribute.get("taxonomy_term_id") or _embedded_term(attribute).get("id")
        if term_id in TERMS_BY_ID:
            fixed.add(TERMS_BY_ID[term_id])
            links[term_id] = attribute
            continue
        taxonomy = _text(_embedded_term(attribute).get("taxonomy")).strip().casefold()
        if taxonomy in ORGANISATION_TYPE_TAXONOMIES:
            continue
        term = ctx.term_for(attribute)
        if term is not None and term.id not in term_ids:
            term_ids.append(term.id)
            links[term.id] = attribute
    access = [term for term in fixed if term.field != "organization_type"]
    if access:
        delivery = {term.value for term in access if term.field == "delivery"}
        referral = [term.value for term in access if term.field == "referral"]
        return term_ids, {
            "in_person": "in_person" in delivery,
            "by_phone": "phone" in delivery,
            "online": "online" in delivery,
            "referral": Referral(referral[0]) if referral else Referral.SELF,
            "is_free": any(term.field == "free" for term in access),
        }
    return term_ids, {  # another publisher's record: infer what Signpost shows from what the record holds
        "in_person": bool(record.get("service_at_locations")),
        "by_phone": bool(record.get("phones")),
        "online": bool(record.get("url")),
        "referral": stored_referral or Referral.SELF,
        "is_free": any(
            isinstance(o, dict) and (o.get("amount") == 0 or _text(o.get("amount_description")).lower() == "free")
            for o in record.get("cost_options") or []
        ),
    }


def build_listing(
    record: dict,
    stored: ListingRows | None,
    organizations: dict[str, Row],
    locations: dict[str, Row],
    ctx: ImportContext,
) -> ListingRows:
    """One valid record as rows (its `last_modified` left to the importer); the organisation and
    locations it holds replace those in `organizations` and `locations`."""
    service_id = record["id"]
    organization = _organization(record, organizations, ctx)
    children = _children(service_id, record)
    children[ServiceAtLocation] = _service_at_locations(service_id, record, locations)
    links: dict[str, dict] = {}
    term_ids, access = _access(record, stored.service["referral"] if stored else None, ctx, links)
    children[ServiceTaxonomyTerm] = [{"service_id": service_id, "taxonomy_term_id": t} for t in term_ids]
    assured = record.get("assured_date")
    low, high = record.get("minimum_age"), record.get("maximum_age")
    service = {
        "id": service_id,
        "organization_id": organization,
        "name": _text(record.get("name")),
        "description": _text(record.get("description")),
        "url": record.get("url") or None,
        "email": record.get("email") or None,
        "status": STATUS_IN[record.get("status") or "active"],
        "eligibility_description": _text(record.get("eligibility_description")),
        "minimum_age": math.floor(low) if low is not None else None,
        "maximum_age": math.ceil(high) if high is not None else None,
        "application_process": _text(record.get("application_process")),
        "fees_description": _text(record.get("fees_description") or record.get("fees")),
        "countywide": any(area["name"].casefold() == COUNTYWIDE_AREA.casefold() for area in children[ServiceArea]),
        "assured_date": date.fromisoformat(str(assured)[:10]) if assured else None,
        "source": ctx.source[:500],
        "imported_at": ctx.now,
        "oruk_extra": _service_extra(record, links),
        **access,
    }
    return ListingRows(service, children)


def _service_extra(record: dict, links: dict[str, dict]) -> str | None:
    """What the service's columns cannot hold: fields with no column, a fractional age (the column holds
    whole years), "temporarily closed" (stored as inactive), and its attributes: those that became a term
    Signpost keeps (`attribute_links`, by term id, for their ids and link types) apart from the rest."""
    extra = {key: value for key, value in record.items() if key not in SERVICE_COLUMNS and value is not None}
    if links:
        extra["attribute_links"] = links
    linked = [id(attribute) for attribute in links.values()]
    others = [a for a in record.get("attributes") or [] if id(a) not in linked]
    extra.pop("attributes", None)
    if others:
        extra["attributes"] = others
    for key in ("minimum_age", "maximum_age"):
        if isinstance(record.get(key), float) and record[key] != int(record[key]):
            extra[key] = record[key]
    if record.get("status") == "temporarily closed":
        extra["status"] = record["status"]
    return json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
