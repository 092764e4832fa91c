"""The one search path: every page and API that finds services calls `search`."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from directory import repository
from directory.postcodes import Place, town_named
from directory.search import languages
from directory.search.filters import Filters
from directory.search.query import (
    Concept,
    Lexicon,
    ParsedQuery,
    base_lexicon,
    infer_category,
    needs_unclear,
    parse_query,
    typed,
    with_concepts,
    words,
    worth_answering,
)
from directory.search.ranking import Origin, miles_from_d2

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    place: Place | None = None
    filters: Filters = field(default_factory=Filters)
    within_miles: float | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    exact: bool = False  # search for exactly what was typed, with no typo correction
    lang: str = "en"  # the language of the page (or API call) the words were typed on


NeedsReader = Callable[[str, str, bool], tuple[str, ...]]
"""(text, language, found) -> the categories of the need a search in another language is about, or () when
unsure; `found`: whether the engine's own reading of the words found a need. The application hands the one
"Ask us" uses (`signpost.ask.search_needs`), which has learnt the site's seven languages from reviewed
examples; the directory sits in the layer below it."""


@dataclass(frozen=True)
class Reasons:
    """Why a service was found and where it ranks: for staff, the API and tuning. Which of the search's
    concepts each listing matched costs a read of the listings' text, so it is asked for separately:
    `SearchResults.matched_concepts`."""

    corrected_text: str | None = None  # the words searched for, when typo correction changed them
    category: str | None = None  # the category inferred from the words, when the service is in it
    in_category: bool = False  # ranked up for being in the inferred category (`ranking.IN_CATEGORY_FACTOR`)
    # The page's language (not English), when the service offers it and so ranked up (`ranking.SPEAKS_FACTOR`)
    offers_language: str | None = None
    keyword_score: float = 0.0  # the full-text score
    score: float = 0.0  # the ranking score: relevance x distance decay x coverage
    miles: float | None = None
    not_covered: bool = False  # a local service whose areas leave out the person's district


@dataclass(frozen=True)
class Hit:
    service_id: str
    miles: float | None
    reasons: Reasons = field(default_factory=Reasons, compare=False)


@dataclass(frozen=True)
class SearchResults:
    request: SearchRequest
    query: ParsedQuery | None
    hits: list[Hit]
    total: int
    relaxed: bool = False  # no service matched every word, so these match some of them
    # The closest matches, not good ones: no service has every word, and neither a need the words name
    # nor one the model is sure they mean was found (see `search`).
    low_confidence: bool = False
    category: str | None = None  # the category inferred from the words (see `query.infer_category`)
    category_because: str | None = None  # the words it was inferred from

    @functools.cached_property
    def matched_concepts(self) -> dict[str, tuple[str, ...]]:
        """For each hit (by service id), the search's concepts found in its listing (as typed or corrected)."""
        if self.query is None or self.query.is_empty or not self.hits:
            return {hit.service_id: () for hit in self.hits}
        texts = repository.search_texts([hit.service_id for hit in self.hits])
        return {hit.service_id: _matched(self.query.concepts, texts.get(hit.service_id, "")) for hit in self.hits}

    @property
    def page(self) -> int:
        return self.request.page

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))

    @property
    def showing_corrected(self) -> bool:
        return self.query is not None and self.query.was_corrected


lexicons = repository.ByIndexVersion(lambda: base_lexicon(repository.vocabulary_texts()))
"""The lexicon (synonyms and the typo-correction vocabulary) for the current search index version: built again
when listings change, here at once and in another worker within ``CHECK_SECONDS``."""


def understand(
    text: str, exact: bool = False, lang: str = "en", read_needs: NeedsReader | None = None
) -> ParsedQuery | None:
    """What the words ask for; a search in another language, as the English concepts nearest it. On a page
    in another language (`lang`), the need `read_needs` is sure the words name decides which concepts those
    are, when it gives one; otherwise the model's nearest concepts do (`languages.translate`)."""
    if not text.strip():
        return None
    lexicon = lexicons.get()
    foreign = not exact and languages.looks_foreign(text, lexicon, repository.term_exists)
    translated = languages.translate(text, lexicon, repository.term_exists) if foreign else None
    query = None
    if not translated:
        query = parse_query(text, lexicon, term_exists=repository.term_exists, correct=not exact)
    if not exact and lang != "en" and read_needs is not None and (translated or needs_unclear(query)):
        found = bool(translated) or any(concept.known_need for concept in query.concepts)
        if categories := read_needs(text, lang, found):
            translated = languages.concepts_of(text, lexicon, categories) or translated
    if translated:
        kept = _words_listed(text, lexicon, translated)
        return ParsedQuery(text=text.strip(), concepts=translated + kept, translated=True)
    assert query is not None
    if not exact and needs_unclear(query) and (needs := languages.nearest_needs(text, lexicon, query.concepts)):
        query = with_concepts(query, query.concepts + needs)
    return query


def _words_listed(text: str, lexicon: Lexicon, translated: tuple[Concept, ...]) -> tuple[Concept, ...]:
    """The words of a search in another language that the directory's listings hold as they are (a place,
    "Stevenage"; a borrowed word, "PIP"), as bare concepts beside the translated need; not one its
    translation already says ("bank" of "bank żywności", food bank)."""
    said = {w for concept in translated for phrase in concept.alternatives for w in phrase}
    skip = lexicon.stopwords | languages.FUNCTION_WORDS | said
    tokens = [w for w in words(text) if len(w) > 2 and w not in skip]
    return tuple(Concept(((w,),)) for w in dict.fromkeys(tokens) if repository.term_exists(w))


def _matched(concepts: tuple[Concept, ...], text: str) -> tuple[str, ...]:
    """The concepts whose phrases appear in a listing's text (word for word, or with a plural "s" added or dropped)."""
    listed = set(words(text))
    listed |= {w[:-1] for w in listed if w.endswith("s")} | {w + "s" for w in listed}
    return tuple(c.label for c in concepts if any(all(w in listed for w in phrase) for phrase in c.alternatives))


def search(request: SearchRequest, read_needs: NeedsReader | None = None) -> SearchResults:
    """Find services: full text with synonyms and typo correction, filters, then rank and page (in SQL).

    The search's concepts are OR-ed, so a service matching more of them scores higher; a search whose
    words the directory does not hold (see `query.worth_answering`) finds nothing. The category the
    words stand for (if the search is not already in one) is inferred, shown and given as a reason, and
    its services rank higher (`ranking.IN_CATEGORY_FACTOR`); so do services that offer the language of a
    page in another language (`ranking.SPEAKS_FACTOR`).
    """
    query = understand(request.text, request.exact, request.lang, read_needs)
    # With no postcode, a Hertfordshire town named in the words ("lunch club in Hitchin") is the place.
    place = request.place or town_named(words(request.text))
    origin = Origin(place.latitude, place.longitude, place.district) if place else None
    keyword = query is not None and not query.is_empty
    relaxed = False
    sure = False
    inferred = None
    if keyword:
        found_concepts = tuple(c for c in query.concepts if repository.matches_any(with_concepts(query, (c,))))
        sure = any(c.known_need for c in typed(found_concepts)) or any(
            (c.semantic or 0.0) >= languages.ANSWER_SIMILARITY for c in found_concepts
        )
        if not worth_answering(typed(query.concepts), typed(found_concepts)) and not sure:
            return SearchResults(request=request, query=query, hits=[], total=0)
        words_typed = with_concepts(query, typed(query.concepts))
        relaxed = len(words_typed.concepts) > 1 and not repository.matches_any(words_typed, every_concept=True)
        query = with_concepts(query, found_concepts) if found_concepts != query.concepts else query
        inferred = None if request.filters.category else infer_category(query.concepts)
    found = repository.search_page(
        query if keyword else None,
        filters=request.filters,
        origin=origin,
        within_miles=request.within_miles,
        limit=request.per_page,
        offset=(request.page - 1) * request.per_page,
        language=request.lang if request.lang != "en" else None,
        category=inferred[0] if inferred else None,
    )
    hits = []
    for (service_id, d2), (keyword_score, score, not_covered, speaks, in_category) in zip(
        found.hits, found.details, strict=True
    ):
        miles = miles_from_d2(d2) if origin else None
        reasons = Reasons(
            corrected_text=query.corrected_text if query is not None else None,
            category=inferred[0] if inferred and in_category else None,
            in_category=in_category,
            offers_language=request.lang if speaks else None,
            keyword_score=keyword_score,
            score=score,
            miles=miles,
            not_covered=not_covered,
        )
        hits.append(Hit(service_id, miles, reasons))
    return SearchResults(
        request=request,
        query=query,
        hits=hits,
        total=found.total,
        relaxed=relaxed and bool(found.hits),
        low_confidence=relaxed and not sure and bool(found.hits),
        category=inferred[0] if inferred else None,
        category_because=inferred[1].label if inferred else None,
    )
