"""State Pension age by date of birth, so the guides never ask what an earlier answer already tells.

The minimum income guarantee for care at home depends on whether the person has reached State Pension
(Pension Credit qualifying) age. Under the Pensions Act 2011 it is 66 for people born 6 October 1954 to
5 April 1960; the Pensions Act 2014 raises it to 67 in monthly steps: born 6 April 1960 to 5 May 1960, 66 years
and 1 month; 6 May to 5 June 1960, 66 years and 2 months; and so on to 66 years and 11 months for 6 February to
5 March 1961; 67 for people born 6 March 1961 to 5 April 1977. Sources: GOV.UK "State Pension age timetable"
(https://assets.publishing.service.gov.uk/government/uploads/system/uploads/attachment_data/file/310231/spa-timetable.pdf)
and "Check your State Pension age" (https://www.gov.uk/state-pension-age). People born before 6 October 1954
reached State Pension age (65 or earlier) by 6 October 2020, before the earliest tax year the guides hold.
Plain Python: no Flask.
"""

from __future__ import annotations

from datetime import date

STEPPED_FROM = date(1960, 4, 6)  # the first birthday band of the rise to 67
SIXTY_SEVEN_FROM = date(1961, 3, 6)
FIRST_AT_67 = date(2026, 5, 6)  # the day the first people born after 5 April 1960 reach State Pension age


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    # A birthday on the 29th-31st falls back to the month's last day, as the timetable's bands allow.
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def state_pension_date(born: date) -> date:
    """The day a person born on ``born`` reaches State Pension age (current law)."""
    if born < date(1954, 10, 6):
        return min(_add_months(born, 66 * 12), date(2020, 10, 6))
    if born < STEPPED_FROM:
        return _add_months(born, 66 * 12)
    if born < SIXTY_SEVEN_FROM:
        # Band n (1 to 11) runs from the 6th of a month to the 5th of the next, starting 6 April 1960.
        band_start = (
            date(born.year, born.month, 6) if born.day >= 6 else _add_months(date(born.year, born.month, 6), -1)
        )
        months_after = (band_start.year - STEPPED_FROM.year) * 12 + band_start.month - STEPPED_FROM.month
        return _add_months(born, 66 * 12 + months_after + 1)
    return _add_months(born, 67 * 12)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def reached_by_age(age: int, on: date) -> bool | None:
    """Whether someone of ``age`` on ``on`` has reached State Pension age, or ``None`` when age alone cannot
    tell (66 from 6 May 2026: it depends on the date of birth)."""
    if age < 66:
        return False
    if age >= 67 or on < FIRST_AT_67:
        return True
    return None
