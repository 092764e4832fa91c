"""Helpers for the security tests: a signposting call recorded through the real staff pages."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.support.staff_helpers import csrf_token, sign_in

CALLER_EMAIL = "pat.caller@example.org"


def signpost_a_caller(client, email: str = CALLER_EMAIL, district: str = "Watford") -> str:
    """Sign in as a call handler, list one service and record the call; returns the record's id."""
    sign_in(client, "call_handler")
    page = BeautifulSoup(client.get("/staff/signpost?q=dementia").get_data(as_text=True), "html.parser")
    service_id = page.find("input", attrs={"name": "service_id"})["value"]
    token = csrf_token(client, "/staff/signpost?q=dementia")
    added = client.post("/staff/signpost/list/add", data={"service_id": service_id, "csrf_token": token})
    assert added.status_code == 302
    saved = client.post(
        "/staff/signpost/record",
        data={
            "csrf_token": token,
            "need_category": "dementia",
            "district": district,
            "channel": "phone",
            "survey_consent": "yes",
            "send_by": "email",
            "email": email,
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:400]
    return saved.headers["Location"].rsplit("/", 1)[-1]
