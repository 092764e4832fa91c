"""Walking a set of questions: the one routine that both question engines use to follow their routing.

There are two definition formats on purpose, and one walk:

- **Guides** (``signpost.guides.flow``) are Python: a question's routing is a list of rules with numeric
  conditions (an income at least or below a threshold), and outcomes carry calculators (the charging rules), so
  a guide is code reviewed like code.
- **Surveys** (``surveys.definition``) are JSON the council reviews without reading code: routing goes by one
  answer code (or "otherwise"), always forward, and an indicator names the question it counts.

However a question says where to go next, walking is the same: start at the first question and, while the
node reached is a question the person has answered (and not already on the path, so a bad routing cannot loop),
add it to the path and follow its routing. The walk stops at the first unanswered question, or where the
routing leaves the questions (a guide's outcome, a survey's end). Answers to questions off the path play no
part. Standard library only: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

Node = TypeVar("Node")


@dataclass(frozen=True)
class Walk(Generic[Node]):
    """Where a person's answers lead: the questions answered in order, and what comes next."""

    path: tuple[Node, ...]
    next_id: Node  # the first unanswered question, or where the routing left the questions
    finished: bool = False  # every question on the path is answered: next_id is not a question


def walk_questions(
    start: Node,
    is_question: Callable[[Node], bool],
    is_answered: Callable[[Node], bool],
    next_after: Callable[[Node], Node],
) -> Walk[Node]:
    """Follow the routing from ``start``: ``next_after(q)`` is where the answered question ``q`` leads."""
    path: list[Node] = []
    node = start
    while is_question(node):
        if not is_answered(node) or node in path:
            return Walk(tuple(path), node)
        path.append(node)
        node = next_after(node)
    return Walk(tuple(path), node, finished=True)
