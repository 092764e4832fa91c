"""Each rules module loads on its own without Flask, WTForms, SQLAlchemy or a database driver, so it can be read,
tested and reused as plain Python. Each is imported in a fresh interpreter and `sys.modules` is checked."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from tests.support.paths import ROOT

FRAMEWORKS = ("flask", "flask_babel", "flask_wtf", "flask_sqlalchemy", "wtforms", "sqlalchemy", "psycopg", "jinja2")


def rules_modules() -> list[str]:
    """The modules the import-linter "rules" contract names, so the two lists cannot drift apart."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (rules,) = [c for c in contracts if c["name"].startswith("Rules modules")]
    return rules["source_modules"]


def test_the_contract_names_the_rules_the_guide_promises():
    modules = rules_modules()
    for expected in ("signpost.guides.charging", "surveys.indicators", "directory.search.query", "directory.postcodes"):
        assert expected in modules


@pytest.mark.parametrize("module", rules_modules())
def test_a_rules_module_loads_no_framework(module):
    probe = f"import sys, {module}; print(','.join(sorted(m for m in {FRAMEWORKS!r} if m in sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "", f"importing {module} loaded {loaded}"
