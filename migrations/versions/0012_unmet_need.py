"""Unmet need: one row per search or Ask us question as a need code, district, month and found or not;
and a note on each problem report saying what was done about it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 18:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
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
    # Curation: what an editor did about a problem report, or why it was rejected.
    with op.batch_alter_table("problem_report") as batch:
        batch.add_column(sa.Column("resolution_note", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("problem_report") as batch:
        batch.drop_column("resolution_note")
    op.drop_index("ix_unmet_need_event_month", table_name="unmet_need_event")
    op.drop_table("unmet_need_event")
