"""Process-wide search index state: which database a process reads and whether its search vocabulary is fresh.

The search engine caches a lexicon (the words typo correction may correct towards) per database. Every write
of a listing calls `bump_index_version`, which stores a new random token in ``directory_meta`` (so every
process, reading it, knows its lexicon is stale) and counts the change in this process too (`changes_here`),
so the process that made the change notices at once without reading the token.
"""

from __future__ import annotations

import itertools
import uuid

from sqlalchemy import select

from directory.models import DirectoryMeta
from signpost.platform.extensions import db

INDEX_VERSION_KEY = "search_index_version"

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
