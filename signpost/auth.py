"""Staff sign-in: the login manager, an idle-session timeout and ``roles_required``.

Protect a staff page with ``@roles_required("editor")``: anonymous visitors are sent to /staff/login, signed-in
staff without the role get the 403 page, and admins pass every role check.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user

from signpost import accounts

F = TypeVar("F", bound=Callable[..., Any])

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = _l("Sign in to see that page")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

LAST_SEEN_KEY = "staff_last_seen"
DEFAULT_SESSION_MINUTES = 30


@login_manager.user_loader
def _load_user(user_id: str) -> accounts.StaffUser | None:
    return accounts.get_user(user_id)


@login_manager.unauthorized_handler
def _unauthorised():
    return redirect(
        url_for("staff.login", next=_safe_next(request.full_path if request.query_string else request.path))
    )


def _safe_next(path: str | None) -> str | None:
    """Only a path on this site (never //host or a scheme) may be a redirect target."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    return path


def safe_next(path: str | None) -> str | None:
    return _safe_next(path)


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
    login_manager.init_app(app)

    @app.before_request
    def expire_idle_staff_sessions():
        """Sign staff out after STAFF_SESSION_MINUTES without a request."""
        if not current_user.is_authenticated:
            return None
        now = time.time()
        last_seen = session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, int | float) and now - last_seen > app.config["STAFF_SESSION_MINUTES"] * 60:
            logout_user()
            session.pop(LAST_SEEN_KEY, None)
            return redirect(url_for("staff.login", timeout=1))
        session[LAST_SEEN_KEY] = now
        return None
