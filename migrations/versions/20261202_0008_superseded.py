"""policies name the document that supersedes them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('superseded_by_id', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('superseded_scope', sa.String(length=10), nullable=True))
        batch_op.create_foreign_key('fk_policies_superseded_by_id', 'policies', ['superseded_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.drop_constraint('fk_policies_superseded_by_id', type_='foreignkey')
        batch_op.drop_column('superseded_scope')
        batch_op.drop_column('superseded_by_id')
