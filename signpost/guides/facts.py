"""The one way a resident's facts become the charging calculator's input.

The paying-for-care pages and `POST /api/v1/paying-for-care/estimate` collect the same facts in two shapes
(answers to questions; a JSON body). Each turns them into :class:`CareFacts`, and only :func:`situation`
turns those into a :class:`~signpost.guides.charging.FinancialSituation`, so the two can never disagree
about what a fact means. Plain Python: no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from signpost.guides import charging
from signpost.guides.charging import BenefitRate, CareSetting, FinancialSituation, IncomeItem, IncomeKind
from signpost.guides.rates import ChargingRates, MissingFigure, rates_for

ZERO = Decimal("0")
WEEKS_IN_A_YEAR = 52

# The award level of a care benefit, read from its weekly amount (as a council reads an award letter):
# the highest level whose official amount the award reaches.
RATE_LEVELS: dict[IncomeKind, tuple[tuple[str, BenefitRate], ...]] = {
    IncomeKind.ATTENDANCE_ALLOWANCE: (("attendance_allowance_higher", BenefitRate.HIGHER),),
    IncomeKind.PIP_DAILY_LIVING: (("pip_daily_living_enhanced", BenefitRate.ENHANCED),),
    IncomeKind.DLA_CARE: (("dla_care_highest", BenefitRate.HIGHEST), ("dla_care_middle", BenefitRate.MIDDLE)),
}
LOWEST_LEVEL = {
    IncomeKind.ATTENDANCE_ALLOWANCE: BenefitRate.LOWER,
    IncomeKind.PIP_DAILY_LIVING: BenefitRate.STANDARD,
    IncomeKind.DLA_CARE: BenefitRate.LOWEST,
}


@dataclass(frozen=True)
class Income:
    """One weekly income as the resident gives it; ``rate`` when they told us the award level."""

    kind: IncomeKind
    weekly: Decimal
    rate: BenefitRate | None = None


@dataclass(frozen=True)
class CareFacts:
    """What the resident tells us, in either front end's words. Money in pounds; weekly where it says so."""

    setting: CareSetting
    age: int
    weekly_care_cost: Decimal
    over_pension_age: bool | None = None
    couple: bool = False
    savings_own: Decimal = ZERO
    savings_joint: Decimal = ZERO
    other_property: Decimal = ZERO
    other_property_debts: Decimal = ZERO
    owns_home: bool = False
    home_value: Decimal = ZERO
    home_occupied_by_qualifying_relative: bool = False
    first_12_weeks_of_permanent_care: bool = False
    relative_left_in_last_12_weeks: bool = False
    home_debts: Decimal = ZERO
    pays_half_pension_to_partner: bool = False
    third_party_top_up_weekly: Decimal = ZERO
    income: tuple[Income, ...] = ()
    housing_costs_weekly: Decimal = ZERO
    disability_related_expenditure_weekly: Decimal = ZERO
    receives_night_care: bool = False
    dependent_children: int = 0
    gets_carers_allowance: bool = False


class CannotEstimate(Exception):
    """No figure can stand in for one the rules need (no tax year holds it): say so and who to call."""

    def __init__(self, figure: str) -> None:
        super().__init__(figure)
        self.figure = figure


def benefit_rate(kind: IncomeKind, weekly: Decimal, rates: ChargingRates) -> BenefitRate | None:
    """The award level of a care benefit from its weekly amount; ``None`` for other kinds of income."""
    levels = RATE_LEVELS.get(kind)
    if levels is None:
        return None
    for key, level in levels:
        if rates.has(key) and weekly >= rates.amount(key):
            return level
    return LOWEST_LEVEL[kind]


def situation(facts: CareFacts, rates: ChargingRates) -> FinancialSituation:
    """The calculator's input for these facts with these rates (award levels read from amounts when not given)."""
    income = tuple(
        IncomeItem(item.kind, item.weekly, item.rate or benefit_rate(item.kind, item.weekly, rates))
        for item in facts.income
        if item.weekly
    )
    return FinancialSituation(
        care_setting=facts.setting,
        age=facts.age,
        weekly_care_cost=facts.weekly_care_cost,
        has_partner=facts.couple,
        over_pension_age=facts.over_pension_age,
        savings_own=facts.savings_own,
        savings_joint=facts.savings_joint,
        other_property_value=facts.other_property,
        other_property_debts=facts.other_property_debts,
        owns_home=facts.owns_home,
        home_value=facts.home_value if facts.owns_home else ZERO,
        home_occupied_by_qualifying_relative=facts.home_occupied_by_qualifying_relative,
        in_first_12_weeks_of_permanent_care=facts.first_12_weeks_of_permanent_care,
        qualifying_relative_left_in_last_12_weeks=facts.relative_left_in_last_12_weeks,
        home_debts=facts.home_debts if facts.owns_home else ZERO,
        pays_half_pension_to_partner=facts.pays_half_pension_to_partner,
        third_party_top_up_weekly=facts.third_party_top_up_weekly,
        weekly_income=income,
        housing_costs_weekly=facts.housing_costs_weekly,
        disability_related_expenditure_weekly=facts.disability_related_expenditure_weekly,
        receives_night_care=facts.receives_night_care,
        dependent_children=facts.dependent_children,
        gets_carers_allowance=facts.gets_carers_allowance,
    )


def estimate(
    facts: CareFacts,
    on: date | None = None,
    rates: ChargingRates | None = None,
    policy: charging.CouncilPolicy | None = None,
) -> charging.Estimate:
    """The estimate for these facts: the same call for the pages and the API.

    Raises :class:`CannotEstimate` when a figure the rules need is held for no year at all."""
    rates = rates or rates_for(on or date.today())
    try:
        return charging.estimate(situation(facts, rates), rates=rates, policy=policy)
    except MissingFigure as missing:
        raise CannotEstimate(str(missing.args[0])) from None


def yearly(weekly: Decimal | None) -> Decimal | None:
    """A weekly amount over a year of 52 weeks, as councils quote it."""
    return None if weekly is None else charging.money(weekly * WEEKS_IN_A_YEAR)
