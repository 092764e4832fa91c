"""What a resident can do with a guide's result: send it to themselves, or ask for an assessment.

"Send my result" works the result out again from the answers in the session (``views.finished_result``, the
same path as the result page) and sends its key lines through ``signpost.platform.notifications``; nothing about the
resident is stored beyond the message itself. "Ask for an assessment" stores a short request
(``signpost.assessments``) for the staff queue and sends the resident its reference the same way.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextInput
from wtforms import BooleanField, Field, StringField, SubmitField, ValidationError
from wtforms.validators import InputRequired, Length

from signpost.assessments import repository
from signpost.assessments.rules import BEST_TIMES, KINDS, AssessmentKind, is_mobile, new_reference, uk_phone
from signpost.guides.facts import CannotEstimate
from signpost.guides.flow import Flow
from signpost.guides.result_text import message_body, result_lines
from signpost.guides.views import NotFinished, finished_result, get_flow
from signpost.platform import audit
from signpost.platform.extensions import limiter
from signpost.platform.forms import clean_text, radios
from signpost.platform.notifications import NotificationError, notifier
from signpost.platform.patterns import EMAIL_RE
from signpost.platform.urls import absolute_url_for

if TYPE_CHECKING:
    from signpost.assessments.models import AssessmentRequest

bp = Blueprint("next_steps", __name__, url_prefix="/guides")
REFERENCE_KEY = "assessment_reference"

SEND_BY = (("email", _l("By email")), ("sms", _l("By text message")))
CONTACT_BY = (("email", _l("By email")), ("phone", _l("By phone")))
BAD_EMAIL = _l("Enter an email address in the correct format, like name@example.com")
BAD_MOBILE = _l("Enter a UK mobile number, like 07700 900 982")
BAD_PHONE = _l("Enter a UK phone number, like 01632 960 001 or 07700 900 982")


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def email_field(description: Any = "") -> StringField:
    return StringField(
        _l("Email address"),
        filters=[clean_text, _stripped],
        widget=GovTextInput(),
        validators=[Length(max=254, message=_l("Email address must be 254 characters or fewer"))],
        description=description,
    )


def check_email(field: Field, wanted: bool, missing: Any) -> None:
    """Needed, and checked, only when the resident chose email; otherwise ignored (the view does not use it)."""
    if not wanted:
        return
    if not field.data:
        raise ValidationError(missing)
    if not EMAIL_RE.match(field.data):
        raise ValidationError(BAD_EMAIL)


def check_phone(field: Field, wanted: bool, missing: Any, *, mobile_only: bool) -> None:
    """Needed only when chosen: a UK number (a mobile, to send a text). Keeps what was typed on an error, and
    the plain ``0…`` digits when it is good. Ignored when not chosen (the view does not use it)."""
    if not wanted:
        return
    if not (field.data or "").strip():
        raise ValidationError(missing)
    number = uk_phone(field.data)
    if number is None or (mobile_only and not is_mobile(number)):
        raise ValidationError(BAD_MOBILE if mobile_only else BAD_PHONE)
    field.data = number


class SendResultForm(FlaskForm):
    send_by = radios(_l("How should we send it?"), SEND_BY, _l("Select how to send your result"))
    email = email_field()
    mobile = StringField(
        _l("Mobile number"),
        description=_l("A UK mobile number, like 07700 900 982"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Length(max=20, message=BAD_MOBILE)],
    )
    submit = SubmitField(_l("Send my result"), widget=GovSubmitInput())

    def validate_email(self, field: Field) -> None:
        check_email(field, self.send_by.data == "email", _l("Enter an email address to send your result to"))

    def validate_mobile(self, field: Field) -> None:
        check_phone(
            field, self.send_by.data == "sms", _l("Enter a mobile number to send your result to"), mobile_only=True
        )


class AssessmentRequestForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        filters=[clean_text, _stripped],
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter your name")),
            Length(max=100, message=_l("Your name must be 100 characters or fewer")),
        ],
    )
    contact_by = radios(_l("How should we contact you?"), CONTACT_BY, _l("Select how we should contact you"))
    email = email_field(_l("If you chose email"))
    phone = StringField(
        _l("Phone number"),
        description=_l("If you chose phone. If it is a mobile, we will also text you your reference."),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Length(max=20, message=BAD_PHONE)],
    )
    best_time = radios(
        _l("When is the best time to contact you?"), BEST_TIMES, _l("Select the best time to contact you")
    )
    consent = BooleanField(
        _l("I agree that the council can keep these details to contact me about this assessment"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(_l("Tick the box to agree that we can keep your details to contact you"))],
    )
    submit = SubmitField(_l("Send my request"), widget=GovSubmitInput())

    def validate_email(self, field: Field) -> None:
        check_email(field, self.contact_by.data == "email", _l("Enter your email address"))

    def validate_phone(self, field: Field) -> None:
        check_phone(field, self.contact_by.data == "phone", _l("Enter your phone number"), mobile_only=False)


def assessment_kind(flow: Flow) -> AssessmentKind:
    kind = KINDS.get(flow.id)
    if kind is None:
        abort(404)
    return kind


@bp.app_template_global("next_step_kind")
def next_step_kind(flow_id: str) -> AssessmentKind | None:
    """The assessment a guide's result offers to ask for, if any (for guides/_next_steps.html)."""
    return KINDS.get(flow_id)


@bp.app_template_global("today")
def today() -> date:
    return date.today()


def _rate_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


@bp.route("/<flow_id>/result/send", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def send_result(flow_id: str):
    flow = get_flow(flow_id)
    try:
        outcome, _answers, result = finished_result(flow)
    except NotFinished as unfinished:
        return redirect(unfinished.url)
    except CannotEstimate:
        return redirect(url_for("guides.result", flow_id=flow.id))
    form = SendResultForm()
    if form.validate_on_submit():
        config = current_app.config
        title = _(
            "Your result from %(service)s: %(guide)s, %(date)s",
            service=config["SERVICE_NAME"],
            guide=flow.title,
            date=format_date(today(), "long"),
        )
        helpline = _(
            "Not sure what to do next? Call %(name)s on %(phone)s.",
            name=config["HELPLINE_NAME"],
            phone=config["HELPLINE_PHONE"],
        )
        body = message_body(title, result, absolute_url_for("guides.start", flow_id=flow.id), helpline)
        try:
            if form.send_by.data == "email":
                subject = _("Your result: %(guide)s", guide=flow.title)
                notifier().send_email(form.email.data, subject, body, purpose="guide_result")
            else:
                notifier().send_sms(form.mobile.data, body, purpose="guide_result")
        except NotificationError:
            form.send_by.errors.append(_("We could not send it just now. Try again later, or print your result."))
        else:
            return redirect(url_for("next_steps.result_sent", flow_id=flow.id))
    return render_template("guides/send_result.html", flow=flow, outcome=outcome, form=form, lines=result_lines(result))


@bp.get("/<flow_id>/result/sent")
def result_sent(flow_id: str):
    return render_template("guides/result_sent.html", flow=get_flow(flow_id))


def _send_reference(request: AssessmentRequest, kind: AssessmentKind) -> bool | None:
    """Send the resident their reference: by email, or by text to a mobile. None when there is no way (a
    landline), False when sending failed."""
    body = _(
        "We have your request for %(what)s. Your reference is %(reference)s. We will contact you soon. "
        "If you need to talk to someone sooner, call Adult Care Services on %(phone)s and give your reference.",
        what=kind.what,
        reference=request.reference,
        phone=current_app.config["ADULT_CARE_PHONE"],
    )
    try:
        if request.contact_by == "email" and request.email:
            subject = _(
                "Your reference %(reference)s – %(council)s",
                reference=request.reference,
                council=current_app.config["COUNCIL_NAME"],
            )
            notifier().send_email(request.email, subject, body, purpose="assessment_request")
        elif request.phone and is_mobile(request.phone):
            notifier().send_sms(request.phone, body, purpose="assessment_request")
        else:
            return None
    except NotificationError:
        return False
    return True


@bp.route("/<flow_id>/result/ask-for-an-assessment", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def ask_for_assessment(flow_id: str):
    flow = get_flow(flow_id)
    kind = assessment_kind(flow)
    form = AssessmentRequestForm()
    if form.validate_on_submit():
        by_email = form.contact_by.data == "email"
        request = repository.add_request(
            lambda: new_reference(kind.prefix),
            kind=kind.id,
            name=form.name.data,
            contact_by=form.contact_by.data,
            email=form.email.data if by_email else None,
            phone=None if by_email else form.phone.data,
            best_time=form.best_time.data,
            status="open",
        )
        audit.record("assessment_request.received", request.reference)
        session[REFERENCE_KEY] = {
            "flow": flow.id,
            "reference": request.reference,
            "sent": _send_reference(request, kind),
        }
        return redirect(url_for("next_steps.assessment_requested", flow_id=flow.id))
    return render_template("guides/ask_for_assessment.html", flow=flow, kind=kind, form=form)


@bp.get("/<flow_id>/result/ask-for-an-assessment/sent")
def assessment_requested(flow_id: str):
    flow = get_flow(flow_id)
    kind = assessment_kind(flow)
    made = session.get(REFERENCE_KEY)
    if not isinstance(made, dict) or made.get("flow") != flow.id:
        return redirect(url_for("next_steps.ask_for_assessment", flow_id=flow.id))
    return render_template("guides/assessment_requested.html", flow=flow, kind=kind, made=made)
