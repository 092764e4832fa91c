"""What an unpaid carer may be entitled to: the rules behind the carers guide, apart from the flow.

Sources: Care Act 2014 s.10 (carer's assessment: a duty wherever a carer may have support needs);
Children Act 1989 s.17ZA (young carer's needs assessment, under 18); GOV.UK "Carer's Allowance:
eligibility" (16 or over, 35 hours a week, earnings up to the weekly limit after deductions, not in
full-time education, the cared-for person gets a qualifying benefit: Attendance Allowance, PIP daily
living, DLA care at the middle or highest rate, Constant Attendance Allowance or Armed Forces Independence
Payment; it overlaps with the State Pension); GOV.UK "Carer's Credit" (16 to State Pension age, 20 hours a
week, not needed on top of Carer's Allowance, which gives the credits itself). Money figures come from the
rates data for the date asked about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from signpost.guides.rates import ChargingRates

CARERS_ALLOWANCE_HOURS = 35
CARERS_CREDIT_HOURS = 20
MINIMUM_CLAIM_AGE = 16
ADULT_AGE = 18
QUALIFYING_BENEFITS = frozenset(
    {
        # the guide's answers
        "attendance_allowance",
        "pip_daily_living",
        "dla_care_middle_or_highest",
        # the same benefits named with their rate (any rate of these qualifies, but not DLA care lowest)
        "attendance_allowance_lower",
        "attendance_allowance_higher",
        "pip_daily_living_standard",
        "pip_daily_living_enhanced",
        "dla_care_middle",
        "dla_care_highest",
        "constant_attendance_allowance",
        "armed_forces_independence_payment",
    }
)


@dataclass(frozen=True)
class Finding:
    """One thing that applies, as a key the page words, with the figures it needs."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CarerAdvice:
    findings: tuple[Finding, ...]
    young_carer: bool
    carers_allowance: str  # "likely", "unlikely", "check" (cared-for person may be missing a benefit)
    rates_tax_year: str
    rates_note: str
    rates_provisional: bool = False

    def has(self, key: str) -> bool:
        return any(f.key == key for f in self.findings)


def allowance_barriers(answers: Mapping[str, Any], age: int, hours: int, limit: Decimal | None) -> list[str]:
    """Why Carer's Allowance would not be paid, from what the carer told us (empty: no barrier found)."""
    reasons = []
    if age < MINIMUM_CLAIM_AGE:
        reasons.append("too_young")
    if hours < CARERS_ALLOWANCE_HOURS:
        reasons.append("hours")
    if answers.get("education") == "yes":
        reasons.append("education")
    earnings = answers.get("earnings")
    if earnings is not None and limit is not None and Decimal(earnings) > limit:
        reasons.append("earnings")
    return reasons


def _reached_state_pension_age(answers: Mapping[str, Any], age: int, rates: ChargingRates) -> bool:
    """Carer's Credit stops at State Pension age: the carer said they get the State Pension, or their age is
    at least the State Pension age in the rates data's rules (66)."""
    if answers.get("state_pension") == "yes":
        return True
    pension_age = rates.rules.get("state_pension_age_years")
    return pension_age is not None and age >= int(pension_age.amount)


def advise(answers: Mapping[str, Any], rates: ChargingRates) -> CarerAdvice:
    age = int(answers.get("carer_age", 0))
    hours = int(answers.get("hours", 0))
    benefits = set(answers.get("cared_for_benefits", []))
    affected = set(answers.get("wellbeing", [])) - {"none"}
    findings: list[Finding] = []
    young = age < ADULT_AGE

    if young:
        findings.append(Finding("young_carers_assessment"))
    else:
        findings.append(Finding("carers_assessment", {"urgent": bool(affected)}))

    allowance = "unlikely"
    limit = rates.amount("carers_allowance_earnings_limit") if rates.has("carers_allowance_earnings_limit") else None
    reasons = allowance_barriers(answers, age, hours, limit)
    qualifying = bool(benefits & QUALIFYING_BENEFITS)
    if not reasons:
        if qualifying:
            allowance = "likely"
            params: dict[str, Any] = {}
            if rates.has("carers_allowance_weekly"):
                params["weekly"] = rates.amount("carers_allowance_weekly")
            earnings = answers.get("earnings")
            if limit is not None and earnings is not None:
                params |= {"limit": limit, "earnings": Decimal(earnings), "headroom": limit - Decimal(earnings)}
            findings.append(Finding("carers_allowance_likely", params))
            # Claiming can stop the cared-for person's severe disability premium or addition (GOV.UK "Carer's
            # Allowance: effect on other benefits"), so the result says so before anyone claims.
            findings.append(Finding("severe_disability_premium_warning"))
            if answers.get("state_pension") == "yes":
                findings.append(Finding("carers_allowance_overlap"))
        else:
            allowance = "check"
            findings.append(Finding("cared_for_benefit_check"))
    else:
        findings.append(Finding("carers_allowance_unlikely", {"reasons": tuple(reasons), "limit": limit}))

    if (
        hours >= CARERS_CREDIT_HOURS
        and age >= MINIMUM_CLAIM_AGE
        and not _reached_state_pension_age(answers, age, rates)
        and allowance != "likely"
    ):
        findings.append(Finding("carers_credit"))
    if answers.get("breaks") == "yes" or "time_for_myself" in affected:
        findings.append(Finding("breaks"))
    findings.append(Finding("emergency_plan"))
    if affected & {"health", "sleep", "mood"}:
        findings.append(Finding("own_health"))
    if "work" in affected:
        findings.append(Finding("work"))
    return CarerAdvice(tuple(findings), young, allowance, rates.tax_year, rates.note, rates.provisional)
