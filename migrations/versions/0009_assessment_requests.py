"""Requests for a financial or carer's assessment, made from a guide's result, for the staff queue.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 11:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assessment_request",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("contact_by", sa.String(length=10), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("best_time", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contacted_by", sa.String(length=36), nullable=True),
        sa.Column("contacted_note", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=36), nullable=True),
        sa.Column("closed_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contacted_by"],
            ["staff_user.id"],
            name=op.f("fk_assessment_request_contacted_by_staff_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["staff_user.id"], name=op.f("fk_assessment_request_closed_by_staff_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_request")),
        sa.UniqueConstraint("reference", name=op.f("uq_assessment_request_reference")),
    )
    op.create_index(op.f("ix_assessment_request_created_at"), "assessment_request", ["created_at"])
    op.create_index(op.f("ix_assessment_request_status"), "assessment_request", ["status"])


def downgrade():
    op.drop_index(op.f("ix_assessment_request_status"), table_name="assessment_request")
    op.drop_index(op.f("ix_assessment_request_created_at"), table_name="assessment_request")
    op.drop_table("assessment_request")
