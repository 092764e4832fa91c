"""The public "report a problem with this listing" and "suggest a change to this listing" forms, both feeding
the editors' queue (ProblemReport rows; a suggested change is a report with topic ``update_provider`` or
``update_other`` and, only if the sender gives one, a contact email, deleted when an editor closes it)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import EmailField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from directory import repository
from signpost.platform.extensions import limiter
from signpost.platform.forms import clean_text, options
from signpost.platform.patterns import EMAIL_RE

if TYPE_CHECKING:
    from directory.models import Service

bp = Blueprint("reports", __name__, url_prefix="/directory/services")

TOPICS = (
    ("out_of_date", _l("The information is out of date")),
    ("closed", _l("The service has closed")),
    ("wrong_contact", _l("The contact details are wrong")),
    ("other", _l("Something else")),
)
MAX_DETAILS = 1200


class ProblemReportForm(FlaskForm):
    topic = RadioField(
        _l("What is wrong with this listing?"),
        choices=options(TOPICS),
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select what is wrong with this listing"))],
    )
    details = TextAreaField(
        _l("Tell us more (optional)"),
        filters=[clean_text],
        widget=GovTextArea(),
        description=_l("For example, the new phone number or the date it closed. Do not include personal details."),
        validators=[Length(max=MAX_DETAILS, message=_l("Details must be %(max)s characters or fewer", max=1200))],
    )
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())


UPDATE_FROM = (
    ("update_provider", _l("I work or volunteer for the organisation that runs it")),
    ("update_other", _l("I use it, or know about it")),
)
MAX_CHANGES = 2000


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class UpdateRequestForm(FlaskForm):
    relationship = RadioField(
        _l("How do you know this service?"),
        choices=options(UPDATE_FROM),
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select how you know this service"))],
    )
    changes = TextAreaField(
        _l("What should the listing say?"),
        filters=[clean_text],
        widget=GovTextArea(),
        description=_l(
            "Tell us what is wrong and what it should say instead, for example the new opening times or phone number."
        ),
        validators=[
            InputRequired(message=_l("Enter what the listing should say")),
            Length(
                max=MAX_CHANGES, message=_l("What the listing should say must be %(max)s characters or fewer", max=2000)
            ),
        ],
    )
    email = EmailField(
        _l("Your email address (optional)"),
        filters=[_strip],
        widget=GovTextInput(),
        description=_l(
            "Only if you are happy for an editor to email you a question about this change. We use it for "
            "nothing else and delete it when the change is dealt with."
        ),
        validators=[
            Optional(),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Regexp(EMAIL_RE, message=_l("Enter an email address in the correct format, like name@example.com")),
        ],
    )
    submit = SubmitField(_l("Send suggested change"), widget=GovSubmitInput())


def _listing(service_id: UUID) -> Service:
    found = repository.get_service(str(service_id))
    if found is None:
        abort(404)
    return found


@bp.route("/<uuid:service_id>/report-a-problem", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REPORT_RATE_LIMIT"], methods=["POST"])
def report_problem(service_id: UUID):
    service = _listing(service_id)
    form = ProblemReportForm()
    if form.validate_on_submit():
        repository.add_problem_report(service.id, form.topic.data, (form.details.data or "").strip())
        return redirect(url_for("reports.report_sent", service_id=service.id))
    return render_template("directory/report_problem.html", form=form, service=service)


@bp.get("/<uuid:service_id>/report-a-problem/sent")
def report_sent(service_id: UUID):
    return render_template("directory/report_sent.html", service=_listing(service_id))


@bp.route("/<uuid:service_id>/suggest-a-change", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REPORT_RATE_LIMIT"], methods=["POST"])
def suggest_change(service_id: UUID):
    service = _listing(service_id)
    form = UpdateRequestForm()
    if form.validate_on_submit():
        repository.add_problem_report(
            service.id, form.relationship.data, (form.changes.data or "").strip(), form.email.data or None
        )
        return redirect(url_for("reports.change_sent", service_id=service.id))
    return render_template("directory/suggest_change.html", form=form, service=service)


@bp.get("/<uuid:service_id>/suggest-a-change/sent")
def change_sent(service_id: UUID):
    return render_template("directory/change_sent.html", service=_listing(service_id))
