"""Ordering search results: one continuous score, relevance times a smooth distance decay.

`rank` states the rules as plain functions over plain data, tested exhaustively without a database;
`ranked_page` is the same rules as one SQL statement, so the database sorts and pages the results and
only the page shown comes back (tests hold the two to the same order).

Relevance (the keyword score; 1 when browsing) scores each of the search's concepts once: its
`level` in a listing is the best of its alternatives, by the field it is found in (name, then
categories, then description, `FIELD_WEIGHTS`) and by whether it is the phrase typed or one of its
synonyms (`SYNONYM_SHARE`), so a listing that says one concept many ways does not outscore one that
has every concept. The backends (`backends.py`) find each concept's level with the database's
full-text match; here a concept found in fewer of the matching services weighs more
(`concept_weights`), and the keyword score is the weighted sum of the levels.

The score is relevance times a distance decay when a place is given, 1 / (1 + (miles / DECAY_MILES)^2):
smooth, so among services that are all on topic the near one wins unless it is a much weaker match. A
countywide, phone or online service that reaches the person enters the same decay at REACHES_YOU_MILES (or its real
distance, if nearer): below genuinely nearby services, above far-away ones, and never a tie. A local
service whose areas leave out the person's district has its score multiplied by NOT_COVERED_FACTOR.
With no place, the person may live anywhere in the county: a service that serves one town keeps
NO_PLACE_LOCAL_SHARE of its score beside a countywide one. A search in another of the site's languages
counts a service that offers that language SPEAKS_FACTOR times, and one in the category the words stand
for counts IN_CATEGORY_FACTOR times.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Float, FromClause, Select, and_, case, cast, func, literal, select, true

MILES_PER_DEGREE_LATITUDE = 69.09
# A countywide, phone or online service reaches the person wherever they live; for ordering it
# counts as this close, so it sits below genuinely nearby local services and above far-away ones.
REACHES_YOU_MILES = 3.0
# The distance at which the decay halves a score.
DECAY_MILES = 5.0
# A local service that does not cover the person's district keeps this share of its score.
NOT_COVERED_FACTOR = 0.5
# With no place given, the person may live anywhere in the county: a service that reaches everyone
# (countywide) is more use to them than an equally relevant one that serves one town, which keeps this
# share of its score (set on the development sets, tests/data/dev/).
NO_PLACE_LOCAL_SHARE = 2.0 / 3.0

# A search typed in another of the site's languages (on that language's page): a service that offers that
# language counts this many times over (set on the development sets, tests/data/dev/).
SPEAKS_FACTOR = 2.0

# A service in the category the search's words stand for (`query.infer_category`) counts this many times
# (set on the development sets: the need and language kinds gain, the others are unchanged).
IN_CATEGORY_FACTOR = 1.5

# What a concept found in a listing's name, categories or description is worth.
FIELD_WEIGHTS = (4.0, 2.0, 1.0)
FIELDS = ("name", "categories", "description")
# A concept found through one of its synonyms is worth this share of the phrase the person typed.
SYNONYM_SHARE = 0.8
# A bare word (no synonym group) is worth this share of a need the synonym data knows.
BARE_WORD_SHARE = 0.5


def match_levels() -> list[tuple[float, bool, int]]:
    """Every (level, through a synonym, field number) a concept can be found at, best first: the
    backends test them in this order and take the first that matches."""
    levels = [
        (weight * (SYNONYM_SHARE if synonym else 1.0), synonym, field)
        for synonym in (False, True)
        for field, weight in enumerate(FIELD_WEIGHTS)
    ]
    return sorted(levels, key=lambda item: -item[0])


def concept_level(typed_fields: set[int], synonym_fields: set[int]) -> float:
    """A concept's level in one listing, from the fields (numbers into `FIELDS`) its typed phrase and
    its synonyms are found in: the best of its alternatives, never their sum; 0 when not found."""
    for level, synonym, field in match_levels():
        if field in (synonym_fields if synonym else typed_fields):
            return level
    return 0.0


def concept_factor(known_need: bool) -> float:
    """What a concept counts for before its rarity: a need the synonym data knows (a synonym group)
    counts in full; a bare word (often an incidental one of a sentence: "home", "cost") counts less."""
    return 1.0 if known_need else BARE_WORD_SHARE


def concept_weights(
    levels: list[tuple[float, ...]], concepts: int, factors: tuple[float, ...] | None = None
) -> tuple[float, ...]:
    """Each concept's weight from the candidates' levels: its factor (`concept_factor`, 1 if not given)
    times 1 + (M - df) / (M + df), for M candidates of which df have the concept (between 1, in every
    candidate, and nearly 2, in few)."""
    matched = len(levels)
    weights = []
    for number in range(concepts):
        found = sum(1 for row in levels if row[number] > 0)
        factor = factors[number] if factors is not None else 1.0
        weights.append(factor * (1.0 + float(matched - found) / float(matched + found)))
    return tuple(weights)


def keyword_score(levels: tuple[float, ...], weights: tuple[float, ...]) -> float:
    """The weighted sum of a listing's concept levels, added up in concept order (as the SQL does)."""
    if not levels:
        return 0.0
    score = weights[0] * levels[0]
    for weight, level in zip(weights[1:], levels[1:], strict=True):
        score = score + weight * level
    return score


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
    levels: tuple[float, ...] = ()  # each of the search's concepts' level in the listing (`concept_level`)
    nearest_d2: float | None = None  # squared distance in scaled degrees to the nearest location
    countywide: bool = False
    remote: bool = False  # offered by phone or online
    serves_district: bool = False
    has_areas: bool = False  # the listing names the districts it covers
    # The database's own full-text score of the typed words (bm25 or ts_rank): only to order listings
    # whose concepts score the same (the name that is mostly the words typed first).
    text_score: float = 0.0
    speaks: bool = False  # offers the language the search was typed in (when that is not English)
    in_category: bool = False  # in the category the search's words stand for


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


def final_score(candidate: Candidate, score: float, has_origin: bool, keyword: bool) -> float:
    """Relevance (the keyword `score`) times distance decay times coverage (or, with no place, reach),
    times `SPEAKS_FACTOR` for a service in the search's language: what results are ordered by (highest first)."""
    relevance = score if keyword else 1.0
    language = SPEAKS_FACTOR if candidate.speaks else 1.0
    language = language * (IN_CATEGORY_FACTOR if candidate.in_category else 1.0)
    if not has_origin:
        return relevance * (1.0 if reaches(candidate) else NO_PLACE_LOCAL_SHARE) * language
    decay = 1.0 / (1.0 + ranking_d2(candidate, has_origin) / DECAY_D2)
    return relevance * decay * (NOT_COVERED_FACTOR if not_covered(candidate) else 1.0) * language


def rank(
    candidates: list[Candidate],
    has_origin: bool,
    keyword: bool,
    within_miles: float | None = None,
    factors: tuple[float, ...] | None = None,
) -> list[tuple[Candidate, float | None]]:
    """Order candidates and drop those beyond `within_miles`; returns (candidate, miles shown).
    `factors` are the concepts' `concept_factor`s (all 1 if not given)."""
    concepts = len(candidates[0].levels) if keyword and candidates else 0
    weights = concept_weights([c.levels for c in candidates], concepts, factors)
    keyed = []
    for candidate in candidates:
        distance = effective_miles(candidate, has_origin)
        if within_miles is not None and has_origin and distance > within_miles:
            continue
        score = keyword_score(candidate.levels, weights) if keyword else 0.0
        final = final_score(candidate, score, has_origin, keyword)
        d2 = ranking_d2(candidate, has_origin)
        text_score = candidate.text_score if keyword else 0.0
        key = (-final, d2, -score, -text_score, candidate.name.casefold(), candidate.service_id)
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
    concepts: int = 0,
    factors: Sequence[float | ColumnElement] | None = None,
    positioned: bool = False,
) -> Select:
    """One page of `candidates` in `rank` order, each row with the page's `total` and all `matched`; or, when
    `positioned`, every candidate unordered and unpaged with its `position` in that order (1 is first), for
    ranking other rows (a service's locations) by their service.

    `candidates` must have the columns service_id, name, level_0 .. level_<concepts - 1> (each concept's
    level, 0 when not found; `factors`, as floats or bound parameters, as `rank` takes them), text_score
    (when `keyword`), nearest_d2, reaches (a boolean: countywide, or remote and serving the person's
    district; with no place, countywide), not_covered (a local service whose areas leave out the person's
    district), speaks (offers the search's language) and in_category (in the category the words stand
    for). `within_d2` is the distance limit as `d2_from_miles` gives it. `matched` counts candidates
    before the distance limit, `total` after it.
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
    concepts = concepts if keyword else 0
    levels = [c[f"level_{number}"] for number in range(concepts)]
    stats = select(
        func.count().label("matched"),
        (func.sum(case((distance <= within_d2, 1), else_=0)) if limited else func.count()).label("total"),
        *(func.sum(case((level > 0, 1), else_=0)).label(f"found_{n}") for n, level in enumerate(levels)),
    )
    stats = stats.select_from(candidates).subquery("stats")
    # The same arithmetic, in the same order, as `concept_weights`, `keyword_score` and `final_score`,
    # so both give the same floats.
    lexical: ColumnElement = literal(0.0, Float)
    for number, level in enumerate(levels):
        found = stats.c[f"found_{number}"]
        rarity = literal(1.0, Float) + cast(stats.c.matched - found, Float) / cast(stats.c.matched + found, Float)
        factor = factors[number] if factors is not None else 1.0
        weight = (literal(factor, Float) if isinstance(factor, float) else factor) * rarity
        lexical = weight * level if number == 0 else lexical + weight * level
    relevance = lexical if keyword else literal(1.0)
    language = case((c.speaks, literal(SPEAKS_FACTOR)), else_=literal(1.0)) * case(
        (c.in_category, literal(IN_CATEGORY_FACTOR)), else_=literal(1.0)
    )
    if has_origin:
        decay = literal(1.0) / (literal(1.0) + distance / literal(DECAY_D2))
        coverage = case((c.not_covered, literal(NOT_COVERED_FACTOR)), else_=literal(1.0))
        score = relevance * decay * coverage * language
    else:
        score = relevance * case((c.reaches, literal(1.0)), else_=literal(NO_PLACE_LOCAL_SHARE)) * language
    stmt = (
        select(
            c.service_id,
            c.nearest_d2,
            lexical.label("score"),
            c.not_covered,
            c.speaks,
            c.in_category,
            score.label("final_score"),
            stats.c.total,
            stats.c.matched,
        )
        .select_from(candidates)
        .join(stats, true())
    )
    if limited:
        stmt = stmt.where(distance <= within_d2)
    text_score = c.text_score if keyword else literal(0.0, Float)
    order = (score.desc(), distance, lexical.desc(), text_score.desc(), func.lower(c.name), c.service_id)
    if positioned:
        return stmt.add_columns(func.row_number().over(order_by=order).label("position"))
    return stmt.order_by(*order).limit(limit).offset(offset)
