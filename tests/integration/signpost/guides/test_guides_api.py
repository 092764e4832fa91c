"""The calculators' JSON endpoints: stateless, validated field by field, same sums as the guides."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signpost.guides.api import INCOME_KEYS, OCCUPIED_BY

pytestmark = pytest.mark.stateless


@pytest.fixture
def api(app):
    return app.test_client()


AT_HOME = {
    "tax_year": "2025-26",
    "setting": "home",
    "age": 80,
    "capital": 15250,
    "weekly_income": {"state_pension": 230, "attendance_allowance": 73.90, "pip_mobility": 0},
    "weekly_care_cost": 200,
}


def test_an_estimate_shows_tariff_income_the_allowance_and_every_step(api):
    body = api.post("/api/v1/paying-for-care/estimate", json=AT_HOME).json
    assert body["tax_year"] == "2025-26"
    assert body["tariff_income"] == "4.00"
    assert body["minimum_income_guarantee"] == "232.60"
    assert body["assessable_income"] == "307.90"
    assert body["weekly_contribution"] == "75.30" and body["council_pays"] == "124.70"
    assert body["yearly_contribution"] == "3915.60"
    assert "Your savings of £15,250.00 count as £4.00 a week" in " ".join(body["steps"])
    assert body["sources"]["upper_capital_limit"]["status"] == "P"
    assert body["self_funder"] is False


def test_capital_over_the_upper_limit_makes_a_self_funder(api):
    body = api.post("/api/v1/paying-for-care/estimate", json={**AT_HOME, "capital": 30000}).json
    assert body["self_funder"] is True


def test_a_care_home_resident_with_an_empty_home_may_defer_payment(api):
    body = api.post(
        "/api/v1/paying-for-care/estimate",
        json={
            **AT_HOME,
            "setting": "care_home",
            "capital": 1000,
            "owns_home": True,
            "home_value": 250000,
            "home_occupied_by": "nobody",
            "weeks_in_care_home": 20,
        },
    ).json
    assert body["self_funder"] is True and body["deferred_payment_may_apply"] is True


def test_a_care_home_resident_whose_partner_stays_at_home_keeps_the_personal_expenses_allowance(api):
    body = api.post(
        "/api/v1/paying-for-care/estimate",
        json={
            **AT_HOME,
            "setting": "care_home",
            "capital": 1000,
            "owns_home": True,
            "home_value": 250000,
            "home_occupied_by": "partner",
            "weekly_care_cost": 900,
        },
    ).json
    assert body["self_funder"] is False
    assert body["personal_expenses_allowance"] == "30.65"
    assert {"item": "main_home", "amount": "250000.00", "reason": "qualifying_relative"} in body["disregarded"]


def test_bad_input_gets_one_message_per_field(api):
    response = api.post(
        "/api/v1/paying-for-care/estimate",
        json={"setting": "hotel", "age": 12, "capital": "lots", "weekly_income": {"lottery": 1}, "tax_year": "2025"},
    )
    assert response.status_code == 400
    errors = response.json["errors"]
    assert set(errors) >= {"setting", "age", "capital", "weekly_income.lottery", "tax_year", "weekly_care_cost"}


@pytest.mark.parametrize("body", [None, "text", [], 5, {"age": True}])
def test_nonsense_bodies_are_refused_not_crashed(api, body):
    response = api.post("/api/v1/paying-for-care/estimate", json=body)
    assert response.status_code == 400


def test_carers_allowance_check_at_the_earnings_limit(api):
    body = {
        "tax_year": "2025-26",
        "age": 40,
        "hours_caring_per_week": 35,
        "weekly_earnings_net": 196,
        "cared_for_benefit": "pip_daily_living_standard",
        "full_time_education": False,
    }
    assert api.post("/api/v1/carers-allowance/check", json=body).json["likely_eligible"] is True
    over = api.post("/api/v1/carers-allowance/check", json={**body, "weekly_earnings_net": 196.01}).json
    assert over["likely_eligible"] is False and over["reasons"] == ["earnings"]


def test_carers_allowance_needs_a_qualifying_benefit_and_35_hours(api):
    body = {"age": 40, "hours_caring_per_week": 20, "weekly_earnings_net": 0, "cared_for_benefit": "pip_mobility_only"}
    result = api.post("/api/v1/carers-allowance/check", json=body).json
    assert result["likely_eligible"] is False
    assert result["reasons"] == ["hours", "no_qualifying_benefit"]


def test_the_endpoints_need_no_csrf_token_and_keep_no_session(api, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = api.post("/api/v1/paying-for-care/estimate", json=AT_HOME)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_council_that_ignores_the_night_care_element_can_say_so_in_the_policy(api):
    body = {
        **AT_HOME,
        "age": 30,
        "capital": 0,
        "receives_night_care": False,
        "weekly_income": {"pip_daily_living": 110.40},
        "weekly_care_cost": 300,
    }
    counted = api.post("/api/v1/paying-for-care/estimate", json=body).json
    ignored = api.post("/api/v1/paying-for-care/estimate", json={**body, "policy": {"night_care_disregard": True}}).json
    assert ignored["weekly_contribution"] is not None and counted["weekly_contribution"] is not None
    assert float(ignored["assessable_income"]) < float(counted["assessable_income"])
    assert counted["minimum_income_guarantee"] == "186.40"  # enhanced rate read from the amount: both premiums
    bad = api.post("/api/v1/paying-for-care/estimate", json={**body, "policy": {"colour": "red"}})
    assert bad.status_code == 400 and "policy" in bad.json["errors"]


# --- Never a 500: the whole valid input space, and hostile shapes ------------------------------------------------


WHOLE_SPACE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
amounts = st.one_of(
    st.integers(0, 5000),
    st.decimals(min_value=0, max_value=100_000_000, places=2).map(str),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
)
valid_estimates = st.fixed_dictionaries(
    {
        "setting": st.sampled_from(["home", "care_home"]),
        "age": st.integers(18, 120),
        "weekly_care_cost": amounts,
    },
    optional={
        "tax_year": st.sampled_from(["2023-24", "2024-25", "2025-26", "2026-27", "2027-28", "2040-41"]),
        "couple": st.booleans(),
        "over_pension_age": st.none() | st.booleans(),
        "date_of_birth": st.dates(min_value=date(1925, 1, 1), max_value=date(1995, 12, 31)).map(str),
        "capital": amounts,
        "joint_savings": amounts,
        "other_property": amounts,
        "other_property_debts": amounts,
        "weekly_income": st.dictionaries(st.sampled_from(sorted(INCOME_KEYS)), amounts, max_size=6),
        "owns_home": st.booleans(),
        "home_value": amounts,
        "home_occupied_by": st.sampled_from(sorted(OCCUPIED_BY)),
        "weeks_in_care_home": st.integers(0, 5200),
        "weekly_housing_costs": amounts,
        "weekly_disability_related_expenditure": amounts,
        "receives_night_care": st.booleans(),
        "policy": st.fixed_dictionaries({}, optional={"night_care_disregard": st.booleans()}),
    },
)


@WHOLE_SPACE
@given(body=valid_estimates)
def test_every_valid_body_gets_an_estimate_that_adds_up(api, body):
    """Every tax year held (and later ones), every setting, income kind and council setting: a 200 whose money
    adds up. (Care at home below pension age with a disability benefit in 2023-24 used to answer 500.)"""
    response = api.post("/api/v1/paying-for-care/estimate", json=body)
    assert response.status_code == 200, response.json
    result = response.json
    for figure in result["sources"].values():
        assert figure["status"] in {"P", "S"} and figure["source"] and figure["tax_year"]
    if result["estimate_available"]:
        you, council = Decimal(result["weekly_contribution"]), Decimal(result["council_pays"])
        cost = you + council
        assert you >= 0 and council >= 0
        assert Decimal(result["yearly_contribution"]) == you * 52
        if result["from_week_13"]:
            assert Decimal(result["from_week_13"]["weekly_contribution"]) <= cost


@pytest.mark.parametrize("depth", [50, 1000, 100_000])
@pytest.mark.parametrize("path", ["/api/v1/paying-for-care/estimate", "/api/v1/carers-allowance/check"])
def test_deeply_nested_json_is_refused_with_a_clear_error(api, path, depth):
    body = '{"policy":' * depth + "1" + "}" * depth
    response = api.post(path, data=body, content_type="application/json")
    assert response.status_code in (400, 413)
    if response.status_code == 400:
        assert response.json["errors"]


@pytest.mark.parametrize("tax_year", ["0999-00", "0001-02", "1999-00", "٢٠٢٥-٢٦", "2025-26 ", "2025/26", "9999-00"])
@pytest.mark.parametrize("path", ["/api/v1/paying-for-care/estimate", "/api/v1/carers-allowance/check"])
def test_tax_years_outside_the_data_or_badly_written_get_a_400_naming_the_field(api, path, tax_year):
    body = {"tax_year": tax_year, "setting": "home", "age": 70, "weekly_care_cost": 100}
    body |= {"hours_caring_per_week": 40, "weekly_earnings_net": 0, "cared_for_benefit": "none"}
    response = api.post(path, json=body)
    assert response.status_code == 400
    assert set(response.json["errors"]) == {"tax_year"}


def test_a_2023_24_working_age_estimate_with_a_disability_benefit_uses_the_nearest_years_premiums(api):
    body = {
        "tax_year": "2023-24",
        "setting": "home",
        "age": 40,
        "over_pension_age": False,
        "weekly_income": {"pip_daily_living": 101.75},
        "weekly_care_cost": 200,
    }
    response = api.post("/api/v1/paying-for-care/estimate", json=body)
    assert response.status_code == 200
    assert response.json["provisional"] is True
    assert response.json["sources"]["mig_disability_premium_single"]["tax_year"] == "2025-26"
    assert "2025-26 amounts are used for" in response.json["rates_note"]


def test_the_carers_allowance_earnings_limit_applies_in_2023_24(api):
    body = {
        "tax_year": "2023-24",
        "age": 40,
        "hours_caring_per_week": 40,
        "weekly_earnings_net": 150,
        "cared_for_benefit": "attendance_allowance_higher",
    }
    response = api.post("/api/v1/carers-allowance/check", json=body)
    assert response.json["earnings_limit"] == "139"
    assert response.json["likely_eligible"] is False
    assert "earnings" in response.json["reasons"]


def test_a_date_of_birth_decides_state_pension_age_and_the_age_band(api):
    """Born 20 May 1960: State Pension age 66 and 2 months (20 July 2026). In 2026-27 (from 6 April 2026) the
    estimate is for the tax year's first day, when she is 65: the working-age MIG applies."""
    base = {"tax_year": "2026-27", "setting": "home", "weekly_care_cost": 100, "weekly_income": {"other": 150}}
    before = api.post("/api/v1/paying-for-care/estimate", json={**base, "date_of_birth": "1960-05-20"}).json
    assert before["minimum_income_guarantee"] == "112.50"
    reached = api.post("/api/v1/paying-for-care/estimate", json={**base, "date_of_birth": "1959-05-20"}).json
    assert reached["minimum_income_guarantee"] == "241.45"
    bad = api.post("/api/v1/paying-for-care/estimate", json={**base, "date_of_birth": "20/05/1960"})
    assert bad.status_code == 400 and set(bad.json["errors"]) == {"date_of_birth"}
    child = api.post("/api/v1/paying-for-care/estimate", json={**base, "date_of_birth": "2015-01-01"})
    assert child.status_code == 400 and "date_of_birth" in child.json["errors"]


def test_age_alone_decides_pension_age_except_at_66(api):
    base = {"tax_year": "2025-26", "setting": "home", "weekly_care_cost": 100}
    assert api.post("/api/v1/paying-for-care/estimate", json={**base, "age": 65}).json["minimum_income_guarantee"] == (
        "112.50"
    )
    assert api.post("/api/v1/paying-for-care/estimate", json={**base, "age": 67}).json["minimum_income_guarantee"] == (
        "232.60"
    )


def test_the_carers_allowance_check_carries_what_the_result_page_shows(api):
    """The page shows the earnings limit and how far below it the carer is, warns about the Severe Disability
    Premium, explains underlying entitlement to someone on the State Pension, and links to the application
    (guides/carers_outcome.html); the API now says the same, beside its existing fields."""
    body = {
        "tax_year": "2025-26",
        "age": 40,
        "hours_caring_per_week": 40,
        "weekly_earnings_net": 150,
        "cared_for_benefit": "attendance_allowance_lower",
    }
    result = api.post("/api/v1/carers-allowance/check", json=body).json
    assert result["likely_eligible"] is True and result["earnings_limit"] == "196"
    assert result["earnings_headroom"] == "46.00"
    assert result["severe_disability_premium_warning"] is True
    assert result["underlying_entitlement"] is False
    assert result["apply_url"] == "https://www.gov.uk/carers-allowance/how-to-claim"
    pensioner = api.post("/api/v1/carers-allowance/check", json={**body, "gets_state_pension": True}).json
    assert pensioner["underlying_entitlement"] is True
    over = api.post("/api/v1/carers-allowance/check", json={**body, "weekly_earnings_net": 200}).json
    assert over["earnings_headroom"] is None and over["apply_url"] is None
    assert over["severe_disability_premium_warning"] is False
    assert api.post("/api/v1/carers-allowance/check", json={**body, "gets_state_pension": "yes"}).status_code == 400


def test_other_property_loses_10_percent_of_its_whole_price_before_what_is_owed_on_it(api):
    """A second property that would sell for £100,000 with £60,000 owed on it: £100,000 less 10% (£10,000) less
    £60,000 = £30,000 counts (Care and Support Statutory Guidance Annex B; DWP, 'How we work out capital assets'
    applies the same rule: "we will ignore 10% of the asset's current market value ... we will deduct any outstanding
    debts or mortgages secured on the assets"). Before, 10% came off the £40,000 left after the mortgage: £36,000.
    http://www.dwp.gov.uk/publications/specialist-guides/technical-guidance/pc10s-guide-to-pension-credit/how-we-work-out-capital-assets/
    """
    body = api.post(
        "/api/v1/paying-for-care/estimate",
        json={**AT_HOME, "capital": 0, "other_property": 40000, "other_property_debts": 60000},
    ).json
    assert body["self_funder"] is True
    steps = " ".join(body["steps"])
    assert "£100,000.00, less 10% of that price for the costs of selling (£10,000.00)" in steps
    assert "less the £60,000.00 owed on it, so £30,000.00" in steps


def test_other_property_debts_must_be_money(api):
    response = api.post("/api/v1/paying-for-care/estimate", json={**AT_HOME, "other_property_debts": -1})
    assert response.status_code == 400
    assert set(response.json["errors"]) == {"other_property_debts"}
