"""Reading the directory: searching, services, organisations, locations, taxonomies and counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import joinedload, selectinload

from directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTaxonomyTerm,
    Taxonomy,
    TaxonomyTerm,
)
from directory.repository.index_state import dialect_name
from directory.search.backends import backend_for
from directory.search.filters import Filters
from directory.search.query import ParsedQuery
from directory.search.ranking import Origin, d2_from_miles
from directory.search.statements import SearchShape, filters_in_use, search_statements
from signpost.platform.extensions import db

# --- search ---------------------------------------------------------------------------------------


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
    used, params = filters_in_use(filters)
    within = origin is not None and within_miles is not None
    shape = SearchShape(dialect, keyword, origin is not None, within, used, filters.delivery)
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
    page, counts = search_statements(shape)
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

# What a page about listings reads, in a fixed number of statements however many listings it shows: the
# organisation (one to each service) and the phones (kept in order) come in the services' own statement; each
# other collection is one statement for all the listings (selectin), in the order it always had.
_SHOWN_LOADS = (
    joinedload(Service.organization),
    joinedload(Service.phones),
    selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
    selectinload(Service.service_areas),  # a result says which area it covers
)
_SUMMARY_LOADS = (*_SHOWN_LOADS, selectinload(Service.taxonomy_terms))


def _services_in_order(ids: Sequence[str], loads: tuple) -> list[Service]:
    if not ids:
        return []
    found = {s.id: s for s in db.session.scalars(select(Service).where(Service.id.in_(ids)).options(*loads)).unique()}
    return [found[i] for i in ids if i in found]


def services_by_ids(ids: Sequence[str]) -> list[Service]:
    """Services in the order of `ids`, with what a results list shows and their categories."""
    return _services_in_order(ids, _SUMMARY_LOADS)


def listings_shown(ids: Sequence[str]) -> list[Service]:
    """Services in the order of `ids`, with exactly what a page of search results shows (4 statements)."""
    return _services_in_order(ids, _SHOWN_LOADS)


def get_service(service_id: str) -> Service | None:
    """An active or draft listing, with everything its page shows (9 statements, none per row)."""
    return (
        db.session.scalars(
            select(Service)
            .where(Service.id == service_id, Service.status != ServiceStatus.ARCHIVED)
            .options(
                *_SHOWN_LOADS,
                selectinload(Service.schedules),
                selectinload(Service.cost_options),
                selectinload(Service.languages),
                selectinload(Service.contacts),
            )
        )
        .unique()
        .one_or_none()
    )


# Every collection selectin-loaded (the ORUK API also applies these beneath a service-at-location).
_FULL_LOADS = (
    selectinload(Service.organization),
    selectinload(Service.phones),
    selectinload(Service.taxonomy_terms),
    selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
    selectinload(Service.schedules),
    selectinload(Service.cost_options),
    selectinload(Service.languages),
    selectinload(Service.contacts),
    selectinload(Service.service_areas),
)


def full_services(ids: Sequence[str]) -> list[Service]:
    """Services (any status) in the order of `ids`, with everything a fully nested record holds."""
    return _services_in_order(ids, _FULL_LOADS)


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


def organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name, Organization.id)))


def get_organization(organization_id: str) -> Organization | None:
    return db.session.get(Organization, organization_id)
