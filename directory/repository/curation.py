"""Curation's queries: listings not checked lately, listings search does not find, and the edit form's choices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from directory.listing_facts import not_checked_cutoff
from directory.models import Organization, Service, ServiceStatus, TaxonomyTerm
from directory.repository.read import full_services
from signpost.platform.extensions import db


def not_checked_condition(cutoff: date | None = None):
    """A listing not checked since `cutoff` (or never): what editors are asked to check again
    (`directory.listing_facts.is_not_checked` in SQL; the cutoff defaults to today's)."""
    cutoff = cutoff or not_checked_cutoff()
    return or_(Service.assured_date.is_(None), Service.assured_date < cutoff)


def stale_service_ids(cutoff: date | None = None) -> set[str]:
    """Ids of the active listings not checked since `cutoff` (or never), to narrow a search's hits."""
    return set(
        db.session.scalars(
            select(Service.id).where(Service.status == ServiceStatus.ACTIVE, not_checked_condition(cutoff))
        )
    )


def count_not_checked(cutoff: date | None = None) -> int:
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


def organization_choices() -> list[tuple[str, str]]:
    """(id, name) of every organisation, by name, for a select."""
    rows = db.session.execute(select(Organization.id, Organization.name).order_by(Organization.name, Organization.id))
    return [(row.id, row.name) for row in rows]


def terms_by_ids(ids: Iterable[str]) -> list[TaxonomyTerm]:
    ids = list(set(ids))
    if not ids:
        return []
    return list(db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(ids)).order_by(TaxonomyTerm.name)))
