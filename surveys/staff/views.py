"""Staff pages for signposting a caller (call handlers): search the directory, keep the caller's list, record
the call and send the list and survey invitation, key in answers given by phone or on paper.

The pages are on the one ``staff`` blueprint (``signpost.platform.auth.staff_bp``), so their endpoints stay
``staff.signpost``, ``staff.record`` and so on; who may see them is the README's role matrix ("Staff and roles").
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from directory import repository as directory_repository
from directory.repository import Filters
from directory.search.engine import SearchRequest
from directory.search.engine import search as run_search
from signpost.platform import audit
from signpost.platform.auth import roles_required, safe_next
from signpost.platform.auth import staff_bp as bp
from signpost.platform.urls import absolute_url_for
from surveys import repository as survey_repository
from surveys.forms import key_in_answers, key_in_form
from surveys.reporting import survey
from surveys.signposting import (
    SIGNPOSTING_SURVEY,
    ContactDetails,
    Outcome,
    can_key_in,
    keyed_in_invitation,
    record_contact,
    submit_answers,
)
from surveys.staff.forms import AddToListForm, ListChangeForm, RecordForm, StaffSearchForm

CALLER_LIST = "caller_list"
MAX_LIST = 20
SIGNPOSTERS = ("call_handler",)


def _caller_list() -> list[str]:
    ids = session.get(CALLER_LIST)
    return [i for i in ids if isinstance(i, str)][:MAX_LIST] if isinstance(ids, list) else []


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
    form = AddToListForm()
    if not form.validate_on_submit():
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


def _record(record_id: uuid.UUID):
    found = survey_repository.get_record(str(record_id))
    if found is None:
        abort(404)
    return found


@bp.get("/signposting/<uuid:record_id>")
@roles_required(*SIGNPOSTERS)
def signposting(record_id: uuid.UUID):
    return render_template("staff/signposting.html", record=_record(record_id))


@bp.route("/signposting/<uuid:record_id>/answers", methods=["GET", "POST"])
@roles_required(*SIGNPOSTERS)
def key_in(record_id: uuid.UUID):
    """Answers the person gave by phone or on paper, stored like an online answer (same single-use rule)."""
    found = _record(record_id)
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
