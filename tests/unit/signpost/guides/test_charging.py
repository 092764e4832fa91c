"""Specification of the Care Act charging estimator (signpost.guides.charging) and its dated rates.

Pure unit tests: no app, no database. Figures are 2025-26 unless a test says otherwise:
lower capital limit £14,250, upper £23,250, tariff £1 per £250 or part; PEA £30.65; MIG single 18-24 £89.15,
25 to pension age £112.50, disability premium £49.65, enhanced disability premium £24.25; the single
pension-age MIG is not confirmed for 2025-26, so the 2024-25 amount (£228.70) is carried forward.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import signpost.guides.charging as charging_module
from signpost.guides.charging import (
    BenefitRate,
    CareSetting,
    CouncilPolicy,
    FinancialSituation,
    IncomeItem,
    IncomeKind,
    Step,
    estimate,
    money,
    tariff_income,
    weekly_amount,
)
from signpost.guides.rates import (
    COUNCILS_DIR,
    DATA_FILE,
    FIGURE_KEYS,
    ChargingRates,
    CouncilSetting,
    Figure,
    RatesNotAvailable,
    load_council,
    load_table,
    parse_council,
    parse_table,
    rates_for,
    tax_year_containing,
)

D = Decimal
IN_2024_25 = date(2024, 10, 1)
IN_2025_26 = date(2025, 10, 1)
IN_2026_27 = date(2026, 10, 1)


def income(kind: str, weekly: str, rate: str | None = None) -> IncomeItem:
    return IncomeItem(IncomeKind(kind), D(weekly), BenefitRate(rate) if rate else None)


def at_home(**kwargs) -> FinancialSituation:
    values = {"care_setting": CareSetting.HOME, "age": 40, "weekly_care_cost": D("300")} | kwargs
    return FinancialSituation(**values)


def in_care_home(**kwargs) -> FinancialSituation:
    values = {"care_setting": CareSetting.CARE_HOME, "age": 85, "weekly_care_cost": D("900")} | kwargs
    return FinancialSituation(**values)


# A council with every local choice the engine supports (not a real council's figures).
LOCAL_CHOICES = parse_council(
    {
        "code": "example",
        "name": "Example Council",
        "settings": {
            "minimum_income_guarantee_uplift_weekly": {"value": "10.00", "status": "P", "source": "test"},
            "percent_of_disposable_income": {"value": "90", "status": "P", "source": "test"},
            "standard_disability_related_expenditure_weekly": {"value": "15.00", "status": "P", "source": "test"},
            "flat_weekly_charges": {"value": [{"name": "telecare", "weekly": "4.50"}], "status": "P", "source": "t"},
        },
    }
)


def raw_data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


# --- Tariff income: £1 a week for every £250, or part of £250, between the limits --------------------------


@pytest.mark.parametrize(
    ("capital", "weekly"),
    [
        ("0", "0"),
        ("14000", "0"),
        ("14250", "0"),  # exactly the lower limit: nothing
        ("14250.01", "1"),  # one penny over starts a part of £250
        ("14500", "1"),
        ("14500.01", "2"),
        ("15000", "3"),  # Knowsley Council's published example: £15,000 gives £3 a week
        ("15250", "4"),  # Lambeth Council's published table: £15,250 gives £4 a week
        ("23250", "36"),  # exactly the upper limit
    ],
)
def test_tariff_income_boundaries(capital: str, weekly: str) -> None:
    result = estimate(at_home(savings_own=D(capital)), IN_2025_26)
    assert result.tariff_income_weekly == D(weekly)
    assert not result.self_funding


def test_tariff_income_function_matches_the_rule() -> None:
    args = (D("14250"), D("23250"), D("250"), D("1"))
    assert tariff_income(D("14250"), *args) == 0
    assert tariff_income(D("14250.01"), *args) == 1
    assert tariff_income(D("23250"), *args) == 36


def test_tariff_income_does_not_apply_above_the_upper_limit() -> None:
    with pytest.raises(ValueError, match="upper limit"):
        tariff_income(D("23250.01"), D("14250"), D("23250"), D("250"), D("1"))


def test_tariff_income_step_carries_what_the_page_needs_to_say() -> None:
    """'Your savings of £15,250 count as £4 a week.'"""
    result = estimate(at_home(savings_own=D("15250")), IN_2025_26)
    assert result.step("tariff_income") == Step(
        "tariff_income",
        {
            "capital": D("15250.00"),
            "lower_limit": D("14250.00"),
            "weekly": D("4.00"),
            "step": D("250.00"),
            "per_step": D("1.00"),
        },
    )


def test_capital_at_or_below_the_lower_limit_is_ignored_and_says_so() -> None:
    result = estimate(at_home(savings_own=D("14250")), IN_2025_26)
    assert result.tariff_income_weekly == 0
    assert result.step("capital_below_lower_limit").params["lower_limit"] == D("14250.00")


# --- Above the upper limit: likely to be self-funding ----------------------------------------------------------


def test_one_penny_over_the_upper_limit_pays_the_full_cost() -> None:
    result = estimate(at_home(savings_own=D("23250.01"), weekly_care_cost=D("412.50")), IN_2025_26)
    assert result.self_funding
    assert result.weekly_contribution == D("412.50")
    assert result.council_pays_weekly == D("0.00")
    assert result.tariff_income_weekly == 0
    assert result.step("self_funding").params == {"capital": D("23250.01"), "upper_limit": D("23250.00")}


def test_self_funder_at_home_can_ask_the_council_to_arrange_care_and_must_give_notice() -> None:
    result = estimate(at_home(savings_own=D("40000")), IN_2025_26)
    assert "ask_council_to_arrange" in result.step_keys()
    # Hertfordshire: tell the council 4 months before savings drop under £23,250.
    assert result.step("tell_council_before_savings_fall").params == {"months": 4, "upper_limit": D("23250.00")}


def test_a_self_funders_income_is_listed_but_not_assessed() -> None:
    result = estimate(at_home(savings_own=D("50000"), weekly_income=(income("state_pension", "230.25"),)), IN_2025_26)
    assert result.income_counted_total == D("230.25")
    assert result.allowances == []
    assert result.disposable_income_weekly is None
    assert "income_counted" not in result.step_keys()


# --- Joint savings are split 50:50 ---------------------------------------------------------------------------


def test_half_of_joint_savings_counts() -> None:
    result = estimate(at_home(savings_joint=D("20000")), IN_2025_26)
    assert result.capital_counted == D("10000.00")
    assert [(i.key, i.amount) for i in result.capital_disregarded] == [("savings_joint_other_half", D("10000.00"))]
    assert result.step("joint_savings_split").params == {"joint_total": D("20000.00"), "share": D("10000.00")}


def test_own_savings_and_a_half_share_of_joint_savings_are_added_together() -> None:
    result = estimate(at_home(savings_own=D("10000"), savings_joint=D("10000")), IN_2025_26)
    assert result.capital_counted == D("15000.00")
    assert result.tariff_income_weekly == D("3")


def test_joint_savings_push_over_the_upper_limit_only_when_the_half_share_does() -> None:
    assert not estimate(at_home(savings_joint=D("46500")), IN_2025_26).self_funding
    assert estimate(at_home(savings_joint=D("46500.02")), IN_2025_26).self_funding


# --- Property ----------------------------------------------------------------------------------------------


def test_the_home_is_never_counted_for_care_at_home() -> None:
    result = estimate(at_home(owns_home=True, home_value=D("350000")), IN_2025_26)
    assert not result.self_funding
    assert result.capital_counted == 0
    assert [(i.key, i.reason) for i in result.capital_disregarded] == [("main_home", "care_at_home")]
    assert not result.deferred_payment_may_apply


def test_other_property_counts_even_for_care_at_home() -> None:
    result = estimate(at_home(other_property_value=D("90000")), IN_2025_26)
    assert result.self_funding


def test_the_costs_of_selling_come_off_the_whole_price_not_just_the_equity() -> None:
    """Annex B: 10% of the value for the costs of sale, then the mortgage. A £300,000 share with £100,000 owed:
    £200,000 less £30,000 = £170,000."""
    result = estimate(in_care_home(owns_home=True, home_value=D("200000"), home_debts=D("100000")), IN_2025_26)
    assert result.capital_counted == D("170000.00")


DWP_CAPITAL_VALUATION = (
    "http://www.dwp.gov.uk/publications/specialist-guides/technical-guidance/pc10s-guide-to-pension-credit/"
    "how-we-work-out-capital-assets/"
)


def test_other_property_loses_10_percent_of_its_price_then_what_is_owed_on_it() -> None:
    """The home's rule holds for other property too (Annex B; DWP's Pension Credit guide, 'How we work out capital
    assets', words the same rule: ignore 10% of the current market value, then deduct debts secured on it). A
    second home selling for £100,000 with £60,000 owed: £100,000 - £10,000 - £60,000 = £30,000, not 90% of the
    £40,000 equity (£36,000) as the estimate used to count it. In negative equity nothing counts."""
    assert DWP_CAPITAL_VALUATION.startswith("http://www.dwp.gov.uk/")
    result = estimate(at_home(other_property_value=D("40000"), other_property_debts=D("60000")), IN_2025_26)
    assert result.capital_counted == D("30000.00")
    assert result.step("other_property_counted_less_debts").params == {
        "price": D("100000.00"),
        "sale_costs": D("10000.00"),
        "debts": D("60000.00"),
        "counted": D("30000.00"),
    }
    underwater = estimate(at_home(other_property_value=D("0"), other_property_debts=D("60000")), IN_2025_26)
    assert underwater.capital_counted == 0 and not underwater.self_funding
    unmortgaged = estimate(at_home(other_property_value=D("20000")), IN_2025_26)
    assert unmortgaged.capital_counted == D("18000.00") and "other_property_counted" in unmortgaged.step_keys()


def test_the_home_is_ignored_for_12_weeks_after_a_qualifying_relative_moves_out_or_dies() -> None:
    result = estimate(
        in_care_home(owns_home=True, home_value=D("200000"), qualifying_relative_left_in_last_12_weeks=True),
        IN_2025_26,
    )
    assert [(i.key, i.reason) for i in result.capital_disregarded] == [("main_home", "qualifying_relative_left")]
    assert result.from_week_13 is not None and result.from_week_13.self_funding


def test_a_third_party_top_up_is_its_own_line_and_not_the_residents_money() -> None:
    result = estimate(
        in_care_home(
            weekly_care_cost=D("800"),
            third_party_top_up_weekly=D("120"),
            weekly_income=(income("state_pension", "230"),),
        ),
        IN_2025_26,
    )
    assert result.weekly_contribution == D("199.35")  # unchanged by the top-up
    assert result.top_up_weekly == D("120.00")
    assert result.step("third_party_top_up").params == {"weekly": D("120.00"), "home_fee": D("920.00")}


def test_in_a_care_home_the_home_counts_so_the_person_is_self_funding_and_may_defer_payment() -> None:
    result = estimate(in_care_home(savings_own=D("5000"), owns_home=True, home_value=D("250000")), IN_2025_26)
    assert result.self_funding
    assert result.capital_counted == D("230000.00")  # 5,000 + 250,000 less 10% for the costs of selling
    assert result.step("home_counted").params == {
        "value": D("250000.00"),
        "sale_costs": D("25000.00"),
        "counted": D("225000.00"),
    }
    assert result.weekly_contribution == D("900.00")
    assert result.deferred_payment_may_apply
    assert result.step("self_funding_because_of_home").params["capital_without_home"] == D("5000.00")
    assert "ask_council_to_arrange" not in result.step_keys()


def test_no_deferred_payment_when_savings_alone_are_over_the_upper_limit() -> None:
    result = estimate(in_care_home(savings_own=D("30000"), owns_home=True, home_value=D("250000")), IN_2025_26)
    assert result.self_funding
    assert not result.deferred_payment_may_apply
    assert "self_funding_because_of_home" not in result.step_keys()


def test_the_home_is_ignored_while_a_qualifying_relative_lives_there() -> None:
    """Partner, relative aged 60+ or incapacitated, or a child under 18 (Sch 2 para 4)."""
    result = estimate(
        in_care_home(owns_home=True, home_value=D("250000"), home_occupied_by_qualifying_relative=True),
        IN_2025_26,
    )
    assert not result.self_funding
    assert result.capital_counted == 0
    assert [(i.key, i.reason) for i in result.capital_disregarded] == [("main_home", "qualifying_relative")]
    assert not result.deferred_payment_may_apply


def test_the_home_is_ignored_for_the_first_12_weeks_of_permanent_care() -> None:
    result = estimate(
        in_care_home(
            savings_own=D("3000"), owns_home=True, home_value=D("250000"), in_first_12_weeks_of_permanent_care=True
        ),
        IN_2025_26,
    )
    assert not result.self_funding
    assert result.capital_counted == D("3000.00")
    assert [(i.key, i.reason) for i in result.capital_disregarded] == [("main_home", "first_12_weeks")]
    assert result.step("home_disregarded_first_12_weeks").params == {
        "value": D("250000.00"),
        "capital_after_12_weeks": D("228000.00"),  # 3,000 + 250,000 less 10% costs of sale
        "self_funding_after_12_weeks": True,
    }
    # The home will count after 12 weeks, so a deferred payment agreement may help.
    assert result.deferred_payment_may_apply
    assert result.step("deferred_payment_may_apply").params["later"] is True


def test_a_qualifying_relative_wins_over_the_12_week_disregard() -> None:
    result = estimate(
        in_care_home(
            owns_home=True,
            home_value=D("250000"),
            home_occupied_by_qualifying_relative=True,
            in_first_12_weeks_of_permanent_care=True,
        ),
        IN_2025_26,
    )
    assert [i.reason for i in result.capital_disregarded] == ["qualifying_relative"]
    assert not result.deferred_payment_may_apply


# --- Minimum income guarantee for care at home, by age band ---------------------------------------------------


@pytest.mark.parametrize(
    ("age", "over_pension_age", "band", "amount"),
    [
        (18, None, "mig_single_18_to_24", "89.15"),
        (24, None, "mig_single_18_to_24", "89.15"),
        (25, None, "mig_single_25_to_pension_age", "112.50"),
        (65, None, "mig_single_25_to_pension_age", "112.50"),
        (66, None, "mig_single_pension_age", "232.60"),
        (80, None, "mig_single_pension_age", "232.60"),
        (66, False, "mig_single_25_to_pension_age", "112.50"),  # born after 5 April 1960: not there yet
    ],
)
def test_mig_by_age_band(age: int, over_pension_age: bool | None, band: str, amount: str) -> None:
    result = estimate(at_home(age=age, over_pension_age=over_pension_age), IN_2025_26)
    assert [(a.key, a.amount) for a in result.allowances] == [(band, D(amount))]


def test_pension_age_is_assumed_from_age_only_when_not_given() -> None:
    assumed = estimate(at_home(age=70), IN_2025_26)
    assert assumed.step("pension_age_assumed").params == {"age": 70, "pension_age": 66, "reached": True}
    told = estimate(at_home(age=70, over_pension_age=True), IN_2025_26)
    assert told.step("pension_age_assumed") is None


def test_a_figure_not_confirmed_for_the_year_is_carried_forward_and_flagged_provisional() -> None:
    """2026-27: the pension-age MIG (£241.45) is held, the working-age one is not, so 2025-26's £112.50 stands in."""
    pensioner = estimate(at_home(age=80), IN_2026_27)
    assert pensioner.figures_used["mig_single_pension_age"].amount == D("241.45")
    assert pensioner.figures_used["mig_single_pension_age"].tax_year == "2026-27"
    working_age = estimate(at_home(age=40), IN_2026_27)
    assert working_age.figures_used["mig_single_25_to_pension_age"].tax_year == "2025-26"
    assert working_age.provisional
    assert "2025-26 amounts are used for" in working_age.rates_note
    assert working_age.steps[0].params["carried_forward"]["mig_single_25_to_pension_age"] == "2025-26"


def test_a_figure_no_earlier_year_holds_stands_in_from_the_nearest_later_year_instead_of_crashing() -> None:
    """The 2024-25 disability premiums were seen only as a total, so 2025-26's stand in (flagged provisional)."""
    result = estimate(at_home(age=45, weekly_income=(income("pip_daily_living", "108.55", "enhanced"),)), IN_2024_25)
    assert result.figures_used["mig_disability_premium_single"].tax_year == "2025-26"
    assert result.figures_used["mig_enhanced_disability_premium_single"].tax_year == "2025-26"
    assert result.provisional
    assert "so 2025-26 amounts are used for: mig_disability_premium_single" in result.rates_note
    assert result.weekly_contribution is not None


def test_a_working_age_estimate_with_2025_26_figures_is_not_provisional() -> None:
    result = estimate(at_home(age=30), IN_2025_26)
    assert not result.provisional
    assert result.steps[0] == Step(
        "rates_in_use", {"tax_year": "2025-26", "figures_year": "2025-26", "provisional": False, "carried_forward": {}}
    )


def test_disability_premiums_are_added_below_pension_age() -> None:
    standard = estimate(at_home(age=30, weekly_income=(income("pip_daily_living", "73.90", "standard"),)), IN_2025_26)
    assert [(a.key, a.amount) for a in standard.allowances] == [
        ("mig_single_25_to_pension_age", D("112.50")),
        ("mig_disability_premium_single", D("49.65")),
    ]
    enhanced = estimate(at_home(age=30, weekly_income=(income("dla_care", "110.40", "highest"),)), IN_2025_26)
    assert enhanced.allowances_total == D("186.40")  # 112.50 + 49.65 + 24.25


def test_no_disability_premiums_at_pension_age() -> None:
    result = estimate(at_home(age=75, weekly_income=(income("attendance_allowance", "110.40", "higher"),)), IN_2025_26)
    assert [a.key for a in result.allowances] == ["mig_single_pension_age"]


def test_working_age_charge_worked_through() -> None:
    result = estimate(
        at_home(
            age=30,
            weekly_income=(
                income("universal_credit", "100.00"),
                income("pip_daily_living", "110.40", "enhanced"),
                income("pip_mobility", "77.05", "enhanced"),
            ),
        ),
        IN_2025_26,
    )
    # 100.00 + 110.40 counted; MIG 112.50 + 49.65 + 24.25 = 186.40; 210.40 - 186.40 = 24.00.
    assert result.income_counted_total == D("210.40")
    assert result.disposable_income_weekly == D("24.00")
    assert result.weekly_contribution == D("24.00")
    assert result.council_pays_weekly == D("276.00")


# --- Care homes: personal expenses allowance -------------------------------------------------------------------


def test_care_home_resident_keeps_the_personal_expenses_allowance() -> None:
    result = estimate(
        in_care_home(weekly_income=(income("state_pension", "230.25"), income("private_pension", "50.00"))),
        IN_2025_26,
    )
    assert [(a.key, a.amount) for a in result.allowances] == [("personal_expenses_allowance", D("30.65"))]
    assert result.weekly_contribution == D("249.60")  # 280.25 - 30.65
    assert result.council_pays_weekly == D("650.40")
    assert not any(key.startswith("mig") for key in result.figures_used)


def test_pea_for_2024_25() -> None:
    result = estimate(in_care_home(weekly_income=(income("state_pension", "221.20"),)), IN_2024_25)
    assert result.allowances[0].amount == D("30.15")
    assert result.weekly_contribution == D("191.05")


def test_housing_costs_and_dre_are_not_allowed_in_a_care_home() -> None:
    result = estimate(
        in_care_home(
            weekly_income=(income("state_pension", "230.25"),),
            housing_costs_weekly=D("20"),
            disability_related_expenditure_weekly=D("15"),
        ),
        IN_2025_26,
    )
    assert result.weekly_contribution == D("199.60")
    assert {"housing_costs_not_allowed_in_care_home", "dre_not_allowed_in_care_home"} <= set(result.step_keys())


def test_half_an_occupational_pension_passed_to_a_partner_at_home_is_ignored() -> None:
    result = estimate(
        in_care_home(
            has_partner=True,
            pays_half_pension_to_partner=True,
            weekly_income=(income("state_pension", "230.25"), income("private_pension", "100.00")),
        ),
        IN_2025_26,
    )
    assert [(i.key, i.amount, i.reason) for i in result.income_disregarded] == [
        (IncomeKind.PRIVATE_PENSION, D("50.00"), "half_pension_to_partner")
    ]
    assert result.weekly_contribution == D("249.60")  # 230.25 + 50.00 - 30.65


def test_in_a_council_funded_care_home_care_benefits_stop_after_28_days() -> None:
    """Attendance Allowance, DLA care and PIP daily living stop after 28 days when public funds help pay for the
    care home (Wolverhampton Council factsheet 6; Age UK factsheet 34): State Pension £230.25 + AA £73.90 in the
    first 4 weeks (less PEA £30.65 = £273.50), then £230.25 - £30.65 = £199.60."""
    result = estimate(
        in_care_home(
            weekly_care_cost=D("900"),
            weekly_income=(income("state_pension", "230.25"), income("attendance_allowance", "73.90", "lower")),
        ),
        IN_2025_26,
    )
    assert result.weekly_contribution == D("199.60")
    assert result.step("care_home_disability_benefits_stop").params == {
        "kinds": [IncomeKind.ATTENDANCE_ALLOWANCE],
        "weekly": D("73.90"),
        "first_4_weeks": D("273.50"),
    }
    # Right after it, in words: earlier stays in hospital or a care home 28 days or less before count towards the 28.
    keys = result.step_keys()
    assert keys.index("care_home_benefits_linked_stays") == keys.index("care_home_disability_benefits_stop") + 1


def test_a_self_funder_in_a_care_home_keeps_attendance_allowance() -> None:
    result = estimate(
        in_care_home(savings_own=D("40000"), weekly_income=(income("attendance_allowance", "110.40", "higher"),)),
        IN_2025_26,
    )
    assert result.self_funding
    assert result.step("care_home_disability_benefits_stop") is None
    assert result.step("care_home_benefits_linked_stays") is None


def test_someone_whose_income_covers_the_whole_fee_keeps_their_benefits() -> None:
    result = estimate(
        in_care_home(
            weekly_care_cost=D("200"),
            weekly_income=(income("private_pension", "400"), income("attendance_allowance", "73.90", "lower")),
        ),
        IN_2025_26,
    )
    assert result.weekly_contribution == D("200.00") and result.council_pays_weekly == 0
    assert result.step("care_home_disability_benefits_stop") is None


# --- Housing costs and disability-related expenditure reduce the charge ---------------------------------------

PENSIONER_INCOME = (income("state_pension", "230.25"), income("attendance_allowance", "73.90", "lower"))


def test_housing_costs_reduce_the_charge_pound_for_pound() -> None:
    base = estimate(at_home(age=75, weekly_income=PENSIONER_INCOME), IN_2025_26)
    with_rent = estimate(at_home(age=75, weekly_income=PENSIONER_INCOME, housing_costs_weekly=D("20")), IN_2025_26)
    assert base.weekly_contribution == D("71.55")  # 304.15 - 232.60
    assert with_rent.weekly_contribution == D("51.55")
    assert with_rent.step("housing_costs").params == {"weekly": D("20.00")}


def test_disability_related_expenditure_reduces_the_charge() -> None:
    result = estimate(
        at_home(
            age=75,
            weekly_income=PENSIONER_INCOME,
            housing_costs_weekly=D("20"),
            disability_related_expenditure_weekly=D("15.50"),
        ),
        IN_2025_26,
    )
    assert result.weekly_contribution == D("36.05")
    # Hertfordshire looks at each disability-related cost individually.
    assert result.step("disability_related_expenditure").params == {
        "weekly": D("15.50"),
        "council_method": "assessed_individually",
    }


# --- The contribution is never negative and never more than the cost of care -----------------------------------


def test_contribution_is_capped_at_the_cost_of_care() -> None:
    result = estimate(
        at_home(age=75, weekly_income=(income("private_pension", "600"),), weekly_care_cost=D("120")), IN_2025_26
    )
    assert result.disposable_income_weekly == D("367.40")
    assert result.weekly_contribution == D("120.00")
    assert result.council_pays_weekly == D("0.00")
    assert "contribution_capped_at_care_cost" in result.step_keys()


def test_contribution_is_never_negative() -> None:
    result = estimate(at_home(age=75, weekly_income=(income("state_pension", "180"),)), IN_2025_26)
    assert result.disposable_income_weekly == D("-52.60")
    assert result.weekly_contribution == D("0.00")
    assert result.council_pays_weekly == D("300.00")
    assert "no_contribution" in result.step_keys()


@settings(max_examples=200, deadline=None, database=None)
@given(
    setting=st.sampled_from(list(CareSetting)),
    age=st.integers(min_value=18, max_value=105),
    savings=st.decimals(min_value=0, max_value=40000, places=2),
    pension=st.decimals(min_value=0, max_value=1000, places=2),
    housing=st.decimals(min_value=0, max_value=200, places=2),
    dre=st.decimals(min_value=0, max_value=100, places=2),
    cost=st.decimals(min_value=0, max_value=2000, places=2),
)
def test_contribution_is_always_between_zero_and_the_cost(
    setting: CareSetting, age: int, savings: Decimal, pension: Decimal, housing: Decimal, dre: Decimal, cost: Decimal
) -> None:
    result = estimate(
        FinancialSituation(
            care_setting=setting,
            age=age,
            weekly_care_cost=cost,
            savings_own=savings,
            weekly_income=(income("state_pension", str(pension)),),
            housing_costs_weekly=housing,
            disability_related_expenditure_weekly=dre,
        ),
        IN_2025_26,
    )
    assert D("0") <= result.weekly_contribution <= result.weekly_care_cost
    assert result.weekly_contribution + result.council_pays_weekly == result.weekly_care_cost
    assert result.weekly_contribution == result.weekly_contribution.quantize(D("0.01"))


# --- Income that is ignored ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pip_mobility", "dla_mobility"])
def test_mobility_components_are_ignored(kind: str) -> None:
    rate = "enhanced" if kind == "pip_mobility" else "higher"
    base = estimate(at_home(age=75, weekly_income=PENSIONER_INCOME), IN_2025_26)
    with_mobility = estimate(
        at_home(age=75, weekly_income=(*PENSIONER_INCOME, income(kind, "77.05", rate))), IN_2025_26
    )
    assert with_mobility.weekly_contribution == base.weekly_contribution
    assert [(i.key, i.reason) for i in with_mobility.income_disregarded] == [(kind, "mobility_component")]


def test_earnings_are_ignored() -> None:
    result = estimate(at_home(age=30, weekly_income=(income("earnings", "250"),)), IN_2025_26)
    assert result.income_counted_total == 0
    assert result.weekly_contribution == 0


def test_enhanced_pip_daily_living_is_counted_in_full_in_hertfordshire_and_the_night_care_question_is_flagged():
    """Hertfordshire's 2018 decision names Attendance Allowance and DLA, not PIP: enhanced PIP counts in full."""
    result = estimate(at_home(age=40, weekly_income=(income("pip_daily_living", "110.40", "enhanced"),)), IN_2025_26)
    assert result.income_counted_total == D("110.40")
    assert result.step("night_care_element_counted").params == {
        "kind": IncomeKind.PIP_DAILY_LIVING,
        "weekly": D("110.40"),
    }


# --- Published council worked examples, reproduced to the penny ------------------------------------------------
# Each uses the figures of its own year from charging_rates.json. Where the council publishes only the total of
# the disability and enhanced disability premiums (the split for that year is not held), the test rates put that
# total, quoted from the example, into the disability premium and nothing into the enhanced one.


def rates_with(on: date, source: str, **amounts: str) -> ChargingRates:
    """The shipped rates for ``on`` with some figures replaced by amounts quoted in a worked example."""
    base = rates_for(on)
    figures = dict(base.figures)
    for key, amount in amounts.items():
        figures[key] = Figure(key=key, amount=D(amount), tax_year=base.tax_year, status="S", source=source)
    return dataclasses.replace(base, figures=MappingProxyType(figures))


IN_2023_24 = date(2023, 10, 1)


def test_devon_example_1_working_age_at_home_2023_24() -> None:
    """Devon County Council, 'Examples of common financial assessments' (Financial assessment and paying for
    community care services factsheet), Example 1, 2023/24 rates:
    https://www.devon.gov.uk/adult-social-care/factsheet/financial-assessment-for-community-services/examples-of-common-financial-assessments/

    Peter, 37, care at home costing £454.00 a week: ESA £225.45, PIP daily living enhanced £101.75 (counted in
    full: Devon does not ignore a night-care element), PIP mobility standard £26.90 (ignored); housing costs
    £17.27; DRE £28.08; MIG £171.75 (£103.65 personal amount, SI 2023/277, plus premiums £68.10 as Devon quotes
    them). Assessed weekly contribution £110.10."""
    rates = rates_with(
        IN_2023_24,
        "Devon County Council, Examples of common financial assessments, example 1 (MIG £171.75 less £103.65)",
        mig_disability_premium_single="68.10",
        mig_enhanced_disability_premium_single="0",
    )
    result = estimate(
        FinancialSituation(
            care_setting="home",
            age=37,
            weekly_care_cost=D("454.00"),
            over_pension_age=False,
            weekly_income=(
                income("esa", "225.45"),
                income("pip_daily_living", "101.75", "enhanced"),
                income("pip_mobility", "26.90", "standard"),
            ),
            housing_costs_weekly=D("17.27"),
            disability_related_expenditure_weekly=D("28.08"),
        ),
        rates=rates,
    )
    assert result.figures_used["mig_single_25_to_pension_age"].amount == D("103.65")
    assert result.figures_used["mig_single_25_to_pension_age"].status == "P"
    assert result.income_counted_total == D("327.20")  # 354.10 less the £26.90 mobility component
    assert result.allowances_total == D("217.10")  # 171.75 + 17.27 + 28.08
    assert result.weekly_contribution == D("110.10")
    assert result.council_pays_weekly == D("343.90")


def test_knowsley_example_1_working_age_at_home_ignoring_the_night_care_element_2024_25() -> None:
    """Knowsley Council, 'Examples of financial assessments for care provided in your home or the community',
    Example 1, 2024/25 rates:
    https://knowsley.gov.uk/adult-social-care/paying-adult-social-care/examples-financial-assessments-care-provided-your-home

    Client A, 22, supported accommodation, care costing £391.95 a week: Universal Credit £167.96, PIP daily
    living enhanced £108.55, PIP mobility enhanced £75.75 (ignored); Knowsley ignores the 'no night care
    element' of £35.90 (enhanced less standard PIP daily living, £108.55 - £72.65); DRE £12.60; MIG £160.30
    (£87.65 for 18 to 24 plus premiums £72.65 as Knowsley quotes them). Assessed weekly contribution £67.71.
    Knowsley's local choice is modelled as CouncilPolicy(ignore_night_care_element=True)."""
    rates = rates_with(
        IN_2024_25,
        "Knowsley Council, Examples of financial assessments, example 1 (MIG £160.30 less £87.65)",
        mig_disability_premium_single="72.65",
        mig_enhanced_disability_premium_single="0",
    )
    situation = FinancialSituation(
        care_setting="home",
        age=22,
        weekly_care_cost=D("391.95"),
        weekly_income=(
            income("universal_credit", "167.96"),
            income("pip_daily_living", "108.55", "enhanced"),
            income("pip_mobility", "75.75", "enhanced"),
        ),
        disability_related_expenditure_weekly=D("12.60"),
    )
    result = estimate(situation, rates=rates, policy=CouncilPolicy(ignore_night_care_element=True))
    assert sorted((i.key, i.amount, i.reason) for i in result.income_disregarded) == [
        (IncomeKind.PIP_DAILY_LIVING, D("35.90"), "night_care_element"),
        (IncomeKind.PIP_MOBILITY, D("75.75"), "mobility_component"),
    ]
    assert result.step("night_care_element_disregarded").params == {
        "kind": IncomeKind.PIP_DAILY_LIVING,
        "weekly": D("35.90"),
    }
    assert _total_disregarded(result) == D("111.65")  # Knowsley's section 6 total
    assert result.allowances_total == D("172.90")  # 160.30 + 12.60
    assert result.weekly_contribution == D("67.71")
    assert result.council_pays_weekly == D("324.24")

    # Hertfordshire's profile names AA and DLA only, so the enhanced PIP element is counted: £35.90 more.
    herts = estimate(situation, rates=rates)
    assert herts.weekly_contribution == D("67.71") + D("35.90")
    assert "night_care_element_counted" in herts.step_keys()


def _total_disregarded(result) -> Decimal:
    return sum((item.amount for item in result.income_disregarded), D("0"))


def test_lambeth_care_home_example_with_tariff_income_2024_25() -> None:
    """London Borough of Lambeth, 'Paying for care in a care home: Example of how your contribution is
    calculated', 2024/25 personal expenses allowance:
    https://www.lambeth.gov.uk/adult-social-care-and-health/adults-and-older-people/paying-care/paying-care-care-home/example-how-your-contribution-calculated

    Jane Bloggs, 71, moving into a residential care home: savings £15,250 (tariff income £4), pensions £130,
    benefits £40 (no Attendance Allowance, DLA or PIP). Assessed charge £174 less the personal allowance £30.15:
    she pays £143.85 a week. (Lambeth does not give the home's fee; £900 is used.)"""
    result = estimate(
        in_care_home(
            age=71,
            savings_own=D("15250"),
            weekly_income=(income("state_pension", "130"), income("other", "40")),
        ),
        IN_2024_25,
    )
    assert result.tariff_income_weekly == D("4")
    assert result.income_counted_total + result.tariff_income_weekly == D("174.00")
    assert result.figures_used["personal_expenses_allowance"].amount == D("30.15")
    assert result.weekly_contribution == D("143.85")


def test_leeds_care_home_example_1_2024_25() -> None:
    """Leeds City Council, 'Examples of how much people pay for care homes', Example 1 (savings less than
    £14,250 and no property), 2024/25 personal expenses allowance:
    https://leeds.gov.uk/adult-social-care/how-to-get-adult-social-care-and-support/help-to-pay-for-care/help-paying-for-care-homes/examples-how-much-people-pay-for-care-homes

    Michael, permanently in a care home costing £694 a week: State Pension £209.67, private pension £25.81
    (total £235.48), savings under £14,250 (ignored). £235.48 less the personal expenses allowance £30.15: he
    pays £205.33 and the council pays £488.67."""
    result = estimate(
        in_care_home(
            age=80,
            weekly_care_cost=D("694"),
            savings_own=D("14000"),
            weekly_income=(income("state_pension", "209.67"), income("private_pension", "25.81")),
        ),
        IN_2024_25,
    )
    assert result.tariff_income_weekly == 0
    assert result.income_counted_total == D("235.48")
    assert result.weekly_contribution == D("205.33")
    assert result.council_pays_weekly == D("488.67")


# --- The night-care element: a council choice, in the council's profile ----------------------------------------


def test_hertfordshire_ignores_the_night_care_element_of_attendance_allowance_without_council_night_care() -> None:
    """Hertfordshire Cabinet Panel, 10 January 2018: the higher rate of AA and DLA counts 'ONLY where people receive
    care to meet night time needs' (shared/reference/hertfordshire-context.md). Higher AA £110.40 less lower
    £73.90 (2025-26): £36.50 is ignored without night care; with night care the award counts in full."""
    setting = rates_for(IN_2025_26).council_setting("night_care_element")
    assert setting.value == ["attendance_allowance", "dla_care"] and setting.status == "S"
    top_aa = (income("attendance_allowance", "110.40", "higher"),)
    without = estimate(at_home(age=75, weekly_income=top_aa), IN_2025_26)
    assert without.income_counted_total == D("73.90")
    assert without.step("night_care_element_disregarded").params["weekly"] == D("36.50")
    with_night_care = estimate(at_home(age=75, weekly_income=top_aa, receives_night_care=True), IN_2025_26)
    assert with_night_care.income_counted_total == D("110.40")


@pytest.mark.parametrize(
    ("kind", "rate", "weekly", "element"),
    [
        ("attendance_allowance", "higher", "110.40", "36.50"),  # 110.40 - 73.90 (2025-26)
        ("dla_care", "highest", "110.40", "36.50"),  # highest less middle
        ("pip_daily_living", "enhanced", "110.40", "36.50"),  # enhanced less standard
    ],
)
def test_a_council_that_ignores_the_night_care_element_ignores_the_top_rate_less_the_rate_below(
    kind: str, rate: str, weekly: str, element: str
) -> None:
    result = estimate(
        at_home(age=30, weekly_income=(income(kind, weekly, rate),)),
        IN_2025_26,
        policy=CouncilPolicy(ignore_night_care_element=True),
    )
    assert [(i.key, i.amount, i.reason) for i in result.income_disregarded] == [
        (IncomeKind(kind), D(element), "night_care_element")
    ]
    assert result.income_counted_total == D(weekly) - D(element)


@pytest.mark.parametrize(
    ("kind", "rate"), [("attendance_allowance", "lower"), ("dla_care", "middle"), ("pip_daily_living", "standard")]
)
def test_lower_rates_have_no_night_care_element(kind: str, rate: str) -> None:
    result = estimate(
        at_home(age=30, weekly_income=(income(kind, "73.90", rate),)),
        IN_2025_26,
        policy=CouncilPolicy(ignore_night_care_element=True),
    )
    assert result.income_disregarded == []
    assert result.income_counted_total == D("73.90")


def test_the_night_care_element_counts_when_the_council_provides_night_care() -> None:
    result = estimate(
        at_home(age=75, receives_night_care=True, weekly_income=(income("attendance_allowance", "110.40", "higher"),)),
        IN_2025_26,
        policy=CouncilPolicy(ignore_night_care_element=True),
    )
    assert result.income_counted_total == D("110.40")
    assert "night_care_element_counted_night_care_provided" in result.step_keys()


def test_the_night_care_element_is_not_ignored_in_a_care_home() -> None:
    """(A fee the award covers, so no public funds pay and the benefit continues past 28 days.)"""
    result = estimate(
        in_care_home(weekly_care_cost=D("50"), weekly_income=(income("attendance_allowance", "110.40", "higher"),)),
        IN_2025_26,
        policy=CouncilPolicy(ignore_night_care_element=True),
    )
    assert result.income_counted_total == D("110.40")


def test_the_night_care_element_is_never_more_than_the_award() -> None:
    result = estimate(
        at_home(age=75, weekly_income=(income("attendance_allowance", "20.00", "higher"),)),
        IN_2025_26,
        policy=CouncilPolicy(ignore_night_care_element=True),
    )
    assert result.income_counted_total == 0
    assert result.income_disregarded[0].amount == D("20.00")


def test_a_confirmed_council_setting_turns_the_night_care_rule_on_and_a_policy_can_turn_it_off() -> None:
    base = rates_for(IN_2025_26)
    confirmed = dict(base.council)
    confirmed["night_care_element"] = CouncilSetting("night_care_element", True, "P", "test council")
    rates = dataclasses.replace(base, council=MappingProxyType(confirmed))
    situation = at_home(age=75, weekly_income=(income("attendance_allowance", "110.40", "higher"),))
    assert estimate(situation, rates=rates).income_counted_total == D("73.90")
    off = estimate(situation, rates=rates, policy=CouncilPolicy(ignore_night_care_element=False))
    assert off.income_counted_total == D("110.40")


# --- Every explanation step has wording that uses exactly the step's parameters ----------------------------------


def _all_steps() -> list[Step]:
    """Steps from a spread of situations that between them reach every key the calculator can emit."""
    night = CouncilPolicy(ignore_night_care_element=True)
    top_aa = income("attendance_allowance", "110.40", "higher")
    local = rates_for(IN_2025_26, council=LOCAL_CHOICES)
    runs = [
        estimate(
            at_home(age=30, weekly_income=(income("pip_daily_living", "73.90", "standard"), income("other", "300"))),
            rates=local,
        ),
        estimate(at_home(age=30, weekly_income=(income("pip_daily_living", "110.40", "enhanced"),)), IN_2025_26),
        estimate(
            in_care_home(
                owns_home=True,
                home_value=D("100"),
                qualifying_relative_left_in_last_12_weeks=True,
                third_party_top_up_weekly=D("50"),
            ),
            IN_2025_26,
        ),
        estimate(
            at_home(age=70, savings_own=D("15250"), savings_joint=D("100"), other_property_value=D("1")), IN_2025_26
        ),
        estimate(at_home(savings_own=D("50000"), owns_home=True, home_value=D("1")), IN_2025_26),
        estimate(
            at_home(age=30, weekly_income=(income("dla_care", "110.40", "highest"), income("earnings", "9"))),
            IN_2025_26,
        ),
        estimate(at_home(age=75, weekly_income=(top_aa, income("pension_credit", "1"))), IN_2025_26),
        estimate(at_home(age=75, weekly_income=(top_aa,)), IN_2025_26, policy=night),
        estimate(at_home(age=75, receives_night_care=True, weekly_income=(top_aa,)), IN_2025_26, policy=night),
        estimate(
            at_home(
                age=75,
                housing_costs_weekly=D("1"),
                disability_related_expenditure_weekly=D("1"),
                weekly_income=(income("private_pension", "900"),),
            ),
            IN_2025_26,
        ),
        estimate(at_home(has_partner=True), IN_2025_26),
        estimate(at_home(other_property_value=D("40000"), other_property_debts=D("60000")), IN_2025_26),
        estimate(
            in_care_home(savings_own=D("1"), owns_home=True, home_value=D("300000")),
            rates=dataclasses.replace(rates_for(IN_2025_26), deferred_interest=None),
        ),
        estimate(
            in_care_home(
                savings_own=D("1"),
                owns_home=True,
                home_value=D("300000"),
                housing_costs_weekly=D("1"),
                disability_related_expenditure_weekly=D("1"),
            ),
            IN_2025_26,
        ),
        estimate(
            in_care_home(
                owns_home=True,
                home_value=D("1"),
                home_occupied_by_qualifying_relative=True,
                housing_costs_weekly=D("1"),
                disability_related_expenditure_weekly=D("1"),
                weekly_income=(income("attendance_allowance", "73.90", "lower"),),
            ),
            IN_2025_26,
        ),
        estimate(
            in_care_home(
                owns_home=True,
                home_value=D("1"),
                in_first_12_weeks_of_permanent_care=True,
                has_partner=True,
                pays_half_pension_to_partner=True,
                weekly_income=(income("private_pension", "300"),),
            ),
            IN_2025_26,
        ),
    ]
    return [step for run in runs for step in run.steps]


def _emitted_keys() -> set[str]:
    source = Path(charging_module.__file__).read_text(encoding="utf-8")
    keys = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            keys.add(node.args[0].value)
    return keys | {"rates_in_use"}


def test_every_step_the_calculator_can_emit_has_wording() -> None:
    from signpost.guides.flows.paying_for_care import STEP_TEXT

    emitted = _emitted_keys()
    assert emitted <= set(STEP_TEXT), sorted(emitted - set(STEP_TEXT))
    assert emitted <= {step.key for step in _all_steps()}  # the spread above really reaches every key


def test_step_wording_only_names_parameters_the_step_carries_and_states_every_amount() -> None:
    """Each %(name)s in the wording is a parameter of that step, and every money parameter that is the point
    of the step is shown (nothing like a hard-coded £1 or £250 that could drift from the data)."""
    import re

    from signpost.guides.flows.paying_for_care import STEP_TEXT

    by_key: dict[str, set[str]] = {}
    for step in _all_steps():
        by_key.setdefault(step.key, set()).update(step.params)
    for key, template in STEP_TEXT.items():
        names = set(re.findall(r"%\((\w+)\)s", str(template)))
        assert names <= by_key.get(key, set()), (key, names - by_key.get(key, set()))
        assert not re.search(r"£\d", str(template)), key


# --- Rates are chosen by date -----------------------------------------------------------------------------------


def test_tax_years_run_from_6_april_to_5_april() -> None:
    assert tax_year_containing(date(2025, 4, 5)) == "2024-25"
    assert tax_year_containing(date(2025, 4, 6)) == "2025-26"
    assert tax_year_containing(date(2026, 4, 5)) == "2025-26"


def test_a_date_in_2025_26_gets_2025_26_figures() -> None:
    rates = rates_for(IN_2025_26)
    assert rates.tax_year == "2025-26"
    assert rates.amount("personal_expenses_allowance") == D("30.65")
    assert rates.amount("mig_single_25_to_pension_age") == D("112.50")
    assert rates.figure("mig_single_18_to_24").tax_year == "2025-26"


def test_a_date_in_2024_25_gets_2024_25_figures() -> None:
    assert rates_for(date(2025, 4, 5)).amount("personal_expenses_allowance") == D("30.15")
    assert rates_for(date(2025, 4, 6)).amount("personal_expenses_allowance") == D("30.65")


def test_2026_27_falls_back_to_the_latest_confirmed_year_and_says_so() -> None:
    rates = rates_for(IN_2026_27)
    assert rates.tax_year == "2026-27"
    assert rates.provisional
    assert rates.figure("upper_capital_limit").tax_year == "2025-26"
    assert "so 2025-26 amounts are used for:" in rates.note and "upper_capital_limit" in rates.note
    result = estimate(at_home(age=30), IN_2026_27)
    assert result.provisional
    assert "2025-26 amounts are used for" in result.rates_note


def test_a_year_beyond_the_data_also_falls_back() -> None:
    rates = rates_for(date(2031, 1, 1))
    assert rates.tax_year == "2030-31"
    assert rates.provisional
    assert rates.amount("upper_capital_limit") == D("23250.00")


def test_dates_before_the_data_are_refused() -> None:
    assert rates_for(date(2023, 4, 6)).tax_year == "2023-24"
    with pytest.raises(RatesNotAvailable):
        rates_for(date(2023, 4, 5))


def test_2023_24_figures_come_from_the_amending_regulations() -> None:
    """SI 2023/277 reg 2: PEA £28.25; MIG single 18-24 £82.15, 25 to pension age £103.65, pension age £214.35."""
    rates = rates_for(date(2023, 10, 1))
    assert rates.amount("personal_expenses_allowance") == D("28.25")
    assert rates.amount("mig_single_18_to_24") == D("82.15")
    assert rates.amount("mig_single_25_to_pension_age") == D("103.65")
    assert rates.amount("mig_single_pension_age") == D("214.35")
    assert all(rates.figure(key).status == "P" for key in ("personal_expenses_allowance", "mig_single_pension_age"))
    # Only the premiums' total was seen for 2023-24, so the nearest year's premiums stand in, flagged.
    assert rates.figure("mig_disability_premium_single").tax_year == "2025-26"
    assert rates.carried_forward() == {
        "mig_disability_premium_single": "2025-26",
        "mig_enhanced_disability_premium_single": "2025-26",
    }
    assert rates.amount("carers_allowance_earnings_limit") == D("139")


# --- The data file: a source for every figure, nothing derived or unverified ----------------------------------


def test_every_figure_in_the_json_has_a_source_and_a_shippable_status() -> None:
    data = raw_data()
    count = 0
    for year in data["tax_years"]:
        for key, figure in year["figures"].items():
            count += 1
            assert key in FIGURE_KEYS
            assert figure["status"] in {"P", "S"}, (year["tax_year"], key)
            assert figure["source"].strip(), (year["tax_year"], key)
            assert isinstance(figure["amount"], str)
            assert D(figure["amount"]) >= 0
            if figure.get("url"):
                assert figure["url"].startswith("https://")
    for key, rule in data["rules"].items():
        assert rule["status"] in {"P", "S"} and rule["source"].strip(), key
    assert count > 0


@pytest.mark.parametrize("profile", sorted(COUNCILS_DIR.glob("*.json")), ids=lambda path: path.stem)
def test_council_settings_have_sources_and_unconfirmed_ones_have_no_value(profile: Path) -> None:
    settings_ = json.loads(profile.read_text(encoding="utf-8"))["settings"]
    assert settings_
    for key, setting in settings_.items():
        assert setting["source"].strip(), key
        if setting["status"] == "?":
            assert setting["value"] is None, key


def test_the_2025_26_and_2026_27_figures_found_are_used_with_their_status() -> None:
    """shared/reference/charging-figures-2025-27.md: the figures that exist, each with its status."""
    expected = {
        ("2025-26", "mig_single_pension_age"): ("232.60", "S"),
        ("2025-26", "personal_expenses_allowance"): ("30.65", "P"),
        ("2025-26", "attendance_allowance_lower"): ("73.90", "P"),
        ("2025-26", "attendance_allowance_higher"): ("110.40", "P"),
        ("2026-27", "attendance_allowance_lower"): ("76.70", "P"),
        ("2026-27", "attendance_allowance_higher"): ("114.60", "P"),
        ("2026-27", "pip_daily_living_standard"): ("76.70", "S"),
        ("2026-27", "pip_daily_living_enhanced"): ("114.60", "S"),
        ("2026-27", "dla_care_middle"): ("76.70", "S"),
        ("2026-27", "dla_care_highest"): ("114.60", "S"),
        ("2026-27", "mig_single_18_to_24"): ("95.40", "S"),
        ("2026-27", "mig_single_pension_age"): ("241.45", "S"),
        ("2023-24", "carers_allowance_earnings_limit"): ("139", "S"),
    }
    years = {year["tax_year"]: year for year in raw_data()["tax_years"]}
    for (year, key), (amount, status) in expected.items():
        figure = years[year]["figures"][key]
        assert (figure["amount"], figure["status"]) == (amount, status), (year, key)
    # Seen only in unofficial code: never shipped.
    assert "mig_single_25_to_pension_age" not in years["2026-27"]["figures"]
    assert "personal_expenses_allowance" not in years["2026-27"]["figures"]


def test_capital_limits_and_tariff_are_primary_figures() -> None:
    rates = rates_for(IN_2025_26)
    for key in ("upper_capital_limit", "lower_capital_limit", "tariff_income_step", "tariff_income_per_step"):
        assert rates.figure(key).status == "P"


def test_the_loader_refuses_derived_or_unverified_figures() -> None:
    for status in ("D", "?"):
        data = raw_data()
        data["tax_years"][1]["figures"]["personal_expenses_allowance"]["status"] = status
        with pytest.raises(ValueError, match="may not be shipped"):
            parse_table(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.update(source=""), "needs a source"),
        (lambda f: f.update(amount=30.65), "not floats"),
        (lambda f: f.update(amount="-1"), "non-negative"),
    ],
)
def test_the_loader_refuses_badly_formed_figures(change, message: str) -> None:
    data = copy.deepcopy(raw_data())
    change(data["tax_years"][1]["figures"]["personal_expenses_allowance"])
    with pytest.raises(ValueError, match=message):
        parse_table(data)


def test_the_loader_refuses_unknown_figure_keys() -> None:
    data = raw_data()
    data["tax_years"][1]["figures"]["mig_single_pension_agee"] = {"amount": "1", "status": "P", "source": "x"}
    with pytest.raises(ValueError, match="unknown figure key"):
        parse_table(data)


def test_the_shipped_file_and_council_profiles_load() -> None:
    table = load_table()
    assert load_council().name == "Hertfordshire County Council"
    assert load_council("knowsley").name == "Knowsley Council"
    with pytest.raises(ValueError, match="known: hertfordshire, knowsley"):
        load_council("narnia")
    assert [year.tax_year for year in table.years] == sorted(year.tax_year for year in table.years)


# --- Benefits worth checking ------------------------------------------------------------------------------------


def test_pension_age_without_attendance_allowance_or_pension_credit() -> None:
    result = estimate(at_home(age=75, weekly_income=(income("state_pension", "230.25"),)), IN_2025_26)
    assert result.benefits_to_check == ["attendance_allowance", "pension_credit"]


def test_nothing_to_check_when_both_are_already_received() -> None:
    result = estimate(at_home(age=75, weekly_income=(*PENSIONER_INCOME, income("pension_credit", "10"))), IN_2025_26)
    assert result.benefits_to_check == []
    assert "savings_credit_disregard_not_applied" in result.step_keys()


def test_working_age_without_a_disability_benefit_suggests_pip() -> None:
    assert estimate(at_home(age=40), IN_2025_26).benefits_to_check == ["pip"]
    with_dla = estimate(at_home(age=40, weekly_income=(income("dla_care", "73.90", "middle"),)), IN_2025_26)
    assert with_dla.benefits_to_check == []


# --- Cases that need a full assessment ---------------------------------------------------------------------------


def test_a_couple_at_home_needs_a_full_assessment() -> None:
    result = estimate(at_home(age=75, has_partner=True, weekly_income=PENSIONER_INCOME), IN_2025_26)
    assert not result.estimate_available
    assert result.weekly_contribution is None
    assert result.council_pays_weekly is None
    assert result.full_assessment_reasons == ["couple_allowance_not_confirmed"]


def test_a_couple_over_the_upper_limit_still_gets_a_self_funding_answer() -> None:
    result = estimate(at_home(age=75, has_partner=True, savings_joint=D("60000")), IN_2025_26)
    assert result.estimate_available and result.self_funding
    assert result.weekly_contribution == D("300.00")


def test_a_partner_does_not_stop_a_care_home_estimate() -> None:
    result = estimate(in_care_home(has_partner=True, weekly_income=(income("state_pension", "230.25"),)), IN_2025_26)
    assert result.estimate_available
    assert result.weekly_contribution == D("199.60")


def test_dependent_children_or_carers_allowance_need_a_full_assessment() -> None:
    children = estimate(at_home(dependent_children=2), IN_2025_26)
    assert children.full_assessment_reasons == ["dependent_child_allowance_not_confirmed"]
    carer = estimate(at_home(weekly_income=(income("carers_allowance", "83.30"),)), IN_2025_26)
    assert carer.full_assessment_reasons == ["carer_premium_not_confirmed"]


# --- Money handling ------------------------------------------------------------------------------------------------


def test_rounding_is_half_up_and_only_at_the_end() -> None:
    # 130.655 - 30.65 = 100.005, which rounds up to 100.01 (not to the even 100.00).
    result = estimate(in_care_home(weekly_income=(income("private_pension", "130.655"),)), IN_2025_26)
    assert result.weekly_contribution == D("100.01")
    assert money(D("0.005")) == D("0.01")


def test_monthly_amounts_convert_to_weekly_without_early_rounding() -> None:
    weekly = weekly_amount(D("1000"), "month")  # 1000 x 12 / 52
    assert money(weekly) == D("230.77")
    result = estimate(in_care_home(weekly_income=(IncomeItem(IncomeKind.PRIVATE_PENSION, weekly),)), IN_2025_26)
    assert result.weekly_contribution == D("200.12")  # 230.769... - 30.65 = 200.119...
    assert weekly_amount(D("52"), "year") == 1
    with pytest.raises(ValueError):
        weekly_amount(D("1"), "quarter")


def test_contribution_and_council_share_add_up_to_the_rounded_cost() -> None:
    result = estimate(
        in_care_home(weekly_care_cost=D("850.005"), weekly_income=(income("state_pension", "230.254"),)), IN_2025_26
    )
    assert result.weekly_contribution + result.council_pays_weekly == result.weekly_care_cost == D("850.01")


# --- Input checks ------------------------------------------------------------------------------------------------


def test_floats_are_refused_so_money_stays_exact() -> None:
    with pytest.raises(TypeError):
        at_home(savings_own=100.10)
    with pytest.raises(TypeError):
        IncomeItem(IncomeKind.STATE_PENSION, 230.25)


def test_negative_amounts_and_children_are_refused() -> None:
    with pytest.raises(ValueError):
        at_home(savings_own=D("-1"))
    with pytest.raises(ValueError):
        at_home(weekly_care_cost=D("-0.01"))


def test_adults_only() -> None:
    with pytest.raises(ValueError, match="18 or over"):
        at_home(age=17)


def test_a_rate_must_belong_to_its_benefit() -> None:
    with pytest.raises(ValueError):
        IncomeItem(IncomeKind.ATTENDANCE_ALLOWANCE, D("110.40"), BenefitRate.ENHANCED)


def test_plain_strings_are_accepted_for_choices() -> None:
    result = estimate(
        FinancialSituation(
            care_setting="care_home",
            age=85,
            weekly_care_cost=D("900"),
            weekly_income=(IncomeItem("state_pension", D("230.25")),),
        ),
        IN_2025_26,
    )
    assert result.care_setting is CareSetting.CARE_HOME
    assert result.weekly_contribution == D("199.60")


def test_the_calculator_does_not_import_flask() -> None:
    import signpost.guides.charging as charging
    import signpost.guides.rates as rates

    for module in (charging, rates):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not [name for name in imported if name.split(".")[0] == "flask"], module.__name__


# --- Council profiles: local choices as data, so a second council needs no code change ---------------------------


def test_the_knowsley_profile_reproduces_its_published_example_without_a_policy_override() -> None:
    """Knowsley example 1 (see above): its profile says it ignores the night-care element of PIP daily living."""
    rates = dataclasses.replace(
        rates_for(IN_2024_25, council=load_council("knowsley")),
        figures=rates_with(
            IN_2024_25,
            "Knowsley example 1",
            mig_disability_premium_single="72.65",
            mig_enhanced_disability_premium_single="0",
        ).figures,
    )
    situation = FinancialSituation(
        care_setting="home",
        age=22,
        weekly_care_cost=D("391.95"),
        weekly_income=(income("universal_credit", "167.96"), income("pip_daily_living", "108.55", "enhanced")),
        disability_related_expenditure_weekly=D("12.60"),
    )
    assert estimate(situation, rates=rates).weekly_contribution == D("67.71")
    herts = dataclasses.replace(rates, council=load_council("hertfordshire").settings)
    assert estimate(situation, rates=herts).weekly_contribution == D("103.61")  # PIP element counted


def test_a_local_mig_uplift_a_percentage_a_standard_dre_and_a_flat_charge_all_come_from_the_profile() -> None:
    """Example Council: MIG +£10, 90% of disposable income, £15 standard DRE, telecare £4.50 flat. Age 30, PIP
    standard £73.90 + other £300 = £373.90; allowances £112.50 + £49.65 premium + £10 uplift + £15 DRE = £187.15;
    disposable £186.75; 90% is £168.075, so £168.08 a week, plus telecare £4.50 outside the assessment."""
    situation = at_home(
        age=30,
        weekly_care_cost=D("400"),
        weekly_income=(income("pip_daily_living", "73.90", "standard"), income("other", "300")),
    )
    local = estimate(situation, rates=rates_for(IN_2025_26, council=LOCAL_CHOICES))
    assert local.allowances_total == D("187.15")
    assert local.disposable_income_weekly == D("186.75")
    assert local.weekly_contribution == D("168.08")
    assert [(i.key, i.amount) for i in local.flat_charges] == [("telecare", D("4.50"))]
    national = estimate(situation, IN_2025_26)
    assert national.weekly_contribution == D("211.75")  # 373.90 - 162.15, no local choices
    assert national.flat_charges == []


def test_savings_credit_is_ignored_up_to_the_disregard_and_the_rest_counts() -> None:
    """SI 2014/2672 Sch 1: up to £6.95 a week of Savings Credit (single, 2024-25; Reading Appendix B) is ignored."""
    result = estimate(
        at_home(age=75, weekly_income=(income("state_pension", "230"), income("savings_credit", "10"))), IN_2024_25
    )
    assert ("savings_credit", D("6.95"), "savings_credit_disregard") in [
        (i.key, i.amount, i.reason) for i in result.income_disregarded
    ]
    assert result.income_counted_total == D("233.05")
    assert "savings_credit_disregard_not_applied" not in result.step_keys()
    small = estimate(at_home(age=75, weekly_income=(income("savings_credit", "4"),)), IN_2024_25)
    assert small.income_counted_total == 0
    later = estimate(at_home(age=75, weekly_income=(income("savings_credit", "10"),)), IN_2026_27)
    assert later.figures_used["savings_credit_disregard_single"].tax_year == "2024-25"  # carried, flagged
    assert later.provisional


def test_a_deferred_payment_says_what_would_be_added_to_the_loan_each_week() -> None:
    """Statutory guidance ch. 9: with a deferred payment agreement the person keeps up to £144 a week of income
    (the disposable income allowance). State Pension £230 + pension £100 = £330: £186 a week from income towards a
    £900 fee, £714 a week deferred (before interest)."""
    result = estimate(
        in_care_home(
            savings_own=D("5000"),
            owns_home=True,
            home_value=D("250000"),
            weekly_income=(income("state_pension", "230"), income("private_pension", "100")),
        ),
        IN_2025_26,
    )
    assert result.self_funding and result.deferred_payment_may_apply
    assert result.deferred_weekly == D("714.00")
    assert result.step("deferred_payment_each_week").params["from_income"] == D("186.00")
    assert result.figures_used["deferred_payment_disposable_income_allowance"].amount == D("144")


def test_knowsley_residential_example_1_savings_credit_2024_25() -> None:
    """Knowsley Council, 'Examples of financial assessments for care provided in a residential or nursing home',
    example 1 (2024/25):
    https://knowsley.gov.uk/adult-social-care/paying-adult-social-care/examples-financial-assessments-care-provided-residential
    Client C, 90: savings £17,050.91 (tariff £12), State Pension £227.55, Savings Credit £7.25 (£6.95 disregarded),
    PEA £30.15: pays £209.70 towards £685.37."""
    result = estimate(
        in_care_home(
            age=90,
            weekly_care_cost=D("685.37"),
            savings_own=D("17050.91"),
            weekly_income=(income("state_pension", "227.55"), income("savings_credit", "7.25")),
        ),
        IN_2024_25,
    )
    assert result.tariff_income_weekly == D("12")
    assert [(i.key, i.amount) for i in result.income_disregarded] == [(IncomeKind.SAVINGS_CREDIT, D("6.95"))]
    assert result.weekly_contribution == D("209.70")


# --- Deferred payments: the interest rate as dated data, and what a deferral would mean each week ----------------

WEST_SUSSEX_DPA = (
    "https://westsussexconnecttosupport.org/alt-home/adult-social-care-publications/deferred-payments/"
    "charges-for-deferred-payment-agreements"
)
LEEDS_DPA = (
    "https://leeds.gov.uk/adult-social-care/how-to-get-adult-social-care-and-support/help-to-pay-for-care/"
    "help-paying-for-care-homes/deferred-payment-agreements"
)
NORTH_NORTHANTS_DPA = (
    "https://www.northnorthants.gov.uk/paying-adult-social-care/deferred-payment-schemes-adult-social-care-0/"
    "borrowing-and-fees"
)


def test_the_deferred_payment_interest_rate_is_chosen_by_its_period_and_says_where_it_is_from() -> None:
    """SI 2014/2671 reg 9: the national maximum rate is set for periods starting 1 January and 1 July. West Sussex:
    4.65% from 1 January 2024 to 30 June 2024; Leeds: 4.05% from 1 July 2024."""
    spring = rates_for(date(2024, 3, 1)).deferred_interest
    assert (spring.amount, spring.tax_year, spring.url) == (D("4.65"), "2023-24", WEST_SUSSEX_DPA)
    autumn = rates_for(date(2024, 10, 1)).deferred_interest
    assert (autumn.amount, autumn.tax_year, autumn.url) == (D("4.05"), "2024-25", LEEDS_DPA)
    # No rate is held for the periods from 1 January 2025 on: the latest one stands in, flagged as from its period.
    later = rates_for(date(2026, 12, 3)).deferred_interest
    assert later.amount == D("4.05") and later.tax_year == "period from 2024-07-01"
    assert "2026-07-01 is not held" in later.note
    assert rates_for(date(2023, 10, 1)).deferred_interest is None  # before any period held


@pytest.mark.parametrize("starts", ["2025-02-01", "2025-06-30", "not a date"])
def test_the_loader_refuses_an_interest_period_that_does_not_start_on_1_january_or_1_july(starts: str) -> None:
    data = raw_data()
    data["deferred_payment_interest_rates"].append(
        {"starts": starts, "rate_percent": "4", "status": "S", "source": "test"}
    )
    with pytest.raises(ValueError):
        parse_table(data)


def test_the_loader_refuses_an_unconfirmed_interest_rate() -> None:
    data = raw_data()
    data["deferred_payment_interest_rates"].append(
        {"starts": "2026-01-01", "rate_percent": "4", "status": "?", "source": "guess"}
    )
    with pytest.raises(ValueError, match="may not be shipped"):
        parse_table(data)


def test_a_deferred_payment_says_what_the_first_year_would_add_with_interest() -> None:
    """£714 a week deferred (see the test above): £37,128 over 52 weeks. At 4.05% (the rate from 1 July 2024,
    standing in for 2025-26) simple interest added weekly comes to £714 x 4.05% x 25.5 = £737.38 in the first
    year. The rate's period is not the one asked about, so the estimate is provisional and names it."""
    result = estimate(
        in_care_home(
            savings_own=D("5000"),
            owns_home=True,
            home_value=D("250000"),
            weekly_income=(income("state_pension", "230"), income("private_pension", "100")),
        ),
        IN_2025_26,
    )
    assert result.deferred_weekly == D("714.00")
    assert result.deferred_first_year == D("37128.00")
    assert result.deferred_interest_rate == D("4.05")
    assert result.deferred_interest_first_year == D("737.38")
    assert result.step("deferred_payment_interest").params == {
        "rate": "4.05",
        "first_year": D("37128.00"),
        "interest": D("737.38"),
    }
    figure = result.figures_used["deferred_payment_interest_rate"]
    assert figure.url == LEEDS_DPA and figure.status == "S"
    assert result.provisional and "period from 2024-07-01" in result.rates_note


def test_without_an_interest_rate_held_the_deferral_still_shows_and_says_to_ask_for_the_rate() -> None:
    rates = dataclasses.replace(rates_for(IN_2025_26), deferred_interest=None)
    result = estimate(in_care_home(savings_own=D("1"), owns_home=True, home_value=D("300000")), rates=rates)
    assert result.deferred_weekly == D("900.00")
    assert result.deferred_interest_rate is None and result.deferred_interest_first_year is None
    assert "deferred_payment_interest_not_held" in result.step_keys()


def test_north_northamptonshire_deferred_payment_equity_limit_example() -> None:
    """North Northamptonshire Council, 'Deferred payment schemes for adult social care: Borrowing and fees',
    'Maximum amount you can borrow' worked example:
    https://www.northnorthants.gov.uk/paying-adult-social-care/deferred-payment-schemes-adult-social-care-0/borrowing-and-fees
    Market value £165,000, minus 10% (£16,500), minus £14,250: equity limit £134,250."""
    result = estimate(in_care_home(savings_own=D("1000"), owns_home=True, home_value=D("165000")), IN_2025_26)
    assert result.deferred_equity_limit == D("134250.00")
    assert result.step("deferred_payment_equity_limit").params == {
        "price": D("165000.00"),
        "sale_costs": D("16500.00"),
        "debts": D("0.00"),
        "lower_limit": D("14250.00"),
        "equity_limit": D("134250.00"),
    }
    # A mortgage comes off as well: 90% of the whole price, less the debt, less the lower limit.
    mortgaged = estimate(
        in_care_home(savings_own=D("1000"), owns_home=True, home_value=D("145000"), home_debts=D("20000")),
        IN_2025_26,
    )
    assert mortgaged.deferred_equity_limit == D("114250.00")


SOUTH_TYNESIDE_EQUITY_LIMIT = (
    "https://citizen.stc3-prd.gosshosted.com:443/article/16534/How-much-payment-can-be-deferred-and-for-how-long"
)


def test_south_tyneside_deferred_payment_equity_limit_example() -> None:
    """'Paying for care: Deferred Payment Agreements - How much payment can be deferred and for how long' (the
    series of South Tyneside Council's southtyneside.gov.uk/article/16527, on its GOSS-hosted site): "you can
    borrow up to 90% of your home's value minus £14,250 ... if your house is worth £100,000 you could borrow up to
    £75,750". Here: £100,000 less 10% (£10,000) less £14,250."""
    assert SOUTH_TYNESIDE_EQUITY_LIMIT.startswith("https://")
    result = estimate(in_care_home(savings_own=D("500"), owns_home=True, home_value=D("100000")), IN_2025_26)
    assert result.self_funding and result.deferred_payment_may_apply
    assert result.deferred_equity_limit == D("75750.00")
    assert result.step("deferred_payment_equity_limit").params["sale_costs"] == D("10000.00")


@settings(max_examples=300, deadline=None, database=None)
@given(
    price=st.integers(0, 800_000),
    owed=st.integers(0, 400_000),
    savings=st.integers(0, 40_000),
    occupied=st.booleans(),
    new_move=st.booleans(),
)
def test_a_home_in_a_care_home_assessment_counts_at_90_percent_of_its_price_less_what_is_owed(
    price: int, owed: int, savings: int, occupied: bool, new_move: bool
) -> None:
    """Property, for any price, debt, savings and occupancy (Annex B; Sch 2 paras 2 and 4): the home (the person's
    share, so joint ownership is the share's price) counts at its price less 10% of that price less what is owed,
    never below nothing; it is ignored while a qualifying relative lives there and, for a new permanent move, for
    12 weeks, after which it counts. A deferred payment can reach 90% of the price less the debt less £14,250."""
    net, debts = max(price - owed, 0), min(owed, price)
    result = estimate(
        in_care_home(
            savings_own=D(savings),
            owns_home=True,
            home_value=D(net),
            home_debts=D(debts),
            home_occupied_by_qualifying_relative=occupied,
            in_first_12_weeks_of_permanent_care=new_move,
            weekly_income=(income("state_pension", "230"),),
        ),
        IN_2025_26,
    )
    home = max(D(price) * D("0.9") - D(debts), D(0)) if net else D(0)
    counts_now = bool(net) and not occupied and not new_move
    assert result.capital_counted == money(D(savings) + (home if counts_now else 0))
    assert result.self_funding is (result.capital_counted > D("23250"))
    later = result.from_week_13
    if net and not occupied and new_move:
        assert later is not None and later.capital_counted == money(D(savings) + home)
    else:
        assert later is None
    assert result.deferred_payment_may_apply is (bool(net) and not occupied and savings <= 23250)
    for phase in (result, later):
        if phase is not None and phase.deferred_equity_limit is not None:
            assert phase.deferred_equity_limit == money(max(D(price) * D("0.9") - D(debts) - D("14250"), D(0)))


def test_getting_carers_allowance_needs_a_full_assessment_even_without_an_amount() -> None:
    """The carer premium for 2025-26 and 2026-27 is not confirmed (charging-figures-2025-27.md: not found), so the
    estimate says a full assessment is needed rather than leave the premium out."""
    result = estimate(at_home(age=70, gets_carers_allowance=True), IN_2025_26)
    assert not result.estimate_available and result.weekly_contribution is None
    assert result.full_assessment_reasons == ["carer_premium_not_confirmed"]
    in_a_home = estimate(in_care_home(gets_carers_allowance=True, dependent_children=1), IN_2025_26)
    assert in_a_home.estimate_available  # the personal expenses allowance does not depend on either


# --- Published examples found for top-ups, the 12-week disregard and the 28-day stop ---------------------------

ST_HELENS_TOP_UP = (
    "https://citizen.sthel1-prd.gosshosted.com/article/4436/"
    "What-if-the-home-costs-more-than-the-usual-adult-social-care-contribution"
)
GREENSLEEVES_12_WEEKS = "https://greensleeves.org.uk/the-12-week-property-disregard"
WIRRAL_12_WEEKS = (
    "https://www.wirral.gov.uk/health-and-social-care/adult-social-care/charging-and-paying-services/"
    "charging-residential-care"
)


def test_st_helens_top_up_example_is_charged_in_addition_to_the_assessed_charge() -> None:
    """St Helens Borough Council, 'Charging for residential and nursing care: What if the home costs more than the
    usual adult social care contribution?' (no date on the page): "the council's rate for care to meet your assessed
    need may be £550 per week and the cost of the care home chosen £585 per week. In these circumstances a 'top up' of
    £35 per week will be charged in addition to your normal weekly assessed charge." """
    assert ST_HELENS_TOP_UP.startswith("https://")
    resident = in_care_home(weekly_care_cost=D("550"), weekly_income=(income("state_pension", "230"),))
    without = estimate(resident, IN_2025_26)
    result = estimate(dataclasses.replace(resident, third_party_top_up_weekly=D("35")), IN_2025_26)
    assert result.top_up_weekly == D("35.00")
    assert result.step("third_party_top_up").params == {"weekly": D("35.00"), "home_fee": D("585.00")}
    # "in addition to your normal weekly assessed charge": the charge and the council's share do not move.
    assert (result.weekly_contribution, result.council_pays_weekly) == (
        without.weekly_contribution,
        without.council_pays_weekly,
    )


HALLMARK_12_WEEKS = "https://www.hallmarkcarehomes.co.uk/2017/06/understanding-12-week-property-disregard/"


def test_hallmark_12_week_disregard_and_top_up_example() -> None:
    """Hallmark Care Homes, 'Understanding the 12-Week Property Disregard' (5 June 2017): the council's standard
    contribution £500 a week, "assessable income of £300 per week", so the council pays £200; a £1,000 home needs a
    £500 top-up. "Assessable income" read as what she is assessed to pay: State Pension £330.65 less the £30.65
    personal expenses allowance (2025-26)."""
    assert HALLMARK_12_WEEKS.startswith("https://")
    result = estimate(
        in_care_home(
            weekly_care_cost=D("500"),
            third_party_top_up_weekly=D("500"),
            owns_home=True,
            home_value=D("250000"),
            in_first_12_weeks_of_permanent_care=True,
            weekly_income=(income("state_pension", "330.65"),),
        ),
        IN_2025_26,
    )
    assert (result.weekly_contribution, result.council_pays_weekly) == (D("300.00"), D("200.00"))
    assert result.step("third_party_top_up").params == {"weekly": D("500.00"), "home_fee": D("1000.00")}
    assert result.from_week_13 is not None and result.from_week_13.self_funding


def test_greensleeves_12_week_disregard_example_counts_only_the_savings_until_week_13() -> None:
    """Greensleeves Homes Trust, 'The 12-week property disregard' (no date on the page): "Joan has a house worth
    £250K and £9K in savings, when the Council assess her they will 'disregard' the £250K and only look at the £9K,
    at which point they will decide that she is entitled to care fee support". From week 13 the house counts (less
    10% for the costs of selling), so she would pay the full cost and may ask for a deferred payment."""
    assert GREENSLEEVES_12_WEEKS.startswith("https://")
    joan = in_care_home(
        savings_own=D("9000"),
        owns_home=True,
        home_value=D("250000"),
        in_first_12_weeks_of_permanent_care=True,
        weekly_income=(income("state_pension", "230"),),
    )
    result = estimate(joan, IN_2025_26)
    assert result.capital_counted == D("9000.00") and not result.self_funding
    assert result.council_pays_weekly and result.council_pays_weekly > 0  # "entitled to care fee support"
    assert result.from_week_13 is not None and result.from_week_13.self_funding
    assert result.from_week_13.capital_counted == D("234000.00")  # 9,000 + 250,000 less 10%
    assert result.deferred_payment_may_apply


def test_wirral_phases_weeks_1_to_12_benefits_stop_after_4_weeks_and_start_again_from_week_13() -> None:
    """Wirral Council, 'Charging for residential care when your property is included' (describes the rule; no
    figures): "In weeks 1 to 12 the value of your property is ignored. You pay an amount based on your income and
    savings. After 4 weeks, if you get Attendance Allowance, Disability Living Allowance or Personal Independence
    Payment, these benefits must stop. From week 13 the value of your property is included. You will pay the full
    cost of your care and will be classed as self-funding. Your benefits can start again. If you use the deferred
    payment scheme, you can keep up to £144 per week as disposable income." The amounts below are ours."""
    assert WIRRAL_12_WEEKS.startswith("https://")
    resident = in_care_home(
        savings_own=D("2000"),
        owns_home=True,
        home_value=D("200000"),
        in_first_12_weeks_of_permanent_care=True,
        weekly_income=(income("state_pension", "230"), income("attendance_allowance", "110.40", "higher")),
    )
    result = estimate(resident, IN_2025_26)
    # Weeks 1-12: income and savings only; Attendance Allowance stops after 4 weeks (first 4 weeks shown).
    stop = result.step("care_home_disability_benefits_stop")
    assert stop is not None and stop.params["first_4_weeks"] == D("309.75")  # 230 + 110.40 - 30.65
    assert result.weekly_contribution == D("199.35")  # 230 - 30.65, once it has stopped
    assert [i.key for i in result.income_counted] == ["state_pension"]
    # From week 13: the home counts, self-funding, and Attendance Allowance is counted again.
    later = result.from_week_13
    assert later is not None and later.self_funding and later.weekly_contribution == D("900.00")
    assert [i.key for i in later.income_counted] == ["state_pension", "attendance_allowance"]
    # With a deferred payment she keeps £144 of her £340.40 and pays £196.40 a week from income.
    assert later.deferred_weekly == D("703.60")


@settings(max_examples=200, deadline=None)
@given(
    own=st.integers(0, 40_000),
    joint=st.integers(0, 60_000),
    other_property=st.integers(0, 30_000),
    pension=st.integers(0, 400),
)
def test_a_couple_at_home_is_self_funding_exactly_when_their_own_share_is_over_the_upper_limit(
    own: int, joint: int, other_property: int, pension: int
) -> None:
    """Only the person's own capital and an equal share of what they hold jointly count (Annex B; Which? and
    bettercaring: joint savings "divided equally"), and a second property counts less 10% for selling. Over the
    upper limit the answer stands without any couple allowance; under it the couple's allowances are needed, which
    are not confirmed for 2025-26, so the estimate says a full assessment is needed rather than guess."""
    result = estimate(
        at_home(
            age=75,
            has_partner=True,
            savings_own=D(own),
            savings_joint=D(joint),
            other_property_value=D(other_property),
            weekly_income=(income("state_pension", str(pension)),),
        ),
        IN_2025_26,
    )
    share = D(own) + D(joint) / 2 + D(other_property) * D("0.9")
    assert result.capital_counted == money(share)
    assert result.self_funding is (share > D("23250"))
    if result.self_funding:
        assert result.weekly_contribution == D("300.00") and not result.full_assessment_reasons
    else:
        assert not result.estimate_available and result.weekly_contribution is None
        assert result.full_assessment_reasons == ["couple_allowance_not_confirmed"]


def test_a_resident_still_council_funded_from_week_13_does_not_get_the_stopped_benefits_back() -> None:
    """The other side of Wirral's rule: benefits start again only for a self-funder. A £10,000 home (£9,000 after the
    costs of selling) and £1,000 of savings stay under the lower limit, so the council still pays from week 13 and
    Attendance Allowance stays stopped: £230 less the £30.65 allowance, with no second "first 4 weeks" line."""
    result = estimate(
        in_care_home(
            savings_own=D("1000"),
            owns_home=True,
            home_value=D("10000"),
            in_first_12_weeks_of_permanent_care=True,
            weekly_income=(income("state_pension", "230"), income("attendance_allowance", "73.90", "lower")),
        ),
        IN_2025_26,
    )
    later = result.from_week_13
    assert later is not None and not later.self_funding
    assert later.capital_counted == D("10000.00")
    assert later.weekly_contribution == D("199.35")
    assert [i.key for i in later.income_counted] == ["state_pension"]
    assert "care_home_disability_benefits_stop" not in later.step_keys()


MYPODPLAN_12_WEEKS = "https://www.mypodplan.co.uk/pod-answers/what-is-the-12-week-property-disregard"


def test_mary_and_jim_a_further_12_week_disregard_when_the_partner_at_home_dies() -> None:
    """Pod (mypodplan.co.uk), 'What is the 12-week property disregard?' (describes the rule; no amounts): "Mary and
    Jim are married. Mary goes into care. The home's value is ignored because Jim still lives there. If Jim dies,
    Mary now owns the home, and no one else is living in it. The council may now count the home's value — and the
    12-week disregard would be applied to give Mary time to plan." The amounts below are ours."""
    assert MYPODPLAN_12_WEEKS.startswith("https://")
    mary = in_care_home(
        savings_own=D("4000"),
        owns_home=True,
        home_value=D("180000"),
        home_occupied_by_qualifying_relative=True,
        weekly_income=(income("state_pension", "230"),),
    )
    while_jim_lives_there = estimate(mary, IN_2025_26)
    assert [(i.key, i.reason) for i in while_jim_lives_there.capital_disregarded] == [
        ("main_home", "qualifying_relative")
    ]
    assert while_jim_lives_there.from_week_13 is None and not while_jim_lives_there.deferred_payment_may_apply
    after_jim_dies = estimate(
        dataclasses.replace(
            mary, home_occupied_by_qualifying_relative=False, qualifying_relative_left_in_last_12_weeks=True
        ),
        IN_2025_26,
    )
    assert [(i.key, i.reason) for i in after_jim_dies.capital_disregarded] == [
        ("main_home", "qualifying_relative_left")
    ]
    assert after_jim_dies.weekly_contribution == while_jim_lives_there.weekly_contribution == D("199.35")
    later = after_jim_dies.from_week_13
    assert later is not None and later.self_funding
    assert later.capital_counted == D("166000.00")  # 4,000 + 180,000 less 10% for selling
    assert after_jim_dies.deferred_payment_may_apply
