"""Hostile and random input: never a 500, always a clear refusal, and HTML stays inert."""

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signpost.guides.flow import Invalid, Kind, Question, parse_answer

FIXTURE_SAFE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(max_size=60)
search_params = st.dictionaries(
    st.sampled_from(
        ["q", "postcode", "category", "district", "distance", "age", "day", "delivery", "free", "page", "exact", "lang"]
    ),
    text,
    max_size=6,
)


@FIXTURE_SAFE
@given(params=search_params)
def test_any_search_query_string_gets_a_page_not_an_error(client, params):
    response = client.get("/directory/search?" + urlencode(params))
    assert response.status_code == 200


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(list(Kind)), raw=st.one_of(st.none(), text, st.lists(text, max_size=4)))
def test_any_answer_to_any_question_is_a_value_or_a_clear_refusal(kind, raw):
    question = Question(
        id="q",
        kind=kind,
        text="Q",
        next="end",
        minimum=0,
        maximum=1000,
        options=() if kind not in (Kind.CHOICE, Kind.CHOICES) else (),
    )
    if kind in (Kind.CHOICE, Kind.CHOICES):
        from signpost.guides.flow import Option

        question = Question(id="q", kind=kind, text="Q", next="end", options=(Option("a", "A"), Option("b", "B")))
    result = parse_answer(question, raw)
    assert isinstance(result, Invalid) or result is not None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=10,
)
estimate_bodies = st.dictionaries(
    st.sampled_from(
        [
            "tax_year",
            "setting",
            "age",
            "couple",
            "capital",
            "weekly_income",
            "weekly_care_cost",
            "owns_home",
            "home_value",
            "home_occupied_by",
            "weeks_in_care_home",
            "policy",
            "weekly_housing_costs",
            "receives_night_care",
        ]
    ),
    json_values,
)


@FIXTURE_SAFE
@given(body=estimate_bodies)
def test_the_estimate_api_answers_any_json_with_a_result_or_field_errors(client, body):
    response = client.post("/api/v1/paying-for-care/estimate", json=body)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json["errors"]


@FIXTURE_SAFE
@given(
    body=st.dictionaries(
        st.sampled_from(
            [
                "age",
                "hours_caring_per_week",
                "weekly_earnings_net",
                "cared_for_benefit",
                "full_time_education",
                "tax_year",
            ]
        ),
        json_values,
    )
)
def test_the_carers_allowance_api_answers_any_json(client, body):
    assert client.post("/api/v1/carers-allowance/check", json=body).status_code in (200, 400)


@FIXTURE_SAFE
@given(message=st.text(max_size=600))
def test_ask_us_answers_any_message(client, app, message):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = client.post("/ask", data={"message": message, "postcode": ""})
        assert response.status_code in (200, 302)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_html_typed_into_search_is_shown_as_text(client):
    html = client.get("/directory/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_oversized_bodies_are_refused(client):
    response = client.post(
        "/api/v1/paying-for-care/estimate", data="x" * (3 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413


RESERVED_URL_FOR_ARGUMENTS = [
    "_method=POST",
    "endpoint=x",
    "_external=&_scheme=https",
    "_anchor=x",
    "values=1",
    "lang=pl&_method=DELETE",
]


@pytest.mark.parametrize("query", RESERVED_URL_FOR_ARGUMENTS)
@pytest.mark.parametrize("path", ["/", "/directory/search", "/guides/", "/ask", "/staff/login", "/no-such-page"])
def test_reserved_url_for_arguments_in_the_query_are_just_ignored(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 404), response.get_data(as_text=True)[:300]
    html = response.get_data(as_text=True)
    other = "en" if "lang=pl" in query else "pl"
    switch = BeautifulSoup(html, "html.parser").find("a", attrs={"hreflang": other})
    assert switch is not None
    assert switch["href"].startswith(path + "?") and f"lang={other}" in switch["href"]
    assert "https://" not in switch["href"]


CALCULATOR_APIS = ["/api/v1/paying-for-care/estimate", "/api/v1/carers-allowance/check"]


@pytest.mark.parametrize("url", CALCULATOR_APIS)
@pytest.mark.parametrize(
    "body",
    [
        "[" * 20000 + "]" * 20000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        "[" * 200000,
        '{"age": ' + "[" * 11 + "]" * 11 + "}",
        '{"weekly_income": {' + ",".join(f'"k{i}": 1' for i in range(500)) + "}}",
        '{"policy": {"' + "y" * 5000 + '": true}}',
        '{"age": 70, "padding": "' + "x" * 70000 + '"}',
    ],
)
def test_deep_wide_or_large_json_gets_a_400_naming_the_body_not_a_500(client, url, body):
    response = client.post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json["errors"]) == {"body"}
    assert len(response.get_data()) < 200, "the refusal never quotes the body"


@pytest.mark.parametrize("url", CALCULATOR_APIS)
def test_brackets_inside_strings_do_not_count_as_nesting(client, url):
    response = client.post(url, json={"tax_year": "[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{"})
    assert response.status_code == 400
    assert response.json["errors"]["tax_year"] == "Must be a tax year like 2025-26"


@pytest.mark.parametrize("url", CALCULATOR_APIS)
@pytest.mark.parametrize("tax_year", ["0999-00", "0001-02", "0000-01", "0099-00"])
def test_a_tax_year_before_1000_is_a_field_error(client, url, tax_year):
    response = client.post(url, json={"tax_year": tax_year})
    assert response.status_code in (400, 422)
    assert "tax_year" in response.json["errors"]


def test_error_messages_quote_at_most_a_short_excerpt_of_what_was_sent(client):
    long_key = "z" * 99
    response = client.post(
        "/api/v1/paying-for-care/estimate",
        json={"weekly_income": {long_key: "1.00"}, "policy": {long_key: True, "y" + long_key[1:]: True}},
    )
    assert response.status_code == 400
    assert long_key not in response.get_data(as_text=True)
    assert any(name.startswith("weekly_income.zzz") for name in response.json["errors"])
