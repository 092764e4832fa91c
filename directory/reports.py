"""The public "report a problem with this listing" form, feeding the editors' queue (ProblemReport rows)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from directory import repository
from signpost.platform.extensions import limiter
from signpost.platform.forms import clean_text, options

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
