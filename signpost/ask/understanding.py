"""What a resident's message means: risk signals, needs with a confidence, and a place (plain Python, no Flask).

``understand(text)`` is the one understanding of needs shared by "Ask us" (and meant for directory search to
call later). Risk comes first and is built for recall; three independent signals, each from reviewed data:

- ``phrases``: the urgent phrases in ``data/intents.json`` (whole words, typo-tolerant, with the rule's
  ``except`` phrases masked), a phrase straight after a negator ("not an emergency") not counting;
- ``patterns``: regular expressions in ``data/risk.json`` for indirect wording ("no point in me being here",
  "on the floor since last night", "he uses her bank card");
- ``model``: cosine similarity to reviewed risk examples (in every site language; and to the development rows,
  kept as vectors in ``data/heads.npz``) from the embedding model in ``semantic``, counted when the message is
  closer to a risk example than to any ordinary example by ``RISK_MARGIN`` and at least ``RISK_SIMILARITY``
  alike.

  The model also has fitted read-outs (``semantic.heads``, ridge regression over the vectors of the reviewed
  examples and the development sets, ``python -m bench.ask_train``): a risk score counted from ``RISK_HEAD``,
  which risk it is, and a score per need.

Any one signal, even weak, makes the message urgent. A reviewed figure of speech ("dying for a cuppa", "this form
is killing me", "emergency food parcel", ``figures_of_speech`` in ``risk.json``) or reassurance ("she's fine now",
"not hurt", ``not_now``) raises the model's thresholds to the ``except`` ones, only when no reviewed phrase or
pattern found a risk. Needs come from the model's need
read-out plus the phrase matcher's scores (``matching``; the matcher alone when the model is absent); ``clear``
says whether the best need is confident enough to answer without asking. A greeting, a test or nonsense ("hello",
"asdfgh") is a class of the need read-out of its own (``NOT_A_NEED``): ``understood`` is then False and no need
is given, rather than the nearest one. ``place`` is a postcode or a
Hertfordshire town named in the message.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from directory.postcodes import Place, PostcodeError, centroids, locate
from directory.search.query import words
from signpost.ask import semantic
from signpost.ask.matching import INTENTS_FILE, IntentSet, load_intents, match, urgent_words

RISK_FILE = Path(__file__).resolve().parent / "data" / "risk.json"
NEEDS_I18N_FILE = Path(__file__).resolve().parent / "data" / "needs_i18n.json"
SIGNAL_ORDER = ("phrases", "patterns", "model")
RISK_SIGNALS = frozenset(SIGNAL_ORDER)

RISK_SIMILARITY = 0.86
"""A message must be at least this alike (cosine) to a reviewed risk example for the model signal."""
RISK_MARGIN = 0.01
"""...and more alike to it than to every ordinary example by this much."""
EXCEPTED_MARGIN = 0.03
"""The margin when the message holds one of the rule's reviewed ``except`` phrases ("fell and hurt her knee")."""
NEED_SIMILARITY = 0.87
"""The model's best intent is a confident answer at this likeness to one of its examples..."""
NEED_MARGIN = 0.015
"""...when it leads the next intent by this much."""
RISK_HEAD = 0.40
"""The fitted risk read-out (about 1 for risk, 0 for ordinary) counts as a model signal from here. This and the
three above were chosen together on the development sets for recall first, then fewest false urgent, by
``python -m bench.ask_train --cv --dev-anchors`` (the whole decision, 5-fold, development rows as examples)."""
RISK_HEAD_EXCEPTED = 0.60
"""...and from here when the message holds a rule's reviewed ``except`` phrase ("carers emergency plan")."""
ORDINARY_SIMILARITY = 0.94
"""A message at least this alike to an ordinary example (reviewed or development row), and more alike to it than to
every risk example, is an everyday message put another way ("my mum keeps falling over")..."""
RISK_HEAD_ORDINARY = 0.50
# The risk read-out alone needs this much when the message is past only (``past_only``).
RISK_HEAD_PAST = 0.80
"""...and the risk read-out alone then counts from here. Both chosen by ``python -m bench.ask_cv`` with the read-outs
and development rows of the other folds: on the development rows, 0.5 from 0.92 up loses no urgent row (from 0.90 it
loses four) and 0.94 clears 11 false urgent (71 -> 63 English, 14 -> 11 other languages); a phrase or pattern
still makes such a message urgent."""
PHRASE_WEIGHT = 0.2
"""A need's score is the fitted need read-out plus this times the phrase matcher's score / 100..."""
NEAREST_NEED_WEIGHT = 4.0
"""...plus this times the message's likeness (cosine) to the nearest example of that need, reviewed or development
row. With ``PHRASE_WEIGHT`` and ``bench.ask_train.LAMBDA`` chosen by ``python -m bench.ask_cv --need-grid`` (5-fold,
each row's own fold left out of the read-outs and of the examples): English first needs 87.4% -> 90.1%, other
languages 86.1% -> 91.1%, against the read-out and phrases alone."""
NEED_CLEAR_MARGIN = 0.15
"""The best need is answered without asking when it leads the next by this much."""
MAX_OPTIONS = 4
NOT_A_NEED = "none"
"""The label (and need read-out) of the reviewed greetings, tests and nonsense (``clarify.not_a_need`` in
``intents.json``): a message the read-out rates as this above every need, with no phrase evidence for a need,
is not understood ("asdfgh", "hello"), rather than read as the nearest need."""
NOT_ORDINARY = frozenset({"need:domestic_abuse"})
"""Examples of needs that are themselves a risk: never the ordinary contrast for the model's risk signal."""

_settings: dict[str, Any] = {"use_model": True, "risk_signals": RISK_SIGNALS}


def configure(use_model: bool = True, risk_signals: frozenset[str] | None = None) -> None:
    """Switch the model or single risk signals off (the benchmark measures what each adds)."""
    _settings["use_model"] = use_model
    _settings["risk_signals"] = RISK_SIGNALS if risk_signals is None else frozenset(risk_signals)


@dataclass(frozen=True)
class RiskSignal:
    """One reason to think someone may be at risk now."""

    rule: str
    """emergency, suicide, harm or abuse"""
    signal: str
    """phrases, patterns or model"""
    strength: float
    """1.0 for a reviewed phrase; a pattern 0.9; the model its cosine similarity"""
    evidence: str


@dataclass(frozen=True)
class Need:
    """One need the message may be about, and where it leads."""

    intent: str
    confidence: float
    """0-1; not a probability, but higher is surer"""
    guide: str | None
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Understanding:
    text: str
    risks: tuple[RiskSignal, ...]
    needs: tuple[Need, ...]
    """best first"""
    clear: bool
    """the first need is sure enough to answer without asking"""
    place: Place | None
    named: bool = False
    """the first need was named by its keywords beside an urgent phrase ("scared of him ... money")"""
    understood: bool = True
    """False for a greeting, a test or nonsense: no need at all, whatever is nearest"""

    @property
    def urgent(self) -> str | None:
        """The rule of the surest signal (a reviewed phrase, then a pattern, then the model's closest), or None.

        Between signals of one kind, the rule first in ``risk.json`` (emergency, suicide, harm, abuse) wins.
        """
        if not self.risks:
            return None
        order = [rule["id"] for rule in risk_data()["rules"]]
        surest = min(self.risks, key=lambda r: (SIGNAL_ORDER.index(r.signal), -r.strength, order.index(r.rule)))
        return surest.rule

    @property
    def intent(self) -> str | None:
        return self.needs[0].intent if self.needs and self.clear else None

    @property
    def options(self) -> tuple[str, ...]:
        """Up to four needs to offer as choices."""
        return tuple(need.intent for need in self.needs[:MAX_OPTIONS])


@cache
def risk_data() -> dict[str, Any]:
    """``data/risk.json`` with its patterns compiled (read once)."""
    data = json.loads(RISK_FILE.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        rule["compiled"] = [re.compile(pattern) for pattern in rule["patterns"]]
    data["figures"] = [re.compile(pattern) for pattern in data.get("figures_of_speech", ())]
    data["reassured"] = [re.compile(pattern) for pattern in data.get("not_now", ())]
    data["past_wording"] = [re.compile(pattern) for pattern in data.get("past", ())]
    data["still_wording"] = [re.compile(pattern) for pattern in data.get("still_now", ())]
    return data


def contacts_for(rule_id: str) -> list[dict[str, str]]:
    """The reviewed contacts for an urgent rule, most urgent first: name, phone as shown, tel to dial."""
    data = risk_data()
    rule = next(rule for rule in data["rules"] if rule["id"] == rule_id)
    return [{"id": key, **data["contacts"][key]} for key in rule["contacts"]]


def anchor_examples() -> list[tuple[str, str]]:
    """(label, text) for every sentence the model compares with: "risk:<rule>", "safe" and "need:<intent>"."""
    data = risk_data()
    examples = [(f"risk:{rule['id']}", text) for rule in data["rules"] for text in rule["examples"]]
    examples += [("safe", text) for text in data["safe_examples"]]
    clarify = json.loads(INTENTS_FILE.read_text(encoding="utf-8"))["clarify"]
    examples += [(NOT_A_NEED, text) for text in clarify.get("not_a_need", ())]
    examples += [(f"need:{intent.id}", text) for intent in load_intents().intents for text in intent.examples]
    translated = json.loads(NEEDS_I18N_FILE.read_text(encoding="utf-8"))["examples"]
    ids = set(load_intents().ids)
    examples += [
        (f"need:{intent}", text)
        for by_intent in translated.values()
        for intent, texts in by_intent.items()
        if intent in ids
        for text in texts
    ]
    return examples


@cache
def _index() -> semantic.AnchorIndex | None:
    model = semantic.embedder()
    return semantic.build_index(model, anchor_examples()) if model is not None else None


def model_ready() -> bool:
    """Load the model and its example vectors now (at start-up rather than on the first message)."""
    return _settings["use_model"] and _index() is not None


@dataclass(frozen=True)
class ModelView:
    """What the model makes of one message: likeness to each label's examples and the fitted read-outs."""

    similarities: dict[str, float]
    risk: float | None = None
    rules: Mapping[str, float] | None = None
    needs: Mapping[str, float] | None = None
    nearest_needs: Mapping[str, float] | None = None
    """likeness to the nearest example of each need (reviewed examples and development rows)"""


VECTOR_CACHE = 256
"""Recent messages' vectors kept (by a hash of the text, never the text), so a follow-up read with the message
before it needs no second encode."""
_vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()


def _vector(text: str) -> np.ndarray | None:
    """The model's vector for a message (its first 1000 characters), from the recent cache when there."""
    model = semantic.embedder()
    if model is None:
        return None
    key = hashlib.sha256(text[:1000].encode("utf-8", "replace")).digest()
    if (cached := _vectors.get(key)) is not None:
        _vectors.move_to_end(key)
        return cached
    vector = model.encode([text[:1000]])[0]
    _vectors[key] = vector
    while len(_vectors) > VECTOR_CACHE:
        _vectors.popitem(last=False)
    return vector


def _model_view(text: str, vector: np.ndarray | None = None) -> ModelView | None:
    """What the model makes of the message (or of ``vector`` when given, for a follow-up read with the one before)."""
    if not _settings["use_model"] or not text.strip():
        return None
    index = _index()
    if index is None:
        return None
    vector = _vector(text) if vector is None else vector
    if vector is None:
        return None
    fitted = semantic.heads()
    similarities, nearest = index.nearest(vector)
    if fitted is None:
        return ModelView(similarities)
    if fitted.examples is not None:  # the development rows, as further examples
        by_label, by_need = fitted.examples.nearest(vector)
        for label, value in by_label.items():
            similarities[label] = max(similarities.get(label, -1.0), value)
        for intent, value in by_need.items():
            nearest[intent] = max(nearest.get(intent, -1.0), value)
    risk, rules, needs = fitted.scores(vector)
    return ModelView(similarities, risk, rules, needs, nearest)


def _similarities(text: str) -> dict[str, float] | None:
    view = _model_view(text)
    return view.similarities if view else None


def phrase_risks(text: str, intents: IntentSet | None = None) -> list[RiskSignal]:
    """Urgent phrases found, outside their rule's exceptions and not straight after a negator."""
    intents = intents or load_intents()
    tokens = urgent_words(text, intents)
    negators = frozenset(risk_data()["negators"])
    found = []
    for rule in intents.urgent:
        masked: list[str | None] = list(tokens)
        for start, exception in list(rule.exceptions.find(tokens)):
            masked[start : start + len(exception)] = [None] * len(exception)
        for start, phrase in rule.phrases.find(masked):
            before = tokens[max(0, start - 2) : start]
            if negators.intersection(before) and not {"no", "one"} <= set(before):  # "no one" is not a negator
                continue
            found.append(RiskSignal(rule.id, "phrases", 1.0, " ".join(phrase)))
            break
    return found


def pattern_risks(text: str) -> list[RiskSignal]:
    """Indirect wording matched by a reviewed pattern (one signal per rule), in either reading of ``_readings``."""
    texts = _readings(text)
    found = []
    for rule in risk_data()["rules"]:
        for pattern in rule["compiled"]:
            if hit := pattern.search(texts[0]) or pattern.search(texts[1]):
                found.append(RiskSignal(rule["id"], "patterns", 0.9, hit.group(0)))
                break
    return found


def excepted_rules(text: str, intents: IntentSet | None = None) -> set[str]:
    """Rules one of whose reviewed ``except`` phrases is in the message."""
    intents = intents or load_intents()
    tokens = urgent_words(text, intents)
    return {rule.id for rule in intents.urgent if next(rule.exceptions.find(tokens), None) is not None}


def _readings(text: str) -> tuple[str, str]:
    """The message as search words (lower case, no punctuation) and as typed, lower-cased: the search words keep no
    vowel signs of Gurmukhi, so a pattern in Punjabi script can only match the text as typed."""
    return " ".join(words(text)), " ".join(text.casefold().split())


def _first_hit(patterns: list[re.Pattern[str]], text: str) -> str | None:
    for reading in _readings(text):
        for pattern in patterns:
            if hit := pattern.search(reading):
                return hit.group(0)
    return None


def figure_of_speech(text: str) -> str | None:
    """A reviewed figure of speech or everyday phrase with an alarming word ("dying for a cuppa", "emergency food
    parcel", "falling behind on rent") in the message, else None."""
    return _first_hit(risk_data()["figures"], text)


def reassurance(text: str) -> str | None:
    """Reviewed wording that the danger is past or absent ("she's fine now", "not hurt", "gets herself up", "not in
    any danger", "left him two years ago and I'm safe", in every site language: ``not_now`` in ``risk.json``) in the
    message, else None."""
    return _first_hit(risk_data()["reassured"], text)


def past_only(text: str) -> bool:
    """A reassurance, wording that the danger is in the past ("ten years ago", "used to", ``past`` in ``risk.json``)
    and none that it goes on now ("still", "again", "keeps", "threats", "tonight", "want to", ``still_now``): "my ex
    was violent years ago, I'm safe now" is past only; "I'm safe now but he keeps texting threats" is not."""
    data = risk_data()
    return bool(
        reassurance(text) and _first_hit(data["past_wording"], text) and not _first_hit(data["still_wording"], text)
    )


def calmed(text: str) -> bool:
    """A figure of speech or a reassurance: without a phrase or pattern, the model alone then needs more. A danger
    told as past that is then said to go on now is not calmed: "he was violent years ago, I'm safe now, but he has
    moved back in" (past wording and ``still_now`` wording beside the reassurance)."""
    if figure_of_speech(text):
        return True
    data = risk_data()
    returned = _first_hit(data["past_wording"], text) and _first_hit(data["still_wording"], text)
    return bool(reassurance(text)) and not returned


def near_ordinary(similarities: Mapping[str, float] | None) -> bool:
    """The nearest example is an ordinary one, at ``ORDINARY_SIMILARITY`` or more and nearer than any risk example."""
    if not similarities:
        return False
    ordinary = max(
        (value for label, value in similarities.items() if label not in NOT_ORDINARY and not label.startswith("risk:")),
        default=-1.0,
    )
    risky = max((value for label, value in similarities.items() if label.startswith("risk:")), default=-1.0)
    return ordinary >= ORDINARY_SIMILARITY and ordinary > risky


def head_risks(view: ModelView | None, excepted: frozenset[str] = frozenset(), past: bool = False) -> list[RiskSignal]:
    """The fitted risk read-out at ``RISK_HEAD`` or more (``RISK_HEAD_EXCEPTED`` beside an ``except`` phrase,
    ``RISK_HEAD_ORDINARY`` when the message is an ordinary example put another way, ``RISK_HEAD_PAST`` when it is
    past only), reported as the rule the rules read-out rates highest."""
    if view is None or view.risk is None or not view.rules:
        return []
    threshold = max(
        RISK_HEAD_EXCEPTED if excepted else RISK_HEAD,
        RISK_HEAD_ORDINARY if near_ordinary(view.similarities) else RISK_HEAD,
        RISK_HEAD_PAST if past else RISK_HEAD,
    )
    if view.risk < threshold:
        return []
    rule = max(view.rules, key=lambda key: view.rules[key])  # type: ignore[index]
    return [RiskSignal(rule, "model", round(min(view.risk, 1.0), 3), "risk read-out")]


def model_risks(similarities: Mapping[str, float] | None, excepted: frozenset[str] = frozenset()) -> list[RiskSignal]:
    """Risk rules whose reviewed examples the message is closer to than to any ordinary example.

    A rule with one of its ``except`` phrases in the message needs the wider ``EXCEPTED_MARGIN``.
    """
    if not similarities:
        return []
    ordinary = max(
        value for label, value in similarities.items() if label not in NOT_ORDINARY and not label.startswith("risk:")
    )
    found = []
    for label, value in similarities.items():
        rule = label.removeprefix("risk:")
        margin = EXCEPTED_MARGIN if rule in excepted else RISK_MARGIN
        if label.startswith("risk:") and value >= RISK_SIMILARITY and value - ordinary >= margin:
            found.append(RiskSignal(rule, "model", round(value, 3), "similar example"))
    return found


def place_in(text: str) -> Place | None:
    """A postcode or outcode ("SG1 1AA", "sg1"), else a Hertfordshire town, named in the message."""
    tokens = words(text)
    for index, first in enumerate(tokens):
        second = tokens[index + 1] if index + 1 < len(tokens) else ""
        if not any(char.isdigit() for char in first):
            continue
        for candidate in (f"{first} {second}", first):
            try:
                return locate(candidate)
            except PostcodeError:
                continue
    towns = _towns()
    for size in (3, 2, 1):
        for start in range(len(tokens) - size + 1):
            if place := towns.get(" ".join(tokens[start : start + size])):
                return place
    return None


@cache
def _towns() -> dict[str, Place]:
    """Hertfordshire post towns by name (lower case), each at its busiest-listed first outcode."""
    towns: dict[str, Place] = {}
    for place in centroids().values():
        if place.in_hertfordshire and place.town:
            towns.setdefault(" ".join(words(place.town)), place)
    return towns


def _need(intent_id: str, confidence: float, intents: IntentSet) -> Need:
    intent = intents.get(intent_id)
    return Need(intent_id, round(min(max(confidence, 0.0), 1.0), 3), intent.guide, intent.categories)


def _combined_needs(
    found: Any, by_head: Mapping[str, float], intents: IntentSet, nearest: Mapping[str, float] | None = None
) -> tuple[tuple[Need, ...], bool]:
    """Needs ranked by the fitted read-out plus the phrase matcher's score and the likeness to the need's nearest
    example; clear when the best leads enough."""
    nearest = nearest or {}
    closest = max(nearest.values(), default=0.0)  # a need's likeness counts as its shortfall from the closest need's
    # A need's confidence is the read-out and the phrases (the scale search_needs' thresholds were set on); the
    # ranking, and whether the best is clear, add the nearest example.
    confidence = {
        intent: value + PHRASE_WEIGHT * found.scores.get(intent, 0.0) / 100 for intent, value in by_head.items()
    }
    combined = {
        intent: value + NEAREST_NEED_WEIGHT * (nearest.get(intent, closest) - closest)
        for intent, value in confidence.items()
    }
    ranked = sorted(combined, key=lambda intent: combined[intent], reverse=True)
    if found.urgent and found.alternatives:  # an urgent phrase, and a need named by its keywords
        ranked = list(dict.fromkeys([found.alternatives[0], *ranked]))
        return tuple(_need(intent, confidence[intent], intents) for intent in ranked[: MAX_OPTIONS + 2]), True
    clear = combined[ranked[0]] - combined[ranked[1]] >= NEED_CLEAR_MARGIN
    if found.intent and not found.needs_clarifying and not found.urgent and found.intent == ranked[0]:
        clear = True  # the phrases and the model agree
    return tuple(_need(intent, confidence[intent], intents) for intent in ranked[: MAX_OPTIONS + 2]), clear


def _read_with_model(
    text: str,
    risks: tuple[RiskSignal, ...],
    found: Any,
    by_head: Mapping[str, float],
    intents: IntentSet,
    nearest: Mapping[str, float] | None = None,
    none_likeness: float | None = None,
) -> Understanding:
    """Needs from the model's read-out, the phrases and the nearest examples; not understood when "not a need" ranks
    above every need, read the same way (the read-out plus the nearest example), and no need's keyword is in the
    message (a likeness alone is not enough: "test" is a word of "means test for social care")."""
    needs = dict(by_head)
    not_a_need = needs.pop(NOT_A_NEED, None)
    if not_a_need is not None and not found.keyworded:
        if none_likeness is not None and nearest:  # as the needs are ranked: read-out, phrases, nearest example
            closest = max(*nearest.values(), none_likeness)
            not_a_need += NEAREST_NEED_WEIGHT * (none_likeness - closest)
            best = max(
                value
                + PHRASE_WEIGHT * found.scores.get(intent, 0.0) / 100
                + NEAREST_NEED_WEIGHT * (nearest.get(intent, closest) - closest)
                for intent, value in needs.items()
            )
        else:
            best = max(needs.values())
        if not_a_need >= best:
            return Understanding(text, risks, (), False, place_in(text), understood=False)
    combined, clear = _combined_needs(found, needs, intents, nearest)
    return Understanding(text, risks, combined, clear, place_in(text), bool(found.urgent and found.alternatives))


def understand_follow_up(previous: str, message: str, lang: str | None = None) -> Understanding:
    """The message read together with the one before it ("she is 85 and lives alone").

    Phrases and patterns read the two joined; the model's view is the normalised sum of the two messages' vectors
    (both usually in the recent cache, so no second encode), close to the vector of the joined text for this
    mean-pooled model.
    """
    together = f"{previous} {message}"
    first, second = _vector(previous) if previous.strip() else None, _vector(message) if message.strip() else None
    vector = None
    if first is not None and second is not None:
        summed = first + second
        vector = summed / max(float(np.linalg.norm(summed)), 1e-9)
    return understand(together, lang, _vector_given=vector)


def understand(text: str, lang: str | None = None, _vector_given: np.ndarray | None = None) -> Understanding:
    """Risk signals, needs and place for one message. ``lang`` is the page's language (a hint only)."""
    intents = load_intents()
    text = text or ""
    signals = _settings["risk_signals"]
    view = _model_view(text, _vector_given)
    similarities = view.similarities if view else None
    risks: list[RiskSignal] = []
    past = past_only(text)
    if "phrases" in signals and not past:  # urgent phrases in a message about a danger that is past set aside
        risks += phrase_risks(text, intents)
    if "patterns" in signals:
        risks += pattern_risks(text)
    if "model" in signals:
        excepted = frozenset(excepted_rules(text, intents))
        if not risks and calmed(text):  # "could murder a cuppa", "she's fine now": the model alone needs more
            excepted = frozenset(rule["id"] for rule in risk_data()["rules"])
        risks += model_risks(similarities, excepted)
        if not any(risk.signal == "model" for risk in risks):
            risks += head_risks(view, excepted, past and not risks)

    found = match(text, intents)
    if view is not None and view.needs:
        none_likeness = view.similarities.get(NOT_A_NEED)
        return _read_with_model(text, tuple(risks), found, view.needs, intents, view.nearest_needs, none_likeness)
    need_likeness = ((label, value) for label, value in (similarities or {}).items() if label.startswith("need:"))
    by_model = sorted(
        ((label.removeprefix("need:"), value) for label, value in need_likeness),
        key=lambda pair: pair[1],
        reverse=True,
    )
    needs: list[Need] = []
    clear = False
    if found.intent and not found.needs_clarifying and not found.urgent:
        needs.append(_need(found.intent, found.score / 100, intents))
        clear = True
    elif found.urgent and found.alternatives:  # an urgent phrase, and a need named by its keywords
        needs.append(_need(found.alternatives[0], 0.7, intents))
        clear = True
    elif by_model and by_model[0][1] >= NEED_SIMILARITY and by_model[0][1] - by_model[1][1] >= NEED_MARGIN:
        needs.append(_need(by_model[0][0], by_model[0][1], intents))
        clear = True
    offered = [*found.alternatives, *(intent for intent, _ in by_model[:3])]
    for intent_id in dict.fromkeys(offered):
        if intent_id not in {need.intent for need in needs}:
            similarity = dict(by_model).get(intent_id, 0.5)
            needs.append(_need(intent_id, similarity, intents))
    named = bool(found.urgent and found.alternatives)
    return Understanding(text, tuple(risks), tuple(needs), clear, place_in(text), named)
