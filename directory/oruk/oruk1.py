"""Open Referral UK 1.0 records (the LGA application profile many councils still publish) as ORUK 3.0.

Mapped field by field; what 3.0 has no place for is kept under its 1.0 name, so nothing is lost:

| ORUK 1.0                                   | ORUK 3.0 (as imported)                                     |
|--------------------------------------------|------------------------------------------------------------|
| id (often not a UUID: "123", "gcc:45")     | id: kept if a UUID, else a stable UUID made from it; the   |
|                                            | 1.0 id kept as `oruk1_id`                                  |
| name, description, url, email, status,     | the same fields                                            |
| fees, accreditations, assured_date         |                                                            |
| deliverable_type, attending_type,          | kept as they are (extensions)                              |
| attending_access, holiday_schedules,       |                                                            |
| reviews, links                             |                                                            |
| organization {id, name, description,       | organization {..., website: url, logo, uri}                |
| email, url, logo, uri}                     |                                                            |
| contacts[] {id, name, title, phones[]}     | contacts[] {id, name, title}; their phones become the      |
|                                            | service's phones (Signpost shows a service's numbers)      |
| cost_options[]                             | cost_options[] (option, amount, amount_description,        |
|                                            | valid_from, valid_to)                                      |
| eligibilitys[] {eligibility, minimum_age,  | eligibility_description (the texts, joined by "; "),       |
| maximum_age}                               | minimum_age (lowest), maximum_age (highest)                |
| fundings[] {id, source}                    | funding[] {id, source}                                     |
| languages[] {id, language}                 | languages[] {id, code} for a code such as "en", else       |
|                                            | {id, name}                                                 |
| regular_schedules[] (opens_at, closes_at,  | schedules[] with the same fields; a `weekday` name becomes |
| valid_from, valid_to, dtstart, freq,       | byday ("Monday" -> MO, freq WEEKLY)                        |
| interval, byday, bymonthday, description)  |                                                            |
| service_areas[] {id, service_area, extent, | service_areas[] {id, name: service_area, service_area,     |
| uri}                                       | extent, uri}                                               |
| service_at_locations[].location {id, name, | location {id, name, description, latitude, longitude,      |
| description, latitude, longitude,          | location_type "physical", addresses[] (address_type        |
| physical_addresses[],                      | "physical"), accessibility[] {id, description}}            |
| accessibility_for_disabilities[]}          |                                                            |
| service_taxonomys[].taxonomy {id, name,    | attributes[] {id, taxonomy_term {id (a UUID made from the  |
| vocabulary, parent}                        | vocabulary and id), name, term: the 1.0 id, taxonomy:      |
|                                            | vocabulary, description ""}}                               |
"""

from __future__ import annotations

from typing import Any

from directory.oruk.validation import is_uuid
from directory.oruk.vocabulary import fixed_id

# Keys only an ORUK 1.0 record has.
ORUK1_KEYS = frozenset(
    {"eligibilitys", "regular_schedules", "holiday_schedules", "service_taxonomys", "fundings", "deliverable_type"}
)
WEEKDAYS = {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
            "saturday": "SA", "sunday": "SU"}  # fmt: skip
SCHEDULE_FIELDS = ("id", "opens_at", "closes_at", "valid_from", "valid_to", "dtstart", "until", "count", "freq",
                   "interval", "byday", "bymonthday", "description")  # fmt: skip
SERVICE_FIELDS = ("name", "description", "url", "email", "status", "fees", "accreditations", "assured_date")
KEPT_AS_THEY_ARE = ("deliverable_type", "attending_type", "attending_access", "holiday_schedules", "reviews", "links")


def is_oruk1(item: Any) -> bool:
    """Whether a record is ORUK 1.0: it has a field only 1.0 has, or an organisation with `url` and no `website`."""
    if not isinstance(item, dict):
        return False
    organization = item.get("organization")
    old_organization = isinstance(organization, dict) and "url" in organization and "website" not in organization
    return bool(ORUK1_KEYS & item.keys()) or old_organization


def is_oruk1_page(data: Any) -> bool:
    """An ORUK 1.0 page: {totalElements, totalPages, number, size, first, last, content: [...]}."""
    return isinstance(data, dict) and isinstance(data.get("content"), list) and "contents" not in data


SHARED = frozenset({"service", "organization", "location", "address", "accessibility"})


def _id(kind: str, value: Any, service: str = "") -> str | None:
    """The id as given when it is a UUID, else a stable UUID made from it; a service's own rows (not
    organisations or locations, which services share) are made unique to the service, as 1.0 feeds
    often number them per service."""
    if value is None or value == "":
        return None
    text = str(value)
    if is_uuid(text):
        return text
    return fixed_id(f"oruk1-{kind}", text if kind in SHARED or not service else f"{service}:{text}")


def _objects(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _with_id(kind: str, item: dict, service: str = "", **fields: Any) -> dict:
    mapped = {"id": _id(kind, item.get("id"), service)} if item.get("id") not in (None, "") else {}
    return mapped | {key: value for key, value in fields.items() if value is not None}


def _organization(data: Any) -> dict | None:
    if not isinstance(data, dict):
        return None
    return _with_id(
        "organization",
        data,
        name=data.get("name"),
        description=data.get("description") or "",
        email=data.get("email"),
        website=data.get("url") or data.get("website"),
        logo=data.get("logo"),
        uri=data.get("uri"),
    )


def _schedule(data: dict, service: str) -> dict:
    schedule = {key: data[key] for key in SCHEDULE_FIELDS if data.get(key) not in (None, "")}
    schedule["id"] = _id("schedule", data.get("id"), service)
    weekday = WEEKDAYS.get(str(data.get("weekday") or "").strip().lower())
    if weekday and not schedule.get("byday"):
        schedule["byday"] = weekday
        schedule.setdefault("freq", "WEEKLY")
    return {key: value for key, value in schedule.items() if value is not None}


def _language(data: dict, service: str) -> dict:
    value = str(data.get("language") or data.get("name") or "").strip()
    is_code = 2 <= len(value) <= 3 and value.isalpha() and value.islower()
    return _with_id("language", data, service, **({"code": value} if is_code else {"name": value}))


def _location(data: dict) -> dict:
    addresses = [
        _with_id(
            "address",
            address,
            address_1=address.get("address_1") or "",
            city=address.get("city") or "",
            state_province=address.get("state_province") or "",
            postal_code=address.get("postal_code") or "",
            country=address.get("country") or "GB",
            address_type="physical",
        )
        for address in _objects(data.get("physical_addresses"))
    ]
    accessibility = [
        _with_id("accessibility", item, description=item.get("accessibility"))
        for item in _objects(data.get("accessibility_for_disabilities"))
    ]
    location = _with_id(
        "location",
        data,
        location_type="physical",
        name=data.get("name"),
        description=data.get("description"),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
    )
    if "id" not in location:  # a 1.0 location with no id: one made from where it is
        where = [data.get("name"), data.get("latitude"), data.get("longitude"), *(a["postal_code"] for a in addresses)]
        location["id"] = fixed_id("oruk1-location", repr(where))
    if addresses:
        location["addresses"] = addresses
    if accessibility:
        location["accessibility"] = accessibility
    return location


def _attribute(data: dict, service: str) -> dict | None:
    taxonomy = data.get("taxonomy")
    if not isinstance(taxonomy, dict) or not taxonomy.get("name"):
        return None
    vocabulary = str(taxonomy.get("vocabulary") or "Imported terms")
    term = {
        "id": fixed_id("oruk1-term", f"{vocabulary}:{taxonomy.get('id') or taxonomy['name']}"),
        "name": taxonomy["name"],
        "description": "",
        "taxonomy": vocabulary,
        "term": str(taxonomy.get("id") or taxonomy["name"]),
    }
    return _with_id("attribute", data, service, taxonomy_term=term)


def _ages(eligibilities: list[dict]) -> tuple[Any, Any]:
    lows = [e["minimum_age"] for e in eligibilities if isinstance(e.get("minimum_age"), int | float)]
    highs = [e["maximum_age"] for e in eligibilities if isinstance(e.get("maximum_age"), int | float)]
    return (min(lows) if lows else None), (max(highs) if highs else None)


def to_oruk3(item: dict) -> dict:
    """One ORUK 1.0 service as an ORUK 3.0 record, mapped as the module's table says."""
    record: dict[str, Any] = {"id": _id("service", item.get("id"))}
    own = str(item.get("id") or "")
    if item.get("id") is not None and not is_uuid(str(item["id"])):
        record["oruk1_id"] = str(item["id"])
    record |= {key: item[key] for key in (*SERVICE_FIELDS, *KEPT_AS_THEY_ARE) if item.get(key) is not None}
    if organization := _organization(item.get("organization")):
        record["organization"] = organization
    contacts = _objects(item.get("contacts"))
    record["contacts"] = [
        _with_id("contact", c, own, name=c.get("name"), title=c.get("title"), email=c.get("email")) for c in contacts
    ]
    record["phones"] = [
        _with_id("phone", phone, own, number=phone.get("number"), description=contact.get("name") or "")
        for contact in contacts
        for phone in _objects(contact.get("phones"))
    ]
    record["cost_options"] = [
        _with_id("cost", option, own, **{key: option.get(key) for key in
                                    ("option", "amount", "amount_description", "valid_from", "valid_to")})
        for option in _objects(item.get("cost_options"))
    ]  # fmt: skip
    eligibilities = _objects(item.get("eligibilitys"))
    texts = [str(e["eligibility"]).strip() for e in eligibilities if e.get("eligibility")]
    if texts:
        record["eligibility_description"] = "; ".join(texts)
    record["minimum_age"], record["maximum_age"] = _ages(eligibilities)
    record["funding"] = [_with_id("funding", f, own, source=f.get("source")) for f in _objects(item.get("fundings"))]
    record["languages"] = [_language(language, own) for language in _objects(item.get("languages"))]
    record["schedules"] = [_schedule(schedule, own) for schedule in _objects(item.get("regular_schedules"))]
    record["service_areas"] = [
        _with_id("area", area, own, name=area.get("service_area"), service_area=area.get("service_area"),
                 extent=area.get("extent"), uri=area.get("uri"))
        for area in _objects(item.get("service_areas"))
    ]  # fmt: skip
    record["service_at_locations"] = [
        _with_id("sal", sal, own, location=_location(sal["location"]))
        for sal in _objects(item.get("service_at_locations"))
        if isinstance(sal.get("location"), dict)
    ]
    record["attributes"] = [a for a in (_attribute(t, own) for t in _objects(item.get("service_taxonomys"))) if a]
    return {key: value for key, value in record.items() if value is not None and value != []}
