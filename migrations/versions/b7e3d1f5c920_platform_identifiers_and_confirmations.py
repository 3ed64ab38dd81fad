"""platform identifiers and confirmations

Every initiative gets its platform identifier (`services.identifiers`): its organisation's
identifier, or XX-NONE-<organisation slug>, then its id; stored once and written by the
exports wherever there is no IATI identifier, so two web-form initiatives of one
organisation no longer export under one identifier. Initiatives never confirmed take their
last edit (or registration) as their last confirmation, as the freshness traffic light does.

Revision ID: b7e3d1f5c920
Revises: f1d2c3b4a5e6
Create Date: 2026-12-04 21:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e3d1f5c920'
down_revision = 'f1d2c3b4a5e6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform_identifier', sa.String(length=200), nullable=True))
    # The id ends every identifier after its last "-", so no two initiatives can get the same one.
    op.execute("UPDATE initiative SET platform_identifier = (SELECT COALESCE(o.org_identifier, 'XX-NONE-' || o.slug) "
               "FROM organisation o WHERE o.id = initiative.organisation_id) || '-' || CAST(id AS VARCHAR(20)) "
               "WHERE platform_identifier IS NULL")
    op.execute("UPDATE initiative SET confirmed_at = COALESCE(updated_at, created_at) WHERE confirmed_at IS NULL")
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_initiative_platform_identifier'), ['platform_identifier'])


def downgrade():
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_initiative_platform_identifier'), type_='unique')
        batch_op.drop_column('platform_identifier')
