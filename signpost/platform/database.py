"""Engine set-up shared by every part of the app: SQLite pragmas and correct transactions.

SQLite takes concurrent writes from several gunicorn workers: WAL (readers never wait for the writer),
a busy timeout (a writer waits for the one before it), and requests that may write (anything but GET, HEAD
and OPTIONS) begin their transactions with ``BEGIN IMMEDIATE``, taking the write lock up front. A deferred
transaction that reads and then writes fails at once with "database is locked" if another worker wrote in
between (the busy timeout cannot help it), which is what gave 503s; beginning immediately waits instead, and
a begin that still times out is retried a few times.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable

import psycopg
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 10_000
BEGIN_RETRIES = 3
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WILL_WRITE = "signpost_will_write"
AFTER_RESPONSE = "signpost_after_response"


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so SAVEPOINTs work
    # (https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


@event.listens_for(Engine, "connect")
def _postgresql_on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, psycopg.Connection):
        return
    # The planner JIT-compiles queries it thinks costly (a search over many matches), which costs
    # 100 ms or more each time; requests here are short, so it never pays back.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    dbapi_connection.execute("SET jit = off")
    dbapi_connection.autocommit = autocommit


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    writes = (has_app_context() and g.get(WILL_WRITE, False)) or (
        has_request_context() and request.method not in READ_ONLY_METHODS
    )
    if not writes:
        connection.exec_driver_sql("BEGIN")
        return
    for attempt in range(BEGIN_RETRIES + 1):
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as error:
            if "database is locked" not in str(error) or attempt == BEGIN_RETRIES:
                raise
            log.warning("SQLite busy for %d ms; retrying the write transaction", BUSY_TIMEOUT_MS)
            time.sleep(0.05 * (attempt + 1))


def will_write() -> None:
    """Say that this app context's transactions will write (a command that may run alongside others, such as
    ``surveys send-due``): on SQLite each then begins IMMEDIATE and waits its turn for the write lock, as a
    request that may write does, instead of failing with "database is locked" when another writer got in
    first. It applies to transactions begun from now on."""
    g.setdefault(WILL_WRITE, True)


def after_response(work: Callable[[], None], what: str) -> None:
    """Run ``work`` (which writes) after this request's response has been sent, in its own short transaction,
    if the request succeeded: a count the response does not depend on (unmet need), kept out of the request's
    transaction so that a read-only request never takes SQLite's write lock (where another writer would make it
    fail with "database is locked"). If the work fails it is logged (``what`` says what was lost) and the
    request is unaffected. Outside a request, ``work`` runs at once in the caller's transaction."""
    if not has_request_context():
        work()
        return
    g.setdefault(AFTER_RESPONSE, []).append((work, what))


def _run_alone(app: Flask, work: Callable[[], None], what: str) -> None:
    from signpost.platform.extensions import db

    with app.app_context():
        will_write()
        try:
            work()
            db.session.commit()
        except Exception:  # the response has gone; nothing may fail because of this
            db.session.rollback()
            log.exception("could not store %s after the response; it is not counted", what)
        finally:
            db.session.remove()


def init_app(app) -> None:
    """The request owns its transaction (as funding-service's ``auto_commit_after_request``): whatever a view
    changed is committed once, after the view, when the response is a success or a redirect (below 400), and
    rolled back otherwise. Views and repositories never commit. ``flask`` commands own theirs the same way and
    commit once at the end. What must be kept even when the request fails (the audit trail) is written again
    after the rollback, through `keep_on_rollback`; the sign-in lockout and session records commit on their
    own, on purpose, and say so."""
    from signpost.platform.extensions import db

    @app.after_request
    def commit_after_request(response):
        if response.status_code < 400:
            db.session.commit()
            app_object = current_app._get_current_object()  # type: ignore[attr-defined]
            for work, what in g.pop(AFTER_RESPONSE, []):
                response.call_on_close(lambda work=work, what=what: _run_alone(app_object, work, what))
        else:
            db.session.rollback()
            g.pop(AFTER_RESPONSE, None)
            kept = request.environ.pop(KEEP_ON_ROLLBACK, [])
            if kept:
                try:
                    for write in kept:
                        write()
                    db.session.commit()
                except Exception:  # the database that refused the request may refuse this too: say so, go on
                    db.session.rollback()
                    log.exception("Could not keep %d record(s) of a failed request", len(kept))
        return response


KEEP_ON_ROLLBACK = "signpost_keep_on_rollback"


def keep_on_rollback(write) -> None:
    """Run `write` again (then commit) if this request's transaction is rolled back: for records that must
    outlive a failed request, such as its audit events. Outside a request (a command) nothing is kept apart:
    the command's one commit keeps everything or nothing."""
    if has_request_context():  # kept with the request, not `g`: an app context can outlive a request
        request.environ.setdefault(KEEP_ON_ROLLBACK, []).append(write)
