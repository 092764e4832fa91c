"""Ordering search results: relevance first, then distance, fair to countywide and remote services.

Plain functions over plain data, so the rules can be tested exhaustively without a database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
