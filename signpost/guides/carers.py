"""What an unpaid carer may be entitled to: the rules behind the carers guide, apart from the flow.

Sources: Care Act 2014 s.10 (carer's assessment: a duty wherever a carer may have support needs);
GOV.UK "Carer's Allowance: eligibility" (16 or over, 35 hours a week, earnings limit, not in
full-time education, the cared-for person gets a qualifying benefit); GOV.UK "Carer's Credit"
(20 hours a week). Money figures come from the rates data for the date asked about.
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
QUALIFYING_BENEFITS = frozenset({"attendance_allowance", "pip_daily_living", "dla_care_middle_or_highest"})


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
            findings.append(Finding("carers_allowance_likely", params))
            if answers.get("state_pension") == "yes":
                findings.append(Finding("carers_allowance_overlap"))
        else:
            allowance = "check"
            findings.append(Finding("cared_for_benefit_check"))
    else:
        findings.append(Finding("carers_allowance_unlikely", {"reasons": tuple(reasons), "limit": limit}))

    if hours >= CARERS_CREDIT_HOURS and age >= MINIMUM_CLAIM_AGE and allowance != "likely":
        findings.append(Finding("carers_credit"))
    if answers.get("breaks") == "yes" or "time_for_myself" in affected:
        findings.append(Finding("breaks"))
    findings.append(Finding("emergency_plan"))
    if affected & {"health", "sleep", "mood"}:
        findings.append(Finding("own_health"))
    if "work" in affected:
        findings.append(Finding("work"))
    return CarerAdvice(tuple(findings), young, allowance, rates.tax_year, rates.note)
