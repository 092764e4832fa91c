"""Staff pages: sign in and out, signpost a caller, key in survey answers, read the outbox.

Who may see what is the role matrix in the README ("Staff and roles"); each view says it with
``roles_required``.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from directory import repository as directory_repository
from directory.repository import Filters
from directory.search.engine import SearchRequest
from directory.search.engine import search as run_search
from signpost.platform import accounts, audit, lockout
from signpost.platform.auth import roles_required, safe_next, sign_in, sign_out
from signpost.platform.extensions import limiter
from signpost.platform.urls import absolute_url_for
from signpost.staff.forms import ChangePasswordForm, ListChangeForm, LoginForm, RecordForm, SignOutForm, StaffSearchForm
from surveys import repository as survey_repository
from surveys.forms import key_in_answers, key_in_form
from surveys.reporting import survey
from surveys.signposting import (
    SIGNPOSTING_SURVEY,
    ContactDetails,
    Outcome,
    record_contact,
    submit_answers,
)

bp = Blueprint("staff", __name__, url_prefix="/staff")

CALLER_LIST = "caller_list"
MAX_LIST = 20
SIGNPOSTERS = ("call_handler",)


def _valid_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _caller_list() -> list[str]:
    ids = session.get(CALLER_LIST)
    return [i for i in ids if isinstance(i, str)][:MAX_LIST] if isinstance(ids, list) else []


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


# --- Signposting a caller --------------------------------------------------------------------------------


@bp.get("/signpost")
@roles_required(*SIGNPOSTERS)
def signpost():
    form = StaffSearchForm(MultiDict(request.args))
    services = []
    results = None
    if (request.args.get("q") or request.args.get("district")) and form.validate():
        results = run_search(
            SearchRequest(text=form.q.data or "", filters=Filters(district=form.district.data or None), per_page=10)
        )
        services = directory_repository.services_by_ids([hit.service_id for hit in results.hits])
    listed = directory_repository.services_by_ids(_caller_list())
    return render_template(
        "staff/signpost.html",
        form=form,
        results=results,
        services=services,
        listed=listed,
        listed_ids={s.id for s in listed},
        change_form=ListChangeForm(),
    )


def _back_to_search() -> str:
    return safe_next(request.form.get("next")) or url_for("staff.signpost")


@bp.post("/signpost/list/add")
@roles_required(*SIGNPOSTERS)
def add_to_list():
    form = ListChangeForm()
    if not form.validate_on_submit() or not _valid_uuid(form.service_id.data):
        abort(400)
    if not directory_repository.services_by_ids([form.service_id.data]):
        abort(404)
    ids = _caller_list()
    if form.service_id.data not in ids and len(ids) < MAX_LIST:
        session[CALLER_LIST] = [*ids, form.service_id.data]
    return redirect(_back_to_search())


@bp.post("/signpost/list/remove")
@roles_required(*SIGNPOSTERS)
def remove_from_list():
    form = ListChangeForm()
    if not form.validate_on_submit():
        abort(400)
    session[CALLER_LIST] = [i for i in _caller_list() if i != form.service_id.data]
    return redirect(_back_to_search())


@bp.route("/signpost/record", methods=["GET", "POST"])
@roles_required(*SIGNPOSTERS)
def record():
    services = directory_repository.services_by_ids(_caller_list())
    categories = [(term.code, term.name) for term in directory_repository.categories()]
    form = RecordForm(categories)
    if services and form.validate_on_submit():
        send_by = form.send_by.data if form.send_by.data in ("email", "sms") else None
        details = ContactDetails(
            need_category=form.need_category.data or None,
            district=form.district.data or None,
            channel=form.channel.data,
            survey_consent=form.survey_consent.data == "yes",
            send_by=send_by,
            email=form.email.data or None,
            mobile=form.mobile.data or None,
        )
        recorded = record_contact(
            current_user.id,
            services,
            details,
            lambda token: absolute_url_for("your_views.start", token=token),
        )
        session.pop(CALLER_LIST, None)
        return redirect(url_for("staff.signposting", record_id=recorded.record.id))
    return render_template("staff/record.html", form=form, services=services)


@bp.get("/signposting/<record_id>")
@roles_required(*SIGNPOSTERS)
def signposting(record_id: str):
    found = survey_repository.get_record(record_id) if _valid_uuid(record_id) else None
    if found is None:
        abort(404)
    return render_template("staff/signposting.html", record=found)


@bp.route("/signposting/<record_id>/answers", methods=["GET", "POST"])
@roles_required(*SIGNPOSTERS)
def key_in(record_id: str):
    """Answers the person gave by phone or on paper, stored like an online answer (same single-use rule)."""
    from surveys.signposting import can_key_in, keyed_in_invitation

    found = survey_repository.get_record(record_id) if _valid_uuid(record_id) else None
    if found is None:
        abort(404)
    definition = survey(SIGNPOSTING_SURVEY)
    if not can_key_in(found):
        return render_template("staff/key_in_closed.html", record=found), 409
    form = key_in_form(definition)
    if form.validate_on_submit():
        invitation = keyed_in_invitation(found)  # made only now, when there are answers to store
        answers = key_in_answers(definition, form)
        outcome = submit_answers(invitation.token_hash, answers, form.source.data) if invitation else Outcome.USED
        if outcome is Outcome.SAVED:
            audit.record("survey.keyed_in", record_id)
            flash(_("The answers have been saved"), "success")
            return redirect(url_for("staff.signposting", record_id=record_id))
        return render_template("staff/key_in_closed.html", record=found), 409
    return render_template("staff/key_in.html", form=form, record=found, definition=definition)


@bp.get("/outbox")
@roles_required(*SIGNPOSTERS)
def outbox():
    audit.record("outbox.viewed")
    return render_template(
        "staff/outbox.html",
        messages=survey_repository.outbox_messages(),
        using_notify=bool(current_app.config.get("NOTIFY_API_KEY")),
    )


@bp.get("/audit")
@roles_required(accounts.Role.ADMIN.value)
def audit_log():
    """The audit log, read only: no route changes or deletes it."""
    action = request.args.get("action") or None
    return render_template("staff/audit.html", events=audit.recent(200, action), actions=audit.ACTIONS, chosen=action)
