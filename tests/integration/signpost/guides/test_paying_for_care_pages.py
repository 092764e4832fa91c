"""Paying for care as a resident meets it: the pages give the same money as the JSON estimate, on current
figures, with every figure's year and source shown.

The guide is walked through its pages with the Flask test client (one question a page, as a person answers).
"Today" is pinned to 3 December 2026 (tax year 2026-27) so that the expected amounts do not move with the
calendar: 2026-27 pension-age MIG £241.45 (S), Attendance Allowance £76.70 / £114.60 (P), PIP daily living
£76.70 / £114.60 (S); not confirmed for 2026-27, so 2025-26 amounts stand in: capital limits £14,250 /
£23,250, MIG 25 to pension age £112.50, disability premium £49.65, enhanced £24.25, PEA £30.65.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.guide_answers import (
    CARE_HOME_MOVE_WITH_A_HOUSE,
    LOOKING_AFTER_SOMEONE,
    PAYING_FOR_CARE,
    PENSIONER_WHO_RENTS,
    WORKING_AGE_ON_PIP,
    answer_all,
    answers,
    as_json,
    shipped_rates,
    use_rates,
)

D = Decimal
TODAY = "2026-12-03"
ESTIMATE = "/api/v1/paying-for-care/estimate"
AMOUNT = re.compile(r"£([\d,]+\.\d{2})")


@pytest.fixture
def guide_app(app, monkeypatch):
    monkeypatch.setitem(app.config, "GUIDES_DATE", TODAY)
    return app


def walk_to_result(client, given_answers: dict) -> BeautifulSoup:
    check = answer_all(client, "paying-for-care", given_answers)
    assert check.status_code == 200
    response = client.get("/guides/paying-for-care/result")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def amounts(element) -> list[Decimal]:
    return [D(m.replace(",", "")) for m in AMOUNT.findall(element.get_text(" ", strip=True))] if element else []


def page_result(page: BeautifulSoup) -> dict:
    """What the result page tells the resident, as numbers."""
    headline = page.find(id="headline").get_text(" ", strip=True)
    money = amounts(page.find(id="headline"))
    if "full cost" in headline:
        result = {"kind": "self_funder", "you": money[0]}
    elif "might pay about" in headline:
        result = {"kind": "estimate", "you": money[0], "council": money[1]}
    else:
        result = {"kind": "none"}
    later = page.find(id="from-week-13")
    if later is not None:
        result["from_week_13"] = amounts(later)[0]
    return result


def api_result(body: dict) -> dict:
    if body["self_funder"]:
        result = {"kind": "self_funder", "you": D(body["weekly_contribution"])}
    elif body["estimate_available"]:
        result = {"kind": "estimate", "you": D(body["weekly_contribution"]), "council": D(body["council_pays"])}
    else:
        result = {"kind": "none"}
    if body["from_week_13"]:
        result["from_week_13"] = D(body["from_week_13"]["weekly_contribution"])
    return result


def both(app, given_answers: dict, tax_year: str = "2026-27") -> tuple[dict, dict, BeautifulSoup]:
    page = walk_to_result(app.test_client(), given_answers)
    response = app.test_client().post(ESTIMATE, json=as_json(given_answers, tax_year))
    assert response.status_code == 200, response.json
    return page_result(page), api_result(response.json), page


# --- Personas: what the issue found, now right through the pages ----------------------------------------------


def test_a_pensioner_at_home_on_higher_attendance_allowance_who_rents_gets_the_apis_answer(guide_app):
    """78, State Pension £230, Attendance Allowance higher £114.60, no care at night, savings £20,000, rent and
    council tax £50, care £300 a week. Hertfordshire ignores the night-care element (£114.60 - £76.70 = £37.90), so
    £76.70 of the award counts. Tariff income £23 (23 steps of £250 over £14,250); income £306.70 + £23 =
    £329.70; less MIG £241.45 and housing £50: £38.25 a week. (Before, the page dropped the benefit and never
    asked the rent.)"""
    persona = PENSIONER_WHO_RENTS
    on_page, from_api, page = both(guide_app, persona)
    assert on_page == from_api == {"kind": "estimate", "you": D("38.25"), "council": D("261.75")}
    assert amounts(page.find(id="yearly")) == [D("1989.00")]
    steps = page.find(id="steps").get_text(" ", strip=True)
    assert "the night-time part of your Attendance Allowance (£37.90 a week) is not counted" in steps
    assert "Income that counts: Attendance Allowance, £76.70 a week." in steps
    assert "Your housing costs of £50.00 a week are allowed for." in steps
    assert "Attendance Allowance" not in (page.find(id="benefits").get_text() if page.find(id="benefits") else "")


def test_the_rent_question_is_asked_of_someone_with_no_other_benefits(guide_app):
    client = guide_app.test_client()
    answer_all(client, "paying-for-care", answers(age="80", state_pension="230"))
    check = client.get("/guides/paying-for-care/check-your-answers").get_data(as_text=True)
    assert "Housing costs each week" in check and "Extra disability costs each week" in check


def test_a_working_age_person_on_enhanced_pip_gets_the_premiums_and_the_apis_answer(guide_app):
    """45, PIP daily living enhanced £114.60, ESA £120, care £250. MIG £112.50 + disability premium £49.65 +
    enhanced disability premium £24.25 = £186.40 (2025-26 amounts standing in); income £234.60: £48.20."""
    persona = WORKING_AGE_ON_PIP
    on_page, from_api, page = both(guide_app, persona)
    assert on_page == from_api == {"kind": "estimate", "you": D("48.20"), "council": D("201.80")}
    steps = page.find(id="steps").get_text(" ", strip=True)
    assert "you keep another £49.65 a week" in steps and "you keep another £24.25 a week" in steps


def test_a_care_home_move_with_a_house_shows_the_first_12_weeks_and_the_full_fee_from_week_13(guide_app):
    """84, State Pension £230, savings £5,000, a £350,000 house nobody else lives in, care home £1,000 a week.
    Weeks 1-12: the home is ignored, £230 less the personal expenses allowance £30.65 = £199.35. From week 13
    the home counts, so the full £1,000 a week, unless a deferred payment agreement is made."""
    persona = CARE_HOME_MOVE_WITH_A_HOUSE
    on_page, from_api, page = both(guide_app, persona)
    assert (
        on_page
        == from_api
        == {
            "kind": "estimate",
            "you": D("199.35"),
            "council": D("800.65"),
            "from_week_13": D("1000.00"),
        }
    )
    assert "first 12 weeks" in page.find(id="headline").get_text()
    assert "full cost" in page.find(id="from-week-13").get_text()
    assert "deferred payment agreement" in page.find(id="deferred-payment").get_text()
    assert amounts(page.find(id="first-12-weeks-total")) == [D("2392.20")]  # 12 x £199.35, not a year of it
    assert page.find(id="yearly") is None
    assert "from week 13" in page.find(id="deferred-payment").get_text()
    # £230 income less the £144 a deferred payment lets her keep: £86 from income, £914 a week deferred.
    assert amounts(page.find(id="deferred-each-week")) == [D("86.00"), D("914.00")]


def test_the_result_lists_every_figure_used_with_its_tax_year_status_and_source(guide_app):
    page = walk_to_result(guide_app.test_client(), answers(age="80", state_pension="230", savings="16000"))
    rows = {row["data-figure"]: row for row in page.select("#figures li[data-figure]")}
    assert {"upper_capital_limit", "lower_capital_limit", "mig_single_pension_age"} <= set(rows)
    mig = rows["mig_single_pension_age"].get_text(" ", strip=True)
    assert "£241.45" in mig and "2026-27" in mig
    limit = rows["upper_capital_limit"].get_text(" ", strip=True)
    assert "£23,250.00" in limit and "2025-26" in limit and "not confirmed for 2026-27" in limit
    for row in rows.values():
        assert row.select_one(".signpost-figures__source").get_text(strip=True), "every figure names its source"
    assert rows["upper_capital_limit"].find("a")["href"].startswith("https://")
    assert "2026-27" in page.find(id="rates-note").get_text()


def test_money_stays_in_en_gb_format_on_a_translated_page(guide_app):
    client = guide_app.test_client()
    client.get("/guides/?lang=pl")
    page = walk_to_result(client, answers(age="80", state_pension="230", savings="16000"))
    assert "£241.45" in page.find(id="figures").get_text()
    assert "£7.00" in page.find(id="steps").get_text(" ")  # tariff income on £16,000, not "7,00 £"


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_on_a_right_to_left_page_every_sum_of_money_reads_left_to_right(guide_app, language):
    """Unisolated, "£48.20" after Urdu or Arabic words is shown as "48.20£"."""
    client = guide_app.test_client()
    client.get(f"/guides/?lang={language}")
    page = walk_to_result(client, answers(age="80", state_pension="230", savings="16000"))
    text = page.find(id="figures").get_text()
    assert "\u2066£241.45\u2069" in text
    assert all(text[amount.start() - 1] == "\u2066" for amount in re.finditer(r"£[0-9]", text))


@pytest.mark.parametrize("language", ["ur", "ar"])
@pytest.mark.parametrize(
    ("guide", "given_answers"), [("paying-for-care", PAYING_FOR_CARE), ("carers", LOOKING_AFTER_SOMEONE)]
)
def test_on_a_right_to_left_page_the_tax_year_reads_left_to_right(guide_app, language, guide, given_answers):
    """Unisolated, "2026-27" after Urdu or Arabic words is shown as "27-2026"."""
    client = guide_app.test_client()
    client.get(f"/guides/?lang={language}")
    assert answer_all(client, guide, given_answers).status_code == 200
    text = BeautifulSoup(client.get(f"/guides/{guide}/result").get_data(as_text=True), "html.parser").get_text()
    years = list(re.finditer(r"(?<![\w-])20[0-9]{2}-[0-9]{2}(?![\w-])", text))  # not in a file name
    assert any(year.group(0) == "2026-27" for year in years), "the result names the tax year"
    assert all(text[year.start() - 1] == "\u2066" for year in years)


def test_on_a_left_to_right_page_money_is_left_as_it_is(guide_app):
    client = guide_app.test_client()
    page = walk_to_result(client, answers(age="80", state_pension="230", savings="16000"))
    assert "\u2066" not in page.get_text()


# --- Published worked examples, through the pages as well as the engine ---------------------------------------


def rates_file(app, monkeypatch, tmp_path: Path, year: str, source: str, figures: dict[str, str]) -> None:
    """Use the shipped rates with some figures for ``year`` replaced by those a council's worked example quotes."""
    data = shipped_rates()
    entry = next(y for y in data["tax_years"] if y["tax_year"] == year)
    for key, amount in figures.items():
        entry["figures"][key] = {"amount": amount, "status": "S", "source": source}
    use_rates(app, monkeypatch, tmp_path, data)


def test_devon_example_1_through_the_pages(app, monkeypatch, tmp_path):
    """Devon County Council, 'Examples of common financial assessments', example 1 (2023/24):
    https://www.devon.gov.uk/adult-social-care/factsheet/financial-assessment-for-community-services/examples-of-common-financial-assessments/
    Peter, 37: ESA £225.45, PIP daily living enhanced £101.75 (mobility not entered: it is ignored), housing
    £17.27, DRE £28.08, care £454 a week; MIG £171.75 (premiums £68.10 as Devon quotes them). Pays £110.10."""
    source = "Devon County Council, Examples of common financial assessments, example 1"
    monkeypatch.setitem(app.config, "GUIDES_DATE", "2023-10-01")
    premiums = {"mig_disability_premium_single": "68.10", "mig_enhanced_disability_premium_single": "0"}
    rates_file(app, monkeypatch, tmp_path, "2023-24", source, premiums)
    peter = answers(
        age="37",
        pension_age="no",
        disability_benefits="pip_enhanced",
        disability_benefits_amount="101.75",
        other_benefits="225.45",
        housing_costs="17.27",
        dre="28.08",
        care_cost="454",
    )
    on_page, from_api, _ = both(app, peter, "2023-24")
    assert on_page == from_api == {"kind": "estimate", "you": D("110.10"), "council": D("343.90")}


def test_knowsley_example_1_through_the_pages(app, monkeypatch, tmp_path):
    """Knowsley Council, 'Examples of financial assessments for care provided in your home or the community',
    example 1 (2024/25):
    https://knowsley.gov.uk/adult-social-care/paying-adult-social-care/examples-financial-assessments-care-provided-your-home
    Client A, 22: Universal Credit £167.96, PIP daily living enhanced £108.55 (Knowsley ignores the night-care
    element, £35.90), DRE £12.60, care £391.95; MIG £160.30 (premiums £72.65 as Knowsley quotes). Pays £67.71.
    The same answers with the Hertfordshire profile (PIP counted in full) give £35.90 more: the council's
    choices are data, not code."""
    source = "Knowsley Council, Examples of financial assessments, example 1"
    premiums = {"mig_disability_premium_single": "72.65", "mig_enhanced_disability_premium_single": "0"}
    rates_file(app, monkeypatch, tmp_path, "2024-25", source, premiums)
    monkeypatch.setitem(app.config, "COUNCIL", "knowsley")  # its profile: the night-care element is ignored
    monkeypatch.setitem(app.config, "GUIDES_DATE", "2024-10-01")
    client_a = answers(
        age="22",
        pension_age="no",
        disability_benefits="pip_enhanced",
        disability_benefits_amount="108.55",
        other_benefits="167.96",
        dre="12.60",
        care_cost="391.95",
    )
    on_page, from_api, page = both(app, client_a, "2024-25")
    assert on_page == from_api == {"kind": "estimate", "you": D("67.71"), "council": D("324.24")}
    assert "night-time part" in page.find(id="steps").get_text()
    monkeypatch.setitem(app.config, "COUNCIL", "hertfordshire")
    in_herts, from_api_in_herts, _ = both(app, client_a, "2024-25")
    assert in_herts == from_api_in_herts == {"kind": "estimate", "you": D("103.61"), "council": D("288.34")}


def test_lambeth_care_home_example_through_the_pages(app, monkeypatch):
    """London Borough of Lambeth, 'Paying for care in a care home: Example of how your contribution is
    calculated' (2024/25):
    https://www.lambeth.gov.uk/adult-social-care-and-health/adults-and-older-people/paying-care/paying-care-care-home/example-how-your-contribution-calculated
    Jane, 71: savings £15,250 (tariff £4), pensions £130, benefits £40. Pays £174 less £30.15 = £143.85."""
    monkeypatch.setitem(app.config, "GUIDES_DATE", "2024-10-01")
    jane = answers(
        setting="care_home", age="71", savings="15250", state_pension="130", other_benefits="40", care_cost="900"
    )
    on_page, from_api, _ = both(app, jane, "2024-25")
    assert on_page == from_api == {"kind": "estimate", "you": D("143.85"), "council": D("756.15")}


def test_leeds_care_home_example_1_through_the_pages(app, monkeypatch):
    """Leeds City Council, 'Examples of how much people pay for care homes', example 1 (2024/25):
    https://leeds.gov.uk/adult-social-care/how-to-get-adult-social-care-and-support/help-to-pay-for-care/help-paying-for-care-homes/examples-how-much-people-pay-for-care-homes
    Michael: State Pension £209.67, private pension £25.81, savings under £14,250, care home £694. Pays
    £205.33 and the council £488.67."""
    monkeypatch.setitem(app.config, "GUIDES_DATE", "2024-10-01")
    michael = answers(
        setting="care_home",
        age="80",
        savings="14000",
        state_pension="209.67",
        other_pensions="25.81",
        care_cost="694",
    )
    on_page, from_api, _ = both(app, michael, "2024-25")
    assert on_page == from_api == {"kind": "estimate", "you": D("205.33"), "council": D("488.67")}


# --- When no figure can stand in ------------------------------------------------------------------------------


def test_when_no_year_holds_a_figure_the_page_says_so_and_the_api_answers_422(app, monkeypatch, tmp_path):
    data = shipped_rates()
    for year in data["tax_years"]:
        year["figures"].pop("personal_expenses_allowance", None)
    use_rates(app, monkeypatch, tmp_path, data)
    monkeypatch.setitem(app.config, "GUIDES_DATE", TODAY)
    resident = answers(setting="care_home", age="85", state_pension="230", care_cost="900")
    client = app.test_client()
    answer_all(client, "paying-for-care", resident)
    response = client.get("/guides/paying-for-care/result")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "We cannot estimate this online" in page.h1.get_text()
    assert page.find("a", href=re.compile(r"^tel:"))
    api = app.test_client().post(ESTIMATE, json=as_json(resident))
    assert api.status_code == 422
    assert "personal_expenses_allowance" in api.json["errors"]["figures"]


# --- One truth: the pages and the API agree for any facts ----------------------------------------------------

OFFICIAL_2026_27 = {
    "aa_lower": "76.70",
    "aa_higher": "114.60",
    "pip_standard": "76.70",
    "pip_enhanced": "114.60",
}


def pounds_text(low: int, high: int):
    return st.decimals(min_value=low, max_value=high, places=2).map(lambda d: f"{d:.2f}")


@st.composite
def resident_facts(draw) -> dict:
    setting = draw(st.sampled_from(["home", "care_home"]))
    owns = draw(st.sampled_from(["yes", "no"]))
    benefit = draw(st.sampled_from([*OFFICIAL_2026_27, "dla_care", "none"]))
    amount = OFFICIAL_2026_27.get(benefit) or draw(pounds_text(1, 200))
    other = draw(st.one_of(st.just("0"), pounds_text(0, 300)))
    return answers(
        setting=setting,
        age=str(draw(st.integers(18, 105))),
        pension_age=draw(st.sampled_from(["yes", "no"])),
        partner=draw(st.sampled_from(["no", "no", "no", "yes"])),
        savings=draw(st.one_of(pounds_text(0, 14250), pounds_text(14250, 24000), pounds_text(0, 90000))),
        joint_savings=draw(st.one_of(st.just("0"), pounds_text(0, 20000))),
        other_property=draw(st.one_of(st.just("0"), st.just("0"), pounds_text(0, 30000))),
        other_property_debts=draw(st.one_of(st.just("0"), pounds_text(0, 40000))),
        owns_home=owns,
        home_value=draw(pounds_text(0, 600000)),
        home_debts=draw(st.one_of(st.just("0"), pounds_text(0, 300000))),
        relative_left=draw(st.sampled_from(["yes", "no", "no"])),
        half_pension=draw(st.sampled_from(["yes", "no"])),
        top_up=draw(st.one_of(st.just("0"), pounds_text(0, 300))),
        who_lives_there=draw(
            st.sampled_from([["nobody"], ["partner"], ["relative_60"], ["child_under_18", "relative_incapacitated"]])
        ),
        first_12_weeks=draw(st.sampled_from(["yes", "no"])),
        state_pension=draw(pounds_text(0, 300)),
        other_pensions=draw(st.one_of(st.just("0"), pounds_text(0, 400))),
        disability_benefits=benefit,
        disability_benefits_amount=amount,
        night_care=draw(st.sampled_from(["yes", "no"])),
        other_benefits=other,
        pension_credit=draw(st.sampled_from(["yes", "no"])),
        savings_credit=draw(st.one_of(st.just("0"), pounds_text(0, 30))),
        housing_costs=draw(st.one_of(st.just("0"), pounds_text(0, 250))),
        dre=draw(st.one_of(st.just("0"), pounds_text(0, 80))),
        care_cost=draw(pounds_text(1, 2000)),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=resident_facts())
def test_the_pages_and_the_api_give_the_same_money_for_the_same_facts(guide_app, facts):
    if guide_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the guide keeps answers in the session, not the database: run once, on SQLite")
    on_page, from_api, _ = both(guide_app, facts)
    assert on_page == from_api, facts


@pytest.mark.parametrize(("age", "asked"), [("65", False), ("66", True), ("67", False), ("80", False)])
def test_state_pension_age_is_asked_only_when_the_age_does_not_tell(guide_app, age, asked):
    client = guide_app.test_client()
    answer_all(client, "paying-for-care", answers(age=age, pension_age="no", state_pension="200"))
    check = client.get("/guides/paying-for-care/check-your-answers").get_data(as_text=True)
    assert ("Reached State Pension age" in check) is asked


def test_a_small_amount_of_savings_credit_is_not_counted(guide_app):
    """80, State Pension £200, Pension Credit £40 of which Savings Credit £10, care £300 (2026-27). Up to £6.95
    of Savings Credit is ignored (2024-25, the latest confirmed; Reading's policy Appendix B): income counted
    £200 + £30 Guarantee Credit + £3.05 Savings Credit = £233.05, below the £241.45 MIG, so nothing to pay."""
    resident = answers(age="80", state_pension="200", other_benefits="40", pension_credit="yes", savings_credit="10")
    on_page, from_api, page = both(guide_app, resident)
    assert on_page == from_api == {"kind": "estimate", "you": D("0.00"), "council": D("300.00")}
    steps = page.find(id="steps").get_text(" ", strip=True)
    assert "Income that is not counted: Savings Credit (part of Pension Credit), £6.95 a week." in steps
    assert "savings_credit_disregard_single" in {li["data-figure"] for li in page.select("#figures li")}


def test_a_home_a_relative_has_just_left_is_ignored_for_12_weeks_and_a_top_up_is_its_own_line(guide_app):
    """87, State Pension £220, a home selling for £280,000 with £30,000 owed that her late husband lived in until
    last month, care home £950 at the council's rate plus a £100 top-up from her son. Weeks 1-12: £220 less PEA
    £30.65 = £189.35. From week 13: £280,000 less 10% (£28,000) less £30,000 = £222,000 counts: the full £950.
    The rule as Pod describes it (Mary and Jim; no amounts there):
    https://www.mypodplan.co.uk/pod-answers/what-is-the-12-week-property-disregard"""
    resident = answers(
        setting="care_home",
        age="87",
        owns_home="yes",
        home_value="280000",
        home_debts="30000",
        first_12_weeks="no",
        relative_left="yes",
        state_pension="220",
        care_cost="950",
        top_up="100",
    )
    on_page, from_api, page = both(guide_app, resident)
    assert (
        on_page
        == from_api
        == {
            "kind": "estimate",
            "you": D("189.35"),
            "council": D("760.65"),
            "from_week_13": D("950.00"),
        }
    )
    assert amounts(page.find(id="top-up")) == [D("100.00")]
    later = page.find(id="steps-from-week-13").get_text(" ", strip=True)
    assert "less 10% of its price for the costs of selling (£28,000.00), so £222,000.00" in later


def test_knowsley_residential_example_1_with_savings_credit_through_the_pages(app, monkeypatch):
    """Knowsley Council, 'Examples of financial assessments for care provided in a residential or nursing home',
    example 1 (2024/25):
    https://knowsley.gov.uk/adult-social-care/paying-adult-social-care/examples-financial-assessments-care-provided-residential
    Client C, 90, care home £685.37: savings £17,050.91 (tariff £12), State Pension £227.55, Savings Pension
    Credit £7.25 of which £6.95 is disregarded, PEA £30.15. Assessed weekly contribution £209.70."""
    monkeypatch.setitem(app.config, "GUIDES_DATE", "2024-10-01")
    client_c = answers(
        setting="care_home",
        age="90",
        savings="17050.91",
        state_pension="227.55",
        other_benefits="7.25",
        pension_credit="yes",
        savings_credit="7.25",
        care_cost="685.37",
    )
    on_page, from_api, _ = both(app, client_c, "2024-25")
    assert on_page == from_api == {"kind": "estimate", "you": D("209.70"), "council": D("475.67")}


def test_a_deferred_payment_shows_the_first_year_interest_and_the_equity_limit_as_the_api_does(guide_app):
    """84, State Pension £230, savings £1,000, a £165,000 home nobody else lives in, not a new move, care home £900.
    The home counts, so she pays the full cost; with a deferred payment agreement she keeps £144, pays £86 and
    defers £814 a week: £42,328 over 52 weeks, and at 4.05% (the national maximum from 1 July 2024, Leeds City
    Council's page; no later period is held) about £814 x 4.05% x 25.5 = £840.66 of interest in the first year.
    Equity limit, as in North Northamptonshire's worked example: £165,000 less 10% less £14,250 = £134,250:
    https://www.northnorthants.gov.uk/paying-adult-social-care/deferred-payment-schemes-adult-social-care-0/borrowing-and-fees
    """
    resident = answers(
        setting="care_home",
        age="84",
        savings="1000",
        owns_home="yes",
        home_value="165000",
        state_pension="230",
        care_cost="900",
    )
    on_page, from_api, page = both(guide_app, resident)
    assert on_page == from_api == {"kind": "self_funder", "you": D("900.00")}
    assert amounts(page.find(id="deferred-each-week")) == [D("86.00"), D("814.00")]
    assert amounts(page.find(id="deferred-interest")) == [D("42328.00"), D("840.66"), D("134250.00")]
    assert "4.05%" in page.find(id="deferred-interest").get_text()
    rows = {row["data-figure"]: row.get_text(" ", strip=True) for row in page.select("#figures li[data-figure]")}
    assert "4.05%" in rows["deferred_payment_interest_rate"]
    assert "not confirmed for 2026-27" in rows["deferred_payment_interest_rate"]
    body = guide_app.test_client().post(ESTIMATE, json=as_json(resident)).json
    assert body["deferred_each_week"] == "814.00"
    assert body["deferred_interest_rate_percent"] == "4.05"
    assert body["deferred_first_year"] == "42328.00"
    assert body["deferred_interest_first_year"] == "840.66"
    assert body["deferred_equity_limit"] == "134250.00"
    assert body["sources"]["deferred_payment_interest_rate"]["tax_year"] == "period from 2024-07-01"
    assert body["provisional"] is True


ST_HELENS_TOP_UP = (
    "https://citizen.sthel1-prd.gosshosted.com/article/4436/"
    "What-if-the-home-costs-more-than-the-usual-adult-social-care-contribution"
)


def test_st_helens_top_up_example_through_the_pages(guide_app):
    """St Helens Borough Council, 'What if the home costs more than the usual adult social care contribution?' (no
    date on the page): the council's rate £550 a week, the chosen home £585, "a 'top up' of £35 per week will be
    charged in addition to your normal weekly assessed charge":
    https://citizen.sthel1-prd.gosshosted.com/article/4436/What-if-the-home-costs-more-than-the-usual-adult-social-care-contribution
    With State Pension £230 the assessed charge is £230 less the £30.65 allowance = £199.35, top-up or not."""
    assert ST_HELENS_TOP_UP.startswith("https://")
    resident = answers(setting="care_home", age="85", state_pension="230", care_cost="550", top_up="35")
    on_page, from_api, page = both(guide_app, resident)
    assert on_page == from_api == {"kind": "estimate", "you": D("199.35"), "council": D("350.65")}
    assert amounts(page.find(id="top-up")) == [D("35.00")]
    assert "a home costing £585.00 a week" in page.find(id="steps").get_text(" ", strip=True)
    body = guide_app.test_client().post(ESTIMATE, json=as_json(resident)).json
    assert body["top_up"] == "35.00"
    without, _, _ = both(guide_app, {**resident, "top_up": "0"})
    assert without == on_page  # the top-up is on top of the assessed charge, not part of it


def test_hallmark_12_week_disregard_and_top_up_example_through_the_pages(guide_app):
    """Hallmark Care Homes, 'Understanding the 12-Week Property Disregard' (Nicky Cave, 5 June 2017): "if your local
    authority's standard contribution is £500 per week and you have assessable income of £300 per week, they will
    be paying just £200 per week. If the fees at your chosen care home are £1,000 per week ... a £500 per week
    top-up", and the council's £200 a week for the 12 weeks is not repaid:
    https://www.hallmarkcarehomes.co.uk/2017/06/understanding-12-week-property-disregard/
    We read "assessable income" as what she is assessed to pay (income after the personal expenses allowance), so
    State Pension £330.65 less £30.65. The house is not counted in the 12 weeks; from week 13 it is."""
    resident = answers(
        setting="care_home",
        age="85",
        owns_home="yes",
        home_value="250000",
        first_12_weeks="yes",
        state_pension="330.65",
        care_cost="500",
        top_up="500",
    )
    on_page, from_api, page = both(guide_app, resident)
    assert (
        on_page
        == from_api
        == {"kind": "estimate", "you": D("300.00"), "council": D("200.00"), "from_week_13": D("500.00")}
    )
    assert amounts(page.find(id="top-up")) == [D("500.00")]
    assert "a home costing £1,000.00 a week" in page.find(id="steps").get_text(" ", strip=True)
    assert guide_app.test_client().post(ESTIMATE, json=as_json(resident)).json["top_up"] == "500.00"


def test_greensleeves_12_week_disregard_example_through_the_pages(guide_app):
    """Greensleeves Homes Trust, 'The 12-week property disregard' (no date on the page): "Joan has a house worth £250K
    and £9K in savings, when the Council assess her they will 'disregard' the £250K and only look at the £9K":
    https://greensleeves.org.uk/the-12-week-property-disregard
    Her £9,000 is under the lower limit, so weeks 1-12 cost her State Pension £230 less £30.65 = £199.35; from week
    13 the house counts (£225,000 after 10% for selling) and she would pay the full £900."""
    joan = answers(
        setting="care_home",
        age="85",
        savings="9000",
        owns_home="yes",
        home_value="250000",
        first_12_weeks="yes",
        state_pension="230",
        care_cost="900",
    )
    on_page, from_api, page = both(guide_app, joan)
    assert (
        on_page
        == from_api
        == {"kind": "estimate", "you": D("199.35"), "council": D("700.65"), "from_week_13": D("900.00")}
    )
    steps = page.find(id="steps").get_text(" ", strip=True)
    assert "Your home is not counted for your first 12 weeks in a care home." in steps


def test_wirral_benefits_stop_after_4_weeks_and_start_again_from_week_13_through_the_pages(guide_app):
    """Wirral Council, 'Charging for residential care when your property is included' (the rule, no figures): weeks
    1-12 on income and savings, Attendance Allowance stops after 4 weeks, from week 13 the home counts, "You will pay
    the full cost of your care and will be classed as self-funding. Your benefits can start again", and with a deferred
    payment "you can keep up to £144 per week":
    https://www.wirral.gov.uk/health-and-social-care/adult-social-care/charging-and-paying-services/charging-residential-care
    Ours: State Pension £230, Attendance Allowance £114.60, a £200,000 house, care home £900. Weeks 1-12 (after the
    first 4): £199.35. From week 13, with a deferred payment: £230 + £114.60 - £144 = £200.60 from income and £699.40
    deferred. (Before this test the estimate left Attendance Allowance out from week 13: £86 and £814.)"""
    resident = answers(
        setting="care_home",
        age="85",
        savings="2000",
        owns_home="yes",
        home_value="200000",
        first_12_weeks="yes",
        state_pension="230",
        disability_benefits="aa_higher",
        disability_benefits_amount="114.60",
        care_cost="900",
    )
    on_page, from_api, page = both(guide_app, resident)
    assert (
        on_page
        == from_api
        == {"kind": "estimate", "you": D("199.35"), "council": D("700.65"), "from_week_13": D("900.00")}
    )
    assert amounts(page.find(id="deferred-each-week")) == [D("200.60"), D("699.40")]
    body = guide_app.test_client().post(ESTIMATE, json=as_json(resident)).json
    assert body["from_week_13"]["deferred_each_week"] == "699.40"


@pytest.mark.parametrize(
    ("given", "reasons"),
    [
        ({"partner": "yes"}, ["couple_allowance_not_confirmed"]),
        ({"dependants": ["children"]}, ["dependent_child_allowance_not_confirmed"]),
        ({"dependants": ["carers_allowance"]}, ["carer_premium_not_confirmed"]),
        (
            {"partner": "yes", "dependants": ["children", "carers_allowance"]},
            [
                "couple_allowance_not_confirmed",
                "dependent_child_allowance_not_confirmed",
                "carer_premium_not_confirmed",
            ],
        ),
    ],
)
def test_couples_children_and_carers_allowance_at_home_say_a_full_assessment_is_needed(guide_app, given, reasons):
    """The couple MIG and premiums, the per-child amounts and the carer premium are not confirmed for 2025-26 or
    2026-27 (shared/reference/charging-figures-2025-27.md), so there is no number, and the page and API say why."""
    resident = answers(age="75", state_pension="230", **given)
    on_page, from_api, page = both(guide_app, resident)
    assert on_page == from_api == {"kind": "none"}
    assert len(page.select("#full-assessment-reasons li")) == len(reasons)
    assert "full assessment is needed" in page.find(id="full-assessment-reasons").get_text()
    body = guide_app.test_client().post(ESTIMATE, json=as_json(resident)).json
    assert body["full_assessment_needed"] is True and body["full_assessment_reasons"] == reasons
    assert body["weekly_contribution"] is None


def test_a_care_home_estimate_does_not_ask_about_children_or_carers_allowance(guide_app):
    client = guide_app.test_client()
    answer_all(client, "paying-for-care", answers(setting="care_home", age="85", state_pension="230"))
    check = client.get("/guides/paying-for-care/check-your-answers").get_data(as_text=True)
    assert "Children or Carer&#39;s Allowance" not in check and "Children or Carer's Allowance" not in check


@st.composite
def couples_with_property(draw) -> dict:
    """A partner, and a home owned: the cases the issue names (couples, jointly owned homes, relatives living
    there, the 12-week disregards, half a pension to the partner)."""
    facts = draw(resident_facts())
    return {
        **facts,
        "partner": "yes",
        "owns_home": "yes",
        "dependants": draw(st.sampled_from([["none"], ["children"], ["carers_allowance"]])),
        "other_pensions": draw(pounds_text(1, 400)),
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=couples_with_property())
def test_the_pages_and_the_api_agree_for_couples_with_property(guide_app, facts):
    """20 examples (about 10 to 20 s on a busy machine), beside the 200 of the general property test above."""
    if guide_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the guide keeps answers in the session, not the database: run once, on SQLite")
    on_page, from_api, _ = both(guide_app, facts)
    assert on_page == from_api, facts


SOUTH_TYNESIDE_EQUITY_LIMIT = (
    "https://citizen.stc3-prd.gosshosted.com:443/article/16534/How-much-payment-can-be-deferred-and-for-how-long"
)


def test_south_tyneside_equity_limit_example_through_the_pages(guide_app):
    """'Paying for care: Deferred Payment Agreements - How much payment can be deferred and for how long' (South
    Tyneside Council's series, on its GOSS-hosted site): "if your house is worth £100,000 you could borrow up to
    £75,750" (90% of the value less £14,250). 90, State Pension £230, savings £500, a £100,000 home nobody else
    lives in, not a new move, care home £900: the home makes her self-funding; the most she could defer is £75,750."""
    resident = answers(
        setting="care_home",
        age="90",
        savings="500",
        owns_home="yes",
        home_value="100000",
        state_pension="230",
        care_cost="900",
    )
    on_page, from_api, page = both(guide_app, resident)
    assert on_page == from_api == {"kind": "self_funder", "you": D("900.00")}
    assert amounts(page.find(id="deferred-interest"))[-1] == D("75750.00")
    body = guide_app.test_client().post(ESTIMATE, json=as_json(resident)).json
    assert body["deferred_equity_limit"] == "75750.00"


def test_other_property_with_a_mortgage_loses_10_percent_of_its_price_on_the_pages_as_in_the_api(guide_app):
    """80, State Pension £230, savings £3,000, a flat she lets that would sell for £100,000 with £90,000 still owed,
    care at home £300. £100,000 less 10% (£10,000) less £90,000 = £0 counts (Annex B; DWP, 'How we work out capital
    assets'), so only her £3,000: below the lower limit, income £230 less MIG £241.45: nothing to pay. Counting 90%
    of the £10,000 equity, as before, gave £9,000 of capital: still nothing to pay, but the step said so wrongly.
    http://www.dwp.gov.uk/publications/specialist-guides/technical-guidance/pc10s-guide-to-pension-credit/how-we-work-out-capital-assets/
    """
    resident = answers(
        age="80", savings="3000", other_property="100000", other_property_debts="90000", state_pension="230"
    )
    client = guide_app.test_client()
    answer_all(client, "paying-for-care", resident)
    check = client.get("/guides/paying-for-care/check-your-answers").get_data(as_text=True)
    assert "Owed on other property or land" in check
    on_page, from_api, page = both(guide_app, resident)
    assert on_page == from_api == {"kind": "estimate", "you": D("0.00"), "council": D("300.00")}
    steps = page.find(id="steps").get_text(" ", strip=True)
    assert "less the £90,000.00 owed on it, so £0.00" in steps
    body = guide_app.test_client().post(ESTIMATE, json=as_json(resident)).json
    assert " ".join(body["steps"]).count("less the £90,000.00 owed on it, so £0.00") == 1
    assert body["weekly_contribution"] == "0.00"


def test_no_debt_question_when_there_is_no_other_property(guide_app):
    client = guide_app.test_client()
    answer_all(client, "paying-for-care", answers(age="80", state_pension="230"))
    check = client.get("/guides/paying-for-care/check-your-answers").get_data(as_text=True)
    assert "Owed on other property or land" not in check


def test_the_28_day_stop_says_that_recent_stays_in_hospital_or_a_care_home_count_towards_it(guide_app):
    """The linking rule: time in hospital or a care home in the 28 days before counts towards the 28 days, as stays
    28 days or less apart count as one (Wolverhampton Council, 'Going into a care home - paying for residential
    care', factsheet 6, April 2021: "if you have been in hospital or in a care home at any time within the
    previous 28 days, that period will be linked to your present stay"; CPAG on reg 10(5)(a) of the DLA
    Regulations and reg 32(4) of the PIP Regulations: "two or more periods in a care home separated by 28 days or
    less ... count as the same period").
    https://docslib.org/doc/8285699/going-into-a-care-home-paying-for-residential-care-1
    https://askcpag.org.uk/?id=-243118
    86, State Pension £230, Attendance Allowance lower £76.70, savings £1,000, no home, care home £900 (2026-27)."""
    resident = answers(
        setting="care_home",
        age="86",
        savings="1000",
        state_pension="230",
        disability_benefits="aa_lower",
        disability_benefits_amount="76.70",
        care_cost="900",
    )
    on_page, from_api, page = both(guide_app, resident)
    assert on_page == from_api == {"kind": "estimate", "you": D("199.35"), "council": D("700.65")}
    linked = "stays with 28 days or less between them count as one stay"
    steps = page.find(id="steps").get_text(" ", strip=True)
    assert "stop after 28 days" in steps and linked in steps
    body = guide_app.test_client().post(ESTIMATE, json=as_json(resident)).json
    assert any(linked in step for step in body["steps"])
    self_funder = answers(**{**resident, "savings": "40000"})
    steps = walk_to_result(guide_app.test_client(), self_funder).find(id="steps").get_text(" ", strip=True)
    assert linked not in steps


def test_half_a_pension_is_asked_about_for_a_husband_wife_or_civil_partner(guide_app):
    """Annex C: the 50% disregard is for a resident paying half of an occupational or personal pension to a spouse or
    civil partner (Care Navigators quoting the guidance: "has a spouse or civil partner who is not living in the same
    care home"; bettercaring: "This rule only applies to married couples").
    https://carenavigators.co.uk/local-authority-charging-and-pensions"""
    resident = answers(setting="care_home", age="80", partner="yes", state_pension="200", other_pensions="100")
    client = guide_app.test_client()
    answer_all(client, "paying-for-care", {**resident, "half_pension": "yes"})
    question = client.get("/guides/paying-for-care/half_pension").get_data(as_text=True)
    assert "husband, wife or civil partner" in question
    check = client.get("/guides/paying-for-care/check-your-answers").get_data(as_text=True)
    assert "Half your pension to your husband, wife or civil partner" in check
