"""Open Referral UK records kept whole: no length limits below the database's, the full RFC 5545 rule of a
schedule, and the ORUK fields Signpost has no column for kept as JSON beside each row (`oruk_extra`).

On PostgreSQL the VARCHAR(n) columns an ORUK feed fills become TEXT (SQLite never enforced the lengths).
The downgrade drops the new columns and cuts text back to the old lengths.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 11:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# table -> {column: its old VARCHAR length}
WIDENED = {
    "organization": {"name": 255, "email": 255, "website": 500},
    "service": {"name": 255, "url": 500, "email": 255},
    "location": {"name": 255, "address_1": 255, "city": 120, "postal_code": 10, "district": 60},
    "phone": {"number": 40, "description": 255},
    "contact": {"name": 255, "title": 255, "email": 255},
    "schedule": {"byday": 40, "opens_at": 5, "closes_at": 5, "description": 255},
    "cost_option": {"currency": 3, "amount_description": 255},
    "language": {"code": 10, "name": 60},
    "service_area": {"name": 120},
    "taxonomy": {"name": 255, "version": 40},
    "taxonomy_term": {"code": 80, "name": 255},
}
WITH_EXTRA = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "phone",
    "contact",
    "schedule",
    "cost_option",
    "language",
    "service_area",
)
SCHEDULE_COLUMNS = (
    ("freq", sa.Text()),
    ("interval", sa.Integer()),
    ("bymonthday", sa.Text()),
    ("dtstart", sa.Text()),
    ("until", sa.Text()),
    ("count", sa.Integer()),
    ("valid_from", sa.Text()),
    ("valid_to", sa.Text()),
    ("notes", sa.Text()),
    ("attending_type", sa.Text()),
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in WIDENED.items():
            for column, length in columns.items():
                op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length))
    for table in WITH_EXTRA:
        op.add_column(table, sa.Column("oruk_extra", sa.Text(), nullable=True))
    for name, type_ in SCHEDULE_COLUMNS:
        op.add_column("schedule", sa.Column(name, type_, nullable=True))
    # Schedules stored before this revision were weekly rules whenever they named days.
    op.execute("UPDATE schedule SET freq = 'WEEKLY' WHERE byday IS NOT NULL AND byday <> ''")


def downgrade():
    for name, _type in reversed(SCHEDULE_COLUMNS):
        op.drop_column("schedule", name)
    for table in reversed(WITH_EXTRA):
        op.drop_column(table, "oruk_extra")
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in WIDENED.items():
            for column, length in columns.items():
                op.alter_column(
                    table,
                    column,
                    type_=sa.String(length),
                    existing_type=sa.Text(),
                    postgresql_using=f"left({column}, {length})",
                )
