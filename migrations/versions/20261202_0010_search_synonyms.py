"""search synonyms, staff changes to them, searches that found nothing

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('search_synonyms',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('word', sa.String(length=80), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('test_query', sa.String(length=200), nullable=False),
    sa.Column('test_expect', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('managed_by_staff', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('search_synonym_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('synonym_id', sa.String(length=80), nullable=False),
    sa.Column('word', sa.String(length=80), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('test_query', sa.String(length=200), nullable=False),
    sa.Column('test_expect', sa.String(length=120), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('proposed_by', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['proposed_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('search_synonym_changes')
    op.drop_table('search_synonyms')
