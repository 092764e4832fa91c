"""Staff accounts, signposting records, survey invitations and responses, notification outbox.

Responses are kept apart from contact details: survey_response holds no link to signposting_record.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:13:28.232668

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('recipient', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_created_at'), ['created_at'], unique=False)

    op.create_table('staff_user',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_user_email'))
    )
    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('survey_id', sa.String(length=40), nullable=False),
    sa.Column('survey_version', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('district', sa.String(length=60), nullable=True),
    sa.Column('need_category', sa.String(length=80), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_name', sa.String(length=255), nullable=True),
    sa.Column('organisation_type', sa.String(length=20), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index('ix_survey_response_survey_submitted', ['survey_id', 'submitted_on'], unique=False)

    op.create_table('signposting_record',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('need_category', sa.String(length=80), nullable=True),
    sa.Column('district', sa.String(length=60), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('survey_consent', sa.Boolean(), nullable=False),
    sa.Column('contact_email', sa.String(length=255), nullable=True),
    sa.Column('contact_mobile', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['staff_user.id'], name=op.f('fk_signposting_record_created_by_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signposting_record'))
    )
    with op.batch_alter_table('signposting_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signposting_record_created_at'), ['created_at'], unique=False)

    op.create_table('survey_answer',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['response_id'], ['survey_response.id'], name=op.f('fk_survey_answer_response_id_survey_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'question_id', name=op.f('pk_survey_answer'))
    )
    op.create_table('signposted_service',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('service_name', sa.String(length=255), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_name', sa.String(length=255), nullable=False),
    sa.Column('organisation_type', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['signposting_record.id'], name=op.f('fk_signposted_service_record_id_signposting_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signposted_service'))
    )
    with op.batch_alter_table('signposted_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signposted_service_record_id'), ['record_id'], unique=False)

    op.create_table('survey_invitation',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('survey_id', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('signposted_service_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['signposting_record.id'], name=op.f('fk_survey_invitation_record_id_signposting_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signposted_service_id'], ['signposted_service.id'], name=op.f('fk_survey_invitation_signposted_service_id_signposted_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_invitation_token_hash'))
    )
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitation_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_signposted_service_id'), ['signposted_service_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitation_signposted_service_id'))
        batch_op.drop_index(batch_op.f('ix_survey_invitation_record_id'))

    op.drop_table('survey_invitation')
    with op.batch_alter_table('signposted_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signposted_service_record_id'))

    op.drop_table('signposted_service')
    op.drop_table('survey_answer')
    with op.batch_alter_table('signposting_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signposting_record_created_at'))

    op.drop_table('signposting_record')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_response_survey_submitted')

    op.drop_table('survey_response')
    op.drop_table('staff_user')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_created_at'))

    op.drop_table('outbox_message')
