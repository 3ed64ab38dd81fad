"""area locations at their own point

Locations known only by an admin area (precision admin1/admin2, with a p-code) carried the
point the importer or the demo seed had for them, for districts nearly always their province's:
every district of Kabul stood on one spot. The gazetteer now has an own point for most districts
(coordination/data/geo/SOURCES.md); this moves each such location to its area's own point, where
the gazetteer has one. Run `coordination converge` afterwards (docs/DEPLOYMENT.md).

Revision ID: c9f4e1a7b305
Revises: b7e3d1f5c920
Create Date: 2026-12-04 21:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c9f4e1a7b305'
down_revision = 'b7e3d1f5c920'
branch_labels = None
depends_on = None


def upgrade():
    from coordination.geo import area_of_code

    location = sa.table('location', sa.column('id', sa.Integer), sa.column('precision', sa.String),
                        sa.column('admin1_code', sa.String), sa.column('admin2_code', sa.String),
                        sa.column('lat', sa.Float), sa.column('lon', sa.Float))
    bind = op.get_bind()
    rows = bind.execute(sa.select(location.c.id, location.c.precision, location.c.admin1_code,
                                  location.c.admin2_code, location.c.lat, location.c.lon)
                        .where(location.c.precision.in_(['admin1', 'admin2']))).all()
    for row in rows:
        area = area_of_code(row.admin2_code if row.precision == 'admin2' else row.admin1_code)
        if area is None or area.point_precision != area.precision or area.lat is None:
            continue  # no point of its own: keep what the location has
        if (row.lat, row.lon) != (area.lat, area.lon):
            bind.execute(location.update().where(location.c.id == row.id).values(lat=area.lat, lon=area.lon))


def downgrade():
    pass  # the earlier points were the province's; there is nothing worth restoring
