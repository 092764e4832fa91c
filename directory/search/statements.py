"""The search statement builder: one SQL statement per shape of search, built once and reused.

`repository.search_page` executes what is built here with the search's values as bound parameters;
the keyword scoring comes from `backends.py` and the ordering and paging from `ranking.py`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CTE, Float, Select, and_, bindparam, case, exists, false, func, null, or_, select

from directory.listing_facts import DAY_CODES
from directory.models import (
    Language,
    Location,
    Organization,
    Schedule,
    SearchDocument,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTaxonomyTerm,
    TaxonomyTerm,
)
from directory.search.backends import backend_for
from directory.search.filters import Filters
from directory.search.query import Concept
from directory.search.ranking import concept_factor, ranked_page


@dataclass(frozen=True)
class SearchShape:
    """What decides the form of a search statement (its values travel as bound parameters), so each
    form is built once per process and reused: building SQLAlchemy expressions costs more than a
    small search does."""

    dialect: str
    keyword: bool
    near: bool
    within: bool
    filters: frozenset[str]  # the Filters fields in use
    delivery: str | None
    concepts: int = 0  # how many concepts the words make (each scored in its own column)
    language: bool = False  # the search is in another language (bound as search_language): its speakers rank higher
    category: bool = False  # the words stand for a category (bound as inferred_category): its services rank higher


DELIVERY_COLUMNS = {
    "in_person": SearchDocument.in_person,
    "phone": SearchDocument.by_phone,
    "online": SearchDocument.online,
}


def filters_in_use(filters: Filters) -> tuple[frozenset[str], dict[str, Any]]:
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


def _candidates(shape: SearchShape) -> CTE:
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
        # What the service's areas say about the person's district, from its search row: None (no areas
        # named), 1 (areas, not this district) or 2 (covers this district).
        position = func.strpos if shape.dialect == "postgresql" else func.instr
        area = case(
            (doc.areas.is_(None), null()),
            (position(doc.areas, bindparam("district_key")) > 0, 2),
            else_=1,
        )
        remote = or_(doc.by_phone, doc.online)
    else:
        nearest = null()
        area = null()
        remote = false()

    if shape.language:
        speaks = (
            exists().where(Language.service_id == doc.service_id).where(Language.code == bindparam("search_language"))
        )
    else:
        speaks = false()
    if shape.category:
        in_category = doc.service_id.in_(
            select(ServiceTaxonomyTerm.service_id)
            .join(TaxonomyTerm, TaxonomyTerm.id == ServiceTaxonomyTerm.taxonomy_term_id)
            .where(TaxonomyTerm.code == bindparam("inferred_category"))
        )
    else:
        in_category = false()
    if shape.keyword:
        stmt = backend_for(shape.dialect).scored_documents(shape.concepts)
    else:
        stmt = select().select_from(doc)
    levels = [f"level_{number}" for number in range(shape.concepts)] + ["text_score"] if shape.keyword else []
    stmt = stmt.add_columns(
        doc.service_id.label("service_id"),
        doc.service_name.label("name"),
        nearest.label("nearest_d2"),
        func.coalesce(doc.countywide, false()).label("countywide"),
        remote.label("remote"),
        area.label("area"),
        speaks.label("speaks"),
        in_category.label("in_category"),
    ).where(*_document_conditions(shape.filters, shape.delivery))
    if service_conditions := _service_conditions(shape.filters):
        stmt = stmt.join(Service, Service.id == doc.service_id).where(*service_conditions)
    found = stmt.cte("found").prefix_with("MATERIALIZED")
    if shape.near:
        reaches = or_(found.c.countywide, and_(found.c.remote, found.c.area == 2))
        not_covered = and_(~found.c.countywide, found.c.area == 1)
    else:
        # With no place, only a countywide service is known to reach the person.
        reaches = found.c.countywide
        not_covered = false()
    stmt = select(
        *(found.c[level] for level in levels),
        found.c.service_id,
        found.c.name,
        found.c.nearest_d2,
        reaches.label("reaches"),
        not_covered.label("not_covered"),
        found.c.speaks,
        found.c.in_category,
    )
    # MATERIALIZED: computed once per service, not again for each use in the ranking expressions.
    return stmt.cte("candidates").prefix_with("MATERIALIZED")


def concept_factors(shape: SearchShape) -> list:
    """Each concept's `ranking.concept_factor`, as the bound parameters concept_factor_<n>."""
    return [bindparam(f"concept_factor_{number}", type_=Float) for number in range(shape.concepts)]


def concept_factor_values(concepts: tuple[Concept, ...]) -> dict[str, float]:
    return {
        f"concept_factor_{number}": concept_factor(concept.known_need) * concept.share
        for number, concept in enumerate(concepts)
    }


@functools.cache
def search_statements(shape: SearchShape) -> tuple[Select, Select]:
    """The page query and, for a page past the end, the count query, for one shape of search."""
    candidates = _candidates(shape)
    within_d2 = bindparam("within_d2") if shape.within else None
    factors = concept_factors(shape)
    page = ranked_page(
        candidates,
        shape.near,
        shape.keyword,
        within_d2,
        bindparam("limit"),
        bindparam("offset"),
        concepts=shape.concepts,
        factors=factors,
    )
    unpaged = ranked_page(
        candidates, shape.near, shape.keyword, within_d2, None, 0, concepts=shape.concepts, factors=factors
    )
    unpaged = unpaged.subquery()
    counts = select(
        select(func.count()).select_from(unpaged).scalar_subquery().label("total"),
        select(func.count()).select_from(candidates).scalar_subquery().label("matched"),
    )
    return page, counts


def ranked_services(shape: SearchShape) -> Select:
    """Every matching service with its ranking `position`, unpaged (see `ranked_page`)."""
    within_d2 = bindparam("within_d2") if shape.within else None
    return ranked_page(
        _candidates(shape),
        shape.near,
        shape.keyword,
        within_d2,
        None,
        0,
        concepts=shape.concepts,
        factors=concept_factors(shape),
        positioned=True,
    )
