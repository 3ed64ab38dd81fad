"""link kinds and related identifiers

Overlaps gain their link kind (`duplicate`: the same effort reported twice; `overlap`: two
efforts doing the same work); initiatives keep the IATI activity ids their record links to
(`related_identifiers`) and whether their title was generated (`title_generated`, a 3W
presence row's "<sector> in <place>"). Existing pairs start as `overlap`; `coordination
converge` classifies them (and drops co-presence pairs from the list).

Revision ID: a4c9e2f7b813
Revises: e5a7c2d9f014
Create Date: 2026-12-04 21:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4c9e2f7b813'
down_revision = 'e5a7c2d9f014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('overlap', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='overlap'))
        batch_op.create_index(batch_op.f('ix_overlap_kind'), ['kind'], unique=False)
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.add_column(sa.Column('related_identifiers', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('title_generated', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_column('title_generated')
        batch_op.drop_column('related_identifiers')
    with op.batch_alter_table('overlap', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overlap_kind'))
        batch_op.drop_column('kind')
