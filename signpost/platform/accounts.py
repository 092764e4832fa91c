"""Staff accounts: the model and every query on the ``staff_user`` table (the one place that reads it)."""

from __future__ import annotations

import enum
import re
import uuid
from datetime import UTC, datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, String, func, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from signpost.platform import staff_sessions
from signpost.platform.extensions import db

MIN_PASSWORD_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 6
MIN_GUESS_SCORE = 3  # zxcvbn's 0–4; 3 is "safely unguessable: moderate protection from offline attacks"
# Words anyone attacking this service would try first.
SERVICE_WORDS = ("signpost", "hertfordshire", "herts", "hertshelp", "council", "staff", "password")
# A hash to check against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class Role(enum.StrEnum):
    CALL_HANDLER = "call_handler"
    TEAM_LEAD = "team_lead"  # a call handler who also sees the team's call history and outbox
    EDITOR = "editor"
    COMMISSIONER = "commissioner"
    ADMIN = "admin"


ROLES: tuple[str, ...] = tuple(role.value for role in Role)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    email: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_reset_required: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return bool(self.active)

    def has_role(self, *roles: str) -> bool:
        """Admins pass every role check."""
        return self.role == Role.ADMIN or self.role in roles


def sees_team(user) -> bool:
    """Whether ``user`` sees every call handler's records and messages, not just their own."""
    return getattr(user, "role", None) in (Role.TEAM_LEAD, Role.ADMIN)


class AccountError(ValueError):
    """An account cannot be created as asked."""


@cache
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords from leaks, as shipped with zxcvbn (no network needed)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` may not be used, or None (NCSC: length and a deny-list, not composition rules).

    At least ``MIN_PASSWORD_LENGTH`` characters and ``MIN_DISTINCT_CHARACTERS`` different ones, not a
    common or breached password, and not easily guessed from common words, keyboard patterns, dates, the
    person's email address or this service's own name (zxcvbn's estimate).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Your password must be at least %(count)d characters long", count=MIN_PASSWORD_LENGTH)
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        return _l("Your password must use at least %(count)d different characters", count=MIN_DISTINCT_CHARACTERS)
    if password.strip().lower() in _common_passwords():
        return _l("That password is one of the most common passwords; choose another, like three random words")
    from zxcvbn import zxcvbn

    email = email.lower()
    hints = [*SERVICE_WORDS, email, email.split("@")[0], *re.split(r"[@._+-]", email)] if email else SERVICE_WORDS
    if zxcvbn(password[:100], user_inputs=list(hints))["score"] < MIN_GUESS_SCORE:
        return _l("That password would be easy to guess; try three random words")
    return None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user(user_id: str) -> StaffUser | None:
    if not isinstance(user_id, str) or len(user_id) > 36:
        return None
    return db.session.get(StaffUser, user_id)


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalars(select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email))).first()


def authenticate(email: str, password: str) -> StaffUser | None:
    """The active user with this email and password, or None (checking a hash either way)."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = _utcnow()
    db.session.commit()
    return user


def create_or_update_user(email: str, role: str, password: str, *, replace: bool = False) -> StaffUser:
    """Create an account (or, with ``replace``, reset an existing one's role and password)."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 255:
        raise AccountError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    user = find_by_email(email)
    if user is not None and not replace:
        raise AccountError(f"an account for {email} already exists")
    if problem := password_problem(password, email):
        raise AccountError(str(problem))
    if user is None:
        user = StaffUser(email=email)
        db.session.add(user)
    elif not check_password_hash(user.password_hash, password):
        staff_sessions.end_all(user.id)  # a new password ends every session of the old one
    user.role = role
    user.active = True
    user.password_hash = generate_password_hash(password)
    user.password_reset_required = False
    db.session.commit()
    return user


def change_password(user: StaffUser, new_password: str) -> None:
    """Set a new password (already checked with ``password_problem``); every session of the old one ends."""
    user.password_hash = generate_password_hash(new_password)
    user.password_reset_required = False
    staff_sessions.end_all(user.id)
    db.session.commit()


def require_password_reset(user: StaffUser) -> int:
    """An admin's forced reset: every session ends now, and the next sign-in must choose a new password."""
    user.password_reset_required = True
    ended = staff_sessions.end_all(user.id)
    db.session.commit()
    return ended
