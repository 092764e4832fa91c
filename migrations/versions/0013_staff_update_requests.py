"""Provider update requests: a problem report may carry an optional contact email (deleted when it is closed).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 01:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("problem_report") as batch:
        batch.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table("problem_report") as batch:
        batch.drop_column("contact_email")
