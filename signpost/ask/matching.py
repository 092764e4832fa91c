"""Match a free-text "Ask us" message to an urgent route or an intent (pure Python, no Flask).

The rules are data in ``data/intents.json``. A message is matched in this order:

1. Words: ``words()`` from directory search (lower case, punctuation and apostrophes dropped). A word that
   appears nowhere in the data, the synonyms or the filler words is corrected to the closest data word that
   starts with the same letter, if close enough ("demensia" -> "dementia", "carrer" -> "carer").
2. Urgent phrases: whole-word phrase containment, ignoring the rule's ``except`` phrases ("emergency food").
   Any hit wins over every intent; the first rule in the file that hits is the one reported. A phrase may
   contain ``{slot}`` markers, each standing for every word listed under that name in ``slots``.
3. Intents: the best ``fuzz.token_set_ratio`` (0-100) between the message and the intent's examples, both
   without filler words, plus ``KEYWORD_BONUS`` per word of each keyword phrase found (capped).

An intent has *evidence* when one of its keywords is present or an example is at least ``CONFIDENT_SIMILARITY``
alike; a loose likeness alone ("calling" vs "falling") is not evidence. The best intent is a clear answer when it
has evidence, scores at least ``CLARIFY_BELOW`` and leads the runner-up by ``CLARIFY_MARGIN``. Otherwise
``needs_clarifying`` is True and ``alternatives`` lists the top intents (up to three) that have evidence, the
first of them also being ``intent``; with none, ``intent`` is None.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from directory.search.query import synonym_data, words

INTENTS_FILE = Path(__file__).resolve().parent / "data" / "intents.json"
GUIDE_IDS = frozenset({"paying-for-care", "carers"})

Phrase = tuple[str, ...]
SLOT_RE = re.compile(r"\{(\w+)\}")

MIN_CORRECTABLE_LENGTH = 4
CORRECTION_CUTOFF = 82.0
"""How alike (rapidfuzz ``ratio``) an unknown word must be to a data word to be read as that word."""
URGENT_CORRECTION_CUTOFF = 85.0
"""Stricter cut-off for corrected words used in urgent phrases, so a typo rarely invents an emergency."""

KEYWORD_BONUS = 40.0
"""Added per word of each keyword phrase found, so "meals on wheels" counts more than "meals"."""
KEYWORD_BONUS_CAP = 160.0

CLARIFY_BELOW = 70.0
"""A best score below this asks the person to choose rather than guessing."""
CLARIFY_MARGIN = 6.0
"""If the runner-up is this close to the best, ask the person to choose."""
CONFIDENT_SIMILARITY = 90.0
"""Without a keyword, an example must be at least this alike for a confident answer ("calling" is not "falling")."""
NO_MATCH_BELOW = 40.0
"""Below this there is no intent at all (nonsense, or nothing but filler words)."""
MAX_ALTERNATIVES = 3
MAX_SCORED_WORDS = 200
"""Only the first words of a very long message are scored against intents (urgent phrases are sought in all)."""


@dataclass(frozen=True)
class PhraseSet:
    """Whole-word phrases, grouped by their first word (longest first) so a message is searched in one pass."""

    phrases: tuple[Phrase, ...]
    by_first: Mapping[str, tuple[Phrase, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, phrases: Iterable[Phrase]) -> PhraseSet:
        """A PhraseSet of these phrases (duplicates dropped)."""
        unique = tuple(dict.fromkeys(p for p in phrases if p))
        by_first: dict[str, list[Phrase]] = {}
        for phrase in sorted(unique, key=len, reverse=True):
            by_first.setdefault(phrase[0], []).append(phrase)
        return cls(unique, {word: tuple(group) for word, group in by_first.items()})

    def __contains__(self, phrase: object) -> bool:
        return phrase in self.phrases

    def find(self, tokens: Sequence[str | None]) -> Iterator[tuple[int, Phrase]]:
        """Each (position, phrase) where a phrase appears in ``tokens``, left to right, longest first."""
        for start, token in enumerate(tokens):
            for phrase in self.by_first.get(token, ()) if token is not None else ():
                if tuple(tokens[start : start + len(phrase)]) == phrase:
                    yield start, phrase


@dataclass(frozen=True)
class UrgentRule:
    """Phrases that mean someone may be in danger now; ``exceptions`` are phrases that neutralise them."""

    id: str
    phrases: PhraseSet
    exceptions: PhraseSet


@dataclass(frozen=True)
class Intent:
    """One need the front door recognises, with where it leads."""

    id: str
    examples: tuple[str, ...]
    keywords: PhraseSet
    guide: str | None
    categories: tuple[str, ...]
    example_texts: tuple[str, ...] = ()
    """The examples as matched: normalised, filler words removed (computed once)."""


@dataclass(frozen=True)
class IntentSet:
    """All intents and urgent rules, with the vocabulary used to correct typos."""

    intents: tuple[Intent, ...]
    urgent: tuple[UrgentRule, ...]
    stopwords: frozenset[str]
    vocabulary: Mapping[str, tuple[str, ...]]
    """Correction targets by first letter."""
    known: frozenset[str]
    """Words never corrected."""

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

    ``urgent`` is set when the message may mean danger now. It wins over everything: ``intent`` is then None
    and ``alternatives`` holds any ordinary needs also clearly mentioned, to offer after the urgent help.
    Otherwise ``intent`` is the best intent id (None for empty or nonsense text) and ``score`` its score
    (example likeness 0-100 plus keyword bonus; higher is better, not a probability). When the match is
    unclear, ``needs_clarifying`` is True and ``alternatives`` holds the top 2-3 ids to offer.
    """

    intent: str | None
    score: float
    urgent: str | None
    alternatives: tuple[str, ...]
    needs_clarifying: bool
    scores: Mapping[str, float] = field(default_factory=dict, compare=False)
    """every intent's score (0-100 likeness plus keyword bonus), for combining with the model"""
    keyworded: tuple[str, ...] = field(default=(), compare=False)
    """the intents one of whose keywords is in the message (stronger evidence than a likeness to an example)"""


@dataclass(frozen=True)
class Scored:
    """One intent's score for a message, and the evidence behind it."""

    intent: str
    similarity: float
    bonus: float

    @property
    def score(self) -> float:
        return self.similarity + self.bonus


def expand(text: str, slots: Mapping[str, Sequence[str]]) -> list[str]:
    """Every phrase a text with ``{slot}`` markers stands for ("{hurt} me" -> "hit me", "hits me", ...)."""
    parts = SLOT_RE.split(text)  # literal, slot name, literal, slot name, ..., literal
    choices = [[part] if n % 2 == 0 else list(slots[part]) for n, part in enumerate(parts)]
    return ["".join(combination) for combination in itertools.product(*choices)]


def _phrases(texts: Iterable[str], slots: Mapping[str, Sequence[str]]) -> PhraseSet:
    return PhraseSet.of(tuple(words(p)) for text in texts for p in expand(text, slots))


def build_intents(data: Mapping[str, Any], stopwords: Iterable[str] | None = None) -> IntentSet:
    """An IntentSet from the structure of ``intents.json``, with everything matching needs precomputed."""
    synonyms = synonym_data()
    stop = frozenset(synonyms["stopwords"] if stopwords is None else stopwords)
    slots = data.get("slots", {})
    urgent = tuple(
        UrgentRule(rule["id"], _phrases(rule["phrases"], slots), _phrases(rule.get("except", ()), slots))
        for rule in data.get("urgent", ())
    )
    intents = tuple(
        Intent(
            id=item["id"],
            examples=tuple(item["examples"]),
            keywords=_phrases(item["keywords"], slots),
            guide=item.get("guide"),
            categories=tuple(item.get("categories", ())),
            example_texts=tuple(" ".join(w for w in words(e) if w not in stop) for e in item["examples"]),
        )
        for item in data["intents"]
    )
    data_words = {w for i in intents for e in i.examples for w in words(e)}
    data_words |= {w for i in intents for k in i.keywords.phrases for w in k}
    data_words |= {w for r in urgent for p in r.phrases.phrases + r.exceptions.phrases for w in p}
    targets: dict[str, list[str]] = {}
    for word in sorted(data_words):
        if len(word) >= MIN_CORRECTABLE_LENGTH and not word.isdigit():
            targets.setdefault(word[0], []).append(word)
    synonym_words = {w for group in synonyms["groups"] for term in group["terms"] for w in words(term)}
    return IntentSet(
        intents=intents,
        urgent=urgent,
        stopwords=stop,
        vocabulary={letter: tuple(ws) for letter, ws in targets.items()},
        known=frozenset(data_words | stop | synonym_words),
    )


@cache
def load_intents() -> IntentSet:
    """The intents and urgent rules from ``data/intents.json`` (read once)."""
    return build_intents(json.loads(INTENTS_FILE.read_text(encoding="utf-8")))


def correct(tokens: Sequence[str], intents: IntentSet) -> list[tuple[str, float]]:
    """Each word as understood, with how alike it is to what was typed (100 for a word left alone)."""
    corrected: list[tuple[str, float]] = []
    for token in tokens:
        if len(token) < MIN_CORRECTABLE_LENGTH or token in intents.known or token.isdigit():
            corrected.append((token, 100.0))
            continue
        candidates = intents.vocabulary.get(token[0], ())
        best = process.extractOne(token, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=CORRECTION_CUTOFF)
        corrected.append((best[0], best[1]) if best else (token, 100.0))
    return corrected


def urgent_rule(tokens: Sequence[str], intents: IntentSet) -> str | None:
    """The id of the first urgent rule with a phrase in ``tokens`` outside its exception phrases, else None."""
    for rule in intents.urgent:
        masked: list[str | None] = list(tokens)
        for start, exception in list(rule.exceptions.find(tokens)):
            masked[start : start + len(exception)] = [None] * len(exception)
        if next(rule.phrases.find(masked), None) is not None:
            return rule.id
    return None


def keyword_bonus(tokens: Sequence[str], intent: Intent) -> float:
    """The bonus for the intent's keyword phrases in ``tokens``; each word of the message counts once."""
    remaining: list[str | None] = list(tokens)
    bonus = 0.0
    # Longest first at each place, and a matched word is blanked: "falling over" is not counted again as "falling".
    for start, keyword in intent.keywords.find(remaining):
        remaining[start : start + len(keyword)] = [None] * len(keyword)
        bonus += KEYWORD_BONUS * len(keyword)
    return min(bonus, KEYWORD_BONUS_CAP)


def score_intents(tokens: Sequence[str], intents: IntentSet) -> list[Scored]:
    """Every intent's score for these (corrected) words, best first."""
    text = " ".join(t for t in tokens if t not in intents.stopwords)
    scored = []
    for intent in intents.intents:
        similarity = 0.0
        if text:
            best = process.extractOne(text, intent.example_texts, scorer=fuzz.token_set_ratio, processor=None)
            similarity = best[1] if best else 0.0
        scored.append(Scored(intent.id, similarity, keyword_bonus(tokens, intent)))
    scored.sort(key=lambda s: s.score, reverse=True)
    return scored


def _has_evidence(scored: Scored) -> bool:
    return scored.bonus > 0 or scored.similarity >= CONFIDENT_SIMILARITY


def _is_clear(ranked: Sequence[Scored]) -> bool:
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    return _has_evidence(best) and best.score >= CLARIFY_BELOW and best.score - runner_up >= CLARIFY_MARGIN


def _for_urgent(typed: Sequence[str], corrected: Sequence[tuple[str, float]]) -> list[str]:
    """The words to look for urgent phrases in: a correction only where it is very close to what was typed."""
    pairs = zip(typed, corrected, strict=True)
    return [word if alike >= URGENT_CORRECTION_CUTOFF else raw for raw, (word, alike) in pairs]


def urgent_words(text: str, intents: IntentSet) -> list[str]:
    """The message's words as urgent phrases are sought in them (typos corrected only when very close)."""
    typed = words(text or "")
    return _for_urgent(typed, correct(typed, intents))


def match(text: str, intents: IntentSet | None = None) -> Match:
    """Understand one message: the urgent rule that applies, if any, else the best intent and whether to ask."""
    intents = intents or load_intents()
    typed = words(text or "")
    corrected = correct(typed, intents)
    tokens = [word for word, _ in corrected]
    ranked = score_intents(tokens[:MAX_SCORED_WORDS], intents) if tokens else []

    scores = {s.intent: s.score for s in ranked}
    keyworded = tuple(s.intent for s in ranked if s.bonus > 0)
    urgent = urgent_rule(_for_urgent(typed, corrected), intents)
    if urgent is not None:
        also = tuple(s.intent for s in ranked[:MAX_ALTERNATIVES] if s.bonus > 0 and s.score >= CLARIFY_BELOW)
        return Match(
            intent=None,
            score=100.0,
            urgent=urgent,
            alternatives=also,
            needs_clarifying=False,
            scores=scores,
            keyworded=keyworded,
        )

    if ranked and _is_clear(ranked):
        best = ranked[0]
        return Match(
            best.intent,
            round(best.score, 1),
            None,
            (),
            needs_clarifying=False,
            scores=scores,
            keyworded=keyworded,
        )
    offered = [s for s in ranked[:MAX_ALTERNATIVES] if _has_evidence(s) and s.score >= NO_MATCH_BELOW]
    top = offered[0] if offered else (ranked[0] if ranked else None)
    return Match(
        intent=offered[0].intent if offered else None,
        score=round(top.score, 1) if top else 0.0,
        urgent=None,
        alternatives=tuple(s.intent for s in offered),
        needs_clarifying=True,
        scores=scores,
        keyworded=keyworded,
    )
