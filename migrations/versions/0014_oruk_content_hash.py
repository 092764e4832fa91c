"""The content hash of each imported listing's ORUK record, so re-importing an unchanged record is skipped.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 01:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service") as batch:
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("service") as batch:
        batch.drop_column("content_hash")
