"""Recording a contact with a caller, sending their list and survey invitation, and taking survey answers.

Views call these; these call the repositories and the one notification interface.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from directory.list_text import list_text
from directory.models import Service
from signpost.platform import audit
from signpost.platform.notifications import notifier
from surveys import repository
from surveys.definition import QuestionType, SurveyDefinition
from surveys.models import SignpostedService, SignpostingRecord, SurveyInvitation
from surveys.reporting import survey

CHANNELS = ("phone", "email", "face_to_face", "web")
SOURCES = ("online", "phone", "paper", "import")
DEFAULT_INVITATION_DAYS = 90
MAX_TEXT = 2000
TOKEN_PATTERN = r"[A-Za-z0-9_-]{20,64}"
SIGNPOSTING_SURVEY = "signposting"
_UK = ZoneInfo("Europe/London")


class Outcome(StrEnum):
    SAVED = "saved"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def uk_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(_UK).date()


@dataclass(frozen=True)
class ContactDetails:
    """What a call handler records; email and mobile are kept only with survey consent."""

    need_category: str | None
    district: str | None
    channel: str
    survey_consent: bool
    send_by: str | None  # "email", "sms" or None
    email: str | None = None
    mobile: str | None = None


@dataclass(frozen=True)
class Recorded:
    record: SignpostingRecord
    token: str | None
    sent_to: str | None


def record_contact(
    staff_id: str | None, services: Sequence[Service], details: ContactDetails, survey_url: Callable[[str], str]
) -> Recorded:
    """Store the contact, create the survey invitation (with consent), send the list; one transaction (the
    request's)."""
    record = SignpostingRecord(
        created_by=staff_id,
        need_category=details.need_category,
        district=details.district,
        channel=details.channel,
        survey_consent=details.survey_consent,
        contact_email=details.email if details.survey_consent and details.send_by == "email" else None,
        contact_mobile=details.mobile if details.survey_consent and details.send_by == "sms" else None,
        services=[
            SignpostedService(
                position=position,
                service_id=service.id,
                service_name=service.name,
                organisation_id=service.organization.id,
                organisation_name=service.organization.name,
                organisation_type=str(service.organization.organization_type),
            )
            for position, service in enumerate(services)
        ],
    )
    repository.add_record(record)
    token = None
    if details.survey_consent and record.services:
        token = new_token()
        days = current_app.config.get("SURVEY_INVITATION_DAYS", DEFAULT_INVITATION_DAYS)
        repository.add_invitation(
            SurveyInvitation(
                token_hash=hash_token(token),
                survey_id=SIGNPOSTING_SURVEY,
                record_id=record.id,
                signposted_service_id=record.services[0].id,
                expires_at=datetime.now(UTC) + timedelta(days=days),
            )
        )
    sent_to = _send_list(services, details, survey_url(token) if token else None)
    audit.record("signposting.recorded", record.id)
    if sent_to:
        audit.record("message.sent", record.id)
    return Recorded(record, token, sent_to)


def _send_list(services: Sequence[Service], details: ContactDetails, link: str | None) -> str | None:
    to = details.email if details.send_by == "email" else details.mobile if details.send_by == "sms" else None
    if not to or not services:
        return None
    body = _("Here are the services we talked about:") + "\n\n" + list_text(services)
    if link:
        body += "\n\n" + _(
            "When you have had a chance to contact them, please tell us how it went: %(link)s", link=link
        )
    subject = _("Services we talked about – %(service)s", service=current_app.config["SERVICE_NAME"])
    send = notifier()
    if details.send_by == "email":
        send.send_email(to, subject, body, purpose="signposting_list")
    else:
        send.send_sms(to, body, purpose="signposting_list")
    return to


# --- Taking answers ------------------------------------------------------------------------------------


def invitation_outcome(invitation: SurveyInvitation | None, now: datetime | None = None) -> Outcome | None:
    """Why an invitation cannot be answered, or None when it can."""
    now = now or datetime.now(UTC)
    if invitation is None:
        return Outcome.UNKNOWN
    if invitation.used_at is not None:
        return Outcome.USED
    expires = invitation.expires_at if invitation.expires_at.tzinfo else invitation.expires_at.replace(tzinfo=UTC)
    return Outcome.EXPIRED if expires <= now else None


def find_invitation(token: str) -> SurveyInvitation | None:
    return repository.invitation_by_hash(hash_token(token))


def clean_answers(definition: SurveyDefinition, answers: Mapping[str, object]) -> dict[str, str]:
    """Only answers the definition allows: known option codes, text trimmed to MAX_TEXT characters."""
    cleaned: dict[str, str] = {}
    for question in definition.questions:
        value = answers.get(question.id)
        if not isinstance(value, str) or not value.strip():
            continue
        if question.type is QuestionType.FREE_TEXT:
            cleaned[question.id] = value.strip()[:MAX_TEXT]
        elif value in question.codes:
            cleaned[question.id] = value
    return cleaned


def submit_answers(token_hash: str, answers: Mapping[str, object], source: str, now: datetime | None = None) -> Outcome:
    """Store one response for the invitation, exactly once however many requests race for it.

    The claim and the response are one transaction, the caller's: the request commits it when the answers are
    saved and rolls it back otherwise (a "closed" page is a 4xx), so a lost race writes nothing.
    """
    now = now or datetime.now(UTC)
    if not repository.claim_invitation(token_hash, now):
        return invitation_outcome(repository.invitation_by_hash(token_hash), now) or Outcome.USED
    invitation = repository.invitation_by_hash(token_hash)
    definition = survey(invitation.survey_id)
    record, signposted = invitation.record, invitation.signposted_service
    response = {
        "survey_id": definition.id,
        "survey_version": definition.version,
        "submitted_on": uk_today(now),
        "source": source,
        "district": record.district,
        "need_category": record.need_category,
        "channel": record.channel,
        "organisation_id": signposted.organisation_id if signposted else None,
        "organisation_name": signposted.organisation_name if signposted else None,
        "organisation_type": signposted.organisation_type if signposted else None,
    }
    repository.add_responses([response], [repository.answer_rows(definition, clean_answers(definition, answers))])
    return Outcome.SAVED


def can_key_in(record: SignpostingRecord) -> bool:
    """Whether staff may key in answers for this call (an open invitation, or consent and none used yet)."""
    if repository.open_invitation_for_record(record.id, datetime.now(UTC)) is not None:
        return True
    return bool(record.survey_consent and record.services) and all(
        existing.used_at is None for existing in record.invitations
    )


def keyed_in_invitation(record: SignpostingRecord) -> SurveyInvitation | None:
    """The open invitation staff key a phone or paper answer against (made now if consent was given).

    Only when the answers are submitted: showing the form (a GET) must not write anything.
    """
    now = datetime.now(UTC)
    invitation = repository.open_invitation_for_record(record.id, now)
    if invitation is not None or not can_key_in(record):
        return invitation
    return repository.add_invitation(
        SurveyInvitation(
            token_hash=hash_token(new_token()),
            survey_id=SIGNPOSTING_SURVEY,
            record_id=record.id,
            signposted_service_id=record.services[0].id,
            expires_at=now + timedelta(days=current_app.config.get("SURVEY_INVITATION_DAYS", DEFAULT_INVITATION_DAYS)),
        )
    )
