"""Unmet need: one row per search or Ask us question as a need code, district, month and found or not.

Revision ID: 0012_unmet_need
Revises: 0009 (placeholder: the lead re-chains this after 0010 and 0011)
Create Date: 2026-12-03 18:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_unmet_need"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unmet_need_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("need", sa.String(length=64), nullable=False),
        sa.Column("district", sa.String(length=64), nullable=True),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_unmet_need_event_month", "unmet_need_event", ["month"])


def downgrade():
    op.drop_index("ix_unmet_need_event_month", table_name="unmet_need_event")
    op.drop_table("unmet_need_event")
