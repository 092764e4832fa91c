"""The outbox: where ``notifications.OutboxNotifier`` keeps the messages it "sends" (local runs and tests), for
staff to read at /staff/outbox. Every query on the ``outbox_message`` table is here (nothing else reads or writes
it); the retention purge, subject access and erasure (``signpost.privacy``) reach it through these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, Text, delete, func, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from signpost.platform.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(db.Model):
    """A message the outbox notifier "sent": kept for local runs and tests, viewable by staff."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # email or sms
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(40))
    # The staff account the message was sent for (a call handler sees only their own), if any.
    staff_id: Mapped[str | None] = mapped_column(String(36), index=True)


def add_message(
    kind: str, recipient: str, subject: str, body: str, purpose: str, staff_id: str | None = None
) -> OutboxMessage:
    message = OutboxMessage(
        kind=kind, recipient=recipient, subject=subject, body=body, purpose=purpose, staff_id=staff_id
    )
    db.session.add(message)
    db.session.flush()  # the id is the message's reference, returned by the notifier
    return message


def mask_token(token: str) -> int:
    """Replace a used survey token with "…" in the outbox copies of the messages that carried it."""
    if not token:
        return 0
    return db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.body.contains(token, autoescape=True))
        .values(body=func.replace(OutboxMessage.body, token, "…"))
        .execution_options(synchronize_session=False)
    ).rowcount


def recent(limit: int = 50, staff_id: str | None = None) -> list[OutboxMessage]:
    """The newest messages; with ``staff_id``, only those sent for that account."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if staff_id is not None:
        query = query.where(OutboxMessage.staff_id == staff_id)
    return list(db.session.scalars(query))


def _to(emails: Sequence[str], mobiles: Sequence[str]):
    """Messages sent to one of these (already normalised) email addresses or mobile numbers."""
    match = [func.lower(OutboxMessage.recipient).in_(emails)] if emails else []
    match += [OutboxMessage.recipient.in_(mobiles)] if mobiles else []
    return or_(*match)


def messages_to(emails: Sequence[str], mobiles: Sequence[str]) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(_to(emails, mobiles)).order_by(OutboxMessage.id)))


def delete_messages_to(emails: Sequence[str], mobiles: Sequence[str]) -> int:
    return _deleted(delete(OutboxMessage).where(_to(emails, mobiles)))


def delete_before(before: datetime) -> int:
    return _deleted(delete(OutboxMessage).where(OutboxMessage.created_at < before))


def _deleted(statement) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0
