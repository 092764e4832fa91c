"""A listing as the edit form's starting values, and a valid form copied back onto a listing."""

from __future__ import annotations

from typing import Any

from directory import repository
from directory.curation.forms import LANGUAGES, ServiceForm, parse_age, parse_phones
from directory.listing_facts import DAY_CODES
from directory.loading import COUNTYWIDE_AREA
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
)
from directory.postcodes import HERTFORDSHIRE_DISTRICTS


def initial(service: Service) -> dict[str, Any]:
    """A listing as the edit form's starting values."""
    location = service.service_at_locations[0].location if service.service_at_locations else None
    schedule = service.schedules[0] if service.schedules else None
    phones = "\n".join(f"{p.number}, {p.description}" if p.description else p.number for p in service.phones)
    return {
        "name": service.name,
        "organisation_id": service.organization_id,
        "description": service.description,
        "categories": [term.id for term in service.taxonomy_terms],
        "eligibility": service.eligibility_description,
        "minimum_age": "" if service.minimum_age is None else str(service.minimum_age),
        "maximum_age": "" if service.maximum_age is None else str(service.maximum_age),
        "free": "yes" if service.is_free else "no",
        "cost": service.cost_options[0].amount_description if service.cost_options else "",
        "how_to_access": service.application_process,
        "referral": service.referral.value,
        "delivery": [key for key, on in (("in_person", service.in_person), ("phone", service.by_phone)) if on]
        + (["online"] if service.online else []),
        "area": "countywide" if service.countywide else "districts",
        "districts": [a.name for a in service.service_areas if a.name in HERTFORDSHIRE_DISTRICTS],
        "phones": phones,
        "email": service.email or "",
        "website": service.url or "",
        "address": location.address_1 if location else "",
        "town": location.city if location else "",
        "postcode": location.postal_code if location else "",
        "days": [d for d in (schedule.byday.split(",") if schedule and schedule.byday else []) if d in DAY_CODES],
        "opens_at": (schedule.opens_at or "") if schedule else "",
        "closes_at": (schedule.closes_at or "") if schedule else "",
        "languages": [language.code for language in service.languages if language.code in LANGUAGE_NAMES],
    }


LANGUAGE_NAMES = dict(LANGUAGES)


def _apply_languages(form: ServiceForm, service: Service) -> None:
    """The ticked languages; languages not on the form (from an import) stay as they are. None ticked and
    none kept leaves English, as before the form had the field."""
    wanted = [code for code, _ in LANGUAGES if code in (form.languages.data or [])]
    kept = [language for language in service.languages if language.code not in LANGUAGE_NAMES]
    current = [language.code for language in service.languages if language.code in LANGUAGE_NAMES]
    if current != wanted:
        by_code = {language.code: language for language in service.languages}
        chosen = [by_code.get(code) or Language(code=code, name=LANGUAGE_NAMES[code]) for code in wanted]
        service.languages = kept + chosen


def _organisation(form: ServiceForm) -> Organization:
    if form.organisation_id.data:
        found = repository.get_organization(form.organisation_id.data)
        if found is not None:
            return found
    return Organization(
        name=form.new_organisation_name.data, organization_type=OrganizationType(form.new_organisation_type.data)
    )


def _apply_location(form: ServiceForm, service: Service) -> None:
    current = service.service_at_locations[0].location if service.service_at_locations else None
    wanted = (form.address.data or "", form.town.data or "", form.postcode.data or "")
    if current is not None and (current.address_1, current.city, current.postal_code) == wanted:
        return
    if not any(wanted):
        service.service_at_locations = []
        return
    place = form.place
    location = Location(
        name=service.name,
        address_1=wanted[0],
        city=wanted[1] or (place.town if place else ""),
        postal_code=wanted[2],
        district=place.district if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
    )
    service.service_at_locations = [ServiceAtLocation(location=location)]


def _apply_children(form: ServiceForm, service: Service) -> None:
    service.taxonomy_terms = repository.terms_by_ids(form.categories.data or [])
    service.phones = [
        Phone(number=number, description=description, position=i)
        for i, (number, description) in enumerate(parse_phones(form.phones.data))
    ]
    days = ",".join(code for code in DAY_CODES if code in (form.days.data or []))
    opens, closes = form.opens_at.data or None, form.closes_at.data or None
    service.schedules = [Schedule(byday=days, opens_at=opens, closes_at=closes)] if days or opens or closes else []
    cost = form.cost.data or ""
    service.cost_options = [CostOption(amount_description=cost)] if cost or not service.is_free else []
    areas = [COUNTYWIDE_AREA] if service.countywide else list(form.districts.data or [])
    if sorted(a.name for a in service.service_areas) != sorted(areas):
        service.service_areas = [ServiceArea(name=name) for name in areas]
    _apply_languages(form, service)
    if not service.languages:
        service.languages = [Language(code="en", name="English")]
    _apply_location(form, service)


def apply(form: ServiceForm, service: Service) -> None:
    """Copy a valid form onto a listing (new or existing)."""
    delivery = set(form.delivery.data or [])
    service.organization = _organisation(form)
    service.name = form.name.data
    service.description = form.description.data or ""
    service.eligibility_description = form.eligibility.data or ""
    service.minimum_age = parse_age(form.minimum_age.data)
    service.maximum_age = parse_age(form.maximum_age.data)
    service.is_free = form.free.data == "yes"
    service.fees_description = form.cost.data or ""
    service.application_process = form.how_to_access.data or ""
    service.referral = Referral(form.referral.data)
    service.in_person, service.by_phone, service.online = (k in delivery for k in ("in_person", "phone", "online"))
    service.countywide = form.area.data == "countywide"
    service.email = form.email.data or None
    service.url = form.website.data or None
    _apply_children(form, service)
