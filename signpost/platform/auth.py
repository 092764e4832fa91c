"""Staff sign-in: the login manager, server-side sessions with idle and absolute timeouts, ``roles_required``.

Protect a staff page with ``@roles_required("editor")``: anonymous visitors are sent to /staff/login, signed-in
staff without the role get the 403 page, and admins pass every role check.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, Flask, abort, current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user

from signpost.platform import accounts, staff_sessions

F = TypeVar("F", bound=Callable[..., Any])

staff_bp = Blueprint("staff", __name__, url_prefix="/staff")
"""The one ``staff`` blueprint (/staff, endpoints ``staff.*``). Features add their pages to it: sign-in, the
audit log and the outbox in ``signpost.staff.views``, signposting a caller in ``surveys.staff.views``; the app
registers it once, after both have been imported."""

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = _l("Sign in to see that page")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

LAST_SEEN_KEY = "staff_last_seen"
SESSION_ID_KEY = "staff_session"
DEFAULT_SESSION_MINUTES = 30
DEFAULT_SESSION_HOURS = 10  # a working day, however busy


@login_manager.user_loader
def _load_user(user_id: str) -> accounts.StaffUser | None:
    """The signed-in account, only while the cookie's server-side session is still live."""
    user = accounts.get_user(user_id)
    if user is None or not staff_sessions.is_current(
        session.get(SESSION_ID_KEY),
        user.id,
        idle=timedelta(minutes=current_app.config["STAFF_SESSION_MINUTES"]),
        lifetime=timedelta(hours=current_app.config["STAFF_SESSION_HOURS"]),
    ):
        return None
    return user


def sign_in(user: accounts.StaffUser) -> None:
    """Start a fresh session for ``user``: nothing carries over from before, and the id is new."""
    session.clear()
    login_user(user)
    session[SESSION_ID_KEY] = staff_sessions.start(user.id)
    session[LAST_SEEN_KEY] = time.time()


def sign_out() -> None:
    """End this browser's session on the server as well as in the cookie."""
    staff_sessions.end(session.get(SESSION_ID_KEY))
    logout_user()
    session.clear()


@login_manager.unauthorized_handler
def _unauthorised():
    return redirect(url_for("staff.login", next=safe_next(request.full_path if request.query_string else request.path)))


def safe_next(path: str | None) -> str | None:
    """A redirect target on this site, parsed and rebuilt as a path (and query), or None.

    Anything with a scheme, a host, a backslash or a control character (browsers and Werkzeug drop tabs and
    newlines, so ``/\t/evil.example`` would become ``//evil.example``) is refused outright.
    """
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 2000:
        return None
    if "\\" in path or any(ord(c) < 0x20 or ord(c) == 0x7F for c in path):
        return None
    try:
        parts = urlsplit(path)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    rebuilt = urlunsplit(("", "", parts.path, parts.query, ""))
    return rebuilt if rebuilt.startswith("/") and not rebuilt.startswith("//") else None


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow only signed-in staff holding one of ``roles`` (admins always pass)."""
    unknown = set(roles) - set(accounts.ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles) | {accounts.Role.ADMIN.value}  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "STAFF_SESSION_MINUTES", int(os.environ.get("STAFF_SESSION_MINUTES", DEFAULT_SESSION_MINUTES))
    )
    app.config.setdefault("STAFF_SESSION_HOURS", int(os.environ.get("STAFF_SESSION_HOURS", DEFAULT_SESSION_HOURS)))
    login_manager.init_app(app)

    @app.before_request
    def expire_idle_staff_sessions():
        """Sign staff out after STAFF_SESSION_MINUTES without a request."""
        if not current_user.is_authenticated:
            return None
        now = time.time()
        last_seen = session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, int | float) and now - last_seen > app.config["STAFF_SESSION_MINUTES"] * 60:
            sign_out()
            return redirect(url_for("staff.login", timeout=1))
        session[LAST_SEEN_KEY] = now
        return None

    @app.before_request
    def require_new_password():
        """After an admin's forced reset, staff pages wait until a new password is chosen."""
        if request.endpoint in ("staff.change_password", "staff.logout", "static") or not request.path.startswith(
            ("/staff", "/commissioners")
        ):
            return None
        if current_user.is_authenticated and current_user.password_reset_required:
            return redirect(url_for("staff.change_password"))
        return None
