"""Ranking rules: relevance first, then nearest; countywide and phone services stay fair.

Every rule is checked twice: against `rank`, the rules as plain Python, and against `ranked_page`, the
same rules as the SQL the search runs (on each database). A property test holds the two to the same order.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Boolean, Float, String, cast, literal, select, union_all

from directory.search.ranking import (
    FIELD_WEIGHTS,
    REACHES_YOU_MILES,
    SYNONYM_SHARE,
    Candidate,
    concept_factor,
    concept_level,
    d2_from_miles,
    match_levels,
    miles_from_d2,
    not_covered,
    ranked_page,
    reaches,
)
from directory.search.ranking import rank as rules
from signpost.platform.extensions import db


def ranked_rows(candidates, has_origin, keyword, within_miles=None, limit=None, offset=0, factors=None):
    """Run candidates through `ranked_page`."""
    rows = [
        select(
            cast(literal(c.service_id), String).label("service_id"),
            cast(literal(c.name), String).label("name"),
            *(cast(literal(level), Float).label(f"level_{n}") for n, level in enumerate(c.levels)),
            cast(literal(c.text_score), Float).label("text_score"),
            cast(literal(c.nearest_d2), Float).label("nearest_d2"),
            cast(literal(reaches(c)), Boolean).label("reaches"),
            cast(literal(not_covered(c)), Boolean).label("not_covered"),
            cast(literal(c.speaks), Boolean).label("speaks"),
            cast(literal(c.in_category), Boolean).label("in_category"),
        )
        for c in candidates
    ]
    source = union_all(*rows).subquery("candidates") if len(rows) > 1 else rows[0].subquery("candidates")
    within_d2 = None if within_miles is None else d2_from_miles(within_miles)
    concepts = len(candidates[0].levels)
    stmt = ranked_page(source, has_origin, keyword, within_d2, limit, offset, concepts=concepts, factors=factors)
    return db.session.execute(stmt).all()


def rank_in_sql(candidates, has_origin, keyword, within_miles=None):
    """`ranked_page`, answering in `rank`'s shape."""
    by_id = {c.service_id: c for c in candidates}
    found = ranked_rows(candidates, has_origin, keyword, within_miles)
    return [(by_id[row.service_id], miles_from_d2(row.nearest_d2) if has_origin else None) for row in found]


@pytest.fixture(params=["rules", "sql"])
def rank(request, app):
    """Each test below runs against both forms of the rules."""
    return rules if request.param == "rules" else rank_in_sql


def d2(miles: float) -> float:
    return (miles / 69.09) ** 2


def names(ranked):
    return [c.name for c, _miles in ranked]


def test_a_concept_counts_once_at_the_best_field_its_alternatives_are_found_in():
    name, categories, description = range(3)
    # a synonym in the name beats the typed words lower down
    assert concept_level({description}, {name}) == FIELD_WEIGHTS[name] * SYNONYM_SHARE
    assert concept_level({name, categories, description}, {name}) == FIELD_WEIGHTS[name]  # the best, not the sum
    assert concept_level({categories}, set()) == FIELD_WEIGHTS[categories] > concept_level(set(), {categories})
    assert concept_level(set(), set()) == 0.0


def test_a_listing_with_both_concepts_beats_one_with_one_concept_found_in_its_name(rank):
    both = Candidate("1", "Hitchin lunch club", (3.0, 3.0))
    one = Candidate("2", "Lunch club", (0.0, 3.0))
    assert names(rank([one, both], has_origin=False, keyword=True)) == ["Hitchin lunch club", "Lunch club"]


def test_a_rarer_concept_weighs_more(rank):
    """Found in fewer of the matching listings, a concept counts for more: here the first concept, found in one."""
    candidates = [
        Candidate("1", "Rare word", (1.0, 0.0)),
        Candidate("2", "Common word", (0.0, 1.0)),
        Candidate("3", "Common word again", (0.0, 1.0)),
    ]
    assert names(rank(candidates, has_origin=False, keyword=True))[0] == "Rare word"


def test_listings_whose_concepts_score_the_same_are_ordered_by_the_databases_text_score(rank):
    candidates = [
        Candidate("1", "A long name with the words", (3.0,), text_score=0.5),
        Candidate("2", "Zed", (3.0,), text_score=2.0),
    ]
    assert names(rank(candidates, has_origin=False, keyword=True)) == ["Zed", "A long name with the words"]


def test_a_need_the_synonym_data_knows_outweighs_a_bare_word():
    need = Candidate("1", "Personal alarm", (2.4, 0.0))
    word = Candidate("2", "Home safety", (1.6, 1.0))
    factors = (concept_factor(True), concept_factor(False))
    assert names(rules([word, need], has_origin=False, keyword=True, factors=factors)) == [
        "Personal alarm",
        "Home safety",
    ]
    assert names(rules([word, need], has_origin=False, keyword=True)) == ["Home safety", "Personal alarm"]


def test_without_a_postcode_the_best_match_comes_first(rank):
    ranked = rank([Candidate("1", "Weak", (1.0,)), Candidate("2", "Strong", (9.0,))], has_origin=False, keyword=True)
    assert names(ranked) == ["Strong", "Weak"]


def test_equally_relevant_local_services_are_nearest_first(rank):
    candidates = [
        Candidate("1", "Far lunch club", (9.0,), d2(12)),
        Candidate("2", "Near lunch club", (8.0,), d2(1)),
        Candidate("3", "Middle lunch club", (8.5,), d2(5)),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == [
        "Near lunch club",
        "Middle lunch club",
        "Far lunch club",
    ]


def test_a_much_better_match_beats_a_nearer_weak_one(rank):
    candidates = [Candidate("1", "Nearby weak", (1.0,), d2(1)), Candidate("2", "Far strong", (10.0,), d2(15))]
    assert names(rank(candidates, has_origin=True, keyword=True)) == ["Far strong", "Nearby weak"]


def test_countywide_services_sit_above_far_local_ones_and_below_near_ones(rank):
    candidates = [
        Candidate("1", "Far local", (5.0,), d2(15)),
        Candidate("2", "Countywide helpline", (5.0,), None, countywide=True, remote=True),
        Candidate("3", "Round the corner", (5.0,), d2(0.5)),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == [
        "Round the corner",
        "Countywide helpline",
        "Far local",
    ]


def test_a_phone_service_for_your_district_counts_as_reaching_you(rank):
    candidates = [
        Candidate("1", "Far local", (5.0,), d2(9)),
        Candidate("2", "District phone line", (5.0,), None, remote=True, serves_district=True),
        Candidate("3", "Other district phone line", (5.0,), None, remote=True, serves_district=False),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == [
        "District phone line",
        "Far local",
        "Other district phone line",
    ]


def test_within_a_distance_keeps_services_that_reach_you(rank):
    candidates = [
        Candidate("1", "Far local", (5.0,), d2(15)),
        Candidate("2", "Countywide", (5.0,), None, countywide=True),
        Candidate("3", "Near", (5.0,), d2(2)),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True, within_miles=5)) == ["Near", "Countywide"]
    assert names(rank(candidates, has_origin=True, keyword=True, within_miles=1)) == []


def test_ties_are_broken_by_name_then_id_so_pages_are_stable(rank):
    candidates = [Candidate("b", "Same", (1.0,)), Candidate("a", "Same", (1.0,)), Candidate("c", "Alpha", (1.0,))]
    assert [c.service_id for c, _ in rank(candidates, has_origin=False, keyword=True)] == ["c", "a", "b"]


def test_browsing_without_words_is_alphabetical_or_nearest_first(rank):
    candidates = [Candidate("1", "Zebra", (0.0,), d2(1)), Candidate("2", "Apple", (0.0,), d2(3))]
    assert names(rank(candidates, has_origin=False, keyword=False)) == ["Apple", "Zebra"]
    assert names(rank(candidates, has_origin=True, keyword=False)) == ["Zebra", "Apple"]


def test_distances_are_reported_in_miles(rank):
    ranked = rank([Candidate("1", "A", (1.0,), d2(4))], has_origin=True, keyword=True)
    assert math.isclose(ranked[0][1], 4.0, rel_tol=1e-6)
    assert miles_from_d2(None) is None


def test_countywide_service_with_a_nearby_office_keeps_its_real_distance(rank):
    ranked = rank([Candidate("1", "Office", (1.0,), d2(1), countywide=True)], has_origin=True, keyword=True)
    assert ranked[0][1] < REACHES_YOU_MILES


def test_a_near_on_topic_service_beats_a_far_one_that_scores_a_little_better(rank):
    """One continuous score: no band edge at which a slightly weaker wording drops below far services."""
    candidates = [
        Candidate("1", "Far, wordier listing", (10.0,), d2(10)),
        Candidate("2", "Round the corner", (5.5,), d2(0.2)),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == ["Round the corner", "Far, wordier listing"]


def test_countywide_services_are_not_tied_with_each_other(rank):
    candidates = [
        Candidate("1", "Weaker helpline", (3.0,), None, countywide=True),
        Candidate("2", "Better helpline", (5.0,), None, countywide=True),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == ["Better helpline", "Weaker helpline"]


def test_a_local_service_that_does_not_cover_your_district_is_demoted(rank):
    candidates = [
        Candidate("1", "Other district's team", (5.0,), d2(2), has_areas=True, serves_district=False),
        Candidate("2", "Your district's team", (5.0,), d2(4), has_areas=True, serves_district=True),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == ["Your district's team", "Other district's team"]


LEVELS = sorted({0.0, *(level for level, _synonym, _field in match_levels())})


def candidates_with(concepts: int):
    return st.lists(
        st.builds(
            Candidate,
            service_id=st.uuids().map(str),
            name=st.text(alphabet="abcdefgh", min_size=1, max_size=3),
            levels=st.tuples(*(st.sampled_from(LEVELS) for _ in range(concepts))),
            text_score=st.sampled_from([0.0, 0.25, 1.5]),
            nearest_d2=st.one_of(st.none(), st.floats(min_value=0, max_value=0.05)),
            countywide=st.booleans(),
            remote=st.booleans(),
            serves_district=st.booleans(),
            has_areas=st.booleans(),
            speaks=st.booleans(),
            in_category=st.booleans(),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda c: c.service_id,
    )


candidate_lists = st.integers(min_value=1, max_value=4).flatmap(candidates_with)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    candidates=candidate_lists,
    has_origin=st.booleans(),
    keyword=st.booleans(),
    within_miles=st.sampled_from([None, 1, 3, 5, 10]),
    page=st.integers(min_value=0, max_value=3),
    known=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_the_database_orders_and_pages_exactly_as_the_rules_do(
    app, candidates, has_origin, keyword, within_miles, page, known
):
    factors = tuple(concept_factor(k) for k in known[: len(candidates[0].levels)])
    factors += (1.0,) * (len(candidates[0].levels) - len(factors))
    expected = [c.service_id for c, _ in rules(candidates, has_origin, keyword, within_miles, factors)]
    per_page = 7
    rows = ranked_rows(candidates, has_origin, keyword, within_miles, per_page, page * per_page, factors)
    assert [row.service_id for row in rows] == expected[page * per_page : (page + 1) * per_page]
    assert all(row.total == len(expected) and row.matched == len(candidates) for row in rows)


def test_a_service_in_the_searchs_language_comes_before_an_equally_relevant_one(rank):
    """Typed in Urdu, on the Urdu page: a service that offers Urdu is more use than one that does not."""
    english_only = Candidate("1", "A lunch club", (3.0,), d2(1))
    speaks = Candidate("2", "Zed lunch club", (3.0,), d2(1), speaks=True)
    assert names(rank([english_only, speaks], has_origin=True, keyword=True)) == [speaks.name, english_only.name]
    assert names(rank([english_only, speaks], has_origin=False, keyword=True)) == [speaks.name, english_only.name]
    much_better = Candidate("3", "Zz much better match", (9.0,), d2(1))
    assert names(rank([speaks, much_better], has_origin=True, keyword=True))[0] == much_better.name


def test_a_service_in_the_category_the_words_stand_for_comes_before_an_equally_relevant_one(rank):
    """ "refuge" names domestic abuse: the refuge listed in that category comes before a drop-in that only says it."""
    says_it = Candidate("1", "A drop-in", (2.0,))
    in_category = Candidate("2", "Zed safe accommodation", (2.0,), in_category=True)
    assert names(rank([says_it, in_category], has_origin=False, keyword=True)) == [in_category.name, says_it.name]


def test_without_a_place_a_countywide_service_comes_before_an_equally_relevant_local_one(rank):
    """The person may live anywhere in the county: a service that reaches everyone serves them, one town's may not."""
    local = Candidate("1", "A local lunch club", (3.0,))
    county = Candidate("2", "Zed countywide lunch line", (3.0,), countywide=True)
    assert names(rank([local, county], has_origin=False, keyword=True)) == [county.name, local.name]
    much_better = Candidate("3", "Zz much better local match", (6.0,))
    assert names(rank([county, much_better], has_origin=False, keyword=True))[0] == much_better.name
