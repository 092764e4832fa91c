"""Every query on ``assessment_request`` (nothing else reads or writes it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from signpost.assessments.models import AssessmentRequest, utcnow
from signpost.platform.extensions import db

REFERENCE_ATTEMPTS = 8


def add_request(reference: Callable[[], str], **fields: Any) -> AssessmentRequest:
    """Store a new request (``fields`` are its columns) under a new reference; one already in use is drawn again."""
    request = AssessmentRequest(**fields)
    for _attempt in range(REFERENCE_ATTEMPTS):
        request.reference = reference()
        try:
            with db.session.begin_nested():
                db.session.add(request)
            return request
        except IntegrityError:
            continue  # the savepoint's rollback took the pending request back out of the session
    raise RuntimeError("no free assessment reference after several attempts")


def get_request(request_id: str) -> AssessmentRequest | None:
    return db.session.get(AssessmentRequest, request_id)


def requests(status: str | None) -> list[AssessmentRequest]:
    """Requests with this status (all when None), oldest first so the longest waiting is at the top."""
    query = select(AssessmentRequest).order_by(AssessmentRequest.created_at, AssessmentRequest.reference)
    if status:
        query = query.where(AssessmentRequest.status == status)
    return list(db.session.scalars(query))


def count_by_status() -> dict[str, int]:
    query = select(AssessmentRequest.status, func.count().label("n")).group_by(AssessmentRequest.status)
    return {row.status: row.n for row in db.session.execute(query)}


def set_status(request: AssessmentRequest, status: str, note: str, staff_id: str) -> None:
    """Mark as contacted or closed, keeping who, when and the note for that step."""
    now = utcnow()
    if status == "contacted":
        request.contacted_at, request.contacted_by, request.contacted_note = now, staff_id, note
    elif status == "closed":
        request.closed_at, request.closed_by, request.closed_note = now, staff_id, note
    else:
        raise ValueError(f"cannot set status {status!r}")
    request.status = status


def _person(emails: Sequence[str], phones: Sequence[str]):
    match = [func.lower(AssessmentRequest.email).in_(emails)] if emails else []
    match += [AssessmentRequest.phone.in_(phones)] if phones else []
    return or_(*match)


def person_requests(emails: Sequence[str], phones: Sequence[str]) -> list[AssessmentRequest]:
    """Every request with one of these (already normalised) email addresses or phone numbers."""
    query = select(AssessmentRequest).where(_person(emails, phones)).order_by(AssessmentRequest.created_at)
    return list(db.session.scalars(query))


def erase_person(emails: Sequence[str], phones: Sequence[str]) -> int:
    return _deleted(delete(AssessmentRequest).where(_person(emails, phones)))


def purge_before(before: datetime) -> int:
    """Delete requests made before ``before``: the whole request is contact details."""
    return _deleted(delete(AssessmentRequest).where(AssessmentRequest.created_at < before))


def _deleted(statement) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0
