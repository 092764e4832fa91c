"""Stateless JSON endpoints for the guides' calculators (no session, no CSRF token).

POST /api/v1/paying-for-care/estimate and POST /api/v1/carers-allowance/check. Bad input gets a
400 with one message per field; the sums are the same functions the guides use.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, jsonify, request

from signpost.guides import carers, charging
from signpost.guides.charging import CareSetting, IncomeKind
from signpost.guides.facts import CannotEstimate, CareFacts, Income, estimate, yearly
from signpost.guides.flows.paying_for_care import explain
from signpost.guides.in_force import guide_date, rates_in_force
from signpost.guides.pension_age import age_on, reached_by_age, state_pension_date
from signpost.guides.rates import RatesNotAvailable, tax_year_bounds, tax_year_containing
from signpost.platform.extensions import csrf
from signpost.platform.json_limits import excerpt

bp = Blueprint("guides_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

INCOME_KEYS = {kind.value for kind in IncomeKind}
OCCUPIED_BY = {"nobody", "partner", "relative_60_plus_or_incapacitated", "child_under_18"}
CARED_FOR_BENEFITS = {
    "attendance_allowance_lower": "attendance_allowance",
    "attendance_allowance_higher": "attendance_allowance",
    "pip_daily_living_standard": "pip_daily_living",
    "pip_daily_living_enhanced": "pip_daily_living",
    "dla_care_middle": "dla_care_middle_or_highest",
    "dla_care_highest": "dla_care_middle_or_highest",
    "dla_care_lowest": "none",
    "pip_mobility_only": "none",
    "none": "none",
}
MAX_MONEY = Decimal("100000000")
CARERS_ALLOWANCE_APPLY_URL = "https://www.gov.uk/carers-allowance/how-to-claim"
"""The real application, as linked from the carers result page."""


class Fields:
    """Reads a JSON object field by field, collecting one message per bad field."""

    def __init__(self, body: Any) -> None:
        self.body = body if isinstance(body, dict) else {}
        self.errors: dict[str, str] = {}
        if not isinstance(body, dict):
            self.errors["body"] = "Send a JSON object"

    @classmethod
    def from_request(cls) -> Fields:
        """The request's JSON body (signpost.platform.json_limits has already refused bodies too deep or too large)."""
        return cls(request.get_json(silent=True))

    def money(self, name: str, default: Decimal | None = Decimal(0), value: Any = None, where: str | None = None):
        raw = self.body.get(name) if value is None else value
        where = where or name
        if raw is None:
            if default is None:
                self.errors[where] = "Enter an amount in pounds"
            return default
        if isinstance(raw, bool) or not isinstance(raw, int | float | str) or len(str(raw)) > 30:
            self.errors[where] = "Must be an amount in pounds, like 150.50"
            return default
        try:
            amount = Decimal(str(raw))
        except InvalidOperation:
            self.errors[where] = "Must be an amount in pounds, like 150.50"
            return default
        if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
            self.errors[where] = "Must be an amount between 0 and 100,000,000"
            return default
        return amount

    def whole(self, name: str, low: int, high: int, required: bool = True) -> int | None:
        raw = self.body.get(name)
        if raw is None:
            if required:
                self.errors[name] = "Enter a whole number"
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            self.errors[name] = f"Must be a whole number from {low} to {high}"
            return None
        return raw

    def flag(self, name: str) -> bool:
        raw = self.body.get(name, False)
        if not isinstance(raw, bool):
            self.errors[name] = "Must be true or false"
            return False
        return raw

    def optional_flag(self, name: str) -> bool | None:
        raw = self.body.get(name)
        if raw is not None and not isinstance(raw, bool):
            self.errors[name] = "Must be true, false or null"
            return None
        return raw

    def iso_date(self, name: str) -> date | None:
        raw = self.body.get(name)
        if raw is None:
            return None
        try:
            if not isinstance(raw, str) or len(raw) != 10:
                raise ValueError
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = "Must be a date like 1950-06-30"
            return None

    def choice(self, name: str, allowed: set[str], default: str | None = None) -> str | None:
        raw = self.body.get(name, default)
        if not isinstance(raw, str) or raw not in allowed:
            self.errors[name] = f"Must be one of: {', '.join(sorted(allowed))}"
            return default
        return raw

    def on_date(self) -> date:
        raw = self.body.get("tax_year")
        if raw is None:
            return guide_date()
        try:
            start = tax_year_bounds(raw)[0] if isinstance(raw, str) else _bad()
            return start if start.year >= 1000 else _bad()  # tax year labels have four-digit years
        except ValueError:
            self.errors["tax_year"] = "Must be a tax year like 2025-26"
            return guide_date()


def _bad():
    raise ValueError


def _bad_request(errors: dict[str, str]):
    return jsonify(errors=errors), 400


def _income(fields: Fields) -> tuple[Income, ...]:
    raw = fields.body.get("weekly_income", {})
    if not isinstance(raw, dict):
        fields.errors["weekly_income"] = "Must be an object of weekly amounts"
        return ()
    items = []
    for key, value in raw.items():
        if key not in INCOME_KEYS:
            message = f"Unknown income; use one of: {', '.join(sorted(INCOME_KEYS))}"
            fields.errors[f"weekly_income.{excerpt(key)}"] = message
            continue
        amount = fields.money(key, value=value, where=f"weekly_income.{key}")
        if amount:
            items.append(Income(IncomeKind(key), amount))
    return tuple(items)


def _policy(fields: Fields) -> charging.CouncilPolicy:
    """Council settings the caller overrides; only `night_care_disregard` is a setting so far."""
    raw = fields.body.get("policy", {})
    if not isinstance(raw, dict):
        fields.errors["policy"] = "Must be an object of council settings"
        return charging.CouncilPolicy()
    unknown = set(raw) - {"night_care_disregard"}
    if unknown:
        named = excerpt(", ".join(sorted(map(str, unknown))))
        fields.errors["policy"] = f"Unknown settings: {named}; use night_care_disregard"
    night = raw.get("night_care_disregard")
    if night is not None and not isinstance(night, bool):
        fields.errors["policy.night_care_disregard"] = "Must be true or false"
        night = None
    return charging.CouncilPolicy(ignore_night_care_element=night)


def _figures(result: charging.Estimate) -> dict[str, Any]:
    return {
        key: {"amount": str(f.amount), "tax_year": f.tax_year, "status": f.status, "source": f.source, "url": f.url}
        for key, f in result.figures_used.items()
    }


def _pounds(value: Decimal | None) -> str | None:
    return None if value is None else str(charging.money(value))


def _summary(result: charging.Estimate) -> dict[str, Any]:
    return {
        "weekly_contribution": _pounds(result.weekly_contribution),
        "yearly_contribution": _pounds(yearly(result.weekly_contribution)),
        "council_pays": _pounds(result.council_pays_weekly),
        "self_funder": result.self_funding,
        "deferred_each_week": _pounds(result.deferred_weekly),
        "deferred_interest_rate_percent": (
            None if result.deferred_interest_rate is None else f"{result.deferred_interest_rate.normalize():f}"
        ),
        "deferred_first_year": _pounds(result.deferred_first_year),
        "deferred_interest_first_year": _pounds(result.deferred_interest_first_year),
        "deferred_equity_limit": _pounds(result.deferred_equity_limit),
    }


@bp.post("/paying-for-care/estimate")
def paying_for_care_estimate():
    fields = Fields.from_request()
    on = fields.on_date()
    try:
        rates = rates_in_force(on)
    except RatesNotAvailable:
        return _bad_request({"tax_year": "We do not hold figures for that tax year"})
    setting = fields.choice("setting", {"home", "care_home"})
    born = fields.iso_date("date_of_birth")
    if "date_of_birth" in fields.body:
        age = age_on(born, on) if born else None
    else:
        age = fields.whole("age", 18, 120)
    if born and not 18 <= age <= 120:
        fields.errors["date_of_birth"] = "Must be the date of birth of an adult aged 18 to 120"
    stated = fields.optional_flag("over_pension_age")
    if stated is not None:
        over_pension_age = stated
    elif born:
        over_pension_age = state_pension_date(born) <= on
    else:
        over_pension_age = reached_by_age(age, on) if age is not None else None
    occupied_by = fields.choice("home_occupied_by", OCCUPIED_BY, default="nobody")
    weeks = fields.whole("weeks_in_care_home", 0, 5200, required=False)
    values = {
        "couple": fields.flag("couple"),
        "over_pension_age": over_pension_age,
        "savings_own": fields.money("capital"),
        "savings_joint": fields.money("joint_savings"),
        "other_property": fields.money("other_property"),
        "other_property_debts": fields.money("other_property_debts"),
        "income": _income(fields),
        "housing_costs_weekly": fields.money("weekly_housing_costs"),
        "disability_related_expenditure_weekly": fields.money("weekly_disability_related_expenditure"),
        "weekly_care_cost": fields.money("weekly_care_cost", default=None),
        "owns_home": fields.flag("owns_home"),
        "home_value": fields.money("home_value"),
        "home_debts": fields.money("home_debts"),
        "relative_left_in_last_12_weeks": fields.flag("home_occupant_left_in_last_12_weeks"),
        "pays_half_pension_to_partner": fields.flag("pays_half_pension_to_partner"),
        "third_party_top_up_weekly": fields.money("weekly_top_up"),
        "receives_night_care": fields.flag("receives_night_care"),
        "dependent_children": fields.whole("dependent_children", 0, 20, required=False) or 0,
        "gets_carers_allowance": fields.flag("gets_carers_allowance"),
    }
    policy = _policy(fields)
    if fields.errors:
        return _bad_request(fields.errors)
    care_facts = CareFacts(
        setting=CareSetting(setting),
        age=age,
        home_occupied_by_qualifying_relative=occupied_by != "nobody",
        first_12_weeks_of_permanent_care=weeks is not None and weeks < 12,
        **values,
    )
    try:
        result = estimate(care_facts, rates=rates, policy=policy)
    except CannotEstimate as missing:
        return jsonify(
            errors={
                "figures": f"We do not hold the figure '{missing.figure}' for any tax year, so we cannot estimate "
                "this. Ask the council for a financial assessment."
            }
        ), 422
    allowance = "minimum_income_guarantee" if setting == "home" else "personal_expenses_allowance"
    prefix = "mig_" if setting == "home" else "personal_expenses_allowance"
    allowance_total = sum((i.amount for i in result.allowances if i.key.startswith(prefix)), Decimal(0))
    return jsonify(
        tax_year=result.tax_year,
        provisional=result.provisional,
        rates_note=result.rates_note,
        estimate_available=result.estimate_available,
        full_assessment_reasons=result.full_assessment_reasons,
        full_assessment_needed=bool(result.full_assessment_reasons),
        **_summary(result),
        tariff_income=_pounds(result.tariff_income_weekly),
        **{allowance: _pounds(allowance_total)},
        assessable_income=_pounds(result.income_counted_total + result.tariff_income_weekly),
        disregarded=[
            {"item": i.key, "amount": _pounds(i.amount), "reason": i.reason}
            for i in [*result.capital_disregarded, *result.income_disregarded]
        ],
        steps=[line for line in (explain(step) for step in result.steps) if line],
        sources=_figures(result),
        deferred_payment_may_apply=result.deferred_payment_may_apply,
        from_week_13=_summary(result.from_week_13) if result.from_week_13 else None,
        top_up=_pounds(result.top_up_weekly),
        benefits_to_check=result.benefits_to_check,
    )


@bp.post("/carers-allowance/check")
def carers_allowance_check():
    fields = Fields.from_request()
    on = fields.on_date()
    age = fields.whole("age", 0, 120)
    hours = fields.whole("hours_caring_per_week", 0, 168)
    earnings = fields.money("weekly_earnings_net")
    benefit = fields.choice("cared_for_benefit", set(CARED_FOR_BENEFITS))
    education = fields.flag("full_time_education")
    state_pension = fields.flag("gets_state_pension")
    if fields.errors:
        return _bad_request(fields.errors)
    try:
        rates = rates_in_force(on)
    except RatesNotAvailable:
        return _bad_request({"tax_year": "We do not hold figures for that tax year"})
    answers = {
        "carer_age": age,
        "hours": hours,
        "earnings": earnings,
        "education": "yes" if education else "no",
        "cared_for_benefits": [CARED_FOR_BENEFITS[benefit]],
        "state_pension": "yes" if state_pension else "no",
    }
    advice = carers.advise(answers, rates)
    limit = rates.amount("carers_allowance_earnings_limit") if rates.has("carers_allowance_earnings_limit") else None
    reasons = carers.allowance_barriers(answers, age, hours, limit)
    if CARED_FOR_BENEFITS[benefit] == "none":
        reasons.append("no_qualifying_benefit")
    return jsonify(
        tax_year=tax_year_containing(on),
        likely_eligible=advice.carers_allowance == "likely",
        reasons=reasons,
        weekly_amount=str(rates.amount("carers_allowance_weekly")) if rates.has("carers_allowance_weekly") else None,
        earnings_limit=str(limit) if limit is not None else None,
        provisional=rates.provisional,
        rates_note=rates.note,
        # What the result page shows beside the verdict (added; the fields above are unchanged):
        earnings_headroom=_pounds(limit - earnings) if limit is not None and earnings <= limit else None,
        severe_disability_premium_warning=advice.has("severe_disability_premium_warning"),
        underlying_entitlement=advice.has("carers_allowance_overlap"),
        apply_url=CARERS_ALLOWANCE_APPLY_URL if advice.has("carers_allowance_likely") else None,
    )
