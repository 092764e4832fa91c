"""Question flows as data, and the rules for walking them (GOV.UK Smart Answers style).

A flow is a set of nodes: questions (one per page) and outcomes. Each question says what kind of
answer it takes and where to go next, as data: an ordered list of rules, each a condition on earlier
answers, and a default. Nothing here knows about Flask; the web layer renders and stores answers. Walking
the routing is ``signpost.platform.question_walk``, shared with the surveys (which says why there are two formats).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, cast

from directory.postcodes import PostcodeError, locate, normalise
from signpost.platform.question_walk import Walk, walk_questions

Answers = Mapping[str, Any]


class Kind(StrEnum):
    CHOICE = "choice"
    CHOICES = "choices"  # several may be chosen
    WHOLE_NUMBER = "whole_number"
    MONEY = "money"
    YES_NO = "yes_no"
    POSTCODE = "postcode"


@dataclass(frozen=True)
class Option:
    value: str
    label: Any
    hint: Any = None


@dataclass(frozen=True)
class When:
    """A condition on an earlier answer: equals one of `values`, or (for numbers) at least / below."""

    question: str
    values: tuple[Any, ...] = ()
    at_least: Decimal | int | None = None
    below: Decimal | int | None = None

    def holds(self, answers: Answers) -> bool:
        if self.question not in answers:
            return False
        answer = answers[self.question]
        if self.values:
            if isinstance(answer, list | tuple):
                return any(a in self.values for a in answer)
            return answer in self.values
        if self.at_least is not None and not (answer is not None and Decimal(str(answer)) >= Decimal(self.at_least)):
            return False
        if self.below is not None and not (answer is not None and Decimal(str(answer)) < Decimal(self.below)):
            return False
        return True


@dataclass(frozen=True)
class Rule:
    goto: str
    when: tuple[When, ...] = ()  # all must hold

    def applies(self, answers: Answers) -> bool:
        return all(w.holds(answers) for w in self.when)


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    text: Any
    next: str | tuple[Rule, ...]  # a node id, or rules tried in order (the last should have no conditions)
    hint: Any = None
    options: tuple[Option, ...] = ()
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    suffix: Any = None  # e.g. "a week"
    explain: Any = None  # longer help, shown in a details component
    summary: Any = None  # short label for "check your answers"
    errors: Mapping[str, Any] = field(default_factory=dict)  # message overrides by error key


@dataclass(frozen=True)
class Outcome:
    id: str
    title: Any
    calculate: Callable[[Answers, Any], Any] | None = None  # the calculator (answers, rates), kept apart
    template: str = "guides/outcome.html"


@dataclass(frozen=True)
class Flow:
    id: str
    title: Any
    description: Any
    start: str
    nodes: Mapping[str, Question | Outcome]
    before_you_start: tuple[Any, ...] = ()

    def question(self, node_id: str) -> Question | None:
        node = self.nodes.get(node_id)
        return node if isinstance(node, Question) else None

    def outcome(self, node_id: str) -> Outcome | None:
        node = self.nodes.get(node_id)
        return node if isinstance(node, Outcome) else None


def next_node(question: Question, answers: Answers) -> str:
    if isinstance(question.next, str):
        return question.next
    for rule in question.next:
        if rule.applies(answers):
            return rule.goto
    raise FlowError(f"No route from {question.id}")


class FlowError(ValueError):
    """The flow definition is inconsistent (found by `check_flow` and the tests)."""


def walk(flow: Flow, answers: Answers) -> Walk[str]:
    """Follow the routing from the start; answers to questions off the path are ignored."""
    return walk_questions(
        flow.start,
        is_question=lambda node_id: flow.question(node_id) is not None,
        is_answered=lambda node_id: node_id in answers,
        next_after=lambda node_id: next_node(cast(Question, flow.nodes[node_id]), answers),
    )


def relevant_answers(flow: Flow, answers: Answers) -> dict[str, Any]:
    """Only the answers on the current path (changing an answer can take other questions off it)."""
    return {q: answers[q] for q in walk(flow, answers).path}


# --- validating one answer -------------------------------------------------------------------------

MONEY_RE = re.compile(r"^£?\s*(\d{1,3}(,\d{3})*|\d+)(\.\d{1,2})?$")


@dataclass(frozen=True)
class Invalid:
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def parse_answer(question: Question, raw: str | list[str] | None) -> Any | Invalid:
    """Turn submitted text into a typed answer, or an `Invalid` saying what is wrong."""
    if question.kind is Kind.CHOICES:
        values = [v for v in (raw or []) if isinstance(v, str)]
        allowed = {o.value for o in question.options}
        if not values or any(v not in allowed for v in values):
            return Invalid("required_choice")
        return sorted(set(values), key=[o.value for o in question.options].index)
    text = (raw[0] if isinstance(raw, list) and raw else raw) or ""
    text = text.strip() if isinstance(text, str) else ""
    if question.kind in (Kind.CHOICE, Kind.YES_NO):
        allowed = {o.value for o in question.options} if question.kind is Kind.CHOICE else {"yes", "no"}
        return text if text in allowed else Invalid("required_choice")
    if not text:
        return Invalid("required")
    if question.kind is Kind.POSTCODE:
        try:
            locate(text)
        except PostcodeError as error:
            return Invalid("unknown_postcode" if str(error) == "unknown postcode" else "postcode")
        return normalise(text)
    return _parse_number(question, text)


def _parse_number(question: Question, text: str) -> Any | Invalid:
    if question.kind is Kind.WHOLE_NUMBER:
        if not (text.isascii() and text.isdigit()) or len(text) > 9:
            return Invalid("whole_number")
        value: int | Decimal = int(text)
    else:
        compact = text.replace(" ", "")
        if not MONEY_RE.match(compact):
            return Invalid("money")
        try:
            value = Decimal(compact.lstrip("£").replace(",", ""))
        except InvalidOperation:
            return Invalid("money")
    if question.minimum is not None and value < question.minimum:
        return Invalid("too_small", {"minimum": question.minimum})
    if question.maximum is not None and value > question.maximum:
        return Invalid("too_big", {"maximum": question.maximum})
    return value


def _question_targets(flow: Flow, node: Question) -> list[str]:
    """Where a question can lead, after checking its routes and options make sense."""
    rules = () if isinstance(node.next, str) else node.next
    if rules and rules[-1].when:
        raise FlowError(f"{flow.id}: {node.id} has no default route")
    if node.kind in (Kind.CHOICE, Kind.CHOICES) and not node.options:
        raise FlowError(f"{flow.id}: {node.id} offers no options")
    for condition in (c for rule in rules for c in rule.when):
        if condition.question not in flow.nodes:
            raise FlowError(f"{flow.id}: {node.id} has a condition on unknown {condition.question}")
    targets = [node.next] if isinstance(node.next, str) else [r.goto for r in rules]
    for target in targets:
        if target not in flow.nodes:
            raise FlowError(f"{flow.id}: {node.id} routes to unknown node {target}")
    return targets


def check_flow(flow: Flow) -> None:
    """Raise FlowError if any route leads nowhere, a node is unreachable, or a choice has no options."""
    if flow.start not in flow.nodes:
        raise FlowError(f"{flow.id}: start {flow.start} is not a node")
    reachable = {flow.start}
    for node_id, node in flow.nodes.items():
        if node.id != node_id:
            raise FlowError(f"{flow.id}: node {node_id} is named {node.id}")
        if isinstance(node, Question):
            reachable.update(_question_targets(flow, node))
    unreachable = set(flow.nodes) - reachable
    if unreachable:
        raise FlowError(f"{flow.id}: unreachable nodes {sorted(unreachable)}")
