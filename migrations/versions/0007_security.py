"""Security: an atomic sign-in attempt counter and server-side staff sessions.

sign_in_counter holds one row per sign-in key (a keyed hash of the address typed): the failures in the
current window and when the last one was, updated in one statement so concurrent attempts cannot overtake
the lockout. staff_session holds one row per signed-in browser (the hash of a random id kept in the cookie),
so signing out, a password change or an admin's "sign out everywhere" ends sessions at once.
staff_user.password_reset_required marks an account an admin has forced to choose a new password.

Survey responses get random ids (UUIDs) instead of a sequence, on tables without SQLite's rowid, and each
invitation's used_at is cut to its day: a sequence and an exact time lined responses up with the invitations
used, and so with the people invited. Existing responses get new random ids; the downgrade numbers them by day.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 11:00:00

"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


RESPONSE_TABLES = ("survey_response", "survey_answer")
ANSWER_FK = "fk_survey_answer_response_id_survey_response"


RESPONSE_INDEX = ("survey_id", "submitted_on", "district", "organisation_type")
ANSWER_INDEX = ("survey_id", "question_id", "submitted_on", "code", "district", "organisation_type")


def _renumber_postgresql(new_ids: dict, id_type: sa.types.TypeEngine) -> None:
    """Retype and renumber responses and answers in place (the foreign key dropped meanwhile)."""
    bind = op.get_bind()
    op.drop_constraint(ANSWER_FK, "survey_answer", type_="foreignkey")
    op.alter_column("survey_response", "id", type_=sa.String(36), postgresql_using="id::text", server_default=None)
    op.alter_column("survey_answer", "response_id", type_=sa.String(36), postgresql_using="response_id::text")
    params = [{"old": str(old), "new": str(new)} for old, new in new_ids.items()]
    if params:
        bind.execute(sa.text("UPDATE survey_response SET id = :new WHERE id = :old"), params)
        bind.execute(sa.text("UPDATE survey_answer SET response_id = :new WHERE response_id = :old"), params)
    if isinstance(id_type, sa.Integer):
        op.alter_column("survey_response", "id", type_=id_type, postgresql_using="id::integer")
        op.alter_column("survey_answer", "response_id", type_=id_type, postgresql_using="response_id::integer")
    op.create_foreign_key(ANSWER_FK, "survey_answer", "survey_response", ["response_id"], ["id"], ondelete="CASCADE")


def _copy_table(
    meta: sa.MetaData, name: str, id_column: str, id_type: sa.types.TypeEngine, rowid: bool, new_ids: dict
) -> None:
    """SQLite: copy ``name`` into a new table with ``id_column`` retyped and renumbered, then swap it in.

    (Dropping the old response table while answers still referred to it would cascade-delete them, so the
    answers are copied first and both old tables dropped before the new ones are renamed.)
    """
    bind = op.get_bind()
    old = sa.Table(name, sa.MetaData(), autoload_with=bind)
    columns = [
        sa.Column(
            c.name,
            id_type if c.name == id_column else c.type,
            nullable=c.nullable,
            primary_key=c.primary_key,
            autoincrement=rowid and c.name == id_column and name == "survey_response",
            server_default=c.server_default,
        )
        for c in old.columns
    ]
    extra = []
    if name == "survey_answer":
        extra.append(sa.ForeignKeyConstraint(["response_id"], ["survey_response_new.id"], ondelete="CASCADE"))
    new = sa.Table(f"{name}_new", meta, *columns, *extra, sqlite_with_rowid=rowid)
    new.create(bind)
    rows = [dict(row._mapping) for row in bind.execute(sa.select(old))]
    for row in rows:
        row[id_column] = new_ids[row[id_column]]
    if rows:
        bind.execute(new.insert(), rows)


def _renumber_sqlite(new_ids: dict, id_type: sa.types.TypeEngine, rowid: bool) -> None:
    op.drop_index("ix_survey_answer_scope", table_name="survey_answer")
    op.drop_index("ix_survey_response_scope", table_name="survey_response")
    meta = sa.MetaData()
    _copy_table(meta, "survey_response", "id", id_type, rowid, new_ids)
    _copy_table(meta, "survey_answer", "response_id", id_type, rowid, new_ids)
    op.drop_table("survey_answer")
    op.drop_table("survey_response")
    op.rename_table("survey_response_new", "survey_response")  # SQLite rewrites the answers' reference too
    op.rename_table("survey_answer_new", "survey_answer")
    op.create_index("ix_survey_response_scope", "survey_response", list(RESPONSE_INDEX))
    op.create_index("ix_survey_answer_scope", "survey_answer", list(ANSWER_INDEX))


def _renumber(new_ids: dict, id_type: sa.types.TypeEngine, *, rowid: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        _renumber_postgresql(new_ids, id_type)
    else:
        _renumber_sqlite(new_ids, id_type, rowid)


def _responses_to_uuids() -> None:
    bind = op.get_bind()
    old_ids = bind.execute(sa.text("SELECT id FROM survey_response")).scalars().all()
    _renumber({old: str(uuid.uuid4()) for old in old_ids}, sa.String(length=36), rowid=False)
    # Used at the start of its day, never the moment (what the application now stores).
    if bind.dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS survey_response_id_seq")
        op.execute("UPDATE survey_invitation SET used_at = date_trunc('day', used_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' WHERE used_at IS NOT NULL")
    else:
        op.execute("UPDATE survey_invitation SET used_at = date(used_at) || ' 00:00:00.000000' WHERE used_at IS NOT NULL")


def _responses_to_sequence() -> None:
    bind = op.get_bind()
    old_ids = bind.execute(sa.text("SELECT id FROM survey_response ORDER BY submitted_on, id")).scalars().all()
    _renumber({old: number for number, old in enumerate(old_ids, start=1)}, sa.Integer(), rowid=True)
    if bind.dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE survey_response_id_seq OWNED BY survey_response.id")
        op.execute("ALTER TABLE survey_response ALTER COLUMN id SET DEFAULT nextval('survey_response_id_seq')")
        op.execute(
            "SELECT setval('survey_response_id_seq', COALESCE((SELECT max(id) FROM survey_response), 0) + 1, false)"
        )


def upgrade() -> None:
    op.create_table(
        "sign_in_counter",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_counter")),
    )


    op.create_table(
        "staff_session",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_staff_session_user_id_staff_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_staff_session")),
    )
    op.create_index(op.f("ix_staff_session_user_id"), "staff_session", ["user_id"])
    # Plain ALTER TABLE, never a batch copy: rebuilding staff_user on SQLite would cascade to what refers to it.
    op.add_column(
        "staff_user", sa.Column("password_reset_required", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    _responses_to_uuids()


def downgrade() -> None:
    _responses_to_sequence()
    op.execute("ALTER TABLE staff_user DROP COLUMN password_reset_required")  # SQLite 3.35+ and PostgreSQL
    op.drop_index(op.f("ix_staff_session_user_id"), table_name="staff_session")
    op.drop_table("staff_session")
    op.drop_table("sign_in_counter")
