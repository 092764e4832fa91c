"""The official ORUK 3.0 schemas from ../shared/oruk, for tests that check responses against them."""

from __future__ import annotations

import json
from functools import cache

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.support.paths import SHARED


@pytest.fixture
def commits_stay_in_the_test(monkeypatch):
    """Imports commit per batch; in tests those commits must stay inside the rolled-back transaction."""
    from directory.oruk import importing
    from signpost.platform.extensions import db

    monkeypatch.setattr(importing, "save_progress", lambda: db.session.flush())


ORUK = SHARED / "oruk"


@cache
def _registry() -> Registry:
    resources = []
    for folder in ("item", "page"):
        for path in (ORUK / folder).glob("*.json"):
            contents = json.loads(path.read_text(encoding="utf-8"))
            resources.append((f"{folder}/{path.name}", Resource.from_contents(contents, DRAFT202012)))
            if folder == "item":
                resources.append((path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft202012Validator:
    """A validator for `item/x.json` or `page/x.json`; skips the test when ../shared is absent."""
    if not (ORUK / name).is_file():
        pytest.skip(f"the official ORUK schemas are not here ({ORUK / name} is missing)")
    schema = json.loads((ORUK / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(name: str, document: object) -> None:
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
