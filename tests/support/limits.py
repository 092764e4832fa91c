"""Rate-limit state for tests that turn limiting on."""

from __future__ import annotations

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
