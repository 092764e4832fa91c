"""Listing sources, versions, problem reports and import runs.

listing sources, versions, problem reports and import runs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:07:31.232397

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('import_run',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_run'))
    )
    op.create_table('service_version',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('changed_by', sa.String(length=255), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_version')),
    sa.UniqueConstraint('service_id', 'version', name=op.f('uq_service_version_service_id'))
    )
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_version_service_id'), ['service_id'], unique=False)

    op.create_table('problem_report',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('topic', sa.String(length=30), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolved_by', sa.String(length=255), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_problem_report_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_report'))
    )
    with op.batch_alter_table('problem_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_report_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_report_status'), ['status'], unique=False)

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True))




def downgrade():

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('imported_at')
        batch_op.drop_column('source')

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('imported_at')
        batch_op.drop_column('source')

    with op.batch_alter_table('problem_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_report_status'))
        batch_op.drop_index(batch_op.f('ix_problem_report_service_id'))

    op.drop_table('problem_report')
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_version_service_id'))

    op.drop_table('service_version')
    op.drop_table('import_run')

