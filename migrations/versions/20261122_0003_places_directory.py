"""places directory

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:12:14.323793
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('places',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('region_id', sa.String(length=80), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=True),
    sa.Column('recognition', sa.String(length=200), nullable=True),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('geo_precision', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('opening_hours', sa.String(length=200), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('desks_free', sa.Integer(), nullable=True),
    sa.Column('desk_price', sa.String(length=120), nullable=True),
    sa.Column('desks_updated_at', sa.DateTime(), nullable=True),
    sa.Column('last_confirmed_on', sa.Date(), nullable=True),
    sa.Column('fund_type', sa.String(length=20), nullable=True),
    sa.Column('fund_stages', sa.JSON(), nullable=False),
    sa.Column('fund_size_cny', sa.BigInteger(), nullable=True),
    sa.Column('fund_ticket', sa.String(length=200), nullable=True),
    sa.Column('source_ref', sa.String(length=300), nullable=True),
    sa.Column('source_quote', sa.Text(), nullable=True),
    sa.Column('source_note', sa.Text(), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('publication_state', sa.String(length=20), server_default='published', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_places_lat'), ['lat'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_lon'), ['lon'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_publication_state'), ['publication_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_type'), ['type'], unique=False)

    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lon', sa.Float(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_column('lon')
        batch_op.drop_column('lat')

    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_places_type'))
        batch_op.drop_index(batch_op.f('ix_places_region_id'))
        batch_op.drop_index(batch_op.f('ix_places_publication_state'))
        batch_op.drop_index(batch_op.f('ix_places_lon'))
        batch_op.drop_index(batch_op.f('ix_places_level'))
        batch_op.drop_index(batch_op.f('ix_places_lat'))

    op.drop_table('places')
