"""The staff queue of assessment requests residents made from a guide's result (call handlers and admins).

The assessments feature owns these pages (and their templates); the guides only make the requests.

Open requests are listed oldest first; staff mark one as contacted, then closed, each with a note. Every
listing, view and change is in the audit log, with the request's reference as its target.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import Field, RadioField, SubmitField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length

from signpost.assessments import repository
from signpost.assessments.rules import BEST_TIMES, KIND_LABELS, STATUSES
from signpost.platform import audit
from signpost.platform.auth import roles_required
from signpost.platform.forms import clean_text

if TYPE_CHECKING:
    from signpost.assessments.models import AssessmentRequest

bp = Blueprint("assessment_queue", __name__, url_prefix="/staff/assessment-requests")
HANDLERS = ("call_handler", "team_lead")
STATUS_LABELS = {"open": _l("Open"), "contacted": _l("Contacted"), "closed": _l("Closed")}
NEXT_STATUSES = {"open": ("contacted", "closed"), "contacted": ("closed",), "closed": ()}
MAX_NOTE = 1000


class StatusForm(FlaskForm):
    """What happened next; the choices are the steps the request's status allows."""

    status = RadioField(_l("What has happened?"), choices=(), widget=GovRadioInput(), validate_choice=False)
    note = TextAreaField(
        _l("Note"),
        filters=[clean_text],
        widget=GovTextArea(),
        description=_l("For example, when you called and what was agreed."),
        validators=[
            InputRequired(_l("Enter a note")),
            Length(max=MAX_NOTE, message=_l("The note must be %(max)s characters or fewer", max=MAX_NOTE)),
        ],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def __init__(self, current: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [(status, STATUS_LABELS[status]) for status in NEXT_STATUSES[current]]

    def validate_status(self, field: Field) -> None:
        if field.data not in {value for value, *_ in field.choices}:
            raise ValidationError(_l("Select what has happened"))


@bp.context_processor
def labels() -> dict:
    return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS, "best_times": dict(BEST_TIMES)}


def _found(request_id: uuid.UUID) -> AssessmentRequest:
    found = repository.get_request(str(request_id))
    if found is None:
        abort(404)
    return found


@bp.get("")
@roles_required(*HANDLERS)
def queue():
    status = request.args.get("status", "open")
    if status not in (*STATUSES, "all"):
        status = "open"
    audit.record("assessment_requests.listed", status)
    return render_template(
        "staff/assessment_requests.html",
        requests=repository.requests(None if status == "all" else status),
        counts=repository.count_by_status(),
        chosen=status,
    )


@bp.route("/<uuid:request_id>", methods=["GET", "POST"])
@roles_required(*HANDLERS)
def show(request_id: uuid.UUID):
    found = _found(request_id)
    form = StatusForm(found.status)
    if request.method == "POST" and form.validate_on_submit():
        repository.set_status(found, form.status.data, form.note.data.strip(), current_user.id)
        audit.record(f"assessment_request.{form.status.data}", found.reference)
        flash(
            _(
                "Request %(reference)s marked as %(status)s",
                reference=found.reference,
                status=STATUS_LABELS[found.status],
            ),
            "success",
        )
        return redirect(url_for("assessment_queue.show", request_id=found.id))
    if request.method == "GET":
        audit.record("assessment_request.viewed", found.reference)
    return render_template(
        "staff/assessment_request.html", found=found, form=form, can_change=bool(NEXT_STATUSES[found.status])
    )
