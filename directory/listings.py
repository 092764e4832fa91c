"""Saving a listing: `save_listing` is the one way a change to one listing is stored.

A save writes the listing, a new kept version (who, when, and the ORUK JSON of what it now says), its
refreshed search row, and an audit entry, all or nothing; it clears the listing's import content hash, so
the next import of its record writes it again rather than skipping it as unchanged. Curation saves through
it. Imports and loading write thousands of listings at once in batches (`directory.oruk.importing`,
`directory.loading`), one statement per table, which is many times faster than a save per listing; they
write the same things with
the same functions: `repository.search_row` for the search row, `repository.version_row` and
`repository.version_numbers` for the version, `serialise.document_text` for its snapshot. An import's audit
is its ImportRun row, so it adds no audit entry per listing.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from directory import repository
from directory.models import Service, utcnow
from directory.oruk import serialise
from signpost.platform import audit


def save_listing(service: Service, action: str, by: str) -> bool:
    """Store a change to `service` (`action`: created, edited, archived, restored or checked, by `by`), with
    its kept version and search row; False, with nothing stored, when the database refused it (such as
    when someone else saved the same listing at the same moment)."""
    try:
        with repository.savepoint():
            service.last_modified = utcnow()
            service.content_hash = None  # no longer what an import gave: the next import writes it again
            repository.store_listing(service)
            version = repository.next_version_number(service.id)
            repository.add_version(service.id, version, action, by, serialise.snapshot(service), utcnow())
            repository.reindex([service])
    except SQLAlchemyError:
        return False
    audit.record(f"listing.{action}", service.id)
    return True
