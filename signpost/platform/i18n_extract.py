"""A Babel extractor for the user-facing text kept in JSON data (categories, survey definitions).

babel.cfg names it, so `make translations` puts these strings in the catalogs like any other;
templates translate them at render time with `_(value)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

TRANSLATABLE_KEYS = {"name", "description", "label", "text", "title", "intro", "hint", "outro"}


def _walk(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in TRANSLATABLE_KEYS and isinstance(item, str) and item.strip():
                yield item
            else:
                yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def extract_json(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    data = json.loads(fileobj.read().decode("utf-8"))
    for text in dict.fromkeys(_walk(data)):
        yield 1, "gettext", text, []
