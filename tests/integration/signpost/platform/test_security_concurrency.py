"""Concurrent requests against the real database: the lockout holds and SQLite takes the writes.

These run requests from many threads at once against a database of their own (a file for SQLite), so they
commit for real, as several gunicorn workers would.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from functools import partial

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from directory import repository
from directory.loading import load_demo
from directory.models import ProblemReport
from signpost.platform import accounts, audit, lockout
from signpost.platform.audit_store import AuditEvent
from signpost.platform.extensions import db, limiter
from tests.conftest import make_app
from tests.support.staff_helpers import PASSWORD


@pytest.fixture(scope="module")
def live_app(database_url, tmp_path_factory):
    """A database of its own (a new SQLite file, or a new PostgreSQL schema) migrated and loaded with the demo
    directory, with real commits and CSRF off for the threads; dropped afterwards, since the audit log it
    fills is append-only."""
    schema = f"live_{uuid.uuid4().hex[:8]}"
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite'}"
    else:
        engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{database_url}?options=-csearch_path%3D{schema}"
    live = make_app(url)
    live.config["WTF_CSRF_ENABLED"] = False
    limiter.enabled = False  # the per-IP limit would answer 429 before the lockout is reached
    with live.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        db.session.remove()
        yield live
        db.session.remove()
        db.engine.dispose()
    if not database_url.startswith("sqlite"):
        with engine.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def at_once(app, requests: list[Callable]) -> list[int]:
    """Run each request in its own thread, all released together; returns their status codes."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []

    def run(send):
        client = app.test_client()
        barrier.wait()
        statuses.append(send(client).status_code)

    threads = [threading.Thread(target=run, args=(send,)) for send in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def sign_in_with(email: str, password: str) -> Callable:
    return lambda client: client.post("/staff/login", data={"email": email, "password": password})


def events_for(email: str) -> Counter:
    key = audit.sign_in_key(email)
    rows = db.session.execute(select(AuditEvent.action).where(AuditEvent.target == key)).scalars()
    return Counter(rows)


def test_fifteen_wrong_passwords_at_once_lock_after_five_and_every_attempt_is_audited(live_app):
    email = f"crowd-{uuid.uuid4().hex[:8]}@test.invalid"
    statuses = at_once(live_app, [sign_in_with(email, "wrong password")] * 15)
    assert Counter(statuses) == {200: lockout.LOCKOUT_ATTEMPTS, 429: 15 - lockout.LOCKOUT_ATTEMPTS}
    db.session.remove()
    assert events_for(email) == {"sign_in.failed": 5, "sign_in.locked": 10}


def test_nine_wrong_passwords_at_once_then_the_right_one_is_still_locked_out(live_app):
    email = f"race-{uuid.uuid4().hex[:8]}@test.invalid"
    accounts.create_or_update_user(email, "admin", PASSWORD)
    statuses = at_once(live_app, [sign_in_with(email, "wrong password")] * 9)
    assert Counter(statuses) == {200: 5, 429: 4}
    right = sign_in_with(email, PASSWORD)(live_app.test_client())
    assert right.status_code == 429
    db.session.remove()
    assert events_for(email) == {"sign_in.failed": 5, "sign_in.locked": 5}


def test_two_dozen_problem_reports_at_once_are_all_stored(live_app):
    service_id = repository.exportable_service_ids()[0]
    url = f"/directory/services/{service_id}/report-a-problem"
    marker = uuid.uuid4().hex

    def report(client, data):
        return client.post(url, data=data)

    statuses = at_once(
        live_app,
        [partial(report, data={"topic": "other", "details": f"{marker} {n}"}) for n in range(24)],
    )
    db.session.remove()
    mine = ProblemReport.details.like(f"{marker}%")
    stored = db.session.scalar(select(func.count()).where(mine))
    assert statuses == [302] * 24
    assert stored == 24
