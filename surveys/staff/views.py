"""Staff pages for signposting a caller (call handlers): search the directory, keep the caller's list, record
the call and send the list and survey invitation, key in answers given by phone or on paper.

The pages are on the one ``staff`` blueprint (``signpost.platform.auth.staff_bp``), so their endpoints stay
``staff.signpost``, ``staff.record`` and so on; who may see them is the README's role matrix ("Staff and roles").
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from directory import repository as directory_repository
from directory.forms import page_number
from directory.forms import searched as searched_for
from directory.postcodes import HERTFORDSHIRE_DISTRICTS
from directory.views import carried_search, search_in_language
from signpost.platform import audit
from signpost.platform.accounts import sees_team
from signpost.platform.auth import roles_required, safe_next
from signpost.platform.auth import staff_bp as bp
from signpost.platform.urls import absolute_url_for
from surveys import repository as survey_repository
from surveys import service_facts
from surveys.forms import key_in_answers, key_in_form
from surveys.reporting import survey
from surveys.signposting import (
    SIGNPOSTING_SURVEY,
    ContactDetails,
    Outcome,
    can_key_in,
    keyed_in_invitation,
    normalise_reference,
    ratings_to_key_in,
    record_contact,
    submit_answers,
)
from surveys.staff.forms import (
    CHANNEL_CHOICES,
    AddToListForm,
    CallHistoryForm,
    CancelSurveyForm,
    ListChangeForm,
    RecordForm,
    StaffSearchForm,
)

CALLER_LIST = "caller_list"
MAX_LIST = 20
UK = ZoneInfo("Europe/London")
SIGNPOSTERS = ("call_handler", "team_lead")


def _caller_list() -> list[str]:
    ids = session.get(CALLER_LIST)
    return [i for i in ids if isinstance(i, str)][:MAX_LIST] if isinstance(ids, list) else []


# --- Signposting a caller --------------------------------------------------------------------------------


def _caller_district(form: StaffSearchForm) -> str | None:
    """Where the caller lives, as far as the search says: the area chosen, else the postcode's district."""
    if form.district.data and not form.district.errors:
        return form.district.data
    place = form.place
    return place.district if place is not None and place.in_hertfordshire else None


@bp.get("/signpost")
@roles_required(*SIGNPOSTERS)
def signpost():
    categories = [(term.code, _(term.name)) for term in directory_repository.categories()]
    form = StaffSearchForm(MultiDict(request.args), categories)
    services: list = []
    why: dict = {}
    results = None
    searched = searched_for(request.args)
    if searched and form.validate():
        # As the public search page and the API search, in the page's language (`search_in_language`).
        locale = get_locale()
        results, _understood = search_in_language(
            form.search_request(page_number(request.args.get("page")), request.args.get("exact") == "1"),
            locale.language if locale else "en",
        )
        by_id = {s.id: s for s in directory_repository.services_by_ids([hit.service_id for hit in results.hits])}
        services = [(by_id[hit.service_id], hit.miles) for hit in results.hits if hit.service_id in by_id]
        matched = results.matched_concepts
        why = {hit.service_id: (hit.reasons, matched.get(hit.service_id, ())) for hit in results.hits}
    listed = directory_repository.services_by_ids(_caller_list())
    record_args = {
        "need": form.category.data if form.category.data and not form.category.errors else None,
        "district": _caller_district(form) if searched else None,
    }
    return render_template(
        "staff/signpost.html",
        form=form,
        results=results,
        services=services,
        searched=searched,
        listed=listed,
        listed_ids={s.id for s in listed},
        change_form=ListChangeForm(),
        facts=service_facts,
        search_url=lambda **changes: url_for("staff.signpost", **form.link_args(**changes)),
        record_url=url_for("staff.record", **{k: v for k, v in record_args.items() if v}),
        carried=carried_search(request.args),
        why=why,
        category_names=dict(categories),
        caller_district=_caller_district(form) if searched else None,
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
    return redirect(f"{_back_to_search()}#result-{form.service_id.data}")  # back to the result just added


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
    if request.method == "GET":  # carried from the search: the type of help and the caller's area
        codes = {code for code, _name in categories}
        if request.args.get("need") in codes:
            form.need_category.data = request.args["need"]
        if request.args.get("district") in HERTFORDSHIRE_DISTRICTS:
            form.district.data = request.args["district"]
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


def _own() -> str | None:
    """Whose records the signed-in account sees: a call handler their own, a team lead (or admin) everyone's."""
    return None if sees_team(current_user) else current_user.id


def _record(record_id: uuid.UUID):
    found = survey_repository.get_record(str(record_id))
    if found is None or (_own() is not None and found.created_by != _own()):
        abort(404)  # another handler's record is "not found", not "forbidden": its existence is not shown
    return found


def _labels() -> dict[str, dict[str, str]]:
    return {
        "need": {term.code: _(term.name) for term in directory_repository.categories()},
        "channel": {code: str(label) for code, label in CHANNEL_CHOICES},
    }


@bp.get("/signposting/<uuid:record_id>")
@roles_required(*SIGNPOSTERS)
def signposting(record_id: uuid.UUID):
    return render_template(
        "staff/signposting.html",
        record=_record(record_id),
        labels=_labels(),
        cancel_form=CancelSurveyForm(),
        rating_status=ratings_to_key_in,
        can_key_in=can_key_in,
    )


@bp.post("/signposting/<uuid:record_id>/no-more-messages")
@roles_required(*SIGNPOSTERS)
def cancel_survey(record_id: uuid.UUID):
    """The caller asked for no more messages (the opt-out line): the survey invitation is not sent."""
    found = _record(record_id)
    if not CancelSurveyForm().validate_on_submit():
        abort(400)
    if survey_repository.cancel_due_survey(found.id):
        audit.record("survey.cancelled", found.id)
        flash(_("The survey invitation will not be sent"), "success")
    return redirect(url_for("staff.signposting", record_id=record_id))


@bp.get("/calls")
@roles_required(*SIGNPOSTERS)
def call_history():
    """Recent calls (the handler's own; a team lead's team), found by reference, type of help, area or day."""
    labels = _labels()
    form = CallHistoryForm(MultiDict(request.args), list(labels["need"].items()))
    records: list = []
    if form.validate():
        day = form.day
        since = datetime.combine(day, time.min, tzinfo=UK) if day else None
        records = survey_repository.find_records(
            survey_repository.RecordSearch(
                created_by=_own(),
                reference=normalise_reference(form.reference.data or ""),
                need_category=form.need_category.data or None,
                district=form.district.data or None,
                since=since,
                before=since + timedelta(days=1) if since else None,
            )
        )
    return render_template(
        "staff/call_history.html",
        rating_status=ratings_to_key_in,
        can_key_in=can_key_in,
        form=form,
        records=records,
        labels=labels,
        team=_own() is None,
        searched=any(request.args.get(k) for k in ("reference", "need_category", "district", "on")),
    )


@bp.route("/signposting/<uuid:record_id>/answers", methods=["GET", "POST"])
@roles_required(*SIGNPOSTERS)
def key_in(record_id: uuid.UUID):
    """Answers the person gave by phone or on paper, one rating for each organisation signposted, stored like an
    online answer (same single-use rule). ``?organisation=`` names the signposted service whose organisation the
    answers are about; without it, the first organisation not yet rated."""
    found = _record(record_id)
    definition = survey(SIGNPOSTING_SURVEY)
    ratings = ratings_to_key_in(found)
    wanted = request.args.get("organisation")
    if wanted:
        item = next((each for each, _rated in ratings if str(each.id) == wanted), None)
        if item is None:
            abort(404)
    else:
        item = next((each for each, _rated in ratings if can_key_in(found, each)), None)
    if item is None or not can_key_in(found, item):
        return render_template("staff/key_in_closed.html", record=found, ratings=ratings), 409
    form = key_in_form(definition)
    if form.validate_on_submit():
        invitation = keyed_in_invitation(found, item)  # made only now, when there are answers to store
        answers = key_in_answers(definition, form)
        outcome = submit_answers(invitation.token_hash, answers, form.source.data) if invitation else Outcome.USED
        if outcome is Outcome.SAVED:
            audit.record("survey.keyed_in", record_id)
            flash(
                _("The answers about %(organisation)s have been saved", organisation=item.organisation_name), "success"
            )
            remaining = [each for each, _rated in ratings_to_key_in(found) if can_key_in(found, each)]
            if remaining:
                return redirect(url_for("staff.key_in", record_id=record_id, organisation=remaining[0].id))
            return redirect(url_for("staff.signposting", record_id=record_id))
        return render_template("staff/key_in_closed.html", record=found, ratings=ratings), 409
    return render_template(
        "staff/key_in.html", form=form, record=found, definition=definition, item=item, ratings=ratings
    )
