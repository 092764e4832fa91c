"""Postcodes: full postcodes and outcodes are accepted, in any case and spacing."""

import pytest

from directory.postcodes import (
    HERTFORDSHIRE_DISTRICTS,
    PostcodeError,
    centroids,
    covers,
    locate,
    normalise,
    rounded_miles,
)


@pytest.mark.parametrize("typed", ["SG1 1AA", "sg11aa", " sg1  1aa ", "SG1"])
def test_postcodes_and_outcodes_find_the_district(typed):
    place = locate(typed)
    assert place.outcode == "SG1"
    assert place.district == "Stevenage"
    assert place.in_hertfordshire


@pytest.mark.parametrize("typed", ["", "hello", "SG1 1A", "123", "SG1 1AAA", "<script>"])
def test_malformed_postcodes_are_refused(typed):
    with pytest.raises(PostcodeError, match="not a postcode"):
        locate(typed)


def test_a_well_formed_but_unknown_outcode_is_refused():
    with pytest.raises(PostcodeError, match="unknown postcode"):
        locate("ZZ99 9ZZ")


def test_places_outside_hertfordshire_still_work():
    place = locate("N1 9GU")
    assert not place.in_hertfordshire


def test_normalise_tidies_spacing_and_case():
    assert normalise(" al1  3je") == "AL1 3JE"


def test_every_hertfordshire_district_has_outcodes():
    districts = {p.district for p in centroids().values()}
    assert set(HERTFORDSHIRE_DISTRICTS) <= districts


@pytest.mark.parametrize(
    ("miles", "said"), [(0.2, None), (0.94, None), (0.96, 1.0), (1.04, 1.0), (2.36, 2.4), (9.97, 10.0), (12.4, 12.0)]
)
def test_distances_are_said_in_whole_miles_from_ten_and_tenths_below(miles, said):
    assert rounded_miles(miles) == said


def test_a_service_covers_its_own_districts_or_the_whole_county():
    assert covers(False, ["Watford", "Three Rivers"], "Watford")
    assert not covers(False, ["Watford", "Three Rivers"], "Stevenage")
    assert covers(True, [], "Stevenage")
