"""iati identifiers unique per organisation

Another organisation's initiative with the same IATI identifier (possibly a private one)
is no longer a conflict, so registering or importing an identifier reveals nothing about
initiatives the caller cannot read. A downgrade fails while two organisations share one.

Revision ID: 96123679393a
Revises: 55e60bfdb64c
Create Date: 2026-11-30 10:12:41.205118

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '96123679393a'
down_revision = '55e60bfdb64c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_initiative_iati_identifier'), type_='unique')
        batch_op.create_unique_constraint('uq_initiative_organisation_iati_identifier',
                                          ['organisation_id', 'iati_identifier'])


def downgrade():
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_constraint('uq_initiative_organisation_iati_identifier', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_initiative_iati_identifier'), ['iati_identifier'])
