"""Plain English: the guide outcomes score 60 or more on Flesch reading ease, and the readability measure is right.

The scores are printed (`pytest -s` is not needed). The method is described in ``signpost/platform/readability.py``.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from signpost.platform.readability import PLAIN_ENGLISH, score, syllables
from tests.support.guide_answers import CARE_HOME_WHERE_THE_HOME_COUNTS, answer_all
from tests.support.guide_answers import LOOKING_AFTER_SOMEONE as FULL_TIME_CARER
from tests.support.guide_answers import PAYING_FOR_CARE as CARE_AT_HOME

OUTCOMES = {
    "paying for care at home": ("paying-for-care", CARE_AT_HOME),
    "paying for a care home": ("paying-for-care", CARE_HOME_WHERE_THE_HOME_COUNTS),
    "looking after someone": ("carers", FULL_TIME_CARER),
}
BLOCKS = ["h1", "h2", "h3", "p", "li", "span", "div"]


def main_text(html: str) -> str:
    """The resident-facing words of a page's main content: one line per heading, paragraph, list item or inset.

    Left out: the back link, things not printed (the print button) and the list of nearby services, whose
    names and details are written by the organisations that run them.
    """
    main = BeautifulSoup(html, "html.parser").find("main")
    for tag in main.select(".govuk-back-link, .signpost-no-print, #nearby, button"):
        tag.decompose()
    lines = []
    for tag in main.find_all(BLOCKS):
        if tag.name == "span" and "govuk-caption-l" not in tag.get("class", []):
            continue
        if tag.name == "div" and "govuk-inset-text" not in tag.get("class", []):
            continue
        if tag.find(["h1", "h2", "h3", "p", "li"]):
            continue
        lines.append(tag.get_text(" ", strip=True))
    return "\n".join(line for line in lines if line)


@pytest.fixture
def anonymous(client, app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield client
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("name", OUTCOMES)
def test_guide_outcomes_are_in_plain_english(anonymous, capsys, name):
    flow_id, answers = OUTCOMES[name]
    answer_all(anonymous, flow_id, answers)
    response = anonymous.get(f"/guides/{flow_id}/result")
    assert response.status_code == 200
    text = main_text(response.get_data(as_text=True))
    result = score(text)
    with capsys.disabled():
        print(f"\n{name}: {result}")
    assert result.words > 100, f"too little text found on the {name} outcome:\n{text}"
    assert result.reading_ease >= PLAIN_ENGLISH, f"the {name} outcome is not plain English: {result}\n{text}"


def test_syllables_are_counted_by_vowel_groups():
    assert [syllables(w) for w in ["cat", "care", "home", "free", "table", "people", "money", "asked", "needed"]] == [
        1,
        1,
        1,
        1,
        2,
        2,
        2,
        1,
        2,
    ]
    assert syllables("Carer's") == 2
    assert syllables("day-to-day") == 3


def test_a_short_plain_sentence_is_very_easy():
    result = score("The cat sat on the mat.")
    assert (result.sentences, result.words, result.syllables) == (1, 6, 6)
    # 206.835 − 1.015 × 6 − 84.6 × 1 and 0.39 × 6 + 11.8 × 1 − 15.59
    assert result.reading_ease == pytest.approx(116.145)
    assert result.grade == pytest.approx(-1.45)


def test_a_sentence_of_long_words_is_very_hard():
    result = score("Financial assessments determine contributions.")
    # fi-nan-cial 3, as-sess-ments 3, de-ter-mine 3, con-tri-bu-tions 4
    assert (result.sentences, result.words, result.syllables) == (1, 4, 13)
    assert result.reading_ease == pytest.approx(206.835 - 1.015 * 4 - 84.6 * 13 / 4)  # −72.175
    assert result.grade == pytest.approx(0.39 * 4 + 11.8 * 13 / 4 - 15.59)  # 24.32


def test_sentences_end_at_full_stops_and_line_breaks_but_not_inside_amounts():
    result = score("You pay £4.00 a week. Call us on 0300 123 4044!\nBreaks from caring")
    assert result.sentences == 3
    assert result.words == 10  # amounts and phone numbers are not words
