"""POST /api/v1/ask as the contact centre's systems use it: stateless JSON, 400 naming the field."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from signpost.platform.extensions import limiter
from tests.support.limits import reset_limits

KEYS = {"kind", "urgent", "intent", "options", "guide", "categories", "services", "contacts", "helpline"}


def ask(client, **body):
    return client.post("/api/v1/ask", json=body)


def test_an_ordinary_need_is_answered_with_guide_categories_and_nearby_services(client):
    response = ask(client, message="will I have to sell my house to pay for a care home", postcode="SG1 1AA")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == KEYS
    assert body["kind"] == "answer" and body["intent"] == "paying_for_care"
    assert body["guide"] == "paying-for-care" and body["categories"][0] == "money"
    assert body["urgent"] is None and body["contacts"] == [] and body["options"] == []
    assert isinstance(body["services"], list)


def test_risk_leads_with_contacts_and_still_carries_the_need(client):
    body = ask(client, message="my husband hits me and I need help with money").get_json()
    assert body["kind"] == "urgent" and body["urgent"] == "abuse" and body["intent"] == "money"
    assert {"name": "Emergency services", "phone": "999", "tel": "tel:999"} in body["contacts"]
    assert "0808 2000 247" in {c["phone"] for c in body["contacts"]}
    assert "tel:08082000247" in {c["tel"] for c in body["contacts"]}


@pytest.mark.parametrize("message", ["my husband hits me", "is there a lunch club", "help", "asdfgh"])
def test_every_reply_gives_the_helpline_as_a_number_to_dial(client, message):
    body = ask(client, message=message).get_json()
    assert body["helpline"] == {"name": "HertsHelp", "phone": "0300 123 4044", "tel": "tel:03001234044"}


def test_a_vague_message_gets_choices(client):
    body = ask(client, message="help with forms").get_json()
    assert body["kind"] in ("clarify", "unsure") and 2 <= len(body["options"]) <= 4


def test_the_api_is_stateless(client):
    ask(client, message="I want to end my life")
    body = ask(client, message="is there a lunch club").get_json()
    assert body["kind"] == "answer" and body["urgent"] is None


def test_the_api_needs_no_csrf_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert ask(client, message="lunch club").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "message"),
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"message": "x" * 501}, "message"),
        ({"message": 5}, "message"),
        ({"message": "lunch", "postcode": "nonsense"}, "postcode"),
        ({"message": "lunch", "postcode": 12}, "postcode"),
        ({"message": "lunch", "lang": "xx"}, "lang"),
        ([1, 2], "body"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, body, field):
    response = client.post("/api/v1/ask", json=body)
    assert response.status_code == 400
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize("message", ["a\\ud800b", "nul\\u0000byte", "\\u202e\\u2066mixed"])
def test_odd_characters_in_a_message_are_answered_not_a_500(client, message):
    response = client.post("/api/v1/ask", data=f'{{"message": "{message}"}}', content_type="application/json")
    assert response.status_code == 200


def test_a_body_that_is_not_json_is_a_400(client):
    response = client.post("/api/v1/ask", data="not json", content_type="text/plain")
    assert response.status_code == 400 and "body" in response.get_json()["errors"]


def test_the_api_is_rate_limited_like_the_page(app, client):
    app.config["ASK_RATE_LIMIT"] = "2 per minute"
    limiter.enabled = True
    reset_limits()
    try:
        codes = [ask(client, message="lunch club").status_code for _ in range(3)]
    finally:
        reset_limits()
        limiter.enabled = False
        app.config["ASK_RATE_LIMIT"] = "30 per minute"
    assert codes == [200, 200, 429]


def test_the_endpoint_is_documented_and_conforms_to_its_document(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema["/api/v1/ask"]["POST"]
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case):
        case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})

    fuzz()
