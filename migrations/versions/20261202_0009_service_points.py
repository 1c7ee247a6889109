"""service points and their staff revisions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 04:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_points',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('region_id', sa.String(length=80), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name='fk_service_points_region_id_regions'),
    sa.PrimaryKeyConstraint('id', name='pk_service_points')
    )
    with op.batch_alter_table('service_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_points_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_points_region_id'), ['region_id'], unique=False)

    op.create_table('service_point_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_point_id', sa.String(length=80), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name='fk_service_point_revisions_author_id_users'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'],
                            name='fk_service_point_revisions_reviewer_id_users'),
    sa.PrimaryKeyConstraint('id', name='pk_service_point_revisions')
    )
    with op.batch_alter_table('service_point_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_point_revisions_service_point_id'), ['service_point_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_service_point_revisions_state'), ['state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('service_point_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_point_revisions_state'))
        batch_op.drop_index(batch_op.f('ix_service_point_revisions_service_point_id'))
    op.drop_table('service_point_revisions')
    with op.batch_alter_table('service_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_points_region_id'))
        batch_op.drop_index(batch_op.f('ix_service_points_kind'))
    op.drop_table('service_points')
