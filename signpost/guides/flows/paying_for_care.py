"""The paying-for-care guide as data: questions, routes, and the wording of each explanation step.

The sums are done by `signpost.guides.charging`; this module only turns answers into the facts of
`signpost.guides.facts` (the one path to the calculator, shared with the JSON API) and says each step in
plain English.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from signpost.guides import charging
from signpost.guides.charging import BenefitRate, CareSetting, IncomeKind
from signpost.guides.facts import CareFacts, Income, estimate
from signpost.guides.flow import Flow, Kind, Option, Outcome, Question, Rule, When
from signpost.guides.rates import ChargingRates
from signpost.platform.money import pounds

ZERO = Decimal("0")
QUALIFYING_OCCUPANTS = {"partner", "relative_60", "relative_incapacitated", "child_under_18"}
BENEFITS = {
    "aa_lower": (IncomeKind.ATTENDANCE_ALLOWANCE, BenefitRate.LOWER),
    "aa_higher": (IncomeKind.ATTENDANCE_ALLOWANCE, BenefitRate.HIGHER),
    "pip_standard": (IncomeKind.PIP_DAILY_LIVING, BenefitRate.STANDARD),
    "pip_enhanced": (IncomeKind.PIP_DAILY_LIVING, BenefitRate.ENHANCED),
    "dla_care": (IncomeKind.DLA_CARE, None),  # the level is read from the amount
}
# Answers whose award may include a night-care element (the DLA care level is read from the amount).
TOP_RATES = ("aa_higher", "pip_enhanced", "dla_care")


def facts(answers: Mapping[str, Any]) -> CareFacts:
    """The guide's answers as the facts the calculator is given (the API builds the same facts from JSON)."""
    income = [Income(IncomeKind.STATE_PENSION, answers.get("state_pension", ZERO))]
    if answers.get("other_pensions"):
        income.append(Income(IncomeKind.PRIVATE_PENSION, answers["other_pensions"]))
    benefit = BENEFITS.get(answers.get("disability_benefits", "none"))
    if benefit and answers.get("disability_benefits_amount"):
        kind, rate = benefit
        income.append(Income(kind, answers["disability_benefits_amount"], rate))
    other = answers.get("other_benefits", ZERO)
    if other and answers.get("pension_credit") == "yes":
        savings_credit = min(answers.get("savings_credit", ZERO), other)
        income.append(Income(IncomeKind.SAVINGS_CREDIT, savings_credit))
        income.append(Income(IncomeKind.PENSION_CREDIT, other - savings_credit))
    elif other:
        income.append(Income(IncomeKind.OTHER, other))
    occupants = set(answers.get("who_lives_there", ()))
    return CareFacts(
        setting=CareSetting(answers["setting"]),
        age=int(answers["age"]),
        weekly_care_cost=answers["care_cost"],
        couple=answers.get("partner") == "yes",
        over_pension_age=answers["pension_age"] == "yes" if "pension_age" in answers else int(answers["age"]) >= 67,
        savings_own=answers.get("savings", ZERO),
        savings_joint=answers.get("joint_savings", ZERO),
        other_property=max(answers.get("other_property", ZERO) - answers.get("other_property_debts", ZERO), ZERO),
        other_property_debts=min(answers.get("other_property_debts", ZERO), answers.get("other_property", ZERO)),
        owns_home=answers.get("owns_home") == "yes",
        home_value=max(answers.get("home_value", ZERO) - answers.get("home_debts", ZERO), ZERO),
        home_debts=min(answers.get("home_debts", ZERO), answers.get("home_value", ZERO)),
        relative_left_in_last_12_weeks=answers.get("relative_left") == "yes",
        pays_half_pension_to_partner=answers.get("half_pension") == "yes",
        third_party_top_up_weekly=answers.get("top_up", ZERO),
        home_occupied_by_qualifying_relative=bool(occupants & QUALIFYING_OCCUPANTS),
        first_12_weeks_of_permanent_care=answers.get("first_12_weeks") == "yes",
        income=tuple(income),
        housing_costs_weekly=answers.get("housing_costs", ZERO),
        disability_related_expenditure_weekly=answers.get("dre", ZERO),
        receives_night_care=answers.get("night_care") == "yes",
        dependent_children=1 if "children" in set(answers.get("dependants", ())) else 0,
        gets_carers_allowance="carers_allowance" in set(answers.get("dependants", ())),
    )


def calculate(answers: Mapping[str, Any], rates: ChargingRates) -> charging.Estimate:
    """The estimate for a finished walk through the guide; raises ``facts.CannotEstimate``."""
    return estimate(facts(answers), rates=rates)


# How each calculator step reads. Money parameters are formatted before they are put in.
STEP_TEXT = {
    "rates_in_use": _l("We used the figures for the %(tax_year)s tax year."),
    "joint_savings_split": _l("Savings you hold jointly (%(joint_total)s) count as half each: %(share)s is yours."),
    "other_property_counted": _l(
        "Property or land other than your home counts as savings: %(value)s, less 10%% for the costs of selling "
        "(%(sale_costs)s), so %(counted)s."
    ),
    "other_property_counted_less_debts": _l(
        "Property or land other than your home counts as savings: %(price)s, less 10%% of that price for the costs "
        "of selling (%(sale_costs)s) and less the %(debts)s owed on it, so %(counted)s."
    ),
    "home_disregarded_care_at_home": _l("Your home is not counted, because you would get care at home."),
    "home_disregarded_qualifying_relative": _l(
        "Your home is not counted, because your partner or a qualifying relative lives there."
    ),
    "home_disregarded_first_12_weeks": _l("Your home is not counted for your first 12 weeks in a care home."),
    "home_counted": _l(
        "Your home counts towards your savings: %(value)s, less 10%% of its price for the costs of selling "
        "(%(sale_costs)s), so %(counted)s."
    ),
    "home_disregarded_relative_left": _l(
        "Your home is not counted for 12 weeks after the relative who lived there moved out or died."
    ),
    "third_party_top_up": _l(
        "A relative or friend would pay a top-up of %(weekly)s a week so you can live in a home costing "
        "%(home_fee)s a week. The top-up is not taken from your money."
    ),
    "capital_total": _l("Your savings and property that count add up to %(capital)s."),
    "capital_below_lower_limit": _l("This is below %(lower_limit)s, so your savings are not counted at all."),
    "tariff_income": _l(
        "Your savings of %(capital)s count as %(weekly)s a week of income: %(per_step)s for every %(step)s, or part "
        "of %(step)s, over %(lower_limit)s."
    ),
    "self_funding": _l(
        "Your savings and property (%(capital)s) are over %(upper_limit)s, so you would pay the full cost of your "
        "care until they fall below that amount."
    ),
    "self_funding_because_of_home": _l(
        "Without your home your savings would be %(capital_without_home)s, so it is the value of your home that "
        "puts you over %(upper_limit)s."
    ),
    "ask_council_to_arrange": _l("You can still ask the council to arrange your care at home for you."),
    "tell_council_before_savings_fall": _l(
        "Tell the council %(months)s months before your savings are likely to fall below %(upper_limit)s."
    ),
    "income_counted": _l("Income that counts: %(kind)s, %(weekly)s a week."),
    "income_disregarded": _l("Income that is not counted: %(kind)s, %(weekly)s a week."),
    "night_care_element_counted": _l(
        "The higher rate of %(kind)s (%(weekly)s a week) is counted in full. The council may ignore part of it if "
        "you get no care at night: ask about this in your financial assessment."
    ),
    "night_care_element_disregarded": _l(
        "You get no care at night, so the night-time part of your %(kind)s (%(weekly)s a week) is not counted."
    ),
    "night_care_element_counted_night_care_provided": _l(
        "The higher rate of %(kind)s (%(weekly)s a week) is counted in full, because you get care at night."
    ),
    "care_home_disability_benefits_stop": _l(
        "If the council helps to pay for the care home, disability benefits for care needs (%(weekly)s a week) stop "
        "after 28 days, so they are left out. For the first 4 weeks you would pay up to %(first_4_weeks)s a week."
    ),
    "care_home_benefits_linked_stays": _l(
        "The 28 days include time you spent in hospital or a care home in the 28 days before you moved in: stays "
        "with 28 days or less between them count as one stay, so these benefits may stop sooner. Tell the office "
        "that pays them when you move in."
    ),
    "savings_credit_disregard_not_applied": _l(
        "If you get the savings part of Pension Credit, a small amount of it may be ignored. We have not included this."
    ),
    "pension_age_assumed": _l("We assumed State Pension age is %(pension_age)s."),
    "minimum_income_guarantee": _l("You keep at least %(amount)s a week to live on (the minimum income guarantee)."),
    "disability_premium": _l("Because you get a disability benefit, you keep another %(amount)s a week."),
    "enhanced_disability_premium": _l("Because you get the highest rate, you keep another %(amount)s a week."),
    "housing_costs": _l("Your housing costs of %(weekly)s a week are allowed for."),
    "disability_related_expenditure": _l("Your extra costs because of disability (%(weekly)s a week) are allowed for."),
    "housing_costs_not_allowed_in_care_home": _l("Housing costs are not allowed for in a care home."),
    "dre_not_allowed_in_care_home": _l("Extra disability costs are not allowed for in a care home."),
    "local_mig_uplift": _l("%(council)s adds %(amount)s a week to the minimum income guarantee."),
    "standard_disability_related_expenditure": _l(
        "%(council)s allows %(weekly)s a week for extra costs because of disability without receipts."
    ),
    "percent_of_disposable_income": _l(
        "The council charges %(percent)s%% of what is left: %(charged)s of %(disposable)s a week."
    ),
    "flat_charge": _l("On top of this, the council charges a flat %(weekly)s a week for %(name)s."),
    "personal_expenses_allowance": _l(
        "You keep %(amount)s a week for personal spending (personal expenses allowance)."
    ),
    "full_assessment_needed": _l(
        "We cannot estimate this for you online: the council needs to do a full financial assessment."
    ),
    "disposable_income": _l(
        "Your income that counts (%(income)s) plus your savings income (%(tariff)s), less your allowances "
        "(%(allowances)s), leaves %(disposable)s a week."
    ),
    "no_contribution": _l(
        "Your income after allowances is %(disposable)s, so you would pay nothing towards your care."
    ),
    "contribution_capped_at_care_cost": _l("You would not pay more than the cost of your care (%(care_cost)s a week)."),
    "contribution": _l("You would pay up to %(weekly)s a week towards your care."),
    "council_pays": _l("The council would pay the rest: %(weekly)s a week."),
    "deferred_payment_each_week": _l(
        "With a deferred payment agreement you would keep up to %(allowance)s a week of your income and pay "
        "%(from_income)s a week towards the %(care_cost)s fee. The council would pay the other %(deferred)s a week "
        "and add it, with interest and fees, to what you owe, to be repaid from your home later."
    ),
    "deferred_payment_equity_limit": _l(
        "The most that can be deferred is about %(equity_limit)s: the price of your share of the home "
        "(%(price)s), less 10%% for the costs of selling (%(sale_costs)s), less what is owed on it (%(debts)s), "
        "less %(lower_limit)s."
    ),
    "deferred_payment_interest": _l(
        "Over the first year about %(first_year)s would be added to what you owe. Interest at up to %(rate)s%% a "
        "year (the national maximum rate, reset each 1 January and 1 July) would add about %(interest)s in that year."
    ),
    "deferred_payment_interest_not_held": _l(
        "Over the first year about %(first_year)s would be added to what you owe, plus interest: ask the council "
        "for its current rate."
    ),
    "deferred_payment_may_apply": _l(
        "You may not have to sell your home in your lifetime: a deferred payment agreement lets the council pay "
        "and get the money back later from your home."
    ),
}
INCOME_NAMES = {
    "state_pension": _l("State Pension"),
    "private_pension": _l("other pensions"),
    "pension_credit": _l("Pension Credit"),
    "savings_credit": _l("Savings Credit (part of Pension Credit)"),
    "attendance_allowance": _l("Attendance Allowance"),
    "dla_care": _l("Disability Living Allowance (care)"),
    "pip_daily_living": _l("Personal Independence Payment (daily living)"),
    "other": _l("other benefits"),
}


# What each figure is called on the result page ("Figures we used"). Keys as in rates.FIGURE_KEYS / RULE_KEYS.
FIGURE_NAMES = {
    "upper_capital_limit": _l("Upper capital limit"),
    "lower_capital_limit": _l("Lower capital limit"),
    "tariff_income_step": _l("Tariff income: for every this much over the lower limit"),
    "tariff_income_per_step": _l("Tariff income: counted as this much a week"),
    "personal_expenses_allowance": _l("Personal expenses allowance (a week)"),
    "mig_single_18_to_24": _l("Minimum income guarantee, aged 18 to 24 (a week)"),
    "mig_single_25_to_pension_age": _l("Minimum income guarantee, aged 25 to State Pension age (a week)"),
    "mig_single_pension_age": _l("Minimum income guarantee, State Pension age (a week)"),
    "mig_disability_premium_single": _l("Disability premium (a week)"),
    "mig_enhanced_disability_premium_single": _l("Enhanced disability premium (a week)"),
    "attendance_allowance_lower": _l("Attendance Allowance, lower rate (a week)"),
    "attendance_allowance_higher": _l("Attendance Allowance, higher rate (a week)"),
    "dla_care_middle": _l("Disability Living Allowance care, middle rate (a week)"),
    "dla_care_highest": _l("Disability Living Allowance care, highest rate (a week)"),
    "pip_daily_living_standard": _l("PIP daily living, standard rate (a week)"),
    "pip_daily_living_enhanced": _l("PIP daily living, enhanced rate (a week)"),
    "savings_credit_disregard_single": _l("Savings Credit not counted, up to (a week)"),
    "carers_allowance_weekly": _l("Carer's Allowance (a week)"),
    "carers_allowance_earnings_limit": _l("Carer's Allowance earnings limit (a week)"),
    "state_pension_age_years": _l("State Pension age assumed (years)"),
    "deferred_payment_disposable_income_allowance": _l("Deferred payment: income you may keep, at most (a week)"),
    "deferred_payment_interest_rate": _l("Deferred payment: national maximum interest rate (a year)"),
}
NOT_MONEY = frozenset({"state_pension_age_years"})
PERCENT = frozenset({"deferred_payment_interest_rate"})


def figure_name(key: str) -> str:
    return str(FIGURE_NAMES.get(key, key.replace("_", " ")))


def figure_amount(key: str, amount: Decimal) -> str:
    if key in PERCENT:
        return f"{amount.normalize():f}%"
    return str(amount.normalize()) if key in NOT_MONEY else pounds(amount)


def explain(step: charging.Step) -> str | None:
    """One step in plain English, or None for steps the page words itself."""
    template = STEP_TEXT.get(step.key)
    if template is None or (step.key == "council_pays" and not step.params.get("weekly")):
        return None
    params = {}
    for name, value in step.params.items():
        if isinstance(value, Decimal):
            params[name] = pounds(value)
        elif name == "kind":
            params[name] = str(INCOME_NAMES.get(str(value), str(value).replace("_", " ")))
        else:
            params[name] = value
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def money(text: Any, minimum: Decimal = ZERO) -> dict[str, Any]:
    return {"kind": Kind.MONEY, "text": text, "minimum": minimum, "maximum": Decimal("100000000")}


FLOW = Flow(
    id="paying-for-care",
    title=_l("Paying for care: estimate what you might pay"),
    description=_l(
        "Answer questions about your care, savings, home and income to get an estimate of what you might pay "
        "each week and what the council might pay, with every step explained."
    ),
    start="setting",
    before_you_start=(
        _l("It takes about 10 minutes. Have your bank statements and benefit letters to hand if you can."),
        _l("Answer for the person who needs care. If that is not you, answer as if you were them."),
        _l("This is an estimate, not a decision. The council works out the real amount in a financial assessment."),
    ),
    nodes={
        "setting": Question(
            id="setting",
            kind=Kind.CHOICE,
            text=_l("Where would the care be?"),
            summary=_l("Where the care would be"),
            options=(
                Option("home", _l("At home"), _l("Including day centres and other care in the community")),
                Option("care_home", _l("In a care home, permanently")),
            ),
            next="age",
        ),
        "age": Question(
            id="age",
            kind=Kind.WHOLE_NUMBER,
            text=_l("How old are you?"),
            summary=_l("Age"),
            minimum=18,
            maximum=120,
            suffix=_l("years"),
            errors={"too_small": _l("This guide is for adults aged 18 or over")},
            # Only at 66 does the age not tell (State Pension age rises to 67 by date of birth from May 2026).
            next=(Rule("pension_age", (When("age", at_least=66, below=67),)), Rule("partner")),
        ),
        "pension_age": Question(
            id="pension_age",
            kind=Kind.YES_NO,
            text=_l("Have you reached State Pension age?"),
            summary=_l("Reached State Pension age"),
            hint=_l(
                "If you were born before 6 April 1960 it is 66. If you were born after that, it is 66 and some "
                "months: between 1 and 11 months, depending on your date of birth."
            ),
            next="partner",
        ),
        "partner": Question(
            id="partner",
            kind=Kind.YES_NO,
            text=_l("Do you live with a partner?"),
            summary=_l("Live with a partner"),
            explain=_l("Only your own money counts, but some allowances are different for couples."),
            next=(Rule("dependants", (When("setting", ("home",)),)), Rule("savings")),
        ),
        "dependants": Question(
            id="dependants",
            kind=Kind.CHOICES,
            text=_l("Do any of these apply to you?"),
            summary=_l("Children or Carer's Allowance"),
            hint=_l("Select all that apply."),
            options=(
                Option("children", _l("A child who depends on me lives with me")),
                Option("carers_allowance", _l("I get Carer's Allowance for looking after someone")),
                Option("none", _l("None of these")),
            ),
            explain=_l("Both change the allowances, and the council needs to work them out in a full assessment."),
            next="savings",
        ),
        "savings": Question(
            id="savings",
            **money(_l("How much do you have in savings and investments in your own name?")),
            summary=_l("Savings in your name"),
            hint=_l("Include bank and building society accounts, ISAs, shares and premium bonds. Enter 0 if none."),
            next="joint_savings",
        ),
        "joint_savings": Question(
            id="joint_savings",
            **money(_l("How much do you have in savings held jointly with someone else?")),
            summary=_l("Joint savings"),
            hint=_l("Enter the whole balance; we count half as yours. Enter 0 if none."),
            next="other_property",
        ),
        "other_property": Question(
            id="other_property",
            **money(_l("What would any other property or land you own sell for?")),
            summary=_l("Other property or land"),
            hint=_l("Not the home you live in. If you own it jointly, your share of the price. Enter 0 if none."),
            next=(
                Rule("other_property_debts", (When("other_property", at_least=Decimal("0.01")),)),
                Rule("owns_home"),
            ),
        ),
        "other_property_debts": Question(
            id="other_property_debts",
            **money(_l("How much is still owed on that property or land (mortgage or loans secured on it)?")),
            summary=_l("Owed on other property or land"),
            hint=_l("Enter 0 if nothing is owed."),
            next="owns_home",
        ),
        "owns_home": Question(
            id="owns_home",
            kind=Kind.YES_NO,
            text=_l("Do you own the home you live in?"),
            summary=_l("Own your home"),
            hint=_l("Including owning it jointly or with a mortgage."),
            next=(
                Rule("home_value", (When("setting", ("care_home",)), When("owns_home", ("yes",)))),
                Rule("state_pension"),
            ),
        ),
        "home_value": Question(
            id="home_value",
            **money(_l("What would your share of your home sell for?")),
            summary=_l("Price of your share"),
            hint=_l("A rough figure is fine. If you own it jointly, your share of the price."),
            explain=_l(
                "If you own your home with someone else, only your share counts. The council values it at what a buyer "
                "would pay for your share, which can be less than your part of the price, so this estimate may count "
                "too much."
            ),
            next="home_debts",
        ),
        "home_debts": Question(
            id="home_debts",
            **money(_l("How much is still owed on your share (mortgage or loans secured on it)?")),
            summary=_l("Owed on your home"),
            hint=_l("Enter 0 if nothing is owed."),
            next="who_lives_there",
        ),
        "who_lives_there": Question(
            id="who_lives_there",
            kind=Kind.CHOICES,
            text=_l("Who will still live in your home?"),
            summary=_l("Who lives in your home"),
            hint=_l("Select all that apply."),
            options=(
                Option("partner", _l("My husband, wife or partner")),
                Option("relative_60", _l("A relative aged 60 or over")),
                Option("relative_incapacitated", _l("A relative who is disabled or unable to work")),
                Option("child_under_18", _l("A child under 18 who depends on me")),
                Option("nobody", _l("Nobody, or someone else")),
            ),
            next="first_12_weeks",
        ),
        "first_12_weeks": Question(
            id="first_12_weeks",
            kind=Kind.YES_NO,
            text=_l("Is this a new permanent move into a care home?"),
            summary=_l("New permanent move"),
            explain=_l("Your home is not counted for the first 12 weeks of a new permanent stay."),
            next=(
                Rule("relative_left", (When("first_12_weeks", ("no",)), When("who_lives_there", ("nobody",)))),
                Rule("state_pension"),
            ),
        ),
        "relative_left": Question(
            id="relative_left",
            kind=Kind.YES_NO,
            text=_l(
                "Did a husband, wife, partner or relative who lived in your home move out or die in the last 12 weeks?"
            ),
            summary=_l("Relative moved out or died in the last 12 weeks"),
            explain=_l("If so, your home is not counted for 12 weeks from then."),
            next="state_pension",
        ),
        "state_pension": Question(
            id="state_pension",
            **money(_l("How much State Pension do you get each week?")),
            summary=_l("State Pension each week"),
            suffix=_l("a week"),
            hint=_l("Enter 0 if none."),
            next="other_pensions",
        ),
        "other_pensions": Question(
            id="other_pensions",
            **money(_l("How much do you get each week from other pensions?")),
            summary=_l("Other pensions each week"),
            suffix=_l("a week"),
            hint=_l("Work or personal pensions. Enter 0 if none."),
            next=(
                Rule(
                    "half_pension",
                    (
                        When("setting", ("care_home",)),
                        When("partner", ("yes",)),
                        When("other_pensions", at_least=Decimal("0.01")),
                    ),
                ),
                Rule("disability_benefits"),
            ),
        ),
        "half_pension": Question(
            id="half_pension",
            kind=Kind.YES_NO,
            text=_l(
                "Will you give half of your work or personal pension to your husband, wife or civil partner, who stays "
                "at home?"
            ),
            summary=_l("Half your pension to your husband, wife or civil partner"),
            explain=_l(
                "If you do, that half is not counted. This is for married couples and civil partners. If your partner "
                "is not your husband, wife or civil partner, ask the council whether you can keep more of your income "
                "for them."
            ),
            next="disability_benefits",
        ),
        "disability_benefits": Question(
            id="disability_benefits",
            kind=Kind.CHOICE,
            text=_l("Do you get a benefit for care needs?"),
            summary=_l("Benefit for care needs"),
            options=(
                Option("aa_lower", _l("Attendance Allowance, lower rate")),
                Option("aa_higher", _l("Attendance Allowance, higher rate")),
                Option("pip_standard", _l("Personal Independence Payment daily living, standard rate")),
                Option("pip_enhanced", _l("Personal Independence Payment daily living, enhanced rate")),
                Option("dla_care", _l("Disability Living Allowance, care part")),
                Option("none", _l("None of these")),
            ),
            explain=_l("Do not include the mobility part of PIP or DLA: it is never counted."),
            next=(
                Rule("other_benefits", (When("disability_benefits", ("none",)),)),
                Rule("disability_benefits_amount"),
            ),
        ),
        "disability_benefits_amount": Question(
            id="disability_benefits_amount",
            **money(_l("How much of that benefit do you get each week?")),
            summary=_l("Care benefit each week"),
            hint=_l("The amount on your award letter. Only the daily living or care part, not the mobility part."),
            suffix=_l("a week"),
            next=(
                Rule("night_care", (When("setting", ("home",)), When("disability_benefits", tuple(TOP_RATES)))),
                Rule("other_benefits"),
            ),
        ),
        "night_care": Question(
            id="night_care",
            kind=Kind.YES_NO,
            text=_l("Would the care the council arranges include care at night?"),
            summary=_l("Care at night"),
            explain=_l(
                "Some councils do not count the part of a top-rate disability benefit that is for night-time needs "
                "if they do not provide care at night."
            ),
            next="other_benefits",
        ),
        "other_benefits": Question(
            id="other_benefits",
            **money(_l("How much do you get each week from any other benefits?")),
            summary=_l("Other benefits each week"),
            suffix=_l("a week"),
            hint=_l("For example Pension Credit or Universal Credit. Not Housing Benefit. Enter 0 if none."),
            next=(
                Rule("pension_credit", (When("other_benefits", at_least=Decimal("0.01")),)),
                Rule("housing_costs", (When("setting", ("home",)),)),
                Rule("care_cost"),
            ),
        ),
        "pension_credit": Question(
            id="pension_credit",
            kind=Kind.YES_NO,
            text=_l("Is any of that Pension Credit?"),
            summary=_l("Get Pension Credit"),
            next=(
                Rule("savings_credit", (When("pension_credit", ("yes",)),)),
                Rule("housing_costs", (When("setting", ("home",)),)),
                Rule("care_cost"),
            ),
        ),
        "savings_credit": Question(
            id="savings_credit",
            **money(_l("How much of your Pension Credit each week is Savings Credit?")),
            summary=_l("Savings Credit each week"),
            suffix=_l("a week"),
            hint=_l(
                "Your Pension Credit letter shows Guarantee Credit and Savings Credit separately. A small amount of "
                "Savings Credit is not counted. Enter 0 if none or you do not know."
            ),
            next=(Rule("housing_costs", (When("setting", ("home",)),)), Rule("care_cost")),
        ),
        "housing_costs": Question(
            id="housing_costs",
            **money(_l("How much do you pay each week for rent, mortgage and council tax?")),
            summary=_l("Housing costs each week"),
            suffix=_l("a week"),
            hint=_l("After any Housing Benefit or Council Tax Reduction. Enter 0 if none."),
            next="dre",
        ),
        "dre": Question(
            id="dre",
            **money(_l("How much extra do you spend each week because of illness or disability?")),
            summary=_l("Extra disability costs each week"),
            suffix=_l("a week"),
            hint=_l("For example extra heating, laundry, special diet or a community alarm. Enter 0 if none."),
            next="care_cost",
        ),
        "care_cost": Question(
            id="care_cost",
            **money(_l("About how much would your care cost each week?"), Decimal("0.01")),
            summary=_l("Cost of care each week"),
            suffix=_l("a week"),
            hint=_l(
                "For a care home, the council's weekly rate. If you do not know, home care in Hertfordshire costs "
                "about £25 an hour."
            ),
            next=(Rule("top_up", (When("setting", ("care_home",)),)), Rule("estimate")),
        ),
        "top_up": Question(
            id="top_up",
            **money(_l("Will a relative or friend pay a top-up each week for a care home that costs more?")),
            summary=_l("Top-up each week"),
            suffix=_l("a week"),
            hint=_l("The amount above the council's rate that someone else pays. Enter 0 if none."),
            next="estimate",
        ),
        "estimate": Outcome(
            id="estimate",
            title=_l("Your estimate"),
            calculate=calculate,
            template="guides/paying_for_care_outcome.html",
        ),
    },
)
