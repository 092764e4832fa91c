"""The ``assessment_request`` table: a resident's request to be contacted about an assessment.

Holds only what the form asks (name, how to contact, best time, consent) and what staff do with it. Removed
whole by the retention purge (``signpost.privacy``) after ``RETENTION_DAYS``, like other contact details.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from signpost.platform.extensions import db


def _uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class AssessmentRequest(db.Model):
    __tablename__ = "assessment_request"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # financial | carers
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    name: Mapped[str] = mapped_column(String(100))
    contact_by: Mapped[str] = mapped_column(String(10))  # email | phone
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    best_time: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open | contacted | closed
    contacted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    contacted_by: Mapped[str | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    contacted_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    closed_note: Mapped[str | None] = mapped_column(Text)
