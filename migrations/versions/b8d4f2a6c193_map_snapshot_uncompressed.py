"""map snapshot stored uncompressed

The map snapshot's payload is read whole by every new process; PostgreSQL's default storage
compresses it, and decompressing took as long as reading it (issue #16).

Revision ID: b8d4f2a6c193
Revises: d2b6f0a8c417
Create Date: 2026-12-05 14:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8d4f2a6c193'
down_revision = 'd2b6f0a8c417'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE map_snapshot ALTER COLUMN payload SET STORAGE EXTERNAL")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE map_snapshot ALTER COLUMN payload SET STORAGE EXTENDED")
