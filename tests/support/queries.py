"""Counting the SQL statements a page runs, so a test can hold a page to a small, fixed number."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from signpost.platform.extensions import db

HARNESS = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")  # the test's own transaction, not the page's


@contextmanager
def statements() -> Iterator[list[str]]:
    """The statements run inside the block, in order (the test harness's own left out)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        if not statement.lstrip().upper().startswith(HARNESS):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
