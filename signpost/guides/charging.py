"""Estimate what an adult in England might pay towards council-arranged care (Care Act 2014 charging).

Pure Python and Flask-free, in the GOV.UK Smart Answers style: the web flow collects a
:class:`FinancialSituation`, :func:`estimate` returns an :class:`Estimate` whose ``steps`` explain each rule
as a machine key plus parameters for the web layer to translate. Figures come from
``signpost.guides.rates`` by date, each with its source; nothing here hard-codes an amount.

The rules (Care and Support (Charging and Assessment of Resources) Regulations 2014, SI 2014/2672; Care and
Support Statutory Guidance ch. 8 and Annexes B and C; DHSC annual local authority circular
"Social care - charging for care and support"; research note shared/reference/charging-and-carers.md):

Capital
  Only the person's own capital counts, not a partner's. Money held jointly with one other person counts as
  half each (reg 24). Property other than the main home counts. For care at home the home the person lives
  in is always ignored (Hertfordshire "Paying for your care costs"). For a permanent care-home resident it is
  ignored while a qualifying relative lives there (partner or former partner, a relative aged 60 or over or
  incapacitated, or a child under 18) and for the first 12 weeks of permanent care (Sch 2 paras 2 and 4).
  Capital above the upper limit (£23,250) means paying the full cost: the person is likely to be
  self-funding. Between the lower (£14,250) and upper limits, tariff income of £1 a week for every £250, or
  part of £250, above the lower limit is added to income (reg 25). Below the lower limit capital is ignored.

Income
  Mobility components of DLA and PIP are always ignored (Sch 1 para 8); earnings are ignored (reg 14; the
  research note confirms this for care at home, and it is applied in care homes too). A
  care-home resident with a partner at home who passes half of an occupational or private pension to them
  has that half ignored. Other income, including Attendance Allowance, DLA care and PIP daily living, is
  counted. Where the council provides no night-time care, some councils ignore the night-care part of the
  top rates (the difference between the higher and lower rate of Attendance Allowance, the highest and
  middle rate of DLA care, or the enhanced and standard rate of PIP daily living). That is a council choice,
  :class:`CouncilPolicy` ``ignore_night_care_element``; by default it follows the council's setting in the
  rates data, and Hertfordshire's current position is not confirmed, so it is not applied (a step says so).

Allowances and the charge
  Care at home: the person keeps the minimum income guarantee (MIG, reg 7: an amount by age band, plus the
  disability and enhanced disability premiums below Pension Credit age), their housing costs and their
  disability-related expenditure (DRE; Hertfordshire assesses each cost individually). Care home: the
  person keeps the personal expenses allowance (PEA, reg 6). The weekly contribution is what is left (by
  default all of it: 100% of disposable income; a council profile may set a lower percentage), never below
  zero and never above the weekly cost of care; the council pays the rest. Up to a set weekly amount of the
  savings part of Pension Credit (Savings Credit) is ignored (Sch 1; £6.95 single in 2024-25) when the
  person tells us how much of their Pension Credit it is.

Not estimated (the result says a full assessment is needed): couples, lone parents and people with
dependent children at home, and people who get Carer's Allowance themselves, because the couple, child and
carer-premium amounts for the current year are not confirmed from the circular (a couple whose own capital,
with half of what they hold jointly, is over the upper limit still gets the self-funding answer). Property counts
at its price less 10% of that price for the costs of selling and less any debt on it (10% of the price, not of what
is left after the debt). Temporary care-home stays are out of scope.

Care homes, by phase: in the first 12 weeks (or 12 weeks after a qualifying relative leaves) the home is ignored;
care benefits stop after 28 days while the council pays; from week 13 the home counts, and a resident it makes
self-funding gets those benefits back (Wirral Council's description), so ``from_week_13`` counts them again.

Figures: each one used is listed in ``Estimate.figures_used`` with its tax year, status (P primary, S
secondary quoting the official figure) and source. When a figure is not confirmed for the tax year asked
about, the latest earlier confirmed one is used and the estimate is ``provisional``, with ``rates_note``
saying which year's figures are in use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from signpost.guides.rates import ALL_YEARS, ChargingRates, Figure, describe_rates, rates_for

PENNY = Decimal("0.01")
ZERO = Decimal("0")
# Property is valued at what it would sell for less 10% for the costs of selling and less any debt secured on
# it (Care and Support Statutory Guidance, Annex B; research note charging-figures-2025-27.md).
SALE_COSTS = Decimal("0.10")
# Interest over the first year of a deferred payment agreement, deferring the same amount each week and adding
# simple interest weekly: the amount deferred in week k earns interest for the 52 - k weeks left, which adds up
# to 25.5 years' worth of one week's amount (0 + 1 + ... + 51 = 1,326 weeks, over 52). Councils compound daily,
# monthly or quarterly, so the real figure is a little higher; the page says "about".
FIRST_YEAR_INTEREST_YEARS = Decimal("25.5")
WEEKS_IN_A_YEAR = 52


class CareSetting(StrEnum):
    HOME = "home"  # care at home or elsewhere in the community (not a care home)
    CARE_HOME = "care_home"  # permanent resident of a care home


class IncomeKind(StrEnum):
    STATE_PENSION = "state_pension"
    PRIVATE_PENSION = "private_pension"  # occupational or personal pension
    PENSION_CREDIT = "pension_credit"
    SAVINGS_CREDIT = "savings_credit"  # the savings part of Pension Credit, when the person knows it
    ATTENDANCE_ALLOWANCE = "attendance_allowance"
    DLA_CARE = "dla_care"
    DLA_MOBILITY = "dla_mobility"
    PIP_DAILY_LIVING = "pip_daily_living"
    PIP_MOBILITY = "pip_mobility"
    UNIVERSAL_CREDIT = "universal_credit"
    ESA = "esa"
    CARERS_ALLOWANCE = "carers_allowance"
    EARNINGS = "earnings"
    OTHER = "other"


class BenefitRate(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"
    LOWEST = "lowest"
    MIDDLE = "middle"
    HIGHEST = "highest"
    STANDARD = "standard"
    ENHANCED = "enhanced"


RATES_BY_KIND: Mapping[IncomeKind, frozenset[BenefitRate]] = {
    IncomeKind.ATTENDANCE_ALLOWANCE: frozenset({BenefitRate.LOWER, BenefitRate.HIGHER}),
    IncomeKind.DLA_CARE: frozenset({BenefitRate.LOWEST, BenefitRate.MIDDLE, BenefitRate.HIGHEST}),
    IncomeKind.DLA_MOBILITY: frozenset({BenefitRate.LOWER, BenefitRate.HIGHER}),
    IncomeKind.PIP_DAILY_LIVING: frozenset({BenefitRate.STANDARD, BenefitRate.ENHANCED}),
    IncomeKind.PIP_MOBILITY: frozenset({BenefitRate.STANDARD, BenefitRate.ENHANCED}),
}
MOBILITY_KINDS = frozenset({IncomeKind.DLA_MOBILITY, IncomeKind.PIP_MOBILITY})
CARE_KINDS = frozenset({IncomeKind.ATTENDANCE_ALLOWANCE, IncomeKind.DLA_CARE, IncomeKind.PIP_DAILY_LIVING})
DISABILITY_KINDS = CARE_KINDS | MOBILITY_KINDS
# The top rate of each care benefit, which covers day and night needs.
NIGHT_RATES = frozenset(
    {
        (IncomeKind.ATTENDANCE_ALLOWANCE, BenefitRate.HIGHER),
        (IncomeKind.DLA_CARE, BenefitRate.HIGHEST),
        (IncomeKind.PIP_DAILY_LIVING, BenefitRate.ENHANCED),
    }
)
# The rate figures whose difference is the night-care element of each top rate: (top rate, the rate below it).
NIGHT_CARE_FIGURES: Mapping[IncomeKind, tuple[str, str]] = {
    IncomeKind.ATTENDANCE_ALLOWANCE: ("attendance_allowance_higher", "attendance_allowance_lower"),
    IncomeKind.DLA_CARE: ("dla_care_highest", "dla_care_middle"),
    IncomeKind.PIP_DAILY_LIVING: ("pip_daily_living_enhanced", "pip_daily_living_standard"),
}
ENHANCED_PREMIUM_RATES = frozenset(
    {(IncomeKind.DLA_CARE, BenefitRate.HIGHEST), (IncomeKind.PIP_DAILY_LIVING, BenefitRate.ENHANCED)}
)

PERIOD_WEEKS: Mapping[str, Decimal] = {
    "week": Decimal(1),
    "fortnight": Decimal(2),
    "four_weeks": Decimal(4),
    "month": Decimal(52) / Decimal(12),
    "year": Decimal(52),
}


def money(amount: Decimal) -> Decimal:
    """Round to pennies, halves up."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def weekly_amount(amount: Decimal, period: str) -> Decimal:
    """Convert an amount paid every ``period`` (week, fortnight, four_weeks, month, year) to a weekly amount.

    Not rounded: the calculator rounds once, at the end."""
    if period not in PERIOD_WEEKS:
        raise ValueError(f"unknown period {period!r}; use one of {', '.join(PERIOD_WEEKS)}")
    return _amount(amount, "amount") / PERIOD_WEEKS[period]


def tariff_income(
    capital: Decimal, lower_limit: Decimal, upper_limit: Decimal, step: Decimal, per_step: Decimal
) -> Decimal:
    """Weekly tariff income: ``per_step`` for every ``step`` pounds, or part of it, above the lower limit.

    Nothing at or below the lower limit. Above the upper limit the person pays the full cost, so tariff
    income does not apply and this raises ``ValueError``."""
    if capital > upper_limit:
        raise ValueError("capital is above the upper limit: the person pays the full cost")
    if capital <= lower_limit:
        return ZERO
    steps = ((capital - lower_limit) / step).to_integral_value(rounding=ROUND_CEILING)
    return steps * per_step


@dataclass(frozen=True)
class IncomeItem:
    """One weekly income. ``rate`` is the award level for disability benefits, when known."""

    kind: IncomeKind
    weekly: Decimal
    rate: BenefitRate | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", IncomeKind(self.kind))
        object.__setattr__(self, "weekly", _amount(self.weekly, f"{self.kind} weekly"))
        if self.rate is not None:
            rate = BenefitRate(self.rate)
            if rate not in RATES_BY_KIND.get(self.kind, frozenset()):
                raise ValueError(f"{rate} is not a rate of {self.kind}")
            object.__setattr__(self, "rate", rate)


@dataclass(frozen=True)
class FinancialSituation:
    """What the person tells us. Money is in pounds (``Decimal``); weekly amounts are per week.

    ``savings_joint`` is the whole balance of money held jointly with one other person (half counts).
    ``home_value`` is what the person's share of their main home would sell for, less any mortgage or loan
    secured on it (``home_debts``: that mortgage or loan, so the 10% costs of sale come off the whole price).
    ``other_property_value`` and ``other_property_debts`` are the same for other property or land: its value less
    what is owed on it, and what is owed (capital is valued at its price less 10% of that price where selling would
    cost something, less any debt secured on it: Care and Support Statutory Guidance Annex B; DWP's guide to
    Pension Credit, 'How we work out capital assets', applies the same rule).
    ``qualifying_relative_left_in_last_12_weeks``: a partner or qualifying relative who lived there moved out or
    died in the last 12 weeks, so the home is ignored for 12 weeks from then. ``third_party_top_up_weekly``: what
    a relative or friend pays on top of the council's rate for a dearer care home (not the resident's money).
    ``home_occupied_by_qualifying_relative``: a partner or former partner (not estranged), a
    relative aged 60 or over or incapacitated, or a child under 18 lives there. ``over_pension_age``: has
    the person reached State Pension (Pension Credit qualifying) age; when ``None`` it is assumed from
    ``age``. ``housing_costs_weekly``: rent, mortgage and council tax net of Housing Benefit and Council
    Tax Reduction (care at home only). ``receives_night_care``: the council's care plan includes care at night
    (matters only where the council ignores the night-care element of the top disability-benefit rates).
    """

    care_setting: CareSetting
    age: int
    weekly_care_cost: Decimal
    has_partner: bool = False
    dependent_children: int = 0
    over_pension_age: bool | None = None
    savings_own: Decimal = ZERO
    savings_joint: Decimal = ZERO
    other_property_value: Decimal = ZERO
    other_property_debts: Decimal = ZERO
    owns_home: bool = False
    home_value: Decimal = ZERO
    home_occupied_by_qualifying_relative: bool = False
    in_first_12_weeks_of_permanent_care: bool = False
    qualifying_relative_left_in_last_12_weeks: bool = False
    home_debts: Decimal = ZERO
    third_party_top_up_weekly: Decimal = ZERO
    weekly_income: tuple[IncomeItem, ...] = ()
    pays_half_pension_to_partner: bool = False
    housing_costs_weekly: Decimal = ZERO
    disability_related_expenditure_weekly: Decimal = ZERO
    receives_night_care: bool = False
    gets_carers_allowance: bool = False
    """The person gets Carer's Allowance themselves (the carer premium would apply), whether or not an amount is
    given in ``weekly_income``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "care_setting", CareSetting(self.care_setting))
        if isinstance(self.age, bool) or not isinstance(self.age, int) or self.age < 18:
            raise ValueError("age must be a whole number of years, 18 or over (adult social care)")
        if self.dependent_children < 0:
            raise ValueError("dependent_children cannot be negative")
        for name in (
            "weekly_care_cost",
            "savings_own",
            "savings_joint",
            "other_property_value",
            "other_property_debts",
            "home_value",
            "home_debts",
            "third_party_top_up_weekly",
            "housing_costs_weekly",
            "disability_related_expenditure_weekly",
        ):
            object.__setattr__(self, name, _amount(getattr(self, name), name))
        object.__setattr__(self, "weekly_income", tuple(self.weekly_income))


@dataclass(frozen=True)
class CouncilPolicy:
    """A council's local charging choices, overriding its settings in the rates data.

    ``ignore_night_care_element``: for care at home, ignore the night-care part of the top rate of Attendance
    Allowance, DLA care or PIP daily living when the council provides no care at night (the practice going
    back to *R (Carton) v Coventry CC* (2001); Knowsley does this). ``None`` follows the council's
    ``night_care_element`` setting, which applies only when it is confirmed as ``true``; Hertfordshire's is not
    confirmed, so by default the element is counted."""

    ignore_night_care_element: bool | None = None


@dataclass(frozen=True)
class Step:
    """One explanation step: a machine ``key`` and its parameters (amounts are ``Decimal`` pounds)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """An amount that was counted, ignored or allowed, with the reason's key when there is one."""

    key: str
    amount: Decimal
    reason: str | None = None


@dataclass
class Estimate:
    """The result. ``weekly_contribution`` and ``council_pays_weekly`` are ``None`` only when
    ``estimate_available`` is false (see ``full_assessment_reasons``)."""

    tax_year: str
    provisional: bool
    rates_note: str
    figures_used: dict[str, Figure]
    care_setting: CareSetting
    weekly_care_cost: Decimal
    estimate_available: bool
    weekly_contribution: Decimal | None
    council_pays_weekly: Decimal | None
    self_funding: bool
    capital_counted: Decimal
    capital_counted_items: list[Item]
    capital_disregarded: list[Item]
    tariff_income_weekly: Decimal
    income_counted: list[Item]
    income_counted_total: Decimal
    income_disregarded: list[Item]
    allowances: list[Item]
    allowances_total: Decimal
    disposable_income_weekly: Decimal | None
    deferred_payment_may_apply: bool
    benefits_to_check: list[str]
    full_assessment_reasons: list[str]
    steps: list[Step]
    deferred_weekly: Decimal | None = None
    """With a deferred payment agreement, what the council would pay and add to the loan each week (before
    interest): the fee less what the person pays from income above the disposable income allowance."""
    top_up_weekly: Decimal = ZERO
    """A third party's top-up for a dearer care home: paid on top, not from the resident's income."""
    flat_charges: list[Item] = field(default_factory=list)
    """Flat weekly charges outside the assessment (on top of ``weekly_contribution``)."""
    deferred_interest_rate: Decimal | None = None
    """With ``deferred_weekly``: the national maximum interest rate in force (percent a year), when held."""
    deferred_first_year: Decimal | None = None
    """What would be added to the loan over the first 52 weeks, before interest."""
    deferred_interest_first_year: Decimal | None = None
    """About how much interest that would add in the first year (at most; see ``FIRST_YEAR_INTEREST_YEARS``)."""
    deferred_equity_limit: Decimal | None = None
    """The most that could be deferred: the home's price less 10% and any debt on it, less the lower capital
    limit (statutory guidance ch. 9; North Northamptonshire's worked example)."""
    from_week_13: Estimate | None = None
    """For a care-home resident whose home is ignored only for the first 12 weeks: the estimate once it counts."""

    def step(self, key: str) -> Step | None:
        """The first step with this key, if any."""
        return next((step for step in self.steps if step.key == key), None)

    def step_keys(self) -> list[str]:
        return [step.key for step in self.steps]


def _amount(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal (or int) amount of pounds, not {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{name} cannot be negative")
    return amount


class _Work:
    """Collects steps and the figures used while one estimate is worked out."""

    def __init__(self, rates: ChargingRates, night_care_kinds: frozenset[IncomeKind] = frozenset()) -> None:
        self.rates = rates
        self.night_care_kinds = night_care_kinds
        self.steps: list[Step] = []
        self.used: dict[str, Figure] = {}

    def add(self, key: str, **params: Any) -> None:
        self.steps.append(Step(key, {name: _shown(value) for name, value in params.items()}))

    def use(self, key: str) -> Decimal:
        figure = self.rates.figure(key)
        self.used[key] = figure
        return figure.amount


def _shown(value: Any) -> Any:
    return money(value) if isinstance(value, Decimal) else value


def _total(items: Iterable[Item]) -> Decimal:
    return sum((item.amount for item in items), ZERO)


@dataclass
class _Capital:
    counted: list[Item]
    disregarded: list[Item]
    total: Decimal
    non_home: Decimal
    home_counts_later: bool  # the home is ignored only because of the first 12 weeks


def _assess_capital(s: FinancialSituation, work: _Work) -> _Capital:
    counted: list[Item] = []
    disregarded: list[Item] = []
    if s.savings_own:
        counted.append(Item("savings_own", s.savings_own))
    if s.savings_joint:
        share = s.savings_joint / 2
        counted.append(Item("savings_joint_share", share, "joint_savings_split"))
        disregarded.append(Item("savings_joint_other_half", s.savings_joint - share, "joint_savings_split"))
        work.add("joint_savings_split", joint_total=s.savings_joint, share=share)
    if s.other_property_value or s.other_property_debts:
        # 10% of what it would sell for, then what is owed on it (the same rule as for the home).
        price = s.other_property_value + s.other_property_debts
        sale_costs = price * SALE_COSTS
        share = max(s.other_property_value - sale_costs, ZERO)
        counted.append(Item("other_property", share))
        if s.other_property_debts:
            work.add(
                "other_property_counted_less_debts",
                price=price,
                sale_costs=sale_costs,
                debts=s.other_property_debts,
                counted=share,
            )
        else:
            work.add("other_property_counted", value=price, sale_costs=sale_costs, counted=share)
    non_home = _total(counted)
    home_counts_later = False
    home_counted = s.home_value - (s.home_value + s.home_debts) * SALE_COSTS
    if s.owns_home and s.home_value:
        if s.care_setting is CareSetting.HOME:
            disregarded.append(Item("main_home", s.home_value, "care_at_home"))
            work.add("home_disregarded_care_at_home", value=s.home_value)
        elif s.home_occupied_by_qualifying_relative:
            disregarded.append(Item("main_home", s.home_value, "qualifying_relative"))
            work.add("home_disregarded_qualifying_relative", value=s.home_value)
        elif s.in_first_12_weeks_of_permanent_care or s.qualifying_relative_left_in_last_12_weeks:
            home_counts_later = True
            reason = "first_12_weeks" if s.in_first_12_weeks_of_permanent_care else "qualifying_relative_left"
            disregarded.append(Item("main_home", s.home_value, reason))
            upper = work.use("upper_capital_limit")
            after = non_home + max(home_counted, ZERO)
            work.add(
                "home_disregarded_first_12_weeks" if reason == "first_12_weeks" else "home_disregarded_relative_left",
                value=s.home_value,
                capital_after_12_weeks=after,
                self_funding_after_12_weeks=after > upper,
            )
        else:
            counted.append(Item("main_home", max(home_counted, ZERO)))
            work.add(
                "home_counted",
                value=s.home_value,
                sale_costs=(s.home_value + s.home_debts) * SALE_COSTS,
                counted=max(home_counted, ZERO),
            )
    total = _total(counted)
    work.add("capital_total", capital=total)
    return _Capital(counted, disregarded, total, non_home, home_counts_later)


def _deferred_payment_may_apply(s: FinancialSituation, capital: _Capital, upper: Decimal) -> bool:
    """A care-home resident whose home counts (now or after the 12 weeks) and whose other capital is at or
    below the upper limit may be offered a deferred payment agreement (statutory guidance ch. 9)."""
    return (
        s.care_setting is CareSetting.CARE_HOME
        and s.owns_home
        and s.home_value > 0
        and not s.home_occupied_by_qualifying_relative
        and capital.non_home <= upper
    )


@dataclass
class _Deferred:
    weekly: Decimal
    interest_rate: Decimal | None
    first_year: Decimal
    interest_first_year: Decimal | None
    equity_limit: Decimal


def _deferred_each_week(s: FinancialSituation, income: Decimal, work: _Work) -> _Deferred:
    """A self-funder whose home is what puts them over the limit, with a deferred payment agreement: they pay
    from income what is above the disposable income allowance (up to £144 a week, statutory guidance ch. 9), and
    the council pays the rest of the fee, added to what is owed and repaid from the home later. The loan can grow
    to the equity limit (the home's price less 10% and any debt secured on it, less the lower capital limit), and
    interest at up to the national maximum rate for the period (reset each 1 January and 1 July) is added."""
    allowance = work.rates.rules["deferred_payment_disposable_income_allowance"]
    work.used[allowance.key] = allowance
    from_income = min(max(income - allowance.amount, ZERO), s.weekly_care_cost)
    deferred = s.weekly_care_cost - from_income
    work.add(
        "deferred_payment_each_week",
        allowance=allowance.amount,
        from_income=from_income,
        deferred=deferred,
        care_cost=s.weekly_care_cost,
    )
    lower = work.use("lower_capital_limit")
    equity_limit = max(s.home_value - (s.home_value + s.home_debts) * SALE_COSTS - lower, ZERO)
    work.add(
        "deferred_payment_equity_limit",
        price=s.home_value + s.home_debts,
        sale_costs=(s.home_value + s.home_debts) * SALE_COSTS,
        debts=s.home_debts,
        lower_limit=lower,
        equity_limit=equity_limit,
    )
    first_year = money(deferred) * WEEKS_IN_A_YEAR
    rate = work.rates.deferred_interest
    interest = None
    if rate is None:
        work.add("deferred_payment_interest_not_held", first_year=first_year)
    else:
        work.used[rate.key] = rate
        interest = money(money(deferred) * rate.amount / 100 * FIRST_YEAR_INTEREST_YEARS)
        work.add(
            "deferred_payment_interest",
            rate=f"{rate.amount.normalize():f}",
            first_year=first_year,
            interest=interest,
        )
    return _Deferred(
        money(deferred), None if rate is None else rate.amount, money(first_year), interest, money(equity_limit)
    )


def _night_care_kinds(policy: CouncilPolicy | None, rates: ChargingRates) -> frozenset[IncomeKind]:
    """The care benefits whose night-care element the council ignores: a policy's yes or no covers all three;
    otherwise the council profile's ``night_care_element`` (``true`` for all, or a list of benefit kinds)."""
    if policy is not None and policy.ignore_night_care_element is not None:
        return CARE_KINDS if policy.ignore_night_care_element else frozenset()
    setting = rates.council_setting("night_care_element")
    if setting is None or not setting.value:
        return frozenset()
    if setting.value is True:
        return CARE_KINDS
    return frozenset(IncomeKind(kind) for kind in setting.value) & CARE_KINDS


def _night_care_element(item: IncomeItem, work: _Work) -> Decimal:
    """The night-care part of a top-rate award: the top rate less the rate below it, at most the award."""
    top, below = NIGHT_CARE_FIGURES[item.kind]
    return min(item.weekly, max(work.use(top) - work.use(below), ZERO))


def _split_night_care(
    s: FinancialSituation, item: IncomeItem, work: _Work, counted: list[Item], disregarded: list[Item]
) -> bool:
    """Ignore the night-care element of a top-rate award when the council's policy says so and no night care is
    provided. Returns whether the item was dealt with here."""
    if not (
        item.kind in work.night_care_kinds
        and s.care_setting is CareSetting.HOME
        and not s.receives_night_care
        and (item.kind, item.rate) in NIGHT_RATES
    ):
        return False
    element = _night_care_element(item, work)
    counted.append(Item(item.kind, item.weekly - element))
    disregarded.append(Item(item.kind, element, "night_care_element"))
    work.add("night_care_element_disregarded", kind=item.kind, weekly=element)
    work.add("income_counted", kind=item.kind, weekly=item.weekly - element)
    return True


def _assess_income(s: FinancialSituation, work: _Work) -> tuple[list[Item], list[Item]]:
    counted: list[Item] = []
    disregarded: list[Item] = []
    for item in s.weekly_income:
        if _split_night_care(s, item, work, counted, disregarded):
            continue
        if item.kind in MOBILITY_KINDS:
            disregarded.append(Item(item.kind, item.weekly, "mobility_component"))
            work.add("income_disregarded", kind=item.kind, weekly=item.weekly, reason="mobility_component")
        elif item.kind is IncomeKind.SAVINGS_CREDIT:
            ignored = min(item.weekly, work.use("savings_credit_disregard_single"))
            disregarded.append(Item(item.kind, ignored, "savings_credit_disregard"))
            work.add("income_disregarded", kind=item.kind, weekly=ignored, reason="savings_credit_disregard")
            if item.weekly > ignored:
                counted.append(Item(item.kind, item.weekly - ignored))
                work.add("income_counted", kind=item.kind, weekly=item.weekly - ignored)
        elif item.kind is IncomeKind.EARNINGS:
            disregarded.append(Item(item.kind, item.weekly, "earnings"))
            work.add("income_disregarded", kind=item.kind, weekly=item.weekly, reason="earnings")
        elif (
            item.kind is IncomeKind.PRIVATE_PENSION
            and s.care_setting is CareSetting.CARE_HOME
            and s.has_partner
            and s.pays_half_pension_to_partner
        ):
            half = item.weekly / 2
            counted.append(Item(item.kind, item.weekly - half))
            disregarded.append(Item(item.kind, half, "half_pension_to_partner"))
            work.add("income_disregarded", kind=item.kind, weekly=half, reason="half_pension_to_partner")
            work.add("income_counted", kind=item.kind, weekly=item.weekly - half)
        else:
            counted.append(Item(item.kind, item.weekly))
            work.add("income_counted", kind=item.kind, weekly=item.weekly)
    _income_caveats(s, work)
    return counted, disregarded


def _income_caveats(s: FinancialSituation, work: _Work) -> None:
    kinds = {item.kind for item in s.weekly_income}
    if s.care_setting is CareSetting.HOME:
        for item in s.weekly_income:
            if (item.kind, item.rate) not in NIGHT_RATES:
                continue
            if item.kind not in work.night_care_kinds:
                work.add("night_care_element_counted", kind=item.kind, weekly=item.weekly)
            elif s.receives_night_care:
                work.add("night_care_element_counted_night_care_provided", kind=item.kind, weekly=item.weekly)
    if IncomeKind.PENSION_CREDIT in kinds and IncomeKind.SAVINGS_CREDIT not in kinds:
        work.add("savings_credit_disregard_not_applied")


def _over_pension_age(s: FinancialSituation, rates: ChargingRates, work: _Work) -> bool:
    if s.over_pension_age is not None:
        return s.over_pension_age
    assumed = rates.rules["state_pension_age_years"]
    work.used[assumed.key] = assumed
    reached = s.age >= int(assumed.amount)
    work.add("pension_age_assumed", age=s.age, pension_age=int(assumed.amount), reached=reached)
    return reached


def _full_assessment_reasons(s: FinancialSituation) -> list[str]:
    if s.care_setting is not CareSetting.HOME:
        return []
    reasons = []
    if s.has_partner:
        reasons.append("couple_allowance_not_confirmed")
    if s.dependent_children:
        reasons.append("dependent_child_allowance_not_confirmed")
    if s.gets_carers_allowance or any(item.kind is IncomeKind.CARERS_ALLOWANCE for item in s.weekly_income):
        reasons.append("carer_premium_not_confirmed")
    return reasons


def _home_allowances(s: FinancialSituation, pension_age: bool, work: _Work) -> list[Item]:
    if pension_age:
        band = "mig_single_pension_age"
    elif s.age < 25:
        band = "mig_single_18_to_24"
    else:
        band = "mig_single_25_to_pension_age"
    allowances = [Item(band, work.use(band))]
    work.add("minimum_income_guarantee", band=band, amount=allowances[0].amount)
    uplift = _council_amount(work.rates, "minimum_income_guarantee_uplift_weekly")
    if uplift:
        allowances.append(Item("local_mig_uplift", uplift))
        work.add("local_mig_uplift", amount=uplift, council=work.rates.council_name)
    if not pension_age:
        benefits = {(item.kind, item.rate) for item in s.weekly_income if item.kind in DISABILITY_KINDS}
        if benefits:
            premium = work.use("mig_disability_premium_single")
            allowances.append(Item("mig_disability_premium_single", premium))
            work.add("disability_premium", amount=premium)
        if benefits & ENHANCED_PREMIUM_RATES:
            premium = work.use("mig_enhanced_disability_premium_single")
            allowances.append(Item("mig_enhanced_disability_premium_single", premium))
            work.add("enhanced_disability_premium", amount=premium)
    if s.housing_costs_weekly:
        allowances.append(Item("housing_costs", s.housing_costs_weekly))
        work.add("housing_costs", weekly=s.housing_costs_weekly)
    standard = _council_amount(work.rates, "standard_disability_related_expenditure_weekly")
    gets_disability_benefit = any(item.kind in CARE_KINDS for item in s.weekly_income)
    if standard and gets_disability_benefit and s.disability_related_expenditure_weekly < standard:
        allowances.append(Item("disability_related_expenditure", standard, "council_standard_allowance"))
        work.add("standard_disability_related_expenditure", weekly=standard, council=work.rates.council_name)
    elif s.disability_related_expenditure_weekly:
        allowances.append(Item("disability_related_expenditure", s.disability_related_expenditure_weekly))
        dre = work.rates.council_setting("disability_related_expenditure")
        work.add(
            "disability_related_expenditure",
            weekly=s.disability_related_expenditure_weekly,
            council_method=dre.value if dre else None,
        )
    return allowances


def _council_amount(rates: ChargingRates, key: str) -> Decimal | None:
    """A confirmed money setting of the council's (``None`` when not set or not confirmed)."""
    setting = rates.council_setting(key)
    if setting is None or setting.value in (None, ""):
        return None
    return Decimal(str(setting.value))


def _flat_charges(s: FinancialSituation, rates: ChargingRates, work: _Work) -> list[Item]:
    """Flat weekly charges the council makes outside the financial assessment (telecare, say), care at home only."""
    setting = rates.council_setting("flat_weekly_charges")
    if s.care_setting is not CareSetting.HOME or setting is None or not setting.value:
        return []
    charges = [Item(str(charge["name"]), Decimal(str(charge["weekly"]))) for charge in setting.value]
    for charge in charges:
        work.add("flat_charge", name=charge.key, weekly=charge.amount)
    return charges


def _care_home_allowances(s: FinancialSituation, work: _Work) -> list[Item]:
    pea = work.use("personal_expenses_allowance")
    work.add("personal_expenses_allowance", amount=pea)
    if s.housing_costs_weekly:
        work.add("housing_costs_not_allowed_in_care_home", weekly=s.housing_costs_weekly)
    if s.disability_related_expenditure_weekly:
        work.add("dre_not_allowed_in_care_home", weekly=s.disability_related_expenditure_weekly)
    return [Item("personal_expenses_allowance", pea)]


def _benefits_to_check(s: FinancialSituation, pension_age: bool) -> list[str]:
    """Benefits worth checking, after GOV.UK's benefits checker: Attendance Allowance and Pension Credit
    over State Pension age, PIP below it, when none of the kind is recorded."""
    kinds = {item.kind for item in s.weekly_income}
    suggestions = []
    if pension_age:
        if not kinds & CARE_KINDS:
            suggestions.append("attendance_allowance")
        if not kinds & {IncomeKind.PENSION_CREDIT, IncomeKind.SAVINGS_CREDIT}:
            suggestions.append("pension_credit")
    elif not kinds & DISABILITY_KINDS:
        suggestions.append("pip")
    return suggestions


def _self_funder_steps(s: FinancialSituation, capital: _Capital, upper: Decimal, work: _Work) -> None:
    work.add("self_funding", capital=capital.total, upper_limit=upper)
    if s.care_setting is CareSetting.HOME:
        work.add("ask_council_to_arrange")
    elif capital.non_home <= upper:
        work.add("self_funding_because_of_home", capital_without_home=capital.non_home, upper_limit=upper)
    notice = work.rates.council_setting("self_funder_notice_months")
    if notice is not None and notice.value is not None:
        work.add("tell_council_before_savings_fall", months=notice.value, upper_limit=upper)


def estimate(
    situation: FinancialSituation,
    on: date | None = None,
    rates: ChargingRates | None = None,
    policy: CouncilPolicy | None = None,
) -> Estimate:
    """Work out the weekly contribution for ``situation`` with the figures in force on ``on`` (default
    today), or with ``rates`` when given. ``policy`` overrides the council's settings in the rates data.

    In a care home the council helps to pay for, Attendance Allowance, DLA care and PIP daily living stop after
    28 days (they continue for self-funders): the estimate is then the one without them, and a step gives what
    the first 4 weeks would cost (Wolverhampton Council factsheet 6 'Going into a care home'; Age UK
    factsheet 34)."""
    rates = rates or rates_for(on or date.today())
    result = _estimate(situation, rates, policy)
    care_benefits = tuple(item for item in situation.weekly_income if item.kind in CARE_KINDS)
    if situation.care_setting is not CareSetting.CARE_HOME or not care_benefits or result.self_funding:
        return result
    if not result.council_pays_weekly:  # paid in full from the person's own income: no public funds, no stop
        return result
    # From week 13 a resident whose home then counts is self-funding, so the benefits start again (Wirral Council,
    # 'Charging for residential care when your property is included'): that estimate is made from the whole income.
    after = _estimate(
        replace(situation, weekly_income=tuple(i for i in situation.weekly_income if i.kind not in CARE_KINDS)),
        rates,
        policy,
        later_from=situation,
    )
    after.steps.insert(
        1,
        Step(
            "care_home_disability_benefits_stop",
            {
                "kinds": sorted(item.kind for item in care_benefits),
                "weekly": money(sum((item.weekly for item in care_benefits), ZERO)),
                "first_4_weeks": result.weekly_contribution,
            },
        ),
    )
    # The 28 days are not always the first 28 days of this stay: time in hospital or a care home in the 28 days
    # before it counts too, as stays 28 days or less apart count as one (the linking rule: Wolverhampton Council
    # factsheet 6; CPAG on reg 10(5)(a) SS(DLA) Regs and reg 32(4) SS(PIP) Regs). Said in words, not worked out.
    after.steps.insert(2, Step("care_home_benefits_linked_stays", {}))
    return after


def _estimate(
    s: FinancialSituation,
    rates: ChargingRates,
    policy: CouncilPolicy | None,
    later_from: FinancialSituation | None = None,
) -> Estimate:
    """One estimate of ``s``. ``later_from`` is the situation the "from week 13" estimate starts from when it is not
    ``s`` itself (``s`` without the care benefits that stop after 28 days; they start again for a self-funder)."""
    work = _Work(rates, _night_care_kinds(policy, rates))
    pension_age = _over_pension_age(s, rates, work)

    upper = work.use("upper_capital_limit")
    lower = work.use("lower_capital_limit")
    capital = _assess_capital(s, work)
    self_funding = capital.total > upper
    tariff = ZERO
    if self_funding:
        _self_funder_steps(s, capital, upper, work)
    else:
        step, per_step = work.use("tariff_income_step"), work.use("tariff_income_per_step")
        tariff = tariff_income(capital.total, lower, upper, step, per_step)
        if tariff:
            work.add(
                "tariff_income", capital=capital.total, lower_limit=lower, weekly=tariff, step=step, per_step=per_step
            )
        else:
            work.add("capital_below_lower_limit", capital=capital.total, lower_limit=lower)

    # A self-funder's income is not assessed: list it, but explain nothing about it.
    quiet = _Work(rates, work.night_care_kinds)
    income_counted, income_disregarded = _assess_income(s, quiet if self_funding else work)
    income_total = _total(income_counted)
    allowances: list[Item] = []
    reasons: list[str] = []
    disposable: Decimal | None = None
    contribution: Decimal | None = s.weekly_care_cost if self_funding else None
    if not self_funding:
        reasons = _full_assessment_reasons(s)
        if reasons:
            work.add("full_assessment_needed", reasons=reasons)
        else:
            if s.care_setting is CareSetting.HOME:
                allowances = _home_allowances(s, pension_age, work)
            else:
                allowances = _care_home_allowances(s, work)
            disposable = income_total + tariff - _total(allowances)
            contribution = _contribution(disposable, s.weekly_care_cost, income_total, tariff, allowances, work)

    # Round once, at the end; the council pays the rest of the rounded cost.
    contribution = None if contribution is None else money(contribution)
    council_pays = None if contribution is None else money(s.weekly_care_cost) - contribution
    if council_pays is not None:
        work.add("council_pays", weekly=council_pays)
    deferred = _deferred_payment_may_apply(s, capital, upper)
    deferral = None
    if deferred:
        work.add("deferred_payment_may_apply", home_value=s.home_value, later=capital.home_counts_later)
        if self_funding:
            deferral = _deferred_each_week(s, income_total, work)

    figures_used = dict(work.used)
    carried = {
        key: fig.tax_year for key, fig in figures_used.items() if fig.tax_year not in (rates.tax_year, ALL_YEARS)
    }
    work.steps.insert(
        0,
        Step(
            "rates_in_use",
            {
                "tax_year": rates.tax_year,
                "figures_year": rates.figures_year,
                "provisional": bool(carried),
                "carried_forward": carried,
            },
        ),
    )
    from_week_13 = None
    if capital.home_counts_later:
        from_week_13 = estimate(_home_counts(later_from or s), rates=rates, policy=policy)
        if later_from is not None and not from_week_13.self_funding:
            # Still council-funded from week 13: the benefits that stopped after 28 days stay stopped.
            from_week_13 = estimate(_home_counts(s), rates=rates, policy=policy)
    flat_charges = _flat_charges(s, rates, work) if not self_funding else []
    top_up = s.third_party_top_up_weekly if s.care_setting is CareSetting.CARE_HOME and not self_funding else ZERO
    if top_up:
        work.add("third_party_top_up", weekly=top_up, home_fee=s.weekly_care_cost + top_up)
    return Estimate(
        from_week_13=from_week_13,
        flat_charges=_rounded(flat_charges),
        top_up_weekly=money(top_up),
        tax_year=rates.tax_year,
        provisional=bool(carried),
        rates_note=describe_rates(rates.tax_year, rates.figures_year, carried),
        figures_used=figures_used,
        care_setting=s.care_setting,
        weekly_care_cost=money(s.weekly_care_cost),
        estimate_available=contribution is not None,
        weekly_contribution=contribution,
        council_pays_weekly=council_pays,
        self_funding=self_funding,
        capital_counted=money(capital.total),
        capital_counted_items=_rounded(capital.counted),
        capital_disregarded=_rounded(capital.disregarded),
        tariff_income_weekly=money(tariff),
        income_counted=_rounded(income_counted),
        income_counted_total=money(income_total),
        income_disregarded=_rounded(income_disregarded),
        allowances=_rounded(allowances),
        allowances_total=money(_total(allowances)),
        disposable_income_weekly=None if disposable is None else money(disposable),
        deferred_payment_may_apply=deferred,
        deferred_weekly=None if deferral is None else deferral.weekly,
        deferred_interest_rate=None if deferral is None else deferral.interest_rate,
        deferred_first_year=None if deferral is None else deferral.first_year,
        deferred_interest_first_year=None if deferral is None else deferral.interest_first_year,
        deferred_equity_limit=None if deferral is None else deferral.equity_limit,
        benefits_to_check=_benefits_to_check(s, pension_age),
        full_assessment_reasons=reasons,
        steps=work.steps,
    )


def _home_counts(s: FinancialSituation) -> FinancialSituation:
    """``s`` once the 12 weeks are over: the home counts."""
    return replace(s, in_first_12_weeks_of_permanent_care=False, qualifying_relative_left_in_last_12_weeks=False)


def _contribution(
    disposable: Decimal, care_cost: Decimal, income: Decimal, tariff: Decimal, allowances: list[Item], work: _Work
) -> Decimal:
    work.add(
        "disposable_income",
        income=income,
        tariff=tariff,
        allowances=_total(allowances),
        disposable=disposable,
    )
    if disposable <= 0:
        work.add("no_contribution", disposable=disposable)
        return ZERO
    percent = _council_amount(work.rates, "percent_of_disposable_income")
    if percent is not None and percent < 100:
        charged = disposable * percent / 100
        work.add(
            "percent_of_disposable_income", percent=f"{percent.normalize():f}", disposable=disposable, charged=charged
        )
        disposable = charged
    if disposable > care_cost:
        work.add("contribution_capped_at_care_cost", disposable=disposable, care_cost=care_cost)
        return care_cost
    work.add("contribution", weekly=disposable)
    return disposable


def _rounded(items: Iterable[Item]) -> list[Item]:
    return [Item(item.key, money(item.amount), item.reason) for item in items]
