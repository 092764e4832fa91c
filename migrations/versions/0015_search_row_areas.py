"""Search rows carry the names of their service's areas, so ranking by a person's district reads one table.

Filled here for existing rows, and by `directory.repository.search_row` whenever a listing changes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 19:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

MARK = "\x1f"  # directory.models.AREA_MARK, as it was when this migration was written


def upgrade():
    # Plain ALTER TABLE, not batch mode: on SQLite a batch rebuild would drop the triggers that keep the
    # FTS5 index in step with search_document (none of them fires for this column).
    op.add_column("search_document", sa.Column("areas", sa.Text(), nullable=True))
    bind = op.get_bind()
    names: dict[str, set[str]] = {}
    for service_id, name in bind.execute(sa.text("SELECT service_id, name FROM service_area")):
        names.setdefault(service_id, set()).add(name.replace(MARK, " "))
    rows = [{"s": service_id, "a": MARK + MARK.join(sorted(found)) + MARK} for service_id, found in names.items()]
    if rows:
        bind.execute(sa.text("UPDATE search_document SET areas = :a WHERE service_id = :s"), rows)


def downgrade():
    op.drop_column("search_document", "areas")
