"""operator self service

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_reminder_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('contact_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('recognition_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('certificate_file_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('photos', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('offices_free', sa.Integer(), nullable=True))

    op.create_table('operator_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email_verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('place_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('evidence_file_id', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_file_id'], ['stored_files.id'], ),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], ),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('place_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_claims_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_claims_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_claims_user_id'), ['user_id'], unique=False)

    op.create_table('place_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.String(length=80), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('base', sa.JSON(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('place_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_revisions_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_revisions_state'), ['state'], unique=False)

    op.create_table('place_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=254), nullable=True),
    sa.Column('ip_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('handled_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['handled_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('place_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_feedback_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_feedback_ip_hash'), ['ip_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_feedback_place_id'), ['place_id'], unique=False)

    op.create_table('place_daily_stats',
    sa.Column('place_id', sa.String(length=80), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('map_clicks', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], ),
    sa.PrimaryKeyConstraint('place_id', 'day')
    )
    with op.batch_alter_table('place_daily_stats', schema=None) as batch_op:
        batch_op.create_index('ix_place_daily_stats_day', ['day'], unique=False)


def downgrade() -> None:
    op.drop_table('place_daily_stats')
    op.drop_table('place_feedback')
    op.drop_table('place_revisions')
    op.drop_table('place_claims')
    op.drop_table('operator_profiles')
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_column('offices_free')
        batch_op.drop_column('photos')
        batch_op.drop_column('certificate_file_id')
        batch_op.drop_column('recognition_year')
        batch_op.drop_column('contact_name')
        batch_op.drop_column('confirm_reminder_on')
