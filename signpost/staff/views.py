"""Staff pages: sign in and out, change a password, the staff home, read the outbox, the audit log.

They are on the one ``staff`` blueprint (``signpost.platform.auth.staff_bp``), which the signposting pages in
``surveys.staff.views`` share. Who may see what is the role matrix in the README ("Staff and roles"); each view
says it with ``roles_required``.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from signpost.platform import accounts, audit, lockout
from signpost.platform.auth import roles_required, safe_next, sign_in, sign_out
from signpost.platform.auth import staff_bp as bp
from signpost.platform.extensions import limiter
from signpost.platform.outbox import recent as recent_messages
from signpost.staff.forms import ChangePasswordForm, LoginForm, SignOutForm
from surveys.staff.views import SIGNPOSTERS

# --- Signing in and out --------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    next_path = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        key = audit.sign_in_key(form.email.data)
        if lockout.count_attempt(key) > lockout.LOCKOUT_ATTEMPTS:
            # Counted before the password is checked, so concurrent attempts cannot overtake the lock; the
            # same for known and unknown addresses, and the password is not even checked.
            audit.record("sign_in.locked", key)
            form.email.errors.append(
                _(
                    "There have been too many failed attempts to sign in with this email address. "
                    "Wait %(minutes)d minutes and try again.",
                    minutes=lockout.LOCKOUT_MINUTES,
                )
            )
            return render_template("staff/login.html", form=form, timed_out=False), 429
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            audit.record("sign_in.failed", key)
            form.email.errors.append(_("Enter the email address and password for your staff account"))
        else:
            lockout.clear(key)
            sign_in(user)
            audit.record("sign_in.succeeded", key)
            if user.password_reset_required:
                return redirect(url_for("staff.change_password"))
            return redirect(next_path or url_for("staff.home"))
    return render_template("staff/login.html", form=form, timed_out=request.args.get("timeout") == "1")


@bp.post("/logout")
@login_required
def logout():
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    audit.record("sign_out", current_user.id)
    sign_out()
    flash(_("You have signed out"), "success")
    return redirect(url_for("staff.login"))


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*accounts.ROLES)
def change_password():
    """Choose a new password (required after an admin's forced reset); every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if accounts.authenticate(current_user.email, form.current_password.data) is None:
            form.current_password.errors.append(_("Enter your current password"))
        elif problem := accounts.password_problem(form.new_password.data, current_user.email):
            form.new_password.errors.append(str(problem))
        else:
            user = accounts.get_user(current_user.id)
            accounts.change_password(user, form.new_password.data)
            audit.record("user.password_changed", user.id)
            sign_in(user)
            flash(_("Your password has been changed and your other sessions have ended"), "success")
            return redirect(url_for("staff.home"))
    required = bool(current_user.password_reset_required)
    return render_template("staff/change_password.html", form=form, required=required)


@bp.get("/")
@roles_required(*accounts.ROLES)
def home():
    return render_template("staff/home.html", sign_out=SignOutForm())


@bp.get("/outbox")
@roles_required(*SIGNPOSTERS)
def outbox():
    audit.record("outbox.viewed")
    return render_template(
        "staff/outbox.html",
        messages=recent_messages(staff_id=None if accounts.sees_team(current_user) else current_user.id),
        using_notify=bool(current_app.config.get("NOTIFY_API_KEY")),
    )


@bp.get("/audit")
@roles_required(accounts.Role.ADMIN.value)
def audit_log():
    """The audit log, read only: no route changes or deletes it."""
    action = request.args.get("action") or None
    return render_template("staff/audit.html", events=audit.recent(200, action), actions=audit.ACTIONS, chosen=action)
