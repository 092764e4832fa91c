"""Ordering search results: one continuous score, relevance times a smooth distance decay.

`rank` states the rules as plain functions over plain data, tested exhaustively without a database;
`ranked_page` is the same rules as one SQL statement, so the database sorts and pages the results and
only the page shown comes back (tests hold the two to the same order).

The score is relevance (the service's keyword score over the best one; 1 when browsing) times a
distance decay when a place is given, 1 / (1 + (miles / DECAY_MILES)^2): smooth, so among services
that are all on topic the near one wins unless it is a much weaker match. A countywide, phone or
online service that reaches the person enters the same decay at REACHES_YOU_MILES (or its real
distance, if nearer): below genuinely nearby services, above far-away ones, and never a tie. A local
service whose areas leave out the person's district has its score multiplied by NOT_COVERED_FACTOR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, Select, and_, case, func, literal, select, true

MILES_PER_DEGREE_LATITUDE = 69.09
# A countywide, phone or online service reaches the person wherever they live; for ordering it
# counts as this close, so it sits below genuinely nearby local services and above far-away ones.
REACHES_YOU_MILES = 3.0
# The distance at which the decay halves a score.
DECAY_MILES = 5.0
# A local service that does not cover the person's district keeps this share of its score.
NOT_COVERED_FACTOR = 0.5


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
    has_areas: bool = False  # the listing names the districts it covers


FAR_AWAY_D2 = 1.0e12  # no location and does not reach you: after every service that has a distance


def d2_from_miles(miles: float) -> float:
    return (miles / MILES_PER_DEGREE_LATITUDE) ** 2


DECAY_D2 = d2_from_miles(DECAY_MILES)


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


def not_covered(candidate: Candidate) -> bool:
    """A local service whose areas leave out the person's district."""
    return not candidate.countywide and candidate.has_areas and not candidate.serves_district


def ranking_d2(candidate: Candidate, has_origin: bool) -> float:
    """The squared distance the decay uses: as `effective_miles`, in the database's units."""
    if not has_origin:
        return 0.0
    reach_d2 = d2_from_miles(REACHES_YOU_MILES)
    if reaches(candidate):
        return reach_d2 if candidate.nearest_d2 is None else min(candidate.nearest_d2, reach_d2)
    return FAR_AWAY_D2 if candidate.nearest_d2 is None else candidate.nearest_d2


def final_score(candidate: Candidate, best: float, has_origin: bool, keyword: bool) -> float:
    """Relevance times distance decay times coverage: what results are ordered by (highest first)."""
    relevance = candidate.score / best if keyword and best > 0 else 1.0
    if not has_origin:
        return relevance
    decay = 1.0 / (1.0 + ranking_d2(candidate, has_origin) / DECAY_D2)
    return relevance * decay * (NOT_COVERED_FACTOR if not_covered(candidate) else 1.0)


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
        score = final_score(candidate, best, has_origin, keyword)
        d2 = ranking_d2(candidate, has_origin)
        key = (-score, d2, -candidate.score, candidate.name.casefold(), candidate.service_id)
        keyed.append((key, candidate, miles_from_d2(candidate.nearest_d2) if has_origin else None))
    keyed.sort(key=lambda item: item[0])
    return [(candidate, miles) for _key, candidate, miles in keyed]


# --- the same rules as SQL, so the database orders the results and returns one page -------------------

# `rank` above is the reference: tests check that `ranked_page` orders any candidates exactly as it does.
# Distances stay as squared scaled degrees in SQL (no square root needed to compare them).


def ranked_page(
    candidates: FromClause,
    has_origin: bool,
    keyword: bool,
    within_d2: float | ColumnElement | None,
    limit: int | ColumnElement | None,
    offset: int | ColumnElement,
    *,
    positioned: bool = False,
) -> Select:
    """One page of `candidates` in `rank` order, each row with the page's `total` and all `matched`; or, when
    `positioned`, every candidate unordered and unpaged with its `position` in that order (1 is first), for
    ranking other rows (a service's locations) by their service.

    `candidates` must have the columns service_id, name, score, nearest_d2, reaches (a boolean:
    countywide, or remote and serving the person's district) and not_covered (a local service whose
    areas leave out the person's district). `within_d2` is the distance limit as `d2_from_miles` gives
    it. `matched` counts candidates before the distance limit, `total` after it.
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
    # The same arithmetic, in the same order, as `final_score`, so both give the same floats.
    if keyword:
        relevance = case((stats.c.best > 0, c.score / stats.c.best), else_=literal(1.0))
    else:
        relevance = literal(1.0)
    if has_origin:
        decay = literal(1.0) / (literal(1.0) + distance / literal(DECAY_D2))
        coverage = case((c.not_covered, literal(NOT_COVERED_FACTOR)), else_=literal(1.0))
        score = relevance * decay * coverage
    else:
        score = relevance
    stmt = (
        select(
            c.service_id,
            c.nearest_d2,
            c.score,
            c.not_covered,
            score.label("final_score"),
            stats.c.total,
            stats.c.matched,
        )
        .select_from(candidates)
        .join(stats, true())
    )
    if limited:
        stmt = stmt.where(distance <= within_d2)
    order = (score.desc(), distance, c.score.desc(), func.lower(c.name), c.service_id)
    if positioned:
        return stmt.add_columns(func.row_number().over(order_by=order).label("position"))
    return stmt.order_by(*order).limit(limit).offset(offset)
