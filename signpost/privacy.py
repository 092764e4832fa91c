"""Personal data: the retention purge, subject-access export and erasure for one person's contact details.

`flask --app wsgi data purge` (run it daily, e.g. from cron), `data export-person --email X` (or
`--mobile`), `data erase-person --email X`. Contact details live only on signposting records, assessment
requests, in the outbox and on suggested changes to a listing (an optional email, also deleted when an editor
closes the suggestion); survey responses never link back to a person, so they and the indicators are
untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from directory import repository as directory
from signpost.assessments import repository as assessments
from signpost.platform import audit
from signpost.platform.extensions import db
from surveys import repository

DEFAULT_RETENTION_DAYS = 365
data_cli = AppGroup("data", help="Personal data: retention purge, subject access and erasure.")


def normalise_mobile(number: str) -> list[str]:
    """The ways one UK mobile number may have been stored (07…, +447…, 00447…)."""
    digits = re.sub(r"[\s()-]", "", number)
    for prefix in ("+44", "0044"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :]
    return [digits, "+44" + digits[1:], "0044" + digits[1:]] if digits.startswith("0") else [digits]


def _who(email: str | None, mobile: str | None) -> tuple[list[str], list[str]]:
    emails = [email.strip().lower()] if email and email.strip() else []
    mobiles = normalise_mobile(mobile) if mobile and mobile.strip() else []
    if not emails and not mobiles:
        raise click.UsageError("Give --email or --mobile.")
    return emails, mobiles


def retention_cutoff(now: datetime | None = None) -> datetime:
    days = int(current_app.config.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    return (now or datetime.now(UTC)) - timedelta(days=days)


def purge(now: datetime | None = None) -> dict[str, int]:
    """Remove contact details older than RETENTION_DAYS; one transaction, the command's. Returns counts."""
    cutoff = retention_cutoff(now)
    counts = repository.purge_contact_details(cutoff)
    counts["requests_deleted"] = assessments.purge_before(cutoff)
    counts["suggestions_cleared"] = directory.purge_contact_emails(cutoff)
    audit.record(
        "data.purged",
        f"{counts['records_cleared']} records, {counts['messages_deleted']} messages, "
        f"{counts['requests_deleted']} requests, {counts['suggestions_cleared']} suggested changes",
    )
    return counts


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_person(emails: Sequence[str], mobiles: Sequence[str]) -> dict[str, Any]:
    """Everything held about this contact, as JSON-ready data."""
    records, messages = repository.person_data(emails, mobiles)
    requests = assessments.person_requests(emails, mobiles)
    suggestions = directory.reports_with_contact(emails)
    audit.record(
        "data.person_exported",
        f"{len(records)} records, {len(messages)} messages, {len(requests)} requests, "
        f"{len(suggestions)} suggested changes",
    )
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "signposting_records": [
            {
                "id": record.id,
                "created_at": _iso(record.created_at),
                "need_category": record.need_category,
                "district": record.district,
                "channel": record.channel,
                "survey_consent": record.survey_consent,
                "contact_email": record.contact_email,
                "contact_mobile": record.contact_mobile,
                "services": [{"service": s.service_name, "organisation": s.organisation_name} for s in record.services],
                "survey_invitations": [
                    {"created_at": _iso(i.created_at), "expires_at": _iso(i.expires_at), "used_at": _iso(i.used_at)}
                    for i in record.invitations
                ],
            }
            for record in records
        ],
        "messages": [
            {
                "sent_at": _iso(message.created_at),
                "kind": message.kind,
                "to": message.recipient,
                "subject": message.subject,
                "body": message.body,
                "purpose": message.purpose,
            }
            for message in messages
        ],
        "assessment_requests": [
            {
                "reference": request.reference,
                "kind": request.kind,
                "created_at": _iso(request.created_at),
                "name": request.name,
                "contact_by": request.contact_by,
                "email": request.email,
                "phone": request.phone,
                "best_time": request.best_time,
                "status": request.status,
                "contacted_note": request.contacted_note,
                "closed_note": request.closed_note,
            }
            for request in requests
        ],
        "suggested_changes": [
            {
                "created_at": _iso(suggestion.created_at),
                "service_id": suggestion.service_id,
                "changes": suggestion.details,
                "contact_email": suggestion.contact_email,
                "status": suggestion.status,
            }
            for suggestion in suggestions
        ],
        "note": "Survey answers are stored anonymously, with no link to a person, so none can be listed here.",
    }


def erase_person(emails: Sequence[str], mobiles: Sequence[str]) -> dict[str, int]:
    counts = repository.erase_person(emails, mobiles)
    counts["requests_deleted"] = assessments.erase_person(emails, mobiles)
    counts["suggestions_cleared"] = directory.erase_contact_emails(emails)
    audit.record(
        "data.person_erased",
        f"{counts['records_cleared']} records, {counts['messages_deleted']} messages, "
        f"{counts['requests_deleted']} requests, {counts['suggestions_cleared']} suggested changes",
    )
    return counts


@data_cli.command("purge")
def purge_command() -> None:
    """Remove contact details, outbox messages and assessment requests older than RETENTION_DAYS (answers and
    indicators stay)."""
    counts = purge()
    db.session.commit()
    click.echo(
        f"Removed contact details from {counts['records_cleared']} signposting records and deleted "
        f"{counts['messages_deleted']} outbox messages, deleted {counts['requests_deleted']} assessment requests, "
        f"and removed the email from {counts['suggestions_cleared']} suggested changes to listings, "
        f"older than {current_app.config.get('RETENTION_DAYS')} days."
    )


@data_cli.command("export-person")
@click.option("--email", help="The person's email address.")
@click.option("--mobile", help="The person's mobile number.")
def export_person_command(email: str | None, mobile: str | None) -> None:
    """Print, as JSON, everything held about one person's contact details (a subject access request)."""
    click.echo(json.dumps(export_person(*_who(email, mobile)), indent=2, ensure_ascii=False))


@data_cli.command("erase-person")
@click.option("--email", help="The person's email address.")
@click.option("--mobile", help="The person's mobile number.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_person_command(email: str | None, mobile: str | None, yes: bool) -> None:
    """Remove one person's contact details from every record and the outbox (anonymous answers stay)."""
    emails, mobiles = _who(email, mobile)
    if not yes:
        click.confirm("Remove this person's contact details everywhere?", abort=True)
    counts = erase_person(emails, mobiles)
    db.session.commit()
    click.echo(
        f"Removed the contact details from {counts['records_cleared']} signposting records and deleted "
        f"{counts['messages_deleted']} outbox messages and {counts['requests_deleted']} assessment requests, and "
        f"the email from {counts['suggestions_cleared']} suggested changes to listings."
    )
