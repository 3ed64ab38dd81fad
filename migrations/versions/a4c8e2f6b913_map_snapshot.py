"""map snapshot

The map's point table per audience, stored so that a new process (or one whose table
expired) loads it and replays the change log instead of reading every point (issue #16).

Revision ID: a4c8e2f6b913
Revises: d2b6a8c4e1f7
Create Date: 2026-12-05 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4c8e2f6b913'
down_revision = 'd2b6a8c4e1f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'map_snapshot',
        sa.Column('audience', sa.String(length=40), nullable=False),
        sa.Column('change_id', sa.Integer(), nullable=False),
        sa.Column('change_at', sa.DateTime(), nullable=True),
        sa.Column('newest_initiative', sa.Integer(), nullable=False),
        sa.Column('built_at', sa.DateTime(), nullable=False),
        sa.Column('payload', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('audience', name=op.f('pk_map_snapshot')),
    )


def downgrade():
    op.drop_table('map_snapshot')
