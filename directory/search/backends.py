"""Full-text search on each database, behind one small interface with one results contract.

`scored_documents` is what a search starts from (and, alone, the floor the benchmark measures): the
`search_document` rows matching the bound parameter `text_query` (made by `expression`), with a
`score` column (higher is better). Words reaching here are letters and digits only (see
`query.words`), and still travel as bound parameters.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Float, Integer, Select, TextClause, bindparam, func, literal_column, select, text, true

from directory.models import SearchDocument
from directory.search.query import Concept, ParsedQuery

# Field weights: a match in the name counts most, then categories, then the description.
SQLITE_WEIGHTS = (10.0, 5.0, 1.0)


class FullTextBackend(Protocol):
    dialect: str

    def expression(self, query: ParsedQuery, any_concept: bool = False) -> str: ...

    def scored_documents(self) -> Select: ...

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
    def expression(query: ParsedQuery, any_concept: bool = False) -> str:
        return _join(query.concepts, any_concept, lambda p: '"' + " ".join(p) + '"', "OR", "AND")

    def scored_documents(self) -> Select:
        name_w, category_w, body_w = SQLITE_WEIGHTS
        # MATERIALIZED: SQLite must not flatten the FTS query (bm25 only works directly on its table).
        matches = (
            text(
                f"SELECT rowid AS document_id, -bm25(service_fts, {name_w}, {category_w}, {body_w}) AS score "
                "FROM service_fts WHERE service_fts MATCH :text_query"
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

    def term_exists_clause(self) -> TextClause:
        return text("SELECT 1 FROM service_fts WHERE service_fts MATCH :term LIMIT 1")

    @staticmethod
    def term_parameter(word: str) -> str:
        return f'"{word}"'


class PostgresTsvector:
    dialect = "postgresql"

    @staticmethod
    def expression(query: ParsedQuery, any_concept: bool = False) -> str:
        return _join(query.concepts, any_concept, lambda p: "(" + " <-> ".join(p) + ")", "|", "&")

    def scored_documents(self) -> Select:
        # ts_rank, not ts_rank_cd: cover density costs about five times as much per match, and the
        # ranking only compares scores in broad bands.
        tsquery = func.to_tsquery("english", bindparam("text_query"))
        q = tsquery.table_valued("query").render_derived(name="q")
        document = literal_column("search_document.document")
        return (
            select(func.ts_rank(document, q.c.query, type_=Float).label("score"))
            .select_from(SearchDocument)
            .join(q, true())
            .where(document.op("@@")(q.c.query))
        )

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
