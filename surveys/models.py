"""Tables for signposting records, survey invitations and anonymous responses (the outbox is the platform's).

Only ``surveys.repository`` queries these. Contact details live on ``signposting_record`` alone: a response
copies what the indicators need (district, need, channel, organisation and its type) and holds no link back,
so answers stay anonymous and survive when contact details are purged.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signpost.platform.extensions import db


def _uuid() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class SignpostingRecord(db.Model):
    """One contact with a caller: the minimum needed to follow up and to measure the result."""

    __tablename__ = "signposting_record"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    need_category: Mapped[str | None] = mapped_column(String(80))
    district: Mapped[str | None] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(20))
    survey_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_email: Mapped[str | None] = mapped_column(String(255))
    contact_mobile: Mapped[str | None] = mapped_column(String(40))
    # The short reference the caller is given ("SP-7K3QX"), in their text or email and on the record page.
    reference: Mapped[str | None] = mapped_column(String(12), unique=True, index=True)
    # How the list went, with the address or number partly hidden ("07••• •••982"), for the record page.
    list_sent_by: Mapped[str | None] = mapped_column(String(10))
    list_sent_to: Mapped[str | None] = mapped_column(String(60))
    # The survey invitation goes later (``surveys send-due``): by what, when it is due and when it went.
    survey_send_by: Mapped[str | None] = mapped_column(String(10))
    survey_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    survey_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    services: Mapped[list[SignpostedService]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="SignpostedService.position"
    )
    invitations: Mapped[list[SurveyInvitation]] = relationship(back_populates="record", cascade="all, delete-orphan")


class SignpostedService(db.Model):
    """A service on the caller's list, with its organisation and type as they were at the time."""

    __tablename__ = "signposted_service"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("signposting_record.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    service_id: Mapped[str] = mapped_column(String(36))  # no foreign key: the directory may be reloaded
    service_name: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[str | None] = mapped_column(String(36))
    organisation_name: Mapped[str] = mapped_column(String(255))
    organisation_type: Mapped[str] = mapped_column(String(20))

    record: Mapped[SignpostingRecord] = relationship(back_populates="services")


class SurveyInvitation(db.Model):
    """A single-use link to a survey. Only a hash of the token is stored."""

    __tablename__ = "survey_invitation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    survey_id: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(ForeignKey("signposting_record.id", ondelete="CASCADE"), index=True)
    signposted_service_id: Mapped[int | None] = mapped_column(
        ForeignKey("signposted_service.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The day it was used (midnight UTC), never the moment, so it cannot be lined up with a response.
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    record: Mapped[SignpostingRecord] = relationship(back_populates="invitations")
    signposted_service: Mapped[SignpostedService | None] = relationship()


class SurveyResponse(db.Model):
    """One anonymous set of answers, with the fields the indicators are restricted and broken down by.

    Never updated once stored: its answers carry copies of the scope fields (see ``SurveyAnswer``).
    """

    __tablename__ = "survey_response"
    # Counting the responses in scope (per day, district or organisation type) reads this index alone.
    # No rowid on SQLite: it would number the rows in the order they were stored (see ``id``).
    __table_args__ = (
        Index("ix_survey_response_scope", "survey_id", "submitted_on", "district", "organisation_type"),
        {"sqlite_with_rowid": False},
    )

    # A random id, not a sequence: a sequence numbers responses in the order they arrive, which lined them up
    # with the order invitations were used and so with the people invited.
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_uuid)
    survey_id: Mapped[str] = mapped_column(String(40))
    survey_version: Mapped[int] = mapped_column(Integer)
    submitted_on: Mapped[date] = mapped_column(Date)  # the UK date; no time, so it cannot single anyone out
    source: Mapped[str] = mapped_column(String(10))  # online, phone, paper, import
    district: Mapped[str | None] = mapped_column(String(60))
    need_category: Mapped[str | None] = mapped_column(String(80))
    channel: Mapped[str | None] = mapped_column(String(20))
    organisation_id: Mapped[str | None] = mapped_column(String(36))
    organisation_name: Mapped[str | None] = mapped_column(String(255))
    organisation_type: Mapped[str | None] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class SurveyAnswer(db.Model):
    """One question's answer: an option code, or text for a free-text question.

    The response's survey, date and the fields indicators are restricted and broken down by are copied onto
    each answer when it is stored (``repository.add_responses``), so an indicator counts one question's answers
    from this table (an index-only scan) instead of joining a million responses to a million answers.
    """

    __tablename__ = "survey_answer"
    # Counting one question's answers in scope, per code (and day, district or organisation type), reads this
    # index alone. Everything is in the key, none of it INCLUDEd, so PostgreSQL deduplicates it into a small index.
    __table_args__ = (
        Index(
            "ix_survey_answer_scope",
            "survey_id",
            "question_id",
            "submitted_on",
            "code",
            "district",
            "organisation_type",
        ),
        {"sqlite_with_rowid": False},
    )

    response_id: Mapped[str] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str | None] = mapped_column(Text)
    # Copies of the response's fields (responses are never updated, so the copies cannot go stale).
    survey_id: Mapped[str] = mapped_column(String(40))
    submitted_on: Mapped[date] = mapped_column(Date)
    district: Mapped[str | None] = mapped_column(String(60))
    need_category: Mapped[str | None] = mapped_column(String(80))
    channel: Mapped[str | None] = mapped_column(String(20))
    organisation_id: Mapped[str | None] = mapped_column(String(36))
    organisation_type: Mapped[str | None] = mapped_column(String(20))
