"""Answers that take each guide from its first question to a result, shared by the page, browser and
readability tests, and a helper that gives them through the Flask test client."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from flask import g

from signpost.guides.registry import FLOWS

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

PAYING_FOR_CARE = {
    "setting": "home",
    "age": "80",
    "pension_age": "yes",
    "partner": "no",
    "dependants": ["none"],
    "savings": "15250",
    "joint_savings": "0",
    "other_property": "0",
    "owns_home": "yes",
    "state_pension": "230",
    "other_pensions": "40",
    "disability_benefits": "aa_lower",
    "disability_benefits_amount": "73.90",
    "other_benefits": "0",
    "housing_costs": "0",
    "dre": "0",
    "care_cost": "200",
}

LOOKING_AFTER_SOMEONE = {
    "who": "parent",
    "carer_age": "52",
    "hours": "40",
    "cared_for_benefits": ["attendance_allowance"],
    "earnings": "100",
    "education": "no",
    "state_pension": "no",
    "wellbeing": ["sleep"],
    "breaks": "yes",
    "postcode": "SG1 1AA",
}
CARE_HOME_WHERE_THE_HOME_COUNTS = {
    **PAYING_FOR_CARE,
    "setting": "care_home",
    "savings": "1000",
    "home_value": "250000",
    "home_debts": "0",
    "who_lives_there": ["nobody"],
    "first_12_weeks": "no",
    "relative_left": "no",
    "top_up": "0",
}


def answer_all(client, flow_id: str, answers: dict):
    """Open each question page and answer it until "check your answers", which is returned."""
    response = client.get(f"/guides/{flow_id}")
    assert response.status_code == 200
    url = f"/guides/{flow_id}/{FLOWS[flow_id].start}"
    for _ in range(40):
        g.pop("csrf_token", None)  # a real new request has no cached token (see staff_helpers.csrf_token)
        response = client.get(url)
        assert response.status_code == 200, url
        form = {"answer": answers[url.rsplit("/", 1)[1]]}
        token = CSRF_FIELD.search(response.get_data(as_text=True))
        if token:  # post the form as a browser would, with its CSRF token
            form["csrf_token"] = token.group(1)
        response = client.post(url, data=form)
        assert response.status_code == 302, (url, _error_summary(response.get_data(as_text=True)))
        url = response.headers["Location"]
        if url.endswith("check-your-answers"):
            return client.get(url)
    raise AssertionError("the guide never finished")


def _error_summary(html: str) -> str:
    start = html.find("govuk-error-summary")
    return html[start : start + 1500] if start >= 0 else html[:1500]


# --- Paying for care: a full set of answers, and the same facts as the estimate API's JSON ------------------------


def answers(**given_answers: str | list[str]) -> dict:
    """A full set of answers (every question the guide might ask); the walk uses only those on its path."""
    base = {
        "setting": "home",
        "age": "70",
        "pension_age": "yes",
        "partner": "no",
        "dependants": ["none"],
        "savings": "0",
        "joint_savings": "0",
        "other_property": "0",
        "other_property_debts": "0",
        "owns_home": "no",
        "home_value": "0",
        "home_debts": "0",
        "relative_left": "no",
        "half_pension": "no",
        "top_up": "0",
        "who_lives_there": ["nobody"],
        "first_12_weeks": "no",
        "state_pension": "0",
        "other_pensions": "0",
        "disability_benefits": "none",
        "disability_benefits_amount": "0",
        "night_care": "no",
        "other_benefits": "0",
        "pension_credit": "no",
        "savings_credit": "0",
        "housing_costs": "0",
        "dre": "0",
        "care_cost": "300",
    }
    return {**base, **given_answers}


BENEFIT_KIND = {
    "aa_lower": "attendance_allowance",
    "aa_higher": "attendance_allowance",
    "pip_standard": "pip_daily_living",
    "pip_enhanced": "pip_daily_living",
    "dla_care": "dla_care",
}


def as_json(a: dict, tax_year: str = "2026-27") -> dict:
    """The same facts as the API's JSON body."""
    care_home = a["setting"] == "care_home"
    owns = a["owns_home"] == "yes"
    income = {"state_pension": a["state_pension"], "private_pension": a["other_pensions"]}
    if a["disability_benefits"] != "none":
        income[BENEFIT_KIND[a["disability_benefits"]]] = a["disability_benefits_amount"]
    other = Decimal(a["other_benefits"])
    if other and a["pension_credit"] == "yes":
        savings_credit = min(Decimal(a["savings_credit"]), other)
        income["savings_credit"] = str(savings_credit)
        income["pension_credit"] = str(other - savings_credit)
    elif other:
        income["other"] = a["other_benefits"]
    qualifying = set(a["who_lives_there"]) & {"partner", "relative_60", "relative_incapacitated", "child_under_18"}
    body = {
        "tax_year": tax_year,
        "setting": a["setting"],
        "age": int(a["age"]),
        "over_pension_age": a["pension_age"] == "yes" if int(a["age"]) == 66 else int(a["age"]) >= 67,
        "couple": a["partner"] == "yes",
        "dependent_children": 1 if not care_home and "children" in a["dependants"] else 0,
        "gets_carers_allowance": not care_home and "carers_allowance" in a["dependants"],
        "capital": a["savings"],
        "joint_savings": a["joint_savings"],
        "other_property": str(max(Decimal(a["other_property"]) - Decimal(a["other_property_debts"]), 0)),
        "other_property_debts": str(min(Decimal(a["other_property_debts"]), Decimal(a["other_property"]))),
        "owns_home": owns,
        "weekly_income": income,
        "weekly_care_cost": a["care_cost"],
    }
    if care_home and a["partner"] == "yes" and Decimal(a["other_pensions"]) > 0:
        body["pays_half_pension_to_partner"] = a["half_pension"] == "yes"
    if care_home:
        body["weekly_top_up"] = a["top_up"]
    if care_home and owns:
        price, owed = Decimal(a["home_value"]), Decimal(a["home_debts"])
        body["home_value"] = str(max(price - owed, 0))
        body["home_debts"] = str(min(owed, price))
        nobody = set(a["who_lives_there"]) == {"nobody"}
        body["home_occupant_left_in_last_12_weeks"] = (
            nobody and a["first_12_weeks"] == "no" and a["relative_left"] == "yes"
        )
        body["home_occupied_by"] = "partner" if qualifying else "nobody"
        body["weeks_in_care_home"] = 0 if a["first_12_weeks"] == "yes" else 12
    if not care_home and a["disability_benefits"] in ("aa_higher", "pip_enhanced", "dla_care"):
        body["receives_night_care"] = a["night_care"] == "yes"
    if not care_home:
        body["weekly_housing_costs"] = a["housing_costs"]
        body["weekly_disability_related_expenditure"] = a["dre"]
    return body


# The personas, in 2026-27 (see tests/integration/signpost/guides/test_paying_for_care_pages.py for the sums).
PENSIONER_WHO_RENTS = answers(
    age="78",
    savings="20000",
    state_pension="230",
    disability_benefits="aa_higher",
    disability_benefits_amount="114.60",
    housing_costs="50",
)
WORKING_AGE_ON_PIP = answers(
    age="45",
    pension_age="no",
    disability_benefits="pip_enhanced",
    disability_benefits_amount="114.60",
    other_benefits="120",
    care_cost="250",
)
CARE_HOME_MOVE_WITH_A_HOUSE = answers(
    setting="care_home",
    age="84",
    savings="5000",
    owns_home="yes",
    home_value="350000",
    first_12_weeks="yes",
    state_pension="230",
    care_cost="1000",
)


def shipped_rates() -> dict:
    """The shipped charging figures as JSON data, for a test to change and then use."""
    from signpost.guides.rates import DATA_FILE

    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def use_rates(app, monkeypatch, tmp_path: Path, data: dict) -> Path:
    """Point the app at these charging figures (CHARGING_RATES_FILE) for the rest of the test."""
    path = tmp_path / "rates.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setitem(app.config, "CHARGING_RATES_FILE", str(path))
    return path
