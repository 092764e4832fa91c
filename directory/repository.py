"""The one place the directory talks to the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CTE, and_, exists, func, literal, or_, select, text
from sqlalchemy.orm import selectinload

from directory.models import (
    DirectoryMeta,
    ImportRun,
    Location,
    Organization,
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
from directory.search.ranking import Origin, ranked_page
from signpost.extensions import db

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


# --- search ---------------------------------------------------------------------------------------


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def database_key() -> str:
    """Which database this session reads, for caches that must not mix two databases."""
    return str(db.session.get_bind().engine.url)


def index_version() -> str:
    return db.session.scalar(select(DirectoryMeta.value).where(DirectoryMeta.key == INDEX_VERSION_KEY)) or ""


def bump_index_version() -> None:
    """Mark the search vocabulary stale; a random token, so a rolled-back change can never collide."""
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


def _filter_conditions(filters: Filters) -> list:
    conditions = [Service.status == ServiceStatus.ACTIVE]
    if filters.category:
        conditions.append(
            exists()
            .where(ServiceTaxonomyTerm.service_id == Service.id)
            .where(ServiceTaxonomyTerm.taxonomy_term_id == TaxonomyTerm.id)
            .where(TaxonomyTerm.code == filters.category)
        )
    if filters.district:
        conditions.append(
            or_(
                Service.countywide.is_(True),
                exists().where(ServiceArea.service_id == Service.id).where(ServiceArea.name == filters.district),
            )
        )
    if filters.free_only:
        conditions.append(Service.is_free.is_(True))
    if filters.age is not None:
        conditions.append(or_(Service.minimum_age.is_(None), Service.minimum_age <= filters.age))
        conditions.append(or_(Service.maximum_age.is_(None), Service.maximum_age >= filters.age))
    if filters.day in DAY_CODES:
        conditions.append(exists().where(Schedule.service_id == Service.id).where(Schedule.byday.contains(filters.day)))
    if filters.delivery == "in_person":
        conditions.append(Service.in_person.is_(True))
    elif filters.delivery == "phone":
        conditions.append(Service.by_phone.is_(True))
    elif filters.delivery == "online":
        conditions.append(Service.online.is_(True))
    return conditions + _open_referral_conditions(filters)


def _open_referral_conditions(filters: Filters) -> list:
    """The filters the Open Referral API adds: taxonomy, organisation type, referral, age bounds, times."""
    conditions = []
    if filters.taxonomy_term_id:
        conditions.append(
            exists()
            .where(ServiceTaxonomyTerm.service_id == Service.id)
            .where(ServiceTaxonomyTerm.taxonomy_term_id == filters.taxonomy_term_id)
        )
    if filters.taxonomy_id:
        conditions.append(
            exists()
            .where(ServiceTaxonomyTerm.service_id == Service.id)
            .where(ServiceTaxonomyTerm.taxonomy_term_id == TaxonomyTerm.id)
            .where(TaxonomyTerm.taxonomy_id == filters.taxonomy_id)
        )
    if filters.organization_type:
        conditions.append(
            exists()
            .where(Organization.id == Service.organization_id)
            .where(Organization.organization_type == filters.organization_type)
        )
    if filters.referral:
        conditions.append(Service.referral == filters.referral)
    if filters.minimum_age is not None:
        conditions.append(Service.minimum_age >= filters.minimum_age)
    if filters.maximum_age is not None:
        conditions.append(Service.maximum_age <= filters.maximum_age)
    if filters.opens_from or filters.closes_by:
        schedule = exists().where(Schedule.service_id == Service.id)
        if filters.day in DAY_CODES:
            schedule = schedule.where(Schedule.byday.contains(filters.day))
        if filters.opens_from:
            schedule = schedule.where(Schedule.opens_at >= filters.opens_from)
        if filters.closes_by:
            schedule = schedule.where(Schedule.closes_at <= filters.closes_by)
        conditions.append(schedule)
    return conditions


def _candidates(query: ParsedQuery | None, any_concept: bool, filters: Filters, origin: Origin | None) -> CTE:
    """What `ranking.ranked_page` needs about each matching service, one row per service."""
    if origin is not None:
        scale = origin.longitude_scale
        d_lat = Location.latitude - origin.latitude
        d_lon = (Location.longitude - origin.longitude) * scale
        nearest = (
            select(func.min(d_lat * d_lat + d_lon * d_lon))
            .select_from(ServiceAtLocation)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .where(ServiceAtLocation.service_id == Service.id, Location.latitude.is_not(None))
            .scalar_subquery()
        )
        serves = exists().where(ServiceArea.service_id == Service.id).where(ServiceArea.name == (origin.district or ""))
        reaches = or_(Service.countywide.is_(True), and_(or_(Service.by_phone, Service.online), serves))
    else:
        nearest = literal(None)
        reaches = literal(False)

    if query is not None and not query.is_empty:
        # MATERIALIZED: SQLite must not flatten the FTS query (bm25 only works directly on its table).
        matches = (
            backend_for(dialect_name()).match_clause(query, any_concept).cte("matches").prefix_with("MATERIALIZED")
        )
        stmt = select(Service.id.label("service_id"), Service.name, matches.c.score.label("score")).join(
            matches, matches.c.service_id == Service.id
        )
    else:
        stmt = select(Service.id.label("service_id"), Service.name, literal(0.0).label("score"))
    stmt = stmt.add_columns(nearest.label("nearest_d2"), reaches.label("reaches"))
    # MATERIALIZED: computed once per service, not again for each use in the ranking expressions.
    return stmt.where(*_filter_conditions(filters)).cte("candidates").prefix_with("MATERIALIZED")


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
    keyword = query is not None and not query.is_empty
    candidates = _candidates(query if keyword else None, any_concept, filters, origin)
    stmt = ranked_page(candidates, origin is not None, keyword, within_miles, limit, offset)
    rows = db.session.execute(stmt).all()
    if rows:
        return SearchPage([(row.service_id, row.nearest_d2) for row in rows], rows[0].total, rows[0].matched)
    counts = ranked_page(candidates, origin is not None, keyword, within_miles, limit=None, offset=0).subquery()
    total = db.session.scalar(select(func.count()).select_from(counts)) or 0
    matched = total if within_miles is None else db.session.scalar(select(func.count()).select_from(candidates))
    return SearchPage([], total, matched or 0)


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
            selectinload(Service.service_areas),
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


def service_at_locations_by_ids(ids: Sequence[str], include_inactive: bool = False) -> list[ServiceAtLocation]:
    """Service-at-locations in the order of `ids`, each with its location and fully loaded service."""
    if not ids:
        return []
    statuses = (ServiceStatus.ACTIVE, ServiceStatus.INACTIVE) if include_inactive else (ServiceStatus.ACTIVE,)
    rows = db.session.scalars(
        select(ServiceAtLocation)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .where(ServiceAtLocation.id.in_(list(ids)), Service.status.in_(statuses))
        .options(
            selectinload(ServiceAtLocation.location),
            *(selectinload(ServiceAtLocation.service).options(load) for load in _FULL_LOADS),
        )
    )
    found = {sal.id: sal for sal in rows}
    return [found[i] for i in ids if i in found]


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


def reindex(services: Iterable[Service]) -> None:
    """Refresh the search documents of these services (call after creating or editing them)."""
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
        name, categories_text, body = search_text(service)
        doc = existing.get(service.id)
        if doc is None:
            db.session.add(SearchDocument(service_id=service.id, name=name, categories=categories_text, body=body))
        else:
            doc.name, doc.categories, doc.body = name, categories_text, body
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


# --- importing ------------------------------------------------------------------------------------


def organizations_by_ids(ids: Iterable[str]) -> dict[str, Organization]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {o.id: o for o in db.session.scalars(select(Organization).where(Organization.id.in_(ids)))}


def locations_by_ids(ids: Iterable[str]) -> dict[str, Location]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {loc.id: loc for loc in db.session.scalars(select(Location).where(Location.id.in_(ids)))}


def all_taxonomies_and_terms() -> tuple[list[Taxonomy], list[TaxonomyTerm]]:
    return list(db.session.scalars(select(Taxonomy))), list(db.session.scalars(select(TaxonomyTerm)))


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


def start_import_run(source: str) -> ImportRun:
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


def add_version(
    service_id: str, version: int, action: str, changed_by: str, snapshot: str, changed_at: datetime
) -> None:
    """Keep a copy of a listing after a change (curation or import): who, when, what it said."""
    db.session.add(
        ServiceVersion(
            service_id=service_id,
            version=version,
            action=action,
            changed_by=changed_by,
            changed_at=changed_at,
            snapshot=snapshot,
        )
    )


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
