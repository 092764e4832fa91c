"""The Open Referral UK 3.0 read API under /api/oruk/, and the OpenAPI document at /api/openapi.json.

Open without a key and to every origin (it publishes what the public pages already show). Finding
services goes through `directory.search.engine.search`, the same path as the search page (and
`/service_at_locations` through the same search statements, joined to the locations, in
`repository.service_at_location_page`): ranked and paged in SQL, with each page's records read a table at a
time as plain rows (`repository.summary_service_views`, `full_service_views`). Bad parameters get a 400 and
an unknown id a 404, both as JSON saying what was wrong.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from directory import repository
from directory.listing_facts import DAY_CODES
from directory.oruk import serialise
from directory.oruk.openapi import openapi_document, query_parameters
from directory.oruk.validation import is_uuid, parse_datetime
from directory.oruk.vocabulary import TAXONOMIES, TAXONOMIES_BY_ID, TERMS, TERMS_BY_ID
from directory.postcodes import Place, PostcodeError, locate
from directory.search.engine import DEFAULT_PER_PAGE, SearchRequest, search, understand
from directory.search.filters import Filters
from directory.search.ranking import Origin
from signpost.platform.extensions import csrf
from signpost.platform.forms import clean_text
from signpost.platform.urls import absolute_url_for, canonical_root

log = logging.getLogger(__name__)

bp = Blueprint("oruk_api", __name__, url_prefix="/api")
csrf.exempt(bp)

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 1000  # harvesters ask for 500
READ_METHODS = ("GET", "HEAD", "OPTIONS")
OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE"]
MAX_SEARCH_LENGTH = 200
MAX_PROXIMITY_METRES = 200_000
METRES_PER_MILE = 1609.344
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9])?$")
DAY_WORDS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}


class BadParameter(Exception):
    """A query parameter the API cannot use; becomes a 400 naming the parameter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


# --- responses ------------------------------------------------------------------------------------


def error_response(status: int, error: str, message: str, parameter: str | None = None) -> tuple[Response, int]:
    body = {"status": status, "error": error, "message": message}
    if parameter:
        body["parameter"] = parameter
    return jsonify(body), status


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return error_response(400, "bad_request", error.message, error.parameter)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return error_response(error.code or 500, (error.name or "error").lower().replace(" ", "_"), error.description or "")


@bp.errorhandler(OperationalError)
def database_unavailable(error: OperationalError):
    log.error("Database unavailable: %s", type(error).__name__)  # the request rolls back (a response >= 400)
    return error_response(503, "service_unavailable", "The directory is unavailable. Try again shortly.")


@bp.errorhandler(Exception)
def unexpected(error: Exception):
    log.exception("Unhandled error in the Open Referral API")
    return error_response(500, "internal_server_error", "Something went wrong. Try again later.")


@bp.before_request
def no_unknown_parameters():
    """A filter the API does not know is refused, never silently ignored (see the OpenAPI document)."""
    rule = request.url_rule
    if rule is None or request.method not in READ_METHODS or rule.endpoint.endswith("unknown"):
        return None
    allowed = query_parameters(re.sub(r"<[^>]+>", "{id}", rule.rule))
    for name in request.args:
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            return error_response(400, "bad_request", f"{name} is not a parameter here (known: {known}).", name)
    return None


@bp.after_request
def open_to_every_origin(response: Response) -> Response:
    """Every origin may read; a successful read carries an ETag (and Last-Modified when known), and a
    request that already holds this version gets 304 Not Modified."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method in ("GET", "HEAD") and response.status_code == 200 and response.is_json:
        modified = g.pop("oruk_last_modified", None)
        if modified is not None:
            response.last_modified = modified
        response.add_etag()
        response.make_conditional(request)
    return response


def _last_modified(*values) -> None:
    """The newest of these is the response's Last-Modified."""
    found = [value for value in values if value is not None]
    if found:
        g.oruk_last_modified = max(v if v.tzinfo else v.replace(tzinfo=UTC) for v in found)


def not_found(what: str):
    return error_response(404, "not_found", f"No {what} has that id.")


def page_json(contents: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    """The ORUK page envelope around one page of results."""
    total_pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def page_of(items: Sequence[Any], page: int, per_page: int) -> list[Any]:
    start = (page - 1) * per_page
    return list(items[start : start + per_page])


# --- parameters -----------------------------------------------------------------------------------


def _int(name: str, default: int, minimum: int, maximum: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise BadParameter(name, f"{name} must be a whole number from {minimum} to {maximum}.")
    return int(raw)


def _number(name: str, minimum: float, maximum: float) -> float | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not minimum <= value <= maximum:
        raise BadParameter(name, f"{name} must be a number from {minimum:g} to {maximum:g}.")
    return value


def _time(name: str) -> str | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not TIME_RE.match(raw):
        raise BadParameter(name, f"{name} must be a 24-hour time such as 09:30 or 09:30:00.")
    return raw[:5]


def _day() -> str | None:
    raw = request.args.get("day", "").strip()
    if not raw:
        return None
    code = DAY_WORDS.get(raw.lower(), raw.upper())
    if code not in DAY_CODES:
        raise BadParameter("day", "day must be a day code (MO, TU, WE, TH, FR, SA, SU) or a day name such as Monday.")
    return code


def _flag(name: str) -> bool:
    raw = request.args.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise BadParameter(name, f"{name} must be true or false.")


def _modified_after() -> datetime | None:
    raw = request.args.get("modified_after", "").strip()
    if not raw:
        return None
    try:
        return parse_datetime(raw if "t" in raw.lower() else f"{raw}T00:00:00Z")
    except ValueError:
        message = "modified_after must be a date and time such as 2026-05-31T10:00:00Z."
        raise BadParameter("modified_after", message) from None


def _uuids(name: str) -> list[str]:
    """Every UUID given for this parameter: repeated, or separated by commas."""
    found = []
    for raw in request.args.getlist(name):
        for part in raw.split(","):
            if part.strip():
                try:
                    found.append(str(uuid.UUID(part.strip())))
                except ValueError:
                    raise BadParameter(name, f"{name} must be a UUID or UUIDs separated by commas.") from None
    return found


def _uuid(name: str) -> str | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadParameter(name, f"{name} must be a UUID.") from None


def _paging() -> tuple[int, int]:
    return _int("page", 1, 1, MAX_PAGE), _int("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)


def _search_text() -> str:
    text = clean_text(request.args.get("search", "")) or ""
    if len(text) > MAX_SEARCH_LENGTH:
        raise BadParameter("search", f"search must be {MAX_SEARCH_LENGTH} characters or fewer.")
    return text.strip()


def _term_filters(filters: Filters) -> Filters:
    """Apply taxonomy_term_id (one or several) and taxonomy_id. A fixed Signpost term filters by its column
    (each one given must hold); several stored terms match a service linked to any of them."""
    stored = []
    for term_id in _uuids("taxonomy_term_id"):
        term = TERMS_BY_ID.get(term_id)
        if term is None:
            stored.append(term_id)
        elif term.field == "free":
            filters = replace(filters, free_only=True)
        else:
            filters = replace(filters, **{term.field: term.value})
    if stored:
        filters = replace(filters, taxonomy_term_ids=tuple(stored))
    taxonomy_id = _uuid("taxonomy_id")
    if taxonomy_id and taxonomy_id not in TAXONOMIES_BY_ID:  # every service has a term in the fixed ones
        filters = replace(filters, taxonomy_id=taxonomy_id)
    return filters


def _place() -> tuple[Place | None, float | None]:
    postcode = (request.args.get("postcode") or "").strip()
    proximity = _number("proximity", 1, MAX_PROXIMITY_METRES)
    if proximity is not None and not postcode:
        raise BadParameter("proximity", "proximity needs a postcode to measure from.")
    if not postcode:
        return None, None
    try:
        place = locate(postcode[:20])
    except PostcodeError as error:
        message = "postcode is not one we know." if str(error) == "unknown postcode" else "postcode is not a postcode."
        raise BadParameter("postcode", message) from None
    return place, (proximity / METRES_PER_MILE if proximity is not None else None)


def search_request(page: int, per_page: int) -> SearchRequest:
    """Turn the query string into a request for the one search engine."""
    minimum_age = _number("minimum_age", 0, 150)
    maximum_age = _number("maximum_age", 0, 150)
    filters = Filters(
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        day=_day(),
        opens_from=_time("start_time"),
        closes_by=_time("end_time"),
        organization_id=_uuid("organization_id"),
        modified_after=_modified_after(),
    )
    filters = _term_filters(filters)
    place, within_miles = _place()
    return SearchRequest(
        text=_search_text(), place=place, filters=filters, within_miles=within_miles, page=page, per_page=per_page
    )


# --- endpoints ------------------------------------------------------------------------------------


@bp.get("/oruk/")
def api_details():
    return jsonify(
        version=serialise.HSDS_VERSION,
        profile=serialise.PROFILE_URL,
        openapi_url=absolute_url_for("oruk_api.openapi"),
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(canonical_root()))


def _minimal(service) -> dict[str, Any]:
    return {
        "id": service.id,
        "name": service.name,
        "status": serialise.STATUS_OUT[service.status],
        "last_modified": serialise.iso_datetime(service.last_modified),
    }


@bp.get("/oruk/services")
def services():
    """A page of services: one-to-one fields, or fully nested (`full`), or only id, name, status and
    last_modified (`minimal`, for a harvester deciding what to fetch)."""
    page, per_page = _paging()
    full, minimal = _flag("full"), _flag("minimal")
    if full and minimal:
        raise BadParameter("minimal", "Ask for full or minimal, not both.")
    results = search(search_request(page, per_page))
    ids = [hit.service_id for hit in results.hits]
    if full:
        found = repository.full_service_views(ids)
        names = serialise.taxonomy_names()
        contents = [serialise.service_full(s, names) for s in found]
    else:
        found = repository.summary_service_views(ids)
        contents = [_minimal(s) if minimal else serialise.service_summary(s) for s in found]
    _last_modified(*(s.last_modified for s in found))
    return jsonify(page_json(contents, results.total, page, per_page))


@bp.get("/oruk/services/<service_id>")
def service(service_id: str):
    found = repository.full_service_views([service_id]) if is_uuid(service_id) else []
    if not found:  # a defunct (archived) listing is still served, with status "defunct"
        return not_found("service")
    _last_modified(found[0].last_modified)
    return jsonify(serialise.service_full(found[0]))


@bp.get("/oruk/service_at_locations")
def service_at_locations():
    """A page of service-at-locations: the matching services in the search's ranking order, each service's
    locations by id, ranked and paged in SQL (with `proximity`, each location itself must be within it)."""
    page, per_page = _paging()
    request_ = search_request(page, per_page)
    query = understand(request_.text)
    keyword = query is not None and not query.is_empty
    place = request_.place
    find = functools.partial(
        repository.service_at_location_page,
        filters=request_.filters,
        origin=Origin(place.latitude, place.longitude, place.district) if place else None,
        within_miles=request_.within_miles,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    found = find(query if keyword else None)  # concepts are OR-ed, as in the search: no all-words fallback
    chosen = repository.summary_service_at_location_views([sal_id for sal_id, _ in found.hits])
    _last_modified(*(sal.service.last_modified for sal in chosen))
    contents = [serialise.service_at_location_summary(sal) for sal in chosen]
    return jsonify(page_json(contents, found.total, page, per_page))


@bp.get("/oruk/service_at_locations/<sal_id>")
def service_at_location(sal_id: str):
    found = repository.service_at_locations_by_ids([sal_id], include_inactive=True) if is_uuid(sal_id) else []
    if not found:
        return not_found("service at location")
    _last_modified(found[0].service.last_modified)
    return jsonify(serialise.service_at_location_full(found[0]))


@bp.get("/oruk/organizations")
def organizations():
    page, per_page = _paging()
    found, total = repository.organizations_page(page, per_page)
    _last_modified(*(o.last_modified for o in found))
    return jsonify(page_json([serialise.organization_json(o) for o in found], total, page, per_page))


@bp.get("/oruk/organizations/<organization_id>")
def organization(organization_id: str):
    """An organisation with its services: one-to-one fields, or fully nested with `full_service`."""
    found = repository.get_organization(organization_id) if is_uuid(organization_id) else None
    if found is None:
        return not_found("organization")
    full = _flag("full_service")
    services_ = repository.full_services(repository.organization_service_ids(found.id))
    names = serialise.taxonomy_names()
    data = serialise.organization_json(found)
    data["services"] = [serialise.service_full(s, names) if full else serialise.service_summary(s) for s in services_]
    _last_modified(found.last_modified, *(s.last_modified for s in services_))
    return jsonify(data)


@bp.get("/oruk/locations")
def locations():
    page, per_page = _paging()
    found, total = repository.locations_page(page, per_page)
    return jsonify(page_json([serialise.location_json(location) for location in found], total, page, per_page))


@bp.get("/oruk/locations/<location_id>")
def location(location_id: str):
    found = repository.get_location(location_id) if is_uuid(location_id) else None
    if found is None:
        return not_found("location")
    return jsonify(serialise.location_json(found))


def _matching(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Taxonomies or terms whose name, description or code holds the `search` words (any case)."""
    text = _search_text().casefold()
    if not text:
        return items
    words = text.split()

    def holds(item: dict[str, Any]) -> bool:
        found = " ".join(str(item.get(key, "")) for key in ("name", "description", "term")).casefold()
        return all(word in found for word in words)

    return [item for item in items if holds(item)]


def _stored_then_fixed(stored_page, fixed: list[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of stored rows (paged in SQL by `stored_page(page, per_page)`) followed by Signpost's fixed
    vocabulary (a few dozen, in code), and how many there are in all."""
    start = (page - 1) * per_page
    stored, stored_total = stored_page(page, per_page)
    if len(stored) < per_page:
        fixed_start = max(0, start - stored_total)
        stored = [*stored, *fixed[fixed_start : fixed_start + per_page - len(stored)]]
    return stored, stored_total + len(fixed)


@bp.get("/oruk/taxonomies")
def taxonomies():
    page, per_page = _paging()
    if _search_text():  # matched on the words each publishes (a vocabulary is small)
        everything = _matching(serialise.all_taxonomies())
        return jsonify(page_json(page_of(everything, page, per_page), len(everything), page, per_page))
    chosen, total = _stored_then_fixed(repository.taxonomies_page, list(TAXONOMIES), page, per_page)
    return jsonify(page_json([serialise.taxonomy_json(t) for t in chosen], total, page, per_page))


@bp.get("/oruk/taxonomies/<taxonomy_id>")
def taxonomy(taxonomy_id: str):
    found = TAXONOMIES_BY_ID.get(taxonomy_id) or (
        repository.get_taxonomy(taxonomy_id) if is_uuid(taxonomy_id) else None
    )
    if found is None:
        return not_found("taxonomy")
    data = serialise.taxonomy_json(found)
    data["taxonomy_terms"] = _terms(taxonomy_id)
    return jsonify(data)


def _terms(taxonomy_id: str | None) -> list[dict[str, Any]]:
    names = serialise.taxonomy_names()
    stored = [] if taxonomy_id in TAXONOMIES_BY_ID else repository.taxonomy_terms(taxonomy_id)
    fixed = [term for term in TERMS if taxonomy_id in (None, term.taxonomy.id)]
    return [serialise.term_json(term, names) for term in [*stored, *fixed]]


@bp.get("/oruk/taxonomy_terms")
def taxonomy_terms():
    page, per_page = _paging()
    taxonomy_id = _uuid("taxonomy_id")
    if _search_text():  # matched on the words each publishes (a vocabulary is small)
        everything = _matching(_terms(taxonomy_id))
        return jsonify(page_json(page_of(everything, page, per_page), len(everything), page, per_page))
    fixed = [term for term in TERMS if taxonomy_id in (None, term.taxonomy.id)]
    if taxonomy_id in TAXONOMIES_BY_ID:
        chosen, total = page_of(fixed, page, per_page), len(fixed)
    else:
        stored = functools.partial(repository.taxonomy_terms_page, taxonomy_id)
        chosen, total = _stored_then_fixed(stored, fixed, page, per_page)
    names = serialise.taxonomy_names()
    return jsonify(page_json([serialise.term_json(term, names) for term in chosen], total, page, per_page))


@bp.get("/oruk/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str):
    found = TERMS_BY_ID.get(term_id) or (repository.get_taxonomy_term(term_id) if is_uuid(term_id) else None)
    if found is None:
        return not_found("taxonomy term")
    return jsonify(serialise.term_json(found, serialise.taxonomy_names()))


@bp.route("/oruk/<path:anything>", methods=["GET", *OTHER_METHODS])
def unknown(anything: str):
    return error_response(404, "not_found", "There is nothing at this address. See /api/openapi.json.")


def wrong_method(**_ids: str):
    """This API only reads: any other method gets a JSON 405 saying which methods it takes."""
    response, status = error_response(
        405, "method_not_allowed", f"{request.method} is not allowed here; this API only reads."
    )
    response.headers["Allow"] = ", ".join(READ_METHODS)
    return response, status


READ_RULES = (
    "/oruk/",
    "/oruk/services",
    "/oruk/services/<service_id>",
    "/oruk/service_at_locations",
    "/oruk/service_at_locations/<sal_id>",
    "/oruk/organizations",
    "/oruk/organizations/<organization_id>",
    "/oruk/locations",
    "/oruk/locations/<location_id>",
    "/oruk/taxonomies",
    "/oruk/taxonomies/<taxonomy_id>",
    "/oruk/taxonomy_terms",
    "/oruk/taxonomy_terms/<term_id>",
)
for _position, _rule in enumerate(READ_RULES):
    bp.add_url_rule(_rule, f"wrong_method_{_position}", wrong_method, methods=OTHER_METHODS)
