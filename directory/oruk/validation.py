"""Checking one incoming ORUK service record before it touches the database.

Anything the ORUK 3.0 / HSDS 3.0 schemas allow is taken. A record is refused only for what the schema
or safety forbids: it is not an object, it has no name, its id is not a UUID, or it holds a link that is
not an http(s) address (a `javascript:` URL is never stored, so never republished). A value that the
schema allows but cannot be true (a latitude of 100, an email with no @) is left out with a warning and
the record kept. `check_service` returns the tidied record (spaces, including U+00A0, trimmed) with
plain messages ("schedules[0].opens_at ... was left out"), so an import reports each record and carries on.
"""

from __future__ import annotations

import re
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeGuard

from signpost.platform.patterns import EMAIL_RE

STATUSES = ("active", "inactive", "defunct", "temporarily closed")
TIME_RE = re.compile(
    r"^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?|24:00(:00)?)(Z|[+-][0-9]{2}:?[0-9]{2})?$"
)

# RFC 5545 BYDAY: a day code with an optional signed ordinal week (MO, 2WE, -1TU, +1MO).
BYDAY_RE = re.compile(r"^([+-]?([1-9]|[1-4][0-9]|5[0-3]))?(MO|TU|WE|TH|FR|SA|SU)$")
BYMONTHDAY_RE = re.compile(r"^[+-]?([1-9]|[12][0-9]|3[01])$")
FREQUENCIES = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# Keys holding a link, wherever they appear in a record.
URL_KEYS = frozenset({"url", "website", "logo", "uri", "schedule_link", "term_uri", "openapi_url"})
EMAIL_KEYS = frozenset({"email", "assurer_email"})
COORDINATES = {"latitude": 90, "longitude": 180}
SPACES = "\u00a0\u2007\u202f\ufeff"
_AS_SPACES = {ord(c): " " for c in SPACES}


def is_uuid(value: Any) -> TypeGuard[str]:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def parse_datetime(value: str) -> datetime:
    """An RFC 3339 date-time, whatever the case of its T and Z (2026-05-31t10:00:00z), in UTC; one with no
    offset is taken to be UTC."""
    parsed = datetime.fromisoformat(value.strip().upper().replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _possible(value: Any, limit: float) -> bool:
    if value is None:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and -limit <= value <= limit


def is_web_address(value: str) -> bool:
    parts = urllib.parse.urlsplit(value)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def tidy(value: Any) -> Any:
    """Trim every string (non-breaking spaces too), through lists and objects: a new copy of every list and
    object, so the value given is left as it was."""
    if isinstance(value, str):
        return value.translate(_AS_SPACES).strip()
    if isinstance(value, list):
        return [tidy(item) for item in value]
    if isinstance(value, dict):
        return {key: tidy(item) for key, item in value.items()}
    return value


@dataclass
class Checked:
    """One record after checking: `record` is the tidied copy to store, or None when it is refused."""

    record: dict | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Checker:
    """Collects refusals and warnings about one record, dropping impossible values as it goes."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def drop(self, data: dict, key: str, where: str, why: str) -> None:
        data.pop(key, None)
        self.warnings.append(f"{where}{key} {why}; it was left out")

    def point(self, data: dict, key: str, where: str) -> None:
        """Leave out an impossible coordinate, and its partner: a point is both or neither."""
        why = f"cannot be {data[key]!r}"
        for coordinate in COORDINATES:
            if coordinate in data:
                self.drop(data, coordinate, where, why if coordinate == key else "has no partner")

    def links_and_emails(self, value: Any, where: str) -> None:
        """Refuse a link that is not http(s); drop an email address that is not one, and a latitude or
        longitude that cannot be, wherever they are in the record."""
        if isinstance(value, list):
            for i, item in enumerate(value):
                self.links_and_emails(item, f"{where}[{i}]")
            return
        if not isinstance(value, dict):
            return
        for key in list(value):
            if key not in value:
                continue
            item = value[key]
            path = f"{where}.{key}" if where else key
            if key in URL_KEYS and isinstance(item, str) and item and not is_web_address(item):
                self.errors.append(f"{path} must be an http or https address")
            elif key in COORDINATES and not _possible(item, COORDINATES[key]):
                self.point(value, key, f"{where}." if where else "")
            elif key in EMAIL_KEYS and isinstance(item, str):
                compact = re.sub(r"\s+", "", item)
                if compact and not EMAIL_RE.match(compact):
                    self.drop(value, key, f"{where}." if where else "", "is not an email address")
                elif compact:
                    value[key] = compact
            else:
                self.links_and_emails(item, path)

    def text_or_drop(self, data: dict, key: str, where: str) -> None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            if isinstance(value, int | float) and not isinstance(value, bool):
                data[key] = str(value)
            else:
                self.drop(data, key, where, "is not text")

    def number(self, data: dict, key: str, where: str, low: float, high: float) -> None:
        value = data.get(key)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.drop(data, key, where, f"is not a number from {low:g} to {high:g}")

    def whole(self, data: dict, key: str, where: str, low: int) -> None:
        value = data.get(key)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < low:
            self.drop(data, key, where, f"is not a whole number of at least {low}")
        else:
            data[key] = int(value)

    def time(self, data: dict, key: str, where: str) -> None:
        value = data.get(key)
        if value in (None, ""):
            data.pop(key, None)
        elif not isinstance(value, str) or not TIME_RE.match(value.upper()):
            self.drop(data, key, where, "is not a time such as 09:30")
        else:
            data[key] = value.upper()

    def day(self, data: dict, key: str, where: str) -> None:
        value = data.get(key)
        if value in (None, ""):
            return
        try:
            date.fromisoformat(str(value)[:10])
        except ValueError:
            self.drop(data, key, where, "is not a date such as 2026-05-31")

    def items(self, data: dict, key: str, where: str = "") -> list[dict]:
        """The objects in a list field (anything else in it is dropped with a warning)."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.drop(data, key, where, "is not a list")
            return []
        kept = [item for item in value if isinstance(item, dict)]
        if len(kept) < len(value):
            self.warnings.append(f"{where}{key} held items that are not objects; they were left out")
            data[key] = kept
        return kept


def _check_service_fields(check: Checker, record: dict) -> None:
    status = record.get("status")
    if status not in (None, *STATUSES):
        check.drop(record, "status", "", f"is not one of: {', '.join(STATUSES)}")
    for key in ("name", "description", "eligibility_description", "application_process", "fees_description", "fees"):
        check.text_or_drop(record, key, "")
    check.number(record, "minimum_age", "", 0, 150)
    check.number(record, "maximum_age", "", 0, 150)
    low, high = record.get("minimum_age"), record.get("maximum_age")
    if low is not None and high is not None and low > high:
        check.warnings.append("minimum_age is more than maximum_age")
    check.day(record, "assured_date", "")
    modified = record.get("last_modified")
    if modified not in (None, ""):
        try:
            parse_datetime(str(modified))
        except ValueError:
            check.drop(record, "last_modified", "", "is not a date and time such as 2026-05-31T10:00:00Z")


def _check_organization(check: Checker, record: dict) -> None:
    organization = record.get("organization")
    if organization is None:
        if record.get("organization_id") is not None and not is_uuid(record.get("organization_id")):
            check.drop(record, "organization_id", "", "is not a UUID")
        return
    if not isinstance(organization, dict):
        check.drop(record, "organization", "", "is not an object")
        return
    if not is_uuid(organization.get("id")):
        check.errors.append("organization.id must be a UUID")
    check.text_or_drop(organization, "name", "organization.")


def _check_schedule(check: Checker, schedule: dict, where: str) -> None:
    check.time(schedule, "opens_at", where)
    check.time(schedule, "closes_at", where)
    byday = schedule.get("byday")
    if byday not in (None, ""):
        days = [d.strip().upper() for d in str(byday).split(",") if d.strip()]
        if all(BYDAY_RE.match(day) for day in days):
            schedule["byday"] = ",".join(days)
        else:
            check.drop(schedule, "byday", where, "must hold RFC 5545 day codes such as MO,WE or 2WE")
    monthdays = schedule.get("bymonthday")
    if monthdays not in (None, ""):
        days = [d.strip() for d in str(monthdays).split(",") if d.strip()]
        if all(BYMONTHDAY_RE.match(day) for day in days):
            schedule["bymonthday"] = ",".join(days)
        else:
            check.drop(schedule, "bymonthday", where, "must hold days of the month such as 1,15 or -1")
    freq = schedule.get("freq")
    if freq not in (None, ""):
        if str(freq).upper() in FREQUENCIES:
            schedule["freq"] = str(freq).upper()
        else:
            check.drop(schedule, "freq", where, f"is not one of {', '.join(FREQUENCIES)}")
    check.whole(schedule, "interval", where, 1)
    check.whole(schedule, "count", where, 1)
    for key in ("dtstart", "until", "valid_from", "valid_to"):
        check.day(schedule, key, where)


def _check_children(check: Checker, record: dict) -> None:
    for i, phone in enumerate(check.items(record, "phones")):
        check.text_or_drop(phone, "number", f"phones[{i}].")
    if any(not phone.get("number") for phone in record.get("phones") or []):
        check.warnings.append("a phone with no number was left out")
        record["phones"] = [phone for phone in record["phones"] if phone.get("number")]
    for i, schedule in enumerate(check.items(record, "schedules")):
        _check_schedule(check, schedule, f"schedules[{i}].")
    for i, language in enumerate(check.items(record, "languages")):
        check.text_or_drop(language, "code", f"languages[{i}].")
        check.text_or_drop(language, "name", f"languages[{i}].")
    for i, area in enumerate(check.items(record, "service_areas")):
        check.text_or_drop(area, "name", f"service_areas[{i}].")
    for i, option in enumerate(check.items(record, "cost_options")):
        check.number(option, "amount", f"cost_options[{i}].", 0, 1e12)
        check.day(option, "valid_from", f"cost_options[{i}].")
        check.day(option, "valid_to", f"cost_options[{i}].")
    check.items(record, "contacts")
    check.items(record, "attributes")
    check.items(record, "funding")


def _check_locations(check: Checker, record: dict) -> None:
    seen: set[str] = set()
    kept = []
    for i, sal in enumerate(check.items(record, "service_at_locations")):
        where = f"service_at_locations[{i}]."
        location = sal.get("location")
        if location is not None and not isinstance(location, dict):
            check.drop(sal, "location", where, "is not an object")
            location = None
        location_id = location.get("id") if location else sal.get("location_id")
        if not is_uuid(location_id):
            check.errors.append(f"{where}location.id must be a UUID")
            continue
        if location_id in seen:
            check.warnings.append(f"{where[:-1]} repeats a location; it is kept once")
            continue
        seen.add(location_id)
        kept.append(sal)
        if location:
            check.text_or_drop(location, "name", f"{where}location.")
            check.items(location, "addresses", f"{where}location.")
    if "service_at_locations" in record:
        record["service_at_locations"] = kept


def check_service(record: Any) -> Checked:
    """The record tidied for storing, with why it is refused (errors) or what was left out (warnings)."""
    if not isinstance(record, dict):
        return Checked(None, ["a service must be a JSON object"])
    record = tidy(record)  # a copy: the record given is left as it came
    check = Checker()
    if not is_uuid(record.get("id")):
        check.errors.append("id must be a UUID")
    if not isinstance(record.get("name"), str) or not record["name"]:
        check.errors.append("name is missing")
    check.links_and_emails(record, "")
    _check_service_fields(check, record)
    _check_organization(check, record)
    _check_children(check, record)
    _check_locations(check, record)
    return Checked(None if check.errors else record, check.errors, check.warnings)


def validate_service(record: Any) -> list[str]:
    """Why this record would be refused; an empty list means it can be stored."""
    return check_service(record).errors
