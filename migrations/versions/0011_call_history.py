"""Call history: a short reference per signposting record, how the list was sent, the survey invitation sent
later (``surveys send-due``), and the staff account each outbox message was sent for.

Revision ID: 0011_call_history
Revises: 0010 (placeholder: the lead re-chains this onto the 0010 migration another branch adds)
Create Date: 2026-12-03 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011_call_history"
down_revision = "0009"  # placeholder: "0010" once the other branch's 0010 is merged
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("signposting_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("list_sent_by", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("list_sent_to", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("survey_send_by", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("survey_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("survey_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_signposting_record_reference"), ["reference"])
        batch_op.create_index(batch_op.f("ix_signposting_record_survey_due_at"), ["survey_due_at"], unique=False)
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_id", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_message_staff_id"), ["staff_id"], unique=False)


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_staff_id"))
        batch_op.drop_column("staff_id")
    with op.batch_alter_table("signposting_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signposting_record_survey_due_at"))
        batch_op.drop_constraint(batch_op.f("uq_signposting_record_reference"), type_="unique")
        for column in ("survey_sent_at", "survey_due_at", "survey_send_by", "list_sent_to", "list_sent_by", "reference"):
            batch_op.drop_column(column)
