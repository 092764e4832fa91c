"""Server-side staff sessions: one ``staff_session`` row per signed-in browser.

The signed cookie holds only a random session id; the table holds its SHA-256 hash, whose account it is,
when it began and when it was last used. A session is good while its row exists, it is younger than
``STAFF_SESSION_HOURS`` (absolute lifetime) and was used within ``STAFF_SESSION_MINUTES`` (idle timeout). So
signing out, a password change and an admin's "sign out everywhere" end sessions at once by deleting rows,
and a copied cookie stops working with them. A new id is issued at every sign-in.

We keep our own table rather than Flask-Session: that replaces every visitor's session (public pages would
write a row per visitor) and cannot find one person's sessions to end them all.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, String, delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapped, mapped_column

from signpost.platform.extensions import db

log = logging.getLogger(__name__)
TOUCH_SECONDS = 60  # last_seen_at is written at most once a minute per session


class StaffSession(db.Model):
    __tablename__ = "staff_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def start(user_id: str, now: datetime | None = None) -> str:
    """Begin a session for ``user_id``; returns the new random id for the cookie (committed)."""
    now = now or datetime.now(UTC)
    session_id = secrets.token_urlsafe(32)
    db.session.add(StaffSession(id_hash=_hash(session_id), user_id=user_id, created_at=now, last_seen_at=now))
    db.session.commit()
    return session_id


def is_current(
    session_id: object, user_id: str, *, idle: timedelta, lifetime: timedelta, now: datetime | None = None
) -> bool:
    """Whether ``session_id`` is a live session of ``user_id``; records that it was used."""
    if not isinstance(session_id, str) or len(session_id) > 100:
        return False
    now = now or datetime.now(UTC)
    row = db.session.get(StaffSession, _hash(session_id))
    if row is None or row.user_id != user_id:
        return False
    created, seen = _aware(row.created_at), _aware(row.last_seen_at)
    if now - created > lifetime or now - seen > idle:
        db.session.delete(row)
        db.session.commit()
        return False
    if (now - seen).total_seconds() > TOUCH_SECONDS:
        row.last_seen_at = now
        try:
            db.session.commit()
        except OperationalError:  # only a touch: the next request will try again
            log.warning("Could not record staff session use")
            db.session.rollback()
    return True


def end(session_id: object) -> None:
    """End one session (signing out)."""
    if isinstance(session_id, str):
        db.session.execute(delete(StaffSession).where(StaffSession.id_hash == _hash(session_id)))
        db.session.commit()


def end_all(user_id: str) -> int:
    """End every session of one account (password change, "sign out everywhere"); returns how many."""
    ended = db.session.execute(delete(StaffSession).where(StaffSession.user_id == user_id)).rowcount
    db.session.commit()
    return ended


def count(user_id: str) -> int:
    return len(db.session.scalars(select(StaffSession.id_hash).where(StaffSession.user_id == user_id)).all())
