"""The rules of an "Ask us" conversation, turn by turn (plain Python, no Flask).

``step(state, message)`` gives the reply and the state for the next turn. The state is only what the next
turn needs, small enough for the session cookie: the postcode, the risk disclosed earlier (it stays at the
top for the rest of the conversation), the last need answered and the last message (300 characters, read
with a vague follow-up such as "she is 85 and lives alone"). The JSON API calls ``step`` with a fresh state.

A reply is ``urgent`` when any risk signal is found now or was disclosed earlier (its ``intent`` still
carries the need), ``answer`` when one need is clear, ``clarify`` with 2-4 choices when unsure, and
``unsure`` (still with the main choices) when nothing in the message was recognised, or it was a greeting, a
test or nonsense ("hello", "asdfgh").
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from directory.postcodes import PostcodeError, locate
from directory.search.query import words
from signpost.ask.matching import INTENTS_FILE, load_intents
from signpost.ask.understanding import contacts_for, risk_data, understand, understand_follow_up

CONTEXT_CHARS = 300
MIN_OPTIONS = 2
MAX_OPTIONS = 4
USUAL_NEED_FIRST = False
"""When True, an urgent reply carries the need its rule usually carries (suicide: mental health) when that need is
one of the model's first two, rather than the model's first. Off: on held-out v3 read with read-outs fitted without
it, the model's first need was right more often (82.8% against 81.7% of English needs)."""
VAGUE_WORDS = 4
"""A message this short naming a vague topic ("help with forms") is asked about, whatever the model guesses."""


@dataclass(frozen=True)
class State:
    postcode: str | None = None
    disclosure: str | None = None
    intent: str | None = None
    previous: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value}

    @classmethod
    def from_dict(cls, data: Any) -> State:
        """A state from stored data, dropping anything that is not what a state holds."""
        if not isinstance(data, dict):
            return cls()
        rules = {rule["id"] for rule in risk_data()["rules"]}
        postcode = data.get("postcode") if isinstance(data.get("postcode"), str) else None
        disclosure = data.get("disclosure") if data.get("disclosure") in rules else None
        intent = data.get("intent") if data.get("intent") in load_intents().ids else None
        previous = data.get("previous") if isinstance(data.get("previous"), str) else ""
        return cls(postcode, disclosure, intent, previous[:CONTEXT_CHARS])


@dataclass(frozen=True)
class Reply:
    kind: str
    urgent: str | None = None
    intent: str | None = None
    options: tuple[str, ...] = ()
    postcode: str | None = None
    disclosed_earlier: bool = False
    """the urgent help is shown because of an earlier message in this conversation"""
    signals: tuple[str, ...] = field(default=(), compare=False)
    """which risk signals fired (phrases, patterns, model), for measuring"""

    @property
    def guide(self) -> str | None:
        return load_intents().get(self.intent).guide if self.intent else None

    @property
    def categories(self) -> tuple[str, ...]:
        return load_intents().get(self.intent).categories if self.intent else ()

    @property
    def contacts(self) -> list[dict[str, str]]:
        return contacts_for(self.urgent) if self.urgent else []

    def as_api(self) -> dict[str, Any]:
        """The reply as the JSON API gives it (without services, which need the directory)."""
        return {
            "kind": self.kind,
            "urgent": self.urgent,
            "intent": self.intent,
            "options": list(self.options),
            "guide": self.guide,
            "categories": list(self.categories),
            "contacts": [{"name": c["name"], "phone": c["phone"], "tel": f"tel:{c['tel']}"} for c in self.contacts],
        }


@cache
def clarify_data() -> dict[str, Any]:
    return json.loads(INTENTS_FILE.read_text(encoding="utf-8"))["clarify"]


def vague_topic(text: str) -> list[str]:
    """The choices for the first vague topic named in the message ("help with forms"), else none."""
    said = set(words(text))
    return next((t["options"] for t in clarify_data()["topics"] if said.intersection(t["words"])), [])


def choices(text: str, understood: tuple[str, ...]) -> tuple[str, ...]:
    """2-4 intents to offer: what was partly understood, a vague topic's choices ("forms"), then defaults."""
    data = clarify_data()
    topic = vague_topic(text)
    offered = list(dict.fromkeys([*understood[:3], *topic] if understood else topic))
    for default in data["default"]:
        if len(offered) >= MIN_OPTIONS + 1:
            break
        if default not in offered:
            offered.append(default)
    return tuple(offered[:MAX_OPTIONS])


def _priority(rule: str | None) -> int:
    ids = [r["id"] for r in risk_data()["rules"]]
    return ids.index(rule) if rule in ids else len(ids)


def default_intent(rule: str, text: str) -> str | None:
    """The need an urgent reply carries when none was named: the rule's default, or by who is named."""
    data = next(r for r in risk_data()["rules"] if r["id"] == rule)
    said = set(words(text))
    for intent, who in data.get("intent_if_words", {}).items():
        if said.intersection(who):
            return intent
    return data.get("default_intent")


def _postcode(given: str | None, named: Any, remembered: str | None) -> str | None:
    if given:
        try:
            return locate(given).outcode if len(given.replace(" ", "")) <= 4 else given
        except PostcodeError:
            pass
    if named is not None:
        return named.outcode
    return remembered


def step(state: State, message: str, lang: str | None = None, postcode: str | None = None) -> tuple[Reply, State]:
    """One turn: understand the message in the light of the conversation so far."""
    now = understand(message, lang)
    postcode = _postcode(postcode, now.place, state.postcode)
    intent = now.intent
    options = now.options
    if intent is None and state.previous and now.understood and not vague_topic(message):  # a follow-up
        together = understand_follow_up(state.previous, message, lang)
        intent = together.intent
        options = tuple(dict.fromkeys([*options, *together.options]))
    if intent is None and state.disclosure:
        intent = state.intent

    urgent = min((now.urgent, state.disclosure), key=_priority) if now.urgent or state.disclosure else None
    signals = tuple(dict.fromkeys(risk.signal for risk in now.risks))
    if intent and vague_topic(message) and len(words(message)) <= VAGUE_WORDS:  # "help with forms": ask
        intent = None
    if USUAL_NEED_FIRST and urgent and now.urgent and not now.named:  # the need a disclosure usually carries
        usual = default_intent(now.urgent, f"{state.previous} {message}")
        if usual and usual in now.options[:2]:
            intent = usual
    if urgent:
        intent = intent or (default_intent(urgent, f"{state.previous} {message}") if now.urgent else state.intent)
        reply = Reply(
            "urgent",
            urgent=urgent,
            intent=intent,
            options=() if intent else choices(message, options),
            postcode=postcode,
            disclosed_earlier=now.urgent is None,
            signals=signals,
        )
    elif intent:
        reply = Reply("answer", intent=intent, postcode=postcode)
    else:
        kind = "clarify" if options else "unsure"
        reply = Reply(kind, options=choices(message, options), postcode=postcode)
    return reply, State(postcode, urgent, intent or state.intent, message[:CONTEXT_CHARS])


def chose(state: State, intent: str) -> tuple[Reply, State]:
    """The person picked one of the offered needs."""
    if state.disclosure:
        reply = Reply("urgent", urgent=state.disclosure, intent=intent, postcode=state.postcode, disclosed_earlier=True)
    else:
        reply = Reply("answer", intent=intent, postcode=state.postcode)
    return reply, State(state.postcode, state.disclosure, intent, state.previous)
