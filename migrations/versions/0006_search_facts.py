"""Search rows carry what ranking needs, so a search reads one table.

search_document gets copies of its service's name, whether it is active and countywide, how it is delivered,
whether it is free, its age limits, how many located locations it has, and the coordinates of the only one
when there is exactly one.
Filled here for existing rows, and by `directory.repository.refresh_search_facts` whenever a listing changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 15:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (
    sa.Column("service_name", sa.Text(), nullable=False, server_default=""),
    sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("countywide", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("in_person", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("by_phone", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("online", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("is_free", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("minimum_age", sa.Integer(), nullable=True),
    sa.Column("maximum_age", sa.Integer(), nullable=True),
    sa.Column("location_count", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("latitude", sa.Float(), nullable=True),
    sa.Column("longitude", sa.Float(), nullable=True),
)

LOCATED = (
    "FROM service_at_location JOIN location ON location.id = service_at_location.location_id "
    "WHERE service_at_location.service_id = search_document.service_id "
    "AND location.latitude IS NOT NULL AND location.longitude IS NOT NULL"
)
OWN = "FROM service WHERE service.id = search_document.service_id"
BACKFILL = (
    f"UPDATE search_document SET service_name = (SELECT name {OWN}), "
    f"active = (SELECT status = 'active' {OWN}), countywide = (SELECT countywide {OWN}), "
    f"in_person = (SELECT in_person {OWN}), by_phone = (SELECT by_phone {OWN}), online = (SELECT online {OWN}), "
    f"is_free = (SELECT is_free {OWN}), minimum_age = (SELECT minimum_age {OWN}), "
    f"maximum_age = (SELECT maximum_age {OWN}), location_count = (SELECT count(*) {LOCATED}), "
    f"latitude = (SELECT min(location.latitude) {LOCATED}), longitude = (SELECT min(location.longitude) {LOCATED})"
)


# On SQLite the FTS5 index is refreshed only when the text it holds changes, not for every fact copied here.
SQLITE_TEXT_TRIGGER = (
    "CREATE TRIGGER search_document_au AFTER UPDATE {of}ON search_document BEGIN "
    "INSERT INTO service_fts(service_fts, rowid, name, categories, body) "
    "VALUES ('delete', old.id, old.name, old.categories, old.body); "
    "INSERT INTO service_fts(rowid, name, categories, body) VALUES (new.id, new.name, new.categories, new.body); END"
)


def _sqlite_update_trigger(of: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS search_document_au")
        op.execute(SQLITE_TEXT_TRIGGER.format(of=of))


# On PostgreSQL, browsing (filters with no words) reads the facts from this index alone.
POSTGRES_FACTS_INDEX = (
    "CREATE INDEX ix_search_document_facts ON search_document (service_id) INCLUDE (service_name, active, "
    "countywide, in_person, by_phone, online, is_free, minimum_age, maximum_age, location_count, latitude, longitude)"
)


# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuild would drop the triggers that keep the
# FTS5 index in step with search_document.
def upgrade():
    for column in COLUMNS:
        op.add_column("search_document", column._copy())
    _sqlite_update_trigger("OF name, categories, body ")
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FACTS_INDEX)


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_search_document_facts")
    _sqlite_update_trigger("")
    for column in reversed(COLUMNS):
        op.drop_column("search_document", column.name)
