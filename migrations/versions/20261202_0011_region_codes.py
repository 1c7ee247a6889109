"""map: GB/T 2260 codes for regions, the source of a place's contact details

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 04:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=6), nullable=True))
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_source', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('contact_checked_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_column('contact_checked_on')
        batch_op.drop_column('contact_source')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_column('code')
