"""Problem reports: residents' reports about a listing, and the editors' queue of open ones."""

from __future__ import annotations

from sqlalchemy import func, select

from directory.models import ProblemReport, Service
from signpost.platform.extensions import db


def add_problem_report(service_id: str, topic: str, details: str) -> ProblemReport:
    report = ProblemReport(service_id=service_id, topic=topic, details=details)
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
