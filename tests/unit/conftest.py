"""Unit tests: plain functions over plain data, with no app and no database (those are integration tests)."""

import pytest

APP_FIXTURES = {"app", "client", "page", "migrated_app", "database_url", "live_server"}


def pytest_runtest_setup(item):
    used = APP_FIXTURES & set(getattr(item, "fixturenames", ()))
    if used:
        pytest.fail(
            f"a unit test may not use the app or a database ({', '.join(sorted(used))}): move it to tests/integration"
        )
