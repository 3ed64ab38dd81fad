"""organisation identity and merges

An organisation record merged into another keeps a redirect (merged_into_id); each merge
and its undoing is kept in organisation_merge with exactly what it moved. The identity
keys in organisation.alias_keys gain the name, acronyms and identifier (recomputed here
for existing rows, with the same function the application uses).

Revision ID: f1d2c3b4a5e6
Revises: a4c9e2f7b813
Create Date: 2026-12-04 21:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f1d2c3b4a5e6'
down_revision = 'a4c9e2f7b813'
branch_labels = None
depends_on = None


def _rekey():
    """Recompute every organisation's identity keys."""
    from coordination.orgs.names import stored_keys
    from coordination.services.org_identity import known_identity

    bind = op.get_bind()
    org = sa.table('organisation', sa.column('id', sa.Integer), sa.column('name', sa.String),
                   sa.column('aliases', sa.JSON), sa.column('org_identifier', sa.String),
                   sa.column('alias_keys', sa.Text))
    for row in bind.execute(sa.select(org.c.id, org.c.name, org.c.aliases, org.c.org_identifier)).all():
        keys = stored_keys(known_identity([row.name, *(row.aliases or [])], row.org_identifier))
        bind.execute(org.update().where(org.c.id == row.id).values(alias_keys=keys))


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_organisation_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_organisation_merged_into_id_organisation'),
                                    'organisation', ['merged_into_id'], ['id'])

    op.create_table('organisation_merge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survivor_id', sa.Integer(), nullable=False),
    sa.Column('absorbed_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('merged_by', sa.String(length=160), nullable=False),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.Column('moved', sa.JSON(), nullable=False),
    sa.Column('unmerged_by', sa.String(length=160), nullable=True),
    sa.Column('unmerged_at', sa.DateTime(), nullable=True),
    sa.Column('unmerge_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['absorbed_id'], ['organisation.id'],
                            name=op.f('fk_organisation_merge_absorbed_id_organisation')),
    sa.ForeignKeyConstraint(['survivor_id'], ['organisation.id'],
                            name=op.f('fk_organisation_merge_survivor_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_merge'))
    )
    with op.batch_alter_table('organisation_merge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_merge_absorbed_id'), ['absorbed_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_merge_survivor_id'), ['survivor_id'], unique=False)
    _rekey()


def downgrade():
    with op.batch_alter_table('organisation_merge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_merge_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_merge_absorbed_id'))
    op.drop_table('organisation_merge')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisation_merged_into_id_organisation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_organisation_merged_into_id'))
        batch_op.drop_column('merged_into_id')
