"""The one search path over the demo directory: OR-ed concepts, honest nothing found, reasons and coverage."""

import pytest
from sqlalchemy import select

from directory import repository
from directory.loading import stable_id
from directory.models import SearchDocument, Service, ServiceArea, areas_text
from directory.postcodes import locate
from directory.search.backends import backend_for, typed_and_synonyms
from directory.search.engine import SearchRequest, search
from directory.search.query import Concept, ParsedQuery, words
from directory.search.ranking import concept_level
from signpost.platform.extensions import db

KEYS = ("watford-housing-advice", "stevenage-housing-advice")


def test_a_plain_english_sentence_finds_services_despite_its_incidental_words(app):
    results = search(SearchRequest(text="I look after my husband and I am exhausted and need a rest"))
    assert results.hits
    assert results.category in {"carers", "respite"}


def test_words_sharing_only_one_incidental_word_with_the_directory_find_nothing(app):
    assert not search(SearchRequest(text="car insurance quote")).hits
    assert not search(SearchRequest(text="xylophone")).hits


def test_each_result_says_which_concepts_it_matched(app):
    results = search(SearchRequest(text="lunch club"))
    assert results.hits
    assert all("lunch club" in results.matched_concepts[hit.service_id] for hit in results.hits[:5])
    assert results.category == "meals" and results.category_because == "lunch club"


def test_a_typo_fix_is_a_reason(app):
    results = search(SearchRequest(text="befreinding"))
    assert results.hits
    assert results.hits[0].reasons.corrected_text == "befriending"


def test_a_local_service_that_does_not_cover_the_persons_district_is_demoted_and_says_so(app):
    results = search(SearchRequest(text="housing advice", place=locate("WD17"), per_page=50))
    by_id = {hit.service_id: hit for hit in results.hits}
    watford, stevenage = (by_id[stable_id("service", key)] for key in KEYS)
    assert results.hits.index(watford) < results.hits.index(stevenage)
    assert stevenage.reasons.not_covered and not watford.reasons.not_covered
    assert watford.reasons.score > stevenage.reasons.score  # both phone services without an address


def test_whether_a_service_covers_the_district_follows_each_edit_of_its_areas(app):
    """Ranking reads a service's areas from its search row (`SearchDocument.areas`): an edit shows at once."""
    service = db.session.get(Service, stable_id("service", KEYS[1]))
    stevenage_id = service.id
    document = db.session.scalars(select(SearchDocument).where(SearchDocument.service_id == stevenage_id)).one()
    assert document.areas == areas_text(area.name for area in service.service_areas)
    service.service_areas.append(ServiceArea(name="Watford"))
    repository.reindex([service])
    results = search(SearchRequest(text="housing advice", place=locate("WD17"), per_page=50))
    assert not next(hit for hit in results.hits if hit.service_id == stevenage_id).reasons.not_covered
    service.service_areas[:] = [ServiceArea(name="Dacorum")]
    repository.reindex([service])
    assert document.areas == areas_text(["Dacorum"])
    results = search(SearchRequest(text="housing advice", place=locate("WD17"), per_page=50))
    assert next(hit for hit in results.hits if hit.service_id == stevenage_id).reasons.not_covered


def test_a_search_in_polish_finds_the_english_listings(app):
    from directory.search import languages

    if languages.model() is None:
        return
    results = search(SearchRequest(text="bank żywności"))
    assert results.query.translated and results.hits
    assert all("food bank" in results.matched_concepts[hit.service_id] for hit in results.hits[:3])


def _has_phrase(text: str, phrases) -> bool:
    """A phrase word for word, a plural "s" added or dropped: what both databases' stemmers do with these words."""
    typed = [w.removesuffix("s") for w in words(text or "")]
    wanted = [[w.removesuffix("s") for w in phrase] for phrase in phrases]
    return any(typed[i : i + len(p)] == p for p in wanted for i in range(len(typed) - len(p) + 1))


def test_each_database_scores_each_concept_once_as_the_rules_say(app):
    """The backends' SQL gives each concept the level `ranking.concept_level` states: the best field its
    typed phrase or a synonym is found in, never the sum of its alternatives."""
    concepts = (
        Concept((("lunch", "club"), ("luncheon", "club"), ("hot", "meal"))),
        Concept((("hitchin",),)),
        Concept((("befriending",), ("companionship",), ("lonely",))),
    )
    query = ParsedQuery("lunch club hitchin befriending", concepts)
    backend = backend_for(db.engine.dialect.name)
    doc = SearchDocument
    stmt = backend.scored_documents(len(concepts)).add_columns(doc.name, doc.categories, doc.body)
    rows = db.session.execute(stmt, backend.parameters(query)).all()
    assert len(rows) > 5
    for row in rows:
        fields = (row.name, row.categories, row.body)
        for number, concept in enumerate(concepts):
            typed, synonyms = typed_and_synonyms(concept)
            expected = concept_level(
                {f for f, text in enumerate(fields) if _has_phrase(text, typed)},
                {f for f, text in enumerate(fields) if _has_phrase(text, synonyms)},
            )
            assert row[number] == expected, (row.name, concept.label)
    assert len({row[0] for row in rows}) > 2  # the levels differ between listings


def test_a_listing_with_every_concept_beats_one_that_says_one_concept_many_ways(app):
    hits = search(SearchRequest(text="hitchin lunch club")).hits
    first = repository.full_services([hits[0].service_id])[0]
    assert "hitchin" in first.name.casefold() or "Hitchin" in (first.description or "")


def test_a_need_the_model_finds_counts_less_than_the_words_typed_and_never_alone(app):
    from directory.search import languages
    from directory.search.query import SEMANTIC_SHARE, typed

    if languages.model() is None:
        return
    results = search(SearchRequest(text="live in fear of my partner"))
    semantic = [c for c in results.query.concepts if c.semantic is not None]
    assert [c.label for c in semantic] == ["domestic abuse"] and semantic[0].share == SEMANTIC_SHARE < 1
    assert typed(results.query.concepts)  # beside the words typed, never alone
    assert results.category == "domestic-abuse"
    # A need the words name is not second-guessed by the model.
    assert all(c.semantic is None for c in search(SearchRequest(text="lunch club")).query.concepts)
    # Words the directory does not hold, and no need near enough to answer for them: nothing found.
    assert search(SearchRequest(text="car insurance quote")).hits == []
    assert search(SearchRequest(text="asdf qwerty zxcv")).hits == []


def test_a_search_in_another_language_keeps_the_place_it_names(app):
    from directory.search import languages

    if languages.model() is None:
        return
    results = search(SearchRequest(text="kawiarnia pamięci Stevenage"))
    assert results.query.translated and "stevenage" in [c.label for c in results.query.concepts]
    assert results.hits[0].service_id == stable_id("service", "stevenage-memory-cafe")


def test_a_town_named_in_the_words_is_the_place_when_no_postcode_is_given(app):
    named = search(SearchRequest(text="lunch club hitchin"))
    assert named.hits[0].service_id == stable_id("service", "hitchin-lunch-club")
    assert named.hits[0].miles is not None and named.hits[0].miles < 2
    assert all(hit.miles is None for hit in search(SearchRequest(text="lunch club")).hits)


def test_a_word_the_translation_already_says_is_not_searched_again(app):
    from directory.search import languages

    if languages.model() is None:
        return
    results = search(SearchRequest(text="bank żywności Watford"))
    labels = [c.label for c in results.query.concepts]
    assert "food bank" in labels and "watford" in labels and "bank" not in labels
    assert stable_id("service", "watford-foodbank") in [hit.service_id for hit in results.hits[:2]]


def test_a_search_that_names_a_known_need_costs_no_embedding(app, monkeypatch):
    from directory.search import languages

    monkeypatch.setattr(languages, "ranked_groups", lambda text: pytest.fail(f"embedded {text!r}"))
    assert search(SearchRequest(text="my mum is lonely since dad died and needs company")).hits
    assert search(SearchRequest(text="lunch club hitchin")).hits


def test_postgresqls_stop_words_are_the_ones_search_leaves_out_of_synonym_phrases(app):
    from sqlalchemy import text

    from directory.search.backends import POSTGRES_STOP_WORDS

    if db.engine.dialect.name != "postgresql":
        return  # the list describes PostgreSQL's index; SQLite's holds every word
    dropped = db.session.execute(
        text("SELECT w FROM unnest(CAST(:words AS text[])) AS w WHERE to_tsvector('english', w) = ''::tsvector"),
        {"words": sorted(POSTGRES_STOP_WORDS)},
    ).scalars()
    assert set(dropped) == POSTGRES_STOP_WORDS


def test_a_synonym_that_would_shrink_to_one_common_word_does_not_match_listings(app):
    """'look after' and 'care for my' are carers' words, but on PostgreSQL they would match as 'look' and
    'care', in most listings: the carers concept matches on its other words, on both databases alike."""
    from directory.search.backends import matchable

    carers = next(c for c in search(SearchRequest(text="carer")).query.concepts if ("carer",) in c.alternatives)
    kept = matchable(carers)
    assert ("look", "after") not in kept and ("care", "for", "my") not in kept
    assert ("carer",) in kept and ("caring", "for", "someone") in kept
    from sqlalchemy import func, select

    listings = db.session.scalar(select(func.count()).select_from(SearchDocument))
    assert search(SearchRequest(text="carer")).total < 0.5 * listings
