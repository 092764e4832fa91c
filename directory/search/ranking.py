"""Ordering search results: relevance first, then distance, fair to countywide and remote services.

`rank` states the rules as plain functions over plain data, tested exhaustively without a database;
`ranked_page` is the same rules as one SQL statement, so the database sorts and pages the results and
only the page shown comes back (tests hold the two to the same order).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, Select, and_, case, func, literal, select, true

MILES_PER_DEGREE_LATITUDE = 69.09
# A countywide, phone or online service reaches the person wherever they live; for ordering it
# counts as this close, so it sits below genuinely nearby local services and above far-away ones.
REACHES_YOU_MILES = 3.0
# Results scoring at least this share of the best score are equally relevant; distance decides.
RELEVANCE_BANDS = (0.6, 0.3)


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float
    district: str | None = None

    @property
    def longitude_scale(self) -> float:
        return math.cos(math.radians(self.latitude))


@dataclass(frozen=True)
class Candidate:
    """A service that matched, with what ranking needs to know about it."""

    service_id: str
    name: str
    score: float = 0.0
    nearest_d2: float | None = None  # squared distance in scaled degrees to the nearest location
    countywide: bool = False
    remote: bool = False  # offered by phone or online
    serves_district: bool = False


def miles_from_d2(d2: float | None) -> float | None:
    """Convert the database's squared scaled-degree distance to miles (equirectangular, ample within a county)."""
    if d2 is None:
        return None
    return math.sqrt(max(d2, 0.0)) * MILES_PER_DEGREE_LATITUDE


def reaches(candidate: Candidate) -> bool:
    """Does the service come to the person (countywide, or remote in their district)?"""
    return candidate.countywide or (candidate.remote and candidate.serves_district)


def effective_miles(candidate: Candidate, has_origin: bool) -> float:
    if not has_origin:
        return 0.0
    miles = miles_from_d2(candidate.nearest_d2)
    if reaches(candidate):
        return REACHES_YOU_MILES if miles is None else min(miles, REACHES_YOU_MILES)
    return math.inf if miles is None else miles


def relevance_band(score: float, best: float) -> int:
    if best <= 0:
        return 0
    ratio = score / best
    for band, threshold in enumerate(RELEVANCE_BANDS):
        if ratio >= threshold:
            return band
    return len(RELEVANCE_BANDS)


def rank(
    candidates: list[Candidate], has_origin: bool, keyword: bool, within_miles: float | None = None
) -> list[tuple[Candidate, float | None]]:
    """Order candidates and drop those beyond `within_miles`; returns (candidate, miles shown)."""
    best = max((c.score for c in candidates), default=0.0) if keyword else 0.0
    keyed = []
    for candidate in candidates:
        distance = effective_miles(candidate, has_origin)
        if within_miles is not None and has_origin and distance > within_miles:
            continue
        band = relevance_band(candidate.score, best) if keyword else 0
        key = (band, distance, -candidate.score, candidate.name.casefold(), candidate.service_id)
        keyed.append((key, candidate, miles_from_d2(candidate.nearest_d2) if has_origin else None))
    keyed.sort(key=lambda item: item[0])
    return [(candidate, miles) for _key, candidate, miles in keyed]


# --- the same rules as SQL, so the database orders the results and returns one page -------------------

# `rank` above is the reference: tests check that `ranked_page` orders any candidates exactly as it does.
# Distances stay as squared scaled degrees in SQL (no square root needed to compare them).
FAR_AWAY_D2 = 1.0e12  # no location and does not reach you: after every service that has a distance


def d2_from_miles(miles: float) -> float:
    return (miles / MILES_PER_DEGREE_LATITUDE) ** 2


def ranked_page(
    candidates: FromClause,
    has_origin: bool,
    keyword: bool,
    within_d2: float | ColumnElement | None,
    limit: int | ColumnElement | None,
    offset: int | ColumnElement,
) -> Select:
    """One page of `candidates` in `rank` order, each row with the page's `total` and all `matched`.

    `candidates` must have the columns service_id, name, score, nearest_d2 and reaches (a boolean:
    countywide, or remote and serving the person's district). `within_d2` is the distance limit as
    `d2_from_miles` gives it. `matched` counts candidates before the distance limit, `total` after it.
    """
    c = candidates.c
    if has_origin:
        reach_d2 = d2_from_miles(REACHES_YOU_MILES)
        distance = case(
            (and_(c.reaches, c.nearest_d2 < reach_d2), c.nearest_d2),
            (c.reaches, literal(reach_d2)),
            (c.nearest_d2.is_(None), literal(FAR_AWAY_D2)),
            else_=c.nearest_d2,
        )
    else:
        distance = literal(0.0)
    limited = has_origin and within_d2 is not None
    # Whole-set figures from one aggregate row, rather than window functions, which would have to
    # buffer every candidate row.
    stats = select(
        func.max(c.score).label("best"),
        func.count().label("matched"),
        (func.sum(case((distance <= within_d2, 1), else_=0)) if limited else func.count()).label("total"),
    ).subquery("stats")
    if keyword:
        best = stats.c.best
        band = case(
            (best <= 0, 0),
            *((c.score / best >= threshold, number) for number, threshold in enumerate(RELEVANCE_BANDS)),
            else_=len(RELEVANCE_BANDS),
        )
    else:
        band = literal(0)
    stmt = (
        select(c.service_id, c.nearest_d2, stats.c.total, stats.c.matched).select_from(candidates).join(stats, true())
    )
    if limited:
        stmt = stmt.where(distance <= within_d2)
    return stmt.order_by(band, distance, c.score.desc(), func.lower(c.name), c.service_id).limit(limit).offset(offset)
