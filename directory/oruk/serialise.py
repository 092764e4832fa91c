"""Directory rows as Open Referral UK 3.0 JSON: the one place that shape is written.

The API, the export and the kept versions of a listing (`ServiceVersion.snapshot`) all use these
functions, so what Signpost publishes, exports and remembers is always the same document. Fields
with no value are left out rather than sent as null, because the ORUK schemas type them as strings
or numbers. Facts Signpost keeps as columns (organisation type, how a service is offered, referral,
free) are published as attributes linking to the fixed terms in `directory.oruk.vocabulary`.
"""

from __future__ import annotations

import json
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
from directory.oruk.vocabulary import TAXONOMIES, VirtualTaxonomy, VirtualTerm, fixed_id, term_for

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


def taxonomy_names() -> dict[str, str]:
    """Taxonomy id → name, for the `taxonomy` field of each term."""
    return {t.id: t.name for t in repository.taxonomies()}


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


# --- organisations and locations ------------------------------------------------------------------


def organization_json(organization: Organization) -> dict[str, Any]:
    kind = term_for("organization_type", organization.organization_type.value)
    return _compact(
        {
            "id": organization.id,
            "name": organization.name,
            "description": organization.description or "",
            "email": organization.email,
            "website": organization.website,
            "attributes": [_attribute(organization.id, "organization_type", kind, {})],
        }
    )


def location_json(location: Location) -> dict[str, Any]:
    data = _compact(
        {
            "id": location.id,
            "location_type": "physical",
            "name": location.name or "",
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )
    if location.address_1 or location.city or location.postal_code:
        data["addresses"] = [
            _compact(
                {
                    "id": fixed_id("address", location.id),
                    "location_id": location.id,
                    "address_1": location.address_1 or "",
                    "city": location.city or "",
                    "region": location.district,
                    "state_province": "",
                    "postal_code": location.postal_code or "",
                    "country": COUNTRY,
                    "address_type": "physical",
                }
            )
        ]
    return data


# --- services -------------------------------------------------------------------------------------


def service_summary(service: Service) -> dict[str, Any]:
    """The one-to-one fields of a service and its organisation: an item of a list of services."""
    return _compact(
        {
            "id": service.id,
            "organization_id": service.organization_id,
            "name": service.name,
            "description": service.description or "",
            "url": service.url,
            "email": service.email,
            "status": STATUS_OUT[service.status],
            "eligibility_description": service.eligibility_description or "",
            "application_process": service.application_process or "",
            "fees_description": service.fees_description or "",
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.assured_date.isoformat() if service.assured_date else None,
            "last_modified": iso_datetime(service.last_modified),
            "organization": organization_json(service.organization),
        }
    )


def _service_attributes(service: Service, names: dict[str, str]) -> list[dict[str, Any]]:
    terms = sorted_by_id(service.taxonomy_terms)
    attributes = [_attribute(service.id, "service_category", term, names) for term in terms]
    flags = [("delivery", "in_person", service.in_person), ("delivery", "phone", service.by_phone)]
    flags += [("delivery", "online", service.online), ("free", "yes", service.is_free)]
    flags.append(("referral", service.referral.value, True))
    for field, value, present in flags:
        if present:
            attributes.append(_attribute(service.id, field, term_for(field, value), names))
    return attributes


def sorted_by_id(items: list) -> list:
    return sorted(items, key=lambda item: item.id)


def service_full(service: Service, names: dict[str, str] | None = None, with_locations: bool = True) -> dict:
    """A fully nested service, as `GET /services/{id}` and the export give it."""
    names = taxonomy_names() if names is None else names
    data = service_summary(service)
    data["phones"] = [
        {"id": p.id, "service_id": service.id, "number": p.number, "description": p.description or ""}
        for p in service.phones
    ]
    data["schedules"] = [
        _compact(
            {
                "id": s.id,
                "service_id": service.id,
                "freq": "WEEKLY" if s.byday else None,
                "byday": s.byday or None,
                "opens_at": s.opens_at,
                "closes_at": s.closes_at,
                "description": s.description or "",
            }
        )
        for s in sorted_by_id(service.schedules)
    ]
    data["service_areas"] = [
        {"id": a.id, "service_id": service.id, "name": a.name} for a in sorted_by_id(service.service_areas)
    ]
    data["languages"] = [
        {"id": lang.id, "service_id": service.id, "name": lang.name or "", "code": lang.code}
        for lang in sorted_by_id(service.languages)
    ]
    data["cost_options"] = [
        _compact(
            {
                "id": c.id,
                "service_id": service.id,
                "amount": c.amount,
                "currency": c.currency,
                "amount_description": c.amount_description or "",
            }
        )
        for c in sorted_by_id(service.cost_options)
    ]
    data["contacts"] = [
        _compact({"id": c.id, "service_id": service.id, "name": c.name or "", "title": c.title or "", "email": c.email})
        for c in sorted_by_id(service.contacts)
    ]
    if with_locations:
        data["service_at_locations"] = [
            {"id": sal.id, "service_id": service.id, "location_id": sal.location_id}
            | {"location": location_json(sal.location)}
            for sal in sorted_by_id(service.service_at_locations)
        ]
    data["attributes"] = _service_attributes(service, names)
    return data


def service_at_location_summary(sal: ServiceAtLocation) -> dict[str, Any]:
    return {
        "id": sal.id,
        "service_id": sal.service_id,
        "location_id": sal.location_id,
        "location": location_json(sal.location),
        "service": service_summary(sal.service),
    }


def service_at_location_full(sal: ServiceAtLocation, names: dict[str, str] | None = None) -> dict[str, Any]:
    data = service_at_location_summary(sal)
    data["service"] = service_full(sal.service, names, with_locations=False)
    return data


def snapshot(service: Service, names: dict[str, str] | None = None) -> str:
    """The text kept in a ServiceVersion: the fully nested ORUK document, with stable key order."""
    return json.dumps(service_full(service, names), sort_keys=True, ensure_ascii=False)
