"""Match a free-text message to an urgent route or an intent (pure Python, no Flask).

The rules are data in ``data/intents.json``. A message is matched in this order:

1. Words: ``words()`` from directory search (lower case, no punctuation, apostrophes dropped), then each word
   nobody in the data uses is corrected to the closest word the data does use, if close enough and starting
   with the same letter ("demensia" -> "dementia", "carrer" -> "carer").
2. Urgent phrases: whole-word phrase containment. Any hit wins over every intent; the first rule in the file
   that hits is the one reported.
3. Intents: the best ``fuzz.token_set_ratio`` between the message and the intent's examples (filler words
   removed from both), plus a bonus for the intent's keyword phrases found in the message.

The best intent is returned, but ``needs_clarifying`` is set when its score is below ``CLARIFY_BELOW`` or the
runner-up is within ``CLARIFY_MARGIN``; ``alternatives`` then lists the few intents worth offering.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from directory.search.query import synonym_data, words

INTENTS_FILE = Path(__file__).resolve().parent / "data" / "intents.json"

Phrase = tuple[str, ...]

CORRECTION_CUTOFF = 80.0
"""How alike (rapidfuzz ``ratio``) an unknown word must be to a data word to be read as that word."""
URGENT_CORRECTION_CUTOFF = 85.0
"""A stricter cut-off for corrected words used in urgent phrases, so that a typo never invents an emergency."""
MIN_CORRECTABLE_LENGTH = 4

KEYWORD_BONUS = 12.0
"""Added for each keyword phrase found, per word of the phrase (longer phrases are stronger evidence)."""
KEYWORD_BONUS_CAP = 36.0

CLARIFY_BELOW = 75.0
"""A best score below this asks the person to choose rather than guessing."""
CLARIFY_MARGIN = 6.0
"""If the runner-up is this close to the best, ask the person to choose."""
NO_MATCH_BELOW = 40.0
"""Below this there is no intent at all (nonsense or only filler words)."""
MAX_ALTERNATIVES = 3


@dataclass(frozen=True)
class UrgentRule:
    """Phrases that mean someone may be in danger now; ``exceptions`` are phrases that neutralise them."""

    id: str
    phrases: tuple[Phrase, ...]
    exceptions: tuple[Phrase, ...] = ()


@dataclass(frozen=True)
class Intent:
    """One need the front door recognises, with where it leads."""

    id: str
    examples: tuple[str, ...]
    keywords: tuple[Phrase, ...]
    guide: str | None
    categories: tuple[str, ...]
    example_texts: tuple[str, ...] = ()
    """The examples normalised for fuzzy matching (filler words removed), computed once."""


@dataclass(frozen=True)
class IntentSet:
    """All intents and urgent rules, with the vocabulary used to correct typos."""

    intents: tuple[Intent, ...]
    urgent: tuple[UrgentRule, ...]
    stopwords: frozenset[str]
    vocabulary: tuple[str, ...]
    known: frozenset[str]

    @property
    def ids(self) -> tuple[str, ...]:
        """Intent ids in file order."""
        return tuple(intent.id for intent in self.intents)

    def get(self, intent_id: str) -> Intent:
        """The intent with this id (KeyError if there is none)."""
        for intent in self.intents:
            if intent.id == intent_id:
                return intent
        raise KeyError(intent_id)


@dataclass(frozen=True)
class Match:
    """What a message was understood to be about.

    ``urgent`` is set when the message may mean danger now; it wins over everything and ``intent`` is then
    None (``alternatives`` holds any ordinary needs also mentioned, to offer after the urgent help).
    Otherwise ``intent`` is the best intent id (None for empty or nonsense text), and when the match is
    unclear ``needs_clarifying`` is True and ``alternatives`` holds the top 2-3 ids to offer.
    """

    intent: str | None
    score: float
    urgent: str | None
    alternatives: tuple[str, ...]
    needs_clarifying: bool


def _phrase(text: str) -> Phrase:
    return tuple(words(text))


def _phrases(texts: Iterable[str]) -> tuple[Phrase, ...]:
    return tuple(p for p in (_phrase(t) for t in texts) if p)


def build_intents(data: Mapping[str, Any], stopwords: Iterable[str] | None = None) -> IntentSet:
    """Build an IntentSet from the JSON structure of ``intents.json``, precomputing everything matching needs."""
    stop = frozenset(synonym_data()["stopwords"] if stopwords is None else stopwords)
    urgent = tuple(
        UrgentRule(id=rule["id"], phrases=_phrases(rule["phrases"]), exceptions=_phrases(rule.get("except", ())))
        for rule in data.get("urgent", ())
    )
    intents = []
    for item in data["intents"]:
        examples = tuple(item["examples"])
        intents.append(
            Intent(
                id=item["id"],
                examples=examples,
                keywords=tuple(sorted(_phrases(item["keywords"]), key=len, reverse=True)),
                guide=item.get("guide"),
                categories=tuple(item.get("categories", ())),
                example_texts=tuple(" ".join(w for w in words(e) if w not in stop) for e in examples),
            )
        )
    vocabulary = {w for i in intents for e in i.examples for w in words(e)}
    vocabulary |= {w for i in intents for k in i.keywords for w in k}
    vocabulary |= {w for r in urgent for p in r.phrases + r.exceptions for w in p}
    synonym_words = {w for g in synonym_data()["groups"] for t in g["terms"] for w in words(t)}
    return IntentSet(
        intents=tuple(intents),
        urgent=urgent,
        stopwords=stop,
        vocabulary=tuple(sorted(w for w in vocabulary if len(w) >= MIN_CORRECTABLE_LENGTH and not w.isdigit())),
        known=frozenset(vocabulary | stop | synonym_words),
    )


@cache
def load_intents() -> IntentSet:
    """The intents and urgent rules from ``data/intents.json`` (read once)."""
    return build_intents(json.loads(INTENTS_FILE.read_text(encoding="utf-8")))


def correct(tokens: Sequence[str], intents: IntentSet) -> list[tuple[str, float]]:
    """Each word with its correction and how alike they are (100 for a word left as it is)."""
    corrected: list[tuple[str, float]] = []
    for token in tokens:
        if len(token) < MIN_CORRECTABLE_LENGTH or token in intents.known or token.isdigit():
            corrected.append((token, 100.0))
            continue
        candidates = [w for w in intents.vocabulary if w[0] == token[0]]
        best = process.extractOne(token, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=CORRECTION_CUTOFF)
        corrected.append((best[0], best[1]) if best else (token, 100.0))
    return corrected


def _positions(tokens: Sequence[str | None], phrase: Phrase) -> Iterable[int]:
    size = len(phrase)
    for start in range(len(tokens) - size + 1):
        if tuple(tokens[start : start + size]) == phrase:
            yield start


def contains(tokens: Sequence[str | None], phrase: Phrase) -> bool:
    """Whether the words of ``phrase`` appear together, in order, in ``tokens``."""
    return next(iter(_positions(tokens, phrase)), None) is not None


def urgent_rule(tokens: Sequence[str], intents: IntentSet) -> str | None:
    """The id of the first urgent rule whose phrase appears (outside its exception phrases), else None."""
    for rule in intents.urgent:
        masked: list[str | None] = list(tokens)
        for exception in rule.exceptions:
            for start in _positions(tokens, exception):
                masked[start : start + len(exception)] = [None] * len(exception)
        if any(contains(masked, phrase) for phrase in rule.phrases):
            return rule.id
    return None


def keyword_bonus(tokens: Sequence[str], intent: Intent) -> float:
    """Bonus for the intent's keyword phrases in the message; each word of the message counts once."""
    remaining: list[str | None] = list(tokens)
    bonus = 0.0
    for keyword in intent.keywords:  # longest first, so "falling over" is not also counted as "falling"
        for start in _positions(remaining, keyword):
            remaining[start : start + len(keyword)] = [None] * len(keyword)
            bonus += KEYWORD_BONUS * len(keyword)
            break
    return min(bonus, KEYWORD_BONUS_CAP)


def score_intents(tokens: Sequence[str], intents: IntentSet) -> list[tuple[str, float]]:
    """Every intent's score for these (corrected) words, best first."""
    text = " ".join(t for t in tokens if t not in intents.stopwords)
    scores = []
    for intent in intents.intents:
        fuzzy = 0.0
        if text:
            best = process.extractOne(text, intent.example_texts, scorer=fuzz.token_set_ratio, processor=None)
            fuzzy = best[1] if best else 0.0
        scores.append((intent.id, fuzzy + keyword_bonus(tokens, intent)))
    scores.sort(key=lambda pair: pair[1], reverse=True)
    return scores


def match(text: str, intents: IntentSet | None = None) -> Match:
    """Understand one message: an urgent rule if any applies, else the best intent and whether to ask."""
    intents = intents or load_intents()
    corrected = correct(words(text or ""), intents)
    tokens = [word for word, _ in corrected]
    ranked = score_intents(tokens, intents) if tokens else []
    plausible = tuple(i for i, s in ranked[:MAX_ALTERNATIVES] if s >= CLARIFY_BELOW)

    strict = [
        word if alike >= URGENT_CORRECTION_CUTOFF else raw
        for (word, alike), raw in zip(corrected, words(text or ""), strict=False)
    ]
    urgent = urgent_rule(strict, intents)
    if urgent is not None:
        return Match(intent=None, score=100.0, urgent=urgent, alternatives=plausible, needs_clarifying=False)

    if not ranked or ranked[0][1] < NO_MATCH_BELOW:
        return Match(
            intent=None, score=ranked[0][1] if ranked else 0.0, urgent=None, alternatives=(), needs_clarifying=True
        )
    best_id, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    unclear = best < CLARIFY_BELOW or best - runner_up < CLARIFY_MARGIN
    alternatives = tuple(i for i, s in ranked[:MAX_ALTERNATIVES] if s >= NO_MATCH_BELOW and best - s < CLARIFY_BELOW)
    return Match(
        intent=best_id,
        score=round(best, 1),
        urgent=None,
        alternatives=alternatives if unclear else (),
        needs_clarifying=unclear,
    )
