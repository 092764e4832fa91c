"""What changed between two kept versions of a listing, field by field (plain Python, no Flask).

A kept version (`ServiceVersion.snapshot`) is the listing's fully nested ORUK JSON, written by curation and by
imports alike, and an import may keep ORUK fields no column holds (any JSON: objects, lists, lists of lists).
`changes(old, new)` flattens both documents into fields and lists what was added, removed or changed:

- an object's fields are followed into (``organization`` → ``name``); identifiers (``id`` and ``*_id``) are left
  out, because an editor cannot act on them and a change of one shows as a change of what it points to;
- a list of objects (phones, schedules, locations) pairs its items by their ``id``, then by what they say, then
  in order, so removing the first phone does not show every other phone as changed, and a phone curation saved
  afresh with a new id is compared with the one it replaced; each item is named by its position (1, 2, …) in
  the newer version, or the older one when it was removed;
- a list of plain values is one field, its values in order; anything else is shown as compact JSON;
- empty text, null and empty lists are "not set", so ``""`` → ``null`` is no change.

`parse` reads a snapshot and answers None for text that is not a JSON object, so a damaged copy is reported
rather than raising.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

Scalar = str | int | float | bool
Value = Scalar | tuple[Scalar, ...]
Label = tuple[str | int, ...]
"""A field's name as shown: keys, and 1-based positions of list items, e.g. ("phones", 2, "number")."""

MAX_DEPTH = 12
"""Fields nested deeper than this (a listing goes 5 deep) are compared as JSON text."""

FIRST = ("name", "status", "description", "organization")
"""Top-level fields shown first, in this order; the others follow alphabetically."""


@dataclass(frozen=True)
class Change:
    label: Label
    old: Value | None
    new: Value | None

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"


def parse(snapshot: str | None) -> dict[str, Any] | None:
    """A snapshot's document, or None when it is not a JSON object."""
    try:
        document = json.loads(snapshot or "")
    except (ValueError, RecursionError):
        return None
    return document if isinstance(document, dict) else None


def _hidden(key: str) -> bool:
    return key == "id" or key.endswith("_id")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _as_text(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
    except (RecursionError, ValueError, TypeError):
        return "…"


def _keys(document: dict[str, Any], top: bool) -> list[str]:
    keys = [key for key in document if isinstance(key, str) and not _hidden(key) and not _empty(document[key])]
    first = [key for key in FIRST if key in keys] if top else []
    return first + sorted(key for key in keys if key not in first)


def _records(value: Any) -> bool:
    """A non-empty list of objects (phones, schedules, locations …), whose items are compared one by one."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _leaf(value: Any) -> Value | None:
    if value is None:
        return None
    if _scalar(value):
        return value
    if isinstance(value, list) and all(_scalar(item) for item in value):
        return tuple(value)
    return _as_text(value)


def _identity(item: dict[str, Any]) -> str | None:
    raw = item.get("id")
    return str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else None


def _content(item: dict[str, Any]) -> str:
    return _as_text({key: value for key, value in item.items() if not _hidden(str(key))})


def _pairs(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[int, dict | None, dict | None]]:
    """Items of two lists paired by id, then what is left by what it says, then what is left in order (curation
    writes a listing's phones, times and costs afresh, with new ids, on each save); each with its position."""
    pairs: dict[int, tuple[int, dict | None, dict | None]] = {}
    left = list(range(len(old)))
    for key in (_identity, _content):
        for position, item in enumerate(new):
            if position in pairs or key(item) is None:
                continue
            match = next((i for i in left if key(old[i]) == key(item)), None)
            if match is not None:
                left.remove(match)
                pairs[position] = (position + 1, old[match], item)
    for position in range(len(new)):
        if position not in pairs:
            pairs[position] = (position + 1, old[left.pop(0)] if left else None, new[position])
    found = [pairs[position] for position in sorted(pairs)]
    return found + [(i + 1, old[i], None) for i in left]


def _walk(old: Any, new: Any, label: Label, top: bool = False) -> list[Change]:
    old, new = (None if _empty(value) else value for value in (old, new))
    if old is None and new is None:
        return []
    if len(label) >= MAX_DEPTH:  # deeper than any listing goes: compare the rest as text, not by recursion
        text = [None if value is None else _as_text(value) for value in (old, new)]
        return [] if text[0] == text[1] else [Change(label, text[0], text[1])]
    if isinstance(old, dict | type(None)) and isinstance(new, dict | type(None)):
        before, after = old or {}, new or {}
        keys = _keys(after, top) + [key for key in _keys(before, top) if key not in after or _empty(after[key])]
        return [change for key in keys for change in _walk(before.get(key), after.get(key), (*label, key))]
    if (old is None or _records(old)) and (new is None or _records(new)):
        return [
            change
            for position, was, now in _pairs(old or [], new or [])
            for change in _walk(was, now, (*label, position))
        ]
    if isinstance(old, dict) or _records(old) or isinstance(new, dict) or _records(new):
        return _walk(old, None, label) + _walk(None, new, label)  # an object became a value, or the other way
    # (each call has one side None, so it takes one of the branches above and does not come back here)
    leaves = _leaf(old), _leaf(new)
    if leaves[0] == leaves[1] and type(leaves[0]) is type(leaves[1]):
        return []
    return [Change(label, *leaves)]


def changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """What `new` says differently from `old` (None: no earlier version, so every field is added), in the
    newer version's field order, each removed field after the newer version's fields of the same object."""
    return _walk(old or {}, new, (), top=True)
