"""index on iati_identifier

Registering an initiative checks that its platform identifier is exported by no other
initiative, as a platform or an IATI identifier. IATI identifiers were indexed only together
with the organisation, so that check read the whole table: a cost that grew with the database.

Revision ID: d4a1b2c3e5f7
Revises: c9f4e1a7b305
Create Date: 2026-12-05 09:10:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4a1b2c3e5f7'
down_revision = 'c9f4e1a7b305'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_initiative_iati_identifier', 'initiative', ['iati_identifier'])


def downgrade():
    op.drop_index('ix_initiative_iati_identifier', table_name='initiative')
