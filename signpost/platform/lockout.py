"""Sign-in lockout: ``LOCKOUT_ATTEMPTS`` attempts for one address within ``LOCKOUT_MINUTES`` lock it.

Each attempt is counted *before* its password is checked, in one ``UPDATE … RETURNING`` (atomic on SQLite and
PostgreSQL alike), so however many attempts arrive at once only the first ``LOCKOUT_ATTEMPTS`` have their
password checked; a successful sign-in clears the count. The counter is keyed by ``audit.sign_in_key`` (a keyed
hash of the address typed), so unknown addresses lock the same way and no address is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Integer, String, case, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from signpost.platform.extensions import db

LOCKOUT_ATTEMPTS = 5
LOCKOUT_MINUTES = 15


class SignInCounter(db.Model):
    __tablename__ = "sign_in_counter"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def count_attempt(key: str, now: datetime | None = None) -> int:
    """Count one sign-in attempt for ``key`` and return how many there have been in this window (committed).

    A window opens at the first attempt and lasts ``LOCKOUT_MINUTES``; the lock runs ``LOCKOUT_MINUTES`` from
    the attempt that reached ``LOCKOUT_ATTEMPTS``. Attempts made while locked are counted but do not move its end.
    """
    now = now or datetime.now(UTC)
    stale = now - timedelta(minutes=LOCKOUT_MINUTES)
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(SignInCounter)
        .values(key=key, failures=0, window_started_at=now, last_failure_at=now)
        .on_conflict_do_nothing()
    )
    table = SignInCounter.__table__
    locked = (table.c.failures >= LOCKOUT_ATTEMPTS) & (table.c.last_failure_at >= stale)
    expired = table.c.window_started_at < stale
    count = db.session.execute(
        update(table)
        .where(table.c.key == key)
        .values(
            failures=case((locked, table.c.failures + 1), (expired, 1), else_=table.c.failures + 1),
            window_started_at=case(
                (locked, table.c.window_started_at), (expired, now), else_=table.c.window_started_at
            ),
            last_failure_at=case((locked, table.c.last_failure_at), else_=now),
        )
        .returning(table.c.failures)
    ).scalar_one()
    db.session.commit()
    return count


def clear(key: str) -> None:
    """A successful sign-in wipes the slate."""
    db.session.execute(update(SignInCounter).where(SignInCounter.key == key).values(failures=0))
    db.session.commit()


def locked_until(key: str, now: datetime | None = None) -> datetime | None:
    """When sign-in for ``key`` unlocks, or None if it is not locked."""
    now = now or datetime.now(UTC)
    row = db.session.execute(
        select(SignInCounter.failures, SignInCounter.last_failure_at).where(SignInCounter.key == key)
    ).first()
    if row is None or row.failures < LOCKOUT_ATTEMPTS:
        return None
    until = _aware(row.last_failure_at) + timedelta(minutes=LOCKOUT_MINUTES)
    return until if now < until else None
