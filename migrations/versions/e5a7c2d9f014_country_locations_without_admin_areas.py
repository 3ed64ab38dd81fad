"""country locations without admin areas

A country-precision location is the whole country. Earlier versions filled its admin-1 from
the province its centroid happens to lie in (Kenya country-wide stored as Isiolo, KE011);
this clears the admin areas of every such location. Run `coordination converge` afterwards so
stored explanations, groups and fragmentation are recomputed (docs/DEPLOYMENT.md).

Revision ID: e5a7c2d9f014
Revises: c3d8f1a2b4e6
Create Date: 2026-12-04 20:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a7c2d9f014'
down_revision = 'c3d8f1a2b4e6'
branch_labels = None
depends_on = None


def upgrade():
    location = sa.table('location', sa.column('precision', sa.String), sa.column('admin1', sa.String),
                        sa.column('admin1_code', sa.String), sa.column('admin2', sa.String),
                        sa.column('admin2_code', sa.String))
    op.execute(location.update().where(location.c.precision == 'country')
               .values(admin1=None, admin1_code=None, admin2=None, admin2_code=None))


def downgrade():
    pass  # the derived provinces were wrong; there is nothing to restore
