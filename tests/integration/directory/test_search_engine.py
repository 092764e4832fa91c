"""The one search path over the demo directory: OR-ed concepts, honest nothing found, reasons and coverage."""

from directory.loading import stable_id
from directory.postcodes import locate
from directory.search.engine import SearchRequest, search

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


def test_a_search_in_polish_finds_the_english_listings(app):
    from directory.search import languages

    if languages.model() is None:
        return
    results = search(SearchRequest(text="bank żywności"))
    assert results.query.translated and results.hits
    assert all("food bank" in results.matched_concepts[hit.service_id] for hit in results.hits[:3])
