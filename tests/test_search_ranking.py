"""Ranking rules: relevance first, then nearest; countywide and phone services stay fair."""

import math

from directory.search.ranking import REACHES_YOU_MILES, Candidate, miles_from_d2, rank, relevance_band


def d2(miles: float) -> float:
    return (miles / 69.09) ** 2


def names(ranked):
    return [c.name for c, _miles in ranked]


def test_without_a_postcode_the_best_match_comes_first():
    ranked = rank([Candidate("1", "Weak", 1.0), Candidate("2", "Strong", 9.0)], has_origin=False, keyword=True)
    assert names(ranked) == ["Strong", "Weak"]


def test_equally_relevant_local_services_are_nearest_first():
    candidates = [
        Candidate("1", "Far lunch club", 9.0, d2(12)),
        Candidate("2", "Near lunch club", 8.0, d2(1)),
        Candidate("3", "Middle lunch club", 8.5, d2(5)),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == [
        "Near lunch club",
        "Middle lunch club",
        "Far lunch club",
    ]


def test_a_much_better_match_beats_a_nearer_weak_one():
    candidates = [Candidate("1", "Nearby weak", 1.0, d2(1)), Candidate("2", "Far strong", 10.0, d2(15))]
    assert names(rank(candidates, has_origin=True, keyword=True)) == ["Far strong", "Nearby weak"]


def test_countywide_services_sit_above_far_local_ones_and_below_near_ones():
    candidates = [
        Candidate("1", "Far local", 5.0, d2(15)),
        Candidate("2", "Countywide helpline", 5.0, None, countywide=True, remote=True),
        Candidate("3", "Round the corner", 5.0, d2(0.5)),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == [
        "Round the corner",
        "Countywide helpline",
        "Far local",
    ]


def test_a_phone_service_for_your_district_counts_as_reaching_you():
    candidates = [
        Candidate("1", "Far local", 5.0, d2(9)),
        Candidate("2", "District phone line", 5.0, None, remote=True, serves_district=True),
        Candidate("3", "Other district phone line", 5.0, None, remote=True, serves_district=False),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True)) == [
        "District phone line",
        "Far local",
        "Other district phone line",
    ]


def test_within_a_distance_keeps_services_that_reach_you():
    candidates = [
        Candidate("1", "Far local", 5.0, d2(15)),
        Candidate("2", "Countywide", 5.0, None, countywide=True),
        Candidate("3", "Near", 5.0, d2(2)),
    ]
    assert names(rank(candidates, has_origin=True, keyword=True, within_miles=5)) == ["Near", "Countywide"]
    assert names(rank(candidates, has_origin=True, keyword=True, within_miles=1)) == []


def test_ties_are_broken_by_name_then_id_so_pages_are_stable():
    candidates = [Candidate("b", "Same", 1.0), Candidate("a", "Same", 1.0), Candidate("c", "Alpha", 1.0)]
    assert [c.service_id for c, _ in rank(candidates, has_origin=False, keyword=True)] == ["c", "a", "b"]


def test_browsing_without_words_is_alphabetical_or_nearest_first():
    candidates = [Candidate("1", "Zebra", 0.0, d2(1)), Candidate("2", "Apple", 0.0, d2(3))]
    assert names(rank(candidates, has_origin=False, keyword=False)) == ["Apple", "Zebra"]
    assert names(rank(candidates, has_origin=True, keyword=False)) == ["Zebra", "Apple"]


def test_distances_are_reported_in_miles():
    ranked = rank([Candidate("1", "A", 1.0, d2(4))], has_origin=True, keyword=True)
    assert math.isclose(ranked[0][1], 4.0, rel_tol=1e-6)
    assert miles_from_d2(None) is None


def test_countywide_service_with_a_nearby_office_keeps_its_real_distance():
    ranked = rank([Candidate("1", "Office", 1.0, d2(1), countywide=True)], has_origin=True, keyword=True)
    assert ranked[0][1] < REACHES_YOU_MILES


def test_relevance_bands():
    assert relevance_band(10, 10) == 0
    assert relevance_band(6, 10) == 0
    assert relevance_band(5, 10) == 1
    assert relevance_band(1, 10) == 2
    assert relevance_band(0, 0) == 0
