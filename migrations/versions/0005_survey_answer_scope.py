"""Survey answers carry their response's scope fields, so indicators count answers without a join.

Each survey_answer row gets copies of its response's survey_id, submitted_on, district, need_category,
channel, organisation_id and organisation_type (filled here for existing rows, and by the application for new
ones). ix_survey_answer_scope lets an indicator count one question's answers by code with an index-only scan;
ix_survey_response_scope (replacing ix_survey_response_survey_submitted) does the same for the responses in
scope, which also counts the ones that skipped the question.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COPIED = {
    "survey_id": sa.String(length=40),
    "submitted_on": sa.Date(),
    "district": sa.String(length=60),
    "need_category": sa.String(length=80),
    "channel": sa.String(length=20),
    "organisation_id": sa.String(length=36),
    "organisation_type": sa.String(length=20),
}
NOT_NULL = ("survey_id", "submitted_on")
ANSWER_INDEX = ("survey_id", "question_id", "submitted_on", "code", "district", "organisation_type")
RESPONSE_INDEX = ("survey_id", "submitted_on", "district", "organisation_type")


def _backfill() -> None:
    names = list(COPIED)
    if op.get_bind().dialect.name == "postgresql":
        assignments = ", ".join(f"{name} = r.{name}" for name in names)
        op.execute(
            f"UPDATE survey_answer SET {assignments} FROM survey_response AS r WHERE r.id = survey_answer.response_id"
        )
    else:  # a row value from a correlated subquery: any SQLite since 3.15
        op.execute(
            f"UPDATE survey_answer SET ({', '.join(names)}) = "
            f"(SELECT {', '.join(names)} FROM survey_response AS r WHERE r.id = survey_answer.response_id)"
        )


def upgrade():
    # Added empty, filled from the responses, then made NOT NULL where the response's own column is.
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        for name, type_ in COPIED.items():
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    _backfill()
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        for name in NOT_NULL:
            batch_op.alter_column(name, existing_type=COPIED[name], nullable=False)
        batch_op.create_index("ix_survey_answer_scope", list(ANSWER_INDEX), unique=False)
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_response_survey_submitted")
        batch_op.create_index("ix_survey_response_scope", list(RESPONSE_INDEX), unique=False)


def downgrade():
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_response_scope")
        batch_op.create_index("ix_survey_response_survey_submitted", ["survey_id", "submitted_on"], unique=False)
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_answer_scope")
        for name in reversed(COPIED):
            batch_op.drop_column(name)
