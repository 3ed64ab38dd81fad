"""coordinators sign in on the web

A coordinator is platform-wide and belongs to no organisation, like a coordinator's API token:
`user_account.organisation_id` may now be empty (`coordination user create --role coordinator`).

Revision ID: d2b6a8c4e1f7
Revises: d4a1b2c3e5f7
Create Date: 2026-12-05 08:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd2b6a8c4e1f7'
down_revision = 'd4a1b2c3e5f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM user_account WHERE organisation_id IS NULL")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
