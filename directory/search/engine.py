"""The one search path: every page and API that finds services calls `search`."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from directory import repository
from directory.postcodes import Place
from directory.search.filters import Filters
from directory.search.query import Lexicon, ParsedQuery, base_lexicon, parse_query, with_concepts, worth_answering
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


@dataclass(frozen=True)
class Hit:
    service_id: str
    miles: float | None


@dataclass(frozen=True)
class SearchResults:
    request: SearchRequest
    query: ParsedQuery | None
    hits: list[Hit]
    total: int
    relaxed: bool = False  # no service matched every word, so these match some of them

    @property
    def page(self) -> int:
        return self.request.page

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))

    @property
    def showing_corrected(self) -> bool:
        return self.query is not None and self.query.was_corrected


class _LexiconCache:
    """The lexicon for the current search index version; rebuilt when listings change.

    The version is read from the database at most every `CHECK_SECONDS` (a round trip that would
    otherwise cost as much as a small search), and at once after this process changes listings; so
    another worker's edit reaches typo correction within that time.
    """

    CHECK_SECONDS = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_database: dict[str, tuple[str, Lexicon, float, int]] = {}

    def get(self) -> Lexicon:
        database = repository.database_key()
        cached = self._by_database.get(database)
        now = time.monotonic()
        if cached is not None:
            version, lexicon, checked_at, local_changes = cached
            if now - checked_at < self.CHECK_SECONDS and local_changes == repository.changes_here():
                return lexicon
        local_changes = repository.changes_here()
        version = repository.index_version()
        if cached is not None and cached[0] == version:
            lexicon = cached[1]
        else:
            lexicon = base_lexicon(repository.vocabulary_texts())
        with self._lock:
            self._by_database[database] = (version, lexicon, now, local_changes)
        return lexicon


lexicons = _LexiconCache()


def understand(text: str, exact: bool = False) -> ParsedQuery | None:
    if not text.strip():
        return None
    lexicon = lexicons.get()
    return parse_query(text, lexicon, term_exists=repository.term_exists, correct=not exact)


def search(request: SearchRequest) -> SearchResults:
    """Find services: full text with synonyms and typo correction, filters, then rank and page (in SQL).

    The search's concepts are OR-ed, so a service matching more of them scores higher; a search whose
    words the directory does not hold (see `query.worth_answering`) finds nothing.
    """
    query = understand(request.text, request.exact)
    origin = Origin(request.place.latitude, request.place.longitude, request.place.district) if request.place else None
    keyword = query is not None and not query.is_empty
    relaxed = False
    if keyword:
        found_concepts = tuple(c for c in query.concepts if repository.matches_any(with_concepts(query, (c,))))
        if not worth_answering(query.concepts, found_concepts):
            return SearchResults(request=request, query=query, hits=[], total=0)
        relaxed = len(query.concepts) > 1 and not repository.matches_any(query, every_concept=True)
        query = with_concepts(query, found_concepts) if found_concepts != query.concepts else query
    found = repository.search_page(
        query if keyword else None,
        filters=request.filters,
        origin=origin,
        within_miles=request.within_miles,
        limit=request.per_page,
        offset=(request.page - 1) * request.per_page,
    )
    return SearchResults(
        request=request,
        query=query,
        hits=[Hit(service_id, miles_from_d2(d2) if origin else None) for service_id, d2 in found.hits],
        total=found.total,
        relaxed=relaxed and bool(found.hits),
    )
