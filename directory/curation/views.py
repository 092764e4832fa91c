"""Editors' curation of the directory under /staff/directory (roles editor and admin).

Create, edit, archive, restore and "mark as checked" a listing; every change is saved by
`directory.listings.save_listing` (the listing, a kept ``ServiceVersion`` with who, when and the ORUK JSON, the
refreshed search row and an audit entry). The list of listings searches through ``directory.search.engine.search``,
the one search path. Problem reports from residents and suggested changes from providers queue here until an
editor resolves or rejects them with a note. The form is
in `forms.py`, the form ⇄ listing mapping in `mapping.py`, the pages in `templates/staff/directory/`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict

from directory import repository
from directory.curation.forms import ActionForm, ListingSearchForm, ServiceForm
from directory.curation.mapping import apply, initial
from directory.forms import DAY_NAMES, page_number
from directory.listing_facts import is_not_checked
from directory.listings import save_listing
from directory.models import Service, ServiceStatus, utcnow
from directory.search.engine import SearchRequest
from directory.search.engine import search as run_search
from directory.version_diff import changes, parse
from signpost.platform import audit
from signpost.platform.auth import roles_required

bp = Blueprint("curation", __name__, url_prefix="/staff/directory", template_folder="templates")

EDITORS = ("editor",)
PER_PAGE = 20
ALL_RESULTS = 1_000_000
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
    "update_provider": _l("Suggested change, from someone who runs the service"),
    "update_other": _l("Suggested change, from someone who uses or knows the service"),
}
UPDATE_TOPICS = ("update_provider", "update_other")


@bp.context_processor
def _formatting() -> dict[str, Any]:
    return {"format_datetime": format_datetime}


# --- helpers ------------------------------------------------------------------------------------------


def _listing_or_404(service_id: UUID) -> Service:
    found = repository.get_service_any_status(str(service_id))
    if found is None:
        abort(404)
    return found


def is_stale(service: Service) -> bool:
    return is_not_checked(service.assured_date)


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
        checked = {service.id: service.assured_date for service in repository.services_by_ids(ids)}
        ids.sort(key=lambda service_id: checked.get(service_id) or date.min)  # oldest check (or never) first
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
        apply(form, service)
        if save_listing(service, "created", current_user.email):
            flash(_("The listing has been created"), "success")
            return redirect(url_for("curation.listing", service_id=service.id))
        _not_saved()
    return render_template("staff/directory/edit.html", form=form, service=None)


@bp.get("/<uuid:service_id>")
@roles_required(*EDITORS)
def listing(service_id: UUID):
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


@bp.route("/<uuid:service_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(service_id: UUID):
    service = _listing_or_404(service_id)
    form = ServiceForm(data=initial(service) if request.method == "GET" else None)
    if form.validate_on_submit():
        apply(form, service)
        if save_listing(service, "edited", current_user.email):
            flash(_("The listing has been changed"), "success")
            return redirect(url_for("curation.listing", service_id=service_id))
        _not_saved()
        return redirect(url_for("curation.listing", service_id=service_id))
    return render_template("staff/directory/edit.html", form=form, service=service)


def _change(service_id: UUID, action: str, message: str, change) -> Any:
    if not ActionForm().validate_on_submit():
        abort(400)
    service = _listing_or_404(service_id)
    change(service)
    if save_listing(service, action, current_user.email):
        flash(message, "success")
    else:
        _not_saved()
    return redirect(url_for("curation.listing", service_id=service.id))


@bp.post("/<uuid:service_id>/archive")
@roles_required(*EDITORS)
def archive(service_id: UUID):
    def change(service: Service) -> None:
        service.status = ServiceStatus.ARCHIVED

    return _change(service_id, "archived", _("The listing has been archived"), change)


@bp.post("/<uuid:service_id>/restore")
@roles_required(*EDITORS)
def restore(service_id: UUID):
    def change(service: Service) -> None:
        service.status = ServiceStatus.ACTIVE

    return _change(service_id, "restored", _("The listing has been restored"), change)


@bp.post("/<uuid:service_id>/check")
@roles_required(*EDITORS)
def check(service_id: UUID):
    def change(service: Service) -> None:
        service.assured_date = date.today()

    return _change(service_id, "checked", _("The listing has been marked as checked today"), change)


# --- what changed between versions ---------------------------------------------------------------------

FIELD_LABELS = {
    "name": _l("Name"),
    "status": _l("Status"),
    "description": _l("Description"),
    "organization": _l("Organisation"),
    "url": _l("Website"),
    "email": _l("Email"),
    "website": _l("Website"),
    "eligibility_description": _l("Who can use it"),
    "minimum_age": _l("Minimum age"),
    "maximum_age": _l("Maximum age"),
    "fees_description": _l("Cost"),
    "application_process": _l("How to get help"),
    "assured_date": _l("Last checked"),
    "last_modified": _l("Last changed"),
    "phones": _l("Phone"),
    "number": _l("Number"),
    "schedules": _l("Opening times"),
    "byday": _l("Days"),
    "opens_at": _l("Opens"),
    "closes_at": _l("Closes"),
    "freq": _l("Repeats"),
    "service_areas": _l("Area"),
    "languages": _l("Languages"),
    "code": _l("Code"),
    "service_at_locations": _l("Place"),
    "location": _l("Location"),
    "addresses": _l("Address"),
    "address_1": _l("Address"),
    "city": _l("Town"),
    "postal_code": _l("Postcode"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "attributes": _l("Attribute"),
    "taxonomy_term": _l("Term"),
    "taxonomy": _l("Taxonomy"),
    "cost_options": _l("Cost option"),
    "amount": _l("Amount"),
    "amount_description": _l("Amount description"),
    "contacts": _l("Contact"),
    "title": _l("Title"),
    "organization_type": _l("Type"),
}
"""Readable names of the ORUK fields editors change; any other field is shown by its ORUK name."""


def field_label(label: tuple[str | int, ...]) -> str:
    """("phones", 2, "number") → "Phone 2 – Number"."""
    parts: list[str] = []
    for part in label:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]} {part}" if parts else str(part)
        else:
            parts.append(str(FIELD_LABELS.get(part, part.replace("_", " ").capitalize())))
    return " – ".join(parts)


ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def field_value(value: Any) -> str:
    """A field's value as an editor reads it: yes or no, a list joined, an ORUK date or time in words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, tuple):
        return ", ".join(field_value(item) for item in value)
    if isinstance(value, str) and ISO_MOMENT.match(value):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return format_date(moment.date(), "long") if "T" not in value else format_datetime(moment, "medium")
    return str(value)


def looks_the_same(change: Any) -> bool:
    """Whether a change is invisible as shown (only spaces, or characters that do not print, differ)."""
    if change.old is None or change.new is None:
        return False
    shown = [
        " ".join("".join(ch for ch in field_value(v) if ch.isprintable()).split()) for v in (change.old, change.new)
    ]
    return shown[0] == shown[1]


@bp.get("/<uuid:service_id>/versions/<int(max=2147483647):version>")
@roles_required(*EDITORS)
def version(service_id: UUID, version: int):
    service = _listing_or_404(service_id)
    kept = repository.service_version(service.id, version)
    if kept is None:
        abort(404)
    earlier, later = repository.neighbour_versions(service.id, version)
    document, previous = parse(kept.snapshot), parse(earlier.snapshot) if earlier else None
    unreadable = document is None or (earlier is not None and previous is None)
    return render_template(
        "staff/directory/version.html",
        service=service,
        kept=kept,
        earlier=earlier,
        later=later,
        unreadable=unreadable,
        changes=[] if unreadable or document is None else changes(previous, document),
        actions=ACTIONS,
        field_label=field_label,
        field_value=field_value,
        looks_the_same=looks_the_same,
    )


# --- problem reports ------------------------------------------------------------------------------------


@bp.get("/reports")
@roles_required(*EDITORS)
def reports():
    return render_template(
        "staff/directory/reports.html",
        reports=repository.open_problem_reports(),
        topics=TOPICS,
        update_topics=UPDATE_TOPICS,
    )


NOTE_LIMIT = 2000


def _close_report(report_id: UUID, status: str, event: str) -> Any:
    if not ActionForm().validate_on_submit():
        abort(400)
    report = repository.get_problem_report(str(report_id))
    if report is None:
        abort(404)
    note = " ".join((request.form.get("note") or "").split())[:NOTE_LIMIT] or None
    if report.status == "open":
        try:
            with repository.savepoint():
                report.status = status
                report.resolved_by = current_user.email
                report.resolved_at = utcnow()
                report.resolution_note = note
                report.contact_email = None  # kept only until the request is dealt with, as the form says
        except SQLAlchemyError:
            _not_saved()
            return redirect(url_for("curation.reports"))
        audit.record(event, report.id)
    return None


@bp.post("/reports/<uuid:report_id>/resolve")
@roles_required(*EDITORS)
def resolve(report_id: UUID):
    failed = _close_report(report_id, "resolved", "problem_report.resolved")
    if failed is not None:
        return failed
    flash(_("The report has been marked as resolved"), "success")
    return redirect(url_for("curation.reports"))


@bp.post("/reports/<uuid:report_id>/reject")
@roles_required(*EDITORS)
def reject(report_id: UUID):
    failed = _close_report(report_id, "rejected", "problem_report.rejected")
    if failed is not None:
        return failed
    flash(_("The report has been rejected"), "success")
    return redirect(url_for("curation.reports"))
