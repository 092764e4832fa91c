"""State Pension age from date of birth (GOV.UK State Pension age timetable, Pensions Act 2011 and 2014)."""

from datetime import date

import pytest

from signpost.guides.pension_age import age_on, reached_by_age, state_pension_date


@pytest.mark.parametrize(
    ("born", "reaches"),
    [
        (date(1958, 7, 1), date(2024, 7, 1)),  # 66
        (date(1960, 4, 5), date(2026, 4, 5)),  # the last day of 66
        (date(1960, 4, 6), date(2026, 5, 6)),  # 66 and 1 month (6 April to 5 May 1960)
        (date(1960, 5, 5), date(2026, 6, 5)),
        (date(1960, 5, 6), date(2026, 7, 6)),  # 66 and 2 months (6 May to 5 June 1960)
        (date(1961, 3, 5), date(2028, 2, 5)),  # 66 and 11 months (6 February to 5 March 1961)
        (date(1961, 3, 6), date(2028, 3, 6)),  # 67
        (date(1970, 1, 31), date(2037, 1, 31)),
        (date(1950, 1, 1), date(2016, 1, 1)),  # born before 6 October 1954: reached by 6 October 2020
    ],
)
def test_the_timetable(born, reaches):
    assert state_pension_date(born) == reaches


def test_age_alone_tells_except_at_66_from_may_2026():
    assert reached_by_age(65, date(2026, 12, 3)) is False
    assert reached_by_age(67, date(2026, 12, 3)) is True
    assert reached_by_age(66, date(2025, 12, 3)) is True  # everyone aged 66 then was born before 6 April 1960
    assert reached_by_age(66, date(2026, 12, 3)) is None  # born 1959-60: depends on the date of birth


def test_age_on_a_date():
    assert age_on(date(1960, 12, 4), date(2026, 12, 3)) == 65
    assert age_on(date(1960, 12, 3), date(2026, 12, 3)) == 66
