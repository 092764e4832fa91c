"""Answers that take each guide from its first question to a result, and a helper that gives them in a browser."""

from __future__ import annotations

from signpost.guides.flows import carers, paying_for_care

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

# By URL name, taken from the flows themselves.
GUIDES = {paying_for_care.FLOW.id: PAYING_FOR_CARE, carers.FLOW.id: LOOKING_AFTER_SOMEONE}


def question_id(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[1]


def answer_for(answers: dict, url: str):
    question = question_id(url)
    assert question in answers, f"no answer for the question {question!r}: add one to tests/browser/guide_answers.py"
    return answers[question]


def fill_answer(tab, value) -> None:
    """Give one answer with the ordinary form controls (radios, checkboxes, text)."""
    first = tab.locator('input[name="answer"]').first
    kind = first.get_attribute("type")
    if kind in ("radio", "checkbox"):
        for chosen in value if isinstance(value, list) else [value]:
            tab.locator(f'input[name="answer"][value="{chosen}"]').check()
    else:
        first.fill(value)
