"""The OpenAPI 3 document for Signpost's whole JSON API: the ORUK 3.0 read API and /api/v1.

Served at /api/openapi.json and used by the tests to fuzz the API (schemathesis), so it must say
exactly what the endpoints accept and return. The response schemas here are Signpost's own,
deliberately close to the official ORUK ones, which the tests also check responses against.
"""

from __future__ import annotations

import functools
from typing import Any

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _string(**extra: Any) -> dict[str, Any]:
    return {"type": "string", **extra}


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


UUID = _string(format="uuid")
ERROR = _json("The request could not be answered; `message` says why.", _ref("Error"))

PARAMETERS = {
    "search": _query(
        "search", "Words to search for, as on the search page (synonyms, typo correction).", _string(maxLength=200)
    ),
    "page": _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
    "per_page": _query(
        "per_page", "Results per page (default 20, at most 1,000).", {"type": "integer", "minimum": 1, "maximum": 1000}
    ),
    "taxonomy_term_id": _query(
        "taxonomy_term_id",
        "Only services with this taxonomy term (see /taxonomy_terms). Several, repeated or separated by commas: "
        "services with any of the stored terms (each of Signpost's fixed access terms given must hold).",
        _string(pattern=r"^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*$"),
    ),
    "organization_id": _query("organization_id", "Only services this organisation provides.", UUID),
    "modified_after": _query(
        "modified_after",
        "Only services changed at or after this date-time (RFC 3339, such as 2026-05-31T10:00:00Z).",
        _string(format="date-time"),
    ),
    "full": _query("full", "Fully nested services instead of their one-to-one fields.", {"type": "boolean"}),
    "minimal": _query("minimal", "Only each service's id, name, status and last_modified.", {"type": "boolean"}),
    "full_service": _query(
        "full_service",
        "The organisation's services fully nested instead of their one-to-one fields.",
        {"type": "boolean"},
    ),
    "search_vocabulary": _query(
        "search", "Only those whose name, description or code holds every one of these words.", _string(maxLength=200)
    ),
    "taxonomy_id": _query("taxonomy_id", "Only services with a term from this taxonomy.", UUID),
    "minimum_age": _query(
        "minimum_age",
        "Only services whose minimum age is at least this.",
        {"type": "number", "minimum": 0, "maximum": 150},
    ),
    "maximum_age": _query(
        "maximum_age",
        "Only services whose maximum age is at most this.",
        {"type": "number", "minimum": 0, "maximum": 150},
    ),
    "day": _query(
        "day", "Only services open on this day (RRULE day code; day names are accepted too).", _string(enum=DAY_CODES)
    ),
    "start_time": _query(
        "start_time",
        "Only services with opening hours (on `day`, if given) starting at or after this time.",
        _string(pattern=TIME_PATTERN),
    ),
    "end_time": _query(
        "end_time",
        "Only services with opening hours (on `day`, if given) ending at or before this time.",
        _string(pattern=TIME_PATTERN),
    ),
    "postcode": _query(
        "postcode", "Extension: a UK postcode or outcode; results are ordered nearest first.", _string(maxLength=10)
    ),
    "proximity": _query(
        "proximity",
        "Extension: only results within this many metres of `postcode`.",
        {"type": "number", "minimum": 1, "maximum": 200_000},
    ),
    "taxonomy_id_terms": _query("taxonomy_id", "Only terms of this taxonomy.", UUID),
}
SEARCH_PARAMETERS = [
    "search",
    "taxonomy_term_id",
    "organization_id",
    "modified_after",
    "taxonomy_id",
    "minimum_age",
    "maximum_age",
    "day",
    "start_time",
    "end_time",
    "postcode",
    "proximity",
    "page",
    "per_page",
]

TERM = _obj(
    ["id", "name", "description"],
    id=UUID,
    name=_string(),
    description=_string(),
    parent_id=UUID,
    taxonomy=_string(),
    taxonomy_id=UUID,
    term=_string(),
)
ATTRIBUTE = _obj(
    ["id", "link_id", "taxonomy_term_id", "taxonomy_term"],
    id=UUID,
    link_id=UUID,
    link_type=_string(),
    link_entity=_string(),
    taxonomy_term_id=UUID,
    taxonomy_term=_ref("TaxonomyTerm"),
)
ORGANIZATION = _obj(
    ["id", "name", "description"],
    id=UUID,
    name=_string(),
    description=_string(),
    email=_string(),
    website=_string(),
    attributes=_array(_ref("Attribute")),
)
ADDRESS = _obj(
    ["address_1", "city", "state_province", "postal_code", "country", "address_type"],
    id=UUID,
    location_id=UUID,
    address_1=_string(),
    city=_string(),
    region=_string(),
    state_province=_string(),
    postal_code=_string(),
    country=_string(),
    address_type=_string(enum=["physical", "postal", "virtual"]),
)
LOCATION = _obj(
    ["id", "location_type"],
    id=UUID,
    location_type=_string(enum=["physical", "postal", "virtual"]),
    name=_string(),
    latitude={"type": "number"},
    longitude={"type": "number"},
    addresses=_array(ADDRESS),
)
SERVICE_FIELDS = {
    "id": UUID,
    "organization_id": UUID,
    "name": _string(),
    "description": _string(),
    "url": _string(),
    "email": _string(),
    "status": _string(enum=["active", "inactive", "defunct", "temporarily closed"]),
    "eligibility_description": _string(),
    "application_process": _string(),
    "fees_description": _string(),
    "minimum_age": {"type": "number"},
    "maximum_age": {"type": "number"},
    "assured_date": _string(format="date"),
    "last_modified": _string(format="date-time"),
    "organization": _ref("Organization"),
}
CHILD = {"id": UUID, "service_id": UUID}
SERVICE_CHILDREN = {
    "phones": _array(_obj(["id", "number"], **CHILD, number=_string(), description=_string())),
    "schedules": _array(
        _obj(
            ["id"],
            **CHILD,
            freq=_string(enum=["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
            interval={"type": "integer", "minimum": 1},
            byday=_string(description="RFC 5545 BYDAY, ordinals allowed: MO,WE or 2WE or -1FR"),
            bymonthday=_string(),
            dtstart=_string(),
            until=_string(),
            count={"type": "integer", "minimum": 1},
            valid_from=_string(),
            valid_to=_string(),
            opens_at=_string(),
            closes_at=_string(),
            description=_string(),
            notes=_string(),
            attending_type=_string(),
        )
    ),
    "service_areas": _array(_obj(["id"], **CHILD, name=_string())),
    "languages": _array(_obj(["id"], **CHILD, name=_string(), code=_string())),
    "cost_options": _array(
        _obj(["id"], **CHILD, amount={"type": "number"}, currency=_string(), amount_description=_string())
    ),
    "contacts": _array(_obj(["id"], **CHILD, name=_string(), title=_string(), email=_string())),
    "attributes": _array(_ref("Attribute")),
}
SERVICE_AT_LOCATION_FIELDS = {"id": UUID, "service_id": UUID, "location_id": UUID, "location": _ref("Location")}
PAGE_FIELDS = {
    "total_items": {"type": "integer", "minimum": 0},
    "total_pages": {"type": "integer", "minimum": 0},
    "page_number": {"type": "integer", "minimum": 1},
    "size": {"type": "integer", "minimum": 0},
    "first_page": {"type": "boolean"},
    "last_page": {"type": "boolean"},
    "empty": {"type": "boolean"},
}
NULLABLE_NUMBER = {"type": "number", "nullable": True}
INDICATOR = _obj(
    ["id", "numerator", "denominator", "value", "ci95", "baseline", "target", "suppressed"],
    id=_string(),
    numerator={"type": "integer", "nullable": True},
    denominator={"type": "integer", "nullable": True},
    value=NULLABLE_NUMBER,
    ci95={"type": "array", "nullable": True, "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
    baseline=NULLABLE_NUMBER,
    target=NULLABLE_NUMBER,
    suppressed={"type": "boolean"},
)


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [*PAGE_FIELDS, "contents"],
        "properties": {**PAGE_FIELDS, "contents": _array(_ref(item))},
    }


def schemas() -> dict[str, Any]:
    service_summary = _obj(["id", "name", "status"], **SERVICE_FIELDS)
    service_full = _obj(
        ["id", "name", "status"],
        **SERVICE_FIELDS,
        **SERVICE_CHILDREN,
        service_at_locations=_array(_obj(["id"], **SERVICE_AT_LOCATION_FIELDS)),
    )
    return {
        "Error": _obj(
            ["status", "error", "message"],
            status={"type": "integer"},
            error=_string(),
            message=_string(),
            parameter=_string(),
        ),
        "ApiDetails": _obj(
            ["version", "profile", "openapi_url"], version=_string(), profile=_string(), openapi_url=_string()
        ),
        "TaxonomyTerm": TERM,
        "Taxonomy": _obj(
            ["id", "name", "description"],
            id=UUID,
            name=_string(),
            description=_string(),
            version=_string(),
            taxonomy_terms=_array(_ref("TaxonomyTerm")),
        ),
        "Attribute": ATTRIBUTE,
        "Organization": ORGANIZATION,
        "Location": LOCATION,
        "ServiceSummary": service_summary,
        "Service": service_full,
        "ServiceAtLocationSummary": _obj(["id"], **SERVICE_AT_LOCATION_FIELDS, service=_ref("ServiceSummary")),
        "ServiceAtLocation": _obj(
            ["id", "name", "status"],
            **SERVICE_AT_LOCATION_FIELDS,
            name=_string(description="The service's name (the published ORUK 3.0 checks this against a service)."),
            status=SERVICE_FIELDS["status"],
            service=_obj(["id", "name", "status"], **SERVICE_FIELDS, **SERVICE_CHILDREN),
        ),
        "OrganizationWithServices": _obj(
            ["id", "name", "description", "services"],
            **ORGANIZATION["properties"],
            services=_array(_ref("ServiceSummary")),
        ),
        "OrganizationPage": _page("Organization"),
        "LocationPage": _page("Location"),
        "ServicePage": _page("ServiceSummary"),
        "ServiceAtLocationPage": _page("ServiceAtLocationSummary"),
        "TaxonomyPage": _page("Taxonomy"),
        "TaxonomyTermPage": _page("TaxonomyTerm"),
        "Indicator": INDICATOR,
        "Indicators": _obj(["indicators"], indicators=_array(_ref("Indicator"))),
    }


def _get(summary: str, parameters: list[dict[str, Any]], ok: dict[str, Any], *codes: int) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": ok}
    for code in codes:
        responses[str(code)] = ERROR
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def _params(*names: str) -> list[dict[str, Any]]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in names]


def _by_id(summary: str, what: str, schema: str, *parameters: str) -> dict[str, Any]:
    path_id = {"name": "id", "in": "path", "required": True, "description": f"The {what}'s id.", "schema": UUID}
    codes = (400, 404) if parameters else (404,)
    return _get(summary, [path_id, *_params(*parameters)], _json(f"The {what}.", _ref(schema)), *codes)


@functools.cache
def query_parameters(path: str) -> frozenset[str]:
    """The query parameters the document gives for this path (none for a path it does not describe)."""
    operation = paths().get(path, {}).get("get", {})
    names = set()
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = PARAMETERS[parameter["$ref"].rsplit("/", 1)[-1]]
        if parameter["in"] == "query":
            names.add(parameter["name"])
    return frozenset(names)


def paths() -> dict[str, Any]:
    return {
        "/api/oruk/": _get("About this API and its ORUK profile", [], _json("API details.", _ref("ApiDetails"))),
        "/api/oruk/services": _get(
            "Search services (one-to-one fields)",
            _params(*SEARCH_PARAMETERS, "full", "minimal"),
            _json("A page of services, best match first.", _ref("ServicePage")),
            400,
        ),
        "/api/oruk/services/{id}": _by_id("A fully nested service", "service", "Service"),
        "/api/oruk/service_at_locations": _get(
            "Search services at locations",
            _params(*SEARCH_PARAMETERS),
            _json("A page of services at locations.", _ref("ServiceAtLocationPage")),
            400,
        ),
        "/api/oruk/service_at_locations/{id}": _by_id(
            "A service at a location, with its fully nested service", "service at location", "ServiceAtLocation"
        ),
        "/api/oruk/organizations": _get(
            "Organisations",
            _params("page", "per_page"),
            _json("A page of organisations.", _ref("OrganizationPage")),
            400,
        ),
        "/api/oruk/organizations/{id}": _by_id(
            "An organisation with its services", "organization", "OrganizationWithServices", "full_service"
        ),
        "/api/oruk/locations": _get(
            "Locations", _params("page", "per_page"), _json("A page of locations.", _ref("LocationPage")), 400
        ),
        "/api/oruk/locations/{id}": _by_id("A location", "location", "Location"),
        "/api/oruk/taxonomies": _get(
            "Taxonomies",
            _params("search_vocabulary", "page", "per_page"),
            _json("A page of taxonomies.", _ref("TaxonomyPage")),
            400,
        ),
        "/api/oruk/taxonomies/{id}": _by_id("A taxonomy with its terms", "taxonomy", "Taxonomy"),
        "/api/oruk/taxonomy_terms": _get(
            "Taxonomy terms",
            _params("taxonomy_id_terms", "search_vocabulary", "page", "per_page"),
            _json("A page of taxonomy terms.", _ref("TaxonomyTermPage")),
            400,
        ),
        "/api/oruk/taxonomy_terms/{id}": _by_id("A taxonomy term", "taxonomy term", "TaxonomyTerm"),
        "/api/v1/indicators": _get(
            "Your Views survey indicators",
            [
                _query("from", "First day of the period (YYYY-MM-DD).", _string(format="date")),
                _query("to", "Last day of the period (YYYY-MM-DD).", _string(format="date")),
                _query("district", "Only responses from this Hertfordshire district.", _string()),
            ],
            _json(
                "Each indicator: % positive with its numerator, denominator and Wilson 95% interval; "
                "small counts are suppressed (numbers null, `suppressed` true).",
                _ref("Indicators"),
            ),
            400,
        ),
        **ASK_PATHS,
    }


# ---- "Ask us" JSON API (signpost/ask/api.py), kept in this one block ----------------------------------------
_ASK_KINDS = ["urgent", "answer", "clarify", "unsure"]
_ASK_URGENT = ["emergency", "suicide", "harm", "abuse"]
ASK_PATHS: dict[str, Any] = {
    "/api/v1/ask": {
        "post": {
            "summary": "Ask us: what a resident's message needs, urgent help first",
            "description": (
                "Stateless. `kind` is `urgent` when any risk is found (then `urgent` names the rule, `contacts` "
                "the numbers to call first, and `intent` still carries the need), `answer` for one clear need, "
                "`clarify` or `unsure` with 2-4 `options` to choose from. `services` are directory service ids "
                "nearest `postcode` that cover it. `helpline` is the number to talk to a person, with `tel` a "
                "`tel:` URI to dial; each contact has its `tel` too. Rate limited like the page."
            ),
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "message": _string(minLength=1, maxLength=500, pattern=r"\S"),
                                "postcode": _string(description="A UK postcode or outcode, like SG1 1AA"),
                                "lang": _string(enum=["en", "pl", "ro", "ur", "pa", "pt", "ar"]),
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": _json(
                    "What the message was understood to need.",
                    _obj(
                        [
                            "kind",
                            "urgent",
                            "intent",
                            "options",
                            "guide",
                            "categories",
                            "services",
                            "contacts",
                            "helpline",
                        ],
                        kind=_string(enum=_ASK_KINDS),
                        urgent={"type": "string", "enum": _ASK_URGENT, "nullable": True},
                        intent={"type": "string", "nullable": True},
                        options=_array(_string()),
                        guide={"type": "string", "nullable": True},
                        categories=_array(_string()),
                        services=_array(_string()),
                        contacts=_array(_obj(["name", "phone", "tel"], name=_string(), phone=_string(), tel=_string())),
                        helpline=_obj(["name", "phone", "tel"], name=_string(), phone=_string(), tel=_string()),
                    ),
                ),
                "400": _json(
                    "One message per bad field.",
                    _obj(["errors"], errors={"type": "object", "additionalProperties": _string()}),
                ),
                "429": {"description": "Too many requests; try again in a minute."},
            },
        }
    }
}
# ---- end of "Ask us" -----------------------------------------------------------------------------------------


def openapi_document(server_url: str = "") -> dict[str, Any]:
    """The whole document; `server_url` is where this copy of Signpost answers."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Signpost API",
            "version": "1.0.0",
            "description": (
                "Hertfordshire's directory of local services as Open Referral UK 3.0 (HSDS-UK-3.0), open to "
                "everyone without a key, and the Your Views survey indicators. Organisation type, how a service is "
                "offered, referral and whether it is free are published as attributes linking to the fixed "
                "taxonomies 'Organisation type' and 'Signpost access' (see /api/oruk/taxonomies)."
            ),
        },
        "servers": [{"url": server_url or "/"}],
        "paths": paths(),
        "components": {"schemas": schemas(), "parameters": PARAMETERS},
    }
