"""Full-text search on each database, behind one small interface with one results contract.

`scored_documents` is what a search starts from (and, alone, the floor the benchmark measures): the
`search_document` rows matching the bound parameter `text_query` (made by `expression`), with a
`score` column (higher is better). A search's concepts are OR-ed (a service matching more of them
scores higher); `any_concept=False` asks for services matching every concept. Words reaching here
are letters and digits only (see `query.words`), and still travel as bound parameters.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import (
    Float,
    Integer,
    Select,
    TextClause,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    select,
    text,
    true,
)

from directory.models import SearchDocument
from directory.search.query import Concept, ParsedQuery

# Field weights: a match in the name counts most, then categories, then the description.
SQLITE_WEIGHTS = (10.0, 5.0, 1.0)
# A concept's own words (as typed, or as typo correction fixed them) score again on top of the whole
# synonym group's score, so "blue badge" finds the Blue Badge before services that say "transport" often.
TYPED_WEIGHT = 1.0


def typed_only(query: ParsedQuery) -> ParsedQuery:
    """The query with each concept cut down to the phrase the person typed."""
    return ParsedQuery(query.text, tuple(Concept(c.alternatives[:1]) for c in query.concepts), query.corrected_text)


class FullTextBackend(Protocol):
    dialect: str

    def expression(self, query: ParsedQuery, any_concept: bool = True) -> str: ...

    def scored_documents(self) -> Select: ...

    def parameters(self, query: ParsedQuery) -> dict[str, str]: ...

    def term_exists_clause(self) -> TextClause: ...

    def term_parameter(self, word: str) -> str: ...


def _join(concepts: tuple[Concept, ...], any_concept: bool, phrase_fn, or_op: str, and_op: str) -> str:
    groups = [
        "(" + f" {or_op} ".join(phrase_fn(phrase) for phrase in concept.alternatives) + ")" for concept in concepts
    ]
    return f" {or_op if any_concept else and_op} ".join(groups)


class SqliteFts5:
    dialect = "sqlite"

    @staticmethod
    def expression(query: ParsedQuery, any_concept: bool = True) -> str:
        return _join(query.concepts, any_concept, lambda p: '"' + " ".join(p) + '"', "OR", "AND")

    def scored_documents(self) -> Select:
        name_w, category_w, body_w = SQLITE_WEIGHTS
        # MATERIALIZED: SQLite must not flatten the FTS query (bm25 only works directly on its table).
        bm25 = f"-bm25(service_fts, {name_w}, {category_w}, {body_w})"
        matches = (
            text(
                f"SELECT document_id, sum(part) AS score FROM ("
                f"SELECT rowid AS document_id, {bm25} AS part FROM service_fts WHERE service_fts MATCH :text_query "
                f"UNION ALL SELECT rowid, {bm25} * {TYPED_WEIGHT} FROM service_fts WHERE service_fts MATCH :typed_query"
                ") GROUP BY document_id"
            )
            .columns(document_id=Integer, score=Float)
            .cte("matches")
            .prefix_with("MATERIALIZED")
        )
        return (
            select(matches.c.score.label("score"))
            .select_from(SearchDocument)
            .join(matches, matches.c.document_id == SearchDocument.id)
        )

    def parameters(self, query: ParsedQuery) -> dict[str, str]:
        return {"text_query": self.expression(query), "typed_query": self.expression(typed_only(query))}

    def term_exists_clause(self) -> TextClause:
        return text("SELECT 1 FROM service_fts WHERE service_fts MATCH :term LIMIT 1")

    @staticmethod
    def term_parameter(word: str) -> str:
        return f'"{word}"'


class PostgresTsvector:
    dialect = "postgresql"

    @staticmethod
    def expression(query: ParsedQuery, any_concept: bool = True) -> str:
        return _join(query.concepts, any_concept, lambda p: "(" + " <-> ".join(p) + ")", "|", "&")

    def scored_documents(self) -> Select:
        # ts_rank, not ts_rank_cd: cover density costs about five times as much per match, and the
        # ranking only compares scores in broad bands.
        tsquery = func.to_tsquery("english", bindparam("text_query"))
        q = tsquery.table_valued("query").render_derived(name="q")
        typed = func.to_tsquery("english", bindparam("typed_query")).table_valued("query").render_derived(name="t")
        document = literal_column("search_document.document")
        # The typed phrases' extra score as a factor on one ts_rank (matching them doubles it): a second
        # ts_rank would double the cost of scoring, and a match test is cheap.
        rank = func.ts_rank(document, q.c.query, type_=Float)
        score = rank * case((document.op("@@")(typed.c.query), 1.0 + TYPED_WEIGHT), else_=1.0)
        return (
            select(cast(score, Float).label("score"))
            .select_from(SearchDocument)
            .join(q, true())
            .join(typed, true())
            .where(document.op("@@")(q.c.query))
        )

    def parameters(self, query: ParsedQuery) -> dict[str, str]:
        return {"text_query": self.expression(query), "typed_query": self.expression(typed_only(query))}

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
