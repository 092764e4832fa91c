"""Answers that take each guide from its first question to a result, shared by the page, browser and
readability tests, and a helper that gives them through the Flask test client."""

from __future__ import annotations

import re

from flask import g

from signpost.guides.registry import FLOWS

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

PAYING_FOR_CARE = {
    "setting": "home",
    "age": "80",
    "pension_age": "yes",
    "partner": "no",
    "savings": "15250",
    "joint_savings": "0",
    "other_property": "0",
    "owns_home": "yes",
    "state_pension": "230",
    "other_pensions": "40",
    "disability_benefits": "aa_lower",
    "disability_benefits_amount": "73.90",
    "other_benefits": "0",
    "housing_costs": "0",
    "dre": "0",
    "care_cost": "200",
}

LOOKING_AFTER_SOMEONE = {
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
CARE_HOME_WHERE_THE_HOME_COUNTS = {
    **PAYING_FOR_CARE,
    "setting": "care_home",
    "savings": "1000",
    "home_value": "250000",
    "who_lives_there": ["nobody"],
    "first_12_weeks": "no",
}


def answer_all(client, flow_id: str, answers: dict):
    """Open each question page and answer it until "check your answers", which is returned."""
    response = client.get(f"/guides/{flow_id}")
    assert response.status_code == 200
    url = f"/guides/{flow_id}/{FLOWS[flow_id].start}"
    for _ in range(40):
        g.pop("csrf_token", None)  # a real new request has no cached token (see staff_helpers.csrf_token)
        response = client.get(url)
        assert response.status_code == 200, url
        form = {"answer": answers[url.rsplit("/", 1)[1]]}
        token = CSRF_FIELD.search(response.get_data(as_text=True))
        if token:  # post the form as a browser would, with its CSRF token
            form["csrf_token"] = token.group(1)
        response = client.post(url, data=form)
        assert response.status_code == 302, (url, _error_summary(response.get_data(as_text=True)))
        url = response.headers["Location"]
        if url.endswith("check-your-answers"):
            return client.get(url)
    raise AssertionError("the guide never finished")


def _error_summary(html: str) -> str:
    start = html.find("govuk-error-summary")
    return html[start : start + 1500] if start >= 0 else html[:1500]
