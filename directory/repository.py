"""The one place the directory talks to the database."""

from __future__ import annotations

import functools
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CTE,
    Float,
    Select,
    and_,
    bindparam,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import selectinload

from directory.listing_rows import CHILD_ATTRIBUTES, ListingRows, Row, RowWrites
from directory.models import (
    DirectoryMeta,
    ImportRun,
    Location,
    Organization,
    Phone,
    ProblemReport,
    Schedule,
    SearchDocument,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTaxonomyTerm,
    ServiceVersion,
    Taxonomy,
    TaxonomyTerm,
)
from directory.search.backends import backend_for
from directory.search.query import ParsedQuery
from directory.search.ranking import Origin, d2_from_miles, ranked_page
from signpost.platform.extensions import db

INDEX_VERSION_KEY = "search_index_version"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Filters:
    """Narrowing a search; None means "any"."""

    category: str | None = None
    district: str | None = None
    free_only: bool = False
    age: int | None = None
    day: str | None = None
    delivery: str | None = None  # in_person, phone or online
    # Open Referral API filters (all optional, so existing callers are unaffected).
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_type: str | None = None  # voluntary, statutory or private
    referral: str | None = None  # self, professional or either
    minimum_age: float | None = None  # the service's minimum age is at least this
    maximum_age: float | None = None  # the service's maximum age is at most this
    opens_from: str | None = None  # "HH:MM": a schedule (on `day`, if given) opens at or after this
    closes_by: str | None = None  # "HH:MM": a schedule (on `day`, if given) closes at or before this
    taxonomy_term_ids: tuple[str, ...] | None = None  # services linked to any of these stored terms
    organization_id: str | None = None
    modified_after: datetime | None = None  # (UTC) services changed at or after this


# --- search ---------------------------------------------------------------------------------------


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def database_key() -> str:
    """Which database this session reads, for caches that must not mix two databases."""
    return str(db.session.get_bind().engine.url)


def index_version() -> str:
    return db.session.scalar(select(DirectoryMeta.value).where(DirectoryMeta.key == INDEX_VERSION_KEY)) or ""


_local_index_changes = itertools.count()
index_changes_here = 0  # bumped by this process; lets its own lexicon cache notice at once


def bump_index_version() -> None:
    """Mark the search vocabulary stale; a random token, so a rolled-back change can never collide."""
    global index_changes_here
    index_changes_here = next(_local_index_changes) + 1
    row = db.session.get(DirectoryMeta, INDEX_VERSION_KEY)
    token = uuid.uuid4().hex
    if row is None:
        db.session.add(DirectoryMeta(key=INDEX_VERSION_KEY, value=token))
    else:
        row.value = token


def vocabulary_texts() -> list[str]:
    """Service names and category names: the words typo correction may correct towards."""
    names = db.session.scalars(select(Service.name).where(Service.status == ServiceStatus.ACTIVE).distinct())
    terms = db.session.scalars(select(TaxonomyTerm.name))
    return [*names, *terms]


def term_exists(word: str) -> bool:
    backend = backend_for(dialect_name())
    clause = backend.term_exists_clause().bindparams(term=backend.term_parameter(word))
    return db.session.execute(clause).first() is not None


@dataclass(frozen=True)
class _SearchShape:
    """What decides the form of a search statement (its values travel as bound parameters), so each
    form is built once per process and reused: building SQLAlchemy expressions costs more than a
    small search does."""

    dialect: str
    keyword: bool
    near: bool
    within: bool
    filters: frozenset[str]  # the Filters fields in use
    delivery: str | None


DELIVERY_COLUMNS = {
    "in_person": SearchDocument.in_person,
    "phone": SearchDocument.by_phone,
    "online": SearchDocument.online,
}


def _filters_in_use(filters: Filters) -> tuple[frozenset[str], dict[str, Any]]:
    """The filters set, and the bound values of those compared with a value (free_only and delivery
    change the statement's form instead)."""
    used = {name for name, value in vars(filters).items() if value is not None and value is not False and value != ""}
    if filters.day not in DAY_CODES:
        used.discard("day")
    if filters.delivery not in DELIVERY_COLUMNS:
        used.discard("delivery")
    values = {f"filter_{name}": getattr(filters, name) for name in used - {"free_only", "delivery"}}
    return frozenset(used), values


def _param(name: str):
    return bindparam(f"filter_{name}")


def _service_conditions(used: frozenset[str]) -> list:
    """The Open Referral filters the search row does not answer; a search joins the service table for them."""
    conditions = []
    if "organization_type" in used:
        conditions.append(
            exists()
            .where(Organization.id == Service.organization_id)
            .where(Organization.organization_type == _param("organization_type"))
        )
    if "referral" in used:
        conditions.append(Service.referral == _param("referral"))
    if "organization_id" in used:
        conditions.append(Service.organization_id == _param("organization_id"))
    if "modified_after" in used:
        conditions.append(Service.last_modified >= _param("modified_after"))
    return conditions


def _fact_conditions(used: frozenset[str], delivery: str | None) -> list:
    """Filters the search row answers by itself."""
    doc = SearchDocument
    conditions = [doc.active.is_(True)]
    if "free_only" in used:
        conditions.append(doc.is_free.is_(True))
    if "age" in used:
        conditions.append(or_(doc.minimum_age.is_(None), doc.minimum_age <= _param("age")))
        conditions.append(or_(doc.maximum_age.is_(None), doc.maximum_age >= _param("age")))
    if "delivery" in used:
        conditions.append(DELIVERY_COLUMNS[delivery].is_(True))
    if "minimum_age" in used:
        conditions.append(doc.minimum_age >= _param("minimum_age"))
    if "maximum_age" in used:
        conditions.append(doc.maximum_age <= _param("maximum_age"))
    return conditions


def _document_conditions(used: frozenset[str], delivery: str | None) -> list:
    """Filters answered from the search row and the service's categories, areas and opening times."""
    conditions = _fact_conditions(used, delivery)
    service_id = SearchDocument.service_id
    # IN rather than EXISTS for categories, so each database can start from the category's services
    # instead of testing every listing.
    if "category" in used:
        conditions.append(
            service_id.in_(
                select(ServiceTaxonomyTerm.service_id)
                .join(TaxonomyTerm, TaxonomyTerm.id == ServiceTaxonomyTerm.taxonomy_term_id)
                .where(TaxonomyTerm.code == _param("category"))
            )
        )
    if "district" in used:
        conditions.append(
            or_(
                SearchDocument.countywide.is_(True),
                exists().where(ServiceArea.service_id == service_id).where(ServiceArea.name == _param("district")),
            )
        )
    if "day" in used:
        conditions.append(
            exists().where(Schedule.service_id == service_id).where(Schedule.byday.contains(_param("day")))
        )
    if "taxonomy_term_id" in used:
        conditions.append(
            service_id.in_(
                select(ServiceTaxonomyTerm.service_id).where(
                    ServiceTaxonomyTerm.taxonomy_term_id == _param("taxonomy_term_id")
                )
            )
        )
    if "taxonomy_term_ids" in used:
        conditions.append(
            service_id.in_(
                select(ServiceTaxonomyTerm.service_id).where(
                    ServiceTaxonomyTerm.taxonomy_term_id.in_(bindparam("filter_taxonomy_term_ids", expanding=True))
                )
            )
        )
    if "taxonomy_id" in used:
        conditions.append(
            service_id.in_(
                select(ServiceTaxonomyTerm.service_id)
                .join(TaxonomyTerm, TaxonomyTerm.id == ServiceTaxonomyTerm.taxonomy_term_id)
                .where(TaxonomyTerm.taxonomy_id == _param("taxonomy_id"))
            )
        )
    if "opens_from" in used or "closes_by" in used:
        schedule = exists().where(Schedule.service_id == service_id)
        if "day" in used:
            schedule = schedule.where(Schedule.byday.contains(_param("day")))
        if "opens_from" in used:
            schedule = schedule.where(Schedule.opens_at >= _param("opens_from"))
        if "closes_by" in used:
            schedule = schedule.where(Schedule.closes_at <= _param("closes_by"))
        conditions.append(schedule)
    return conditions


def _candidates(shape: _SearchShape) -> CTE:
    """What `ranking.ranked_page` needs about each matching service: one row per service, read from
    its search row (plus the service table only when a filter needs it)."""
    doc = SearchDocument
    if shape.near:
        latitude, longitude, scale = bindparam("origin_latitude"), bindparam("origin_longitude"), bindparam("scale")

        def d2(lat, lon):
            d_lat = lat - latitude
            d_lon = (lon - longitude) * scale
            return d_lat * d_lat + d_lon * d_lon

        nearest_of_several = (
            select(func.min(d2(Location.latitude, Location.longitude)))
            .select_from(ServiceAtLocation)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id == doc.service_id, Location.latitude.is_not(None))
            .scalar_subquery()
        )
        nearest = case(
            (doc.location_count == 1, d2(doc.latitude, doc.longitude)),
            (doc.location_count > 1, nearest_of_several),
            else_=null(),
        )
        serves = (
            exists().where(ServiceArea.service_id == doc.service_id).where(ServiceArea.name == bindparam("district"))
        )
        reaches = or_(doc.countywide.is_(True), and_(or_(doc.by_phone, doc.online), serves))
    else:
        nearest = null()
        reaches = false()

    if shape.keyword:
        stmt = backend_for(shape.dialect).scored_documents()
    else:
        stmt = select(literal(0.0, Float).label("score")).select_from(doc)
    stmt = stmt.add_columns(
        doc.service_id.label("service_id"),
        doc.service_name.label("name"),
        nearest.label("nearest_d2"),
        reaches.label("reaches"),
    ).where(*_document_conditions(shape.filters, shape.delivery))
    if service_conditions := _service_conditions(shape.filters):
        stmt = stmt.join(Service, Service.id == doc.service_id).where(*service_conditions)
    # MATERIALIZED: computed once per service, not again for each use in the ranking expressions.
    return stmt.cte("candidates").prefix_with("MATERIALIZED")


@functools.cache
def _search_statements(shape: _SearchShape) -> tuple[Select, Select]:
    """The page query and, for a page past the end, the count query, for one shape of search."""
    candidates = _candidates(shape)
    within_d2 = bindparam("within_d2") if shape.within else None
    page = ranked_page(candidates, shape.near, shape.keyword, within_d2, bindparam("limit"), bindparam("offset"))
    unpaged = ranked_page(candidates, shape.near, shape.keyword, within_d2, None, 0).subquery()
    counts = select(
        select(func.count()).select_from(unpaged).scalar_subquery().label("total"),
        select(func.count()).select_from(candidates).scalar_subquery().label("matched"),
    )
    return page, counts


@dataclass(frozen=True)
class SearchPage:
    hits: list[tuple[str, float | None]]  # (service id, squared scaled-degree distance to its nearest location)
    total: int  # services to page through (within the distance asked for)
    matched: int  # services that matched, at any distance


def search_page(
    query: ParsedQuery | None,
    filters: Filters,
    origin: Origin | None,
    *,
    within_miles: float | None = None,
    limit: int,
    offset: int = 0,
    any_concept: bool = False,
) -> SearchPage:
    """One page of matching services in ranking order; the database does the sorting."""
    dialect = dialect_name()
    keyword = query is not None and not query.is_empty
    used, params = _filters_in_use(filters)
    within = origin is not None and within_miles is not None
    shape = _SearchShape(dialect, keyword, origin is not None, within, used, filters.delivery)
    if keyword:
        params["text_query"] = backend_for(dialect).expression(query, any_concept)
    if origin is not None:
        params |= {
            "origin_latitude": origin.latitude,
            "origin_longitude": origin.longitude,
            "scale": origin.longitude_scale,
            "district": origin.district or "",
        }
    if within:
        params["within_d2"] = d2_from_miles(within_miles)
    page, counts = _search_statements(shape)
    rows = db.session.execute(page, params | {"limit": limit, "offset": offset}).all()
    if rows:
        return SearchPage([(row.service_id, row.nearest_d2) for row in rows], rows[0].total, rows[0].matched)
    total, matched = db.session.execute(counts, params).one()
    return SearchPage([], total, matched)


def active_service_ids() -> list[str]:
    return list(
        db.session.scalars(select(Service.id).where(Service.status == ServiceStatus.ACTIVE).order_by(Service.id))
    )


# --- reading services -----------------------------------------------------------------------------

_SUMMARY_LOADS = (
    selectinload(Service.organization),
    selectinload(Service.phones),
    selectinload(Service.taxonomy_terms),
    selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
    selectinload(Service.service_areas),  # a result says which area it covers
)


def services_by_ids(ids: Sequence[str]) -> list[Service]:
    """Services in the order of `ids`, with what a results list shows."""
    if not ids:
        return []
    found = {s.id: s for s in db.session.scalars(select(Service).where(Service.id.in_(ids)).options(*_SUMMARY_LOADS))}
    return [found[i] for i in ids if i in found]


def get_service(service_id: str) -> Service | None:
    return db.session.scalars(
        select(Service)
        .where(Service.id == service_id, Service.status != ServiceStatus.ARCHIVED)
        .options(
            *_SUMMARY_LOADS,
            selectinload(Service.schedules),
            selectinload(Service.cost_options),
            selectinload(Service.languages),
            selectinload(Service.contacts),
        )
    ).first()


_FULL_LOADS = (
    *_SUMMARY_LOADS,
    selectinload(Service.schedules),
    selectinload(Service.cost_options),
    selectinload(Service.languages),
    selectinload(Service.contacts),
    selectinload(Service.service_areas),
)


def full_services(ids: Sequence[str]) -> list[Service]:
    """Services (any status) in the order of `ids`, with everything a fully nested record holds."""
    if not ids:
        return []
    found = {s.id: s for s in db.session.scalars(select(Service).where(Service.id.in_(ids)).options(*_FULL_LOADS))}
    return [found[i] for i in ids if i in found]


def exportable_service_ids() -> list[str]:
    """Every listing that is not archived, by id: what an export or a full feed publishes."""
    return list(
        db.session.scalars(select(Service.id).where(Service.status != ServiceStatus.ARCHIVED).order_by(Service.id))
    )


def service_locations(service_ids: Sequence[str]) -> list[tuple[str, str, float | None, float | None]]:
    """(service_at_location id, service id, latitude, longitude) for these services' locations."""
    if not service_ids:
        return []
    rows = db.session.execute(
        select(ServiceAtLocation.id, ServiceAtLocation.service_id, Location.latitude, Location.longitude)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(list(service_ids)))
        .order_by(ServiceAtLocation.id)
    )
    return [tuple(row) for row in rows]


def service_at_locations_by_ids(
    ids: Sequence[str], include_inactive: bool = False, full: bool = True
) -> list[ServiceAtLocation]:
    """Service-at-locations in the order of `ids`, each with its location and its service, fully loaded
    (`full`) or with what a list shows."""
    if not ids:
        return []
    statuses = (ServiceStatus.ACTIVE, ServiceStatus.INACTIVE) if include_inactive else (ServiceStatus.ACTIVE,)
    rows = db.session.scalars(
        select(ServiceAtLocation)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .where(ServiceAtLocation.id.in_(list(ids)), Service.status.in_(statuses))
        .options(
            selectinload(ServiceAtLocation.location),
            selectinload(ServiceAtLocation.service).selectinload(Service.organization),
            *((selectinload(ServiceAtLocation.service).options(load) for load in _FULL_LOADS[1:]) if full else ()),
        )
    )
    found = {sal.id: sal for sal in rows}
    return [found[i] for i in ids if i in found]


def _page_of(stmt: Select, page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of a query's rows (in SQL) and how many rows it has in all."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page))), total


def organizations_page(page: int, per_page: int) -> tuple[list[Organization], int]:
    """Organisations by name, with a page of them in SQL."""
    return _page_of(select(Organization).order_by(Organization.name, Organization.id), page, per_page)


def organization_service_ids(organization_id: str) -> list[str]:
    """The ids of an organisation's listings that are not archived, by name."""
    stmt = select(Service.id).where(Service.organization_id == organization_id)
    stmt = stmt.where(Service.status != ServiceStatus.ARCHIVED).order_by(Service.name, Service.id)
    return list(db.session.scalars(stmt))


def locations_page(page: int, per_page: int) -> tuple[list[Location], int]:
    """Locations by name, with a page of them in SQL."""
    return _page_of(select(Location).order_by(Location.name, Location.id), page, per_page)


def get_location(location_id: str) -> Location | None:
    return db.session.get(Location, location_id)


def active_service_at_location_page(page: int, per_page: int) -> tuple[list[str], int]:
    """The ids of one page of the active listings' service-at-locations, by service name, in SQL."""
    stmt = (
        select(ServiceAtLocation.id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .where(Service.status == ServiceStatus.ACTIVE)
        .order_by(Service.name, Service.id, ServiceAtLocation.id)
    )
    return _page_of(stmt, page, per_page)


def taxonomies() -> list[Taxonomy]:
    return list(db.session.scalars(select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id)))


def taxonomy_terms(taxonomy_id: str | None = None) -> list[TaxonomyTerm]:
    stmt = select(TaxonomyTerm).order_by(TaxonomyTerm.name, TaxonomyTerm.id)
    if taxonomy_id:
        stmt = stmt.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    return list(db.session.scalars(stmt))


def get_taxonomy(taxonomy_id: str) -> Taxonomy | None:
    return db.session.get(Taxonomy, taxonomy_id)


def get_taxonomy_term(term_id: str) -> TaxonomyTerm | None:
    return db.session.get(TaxonomyTerm, term_id)


def categories() -> list[TaxonomyTerm]:
    return list(db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name)))


def category_codes() -> set[str]:
    return set(db.session.scalars(select(TaxonomyTerm.code)))


def category_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(TaxonomyTerm.code, func.count(Service.id))
        .join(ServiceTaxonomyTerm, ServiceTaxonomyTerm.taxonomy_term_id == TaxonomyTerm.id)
        .join(Service, Service.id == ServiceTaxonomyTerm.service_id)
        .where(Service.status == ServiceStatus.ACTIVE)
        .group_by(TaxonomyTerm.code)
    )
    return dict(rows.tuples().all())


def count_services() -> int:
    return db.session.scalar(select(func.count()).select_from(Service)) or 0


def database_is_reachable() -> bool:
    db.session.execute(text("SELECT 1"))
    return True


# --- writing ----------------------------------------------------------------------------------------


def search_text(service: Service) -> tuple[str, str, str]:
    """The name, category and body text a service is found by."""
    name = f"{service.name} {service.organization.name if service.organization else ''}".strip()
    categories_text = " ".join(term.name for term in service.taxonomy_terms)
    places = {sal.location.city for sal in service.service_at_locations if sal.location.city}
    places |= {sal.location.district for sal in service.service_at_locations if sal.location.district}
    places |= {area.name for area in service.service_areas}
    body = " ".join(
        part for part in (service.description, service.eligibility_description, " ".join(sorted(places))) if part
    )
    return name, categories_text, body


def search_row(service: Service) -> Row:
    """A service's whole search row: the text it is found by and the facts ranking and the common
    filters read, copied from the listing so a search reads one table. Every write of a listing
    (curation, import, loading) writes this row; migration 0006 filled it for existing listings."""
    name, categories_text, body = search_text(service)
    located = [
        sal.location
        for sal in service.service_at_locations
        if sal.location.latitude is not None and sal.location.longitude is not None
    ]
    return {
        "service_id": service.id,
        "name": name,
        "categories": categories_text,
        "body": body,
        "service_name": service.name,
        "active": service.status == ServiceStatus.ACTIVE,
        "countywide": service.countywide,
        "in_person": service.in_person,
        "by_phone": service.by_phone,
        "online": service.online,
        "is_free": service.is_free,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "location_count": len(located),
        "latitude": min((location.latitude for location in located), default=None),
        "longitude": min((location.longitude for location in located), default=None),
    }


def reindex(services: Iterable[Service]) -> None:
    """Refresh the search rows of these services (call after creating or editing them)."""
    services = list(services)
    db.session.flush()
    existing = (
        {
            doc.service_id: doc
            for doc in db.session.scalars(
                select(SearchDocument).where(SearchDocument.service_id.in_([s.id for s in services]))
            )
        }
        if services
        else {}
    )
    for service in services:
        row = search_row(service)
        doc = existing.get(service.id)
        if doc is None:
            db.session.add(SearchDocument(**row))
        else:
            for column, value in row.items():
                setattr(doc, column, value)
    bump_index_version()
    db.session.flush()


def get_or_create_taxonomy(name: str, description: str, version: str) -> Taxonomy:
    taxonomy = db.session.scalars(select(Taxonomy).where(Taxonomy.name == name)).first()
    if taxonomy is None:
        taxonomy = Taxonomy(name=name, description=description, version=version)
        db.session.add(taxonomy)
    else:
        taxonomy.description, taxonomy.version = description, version
    return taxonomy


def terms_by_code(taxonomy: Taxonomy) -> dict[str, TaxonomyTerm]:
    return {t.code: t for t in db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy.id))}


def delete_directory(include_taxonomies: bool = False) -> None:
    """Remove every listing (used before loading demo or synthetic data afresh), and the taxonomies if asked."""
    for model in (SearchDocument, ServiceTaxonomyTerm, ServiceAtLocation, Service, Location, Organization):
        db.session.execute(model.__table__.delete())
    if include_taxonomies:
        db.session.execute(TaxonomyTerm.__table__.update().values(parent_id=None))
        db.session.execute(TaxonomyTerm.__table__.delete())
        db.session.execute(Taxonomy.__table__.delete())
    bump_index_version()


# --- writing in bulk (imports and loading) ----------------------------------------------------------

# Parents before children, so every foreign key holds as rows go in.
WRITE_ORDER = (
    Taxonomy,
    TaxonomyTerm,
    Organization,
    Location,
    Service,
    *CHILD_ATTRIBUTES,
    SearchDocument,
    ServiceVersion,
)
CHUNK = 1000  # ids per IN (...) list


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def rows_by_id(model: type, ids: Iterable[str]) -> dict[str, Row]:
    """Every column of the rows with these ids, as plain dicts by id."""
    table = model.__table__
    found = {}
    for chunk in _chunks(ids):
        for row in db.session.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            found[row["id"]] = dict(row)
    return found


def stored_listings(service_ids: Iterable[str]) -> dict[str, ListingRows]:
    """The stored services among these ids, each with its child tables' rows (phones by position)."""
    listings = {
        service_id: ListingRows(row, {model: [] for model in CHILD_ATTRIBUTES})
        for service_id, row in rows_by_id(Service, service_ids).items()
    }
    for model in CHILD_ATTRIBUTES if listings else ():
        table = model.__table__
        for chunk in _chunks(listings):
            stmt = select(table).where(table.c.service_id.in_(chunk))
            if model is Phone:
                stmt = stmt.order_by(table.c.position)
            for row in db.session.execute(stmt).mappings():
                listings[row["service_id"]].children[model].append(dict(row))
    return listings


def search_rows(service_ids: Iterable[str]) -> dict[str, Row]:
    """These services' search rows (without their own id), by service id."""
    table = SearchDocument.__table__
    columns = [column for column in table.c if column.key != "id"]
    found = {}
    for chunk in _chunks(service_ids):
        for row in db.session.execute(select(*columns).where(table.c.service_id.in_(chunk))).mappings():
            found[row["service_id"]] = dict(row)
    return found


def taxonomy_rows() -> tuple[list[Row], list[Row]]:
    """Every taxonomy and every term, as plain dicts."""
    taxonomies = db.session.execute(select(Taxonomy.__table__)).mappings()
    terms = db.session.execute(select(TaxonomyTerm.__table__)).mappings()
    return [dict(row) for row in taxonomies], [dict(row) for row in terms]


def version_numbers(service_ids: Iterable[str]) -> dict[str, int]:
    """The newest kept version number of each of these services that has one."""
    found = {}
    for chunk in _chunks(service_ids):
        rows = db.session.execute(
            select(ServiceVersion.service_id, func.max(ServiceVersion.version))
            .where(ServiceVersion.service_id.in_(chunk))
            .group_by(ServiceVersion.service_id)
        )
        found.update(dict(rows.tuples().all()))
    return found


def insert_rows(model: type, rows: Sequence[Row]) -> None:
    """Add rows to a table in one statement (executemany); columns left out take their defaults."""
    if rows:
        db.session.execute(insert(model.__table__), list(rows))


def _update_rows(model: type, rows: Sequence[Row]) -> None:
    """Change rows matched by id in one statement; every row must hold the same columns."""
    table = model.__table__
    stmt = update(table).where(table.c.id == bindparam("row_id"))
    db.session.execute(stmt, [{**{k: v for k, v in row.items() if k != "id"}, "row_id": row["id"]} for row in rows])


def write_rows(writes: RowWrites) -> None:
    """Write new, changed and replaced rows with a few statements per table, parents first, and mark
    the search vocabulary stale."""
    db.session.flush()
    for model in WRITE_ORDER:
        for chunk in _chunks(writes.replaced.get(model, ())):
            db.session.execute(delete(model.__table__).where(model.__table__.c.service_id.in_(chunk)))
        if writes.changed.get(model):
            _update_rows(model, writes.changed[model])
        insert_rows(model, writes.new.get(model, ()))
    bump_index_version()
    db.session.flush()
    db.session.expire_all()  # objects the session holds may predate these rows


# --- importing ------------------------------------------------------------------------------------


def latest_versions(service_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """The newest kept version of each service: {service id: (version number, snapshot)}."""
    ids = list(set(service_ids))
    if not ids:
        return {}
    newest = (
        select(ServiceVersion.service_id, func.max(ServiceVersion.version).label("version"))
        .where(ServiceVersion.service_id.in_(ids))
        .group_by(ServiceVersion.service_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ServiceVersion.service_id, ServiceVersion.version, ServiceVersion.snapshot).join(
            newest,
            and_(newest.c.service_id == ServiceVersion.service_id, newest.c.version == ServiceVersion.version),
        )
    )
    return {row.service_id: (row.version, row.snapshot) for row in rows}


INTERRUPTED = "The import stopped before it finished; nothing after its last saved batch was stored"


def start_import_run(source: str) -> ImportRun:
    """Begin a run, first closing any run that never finished as failed (imports run one at a time)."""
    now = datetime.now(UTC)
    for unfinished in db.session.scalars(select(ImportRun).where(ImportRun.finished_at.is_(None))):
        errors = json.loads(unfinished.errors or "[]")
        unfinished.errors = json.dumps([*errors, {"record": None, "errors": [INTERRUPTED]}], ensure_ascii=False)
        unfinished.finished_at = now
    run = ImportRun(source=source[:500])
    db.session.add(run)
    commit()
    return run


def get_import_run(run_id: str) -> ImportRun | None:
    return db.session.get(ImportRun, run_id)


def savepoint():
    """A nested transaction: roll back one part of a batch without losing the rest."""
    return db.session.begin_nested()


def flush() -> None:
    db.session.flush()


def rollback() -> None:
    db.session.rollback()


# --- problem reports ------------------------------------------------------------------------------


def add_problem_report(service_id: str, topic: str, details: str) -> ProblemReport:
    report = ProblemReport(service_id=service_id, topic=topic, details=details)
    db.session.add(report)
    commit()
    return report


def problem_reports_for(service_id: str) -> list[ProblemReport]:
    return list(
        db.session.scalars(
            select(ProblemReport).where(ProblemReport.service_id == service_id).order_by(ProblemReport.created_at)
        )
    )


def refresh_statistics() -> None:
    """Update the query planner's statistics after a bulk load, so searches plan well at once."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def add_all(objects: Iterable[object]) -> None:
    db.session.add_all(list(objects))


def commit() -> None:
    db.session.commit()


# --- curation (signpost.staff.curation) -------------------------------------------------------------


def not_checked_condition(cutoff):
    """A listing not checked since `cutoff` (or never): what editors are asked to check again."""
    return or_(Service.assured_date.is_(None), Service.assured_date < cutoff)


def stale_service_ids(cutoff) -> set[str]:
    """Ids of the active listings not checked since `cutoff`, to narrow a search's hits."""
    return set(
        db.session.scalars(
            select(Service.id).where(Service.status == ServiceStatus.ACTIVE, not_checked_condition(cutoff))
        )
    )


def count_not_checked(cutoff) -> int:
    """How many active listings were not checked since `cutoff` (or never)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Service)
            .where(Service.status == ServiceStatus.ACTIVE, not_checked_condition(cutoff))
        )
        or 0
    )


def services_not_active(limit: int = 200) -> list[Service]:
    """Archived and inactive listings (search never finds these), by name."""
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.status != ServiceStatus.ACTIVE)
            .options(selectinload(Service.organization))
            .order_by(Service.name, Service.id)
            .limit(limit)
        )
    )


def get_service_any_status(service_id: str) -> Service | None:
    """One listing with everything it holds, whatever its status (editors see archived ones too)."""
    found = full_services([service_id])
    return found[0] if found else None


def organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name, Organization.id)))


def organization_choices() -> list[tuple[str, str]]:
    """(id, name) of every organisation, by name, for a select."""
    rows = db.session.execute(select(Organization.id, Organization.name).order_by(Organization.name, Organization.id))
    return [(row.id, row.name) for row in rows]


def get_organization(organization_id: str) -> Organization | None:
    return db.session.get(Organization, organization_id)


def terms_by_ids(ids: Iterable[str]) -> list[TaxonomyTerm]:
    ids = list(set(ids))
    if not ids:
        return []
    return list(db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(ids)).order_by(TaxonomyTerm.name)))


def next_version_number(service_id: str) -> int:
    return latest_versions([service_id]).get(service_id, (0, ""))[0] + 1


def version_row(
    service_id: str, version: int, action: str, changed_by: str, snapshot: str, changed_at: datetime
) -> Row:
    """A kept copy of a listing after a change (curation or import): who, when, what it said."""
    return {
        "service_id": service_id,
        "version": version,
        "action": action,
        "changed_by": changed_by,
        "changed_at": changed_at,
        "snapshot": snapshot,
    }


def add_version(
    service_id: str, version: int, action: str, changed_by: str, snapshot: str, changed_at: datetime
) -> None:
    """Keep a copy of a listing after one change; imports write many at once with `version_row`s."""
    db.session.add(ServiceVersion(**version_row(service_id, version, action, changed_by, snapshot, changed_at)))


def service_versions(service_id: str) -> list[ServiceVersion]:
    """A listing's kept versions, newest first."""
    return list(
        db.session.scalars(
            select(ServiceVersion)
            .where(ServiceVersion.service_id == service_id)
            .order_by(ServiceVersion.version.desc())
        )
    )


def open_problem_reports(limit: int = 500) -> list[tuple[ProblemReport, str, str]]:
    """Open reports, oldest first, each with its listing's name and status."""
    rows = db.session.execute(
        select(ProblemReport, Service.name, Service.status)
        .join(Service, Service.id == ProblemReport.service_id)
        .where(ProblemReport.status == "open")
        .order_by(ProblemReport.created_at, ProblemReport.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in rows]


def count_open_problem_reports() -> int:
    return db.session.scalar(select(func.count()).select_from(ProblemReport).where(ProblemReport.status == "open")) or 0


def get_problem_report(report_id: str) -> ProblemReport | None:
    return db.session.get(ProblemReport, report_id)


def add(obj: object) -> None:
    db.session.add(obj)
