"""Listings as plain table rows, so imports and loads write many at once instead of object by object.

A loader or importer builds one dict per table row (`ListingRows`), compares it with what is
stored, and hands the differences to `repository.write_rows` in a `RowWrites`: one statement per
table and kind of change. `service_view` gives rows the attributes `directory.oruk.serialise` and
`repository.search_row` read from a Service, so snapshots and search documents are made by the
same code whichever way a listing was written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from directory.models import (
    Contact,
    CostOption,
    Language,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    ServiceTaxonomyTerm,
)

Row = dict[str, Any]

# A service's child tables, each with the Service attribute that holds its rows; written in this
# order (the ORM's, by table name), so a record the database refuses is refused for the same row.
CHILD_ATTRIBUTES: dict[type, str] = {
    Contact: "contacts",
    CostOption: "cost_options",
    Language: "languages",
    Phone: "phones",
    Schedule: "schedules",
    ServiceArea: "service_areas",
    ServiceAtLocation: "service_at_locations",
    ServiceTaxonomyTerm: "taxonomy_terms",
}


@dataclass
class ListingRows:
    """One service's row and its child tables' rows (keyed by model), each row holding every column."""

    service: Row
    children: dict[type, list[Row]] = field(default_factory=dict)

    def rows(self, model: type) -> list[Row]:
        return self.children.get(model, [])


@dataclass
class RowWrites:
    """What to write, by model: new rows, changed rows (matched by id), and the services whose rows in
    a table are replaced (deleted, then the new rows for them inserted)."""

    new: defaultdict[type, list[Row]] = field(default_factory=lambda: defaultdict(list))
    changed: defaultdict[type, list[Row]] = field(default_factory=lambda: defaultdict(list))
    replaced: defaultdict[type, set[str]] = field(default_factory=lambda: defaultdict(set))


def _row_key(row: Row) -> str:
    return row.get("id") or row["taxonomy_term_id"]


def same_rows(stored: list[Row], wanted: list[Row]) -> bool:
    """Whether two sets of a service's rows in one table hold the same values."""
    return len(stored) == len(wanted) and sorted(stored, key=_row_key) == sorted(wanted, key=_row_key)


def service_view(
    listing: ListingRows, organizations: Mapping[str, Row], locations: Mapping[str, Row], terms: Mapping[str, Any]
) -> SimpleNamespace:
    """The listing with a Service's attributes (organisation, children, locations, terms), read-only."""
    view = SimpleNamespace(**listing.service)
    view.organization = SimpleNamespace(**organizations[listing.service["organization_id"]])
    for model, attribute in CHILD_ATTRIBUTES.items():
        setattr(view, attribute, [SimpleNamespace(**row) for row in listing.rows(model)])
    view.phones.sort(key=lambda phone: phone.position)
    for sal in view.service_at_locations:
        sal.location = SimpleNamespace(**locations[sal.location_id])
    view.taxonomy_terms = [terms[row["taxonomy_term_id"]] for row in listing.rows(ServiceTaxonomyTerm)]
    return view
