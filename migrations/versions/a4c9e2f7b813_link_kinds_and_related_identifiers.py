"""link kinds and related identifiers

Overlaps gain their link kind (`duplicate`: the same effort reported twice; `overlap`: two
efforts doing the same work); initiatives keep the IATI activity ids their record links to
(`related_identifiers`) and whether their title was generated (`title_generated`, a 3W
presence row's "<sector> in <place>"). Existing pairs start as `overlap`; `coordination
converge` classifies them (and drops co-presence pairs from the list). Existing 3W records get
`title_generated` by the importer's own rule (`formats.generated_titles`); IATI links of
records imported earlier are not known until their files are imported again.

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
    # Plain ADD COLUMN (SQLite and PostgreSQL both have it): a batch rebuild of `initiative`
    # would drop a table that locations, goals and overlaps reference.
    op.add_column('overlap', sa.Column('kind', sa.String(length=10), nullable=False, server_default='overlap'))
    op.create_index(op.f('ix_overlap_kind'), 'overlap', ['kind'], unique=False)
    op.add_column('initiative', sa.Column('related_identifiers', sa.JSON(), nullable=False, server_default='[]'))
    op.add_column('initiative', sa.Column('title_generated', sa.Boolean(), nullable=False, server_default=sa.false()))
    _mark_generated_titles(op.get_bind())


def _mark_generated_titles(conn):
    """Set title_generated on HXL records whose title is the importer's "<sector> in <place>"."""
    from coordination.formats.generated_titles import title_looks_generated

    rows = conn.execute(sa.text("SELECT id, title, description, provenance FROM initiative "
                                "WHERE provenance LIKE 'hxl:%'")).all()
    if not rows:
        return
    tags = {}
    for initiative_id, label in conn.execute(sa.text(
            "SELECT initiative_id, label FROM initiative_tag ORDER BY initiative_id, id")).all():
        tags.setdefault(initiative_id, label)
    first = {}
    for initiative_id, admin1, country in conn.execute(sa.text(
            "SELECT initiative_id, admin1, country FROM location ORDER BY initiative_id, id")).all():
        first.setdefault(initiative_id, {"admin1": admin1, "country": country})
    ids = [i for i, title, description, provenance in rows if title_looks_generated({
        "title": title, "description": description, "provenance": provenance,
        "tags": [tags[i]] if i in tags else [], "locations": [first[i]] if i in first else []})]
    table = sa.table('initiative', sa.column('id', sa.Integer), sa.column('title_generated', sa.Boolean))
    for start in range(0, len(ids), 500):
        conn.execute(table.update().where(table.c.id.in_(ids[start:start + 500])).values(title_generated=True))


def downgrade():
    op.drop_column('initiative', 'title_generated')
    op.drop_column('initiative', 'related_identifiers')
    op.drop_index(op.f('ix_overlap_kind'), table_name='overlap')
    op.drop_column('overlap', 'kind')
