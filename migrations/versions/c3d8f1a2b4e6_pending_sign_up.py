"""pending sign up

Sign-ups waiting for the link sent to their e-mail address: the organisation and its
first admin are created only when the link is followed.

Revision ID: c3d8f1a2b4e6
Revises: 74491110d2fb
Create Date: 2026-12-05 09:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3d8f1a2b4e6'
down_revision = '74491110d2fb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_sign_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('organisation_name', sa.String(length=300), nullable=False),
    sa.Column('organisation_type', sa.String(length=4), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_sign_up')),
    sa.UniqueConstraint('email', name=op.f('uq_pending_sign_up_email'))
    )


def downgrade():
    op.drop_table('pending_sign_up')
