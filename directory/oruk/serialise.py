"""Directory rows as Open Referral UK 3.0 JSON: the one place that shape is written.

The API, the export and the kept versions of a listing (`ServiceVersion.snapshot`) all use these
functions, so what Signpost publishes, exports and remembers is always the same document. Fields
with no value are left out rather than sent as null, because the ORUK schemas type them as strings
or numbers. Facts Signpost keeps as columns (organisation type, how a service is offered, referral,
free) are published as attributes linking to the fixed terms in `directory.oruk.vocabulary`.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from directory import repository
from directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from directory.oruk.validation import is_web_address
from directory.oruk.vocabulary import TAXONOMIES, VirtualTaxonomy, VirtualTerm, fixed_id, term_for
from directory.postcodes import normalise

HSDS_VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
COUNTRY = "GB"
STATUS_OUT = {
    ServiceStatus.ACTIVE: "active",
    ServiceStatus.INACTIVE: "inactive",
    ServiceStatus.ARCHIVED: "defunct",
}


def iso_datetime(value: datetime | None) -> str | None:
    """UTC with millisecond accuracy, as ORUK asks: 2026-11-01T10:30:45.123Z."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def extra(row: Any) -> dict[str, Any]:
    """The ORUK fields kept beside a row that no column holds (see `directory.oruk.rows.extra_json`)."""
    raw = getattr(row, "oruk_extra", None)
    return json.loads(raw) if raw else {}


def _with_extra(row: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The row's kept ORUK fields, then its columns' values (a column wins: it may have been edited)."""
    return {**extra(row), **data}


def web_address(value: str | None) -> str | None:
    """A link column's value only if it is an http(s) address: a `javascript:` URL is never published.
    (Links kept in `oruk_extra` were checked on import, which refuses any other kind.)"""
    return value if value and is_web_address(value) else None


def taxonomy_names() -> dict[str, str]:
    """Taxonomy id → name, for the `taxonomy` field of each term."""
    return repository.taxonomy_names()


# --- taxonomies -----------------------------------------------------------------------------------


def taxonomy_json(taxonomy: Taxonomy | VirtualTaxonomy) -> dict[str, Any]:
    if isinstance(taxonomy, VirtualTaxonomy):
        return {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description}
    data = {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description or ""}
    return _compact({**data, "version": taxonomy.version})


def term_json(term: TaxonomyTerm | VirtualTerm, names: dict[str, str]) -> dict[str, Any]:
    if isinstance(term, VirtualTerm):
        return {
            "id": term.id,
            "name": term.name,
            "description": term.description,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": term.taxonomy.id,
            "term": term.code,
        }
    return _compact(
        {
            "id": term.id,
            "name": term.name,
            "description": term.description or "",
            "parent_id": term.parent_id,
            "taxonomy": names.get(term.taxonomy_id),
            "taxonomy_id": term.taxonomy_id,
            "term": term.code,
        }
    )


def all_taxonomies() -> list[dict[str, Any]]:
    """Stored taxonomies, then Signpost's fixed ones."""
    return [taxonomy_json(t) for t in repository.taxonomies()] + [taxonomy_json(t) for t in TAXONOMIES]


def _attribute(link_id: str, link_type: str, term: TaxonomyTerm | VirtualTerm, names: dict[str, str]) -> dict:
    return {
        "id": fixed_id("attribute", f"{link_id}:{term.id}"),
        "link_id": link_id,
        "link_type": link_type,
        "link_entity": "organization" if link_type == "organization_type" else "service",
        "taxonomy_term_id": term.id,
        "taxonomy_term": term_json(term, names),
    }


def _term_id_of(attribute: Any) -> str | None:
    if not isinstance(attribute, dict):
        return None
    term = attribute.get("taxonomy_term")
    return attribute.get("taxonomy_term_id") or (term.get("id") if isinstance(term, dict) else None)


def with_original_attributes(ours: list[dict], links: Any, others: Any) -> list[dict]:
    """Signpost's attributes, each keeping the id, link type and other fields of the imported attribute
    that linked the same term (`links`, by term id), then the imported attributes that linked no term
    Signpost keeps (`others`, as they came)."""
    links = links if isinstance(links, dict) else {}
    merged = []
    for attribute in ours:
        original = links.get(attribute["taxonomy_term_id"])
        if not isinstance(original, dict):
            merged.append(attribute)
            continue
        term = original.get("taxonomy_term") if isinstance(original.get("taxonomy_term"), dict) else {}
        merged.append(
            {
                **attribute,
                **original,
                "link_id": attribute["link_id"],
                "taxonomy_term_id": attribute["taxonomy_term_id"],
                "taxonomy_term": {**term, **attribute["taxonomy_term"], "id": attribute["taxonomy_term_id"]},
            }
        )
    return merged + ([a for a in others if isinstance(a, dict)] if isinstance(others, list) else [])


# --- organisations and locations ------------------------------------------------------------------


def organization_json(organization: Organization) -> dict[str, Any]:
    kind = term_for("organization_type", organization.organization_type.value)
    kept = extra(organization)
    attributes = [_attribute(organization.id, "organization_type", kind, {})]
    return {
        **kept,
        **_compact(
            {
                "id": organization.id,
                "name": organization.name,
                "description": organization.description or "",
                "email": organization.email,
                "website": web_address(organization.website),
                "attributes": _organization_attributes(attributes, kept.get("attributes")),
            }
        ),
    }


def _organization_attributes(ours: list[dict], originals: Any) -> list[dict]:
    """The organisation-type attribute, keeping the imported one's id if it linked the same fixed term,
    then the other imported attributes."""
    originals = [a for a in originals if isinstance(a, dict)] if isinstance(originals, list) else []
    term_id = ours[0]["taxonomy_term_id"]
    same = [a for a in originals if _term_id_of(a) == term_id]
    return with_original_attributes(ours, {term_id: same[0]} if same else {}, [a for a in originals if a not in same])


def _first_address(location: Location, original: dict[str, Any]) -> dict[str, Any]:
    """The location's address from its columns, keeping the imported address's other fields (and its
    spelling of the postcode and region) while the columns still say the same."""
    columns = {"address_1": location.address_1 or "", "city": location.city or ""}
    columns["postal_code"] = location.postal_code or ""
    if original and normalise(str(original.get("postal_code") or "")) == columns["postal_code"]:
        columns["postal_code"] = original.get("postal_code") or ""
    defaults = {
        "id": fixed_id("address", location.id),
        "region": location.district,
        "state_province": "",
        "country": COUNTRY,
        "address_type": "physical",
    }
    return _compact({**defaults, **original, "location_id": location.id, **columns})


def location_json(location: Location) -> dict[str, Any]:
    kept = extra(location)
    addresses = [a for a in kept.pop("addresses", None) or [] if isinstance(a, dict)]
    data = {
        "location_type": "physical",
        **kept,
        **_compact(
            {
                "id": location.id,
                "name": location.name or "",
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
        ),
    }
    if location.address_1 or location.city or location.postal_code or addresses:
        data["addresses"] = [_first_address(location, addresses[0] if addresses else {}), *addresses[1:]]
    return data


# --- services -------------------------------------------------------------------------------------


def _age(exact: Any, column: int | None, rounded: Any) -> float | int | None:
    """The imported fractional age while it still rounds to the whole-year column, else the column."""
    if isinstance(exact, int | float) and column is not None and rounded(exact) == column:
        return exact
    return column


def service_summary(service: Service) -> dict[str, Any]:
    """The one-to-one fields of a service and its organisation: an item of a list of services."""
    kept = extra(service)
    kept.pop("attributes", None)
    kept.pop("attribute_links", None)
    status = STATUS_OUT[service.status]
    if kept.pop("status", None) == "temporarily closed" and status == "inactive":
        status = "temporarily closed"
    minimum_age = _age(kept.pop("minimum_age", None), service.minimum_age, math.floor)
    maximum_age = _age(kept.pop("maximum_age", None), service.maximum_age, math.ceil)
    return {
        **kept,
        **_compact(
            {
                "id": service.id,
                "organization_id": service.organization_id,
                "name": service.name,
                "description": service.description or "",
                "url": web_address(service.url),
                "email": service.email,
                "status": status,
                "eligibility_description": service.eligibility_description or "",
                "application_process": service.application_process or "",
                "fees_description": service.fees_description or "",
                "minimum_age": minimum_age,
                "maximum_age": maximum_age,
                "assured_date": service.assured_date.isoformat() if service.assured_date else None,
                "last_modified": iso_datetime(service.last_modified),
                "organization": organization_json(service.organization),
            }
        ),
    }


def _service_attributes(service: Service, names: dict[str, str]) -> list[dict[str, Any]]:
    terms = sorted_by_id(service.taxonomy_terms)
    attributes = [_attribute(service.id, "service_category", term, names) for term in terms]
    flags = [("delivery", "in_person", service.in_person), ("delivery", "phone", service.by_phone)]
    flags += [("delivery", "online", service.online), ("free", "yes", service.is_free)]
    flags.append(("referral", service.referral.value, True))
    for field, value, present in flags:
        if present:
            attributes.append(_attribute(service.id, field, term_for(field, value), names))
    kept = extra(service)
    return with_original_attributes(attributes, kept.get("attribute_links"), kept.get("attributes"))


def sorted_by_id(items: list) -> list:
    return sorted(items, key=lambda item: item.id)


def service_full(service: Service, names: dict[str, str] | None = None, with_locations: bool = True) -> dict:
    """A fully nested service, as `GET /services/{id}` and the export give it."""
    names = taxonomy_names() if names is None else names
    data = service_summary(service)
    data["phones"] = [
        _with_extra(p, {"id": p.id, "service_id": service.id, "number": p.number, "description": p.description or ""})
        for p in service.phones
    ]
    data["schedules"] = [schedule_json(s, service.id) for s in sorted_by_id(service.schedules)]
    data["service_areas"] = [
        _with_extra(a, {"id": a.id, "service_id": service.id, "name": a.name})
        for a in sorted_by_id(service.service_areas)
    ]
    data["languages"] = [
        _with_extra(lang, _compact({"id": lang.id, "service_id": service.id, "name": lang.name or None})
                    | _compact({"code": lang.code or None}))
        for lang in sorted_by_id(service.languages)
    ]  # fmt: skip
    data["cost_options"] = [
        _with_extra(
            c,
            _compact(
                {
                    "id": c.id,
                    "service_id": service.id,
                    "amount": c.amount,
                    "currency": c.currency,
                    "amount_description": c.amount_description or "",
                }
            ),
        )
        for c in sorted_by_id(service.cost_options)
    ]
    data["contacts"] = [
        _with_extra(
            c,
            _compact(
                {"id": c.id, "service_id": service.id, "name": c.name or "", "title": c.title or "", "email": c.email}
            ),
        )
        for c in sorted_by_id(service.contacts)
    ]
    if with_locations:
        data["service_at_locations"] = [
            _with_extra(sal, {"id": sal.id, "service_id": service.id, "location_id": sal.location_id})
            | {"location": location_json(sal.location)}
            for sal in sorted_by_id(service.service_at_locations)
        ]
    data["attributes"] = _service_attributes(service, names)
    return data


def _exact_time(exact: Any, column: str | None) -> str | None:
    """The imported time (with seconds or an offset) while it still agrees with the HH:MM column."""
    return exact if isinstance(exact, str) and column and exact[:5] == column else column


def schedule_json(schedule: Any, service_id: str) -> dict[str, Any]:
    """A schedule's full RFC 5545 rule; a rule stored before `freq` was kept that names days is weekly."""
    freq = getattr(schedule, "freq", None) or ("WEEKLY" if schedule.byday else None)
    kept = extra(schedule)
    times = {key: _exact_time(kept.pop(key, None), getattr(schedule, key)) for key in ("opens_at", "closes_at")}
    return {
        **kept,
        **_compact(
            {
                "id": schedule.id,
                "service_id": service_id,
                "freq": freq,
                "interval": getattr(schedule, "interval", None),
                "byday": schedule.byday or None,
                "bymonthday": getattr(schedule, "bymonthday", None),
                "dtstart": getattr(schedule, "dtstart", None),
                "until": getattr(schedule, "until", None),
                "count": getattr(schedule, "count", None),
                "valid_from": getattr(schedule, "valid_from", None),
                "valid_to": getattr(schedule, "valid_to", None),
                **times,
                "description": schedule.description or "",
                "notes": getattr(schedule, "notes", None),
                "attending_type": getattr(schedule, "attending_type", None),
            }
        ),
    }


def service_at_location_summary(sal: ServiceAtLocation) -> dict[str, Any]:
    return {
        "id": sal.id,
        "service_id": sal.service_id,
        "location_id": sal.location_id,
        "location": location_json(sal.location),
        "service": service_summary(sal.service),
    }


def service_at_location_full(sal: ServiceAtLocation, names: dict[str, str] | None = None) -> dict[str, Any]:
    """A service at a location with its fully nested service. It also carries the service's `name` and
    `status`: the published ORUK 3.0 API checks `GET /service_at_locations/{id}` against the service
    schema (which requires them), and the service-at-location schema allows them as extensions."""
    data = service_at_location_summary(sal)
    data["service"] = service_full(sal.service, names, with_locations=False)
    data["name"], data["status"] = data["service"]["name"], data["service"]["status"]
    return data


def snapshot(service: Service, names: dict[str, str] | None = None) -> str:
    """The text kept in a ServiceVersion: the fully nested ORUK document, with stable key order."""
    return document_text(service_full(service, names))


def document_text(document: dict) -> str:
    """A fully nested ORUK document as a version's snapshot text (curation and imports alike)."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False)
