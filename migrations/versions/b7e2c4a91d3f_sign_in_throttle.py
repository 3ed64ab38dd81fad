"""sign in throttle

Failed web sign-ins per e-mail address (hashed), shared by every worker: after a few
failures the address is locked for a while, longer each time.

Revision ID: b7e2c4a91d3f
Revises: 96123679393a
Create Date: 2026-12-04 17:40:12.512344

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e2c4a91d3f'
down_revision = '96123679393a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('lockouts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle'))
    )


def downgrade():
    op.drop_table('sign_in_throttle')
