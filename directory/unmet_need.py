"""Unmet need: what residents look for, as counts of normalised needs (a category code) by district and month.

``record_search`` and ``record_ask`` are the calls the directory search and Ask us make; each stores its count
through ``record`` after the response has been sent, in its own short transaction (``database.after_response``),
so a search never writes in its own transaction and a count that cannot be stored never fails the page. It
keeps no words typed, no postcode (only the district it falls in) and no time finer than the month. ``table``
counts them for commissioners, with small counts hidden as the survey breakdowns hide them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from directory import repository
from directory.models import UnmetNeedEvent
from directory.postcodes import HERTFORDSHIRE_DISTRICTS, PostcodeError, locate
from signpost.platform import database
from signpost.platform.extensions import db

SOURCES = ("search", "ask")
OTHER = "other"
MAX_SMALL_COUNT = 4
SUPPRESSED = "[c]"


def _district(district: str | None, postcode: str | None) -> str | None:
    if district in HERTFORDSHIRE_DISTRICTS:
        return district
    if postcode:
        try:
            place = locate(postcode)
        except PostcodeError:
            return None
        return place.district if place.in_hertfordshire else None
    return None


def record(
    source: str,
    need: str | None,
    *,
    district: str | None = None,
    postcode: str | None = None,
    found: bool,
    today: date | None = None,
    codes: set[str] | None = None,
) -> None:
    """Count one search or question. ``need`` is a category code (anything else is counted as "other");
    ``codes``, the category codes, when the caller has them already."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    codes = repository.category_codes() if codes is None else codes
    today = today or date.today()
    db.session.add(
        UnmetNeedEvent(
            month=today.replace(day=1),
            source=source,
            need=need if need in codes else OTHER,
            district=_district(district, postcode),
            found=found,
        )
    )
    db.session.flush()


def shown(count: int) -> int | str:
    return SUPPRESSED if 1 <= count <= MAX_SMALL_COUNT else count


def table(date_from: date, date_to: date, district: str | None = None) -> list[dict]:
    """Rows of (month, district, need): searches and questions, and how many found nothing nearby.

    Counts from 1 to ``MAX_SMALL_COUNT`` are hidden; where the total is shown but the found-nothing count
    is hidden, nothing else in the row gives it back (found counts are not published)."""
    query = (
        select(
            UnmetNeedEvent.month,
            UnmetNeedEvent.district,
            UnmetNeedEvent.need,
            func.count(),
            func.sum(func.cast(~UnmetNeedEvent.found, db.Integer)),
        )
        .where(UnmetNeedEvent.month >= date_from.replace(day=1), UnmetNeedEvent.month <= date_to)
        .group_by(UnmetNeedEvent.month, UnmetNeedEvent.district, UnmetNeedEvent.need)
    )
    if district:
        query = query.where(UnmetNeedEvent.district == district)
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for month, where, need, asked, nothing in db.session.execute(query):
        totals[(month, where, need)][0] += asked
        totals[(month, where, need)][1] += int(nothing or 0)
    rows = []
    for (month, where, need), (asked, nothing) in sorted(
        totals.items(), key=lambda item: (item[0][0], item[0][1] or "~", -item[1][1], item[0][2])
    ):
        rows.append(
            {
                "month": month.strftime("%Y-%m"),
                "district": where,
                "need": need,
                "asked": shown(asked),
                "found_nothing": shown(nothing),
                "suppressed": 1 <= asked <= MAX_SMALL_COUNT or 1 <= nothing <= MAX_SMALL_COUNT,
            }
        )
    return rows


def record_search(
    need: str | None, district: str | None, postcode: str | None, total: int, page: int, codes: set[str]
) -> None:
    """The directory search's one call: the first page of each search counts once (after the response)."""
    if page == 1:
        database.after_response(
            lambda: record("search", need, district=district, postcode=postcode, found=total > 0, codes=codes),
            "an unmet-need count",
        )


def record_ask(categories: tuple[str, ...], postcode: str | None, *, found: bool) -> None:
    """Ask us's one call: a question that was understood as a need (the need's first category), counted after
    the response."""
    if categories:
        database.after_response(
            lambda: record("ask", categories[0], postcode=postcode, found=found), "an unmet-need count"
        )
