"""Answers that take each guide from its first question to a result, and a helper that gives them in a browser."""

from __future__ import annotations

from signpost.guides.flows import carers, paying_for_care
from tests.support.guide_answers import LOOKING_AFTER_SOMEONE, PAYING_FOR_CARE

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
