"""The rules behind the carers guide (signpost.guides.carers), each test citing the rule it checks.

Pure unit tests: no app, no database. Figures are from charging_rates.json for the tax year of the date used:
Carer's Allowance £83.30 a week and earnings limit £196 in 2025-26; £81.90 and £151 in 2024-25; £204 limit in
2026-27.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from signpost.guides.carers import CARERS_ALLOWANCE_HOURS, CARERS_CREDIT_HOURS, CarerAdvice, advise
from signpost.guides.rates import rates_for
from tests.support.paths import ROOT

D = Decimal
RATES_2025_26 = rates_for(date(2025, 10, 1))
TEMPLATE = ROOT / "signpost" / "guides" / "templates" / "guides" / "carers_outcome.html"


def answers(**overrides) -> dict:
    """A carer who meets every Carer's Allowance condition; each test changes one thing."""
    return {
        "who": "parent",
        "carer_age": 45,
        "hours": 40,
        "cared_for_benefits": ["attendance_allowance"],
        "earnings": D("0"),
        "education": "no",
        "state_pension": "no",
        "wellbeing": ["none"],
        "breaks": "no",
    } | overrides


def check(rates=RATES_2025_26, **overrides) -> CarerAdvice:
    return advise(answers(**overrides), rates)


def keys(advice: CarerAdvice) -> list[str]:
    return [finding.key for finding in advice.findings]


def finding(advice: CarerAdvice, key: str):
    return next(f for f in advice.findings if f.key == key)


def barriers(advice: CarerAdvice) -> tuple[str, ...]:
    return finding(advice, "carers_allowance_unlikely").params["reasons"]


# --- Care Act 2014 s.10: a carer's assessment for any adult carer ---------------------------------------------


@pytest.mark.parametrize("hours", [0, 1, 19, 35, 168])
def test_s10_every_adult_carer_is_offered_a_carers_assessment_whatever_the_hours(hours: int) -> None:
    """Care Act 2014 s.10: the duty arises wherever a carer may have needs for support, whatever their level."""
    assert "carers_assessment" in keys(check(hours=hours))


def test_s10_the_assessment_does_not_depend_on_the_carers_income() -> None:
    """Care Act 2014 s.10: the carer's finances do not affect the right to an assessment."""
    assert "carers_assessment" in keys(check(earnings=D("5000"), hours=5))


def test_s10_the_assessment_is_flagged_as_urgent_when_caring_affects_the_carer() -> None:
    """Care Act 2014 s.10(5) and SI 2015/313 reg 3: the assessment looks at the impact on the carer's wellbeing."""
    assert finding(check(wellbeing=["health"]), "carers_assessment").params == {"urgent": True}
    assert finding(check(wellbeing=["none"]), "carers_assessment").params == {"urgent": False}


# --- Young carers: Children Act 1989 s.17ZA -------------------------------------------------------------------


@pytest.mark.parametrize("age", [8, 15, 16, 17])
def test_young_carers_under_18_are_offered_a_young_carers_needs_assessment(age: int) -> None:
    """Children Act 1989 s.17ZA (Children and Families Act 2014 s.96): carers under 18 are assessed by children's
    services, not under Care Act s.10."""
    advice = check(carer_age=age)
    assert advice.young_carer
    assert "young_carers_assessment" in keys(advice)
    assert "carers_assessment" not in keys(advice)


def test_a_carer_of_18_is_an_adult_carer() -> None:
    """Care Act 2014 s.10 applies from 18 (the adult carer's assessment)."""
    advice = check(carer_age=18)
    assert not advice.young_carer
    assert keys(advice)[0] == "carers_assessment"


def test_a_16_year_old_young_carer_can_still_get_carers_allowance() -> None:
    """GOV.UK Carer's Allowance eligibility: 16 or over; being a young carer does not stop it."""
    advice = check(carer_age=16)
    assert advice.young_carer
    assert advice.carers_allowance == "likely"


# --- Carer's Allowance: age 16 or over ---------------------------------------------------------------------------


def test_carers_allowance_needs_the_carer_to_be_16_or_over() -> None:
    """GOV.UK Carer's Allowance eligibility: 'you must be 16 or over'."""
    assert check(carer_age=16).carers_allowance == "likely"
    under = check(carer_age=15)
    assert under.carers_allowance == "unlikely"
    assert barriers(under) == ("too_young",)


def test_carers_allowance_has_no_upper_age_limit() -> None:
    """GOV.UK Carer's Allowance eligibility: no upper age limit (only the State Pension overlap, below)."""
    assert check(carer_age=90).carers_allowance == "likely"


# --- Carer's Allowance: at least 35 hours a week -------------------------------------------------------------------


def test_carers_allowance_needs_at_least_35_hours_a_week() -> None:
    """GOV.UK Carer's Allowance eligibility: 'you spend at least 35 hours a week caring for someone'."""
    assert CARERS_ALLOWANCE_HOURS == 35
    assert check(hours=35).carers_allowance == "likely"
    short = check(hours=34)
    assert short.carers_allowance == "unlikely"
    assert barriers(short) == ("hours",)


# --- Carer's Allowance: the earnings limit ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "limit"), [(date(2024, 10, 1), "151"), (date(2025, 10, 1), "196"), (date(2026, 10, 1), "204")]
)
def test_earnings_exactly_at_the_limit_are_allowed_and_a_penny_over_is_not(on: date, limit: str) -> None:
    """GOV.UK Carer's Allowance eligibility: 'you earn £X or less a week after tax, National Insurance and
    expenses': the limit itself is allowed; a penny over is not. The limit is the tax year's."""
    rates = rates_for(on)
    assert check(rates=rates, earnings=D(limit)).carers_allowance == "likely"
    over = check(rates=rates, earnings=D(limit) + D("0.01"))
    assert over.carers_allowance == "unlikely"
    assert barriers(over) == ("earnings",)
    assert finding(over, "carers_allowance_unlikely").params["limit"] == D(limit)


def test_earnings_given_as_text_are_compared_exactly() -> None:
    """GOV.UK Carer's Allowance eligibility: the weekly limit (2025-26: £196) compared to the penny."""
    assert check(earnings="196.00").carers_allowance == "likely"
    assert check(earnings="196.01").carers_allowance == "unlikely"


def test_earnings_not_asked_are_not_a_barrier() -> None:
    """The guide asks about earnings only on the Carer's Allowance route; no answer means no barrier found."""
    given = answers()
    del given["earnings"]
    assert advise(given, RATES_2025_26).carers_allowance == "likely"


# --- Carer's Allowance: not in full-time education -------------------------------------------------------------------


def test_carers_allowance_is_not_paid_in_full_time_education() -> None:
    """GOV.UK Carer's Allowance eligibility: not in full-time education (21 hours or more a week of study)."""
    student = check(education="yes")
    assert student.carers_allowance == "unlikely"
    assert barriers(student) == ("education",)


def test_every_barrier_is_reported_at_once() -> None:
    """GOV.UK Carer's Allowance eligibility: each condition must be met, so each one not met is listed."""
    advice = check(carer_age=15, hours=20, education="yes", earnings=D("500"))
    assert barriers(advice) == ("too_young", "hours", "education", "earnings")


# --- Carer's Allowance: the cared-for person's qualifying benefit --------------------------------------------------


@pytest.mark.parametrize(
    "benefit",
    [
        "attendance_allowance",
        "pip_daily_living",
        "dla_care_middle_or_highest",
        "attendance_allowance_lower",
        "attendance_allowance_higher",
        "pip_daily_living_standard",
        "pip_daily_living_enhanced",
        "dla_care_middle",
        "dla_care_highest",
        "constant_attendance_allowance",
        "armed_forces_independence_payment",
    ],
)
def test_qualifying_benefits_of_the_person_cared_for(benefit: str) -> None:
    """GOV.UK Carer's Allowance eligibility: the person cared for gets PIP daily living, DLA care at the middle or
    highest rate, Attendance Allowance, Constant Attendance Allowance or Armed Forces Independence Payment."""
    advice = check(cared_for_benefits=[benefit])
    assert advice.carers_allowance == "likely"
    assert finding(advice, "carers_allowance_likely").params["weekly"] == D("83.30")


@pytest.mark.parametrize("benefits", [["none"], ["dont_know"], ["dla_care_lowest"], ["pip_mobility_only"], []], ids=str)
def test_without_a_qualifying_benefit_the_guide_suggests_checking_the_cared_for_persons_benefits(
    benefits: list[str],
) -> None:
    """GOV.UK Carer's Allowance eligibility: DLA care lowest rate and PIP mobility alone do not qualify; if the
    person gets none of the qualifying benefits they may be entitled to one, so the carer is told to check."""
    advice = check(cared_for_benefits=benefits)
    assert advice.carers_allowance == "check"
    assert "cared_for_benefit_check" in keys(advice)
    assert "carers_allowance_likely" not in keys(advice)


def test_a_barrier_on_the_carers_side_wins_over_the_benefit_check() -> None:
    """Carer's Allowance needs every condition; if the carer fails one, checking the benefit would not help."""
    advice = check(hours=10, cared_for_benefits=["none"])
    assert advice.carers_allowance == "unlikely"
    assert "cared_for_benefit_check" not in keys(advice)


def test_the_weekly_rate_is_the_tax_years() -> None:
    """DWP benefit rates: Carer's Allowance £81.90 (2024-25), £83.30 (2025-26), £86.45 (2026-27)."""
    for on, weekly in [(date(2024, 10, 1), "81.90"), (date(2025, 10, 1), "83.30"), (date(2026, 10, 1), "86.45")]:
        advice = check(rates=rates_for(on))
        assert finding(advice, "carers_allowance_likely").params["weekly"] == D(weekly)


# --- Carer's Allowance and the State Pension (overlapping benefits) ------------------------------------------------


def test_carers_allowance_overlaps_with_the_state_pension() -> None:
    """Social Security (Overlapping Benefits) Regulations 1979; GOV.UK Carer's Allowance: it cannot be paid in
    full on top of the State Pension, but an underlying entitlement can still help."""
    assert "carers_allowance_overlap" in keys(check(carer_age=70, state_pension="yes"))
    assert "carers_allowance_overlap" not in keys(check(carer_age=70, state_pension="no"))


def test_the_overlap_warning_only_comes_with_a_likely_carers_allowance() -> None:
    """The overlap matters only when Carer's Allowance would otherwise be paid."""
    assert "carers_allowance_overlap" not in keys(check(state_pension="yes", hours=10))


# --- Carer's Credit: 20 hours a week, 16 to State Pension age ------------------------------------------------------


def test_carers_credit_needs_20_hours_a_week() -> None:
    """GOV.UK Carer's Credit: caring for one or more people for at least 20 hours a week."""
    assert CARERS_CREDIT_HOURS == 20
    assert "carers_credit" in keys(check(hours=20, cared_for_benefits=["none"]))
    assert "carers_credit" not in keys(check(hours=19, cared_for_benefits=["none"]))


def test_carers_credit_is_offered_between_20_and_35_hours() -> None:
    """GOV.UK Carer's Credit: for carers not getting Carer's Allowance, for example caring 20 to 34 hours."""
    advice = check(hours=25)
    assert advice.carers_allowance == "unlikely"
    assert "carers_credit" in keys(advice)


def test_carers_credit_is_not_suggested_on_top_of_a_likely_carers_allowance() -> None:
    """GOV.UK Carer's Credit: people on Carer's Allowance get the National Insurance credits automatically."""
    advice = check(hours=40)
    assert advice.carers_allowance == "likely"
    assert "carers_credit" not in keys(advice)


def test_carers_credit_starts_at_16() -> None:
    """GOV.UK Carer's Credit: 'you must be aged 16 or over and under State Pension age'."""
    assert "carers_credit" not in keys(check(carer_age=15, hours=25))
    assert "carers_credit" in keys(check(carer_age=16, hours=25))


def test_carers_credit_stops_at_state_pension_age() -> None:
    """GOV.UK Carer's Credit: only under State Pension age (66 in the rates data's rules, or the carer says they
    get the State Pension)."""
    assert "carers_credit" in keys(check(carer_age=65, hours=25))
    assert "carers_credit" not in keys(check(carer_age=66, hours=25))
    assert "carers_credit" not in keys(check(carer_age=64, hours=25, state_pension="yes"))


# --- Other help the outcome offers -----------------------------------------------------------------------------------


def test_every_carer_is_offered_an_emergency_plan() -> None:
    """Hertfordshire's 'In case of emergency' plan is open to any carer of someone 18 or over."""
    assert "emergency_plan" in keys(check(hours=1))


def test_breaks_are_offered_when_wanted_or_when_the_carer_has_no_time_for_themselves() -> None:
    """A carer's assessment can lead to breaks (Care Act 2014 s.20 support for carers)."""
    assert "breaks" in keys(check(breaks="yes"))
    assert "breaks" in keys(check(wellbeing=["time_for_myself"]))
    assert "breaks" not in keys(check())


def test_health_and_work_advice_follow_what_caring_affects() -> None:
    """SI 2015/313 reg 3: the carer's health and their work are outcomes the assessment considers."""
    advice = check(wellbeing=["sleep", "work"])
    assert {"own_health", "work"} <= set(keys(advice))
    assert not {"own_health", "work"} & set(keys(check()))


def test_the_advice_says_which_tax_years_figures_it_used() -> None:
    advice = check()
    assert advice.rates_tax_year == "2025-26"
    assert advice.has("carers_assessment") and not advice.has("carers_credit")


def test_every_finding_key_has_wording_in_the_outcome_page() -> None:
    """The outcome template words each finding key advise() can return."""
    worded = set(re.findall(r'finding\.key == "(\w+)"', TEMPLATE.read_text(encoding="utf-8")))
    produced: set[str] = set()
    for overrides in (
        {},
        {"carer_age": 15, "hours": 25, "wellbeing": ["health", "work", "time_for_myself"]},
        {"carer_age": 70, "state_pension": "yes"},
        {"cared_for_benefits": ["none"], "breaks": "yes"},
        {"hours": 25, "carer_age": 30},
    ):
        produced |= set(keys(check(**overrides)))
    assert produced <= worded, sorted(produced - worded)
    assert produced == worded  # and the page words nothing the rules never return


def test_a_likely_claim_states_the_earnings_limit_and_how_near_the_carer_is():
    """2025-26 limit £196 a week after deductions; earning £150 leaves £46 of headroom."""
    advice = check(earnings=D("150"))
    params = finding(advice, "carers_allowance_likely").params
    assert (params["limit"], params["earnings"], params["headroom"]) == (D("196"), D("150"), D("46"))


def test_a_likely_claim_warns_about_the_cared_for_persons_severe_disability_premium():
    """GOV.UK 'Carer's Allowance: effect on other benefits': a claim can stop the cared-for person's severe
    disability premium or Pension Credit severe disability addition."""
    assert "severe_disability_premium_warning" in keys(check())
    assert "severe_disability_premium_warning" not in keys(check(hours=10))
