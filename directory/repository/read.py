"""Reading the directory: searching, services, organisations, locations, taxonomies and counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Select, bindparam, func, select, text, true
from sqlalchemy.orm import joinedload, selectinload

from directory.listing_rows import service_view
from directory.models import (
    Location,
    Organization,
    SearchDocument,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTaxonomyTerm,
    Taxonomy,
    TaxonomyTerm,
    area_key,
)
from directory.repository.index_state import ByIndexVersion, dialect_name
from directory.repository.write import rows_by_id, stored_listings
from directory.search.backends import backend_for
from directory.search.filters import Filters
from directory.search.query import ParsedQuery
from directory.search.ranking import Origin, d2_from_miles
from directory.search.statements import (
    SearchShape,
    concept_factor_values,
    filters_in_use,
    ranked_services,
    search_statements,
)
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


def matches_any(query: ParsedQuery, every_concept: bool = False) -> bool:
    """Does any listing match one of the query's concepts (or, with `every_concept`, all of them)?"""
    backend = backend_for(dialect_name())
    clause = backend.term_exists_clause().bindparams(term=backend.expression(query, any_concept=not every_concept))
    return db.session.execute(clause).first() is not None


@dataclass(frozen=True)
class SearchPage:
    hits: list[tuple[str, float | None]]  # (service id, squared scaled-degree distance to its nearest location)
    total: int  # services to page through (within the distance asked for)
    matched: int  # services that matched, at any distance
    # For each hit: (keyword score, final ranking score, does not cover the person's district, offers the
    # search's language, in the category inferred from the words)
    details: Sequence[tuple[float, float, bool, bool, bool]] = ()


def _search_shape(
    dialect: str,
    query: ParsedQuery | None,
    keyword: bool,
    used: frozenset[str],
    filters: Filters,
    origin: Origin | None,
    within_miles: float | None,
    params: dict[str, Any],
    language: str | None = None,
    category: str | None = None,
) -> tuple[SearchShape, bool]:
    """The search statement's shape, and (into `params`) the values it binds: the words, the place, the limit,
    the language the search is in (`language`, when not English: its speakers rank higher)."""
    within = origin is not None and within_miles is not None
    concepts = len(query.concepts) if keyword and query is not None else 0
    shape = SearchShape(
        dialect, keyword, origin is not None, within, used, filters.delivery, concepts, bool(language), bool(category)
    )
    if language:
        params["search_language"] = language
    if category:
        params["inferred_category"] = category
    if keyword:
        params |= backend_for(dialect).parameters(query) | concept_factor_values(query.concepts)
    if origin is not None:
        params |= {
            "origin_latitude": origin.latitude,
            "origin_longitude": origin.longitude,
            "scale": origin.longitude_scale,
            "district_key": area_key(origin.district or ""),
        }
    if within:
        params["within_d2"] = d2_from_miles(within_miles)
    return shape, within


def search_page(
    query: ParsedQuery | None,
    filters: Filters,
    origin: Origin | None,
    *,
    within_miles: float | None = None,
    limit: int,
    offset: int = 0,
    language: str | None = None,
    category: str | None = None,
) -> SearchPage:
    """One page of matching services in ranking order; the database does the sorting. `language`: the
    language code the search is in, when not English."""
    dialect = dialect_name()
    keyword = query is not None and not query.is_empty
    used, params = filters_in_use(filters)
    if not keyword and origin is None and not used and not language:
        return _browse_page(limit, offset)
    shape, within = _search_shape(
        dialect, query, keyword, used, filters, origin, within_miles, params, language, category
    )
    page, counts = search_statements(shape)
    rows = db.session.execute(page, params | {"limit": limit, "offset": offset}).all()
    if rows:
        return SearchPage(
            [(row.service_id, row.nearest_d2) for row in rows],
            rows[0].total,
            rows[0].matched,
            [
                (row.score, row.final_score, bool(row.not_covered), bool(row.speaks), bool(row.in_category))
                for row in rows
            ],
        )
    total, matched = db.session.execute(counts, params).one()
    return SearchPage([], total, matched)


_SEARCH_TEXTS = select(
    SearchDocument.service_id, SearchDocument.name, SearchDocument.categories, SearchDocument.body
).where(SearchDocument.service_id.in_(bindparam("ids", expanding=True)))


def search_texts(service_ids: Sequence[str]) -> dict[str, str]:
    """The text each of these services is found by (name, categories and body), for saying why it was found."""
    if not service_ids:
        return {}
    rows = db.session.execute(_SEARCH_TEXTS, {"ids": list(service_ids)})
    return {row[0]: " ".join(part or "" for part in row[1:]) for row in rows}


# Plain browsing (no words, no place, no filter): every active listing in the order `ranked_page` gives
# such a search (its band, distance and score are the same for all), read in that order from the index
# ix_search_document_browse instead of sorting the whole directory for each page.
_BROWSING = SearchDocument.active == true()
_BROWSE_ORDER = (func.lower(SearchDocument.service_name), SearchDocument.service_id)


def _count_listed() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchDocument).where(_BROWSING)) or 0


# Counting every active listing reads the whole index (15-45 ms at 100,000 services on PostgreSQL), far more than
# the page itself: it is counted again only when listings change, as the category counts are.
_listed_count = ByIndexVersion(_count_listed)


def _browse_page(limit: int, offset: int) -> SearchPage:
    stmt = select(SearchDocument.service_id).where(_BROWSING).order_by(*_BROWSE_ORDER)
    ids = list(db.session.scalars(stmt.limit(limit).offset(offset)))
    total = _listed_count.get()
    # Browsing ranks every listing alike: relevance 1 (no words), no distance, so its final score is 1.
    return SearchPage(
        [(service_id, None) for service_id in ids], total, total, [(0.0, 1.0, False, False, False)] * len(ids)
    )


def service_at_location_page(
    query: ParsedQuery | None,
    filters: Filters,
    origin: Origin | None,
    *,
    within_miles: float | None = None,
    limit: int,
    offset: int = 0,
) -> SearchPage:
    """One page of the service-at-locations of the matching services, in the services' ranking order (then
    by id), in SQL. With a distance limit, each location itself must be within it. `hits` holds
    (service-at-location id, None); `total` counts service-at-locations, `matched` services."""
    dialect = dialect_name()
    keyword = query is not None and not query.is_empty
    used, params = filters_in_use(filters)
    sal = ServiceAtLocation
    if not keyword and origin is None and not used:
        stmt = (
            select(sal.id)
            .join(SearchDocument, SearchDocument.service_id == sal.service_id)
            .where(_BROWSING)
            .order_by(*_BROWSE_ORDER, sal.id)
        )
        ids = list(db.session.scalars(stmt.limit(limit).offset(offset)))
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        return SearchPage([(i, None) for i in ids], total, total)  # `matched` matters only to a keyword
    shape, within = _search_shape(dialect, query, keyword, used, filters, origin, within_miles, params)
    ranked = ranked_services(shape).subquery("ranked")
    stmt = select(sal.id).join(ranked, ranked.c.service_id == sal.service_id)
    if within:
        d_lat = Location.latitude - origin.latitude
        d_lon = (Location.longitude - origin.longitude) * origin.longitude_scale
        stmt = stmt.join(Location, Location.id == sal.location_id).where(
            Location.latitude.is_not(None),
            Location.longitude.is_not(None),
            d_lat * d_lat + d_lon * d_lon <= params["within_d2"],
        )
    rows = db.session.execute(
        stmt.add_columns(func.count().over().label("total"), ranked.c.matched)
        .order_by(ranked.c.position, sal.id)
        .limit(limit)
        .offset(offset),
        params,
    ).all()
    if rows:
        return SearchPage([(row.id, None) for row in rows], rows[0].total, rows[0].matched)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()), params) or 0
    matched = db.session.execute(search_statements(shape)[1], params).one().matched
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


def full_service_views(ids: Sequence[str]) -> list[SimpleNamespace]:
    """Services (any status) in the order of `ids`, with everything a fully nested record holds, read as
    plain rows into read-only views (`listing_rows.service_view`, what an import compares): for exports and
    pages of full records, where building ORM objects would cost more than the queries. The queries are a
    fixed number per 1,000 ids (three), and `serialise.service_full` gives a view the same document as its Service."""
    shared: dict[type, dict[str, Any]] = {Location: {}, TaxonomyTerm: {}}
    listings = stored_listings(ids, shared)
    organizations = rows_by_id(Organization, [listing.service["organization_id"] for listing in listings.values()])
    terms = {term_id: SimpleNamespace(**row) for term_id, row in shared[TaxonomyTerm].items()}
    locations = shared[Location]
    return [service_view(listings[i], organizations, locations, terms) for i in ids if i in listings]


def summary_service_views(ids: Sequence[str]) -> list[SimpleNamespace]:
    """Services in the order of `ids` as read-only views of their own row and their organisation's (what
    `serialise.service_summary` reads, nothing more): two queries per 1,000 ids."""
    services = rows_by_id(Service, ids)
    organizations = rows_by_id(Organization, [row["organization_id"] for row in services.values()])
    views = []
    for service_id in ids:
        if (row := services.get(service_id)) is not None:
            view = SimpleNamespace(**row)
            view.organization = SimpleNamespace(**organizations[row["organization_id"]])
            views.append(view)
    return views


def summary_service_at_location_views(ids: Sequence[str]) -> list[SimpleNamespace]:
    """Service-at-locations in the order of `ids` as read-only views with their location and a summary view
    of their service (what `serialise.service_at_location_summary` reads): four queries per 1,000 ids."""
    rows = rows_by_id(ServiceAtLocation, ids)
    locations = rows_by_id(Location, [row["location_id"] for row in rows.values()])
    services = {view.id: view for view in summary_service_views([row["service_id"] for row in rows.values()])}
    views = []
    for sal_id in ids:
        if (row := rows.get(sal_id)) is not None and row["service_id"] in services:
            view = SimpleNamespace(**row)
            view.location, view.service = SimpleNamespace(**locations[row["location_id"]]), services[row["service_id"]]
            views.append(view)
    return views


def exportable_service_ids() -> list[str]:
    """Every listing that is not archived, by id: what an export or a full feed publishes."""
    return list(
        db.session.scalars(select(Service.id).where(Service.status != ServiceStatus.ARCHIVED).order_by(Service.id))
    )


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
    """The ids of one page of the active listings' service-at-locations, in browsing order, in SQL."""
    found = service_at_location_page(None, Filters(), None, limit=per_page, offset=(page - 1) * per_page)
    return [sal_id for sal_id, _ in found.hits], found.total


def taxonomies() -> list[Taxonomy]:
    return list(db.session.scalars(select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id)))


def taxonomy_names() -> dict[str, str]:
    """Taxonomy id → name, read as plain rows (every full record served asks for them)."""
    return dict(db.session.execute(select(Taxonomy.id, Taxonomy.name)).tuples().all())


def taxonomy_terms(taxonomy_id: str | None = None) -> list[TaxonomyTerm]:
    stmt = select(TaxonomyTerm).order_by(TaxonomyTerm.name, TaxonomyTerm.id)
    if taxonomy_id:
        stmt = stmt.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    return list(db.session.scalars(stmt))


def taxonomies_page(page: int, per_page: int) -> tuple[list[Taxonomy], int]:
    """Stored taxonomies by name, a page of them in SQL."""
    return _page_of(select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id), page, per_page)


def taxonomy_terms_page(taxonomy_id: str | None, page: int, per_page: int) -> tuple[list[TaxonomyTerm], int]:
    """Stored terms (of one taxonomy, or all) by name, a page of them in SQL."""
    stmt = select(TaxonomyTerm).order_by(TaxonomyTerm.name, TaxonomyTerm.id)
    if taxonomy_id:
        stmt = stmt.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    return _page_of(stmt, page, per_page)


def get_taxonomy(taxonomy_id: str) -> Taxonomy | None:
    return db.session.get(Taxonomy, taxonomy_id)


def get_taxonomy_term(term_id: str) -> TaxonomyTerm | None:
    return db.session.get(TaxonomyTerm, term_id)


def categories() -> list[TaxonomyTerm]:
    return list(db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name)))


def category_codes() -> set[str]:
    return set(db.session.scalars(select(TaxonomyTerm.code)))


def category_counts() -> dict[str, int]:
    """Active services per category code, counted again only when listings change (``ByIndexVersion``)."""
    return dict(_category_counts.get())


def _count_categories() -> dict[str, int]:
    rows = db.session.execute(
        select(TaxonomyTerm.code, func.count(Service.id))
        .join(ServiceTaxonomyTerm, ServiceTaxonomyTerm.taxonomy_term_id == TaxonomyTerm.id)
        .join(Service, Service.id == ServiceTaxonomyTerm.service_id)
        .where(Service.status == ServiceStatus.ACTIVE)
        .group_by(TaxonomyTerm.code)
    )
    return dict(rows.tuples().all())


_category_counts = ByIndexVersion(_count_categories)


def count_services() -> int:
    return db.session.scalar(select(func.count()).select_from(Service)) or 0


def database_is_reachable() -> bool:
    db.session.execute(text("SELECT 1"))
    return True


def organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name, Organization.id)))


def get_organization(organization_id: str) -> Organization | None:
    return db.session.get(Organization, organization_id)
