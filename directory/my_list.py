"""A resident's own list of services: kept in their session, printed or emailed to themselves.

Nothing is stored on the server except the email itself, sent through the one notification interface.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length, Regexp

from directory import repository
from directory.list_text import list_text
from signpost.platform.extensions import limiter
from signpost.platform.notifications import notifier
from signpost.platform.patterns import EMAIL_RE

bp = Blueprint("my_list", __name__, url_prefix="/directory/my-list")
SESSION_KEY = "my_list"
MAX_SERVICES = 30


class EmailListForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Regexp(EMAIL_RE, message=_l("Enter an email address in the correct format, like name@example.com")),
        ],
        description=_l("We only use it to send you this list. We do not keep it."),
    )
    submit = SubmitField(_l("Email me my list"), widget=GovSubmitInput())


def saved_ids() -> list[str]:
    ids = session.get(SESSION_KEY, [])
    return [i for i in ids if isinstance(i, str)][:MAX_SERVICES] if isinstance(ids, list) else []


def _back(default: str) -> str:
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.post("/add")
def add():
    service_id = request.form.get("service_id", "")
    if FlaskForm().validate_on_submit() and repository.get_service(service_id) is not None:
        ids = saved_ids()
        if service_id not in ids:
            session[SESSION_KEY] = [*ids, service_id][-MAX_SERVICES:]
    return redirect(_back(url_for("my_list.show")))


@bp.post("/remove")
def remove():
    service_id = request.form.get("service_id", "")
    if FlaskForm().validate_on_submit():
        session[SESSION_KEY] = [i for i in saved_ids() if i != service_id]
    return redirect(_back(url_for("my_list.show")))


@bp.route("", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REPORT_RATE_LIMIT"], methods=["POST"])
def show():
    services = repository.services_by_ids(saved_ids())
    form = EmailListForm()
    if services and form.validate_on_submit():
        body = _("Here are the services you saved:") + "\n\n" + list_text(services)
        subject = _("Your list of services – %(service)s", service=current_app.config["SERVICE_NAME"])
        notifier().send_email(form.email.data, subject, body, purpose="resident_list")
        flash(_("We have sent your list to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("my_list.show"))
    return render_template("directory/my_list.html", services=services, form=form)
