"""Forms for signposting a caller, all GOV.UK components; the posted ones carry a CSRF token."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import Field, Form, HiddenField, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import UUID, InputRequired, Length, Optional

from directory.forms import SearchForm
from directory.postcodes import HERTFORDSHIRE_DISTRICTS
from signpost.platform.forms import clean_text, radios
from signpost.platform.patterns import EMAIL_RE, UK_MOBILE_RE
from surveys.signposting import normalise_reference

CHANNEL_CHOICES = (
    ("phone", _l("Phone")),
    ("email", _l("Email")),
    ("face_to_face", _l("Face to face")),
    ("web", _l("Web chat or online form")),
)
CONSENT_CHOICES = (("yes", _l("Yes")), ("no", _l("No")))
SEND_CHOICES = (("email", _l("By email")), ("sms", _l("By text message")), ("none", _l("Do not send it")))


class StaffSearchForm(SearchForm):
    """The public search form (postcode, distance and every filter), asking about the caller's need."""

    q = StringField(
        _l("What does the caller need help with?"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message=_l("Search words must be 200 characters or fewer"))],
    )


class ListChangeForm(FlaskForm):
    service_id = HiddenField(validators=[InputRequired(), Length(max=36)])


class AddToListForm(ListChangeForm):
    """Only a real service id may be added (removing one that is not there does nothing)."""

    service_id = HiddenField(validators=[InputRequired(), Length(max=36), UUID()])


class CancelSurveyForm(FlaskForm):
    submit = SubmitField(_l("The caller wants no more messages"), widget=GovSubmitInput())


class RecordForm(FlaskForm):
    need_category = SelectField(_l("Main type of help needed"), widget=GovSelect(), validate_choice=False)
    district = SelectField(_l("Where the person lives"), widget=GovSelect(), validate_choice=False)
    channel = radios(
        _l("How did they contact us?"),
        CHANNEL_CHOICES,
        _l("Select how they contacted us"),
    )
    survey_consent = radios(
        _l("Are they happy to be asked later how it went?"),
        CONSENT_CHOICES,
        _l("Select yes if they are happy to be asked how it went"),
        description=_l("We send one short survey link. Their contact details are kept only if they say yes."),
    )
    send_by = radios(
        _l("How should we send them the list?"),
        SEND_CHOICES,
        _l("Select how to send the list"),
    )
    email = StringField(
        _l("Email address"),
        filters=[clean_text, lambda v: v.strip() if isinstance(v, str) else v],
        widget=GovTextInput(),
        validators=[Optional(), Length(max=255, message=_l("Enter an email address in the correct format"))],
    )
    mobile = StringField(
        _l("Mobile number"),
        description=_l("A UK mobile number, like 07700 900 982"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Optional(), Length(max=20, message=_l("Enter a UK mobile number, like 07700 900 982"))],
    )
    submit = SubmitField(_l("Save and send"), widget=GovSubmitInput())

    def __init__(self, categories: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.need_category.choices = [("", _l("Not recorded")), *categories]
        self.district.choices = [("", _l("Not recorded")), *[(d, d) for d in HERTFORDSHIRE_DISTRICTS]]

    def validate_need_category(self, field: Field) -> None:
        if field.data and field.data not in {value for value, *_ in self.need_category.choices}:
            raise ValidationError(_l("Select a type of help from the list"))

    def validate_district(self, field: Field) -> None:
        if field.data and field.data not in HERTFORDSHIRE_DISTRICTS:
            raise ValidationError(_l("Select an area from the list"))

    def validate_email(self, field: Field) -> None:
        if self.send_by.data == "email" and not field.data:
            raise ValidationError(_l("Enter an email address to send the list to"))
        if field.data and not EMAIL_RE.match(field.data):
            raise ValidationError(_l("Enter an email address in the correct format, like name@example.com"))

    def validate_mobile(self, field: Field) -> None:
        number = re.sub(r"[\s()-]", "", field.data or "")
        if self.send_by.data == "sms" and not number:
            raise ValidationError(_l("Enter a mobile number to send the list to"))
        if number and not UK_MOBILE_RE.match(number):
            raise ValidationError(_l("Enter a UK mobile number, like 07700 900 982"))
        field.data = number or None


class CallHistoryForm(Form):
    """A GET form: find a past call by its reference, the type of help, the area or the day."""

    reference = StringField(
        _l("Reference"),
        description=_l("For example, SP-7K3QX"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Optional(), Length(max=20, message=_l("Enter a reference like SP-7K3QX"))],
    )
    need_category = SelectField(_l("Type of help"), widget=GovSelect(), validate_choice=False)
    district = SelectField(_l("Area"), widget=GovSelect(), validate_choice=False)
    on = StringField(
        _l("Date of the call"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Optional(), Length(max=10, message=_l("Enter a real date"))],
    )
    submit = SubmitField(_l("Find calls"), widget=GovSubmitInput())

    def __init__(self, formdata: Any, categories: list[tuple[str, str]]) -> None:
        super().__init__(formdata)
        self.need_category.choices = [("", _l("Any type of help")), *categories]
        self.district.choices = [("", _l("Anywhere in Hertfordshire")), *[(d, d) for d in HERTFORDSHIRE_DISTRICTS]]

    @property
    def day(self) -> date | None:
        try:
            return date.fromisoformat(self.on.data) if self.on.data else None
        except ValueError:
            return None

    def validate_on(self, field: Field) -> None:
        if field.data and self.day is None:
            raise ValidationError(_l("Enter a real date"))

    def validate_reference(self, field: Field) -> None:
        if field.data and normalise_reference(field.data) is None:
            raise ValidationError(_l("Enter a reference like SP-7K3QX"))

    def validate_need_category(self, field: Field) -> None:
        if field.data and field.data not in {value for value, *_ in self.need_category.choices}:
            raise ValidationError(_l("Select a type of help from the list"))

    def validate_district(self, field: Field) -> None:
        if field.data and field.data not in HERTFORDSHIRE_DISTRICTS:
            raise ValidationError(_l("Select an area from the list"))
