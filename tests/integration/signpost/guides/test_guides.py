"""Guided help: flows are consistent, every question validates, and a resident can reach an answer."""

from decimal import Decimal

import pytest

from signpost.guides.flow import Invalid, Kind, Question, check_flow, parse_answer, walk
from signpost.guides.registry import FLOWS
from tests.support.guide_answers import PAYING_FOR_CARE as CARE_AT_HOME
from tests.support.guide_answers import answer_all


@pytest.mark.parametrize("flow", FLOWS.values(), ids=lambda f: f.id)
def test_every_flow_routes_only_to_real_nodes_and_reaches_every_node(flow):
    check_flow(flow)


def question(kind, **extra):
    return Question(id="q", kind=kind, text="Q", next="end", **extra)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("150", Decimal("150")), ("£1,250.50", Decimal("1250.50")), (" 0 ", Decimal("0")), ("12.5", Decimal("12.5"))],
)
def test_money_answers_accept_what_people_type(raw, expected):
    assert parse_answer(question(Kind.MONEY, minimum=0), raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "-5", "1.234", "£", "1e5", "NaN", "12,34"])
def test_money_answers_refuse_nonsense(raw):
    assert isinstance(parse_answer(question(Kind.MONEY, minimum=0), raw), Invalid)


def test_numbers_respect_their_limits():
    q = question(Kind.WHOLE_NUMBER, minimum=18, maximum=120)
    assert parse_answer(q, "70") == 70
    assert parse_answer(q, "17") == Invalid("too_small", {"minimum": 18})
    assert parse_answer(q, "121") == Invalid("too_big", {"maximum": 120})
    assert parse_answer(q, "7.5").key == "whole_number"


def test_walking_a_flow_skips_questions_off_the_path():
    flow = FLOWS["paying-for-care"]
    answers = {
        "setting": "home",
        "age": 70,
        "pension_age": "yes",
        "partner": "no",
        "dependants": ["none"],
        "savings": Decimal(0),
        "joint_savings": Decimal(0),
        "other_property": Decimal(0),
        "owns_home": "yes",
        "home_value": Decimal(1),
    }
    position = walk(flow, answers)
    assert "home_value" not in position.path
    assert position.next_id == "state_pension"
    assert not position.finished


@pytest.fixture
def anonymous(client, app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield client
    app.config["WTF_CSRF_ENABLED"] = True


def test_paying_for_care_at_home_gives_an_estimate_with_every_step_shown(anonymous, page):
    check = answer_all(anonymous, "paying-for-care", CARE_AT_HOME)
    assert "Check your answers" in check.get_data(as_text=True)
    soup = page("/guides/paying-for-care/result")
    steps = soup.find(id="steps").get_text(" ", strip=True)
    assert "Your savings of £15,250.00 count as £4.00 a week" in steps
    assert "minimum income guarantee" in steps
    assert "You might pay about" in soup.find(id="headline").get_text()
    assert "0300 123 4042" in soup.get_text()


def test_savings_over_the_upper_limit_mean_paying_the_full_cost(anonymous, page):
    answer_all(anonymous, "paying-for-care", {**CARE_AT_HOME, "savings": "50000"})
    soup = page("/guides/paying-for-care/result")
    assert "full cost" in soup.find(id="headline").get_text()


def test_a_care_home_resident_whose_home_counts_hears_about_deferred_payments(anonymous, page):
    answers = {
        **CARE_AT_HOME,
        "setting": "care_home",
        "savings": "1000",
        "home_value": "250000",
        "home_debts": "0",
        "who_lives_there": ["nobody"],
        "first_12_weeks": "no",
        "relative_left": "no",
        "top_up": "0",
    }
    answer_all(anonymous, "paying-for-care", answers)
    text = page("/guides/paying-for-care/result").get_text(" ", strip=True)
    assert "deferred payment agreement" in text
    assert "Your home counts towards your savings" in text


def test_a_carer_caring_35_hours_for_someone_on_attendance_allowance_may_get_carers_allowance(anonymous, page):
    answers = {
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
    answer_all(anonymous, "carers", answers)
    text = page("/guides/carers/result").get_text(" ", strip=True)
    assert "You may be able to get Carer's Allowance" in text
    assert "Ask for a carer's assessment" in text
    assert "Breaks from caring" in text
    # 2026-27 (today's tax year in these tests' calendar or later): the limit and how near £100 is to it.
    result = page("/guides/carers/result")
    limit = result.find(id="earnings-limit").get_text(" ", strip=True)
    assert "You told us £100.00" in limit and "below the limit" in limit
    assert result.find(id="apply-carers-allowance")["href"] == "https://www.gov.uk/carers-allowance/how-to-claim"
    assert "severe disability premium" in text
    nearby = page("/guides/carers/result").find(id="nearby").find_all("li")
    assert len(nearby) == 3 and "mile away" in nearby[0].get_text()  # "less than 1 mile away" or "about N miles"


def test_a_carer_caring_a_few_hours_still_gets_a_carers_assessment(anonymous, page):
    answers = {
        "who": "friend",
        "carer_age": "40",
        "hours": "10",
        "cared_for_benefits": ["none"],
        "wellbeing": ["none"],
        "breaks": "no",
        "postcode": "WD17",
    }
    answer_all(anonymous, "carers", answers)
    text = page("/guides/carers/result").get_text(" ", strip=True)
    assert "Carer's Allowance is unlikely" in text and "35 hours" in text
    assert "Ask for a carer's assessment" in text


def test_a_wrong_answer_shows_a_clear_error_and_keeps_earlier_answers(anonymous, page):
    anonymous.post("/guides/paying-for-care/setting", data={"answer": "home"})
    response = anonymous.post("/guides/paying-for-care/age", data={"answer": "old"})
    assert response.status_code == 200
    soup = page("/guides/paying-for-care/age")
    response_text = response.get_data(as_text=True)
    assert "Enter a whole number, like 12" in response_text and "govuk-error-summary" in response_text
    assert soup.find("a", string=lambda s: s and "Back" in s)["href"].endswith("/setting")


def test_you_cannot_skip_ahead_to_a_question_you_have_not_reached(anonymous):
    response = anonymous.get("/guides/paying-for-care/care_cost")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/guides/paying-for-care/setting")


def test_unknown_guides_and_questions_are_not_found(anonymous):
    assert anonymous.get("/guides/no-such-guide").status_code == 404
    assert anonymous.get("/guides/paying-for-care/no-such-question").status_code == 404


def test_posting_without_a_csrf_token_is_refused(client):
    assert client.post("/guides/paying-for-care/setting", data={"answer": "home"}).status_code == 400


def test_changing_an_answer_returns_to_check_your_answers_and_changes_the_result(anonymous, page):
    answer_all(anonymous, "paying-for-care", CARE_AT_HOME)
    check = page("/guides/paying-for-care/check-your-answers")
    change = check.find("a", href=lambda h: h and "/savings?change=1" in h)
    assert change is not None
    response = anonymous.post(change["href"], data={"answer": "30000"})
    assert response.headers["Location"].endswith("/guides/paying-for-care/check-your-answers")
    assert "full cost" in page("/guides/paying-for-care/result").find(id="headline").get_text()


def test_changing_where_the_care_is_asks_the_new_questions_that_now_apply(anonymous, page):
    answer_all(anonymous, "paying-for-care", CARE_AT_HOME)
    response = anonymous.post("/guides/paying-for-care/setting?change=1", data={"answer": "care_home"})
    assert response.headers["Location"].endswith("/guides/paying-for-care/home_value")


def test_the_shared_walk_stops_at_the_first_unanswered_question_and_never_loops() -> None:
    from signpost.platform.question_walk import Walk, walk_questions

    routes = {"a": "b", "b": "a", "c": "end"}
    walked = walk_questions("a", routes.__contains__, {"a"}.__contains__, routes.__getitem__)
    assert walked == Walk(("a",), "b")
    looped = walk_questions("a", routes.__contains__, {"a", "b"}.__contains__, routes.__getitem__)
    assert looped == Walk(("a", "b"), "a"), "a routing that comes back round stops instead of looping"
    assert walk_questions("c", routes.__contains__, {"c"}.__contains__, routes.__getitem__) == Walk(
        ("c",), "end", finished=True
    )
