"""What narrows a search: the search's input beside the words and the place (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Filters:
    """Narrowing a search; None means "any"."""

    category: str | None = None
    district: str | None = None
    free_only: bool = False
    age: int | None = None
    day: str | None = None
    delivery: str | None = None  # in_person, phone or online
    # Open Referral API filters (all optional, so existing callers are unaffected).
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_type: str | None = None  # voluntary, statutory or private
    referral: str | None = None  # self, professional or either
    minimum_age: float | None = None  # the service's minimum age is at least this
    maximum_age: float | None = None  # the service's maximum age is at most this
    opens_from: str | None = None  # "HH:MM": a schedule (on `day`, if given) opens at or after this
    closes_by: str | None = None  # "HH:MM": a schedule (on `day`, if given) closes at or before this
    taxonomy_term_ids: tuple[str, ...] | None = None  # services linked to any of these stored terms
    organization_id: str | None = None
    modified_after: datetime | None = None  # (UTC) services changed at or after this
