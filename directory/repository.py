"""The one place the directory talks to the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, literal, or_, select, text
from sqlalchemy.orm import selectinload

from directory.models import (
    DirectoryMeta,
    Location,
    Organization,
    Schedule,
    SearchDocument,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTaxonomyTerm,
    Taxonomy,
    TaxonomyTerm,
)
from directory.search.backends import backend_for
from directory.search.query import ParsedQuery
from directory.search.ranking import Candidate, Origin
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


# --- search ---------------------------------------------------------------------------------------


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def database_key() -> str:
    """Which database this session reads, for caches that must not mix two databases."""
    return str(db.session.get_bind().url)


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
    return conditions


def _candidate_select(query: ParsedQuery | None, any_concept: bool, filters: Filters, origin: Origin | None) -> Select:
    if origin is not None:
        scale = origin.longitude_scale
        d_lat = Location.latitude - origin.latitude
        d_lon = (Location.longitude - origin.longitude) * scale
        nearest = func.min(d_lat * d_lat + d_lon * d_lon)
        serves = or_(
            Service.countywide.is_(True),
            exists().where(ServiceArea.service_id == Service.id).where(ServiceArea.name == (origin.district or "")),
        )
    else:
        nearest = literal(None)
        serves = literal(False)

    if query is not None and not query.is_empty:
        # MATERIALIZED: SQLite must not flatten the FTS query (bm25 only works directly on its table).
        matches = (
            backend_for(dialect_name()).match_clause(query, any_concept).cte("matches").prefix_with("MATERIALIZED")
        )
        score = func.max(matches.c.score)
        stmt = select(Service.id, Service.name, score.label("score")).join(matches, matches.c.service_id == Service.id)
    else:
        stmt = select(Service.id, Service.name, literal(0.0).label("score"))

    stmt = stmt.add_columns(
        nearest.label("nearest_d2"),
        Service.countywide,
        or_(Service.by_phone, Service.online).label("remote"),
        serves.label("serves_district"),
    )
    if origin is not None:
        stmt = stmt.outerjoin(ServiceAtLocation, ServiceAtLocation.service_id == Service.id).outerjoin(
            Location, and_(Location.id == ServiceAtLocation.location_id, Location.latitude.is_not(None))
        )
    return stmt.where(*_filter_conditions(filters)).group_by(Service.id)


def search_candidates(
    query: ParsedQuery | None, filters: Filters, origin: Origin | None, any_concept: bool = False
) -> list[Candidate]:
    rows = db.session.execute(_candidate_select(query, any_concept, filters, origin))
    return [
        Candidate(
            service_id=row.id,
            name=row.name,
            score=float(row.score or 0.0),
            nearest_d2=row.nearest_d2,
            countywide=bool(row.countywide),
            remote=bool(row.remote),
            serves_district=bool(row.serves_district),
        )
        for row in rows
    ]


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


def delete_directory() -> None:
    """Remove every listing (used before loading demo or synthetic data afresh)."""
    for model in (SearchDocument, ServiceTaxonomyTerm, ServiceAtLocation, Service, Location, Organization):
        db.session.execute(model.__table__.delete())
    bump_index_version()


def refresh_statistics() -> None:
    """Update the query planner's statistics after a bulk load, so searches plan well at once."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def add_all(objects: Iterable[object]) -> None:
    db.session.add_all(list(objects))


def commit() -> None:
    db.session.commit()
