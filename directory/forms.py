"""The directory search form: a GET form, so it needs no CSRF token, but it still validates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import Length, Optional

from directory.listing_facts import DAY_CODES
from directory.postcodes import HERTFORDSHIRE_DISTRICTS, PostcodeError, locate, normalise
from directory.search.engine import SearchRequest
from directory.search.filters import Filters
from signpost.platform.forms import clean_text
from signpost.platform.widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextInput

DISTANCES = (1, 3, 5, 10, 20)
DAY_NAMES = {
    "MO": _l("Monday"),
    "TU": _l("Tuesday"),
    "WE": _l("Wednesday"),
    "TH": _l("Thursday"),
    "FR": _l("Friday"),
    "SA": _l("Saturday"),
    "SU": _l("Sunday"),
}
DELIVERY_CHOICES = (("in_person", _l("In person")), ("phone", _l("By phone")), ("online", _l("Online")))
MAX_AGE = 120


MAX_PAGE = 10_000


SEARCHED_BY = ("q", "postcode", "category", "district", "age", "day", "delivery", "free")


def searched(args) -> bool:
    """Whether request `args` ask for a search: words, a postcode or a filter."""
    return any(args.get(key) for key in SEARCHED_BY)


def page_number(raw: str | None) -> int:
    """A results page from the query string: a plain positive number, else the first page."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) < 7 and int(raw) > 0:
        return min(int(raw), MAX_PAGE)
    return 1


class ChoiceField(SelectField):
    """A select whose unknown values get a clear, GOV.UK-style message."""

    def __init__(self, label, message, **kwargs):
        super().__init__(label, widget=GovSelect(), **kwargs)
        self.choice_message = message

    def pre_validate(self, form) -> None:
        if (self.data or "") not in {value for value, *_ in self.choices}:
            raise ValidationError(self.choice_message)


SEARCH_FIELDS = ("q", "postcode", "category", "district", "distance", "age", "day", "delivery")


class SearchForm(Form):
    q = StringField(
        _l("What do you need help with?"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message=_l("Search words must be 200 characters or fewer"))],
    )
    postcode = StringField(
        _l("Postcode"),
        filters=[clean_text, lambda text: normalise(text) if text else text],
        widget=GovTextInput(),
        validators=[Optional(), Length(max=10, message=_l("Enter a real postcode, like SG1 1AA"))],
        description=_l("For example, SG1 1AA or SG1"),
    )
    distance = ChoiceField(_l("Distance"), _l("Select a distance from the list"))
    category = ChoiceField(_l("Type of help"), _l("Select a type of help from the list"))
    district = ChoiceField(_l("Area"), _l("Select an area from the list"))
    age = StringField(
        _l("Age of the person who needs help"),
        filters=[clean_text],
        widget=GovTextInput(),
        validators=[Optional()],
        description=_l("Shows only services open to this age"),
    )
    day = ChoiceField(_l("Open on"), _l("Select a day from the list"))
    delivery = ChoiceField(_l("How it is offered"), _l("Select how the service is offered from the list"))
    free = BooleanField(_l("Free services only"), widget=GovCheckboxInput(), validators=[Optional()])
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())

    def __init__(self, formdata, categories: list[tuple[str, str]]):
        super().__init__(formdata)
        self.category.choices = [("", _l("Any type of help")), *categories]
        self.district.choices = [("", _l("Anywhere in Hertfordshire")), *[(d, d) for d in HERTFORDSHIRE_DISTRICTS]]
        self.distance.choices = [
            ("", _l("Any distance")),
            *[(str(m), _l("Within %(n)s miles", n=m)) for m in DISTANCES],
        ]
        self.day.choices = [("", _l("Any day")), *[(code, DAY_NAMES[code]) for code in DAY_CODES]]
        self.delivery.choices = [("", _l("Any way")), *DELIVERY_CHOICES]
        self.place = None

    def validate_postcode(self, field: StringField) -> None:
        try:
            self.place = locate(field.data)
        except PostcodeError as error:
            if str(error) == "unknown postcode":
                raise ValidationError(_l("We could not find that postcode. Check it and try again")) from None
            raise ValidationError(_l("Enter a real postcode, like SG1 1AA")) from None

    def validate_age(self, field: StringField) -> None:
        value = field.data.strip()
        if not (value.isascii() and value.isdigit()) or len(value) > 3:
            raise ValidationError(_l("Age must be a whole number, like 70"))
        if int(value) > MAX_AGE:
            raise ValidationError(_l("Age must be %(max)s or less", max=MAX_AGE))

    def validate_distance(self, field: SelectField) -> None:
        if field.data and not self.postcode.data:
            raise ValidationError(_l("Enter a postcode to search by distance"))

    @property
    def age_value(self) -> int | None:
        return (
            int(self.age.data)
            if self.age.data and self.age.data.strip().isascii() and self.age.data.strip().isdigit()
            else None
        )

    def search_request(self, page: int, exact: bool) -> SearchRequest:
        """The search this (validated) form asks for: the public search and the call handler's ask the same."""
        return SearchRequest(
            text=self.q.data or "",
            place=self.place,
            filters=Filters(
                category=self.category.data or None,
                district=self.district.data or None,
                free_only=bool(self.free.data),
                age=self.age_value,
                day=self.day.data or None,
                delivery=self.delivery.data or None,
            ),
            within_miles=float(self.distance.data) if self.distance.data else None,
            page=page,
            exact=exact,
        )

    def link_args(self, **changes) -> dict:
        """Query-string arguments for a link to this search with some changed (e.g. another page)."""
        args = {name: self[name].data for name in SEARCH_FIELDS}
        args["free"] = "y" if self.free.data else None
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", False)}
