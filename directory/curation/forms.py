"""The edit-listing form and the listing search form of directory curation."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    Form,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional

from directory import repository
from directory.forms import DAY_NAMES, MAX_AGE
from directory.listing_facts import DAY_CODES
from directory.models import OrganizationType, Referral
from directory.postcodes import HERTFORDSHIRE_DISTRICTS, Place, PostcodeError, locate, normalise
from signpost.platform.forms import clean_text, one_of, options, radios
from signpost.platform.patterns import EMAIL_RE

PHONE_RE = re.compile(r"^\+?[0-9 ()-]{6,25}$")
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")

ORGANISATION_TYPES = (
    (OrganizationType.VOLUNTARY.value, _l("Voluntary or community")),
    (OrganizationType.STATUTORY.value, _l("Statutory (council, NHS)")),
    (OrganizationType.PRIVATE.value, _l("Private business")),
)
YES_NO = (("yes", _l("Yes")), ("no", _l("No")))
REFERRALS = (
    (Referral.SELF.value, _l("People can contact the service themselves")),
    (Referral.PROFESSIONAL.value, _l("A professional must refer them")),
    (Referral.EITHER.value, _l("Either")),
)
DELIVERY = (("in_person", _l("In person")), ("phone", _l("By phone")), ("online", _l("Online")))
LANGUAGES = (
    ("en", "English"),
    ("bfi", "British Sign Language"),
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("zh", "Chinese"),
    ("gu", "Gujarati"),
    ("it", "Italian"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("pa", "Punjabi"),
    ("ro", "Romanian"),
    ("es", "Spanish"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
)
"""Languages offered on the edit form (ISO 639 codes, names as ORUK stores them); others a listing already
has (from an import) are kept untouched."""
AREAS = (("countywide", _l("The whole of Hertfordshire")), ("districts", _l("Only some districts")))


def _all_of(message: Any):
    """Every ticked box must be one of the field's choices."""

    def check(_form: Any, field: Field) -> None:
        allowed = {value for value, *_ in field.choices}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError(message)

    return check


def _text(
    label: Any, limit: int, required: Any = None, textarea: bool = False, optional: bool = True, **kwargs: Any
) -> Field:
    """A text field; `optional=False` leaves an empty value to the form's own check (required only sometimes)."""
    validators: list[Any] = [InputRequired(required)] if required else [Optional()] if optional else []
    validators.append(
        Length(max=limit, message=_l("%(field)s must be %(max)d characters or fewer", field=label, max=limit))
    )
    field_type = TextAreaField if textarea else StringField
    widget = GovTextArea() if textarea else GovTextInput()
    return field_type(label, filters=[clean_text, _strip], widget=widget, validators=validators, **kwargs)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def parse_age(value: str | None) -> int | None:
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_AGE:
        raise ValidationError(_l("Enter an age as a whole number from 0 to %(max)d", max=MAX_AGE))
    return int(value)


def parse_phones(text: str | None) -> list[tuple[str, str]]:
    """Lines of "number" or "number, description"."""
    phones = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        number, _comma, description = line.partition(",")
        phones.append((number.strip(), description.strip()))
    return phones


class ServiceForm(FlaskForm):
    name = _text(_l("Service name"), 255, _l("Enter the name of the service"))
    organisation_id = SelectField(
        _l("Organisation"),
        description=_l("Choose the organisation that runs it, or add a new one below"),
        widget=GovSelect(),
        validate_choice=False,
    )
    new_organisation_name = _text(_l("New organisation name"), 255, optional=False)
    new_organisation_type = RadioField(
        _l("Type of the new organisation"),
        choices=options(ORGANISATION_TYPES),
        widget=GovRadioInput(),
        validate_choice=False,
    )
    description = _text(_l("Description"), 5000, _l("Enter a description of the service"), textarea=True)
    categories = SelectMultipleField(
        _l("Types of help"),
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[_all_of(_l("Select types of help from the list"))],
    )
    eligibility = _text(_l("Who can use it"), 5000, textarea=True)
    minimum_age = _text(_l("Minimum age (optional)"), 3)
    maximum_age = _text(_l("Maximum age (optional)"), 3)
    free = radios(
        _l("Is it free?"),
        YES_NO,
        _l("Select yes if the service is free"),
    )
    cost = _text(_l("Cost"), 255, description=_l("For example, £5 a session. Leave it empty if it is free."))
    how_to_access = _text(_l("How to get help from it"), 5000, textarea=True)
    referral = radios(
        _l("Who can refer someone?"),
        REFERRALS,
        _l("Select who can refer someone"),
    )
    delivery = SelectMultipleField(
        _l("How is it offered?"),
        choices=options(DELIVERY),
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[_all_of(_l("Select how the service is offered from the list"))],
    )
    area = radios(
        _l("Where is it offered?"),
        AREAS,
        _l("Select where the service is offered"),
    )
    districts = SelectMultipleField(
        _l("Districts"),
        choices=options((d, d) for d in HERTFORDSHIRE_DISTRICTS),
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[_all_of(_l("Select districts from the list"))],
    )
    phones = _text(
        _l("Phone numbers (optional)"),
        1000,
        textarea=True,
        description=_l("One a line. Add a description after a comma, like 01632 960001, Helpline"),
    )
    email = _text(_l("Email address (optional)"), 255)
    website = _text(_l("Website (optional)"), 500, description=_l("Starting https://"))
    address = _text(_l("Address line (optional)"), 255)
    town = _text(_l("Town (optional)"), 120)
    postcode = _text(_l("Postcode (optional)"), 10, optional=False, description=_l("For example, SG13 8DQ"))
    days = SelectMultipleField(
        _l("Days open (optional)"),
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[_all_of(_l("Select days from the list"))],
    )
    languages = SelectMultipleField(
        _l("Languages spoken (optional)"),
        choices=options(LANGUAGES),
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[_all_of(_l("Select languages from the list"))],
    )
    opens_at = _text(_l("Opens at (optional)"), 5, description=_l("24-hour clock, like 09:30"))
    closes_at = _text(_l("Closes at (optional)"), 5, description=_l("24-hour clock, like 17:00"))
    submit = SubmitField(_l("Save listing"), widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [("", _l("A new organisation")), *repository.organization_choices()]
        self.categories.choices = [(term.id, term.name) for term in repository.categories()]
        self.days.choices = [(code, DAY_NAMES[code]) for code in DAY_CODES]
        self.place: Place | None = None

    def validate_organisation_id(self, field: Field) -> None:
        if field.data and field.data not in {value for value, *_ in field.choices}:
            raise ValidationError(_l("Select an organisation from the list"))

    def validate_new_organisation_name(self, field: Field) -> None:
        if not self.organisation_id.data and not field.data:
            raise ValidationError(_l("Choose an organisation, or enter the name of a new one"))

    def validate_new_organisation_type(self, field: Field) -> None:
        if not self.organisation_id.data:
            one_of(ORGANISATION_TYPES, _l("Select the type of the new organisation"))(self, field)

    def validate_minimum_age(self, field: Field) -> None:
        parse_age(field.data)

    def validate_maximum_age(self, field: Field) -> None:
        maximum = parse_age(field.data)
        try:
            minimum = parse_age(self.minimum_age.data)
        except ValidationError:
            return
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValidationError(_l("The maximum age must be the same as or more than the minimum age"))

    def validate_districts(self, field: Field) -> None:
        if self.area.data == "districts" and not field.data:
            raise ValidationError(_l("Select the districts where the service is offered"))

    def validate_phones(self, field: Field) -> None:
        for number, description in parse_phones(field.data):
            if not PHONE_RE.match(number) or len(description) > 255:
                raise ValidationError(_l("Enter each phone number on its own line, like 01632 960001, Helpline"))

    def validate_email(self, field: Field) -> None:
        if field.data and not EMAIL_RE.match(field.data):
            raise ValidationError(_l("Enter an email address in the correct format, like name@example.com"))

    def validate_website(self, field: Field) -> None:
        if not field.data:
            return
        parsed = urlparse(field.data)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in field.data:
            raise ValidationError(_l("Enter a website address starting https://, like https://www.example.org"))

    def validate_postcode(self, field: Field) -> None:
        if not field.data:
            if self.address.data:
                raise ValidationError(_l("Enter the postcode of the address"))
            return
        try:
            self.place = locate(field.data)
        except PostcodeError:
            raise ValidationError(_l("Enter a real postcode, like SG13 8DQ")) from None
        field.data = normalise(field.data)

    def validate_opens_at(self, field: Field) -> None:
        if field.data and not TIME_RE.match(field.data):
            raise ValidationError(_l("Enter the opening time on the 24-hour clock, like 09:30"))

    def validate_closes_at(self, field: Field) -> None:
        if field.data and not TIME_RE.match(field.data):
            raise ValidationError(_l("Enter the closing time on the 24-hour clock, like 17:00"))
        opens = self.opens_at.data
        if field.data and opens and TIME_RE.match(opens) and field.data <= opens:
            raise ValidationError(_l("The closing time must be after the opening time"))


class ListingSearchForm(Form):
    """A GET form: no CSRF token needed, but it still validates."""

    q = StringField(
        _l("Search listings"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message=_l("Search words must be 200 characters or fewer"))],
    )
    stale = BooleanField(_l("Only listings not checked for 12 months"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is posted."""
