"""How search understands what a person typed: words, synonyms and typo correction."""

from directory.search.query import (
    Concept,
    Lexicon,
    base_lexicon,
    guide_topics,
    infer_category,
    parse_query,
    words,
    worth_answering,
)

LEXICON = Lexicon.build(
    groups=[["respite", "short breaks"], ["meals on wheels", "meals at home"], ["falls", "falling over"]],
    stopwords=["my", "mum", "keeps", "on", "a", "the"],
    vocabulary_texts=["Dementia Café", "Carers in Hertfordshire", "Lunch club"],
)


def alternatives(parsed):
    return [sorted(" ".join(p) for p in c.alternatives) for c in parsed.concepts]


def test_words_are_lower_case_without_punctuation_or_apostrophes():
    assert words("Mum's  FALLS, again!") == ["mums", "falls", "again"]


def test_a_synonym_finds_the_whole_group():
    assert alternatives(parse_query("short breaks", LEXICON)) == [["respite", "short breaks"]]


def test_a_phrase_wins_over_its_single_words():
    parsed = parse_query("meals on wheels", LEXICON)
    assert alternatives(parsed) == [["meals at home", "meals on wheels"]]


def test_plain_english_drops_filler_words_and_maps_to_the_directory_words():
    parsed = parse_query("my mum keeps falling over", LEXICON)
    assert alternatives(parsed) == [["falling over", "falls"]]


def test_a_misspelt_word_is_corrected_to_the_vocabulary():
    parsed = parse_query("demensia", LEXICON)
    assert parsed.corrected_text == "dementia"
    assert alternatives(parsed) == [["dementia"]]


def test_misspellings_are_corrected_before_synonyms_are_applied():
    parsed = parse_query("meels on weels", Lexicon.build([["meals on wheels", "meals at home"]], ["on"]))
    assert parsed.corrected_text == "meals on wheels"
    assert alternatives(parsed) == [["meals at home", "meals on wheels"]]


def test_a_misspelt_word_is_corrected_to_the_word_that_completes_a_phrase_with_its_neighbours():
    lexicon = Lexicon.build([["dial a ride", "community transport"]], ["a"], ["daily living equipment"])
    assert parse_query("dail a ride", lexicon).corrected_text == "dial a ride"
    assert parse_query("dail living", lexicon).corrected_text == "daily living"  # no phrase: the nearest word


def test_a_word_found_in_the_directory_is_never_corrected():
    parsed = parse_query("gardening", LEXICON, term_exists=lambda w: w == "gardening")
    assert parsed.corrected_text is None
    assert alternatives(parsed) == [["gardening"]]


def test_searching_exactly_turns_correction_off():
    parsed = parse_query("demensia", LEXICON, correct=False)
    assert parsed.corrected_text is None
    assert alternatives(parsed) == [["demensia"]]


def test_a_correction_keeps_the_first_letter_typed():
    """An English word the directory lacks is not turned into an unrelated one that differs in its first letter."""
    lexicon = Lexicon.build([], [], ["Living well sessions"])
    assert parse_query("driving lessons", lexicon).corrected_text is None
    assert parse_query("livng sesions", lexicon).corrected_text == "living sessions"


def test_a_word_far_from_any_vocabulary_word_is_left_alone():
    assert parse_query("xylophone", LEXICON).corrected_text is None


def test_only_filler_words_means_no_keyword_search():
    assert parse_query("my mum", LEXICON).is_empty


def test_repeated_concepts_are_kept_once():
    assert alternatives(parse_query("respite short breaks", LEXICON)) == [["respite", "short breaks"]]


def test_the_shipped_synonym_list_covers_the_phrases_residents_use():
    lexicon = base_lexicon()
    expectations = {
        "respite": "short breaks",
        "meals on wheels": "meals at home",
        "money worries": "debt",
        "lonely": "befriending",
        "my mum keeps falling over": "falls",
        "alzheimers": "dementia",
    }
    for typed, expected in expectations.items():
        found = {" ".join(p) for c in parse_query(typed, lexicon).concepts for p in c.alternatives}
        assert expected in found, typed


def test_very_long_queries_are_cut_to_a_sensible_length():
    assert len(parse_query("carers " * 500, LEXICON).concepts) == 1


def test_searches_about_a_guides_topic_name_that_guide():
    assert guide_topics("paying for care") == ["paying-for-care"]
    assert guide_topics("How much does a care home cost?") == ["paying-for-care"]
    assert guide_topics("Carer's Allowance") == ["carers"]
    assert guide_topics("lunch club") == []
    assert guide_topics("careful") == [], "whole words only"


def test_falling_and_meals_on_wheels_do_not_stretch_to_trips_balance_or_cooking():
    lexicon = base_lexicon()
    falling = {" ".join(p) for c in parse_query("falling", lexicon).concepts for p in c.alternatives}
    meals = {" ".join(p) for c in parse_query("meals on wheels", lexicon).concepts for p in c.alternatives}
    assert "falls" in falling and not {"trips", "balance"} & falling
    assert "meals at home" in meals and "cooking" not in meals


def test_each_synonym_group_is_one_concept_with_its_category():
    lexicon = Lexicon.build(
        groups=[["respite", "short breaks"], ["food bank", "foodbank"]],
        stopwords=["a", "for"],
        categories=["respite", "meals"],
    )
    parsed = parse_query("short breaks for a carer", lexicon)
    assert [c.category for c in parsed.concepts] == ["respite", None]
    assert [c.label for c in parsed.concepts] == ["short breaks", "carer"]


def test_the_category_most_concepts_stand_for_is_inferred_and_the_first_names_it():
    respite = Concept((("respite",),), "respite")
    breaks = Concept((("a", "break"),), "respite")
    meals = Concept((("lunch",),), "meals")
    assert infer_category([meals, respite, breaks]) == ("respite", respite)
    assert infer_category([meals, respite]) == ("meals", meals)
    assert infer_category([Concept((("xylophone",),))]) is None


def test_an_honest_nothing_found_when_the_directory_holds_too_little_of_the_search():
    car, insurance, quote = (Concept(((w,),)) for w in ("car", "insurance", "quote"))
    lunch = Concept((("lunch", "club"), ("luncheon", "club")), "meals")
    assert not worth_answering((car, insurance, quote), ())
    assert not worth_answering((car, insurance, quote), (car,))
    assert worth_answering((car, insurance, quote), (car, insurance))
    assert worth_answering((lunch, insurance, quote), (lunch,))  # a need the synonym data knows
