"""search synonyms

Revision ID: 20261202_search
Revises: 0005
Create Date: 2026-12-02 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '20261202_search'
down_revision = '0005'
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
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('search_synonyms')
