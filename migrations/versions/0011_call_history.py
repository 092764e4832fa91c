"""Call history: a short reference per signposting record, how the list was sent, the survey invitation sent
later (``surveys send-due``), and the staff account each outbox message was sent for.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


RECORD_COLUMNS = (
    sa.Column("reference", sa.String(length=12), nullable=True),
    sa.Column("list_sent_by", sa.String(length=10), nullable=True),
    sa.Column("list_sent_to", sa.String(length=60), nullable=True),
    sa.Column("survey_send_by", sa.String(length=10), nullable=True),
    sa.Column("survey_due_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("survey_sent_at", sa.DateTime(timezone=True), nullable=True),
)


# Plain ADD/DROP COLUMN, never batch mode: on SQLite batch mode copies and drops signposting_record, and
# dropping it cascades to every survey invitation (foreign keys are on). SQLite has dropped columns since 3.35.
def upgrade():
    for column in RECORD_COLUMNS:
        op.add_column("signposting_record", column)
    op.create_index(op.f("ix_signposting_record_reference"), "signposting_record", ["reference"], unique=True)
    op.create_index(op.f("ix_signposting_record_survey_due_at"), "signposting_record", ["survey_due_at"])
    op.add_column("outbox_message", sa.Column("staff_id", sa.String(length=36), nullable=True))
    op.create_index(op.f("ix_outbox_message_staff_id"), "outbox_message", ["staff_id"])


def downgrade():
    op.drop_index(op.f("ix_outbox_message_staff_id"), table_name="outbox_message")
    op.execute("ALTER TABLE outbox_message DROP COLUMN staff_id")
    op.drop_index(op.f("ix_signposting_record_survey_due_at"), table_name="signposting_record")
    op.drop_index(op.f("ix_signposting_record_reference"), table_name="signposting_record")
    for column in reversed(RECORD_COLUMNS):
        op.execute(f"ALTER TABLE signposting_record DROP COLUMN {column.name}")
