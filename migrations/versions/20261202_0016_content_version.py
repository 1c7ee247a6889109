"""content version: one row that moves with every change public pages and the API show

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 11:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_content_version"),
    )
    op.execute(table.insert().values(id=1, version=1, changed_at=sa.func.now()))


def downgrade() -> None:
    op.drop_table("content_version")
