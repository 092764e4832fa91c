"""The ``audit_event`` table and every query on it (the one module that reads or writes it).

The table is append-only: this module offers no update or delete, and the migration adds database triggers
that refuse ``UPDATE`` and ``DELETE`` on it, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from signpost.platform.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class AuditEvent(db.Model):
    """Who did what to which record, and when. No IP address, no personal details of callers."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str | None] = mapped_column(String(100), index=True)


def add_event(actor: str, action: str, target: str | None, occurred_at: datetime | None = None) -> AuditEvent:
    """Add one event to the current transaction (the request's or the command's, which commits it)."""
    event = AuditEvent(actor=actor, action=action, target=target, occurred_at=occurred_at or utcnow())
    db.session.add(event)
    return event


def recent_events(limit: int = 200, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))
