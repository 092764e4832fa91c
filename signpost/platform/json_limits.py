"""Limits on every JSON request body, checked once before any view reads it.

Python's JSON parser recurses once per level of nesting, so ``[[[[…]]]]`` a hundred thousand deep raises
``RecursionError`` (a 500) before a view sees the body; and a view that names a bad key in its error
message would echo a 5 KB key back. So before a view runs, a JSON body must be at most ``JSON_MAX_BYTES``,
at most ``JSON_MAX_DEPTH`` deep, with at most ``JSON_MAX_MEMBERS`` members in any object or array and no key
longer than ``JSON_MAX_KEY``. Anything else gets a 400 JSON answer naming the body, never quoting it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, jsonify, request

JSON_MAX_BYTES = 64 * 1024
JSON_MAX_DEPTH = 10
JSON_MAX_MEMBERS = 100
JSON_MAX_KEY = 100
EXCERPT_LENGTH = 40

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def excerpt(value: Any, length: int = EXCERPT_LENGTH) -> str:
    """A short, safe excerpt of something a client sent, for an error message."""
    text = str(value)
    return text if len(text) <= length else text[: length - 1] + "…"


def nesting_depth(body: bytes) -> int:
    """How deep the arrays and objects in a JSON text nest, read without parsing it (so without recursion)."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def shape_problem(value: Any) -> str | None:
    """Why a parsed JSON value is too big in shape, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) > JSON_MAX_MEMBERS:
                return f"An object may have at most {JSON_MAX_MEMBERS} members"
            if any(len(key) > JSON_MAX_KEY for key in item):
                return f"Names in an object may be at most {JSON_MAX_KEY} characters"
            stack.extend(item.values())
        elif isinstance(item, list):
            if len(item) > JSON_MAX_MEMBERS:
                return f"An array may have at most {JSON_MAX_MEMBERS} items"
            stack.extend(item)
    return None


def body_problem(body: bytes, max_bytes: int = JSON_MAX_BYTES, max_depth: int = JSON_MAX_DEPTH) -> str | None:
    """Why a JSON request body is refused before parsing (size, depth), or None."""
    if len(body) > max_bytes:
        return f"The JSON body may be at most {max_bytes // 1024} KB"
    if nesting_depth(body) > max_depth:
        return f"The JSON may nest at most {max_depth} levels deep"
    return None


def _refuse(message: str, status: int = 400):
    return jsonify(errors={"body": message}), status


def init_app(app: Flask) -> None:
    app.config.setdefault("JSON_MAX_BYTES", JSON_MAX_BYTES)

    @app.before_request
    def limit_json_bodies():
        if not request.is_json or request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        if limit and request.content_length and request.content_length > limit:
            return _refuse(f"The request may be at most {limit // 1024} KB", 413)
        max_bytes = current_app.config["JSON_MAX_BYTES"]
        if request.content_length and request.content_length > max_bytes:
            return _refuse(f"The JSON body may be at most {max_bytes // 1024} KB")
        problem = body_problem(request.get_data(cache=True), max_bytes)
        if problem is None:
            problem = shape_problem(request.get_json(silent=True))
        return _refuse(problem) if problem else None
