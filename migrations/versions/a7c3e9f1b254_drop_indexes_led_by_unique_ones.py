"""drop indexes led by unique ones

Four single-column indexes repeat the leading column of a unique index on the same table, which
serves every lookup by that column (and the foreign keys' checks) as well; each only cost the
writes, one more index entry per stored row:
- `ix_initiative_organisation_id`: led by uq_initiative_organisation_iati_identifier;
- `ix_initiative_goal_initiative_id`: led by uq_initiative_goal;
- `ix_initiative_tag_initiative_id`: led by uq_initiative_tag;
- `ix_partner_initiative_id`: led by uq_partner_role.

Revision ID: a7c3e9f1b254
Revises: f3a9c5e1d702
Create Date: 2026-12-07 23:05:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e9f1b254'
down_revision = 'f3a9c5e1d702'
branch_labels = None
depends_on = None

DROPPED = [('initiative', 'ix_initiative_organisation_id', 'organisation_id'),
           ('initiative_goal', 'ix_initiative_goal_initiative_id', 'initiative_id'),
           ('initiative_tag', 'ix_initiative_tag_initiative_id', 'initiative_id'),
           ('partner', 'ix_partner_initiative_id', 'initiative_id')]


def upgrade():
    for table, index, _ in DROPPED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(index))


def downgrade():
    for table, index, column in reversed(DROPPED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(index), [column], unique=False)
