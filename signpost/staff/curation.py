"""Editors' curation of the directory under /staff/directory (roles editor and admin).

Create, edit, archive, restore and "mark as checked" a listing; every change is one transaction that keeps a
``ServiceVersion`` (who, when, the ORUK JSON from ``directory.oruk.serialise``) and refreshes the search index.
The list of listings searches through ``directory.search.engine.search``, the one search path. Problem reports
from residents queue here until an editor marks them resolved.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
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
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict
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
from directory.forms import DAY_NAMES, MAX_AGE, page_number
from directory.listing_facts import DAY_CODES, is_not_checked
from directory.listings import save_listing
from directory.loading import COUNTYWIDE_AREA
from directory.models import (
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationType,
    Phone,
    Referral,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    utcnow,
)
from directory.postcodes import HERTFORDSHIRE_DISTRICTS, Place, PostcodeError, locate, normalise
from directory.search.engine import SearchRequest
from directory.search.engine import search as run_search
from signpost.platform import audit
from signpost.platform.auth import roles_required
from signpost.platform.forms import clean_text, one_of, radios
from signpost.platform.patterns import EMAIL_RE

bp = Blueprint("curation", __name__, url_prefix="/staff/directory")

EDITORS = ("editor",)
PER_PAGE = 20
ALL_RESULTS = 1_000_000

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
AREAS = (("countywide", _l("The whole of Hertfordshire")), ("districts", _l("Only some districts")))
ACTIONS = {
    "created": _l("Created"),
    "edited": _l("Edited"),
    "archived": _l("Archived"),
    "restored": _l("Restored"),
    "checked": _l("Marked as checked"),
    "imported": _l("Imported"),
}
TOPICS = {
    "out_of_date": _l("The information is out of date"),
    "closed": _l("The service has closed"),
    "wrong_contact": _l("The contact details are wrong"),
    "other": _l("Something else"),
}


@bp.context_processor
def _formatting() -> dict[str, Any]:
    return {"format_datetime": format_datetime}


def _all_of(message: Any):
    """Every ticked box must be one of the field's choices."""

    def check(_form: Any, field: Field) -> None:
        allowed = {value for value, _label in field.choices}
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


def _age(value: str | None) -> int | None:
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
        _l("Type of the new organisation"), choices=ORGANISATION_TYPES, widget=GovRadioInput(), validate_choice=False
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
        choices=DELIVERY,
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
        choices=[(d, d) for d in HERTFORDSHIRE_DISTRICTS],
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
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Select an organisation from the list"))

    def validate_new_organisation_name(self, field: Field) -> None:
        if not self.organisation_id.data and not field.data:
            raise ValidationError(_l("Choose an organisation, or enter the name of a new one"))

    def validate_new_organisation_type(self, field: Field) -> None:
        if not self.organisation_id.data:
            one_of(ORGANISATION_TYPES, _l("Select the type of the new organisation"))(self, field)

    def validate_minimum_age(self, field: Field) -> None:
        _age(field.data)

    def validate_maximum_age(self, field: Field) -> None:
        maximum = _age(field.data)
        try:
            minimum = _age(self.minimum_age.data)
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


# --- helpers ------------------------------------------------------------------------------------------


def _valid_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _listing_or_404(service_id: str) -> Service:
    found = repository.get_service_any_status(service_id) if _valid_uuid(service_id) else None
    if found is None:
        abort(404)
    return found


def is_stale(service: Service) -> bool:
    return is_not_checked(service.assured_date)


def _initial(service: Service) -> dict[str, Any]:
    """A listing as the edit form's starting values."""
    location = service.service_at_locations[0].location if service.service_at_locations else None
    schedule = service.schedules[0] if service.schedules else None
    phones = "\n".join(f"{p.number}, {p.description}" if p.description else p.number for p in service.phones)
    return {
        "name": service.name,
        "organisation_id": service.organization_id,
        "description": service.description,
        "categories": [term.id for term in service.taxonomy_terms],
        "eligibility": service.eligibility_description,
        "minimum_age": "" if service.minimum_age is None else str(service.minimum_age),
        "maximum_age": "" if service.maximum_age is None else str(service.maximum_age),
        "free": "yes" if service.is_free else "no",
        "cost": service.cost_options[0].amount_description if service.cost_options else "",
        "how_to_access": service.application_process,
        "referral": service.referral.value,
        "delivery": [key for key, on in (("in_person", service.in_person), ("phone", service.by_phone)) if on]
        + (["online"] if service.online else []),
        "area": "countywide" if service.countywide else "districts",
        "districts": [a.name for a in service.service_areas if a.name in HERTFORDSHIRE_DISTRICTS],
        "phones": phones,
        "email": service.email or "",
        "website": service.url or "",
        "address": location.address_1 if location else "",
        "town": location.city if location else "",
        "postcode": location.postal_code if location else "",
        "days": [d for d in (schedule.byday.split(",") if schedule and schedule.byday else []) if d in DAY_CODES],
        "opens_at": (schedule.opens_at or "") if schedule else "",
        "closes_at": (schedule.closes_at or "") if schedule else "",
    }


def _organisation(form: ServiceForm) -> Organization:
    if form.organisation_id.data:
        found = repository.get_organization(form.organisation_id.data)
        if found is not None:
            return found
    return Organization(
        name=form.new_organisation_name.data, organization_type=OrganizationType(form.new_organisation_type.data)
    )


def _apply_location(form: ServiceForm, service: Service) -> None:
    current = service.service_at_locations[0].location if service.service_at_locations else None
    wanted = (form.address.data or "", form.town.data or "", form.postcode.data or "")
    if current is not None and (current.address_1, current.city, current.postal_code) == wanted:
        return
    if not any(wanted):
        service.service_at_locations = []
        return
    place = form.place
    location = Location(
        name=service.name,
        address_1=wanted[0],
        city=wanted[1] or (place.town if place else ""),
        postal_code=wanted[2],
        district=place.district if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
    )
    service.service_at_locations = [ServiceAtLocation(location=location)]


def _apply_children(form: ServiceForm, service: Service) -> None:
    service.taxonomy_terms = repository.terms_by_ids(form.categories.data or [])
    service.phones = [
        Phone(number=number, description=description, position=i)
        for i, (number, description) in enumerate(parse_phones(form.phones.data))
    ]
    days = ",".join(code for code in DAY_CODES if code in (form.days.data or []))
    opens, closes = form.opens_at.data or None, form.closes_at.data or None
    service.schedules = [Schedule(byday=days, opens_at=opens, closes_at=closes)] if days or opens or closes else []
    cost = form.cost.data or ""
    service.cost_options = [CostOption(amount_description=cost)] if cost or not service.is_free else []
    areas = [COUNTYWIDE_AREA] if service.countywide else list(form.districts.data or [])
    if sorted(a.name for a in service.service_areas) != sorted(areas):
        service.service_areas = [ServiceArea(name=name) for name in areas]
    if not service.languages:
        service.languages = [Language(code="en", name="English")]
    _apply_location(form, service)


def _apply(form: ServiceForm, service: Service) -> None:
    """Copy a valid form onto a listing (new or existing)."""
    delivery = set(form.delivery.data or [])
    service.organization = _organisation(form)
    service.name = form.name.data
    service.description = form.description.data or ""
    service.eligibility_description = form.eligibility.data or ""
    service.minimum_age = _age(form.minimum_age.data)
    service.maximum_age = _age(form.maximum_age.data)
    service.is_free = form.free.data == "yes"
    service.fees_description = form.cost.data or ""
    service.application_process = form.how_to_access.data or ""
    service.referral = Referral(form.referral.data)
    service.in_person, service.by_phone, service.online = (k in delivery for k in ("in_person", "phone", "online"))
    service.countywide = form.area.data == "countywide"
    service.email = form.email.data or None
    service.url = form.website.data or None
    _apply_children(form, service)


def _not_saved():
    flash(_("The listing could not be saved, perhaps because someone else changed it at the same time. Try again."))


# --- listings -------------------------------------------------------------------------------------------


@bp.get("/")
@roles_required(*EDITORS)
def listings():
    form = ListingSearchForm(MultiDict(request.args))
    page = page_number(request.args.get("page"))
    text = (form.q.data or "") if form.validate() else ""
    stale_only = bool(form.stale.data)
    if stale_only:
        results = run_search(SearchRequest(text=text, per_page=ALL_RESULTS))
        stale = repository.stale_service_ids()
        ids = [hit.service_id for hit in results.hits if hit.service_id in stale]
    else:
        results = run_search(SearchRequest(text=text, page=page, per_page=PER_PAGE))
        ids = [hit.service_id for hit in results.hits]
    total = len(ids) if stale_only else results.total
    if stale_only:
        ids = ids[(page - 1) * PER_PAGE : page * PER_PAGE]
    pages = max(1, -(-total // PER_PAGE))
    return render_template(
        "staff/directory/listings.html",
        search_form=form,
        services=repository.services_by_ids(ids),
        total=total,
        page=page,
        pages=pages,
        page_url=lambda n: url_for("curation.listings", q=text or None, stale="y" if stale_only else None, page=n),
        flagged=repository.count_not_checked(),
        open_reports=repository.count_open_problem_reports(),
        is_stale=is_stale,
        results=results,
    )


@bp.get("/archived")
@roles_required(*EDITORS)
def archived():
    return render_template("staff/directory/archived.html", services=repository.services_not_active())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    form = ServiceForm()
    if form.validate_on_submit():
        service = Service(status=ServiceStatus.ACTIVE)
        _apply(form, service)
        if save_listing(service, "created", current_user.email):
            flash(_("The listing has been created"), "success")
            return redirect(url_for("curation.listing", service_id=service.id))
        _not_saved()
    return render_template("staff/directory/edit.html", form=form, service=None)


@bp.get("/<service_id>")
@roles_required(*EDITORS)
def listing(service_id: str):
    service = _listing_or_404(service_id)
    return render_template(
        "staff/directory/listing.html",
        service=service,
        stale=is_stale(service),
        versions=repository.service_versions(service.id),
        reports=[r for r in repository.problem_reports_for(service.id) if r.status == "open"],
        actions=ACTIONS,
        topics=TOPICS,
        day_names=DAY_NAMES,
    )


@bp.route("/<service_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(service_id: str):
    service = _listing_or_404(service_id)
    form = ServiceForm(data=_initial(service) if request.method == "GET" else None)
    if form.validate_on_submit():
        _apply(form, service)
        if save_listing(service, "edited", current_user.email):
            flash(_("The listing has been changed"), "success")
            return redirect(url_for("curation.listing", service_id=service_id))
        _not_saved()
        return redirect(url_for("curation.listing", service_id=service_id))
    return render_template("staff/directory/edit.html", form=form, service=service)


def _change(service_id: str, action: str, message: str, change) -> Any:
    if not ActionForm().validate_on_submit():
        abort(400)
    service = _listing_or_404(service_id)
    change(service)
    if save_listing(service, action, current_user.email):
        flash(message, "success")
    else:
        _not_saved()
    return redirect(url_for("curation.listing", service_id=service.id))


@bp.post("/<service_id>/archive")
@roles_required(*EDITORS)
def archive(service_id: str):
    def change(service: Service) -> None:
        service.status = ServiceStatus.ARCHIVED

    return _change(service_id, "archived", _("The listing has been archived"), change)


@bp.post("/<service_id>/restore")
@roles_required(*EDITORS)
def restore(service_id: str):
    def change(service: Service) -> None:
        service.status = ServiceStatus.ACTIVE

    return _change(service_id, "restored", _("The listing has been restored"), change)


@bp.post("/<service_id>/check")
@roles_required(*EDITORS)
def check(service_id: str):
    def change(service: Service) -> None:
        service.assured_date = date.today()

    return _change(service_id, "checked", _("The listing has been marked as checked today"), change)


# --- problem reports ------------------------------------------------------------------------------------


@bp.get("/reports")
@roles_required(*EDITORS)
def reports():
    return render_template("staff/directory/reports.html", reports=repository.open_problem_reports(), topics=TOPICS)


@bp.post("/reports/<report_id>/resolve")
@roles_required(*EDITORS)
def resolve(report_id: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    report = repository.get_problem_report(report_id) if _valid_uuid(report_id) else None
    if report is None:
        abort(404)
    if report.status == "open":
        try:
            with repository.savepoint():
                report.status = "resolved"
                report.resolved_by = current_user.email
                report.resolved_at = utcnow()
        except SQLAlchemyError:
            _not_saved()
            return redirect(url_for("curation.reports"))
        audit.record("problem_report.resolved", report.id)
    flash(_("The report has been marked as resolved"), "success")
    return redirect(url_for("curation.reports"))
