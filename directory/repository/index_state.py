"""Process-wide search index state: which database a process reads and whether its search vocabulary is fresh.

The search engine caches a lexicon (the words typo correction may correct towards) per database. Every write
of a listing calls `bump_index_version`, which stores a new random token in ``directory_meta`` (so every
process, reading it, knows its lexicon is stale) and counts the change in this process too (`changes_here`),
so the process that made the change notices at once without reading the token.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import select

from directory.models import DirectoryMeta
from signpost.platform.extensions import db

INDEX_VERSION_KEY = "search_index_version"
T = TypeVar("T")

_local_index_changes = itertools.count()
_changes_here = 0  # bumped by this process; lets its own lexicon cache notice at once


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def database_key() -> str:
    """Which database this session reads, for caches that must not mix two databases."""
    return str(db.session.get_bind().engine.url)


def index_version() -> str:
    return db.session.scalar(select(DirectoryMeta.value).where(DirectoryMeta.key == INDEX_VERSION_KEY)) or ""


def changes_here() -> int:
    """How many times this process has marked the search vocabulary stale."""
    return _changes_here


def bump_index_version() -> None:
    """Mark the search vocabulary stale; a random token, so a rolled-back change can never collide."""
    global _changes_here
    _changes_here = next(_local_index_changes) + 1
    row = db.session.get(DirectoryMeta, INDEX_VERSION_KEY)
    token = uuid.uuid4().hex
    if row is None:
        db.session.add(DirectoryMeta(key=INDEX_VERSION_KEY, value=token))
    else:
        row.value = token


class ByIndexVersion(Generic[T]):
    """A figure computed from the listings (such as the home page's services per category), kept per database
    for the index version it was computed at, so any listing save, import or load (each bumps the version)
    makes it be computed again.

    The version is read at most every ``CHECK_SECONDS`` and at once after this process changes listings, as
    the search's vocabulary is: a save in this worker shows at once, one in another worker within that time.
    The computed value is shared between requests and threads: ``compute`` must return something nobody
    changes (plain data, no ORM objects).
    """

    CHECK_SECONDS = 30.0

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._lock = threading.Lock()
        self._by_database: dict[str, tuple[str, T, float, int]] = {}

    def get(self) -> T:
        database = database_key()
        cached = self._by_database.get(database)
        now = time.monotonic()
        if cached is not None:
            version, value, checked_at, local_changes = cached
            if now - checked_at < self.CHECK_SECONDS and local_changes == changes_here():
                return value
        local_changes = changes_here()
        version = index_version()
        if cached is not None and cached[0] == version:
            value = cached[1]
        else:
            value = self._compute()
        with self._lock:
            self._by_database[database] = (version, value, now, local_changes)
        return value

    def clear(self) -> None:
        with self._lock:
            self._by_database.clear()
