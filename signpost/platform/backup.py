"""Backup and restore for the embedded SQLite database, using SQLite's online backup API.

A backup is a consistent copy taken while the app keeps running. PostgreSQL has its own tools
(pg_dump / pg_restore), so these commands refuse other databases with a pointer to them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why in plain words."""


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("backup and restore work on the SQLite database; for PostgreSQL use pg_dump and pg_restore")
    return Path(url.database)


def backup(database_url: str, destination: Path) -> Path:
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"there is no database at {source_path}")
    if destination.exists() and not _is_sqlite_file(destination):
        raise BackupError(f"{destination} already exists and is not a database; choose a new file name")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source_path) as source, sqlite3.connect(destination) as target:
            source.backup(target)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(f"could not write a backup to {destination} ({error})") from None
    _check(destination)
    return destination


def _is_sqlite_file(path: Path) -> bool:
    """An SQLite database file (or an empty one), judged by its header, never by opening it for writing."""
    try:
        with path.open("rb") as file:
            header = file.read(16)
    except OSError:
        return False
    return header in (b"", b"SQLite format 3\x00")


def restore(database_url: str, backup_file: Path) -> Path:
    """Replace the database with the backup, after checking the backup is a sound Signpost database."""
    target_path = sqlite_path(database_url)
    if not backup_file.exists():
        raise BackupError(f"there is no backup at {backup_file}")
    _check(backup_file)
    with sqlite3.connect(backup_file) as source, sqlite3.connect(target_path) as target:
        source.backup(target)
    return target_path


def _check(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error})") from None
    if "alembic_version" not in tables or "service" not in tables:
        raise BackupError(f"{path} is not a Signpost database")
