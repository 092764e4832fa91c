"""Indexes the Open Referral API and plain browsing page by, so a page is read in order, not sorted.

Browsing (no words, no place, no filter) lists active listings by lower-case name then id, and their service-at-locations
by id within each; organisations and locations are listed by name then id.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_search_document_browse",
        "search_document",
        ["active", sa.text("lower(service_name)"), "service_id"],
        postgresql_include=["service_name"],  # so PostgreSQL reads a page from the index alone
    )
    op.create_index("ix_service_at_location_service_id_id", "service_at_location", ["service_id", "id"])
    op.create_index("ix_organization_name_id", "organization", ["name", "id"])
    op.create_index("ix_location_name_id", "location", ["name", "id"])


def downgrade():
    op.drop_index("ix_location_name_id", table_name="location")
    op.drop_index("ix_service_at_location_service_id_id", table_name="service_at_location")
    op.drop_index("ix_organization_name_id", table_name="organization")
    op.drop_index("ix_search_document_browse", table_name="search_document")
