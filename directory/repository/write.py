"""Writing the directory: search rows, reindexing, bulk writes (imports and loading), versions and import runs.

Nothing here commits: the request or the `flask` command that called it owns the transaction (an import
commits per batch itself, in `directory.oruk.importing`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import (
    CompoundSelect,
    Float,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    union_all,
    update,
)

from directory.listing_rows import CHILD_ATTRIBUTES, ListingRows, Row, RowWrites
from directory.models import (
    ImportRun,
    Location,
    Organization,
    Phone,
    SearchDocument,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    ServiceTaxonomyTerm,
    ServiceVersion,
    Taxonomy,
    TaxonomyTerm,
    areas_text,
)
from directory.repository.index_state import bump_index_version, dialect_name
from signpost.platform.extensions import db

# --- search rows ------------------------------------------------------------------------------------


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
        "areas": areas_text(area.name for area in service.service_areas),
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


def _row_as_json(model: type, dialect: str):
    """A row as one JSON object (the tables read this way hold only text and numbers), so that rows of
    several tables can be read in one statement."""
    build = func.json_build_object if dialect == "postgresql" else func.json_object
    pairs = [part for column in model.__table__.c for part in (literal_column(f"'{column.key}'"), column)]
    return cast(build(*pairs), Text)


def _as_json(model: type, where, dialect: str) -> Select:
    kind = literal_column(f"'{model.__tablename__}'").label("kind")
    return select(kind, _row_as_json(model, dialect).label("row")).where(where)


_AS_JSON = {model.__tablename__: model for model in (*CHILD_ATTRIBUTES, Location, TaxonomyTerm)}
_FLOAT_COLUMNS = {
    model: [column.key for column in model.__table__.c if isinstance(column.type, Float)] for model in _AS_JSON.values()
}


@functools.cache
def _listing_statement(dialect: str, shared: bool) -> CompoundSelect:
    """Every child row of the services given as `ids`; with `shared`, the locations and terms they show too
    (built once per dialect: building it costs more than running it for one service)."""
    ids = bindparam("ids", expanding=True)
    branches = [_as_json(model, model.__table__.c.service_id.in_(ids), dialect) for model in CHILD_ATTRIBUTES]
    if shared:
        located = select(ServiceAtLocation.location_id).where(ServiceAtLocation.service_id.in_(ids))
        termed = select(ServiceTaxonomyTerm.taxonomy_term_id).where(ServiceTaxonomyTerm.service_id.in_(ids))
        branches += [
            _as_json(Location, Location.id.in_(located), dialect),
            _as_json(TaxonomyTerm, TaxonomyTerm.id.in_(termed), dialect),
        ]
    return union_all(*branches)


FEW = 100  # up to this many services, their child rows are read in one statement (see stored_listings)


def _child_rows_by_table(service_ids: list[str], shared: bool) -> Iterator[tuple[type, Row]]:
    """Every child row of these services, a statement per table (for many services: building JSON for each
    row would cost the database more than the round trips saved); with `shared`, the locations and terms
    they show, by the ids their rows give."""
    linked: dict[type, list[str]] = {Location: [], TaxonomyTerm: []}
    for model in CHILD_ATTRIBUTES:
        table = model.__table__
        for row in db.session.execute(select(table).where(table.c.service_id.in_(service_ids))).mappings():
            if model is ServiceAtLocation:
                linked[Location].append(row["location_id"])
            elif model is ServiceTaxonomyTerm:
                linked[TaxonomyTerm].append(row["taxonomy_term_id"])
            yield model, dict(row)
    for model, ids in linked.items() if shared else ():
        for row in rows_by_id(model, ids).values():
            yield model, row


def _child_rows_together(service_ids: list[str], shared: bool) -> Iterator[tuple[type, Row]]:
    """The same rows in one statement, each as JSON restored to its columns' types (a float column's whole
    number comes back as a float): for a few services, where round trips cost the most."""
    statement = _listing_statement(dialect_name(), shared)
    for kind, encoded in db.session.execute(statement, {"ids": service_ids}).tuples():
        model, row = _AS_JSON[kind], json.loads(encoded)
        for key in _FLOAT_COLUMNS[model]:
            if row[key] is not None:
                row[key] = float(row[key])
        yield model, row


def stored_listings(
    service_ids: Iterable[str], shared: dict[type, dict[str, Row]] | None = None
) -> dict[str, ListingRows]:
    """The stored services among these ids, each with its child tables' rows (phones by position); with
    `shared` ({Location: {}, TaxonomyTerm: {}}), the locations and terms they show are read with them, into
    it. A few services (a record, a page) take two statements; more, a statement per table per 1,000."""
    listings = {
        service_id: ListingRows(row, {model: [] for model in CHILD_ATTRIBUTES})
        for service_id, row in rows_by_id(Service, service_ids).items()
    }
    for chunk in _chunks(listings):
        found = (
            _child_rows_together(chunk, shared is not None)
            if len(listings) <= FEW
            else _child_rows_by_table(chunk, shared is not None)
        )
        for model, row in found:
            if shared is not None and model in shared:
                shared[model][row["id"]] = row
            else:
                listings[row["service_id"]].children[model].append(row)
    for listing in listings.values():
        listing.children[Phone].sort(key=lambda phone: phone["position"])
    return listings


def content_hashes(service_ids: Iterable[str]) -> dict[str, str]:
    """The content hash kept for each of these services that has one (see Service.content_hash)."""
    found = {}
    for chunk in _chunks(service_ids):
        rows = db.session.execute(
            select(Service.id, Service.content_hash).where(Service.id.in_(chunk), Service.content_hash.is_not(None))
        )
        found.update(dict(rows.tuples().all()))
    return found


def services_showing(organization_ids: Iterable[str], location_ids: Iterable[str]) -> set[str]:
    """The services that show any of these organisations or locations (whose documents and search rows
    hold their values)."""
    found: set[str] = set()
    for chunk in _chunks(organization_ids):
        found.update(db.session.scalars(select(Service.id).where(Service.organization_id.in_(chunk))))
    for chunk in _chunks(location_ids):
        stmt = select(ServiceAtLocation.service_id).where(ServiceAtLocation.location_id.in_(chunk))
        found.update(db.session.scalars(stmt))
    return found


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


# --- versions -------------------------------------------------------------------------------------


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


def next_version_number(service_id: str) -> int:
    return version_numbers([service_id]).get(service_id, 0) + 1


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


def service_version(service_id: str, version: int) -> ServiceVersion | None:
    """One kept version of a listing, or None."""
    return db.session.scalar(
        select(ServiceVersion).where(ServiceVersion.service_id == service_id, ServiceVersion.version == version)
    )


def neighbour_versions(service_id: str, version: int) -> tuple[ServiceVersion | None, int | None]:
    """The kept version just before `version` (None for the first) and the number of the one just after."""
    earlier = db.session.scalar(
        select(ServiceVersion)
        .where(ServiceVersion.service_id == service_id, ServiceVersion.version < version)
        .order_by(ServiceVersion.version.desc())
        .limit(1)
    )
    later = db.session.scalar(
        select(func.min(ServiceVersion.version)).where(
            ServiceVersion.service_id == service_id, ServiceVersion.version > version
        )
    )
    return earlier, later


# --- import runs ----------------------------------------------------------------------------------


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
    db.session.flush()  # gives the run its id
    return run


def get_import_run(run_id: str) -> ImportRun | None:
    return db.session.get(ImportRun, run_id)


def savepoint():
    """A nested transaction: roll back one part of a batch without losing the rest."""
    return db.session.begin_nested()


def refresh_statistics() -> None:
    """Update the query planner's statistics after a bulk load, so searches plan well at once."""
    db.session.execute(text("ANALYZE"))


def add_all(objects: Iterable[object]) -> None:
    db.session.add_all(list(objects))


def store_listing(service: Service) -> None:
    """Put a new or changed listing in the session and write it (so it and its children have ids)."""
    db.session.add(service)
    db.session.flush()
