"""drop redundant overlap indexes

Three indexes only cost writes: every stored pair and inbox notice updated them, ~8% of the
server's work storing a bulk import's new pairs.
- `ix_overlap_initiative_a_id`: the unique (initiative_a_id, initiative_b_id) index leads with
  the same column and serves every lookup by it (and the foreign key's checks);
- `ix_overlap_notice_organisation_id`: likewise led by the unique (organisation_id, overlap_id);
- `ix_overlap_active`: nearly every pair is active, so no plan reads it; pairs are read by
  organisation through (organisation, active) or by initiative.

Revision ID: f3a9c5e1d702
Revises: b8d4f2a6c193
Create Date: 2026-12-07 20:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f3a9c5e1d702'
down_revision = 'b8d4f2a6c193'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('overlap', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overlap_initiative_a_id'))
        batch_op.drop_index(batch_op.f('ix_overlap_active'))
    with op.batch_alter_table('overlap_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overlap_notice_organisation_id'))


def downgrade():
    with op.batch_alter_table('overlap_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overlap_notice_organisation_id'), ['organisation_id'], unique=False)
    with op.batch_alter_table('overlap', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overlap_active'), ['active'], unique=False)
        batch_op.create_index(batch_op.f('ix_overlap_initiative_a_id'), ['initiative_a_id'], unique=False)
