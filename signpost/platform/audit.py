"""The audit log: ``record(action, target=None)`` is the one way anything is written to it.

Each event keeps who (the signed-in staff member's email, "anonymous", or "cli" for a command), what (an
action key from ``ACTIONS``), the target's id, and when. Never an IP address, never a caller's contact
details. Staff can read it at /staff/audit (admins only) and nothing can change or delete it.

Every sign-in attempt is recorded here (succeeded, failed or locked); the lockout itself is an atomic
counter in ``signpost.platform.lockout``, keyed like these events by ``sign_in_key``.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app, has_request_context
from flask_login import current_user

from signpost.platform import audit_store, database, lockout
from signpost.platform.lockout import LOCKOUT_ATTEMPTS, LOCKOUT_MINUTES  # noqa: F401  (re-exported)

ACTIONS = (
    "sign_in.succeeded",
    "sign_in.failed",
    "sign_in.locked",
    "sign_out",
    "signposting.recorded",
    "message.sent",
    "survey.keyed_in",
    "survey.cancelled",
    "outbox.viewed",
    "export.indicators_csv",
    "export.responses_csv",
    "export.funnel_csv",
    "user.created",
    "user.signed_out_everywhere",
    "user.password_reset_required",
    "user.password_changed",
    "listing.created",
    "listing.edited",
    "listing.archived",
    "listing.restored",
    "listing.checked",
    "problem_report.resolved",
    "problem_report.rejected",
    "assessment_request.received",
    "assessment_requests.listed",
    "assessment_request.viewed",
    "assessment_request.contacted",
    "assessment_request.closed",
    "data.purged",
    "data.person_exported",
    "data.person_erased",
)


def _actor() -> str:
    if not has_request_context():
        return "cli"
    if current_user and current_user.is_authenticated:
        return current_user.email
    return "anonymous"


def record(action: str, target: str | None = None) -> None:
    """Append one event to the audit log, in the request's transaction; kept even when the request fails
    and its other changes are rolled back."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    actor, kept_target, at = _actor(), None if target is None else str(target)[:100], datetime.now(UTC)
    audit_store.add_event(actor, action, kept_target, at)
    database.keep_on_rollback(lambda: audit_store.add_event(actor, action, kept_target, at))


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
    """When sign-in with ``email`` unlocks, or None if it is not locked."""
    return lockout.locked_until(sign_in_key(email), now)
