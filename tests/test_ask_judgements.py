"""The "Ask us" matcher judged against real phrasings (tests/data/ask_judgements.csv)."""

import csv
from pathlib import Path

from signpost.ask.matching import match

JUDGEMENTS = Path(__file__).parent / "data" / "ask_judgements.csv"
REQUIRED_ACCURACY = 0.90


def judged_right(text: str, expected: str) -> bool:
    found = match(text)
    if expected.startswith("urgent:"):
        return found.urgent == expected.split(":", 1)[1]
    if expected == "clarify":
        return found.needs_clarifying and found.urgent is None
    return found.urgent is None and not found.needs_clarifying and found.intent == expected


def test_the_matcher_gets_at_least_nine_in_ten_phrasings_right():
    rows = list(csv.DictReader(JUDGEMENTS.open(encoding="utf-8")))
    assert len(rows) >= 60
    misses = [(r["text"], r["expected"]) for r in rows if not judged_right(r["text"], r["expected"])]
    accuracy = 1 - len(misses) / len(rows)
    print(f"ask judgement set: {len(rows)} phrasings, accuracy {accuracy:.1%}; misses: {misses}")
    assert accuracy >= REQUIRED_ACCURACY, misses


def test_urgent_words_win_over_everything_else():
    assert match("my husband hits me and I need help with money").urgent == "abuse"
    assert match("I want to kill myself").urgent == "suicide"
