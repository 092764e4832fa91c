"""Checking one incoming ORUK service record before it touches the database.

Returns plain messages ("phones[0].number is missing"), so an import can report every problem
with a record and carry on with the next one.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any

from directory.repository import DAY_CODES

STATUSES = ("active", "inactive", "defunct", "temporarily closed")
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def parse_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class Checker:
    """Collects messages about one record."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def text(self, data: dict, key: str, where: str, max_length: int, required: bool = False) -> None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.errors.append(f"{where}{key} is missing")
            return
        if not isinstance(value, str):
            self.errors.append(f"{where}{key} must be text")
        elif len(value) > max_length:
            self.errors.append(f"{where}{key} must be {max_length} characters or fewer")

    def email(self, data: dict, key: str, where: str) -> None:
        self.text(data, key, where, 255)
        value = data.get(key)
        if isinstance(value, str) and value and not EMAIL_RE.match(value):
            self.errors.append(f"{where}{key} is not an email address")

    def number(self, data: dict, key: str, where: str, low: float, high: float) -> None:
        value = data.get(key)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.errors.append(f"{where}{key} must be a number from {low:g} to {high:g}")

    def time(self, data: dict, key: str, where: str) -> None:
        value = data.get(key)
        if value not in (None, "") and (not isinstance(value, str) or not TIME_RE.match(value)):
            self.errors.append(f"{where}{key} must be a time such as 09:30")

    def items(self, data: dict, key: str) -> list[dict]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.errors.append(f"{key} must be a list of objects")
            return []
        return value


def _check_dates(check: Checker, record: dict) -> None:
    assured = record.get("assured_date")
    if assured not in (None, ""):
        try:
            date.fromisoformat(str(assured)[:10])
        except ValueError:
            check.errors.append("assured_date must be a date such as 2026-05-31")
    modified = record.get("last_modified")
    if modified not in (None, ""):
        try:
            parse_datetime(str(modified))
        except ValueError:
            check.errors.append("last_modified must be a date and time such as 2026-05-31T10:00:00Z")


def _check_organization(check: Checker, record: dict) -> None:
    organization = record.get("organization")
    if organization is None:
        if not is_uuid(record.get("organization_id")):
            check.errors.append("organization is missing")
        return
    if not isinstance(organization, dict):
        check.errors.append("organization must be an object")
        return
    if not is_uuid(organization.get("id")):
        check.errors.append("organization.id must be a UUID")
    check.text(organization, "name", "organization.", 255, required=True)
    check.email(organization, "email", "organization.")
    check.text(organization, "website", "organization.", 500)


def _check_children(check: Checker, record: dict) -> None:
    for i, phone in enumerate(check.items(record, "phones")):
        check.text(phone, "number", f"phones[{i}].", 40, required=True)
        check.text(phone, "description", f"phones[{i}].", 255)
    for i, schedule in enumerate(check.items(record, "schedules")):
        check.time(schedule, "opens_at", f"schedules[{i}].")
        check.time(schedule, "closes_at", f"schedules[{i}].")
        days = [d.strip().upper() for d in str(schedule.get("byday") or "").split(",") if d.strip()]
        if any(day not in DAY_CODES for day in days):
            check.errors.append(f"schedules[{i}].byday must hold day codes such as MO,WE")
    for i, language in enumerate(check.items(record, "languages")):
        check.text(language, "code", f"languages[{i}].", 10, required=not language.get("name"))
        check.text(language, "name", f"languages[{i}].", 60)
    for i, area in enumerate(check.items(record, "service_areas")):
        check.text(area, "name", f"service_areas[{i}].", 120, required=True)
    for i, option in enumerate(check.items(record, "cost_options")):
        check.number(option, "amount", f"cost_options[{i}].", 0, 1_000_000)
        check.text(option, "currency", f"cost_options[{i}].", 3)
        check.text(option, "amount_description", f"cost_options[{i}].", 255)
    for i, contact in enumerate(check.items(record, "contacts")):
        check.text(contact, "name", f"contacts[{i}].", 255)
        check.email(contact, "email", f"contacts[{i}].")
    check.items(record, "attributes")


def _check_locations(check: Checker, record: dict) -> None:
    seen: set[str] = set()
    for i, sal in enumerate(check.items(record, "service_at_locations")):
        location = sal.get("location")
        if not isinstance(location, dict):
            check.errors.append(f"service_at_locations[{i}].location is missing")
            continue
        location_id = location.get("id") or sal.get("location_id")
        if not is_uuid(location_id):
            check.errors.append(f"service_at_locations[{i}].location.id must be a UUID")
        elif location_id in seen:
            check.errors.append(f"service_at_locations[{i}] repeats a location")
        seen.add(str(location_id))
        check.number(location, "latitude", f"service_at_locations[{i}].location.", -90, 90)
        check.number(location, "longitude", f"service_at_locations[{i}].location.", -180, 180)
        for address in location.get("addresses") or []:
            if isinstance(address, dict):
                check.text(address, "postal_code", f"service_at_locations[{i}].location.addresses.", 10)
                check.text(address, "address_1", f"service_at_locations[{i}].location.addresses.", 255)
                check.text(address, "city", f"service_at_locations[{i}].location.addresses.", 120)


def validate_service(record: Any) -> list[str]:
    """Every problem with an incoming fully nested service; an empty list means it can be stored."""
    if not isinstance(record, dict):
        return ["a service must be a JSON object"]
    check = Checker()
    if not is_uuid(record.get("id")):
        check.errors.append("id must be a UUID")
    check.text(record, "name", "", 255, required=True)
    if record.get("status") not in (None, *STATUSES):
        check.errors.append(f"status must be one of: {', '.join(STATUSES)}")
    check.text(record, "url", "", 500)
    check.email(record, "email", "")
    check.number(record, "minimum_age", "", 0, 150)
    check.number(record, "maximum_age", "", 0, 150)
    low, high = record.get("minimum_age"), record.get("maximum_age")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        check.errors.append("minimum_age must not be more than maximum_age")
    for key in ("description", "eligibility_description", "application_process", "fees_description"):
        check.text(record, key, "", 20_000)
    _check_dates(check, record)
    _check_organization(check, record)
    _check_children(check, record)
    _check_locations(check, record)
    return check.errors
