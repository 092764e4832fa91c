"""Problem reports and update requests: residents' reports and providers' requests about a listing, and the
editors' queue of open ones. An update request's optional contact email is the only personal data here: it is
deleted when the request is closed, by the retention purge, and by erasure, and given in a subject access export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update

from directory.models import ProblemReport, Service
from signpost.platform.extensions import db


def add_problem_report(service_id: str, topic: str, details: str, contact_email: str | None = None) -> ProblemReport:
    report = ProblemReport(service_id=service_id, topic=topic, details=details, contact_email=contact_email or None)
    db.session.add(report)
    return report


def problem_reports_for(service_id: str) -> list[ProblemReport]:
    return list(
        db.session.scalars(
            select(ProblemReport).where(ProblemReport.service_id == service_id).order_by(ProblemReport.created_at)
        )
    )


def open_problem_reports(limit: int = 500) -> list[tuple[ProblemReport, str, str]]:
    """Open reports, oldest first, each with its listing's name and status."""
    rows = db.session.execute(
        select(ProblemReport, Service.name, Service.status)
        .join(Service, Service.id == ProblemReport.service_id)
        .where(ProblemReport.status == "open")
        .order_by(ProblemReport.created_at, ProblemReport.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in rows]


def count_open_problem_reports() -> int:
    return db.session.scalar(select(func.count()).select_from(ProblemReport).where(ProblemReport.status == "open")) or 0


def get_problem_report(report_id: str) -> ProblemReport | None:
    return db.session.get(ProblemReport, report_id)


def reports_with_contact(emails: Sequence[str]) -> list[ProblemReport]:
    """Update requests that still hold one of these contact emails (compared without case)."""
    if not emails:
        return []
    wanted = [email.strip().lower() for email in emails]
    return list(
        db.session.scalars(
            select(ProblemReport)
            .where(func.lower(ProblemReport.contact_email).in_(wanted))
            .order_by(ProblemReport.created_at)
        )
    )


def erase_contact_emails(emails: Sequence[str]) -> int:
    """Remove these contact emails from update requests; how many requests held one."""
    if not emails:
        return 0
    wanted = [email.strip().lower() for email in emails]
    result = db.session.execute(
        update(ProblemReport)
        .where(func.lower(ProblemReport.contact_email).in_(wanted))
        .values(contact_email=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def purge_contact_emails(before: datetime) -> int:
    """Remove the contact emails of update requests made before `before` (the retention period)."""
    result = db.session.execute(
        update(ProblemReport)
        .where(ProblemReport.created_at < before, ProblemReport.contact_email.is_not(None))
        .values(contact_email=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
