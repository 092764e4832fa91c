"""Rate-limit state for tests that turn limiting on."""

from __future__ import annotations

from contextlib import contextmanager

from signpost.platform.extensions import limiter


def reset_limits() -> None:
    """Forget every count, in the configured storage and in the in-memory fallback. Flask-Limiter keeps its
    "storage is down" flag across `init_app`, so after a test that took Redis away later apps would count in
    the fallback, which `limiter.reset()` alone does not clear; the flag is set back here (test-only)."""
    limiter._storage_dead = False
    limiter.reset()
    fallback = getattr(limiter, "_fallback_storage", None)
    if fallback is not None:
        fallback.reset()


@contextmanager
def limit_on(app, setting: str, limit: str):
    """Rate limiting switched on for a block, with `setting` (such as "REPORT_RATE_LIMIT") set to `limit`;
    everything as it was afterwards."""
    before = app.config[setting]
    app.config[setting] = limit
    limiter.enabled = True
    reset_limits()
    try:
        yield app
    finally:
        reset_limits()
        limiter.enabled = False
        app.config[setting] = before
