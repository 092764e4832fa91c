"""The simple spreadsheet councils keep, as CSV: one row per service, turned into ORUK records.

Columns (a header row is required; only `name` and `organisation` must be filled; lists are
separated by semicolons):

id, name, organisation, organisation_type, description, categories, phone, email, website,
address, town, postcode, areas, days, opens_at, closes_at, minimum_age, maximum_age, free, cost,
eligibility, how_to_access, referral, delivery, languages, assured_date

Rows become ORUK records with ids derived from the row (the `id` column, or the organisation and
service name), so importing the same sheet again updates the same listings.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from directory import repository
from directory.oruk.importing import Unreadable
from directory.oruk.validation import is_uuid
from directory.oruk.vocabulary import fixed_id, organisation_type_from_words, term_for
from directory.postcodes import HERTFORDSHIRE_DISTRICTS

COLUMNS = (
    "id", "name", "organisation", "organisation_type", "description", "categories", "phone", "email", "website",
    "address", "town", "postcode", "areas", "days", "opens_at", "closes_at", "minimum_age", "maximum_age", "free",
    "cost", "eligibility", "how_to_access", "referral", "delivery", "languages", "assured_date",
)  # fmt: skip
DAY_WORDS = {
    "mo": "MO", "monday": "MO", "tu": "TU", "tuesday": "TU", "we": "WE", "wednesday": "WE", "th": "TH",
    "thursday": "TH", "fr": "FR", "friday": "FR", "sa": "SA", "saturday": "SA", "su": "SU", "sunday": "SU",
}  # fmt: skip
YES = {"yes", "y", "true", "1", "free"}
NO = {"", "no", "n", "false", "0"}
DELIVERY_WORDS = {"in person": "in_person", "in_person": "in_person", "phone": "phone", "online": "online"}


def _list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace("\n", ";").split(";") if part.strip()]


def _number(value: str) -> Any:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return int(text) if text.isdigit() else float(text)
    except ValueError:
        return text  # left for validation to report


def _attribute(service_id: str, term_id: str) -> dict[str, str]:
    return {"id": fixed_id("attribute", f"{service_id}:{term_id}"), "link_id": service_id, "taxonomy_term_id": term_id}


class RowReader:
    """Turns rows into records, knowing the directory's categories (by code or name)."""

    def __init__(self) -> None:
        self.categories = {}
        for term in repository.categories():
            self.categories[term.code.casefold()] = term.id
            self.categories[term.name.casefold()] = term.id

    def record(self, row: dict[str, str]) -> tuple[dict, list[str]]:
        row = {key: (value or "").strip() for key, value in row.items() if key}
        errors: list[str] = []
        name, organisation = row.get("name", ""), row.get("organisation", "")
        if not organisation:
            errors.append("organisation is missing")
        service_id = row.get("id") or fixed_id("csv-service", f"{organisation.casefold()}|{name.casefold()}")
        if row.get("id") and not is_uuid(service_id):
            errors.append("id must be a UUID (or leave it empty)")
        organisation_id = fixed_id("csv-organisation", organisation.casefold())
        kind = organisation_type_from_words(row.get("organisation_type")) if row.get("organisation_type") else None
        if row.get("organisation_type") and kind is None:
            errors.append("organisation_type must be voluntary, statutory or private")
        attributes = []
        for category in _list(row.get("categories", "")):
            term_id = self.categories.get(category.casefold())
            if term_id is None:
                errors.append(f"categories: {category!r} is not one of the directory's categories")
            else:
                attributes.append(_attribute(service_id, term_id))
        attributes += self._access(service_id, row, errors)
        record = {
            "id": service_id,
            "name": name,
            "description": row.get("description", ""),
            "status": "active",
            "url": row.get("website") or None,
            "email": row.get("email") or None,
            "eligibility_description": row.get("eligibility", ""),
            "application_process": row.get("how_to_access", ""),
            "fees_description": row.get("cost", ""),
            "minimum_age": _number(row.get("minimum_age", "")),
            "maximum_age": _number(row.get("maximum_age", "")),
            "assured_date": row.get("assured_date") or None,
            "organization": {
                "id": organisation_id,
                "name": organisation,
                "description": "",
                "attributes": [_attribute(organisation_id, term_for("organization_type", kind.value).id)]
                if kind
                else [],
            },
            "phones": [{"number": number} for number in _list(row.get("phone", ""))],
            "schedules": self._schedules(row, errors),
            "service_areas": self._areas(row, errors),
            "languages": [{"code": code} for code in _list(row.get("languages", "")) or ["en"]],
            "cost_options": [{"amount_description": row["cost"]}] if row.get("cost") else [],
            "service_at_locations": self._locations(service_id, row),
            "attributes": attributes,
        }
        return record, errors

    @staticmethod
    def _access(service_id: str, row: dict[str, str], errors: list[str]) -> list[dict[str, str]]:
        attributes = []
        for word in _list(row.get("delivery", "").replace(",", ";")):
            value = DELIVERY_WORDS.get(word.casefold())
            if value is None:
                errors.append(f"delivery: {word!r} must be in person, phone or online")
            else:
                attributes.append(_attribute(service_id, term_for("delivery", value).id))
        referral = row.get("referral", "").casefold() or "self"
        if referral not in ("self", "professional", "either"):
            errors.append("referral must be self, professional or either")
        else:
            attributes.append(_attribute(service_id, term_for("referral", referral).id))
        free = row.get("free", "").casefold()
        if free not in YES | NO:
            errors.append("free must be yes or no")
        elif free in YES:
            attributes.append(_attribute(service_id, term_for("free", "yes").id))
        return attributes

    @staticmethod
    def _schedules(row: dict[str, str], errors: list[str]) -> list[dict[str, Any]]:
        days = []
        for word in _list(row.get("days", "").replace(",", ";")):
            code = DAY_WORDS.get(word.casefold())
            if code is None:
                errors.append(f"days: {word!r} is not a day")
            else:
                days.append(code)
        if not days and not row.get("opens_at"):
            return []
        return [
            {
                "byday": ",".join(days),
                "opens_at": row.get("opens_at") or None,
                "closes_at": row.get("closes_at") or None,
            }
        ]

    @staticmethod
    def _areas(row: dict[str, str], errors: list[str]) -> list[dict[str, str]]:
        areas = _list(row.get("areas", ""))
        if any(area.casefold() == "countywide" for area in areas):
            return [{"name": "Hertfordshire"}]
        known = {d.casefold(): d for d in HERTFORDSHIRE_DISTRICTS}
        for area in areas:
            if area.casefold() not in known:
                errors.append(f"areas: {area!r} is not a Hertfordshire district (or 'countywide')")
        return [{"name": known[a.casefold()]} for a in areas if a.casefold() in known]

    @staticmethod
    def _locations(service_id: str, row: dict[str, str]) -> list[dict[str, Any]]:
        if not (row.get("address") or row.get("postcode")):
            return []
        location_id = fixed_id("csv-location", service_id)
        address = {
            "address_1": row.get("address", ""),
            "city": row.get("town", ""),
            "postal_code": row.get("postcode", ""),
        }
        return [{"location": {"id": location_id, "name": row.get("address", ""), "addresses": [address]}}]


def records_from_csv(path: str | Path) -> Iterator[dict | Unreadable]:
    """Records from a CSV file; rows with spreadsheet-level problems come back as Unreadable, by row number."""
    reader_ = RowReader()
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle)
        missing = {"name", "organisation"} - set(rows.fieldnames or [])
        if missing:
            yield Unreadable("header", [f"the header row needs the columns: {', '.join(sorted(missing))}"])
            return
        for number, row in enumerate(rows, start=2):
            record, errors = reader_.record(row)
            yield Unreadable(f"row {number}", errors) if errors else record
