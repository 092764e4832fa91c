"""Full-text search on each database, behind one small interface with one results contract.

`scored_documents(concepts)` is what a search starts from (and, alone, the floor the benchmark
measures): the `search_document` rows matching any of the search's concepts (the bound parameter
`text_query`, made by `expression`), each with a `level_<n>` column per concept: the best field its
typed phrase or one of its synonyms is found in, as `ranking.concept_level` states it (each concept
scored once, however many of its alternatives a listing has; 0 when not found), and a `text_score`,
the database's own score of the typed phrases alone (bm25, ts_rank), which orders equal listings. `ranking.ranked_page`
weighs and adds up the levels. `any_concept=False` asks for services matching every concept. Words
reaching here are letters and digits only (see `query.words`), and still travel as bound parameters.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    TextClause,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
)

from directory.models import SearchDocument
from directory.search.query import Concept, ParsedQuery, Phrase
from directory.search.ranking import match_levels

# bm25's column weights for `text_score` on SQLite (PostgreSQL's ts_rank weighs the labels A, B, C as 1, 0.4, 0.2).
SQLITE_WEIGHTS = (10.0, 5.0, 1.0)
# PostgreSQL's weight label for each field (see the search_document.document column), in `ranking.FIELDS` order.
POSTGRES_LABELS = ("A", "B", "C")
# PostgreSQL's English stop words (its tsearch_data/english.stop): its full-text index holds none of them, so
# there a phrase is matched without them ("look after" as "look"). A test checks the list against the server.
POSTGRES_STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is
    are was were be been being have has had having do does did doing a an the and but if or because as until
    while of at by for with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will just don should now
    """.split()
)


def matchable(concept: Concept) -> tuple[Phrase, ...]:
    """The alternatives listings are matched on: the typed phrase, and each synonym that still has two words
    on PostgreSQL, or had only one. "look after", "caring for" and "care for my" would match there as "look" or
    "care", which most of the directory holds (a search for carers then read half of it), so neither database
    matches listings on them; they still tell which concept a search typed."""
    typed, *synonyms = concept.alternatives
    return (typed, *(p for p in synonyms if len(p) == 1 or sum(w not in POSTGRES_STOP_WORDS for w in p) > 1))


def typed_and_synonyms(concept: Concept, translated: bool = False) -> tuple[tuple[Phrase, ...], tuple[Phrase, ...]]:
    """A concept's typed phrase, and its synonyms (the typed phrase again when it has none, so that
    every search with as many concepts binds the same parameters). A search in another language typed
    none of them, nor did one for a need the model found near its words: each alternative counts as typed
    (the latter's `Concept.share` weighs it less)."""
    alternatives = matchable(concept)
    if translated or concept.semantic is not None:
        return alternatives, alternatives
    return alternatives[:1], alternatives[1:] or alternatives[:1]


class FullTextBackend(Protocol):
    dialect: str

    def expression(self, query: ParsedQuery, any_concept: bool = True) -> str: ...

    def scored_documents(self, concepts: int) -> Select: ...

    def parameters(self, query: ParsedQuery) -> dict[str, str]: ...

    def term_exists_clause(self) -> TextClause: ...

    def term_parameter(self, word: str) -> str: ...


def _join(concepts: tuple[Concept, ...], any_concept: bool, phrase_fn, or_op: str, and_op: str) -> str:
    groups = ["(" + f" {or_op} ".join(phrase_fn(phrase) for phrase in matchable(concept)) + ")" for concept in concepts]
    return f" {or_op if any_concept else and_op} ".join(groups)


class SqliteFts5:
    dialect = "sqlite"

    @staticmethod
    def _phrases(phrases: tuple[Phrase, ...]) -> str:
        return " OR ".join('"' + " ".join(p) + '"' for p in phrases)

    def expression(self, query: ParsedQuery, any_concept: bool = True) -> str:
        return _join(query.concepts, any_concept, lambda p: self._phrases((p,)), "OR", "AND")

    def scored_documents(self, concepts: int) -> Select:
        # One match of each concept's typed phrase and one of its synonyms; bm25 weighted to a single
        # column is below zero exactly when the match is in that column (FTS5 keeps every term's idf
        # above zero), which gives the field. Each concept's level is the best of its rows.
        def field_level(synonym: bool) -> str:
            whens = []
            for level, from_synonym, field in match_levels():
                if from_synonym == synonym:
                    weights = ", ".join("1" if f == field else "0" for f in range(3))
                    whens.append(f"WHEN bm25(service_fts, {weights}) < 0 THEN {level!r}")
            return "CASE " + " ".join(whens) + " ELSE 0.0 END"

        name_w, category_w, body_w = SQLITE_WEIGHTS
        bm25 = f"-bm25(service_fts, {name_w}, {category_w}, {body_w})"
        parts = [
            f"SELECT rowid AS document_id, {number} AS concept, {field_level(synonym)} AS level, "
            f"{'0.0' if synonym else bm25} AS text_score "
            f"FROM service_fts WHERE service_fts MATCH :{'synonyms' if synonym else 'typed'}_{number}"
            for number in range(concepts)
            for synonym in (False, True)
        ]
        columns = ", ".join(
            f"coalesce(max(CASE WHEN concept = {number} THEN level END), 0.0) AS level_{number}"
            for number in range(concepts)
        )
        # MATERIALIZED: SQLite must not flatten the FTS query (bm25 only works directly on its table).
        matches = (
            text(
                f"SELECT document_id, {columns}, sum(text_score) AS text_score "
                f"FROM ({' UNION ALL '.join(parts)}) GROUP BY document_id"
            )
            .columns(document_id=Integer, text_score=Float, **{f"level_{number}": Float for number in range(concepts)})
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )
        return (
            select(*(matches.c[f"level_{number}"] for number in range(concepts)), matches.c.text_score)
            .select_from(SearchDocument)
            .join(matches, matches.c.document_id == SearchDocument.id)
        )

    def parameters(self, query: ParsedQuery) -> dict[str, str]:
        params = {"text_query": self.expression(query)}
        for number, concept in enumerate(query.concepts):
            typed, synonyms = typed_and_synonyms(concept, query.translated)
            params[f"typed_{number}"] = self._phrases(typed)
            params[f"synonyms_{number}"] = self._phrases(synonyms)
        return params

    def term_exists_clause(self) -> TextClause:
        return text("SELECT 1 FROM service_fts WHERE service_fts MATCH :term LIMIT 1")

    @staticmethod
    def term_parameter(word: str) -> str:
        return f'"{word}"'


def _head_steps() -> int:
    """How many of `match_levels`' tests PostgreSQL skips together (all but the weakest field's two)."""
    return len(match_levels()) - 2


class PostgresTsvector:
    dialect = "postgresql"

    @staticmethod
    def _phrases(phrases: tuple[Phrase, ...], label: str = "") -> str:
        suffix = f":{label}" if label else ""
        return " | ".join("(" + " <-> ".join(w + suffix for w in p) + ")" for p in phrases)

    def expression(self, query: ParsedQuery, any_concept: bool = True) -> str:
        return _join(query.concepts, any_concept, lambda p: self._phrases((p,)), "|", "&")

    def scored_documents(self, concepts: int) -> Select:
        # A match test per field and kind of alternative (typed or synonym), best first, stopping at the
        # first that holds; the queries are parsed once, in one row joined to every match. Match tests
        # only, no ts_rank: it would add up a concept's alternatives, and costs more.
        document = literal_column("search_document.document")
        names = [(f"q_{number}_{step}", number) for number in range(concepts) for step in range(len(match_levels()))]
        names += [(f"q_{number}_{part}", number) for number in range(concepts) for part in ("any", "head")]
        # OFFSET 0 keeps the row a subquery: pulled up into the statement, a generic plan (a prepared
        # statement's, after a few runs) would parse every query again for each listing it tests.
        parsed = (
            select(
                func.to_tsquery("english", bindparam("text_query")).label("text_query"),
                func.to_tsquery("english", bindparam("typed_query")).label("typed_query"),
                *(func.to_tsquery("english", bindparam(name)).label(name) for name, _ in names),
            )
            .offset(0)
            .subquery("q")
        )
        steps = list(enumerate(match_levels()))
        head = _head_steps()

        def first_that_holds(tests) -> ColumnElement:
            return case(
                *(
                    (document.op("@@")(parsed.c[f"q_{number}_{step}"]), literal(level, Float))
                    for number, step, level in tests
                ),
                else_=literal(0.0, Float),
            )

        # The same level as testing each field and kind in turn, in fewer tests: a listing without the
        # concept (most, for all but the commonest concept) fails one test (`q_<n>_any`: any alternative,
        # any field), and one without it in the fields of the first tests (`q_<n>_head`) skips them.
        levels = [
            case(
                (~document.op("@@")(parsed.c[f"q_{number}_any"]), literal(0.0, Float)),
                (
                    ~document.op("@@")(parsed.c[f"q_{number}_head"]),
                    first_that_holds([(number, step, level) for step, (level, _s, _f) in steps[head:]]),
                ),
                else_=first_that_holds([(number, step, level) for step, (level, _s, _f) in steps]),
            ).label(f"level_{number}")
            for number in range(concepts)
        ]
        text_score = func.ts_rank(document, parsed.c.typed_query, 1, type_=Float).label("text_score")
        return (
            select(*levels, text_score)
            .select_from(SearchDocument)
            .join(parsed, true())
            .where(document.op("@@")(parsed.c.text_query))
        )

    def parameters(self, query: ParsedQuery) -> dict[str, str]:
        typed_only = ParsedQuery(
            query.text, tuple(Concept(typed_and_synonyms(c, query.translated)[0]) for c in query.concepts)
        )
        params = {"text_query": self.expression(query), "typed_query": self.expression(typed_only)}
        for number, concept in enumerate(query.concepts):
            typed, synonyms = typed_and_synonyms(concept, query.translated)
            steps = [
                self._phrases(synonyms if synonym else typed, POSTGRES_LABELS[field])
                for _level, synonym, field in match_levels()
            ]
            for step, tests in enumerate(steps):
                params[f"q_{number}_{step}"] = tests
            params[f"q_{number}_any"] = self._phrases(tuple(dict.fromkeys(typed + synonyms)))
            head_fields = "".join(sorted({POSTGRES_LABELS[field] for _l, _s, field in match_levels()[: _head_steps()]}))
            params[f"q_{number}_head"] = self._phrases(tuple(dict.fromkeys(typed + synonyms)), head_fields)
        return params

    def term_exists_clause(self) -> TextClause:
        return text("SELECT 1 FROM search_document WHERE document @@ to_tsquery('english', :term) LIMIT 1")

    @staticmethod
    def term_parameter(word: str) -> str:
        return word


BACKENDS: dict[str, FullTextBackend] = {"sqlite": SqliteFts5(), "postgresql": PostgresTsvector()}


def backend_for(dialect_name: str) -> FullTextBackend:
    try:
        return BACKENDS[dialect_name]
    except KeyError:
        raise RuntimeError(f"Search supports SQLite and PostgreSQL, not {dialect_name}") from None
