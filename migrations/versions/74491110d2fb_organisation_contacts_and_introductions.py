"""organisation contacts and introductions

An organisation's admin may publish a contact (e-mail, website) on its profile; a party of an
overlap may ask the platform to introduce it to the other party ("Introduce us"), which
reaches the other organisation's inbox, webhooks (overlap.introduction) and e-mail digest.

Revision ID: 74491110d2fb
Revises: b7e2c4a91d3f
Create Date: 2026-12-04 17:38:50.002390

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '74491110d2fb'
down_revision = 'b7e2c4a91d3f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('introduction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('overlap_id', sa.Integer(), nullable=False),
    sa.Column('from_organisation_id', sa.Integer(), nullable=False),
    sa.Column('to_organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=160), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['from_organisation_id'], ['organisation.id'], name=op.f('fk_introduction_from_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['overlap_id'], ['overlap.id'], name=op.f('fk_introduction_overlap_id_overlap')),
    sa.ForeignKeyConstraint(['to_organisation_id'], ['organisation.id'], name=op.f('fk_introduction_to_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introduction')),
    sa.UniqueConstraint('overlap_id', 'from_organisation_id', name='uq_introduction_once')
    )
    with op.batch_alter_table('introduction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introduction_overlap_id'), ['overlap_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_to_organisation_id'), ['to_organisation_id'], unique=False)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_email', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('public_website', sa.String(length=500), nullable=True))

    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('introduction_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_webhook_delivery_introduction_id'), ['introduction_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_webhook_delivery_introduction_id_introduction'), 'introduction', ['introduction_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_webhook_delivery_introduction_id_introduction'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_webhook_delivery_introduction_id'))
        batch_op.drop_column('introduction_id')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('public_website')
        batch_op.drop_column('public_email')

    with op.batch_alter_table('introduction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introduction_to_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_overlap_id'))

    op.drop_table('introduction')
