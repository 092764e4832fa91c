"""Staff forms: signing in and out, changing a password; all GOV.UK components, posted with a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from signpost.platform.forms import clean_text


class LoginForm(FlaskForm):
    email = StringField(
        _l("Email address"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter your email address")),
            Length(max=255, message=_l("Enter a real email address")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your password")), Length(max=200, message=_l("Enter your password"))],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Your current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter your current password")), Length(max=200)],
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 12 characters. Three random words make a strong password that is easy to remember."),
        widget=GovPasswordInput(),
        validators=[InputRequired(_l("Enter a new password")), Length(max=200, message=_l("Enter a shorter password"))],
    )
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class SignOutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"), widget=GovSubmitInput())
