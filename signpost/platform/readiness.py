"""What /readyz checks: the database, Redis when it is configured, and free disk where SQLite writes.

Plain functions (no Flask) so each check is tested directly. A failed database or a full disk means not ready
(503); Redis down means degraded (200): rate limits fall back to counting in each process.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

MIN_FREE_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok, down, degraded, full
    required: bool = True

    @property
    def failing(self) -> bool:
        return self.required and self.status != "ok"


def sqlite_directory(database_url: str) -> Path | None:
    """The directory an SQLite database writes in (its journal and WAL too), or None for other databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve().parent


def disk_check(directory: Path | None, min_free: int = MIN_FREE_BYTES) -> Check | None:
    if directory is None:
        return None
    try:
        free = shutil.disk_usage(directory).free
    except OSError:
        return Check("disk", "down")
    return Check("disk", "ok" if free >= min_free else "full")


def redis_check(storage_uri: str, ping: Callable[[], bool]) -> Check | None:
    """Redis, if the rate limits are kept there; down is "degraded", not a reason to stop taking traffic."""
    if not storage_uri.startswith(("redis://", "rediss://", "redis+sentinel://", "redis+cluster://")):
        return None
    try:
        healthy = bool(ping())
    except Exception:  # any failure to reach it is the same answer
        healthy = False
    return Check("redis", "ok" if healthy else "degraded", required=False)
