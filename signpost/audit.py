"""The audit log: ``record(action, target=None)`` is the one way anything is written to it.

Each event keeps who (the signed-in staff member's email, "anonymous", or "cli" for a command), what (an
action key from ``ACTIONS``), the target's id, and when. Never an IP address, never a caller's contact
details. Staff can read it at /staff/audit (admins only) and nothing can change or delete it.

Sign-in lockout is worked out from the same log: ``LOCKOUT_ATTEMPTS`` failed sign-ins for one email address
within ``LOCKOUT_MINUTES`` lock it for ``LOCKOUT_MINUTES`` from the last of them.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from flask import current_app, has_request_context
from flask_login import current_user

from signpost import audit_store

ACTIONS = (
    "sign_in.succeeded",
    "sign_in.failed",
    "sign_in.locked",
    "sign_out",
    "signposting.recorded",
    "message.sent",
    "survey.keyed_in",
    "outbox.viewed",
    "export.indicators_csv",
    "export.responses_csv",
    "user.created",
    "listing.created",
    "listing.edited",
    "listing.archived",
    "listing.restored",
    "listing.checked",
    "problem_report.resolved",
    "assessment_request.received",
    "assessment_requests.listed",
    "assessment_request.viewed",
    "assessment_request.contacted",
    "assessment_request.closed",
    "data.purged",
    "data.person_exported",
    "data.person_erased",
)
LOCKOUT_ATTEMPTS = 5
LOCKOUT_MINUTES = 15


def _actor() -> str:
    if not has_request_context():
        return "cli"
    if current_user and current_user.is_authenticated:
        return current_user.email
    return "anonymous"


def record(action: str, target: str | None = None) -> None:
    """Append one event to the audit log (in its own commit)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    audit_store.add_event(_actor(), action, None if target is None else str(target)[:100])


def recent(limit: int = 200, action: str | None = None) -> list[audit_store.AuditEvent]:
    return audit_store.recent_events(limit, action if action in ACTIONS else None)


# --- Sign-in lockout ------------------------------------------------------------------------------------


def sign_in_key(email: str) -> str:
    """The target for sign-in events: a keyed hash of the address typed, so a mistyped or unknown address
    (which might be anything) is never stored, and known and unknown addresses lock alike."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return "sign-in:" + digest[:40]


def locked_until(email: str, now: datetime | None = None) -> datetime | None:
    """When the account for ``email`` unlocks, or None if it is not locked."""
    now = now or datetime.now(UTC)
    window = timedelta(minutes=LOCKOUT_MINUTES)
    events = audit_store.event_times(("sign_in.failed", "sign_in.succeeded"), sign_in_key(email), now - 2 * window)
    failures: list[datetime] = []
    for action, when in events:  # newest first; a successful sign-in wipes the slate
        if action == "sign_in.succeeded":
            break
        failures.append(when)
    if len(failures) < LOCKOUT_ATTEMPTS:
        return None
    last, fifth = failures[0], failures[LOCKOUT_ATTEMPTS - 1]
    if last - fifth > window:
        return None
    until = last + window
    return until if now < until else None
