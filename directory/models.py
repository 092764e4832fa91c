"""Directory tables, shaped after Open Referral UK 3.0 / HSDS 3.0.

Only `directory.repository` and the loaders query these; views go through the repository.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, DateTime, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signpost.platform.extensions import db


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class OrganizationType(enum.StrEnum):
    VOLUNTARY = "voluntary"
    STATUTORY = "statutory"
    PRIVATE = "private"


class ServiceStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ARCHIVED = "archived"


class Referral(enum.StrEnum):
    SELF = "self"
    PROFESSIONAL = "professional"
    EITHER = "either"


UUID = String(36)


class Organization(db.Model):
    __tablename__ = "organization"
    __table_args__ = (Index("ix_organization_name_id", "name", "id"),)  # the API lists them by name (0010)

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    oruk_extra: Mapped[str | None] = mapped_column(Text)  # ORUK fields with no column here, as JSON
    organization_type: Mapped[OrganizationType] = mapped_column(
        Enum(OrganizationType, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    source: Mapped[str | None] = mapped_column(String(500))
    imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_modified: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    services: Mapped[list[Service]] = relationship(back_populates="organization")


class Service(db.Model):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    oruk_extra: Mapped[str | None] = mapped_column(Text)  # ORUK fields with no column here, as JSON
    status: Mapped[ServiceStatus] = mapped_column(
        Enum(ServiceStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=ServiceStatus.ACTIVE,
        index=True,
    )
    eligibility_description: Mapped[str] = mapped_column(Text, default="")
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    application_process: Mapped[str] = mapped_column(Text, default="")
    referral: Mapped[Referral] = mapped_column(
        Enum(Referral, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Referral.SELF,
    )
    is_free: Mapped[bool] = mapped_column(Boolean, default=False)
    fees_description: Mapped[str] = mapped_column(Text, default="")
    in_person: Mapped[bool] = mapped_column(Boolean, default=False)
    by_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    countywide: Mapped[bool] = mapped_column(Boolean, default=False)
    assured_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(500))  # where an imported listing came from
    imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A hash of the ORUK record last imported (directory.oruk.importing.record_hash): the same record again
    # is skipped. Any other save of the listing clears it, so the next import writes the record again.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    last_modified: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="services")
    phones: Mapped[list[Phone]] = relationship(cascade="all, delete-orphan", order_by="Phone.position")
    contacts: Mapped[list[Contact]] = relationship(cascade="all, delete-orphan")
    schedules: Mapped[list[Schedule]] = relationship(cascade="all, delete-orphan")
    cost_options: Mapped[list[CostOption]] = relationship(cascade="all, delete-orphan")
    languages: Mapped[list[Language]] = relationship(cascade="all, delete-orphan")
    service_areas: Mapped[list[ServiceArea]] = relationship(cascade="all, delete-orphan")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    taxonomy_terms: Mapped[list[TaxonomyTerm]] = relationship(secondary="service_taxonomy_term")


class Location(db.Model):
    __tablename__ = "location"
    __table_args__ = (Index("ix_location_name_id", "name", "id"),)  # the API lists them by name (0010)

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text, default="")
    address_1: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(Text, default="")
    postal_code: Mapped[str] = mapped_column(Text, default="")
    district: Mapped[str | None] = mapped_column(Text, index=True)
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    oruk_extra: Mapped[str | None] = mapped_column(Text)


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"
    __table_args__ = (
        UniqueConstraint("service_id", "location_id"),
        Index("ix_service_at_location_service_id_id", "service_id", "id"),  # a listing's, in order (0010)
    )

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), index=True)
    oruk_extra: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship()


class Phone(db.Model):
    __tablename__ = "phone"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    oruk_extra: Mapped[str | None] = mapped_column(Text)


class Contact(db.Model):
    __tablename__ = "contact"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(Text)
    oruk_extra: Mapped[str | None] = mapped_column(Text)


class Schedule(db.Model):
    """Opening times as an RFC 5545 rule: `byday` holds day codes, with an optional ordinal ("MO,TU",
    "2WE", "-1FR"), `bymonthday` days of the month ("1,15"); dates and times are kept as they came."""

    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    byday: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[str | None] = mapped_column(Text)
    closes_at: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    freq: Mapped[str | None] = mapped_column(Text)
    interval: Mapped[int | None] = mapped_column(Integer)
    bymonthday: Mapped[str | None] = mapped_column(Text)
    dtstart: Mapped[str | None] = mapped_column(Text)
    until: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[str | None] = mapped_column(Text)
    valid_to: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    attending_type: Mapped[str | None] = mapped_column(Text)
    oruk_extra: Mapped[str | None] = mapped_column(Text)


class CostOption(db.Model):
    __tablename__ = "cost_option"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    amount: Mapped[float | None] = mapped_column()
    currency: Mapped[str] = mapped_column(Text, default="GBP")
    amount_description: Mapped[str] = mapped_column(Text, default="")
    oruk_extra: Mapped[str | None] = mapped_column(Text)


class Language(db.Model):
    __tablename__ = "language"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text, default="")
    oruk_extra: Mapped[str | None] = mapped_column(Text)


class ServiceArea(db.Model):
    """Where a service is offered: a district name, or the whole county."""

    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    oruk_extra: Mapped[str | None] = mapped_column(Text)


class Taxonomy(db.Model):
    __tablename__ = "taxonomy"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[str | None] = mapped_column(Text)


class TaxonomyTerm(db.Model):
    __tablename__ = "taxonomy_term"
    __table_args__ = (UniqueConstraint("taxonomy_id", "code"),)

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    taxonomy_id: Mapped[str] = mapped_column(ForeignKey("taxonomy.id"), index=True)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy_term.id"))


class ServiceTaxonomyTerm(db.Model):
    __tablename__ = "service_taxonomy_term"

    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    taxonomy_term_id: Mapped[str] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True, index=True
    )


AREA_MARK = "\x1f"  # ASCII unit separator: never in an area's name (`area_key` drops it)


def area_key(name: str) -> str:
    """How one area's name is found in `SearchDocument.areas`."""
    return AREA_MARK + name.replace(AREA_MARK, " ") + AREA_MARK


def areas_text(names: Iterable[str]) -> str | None:
    """`SearchDocument.areas` for these area names."""
    unique = sorted({name.replace(AREA_MARK, " ") for name in names})
    return AREA_MARK + AREA_MARK.join(unique) + AREA_MARK if unique else None


class SearchDocument(db.Model):
    """The text a service is found by, kept in step with the service by `directory.repository`.

    The database keeps the full-text index in step by itself (the migration sets this up): SQLite
    mirrors rows into the FTS5 table `service_fts` with triggers (rowid = `id`); PostgreSQL keeps a
    generated, weighted tsvector column `document` with a GIN index.
    """

    __tablename__ = "search_document"
    # Browsing reads active listings in this order, a page at a time (0010; `repository.search_page`).
    __table_args__ = (
        Index(
            "ix_search_document_browse",
            "active",
            text("lower(service_name)"),
            "service_id",
            postgresql_include=["service_name"],
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # What ranking needs, copied from the service so a search reads this one table
    # (see `repository.search_row`).
    service_name: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    countywide: Mapped[bool] = mapped_column(Boolean, default=False)
    in_person: Mapped[bool] = mapped_column(Boolean, default=False)
    by_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    is_free: Mapped[bool] = mapped_column(Boolean, default=False)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    location_count: Mapped[int] = mapped_column(Integer, default=0)  # locations with coordinates
    latitude: Mapped[float | None] = mapped_column()  # of the only location, when there is exactly one
    longitude: Mapped[float | None] = mapped_column()
    # The names of the service's areas, each followed by AREA_MARK and the whole begun with it ("\x1fStevenage\x1f"),
    # so ranking asks whether it covers a district without reading service_area; None when it names none.
    areas: Mapped[str | None] = mapped_column(Text)


class DirectoryMeta(db.Model):
    """Small key/value facts about the directory, such as the search index version."""

    __tablename__ = "directory_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


class ServiceVersion(db.Model):
    """A kept copy of a listing after each change: who, when, what it said (ORUK JSON)."""

    __tablename__ = "service_version"
    __table_args__ = (UniqueConstraint("service_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # created, edited, archived, restored, checked, imported
    changed_by: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    snapshot: Mapped[str] = mapped_column(Text)


class ProblemReport(db.Model):
    """A resident's "report a problem with this listing", or a provider's request to update it (topics
    ``update_provider`` and ``update_other``), queued for editors."""

    __tablename__ = "problem_report"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(30))  # out_of_date, closed, wrong_contact, other
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(255))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    """What the editor did about it (resolved) or why not (status "rejected")."""
    contact_email: Mapped[str | None] = mapped_column(String(254))
    """An update request's optional email, so an editor may ask about the change; deleted when it is closed."""


class ImportRun(db.Model):
    """One run of an import: its source, progress and the records it could not take."""

    __tablename__ = "import_run"

    id: Mapped[str] = mapped_column(UUID, primary_key=True, default=new_id)
    source: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    imported: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {record, errors}


class UnmetNeedEvent(db.Model):
    """One search or Ask us question, as a normalised need only: which category of help (a taxonomy code,
    never the words typed), which district, which month, and whether anything nearby was found. No query
    text, no postcode, no time of day, nothing about the person."""

    __tablename__ = "unmet_need_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    month: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(10))
    need: Mapped[str] = mapped_column(String(64))
    district: Mapped[str | None] = mapped_column(String(64))
    found: Mapped[bool] = mapped_column(Boolean)
