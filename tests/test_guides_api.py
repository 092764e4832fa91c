"""The calculators' JSON endpoints: stateless, validated field by field, same sums as the guides."""

import pytest


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
