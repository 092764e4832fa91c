"""Recording a contact with a caller, sending their list and survey invitation, and taking survey answers.

Views call these; these call the repositories and the one notification interface.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from directory.models import Service
from signpost.platform import audit
from signpost.platform.extensions import db
from signpost.platform.notifications import NotificationError, notifier
from surveys import repository, service_facts
from surveys.definition import QuestionType, SurveyDefinition
from surveys.models import SignpostedService, SignpostingRecord, SurveyInvitation
from surveys.reporting import survey

CHANNELS = ("phone", "email", "face_to_face", "web")
SOURCES = ("online", "phone", "paper", "import")
DEFAULT_INVITATION_DAYS = 90
DEFAULT_SURVEY_DELAY_DAYS = 7
DEFAULT_SENDER = "HertsHelp, Hertfordshire County Council"
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
    token: str | None  # no longer made at the call: the invitation goes later (``send_due_invitations``)
    sent_to: str | None


# No 0/O, 1/I/L or 5/S, so a reference read out over the phone is not misheard or mistyped.
REFERENCE_ALPHABET = "2346789ABCDEFGHJKMNPQRTUVWXYZ"
REFERENCE_LENGTH = 5
REFERENCE_PREFIX = "SP"
REFERENCE_RE = re.compile(rf"^{REFERENCE_PREFIX}-?[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}$")


def new_reference() -> str:
    """A short reference the caller is given, like ``SP-7K3QX``."""
    return REFERENCE_PREFIX + "-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(text: str) -> str | None:
    """``sp 7k3qx`` or ``SP7K3QX`` as ``SP-7K3QX``; None when it cannot be a reference."""
    compact = re.sub(r"[\s-]", "", text or "").upper()
    if not REFERENCE_RE.match(compact):
        return None
    return f"{compact[:2]}-{compact[2:]}"


def masked(to: str, send_by: str) -> str:
    """An address or number partly hidden, for the record page: ``r•••@example.com``, ``07•••••••982``."""
    if send_by == "email":
        local, _at, domain = to.partition("@")
        return f"{local[:1]}•••@{domain}"[:60]
    return f"{to[:2]}{'•' * max(len(to) - 5, 0)}{to[-3:]}"[:60]


def record_contact(
    staff_id: str | None, services: Sequence[Service], details: ContactDetails, survey_url: Callable[[str], str]
) -> Recorded:
    """Store the contact with a new reference, send the list, and (with consent) schedule the survey invitation
    for ``SURVEY_DELAY_DAYS`` later; one transaction (the request's). ``survey_url`` is kept for callers."""
    now = datetime.now(UTC)
    to = details.email if details.send_by == "email" else details.mobile if details.send_by == "sms" else None
    consent = details.survey_consent and bool(services)
    survey_by = details.send_by if consent and to else None
    record = SignpostingRecord(
        created_by=staff_id,
        need_category=details.need_category,
        district=details.district,
        channel=details.channel,
        survey_consent=details.survey_consent,
        contact_email=details.email if details.survey_consent and details.send_by == "email" else None,
        contact_mobile=details.mobile if details.survey_consent and details.send_by == "sms" else None,
        list_sent_by=details.send_by if to and services else None,
        list_sent_to=masked(to, details.send_by or "") if to and services else None,
        survey_send_by=survey_by,
        survey_due_at=now + timedelta(days=survey_delay_days()) if survey_by else None,
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
    repository.add_record(record, new_reference)
    sent_to = _send_list(record, services, details) if to and services else None
    audit.record("signposting.recorded", record.id)
    if sent_to:
        audit.record("message.sent", record.id)
    return Recorded(record, None, sent_to)


def survey_delay_days() -> int:
    return int(current_app.config.get("SURVEY_DELAY_DAYS", DEFAULT_SURVEY_DELAY_DAYS))


def sender() -> str:
    return current_app.config.get("MESSAGE_SENDER") or DEFAULT_SENDER


def _service_lines(service: Service) -> list[str]:
    lines = [f"{service.name} ({service.organization.name})"]
    if number := service_facts.phone(service):
        lines.append(_("Phone: %(number)s", number=number))
    for address in service_facts.addresses(service):
        lines.append(_("Address: %(address)s", address=address))
    hours = service_facts.opening_times(service)
    if hours:
        lines.append(_("Open: %(times)s", times="; ".join(hours)))
    if service.url:
        lines.append(service.url)
    return lines


def _opt_out(reference: str) -> str:
    return _(
        "If you do not want any more messages from us, call %(helpline)s on %(phone)s and quote %(reference)s.",
        helpline=current_app.config["HELPLINE_NAME"],
        phone=current_app.config["HELPLINE_PHONE"],
        reference=reference,
    )


def list_message(record: SignpostingRecord, services: Sequence[Service]) -> tuple[str, str]:
    """The subject and body of the caller's list: from the sender, each service's phone, address and opening
    times, the reference and a line saying how to stop further messages."""
    parts = [
        _("%(sender)s: here are the services we talked about.", sender=sender()),
        _("Your reference is %(reference)s.", reference=record.reference),
    ]
    parts += ["\n".join(_service_lines(service)) for service in services]
    if record.survey_due_at:
        parts.append(
            _(
                "In %(days)d days we will send you a short survey link to ask how it went.",
                days=survey_delay_days(),
            )
        )
    parts.append(_opt_out(record.reference or ""))
    subject = _("Services we talked about – %(sender)s", sender=sender())
    return subject, "\n\n".join(parts)


def _send_list(record: SignpostingRecord, services: Sequence[Service], details: ContactDetails) -> str | None:
    to = details.email if details.send_by == "email" else details.mobile
    if not to:
        return None
    subject, body = list_message(record, services)
    send = notifier()
    if details.send_by == "email":
        send.send_email(to, subject, body, purpose="signposting_list", staff_id=record.created_by)
    else:
        send.send_sms(to, body, purpose="signposting_list", staff_id=record.created_by)
    return to


# --- The survey invitation, some days after the call ---------------------------------------------------


def _organisations(record: SignpostingRecord) -> list[SignpostedService]:
    """The first service listed for each organisation: one rating each."""
    seen: set[str] = set()
    first = []
    for item in record.services:
        key = item.organisation_id or item.organisation_name
        if key not in seen:
            seen.add(key)
            first.append(item)
    return first


def invitation_message(record: SignpostingRecord, links: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """The subject and body of the survey invitation: one link per organisation signposted."""
    parts = [
        _(
            "%(sender)s: we recently suggested some organisations that might help you (reference %(reference)s). "
            "Please tell us how it went: one short survey for each organisation.",
            sender=sender(),
            reference=record.reference,
        ),
        "\n".join(f"{name}: {link}" for name, link in links),
        _opt_out(record.reference or ""),
    ]
    subject = _("How did it go? – %(sender)s", sender=sender())
    return subject, "\n\n".join(parts)


def send_invitation(record: SignpostingRecord, survey_url: Callable[[str], str], now: datetime) -> bool:
    """Send a claimed record's invitation: one single-use link per organisation signposted.

    The invitations and the outbox copy join the command's transaction in a savepoint: a message Notify
    refuses rolls them back and raises ``NotificationError``.
    """
    to = record.contact_email if record.survey_send_by == "email" else record.contact_mobile
    if not to:
        return False  # the contact details have gone (purged or erased): nothing to send, ever
    with db.session.begin_nested():
        expires = now + timedelta(days=current_app.config.get("SURVEY_INVITATION_DAYS", DEFAULT_INVITATION_DAYS))
        links = []
        for item in _organisations(record):
            token = new_token()
            repository.add_invitation(
                SurveyInvitation(
                    token_hash=hash_token(token),
                    survey_id=SIGNPOSTING_SURVEY,
                    record_id=record.id,
                    signposted_service_id=item.id,
                    expires_at=expires,
                )
            )
            links.append((item.organisation_name, survey_url(token)))
        subject, body = invitation_message(record, links)
        send = notifier()
        if record.survey_send_by == "email":
            send.send_email(to, subject, body, purpose="survey_invitation", staff_id=record.created_by)
        else:
            send.send_sms(to, body, purpose="survey_invitation", staff_id=record.created_by)
    audit.record("message.sent", record.id)
    return True


def send_due_invitations(survey_url: Callable[[str], str], now: datetime | None = None) -> dict[str, int]:
    """Send every survey invitation that is due and not yet sent, each exactly once however many runs race.

    The records are claimed first, in one UPDATE (``repository.claim_due_surveys``); a refused message is
    unclaimed, so the next run tries it again. The caller (the command) commits once at the end.
    """
    now = now or datetime.now(UTC)
    sent = failed = 0
    for record in repository.claim_due_surveys(now):
        try:
            sent += send_invitation(record, survey_url, now)
        except NotificationError:
            repository.unclaim_due_survey(record.id)
            failed += 1
    return {"sent": sent, "failed": failed}


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


def _organisation_key(item: SignpostedService) -> str:
    return item.organisation_id or item.organisation_name


def _invitations_for(record: SignpostingRecord, item: SignpostedService) -> list[SurveyInvitation]:
    """The record's invitations about `item`'s organisation (an invitation naming no service is about the first)."""
    key = _organisation_key(item)
    by_id = {service.id: _organisation_key(service) for service in record.services}
    first = _organisation_key(record.services[0]) if record.services else None
    return [
        invitation
        for invitation in record.invitations
        if (by_id.get(invitation.signposted_service_id) if invitation.signposted_service_id else first) == key
    ]


def ratings_to_key_in(record: SignpostingRecord) -> list[tuple[SignpostedService, bool]]:
    """Each organisation signposted (its first service listed: one rating each), and whether it is rated."""
    return [
        (item, any(invitation.used_at is not None for invitation in _invitations_for(record, item)))
        for item in _organisations(record)
    ]


def can_key_in(record: SignpostingRecord, item: SignpostedService | None = None) -> bool:
    """Whether staff may key in answers about `item`'s organisation (or, without one, about any organisation
    of this call): not rated yet, and an open invitation about it or the caller's consent to the survey."""
    if item is None:
        return any(can_key_in(record, each) for each, _rated in ratings_to_key_in(record))
    invitations = _invitations_for(record, item)
    if any(invitation.used_at is not None for invitation in invitations):
        return False
    now = datetime.now(UTC)
    return record.survey_consent or any(invitation_outcome(invitation, now) is None for invitation in invitations)


def keyed_in_invitation(record: SignpostingRecord, item: SignpostedService) -> SurveyInvitation | None:
    """The open invitation about `item`'s organisation that staff key a phone or paper answer against (made now
    if the caller consented and none was sent). Only when the answers are submitted: a GET writes nothing."""
    if not can_key_in(record, item):
        return None
    now = datetime.now(UTC)
    for invitation in _invitations_for(record, item):
        if invitation_outcome(invitation, now) is None:
            return invitation
    return repository.add_invitation(
        SurveyInvitation(
            token_hash=hash_token(new_token()),
            survey_id=SIGNPOSTING_SURVEY,
            record=record,  # so `record.invitations`, already loaded, holds it too
            signposted_service_id=item.id,
            expires_at=now + timedelta(days=current_app.config.get("SURVEY_INVITATION_DAYS", DEFAULT_INVITATION_DAYS)),
        )
    )
