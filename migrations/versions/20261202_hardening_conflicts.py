"""hardening: content conflicts queue, file hashes, session generations, sign-in backoff

Revision ID: 20261202_hardening
Revises: 0005
Create Date: 2026-12-02 04:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = "20261202_hardening"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("benefits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_hash", sa.String(length=64), nullable=True))
    op.create_table(
        "content_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.String(length=80), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("file_data", sa.JSON(), nullable=False),
        sa.Column("db_data", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name="fk_content_conflicts_decided_by"),
        sa.PrimaryKeyConstraint("id", name="pk_content_conflicts"),
    )
    with op.batch_alter_table("content_conflicts", schema=None) as batch_op:
        batch_op.create_index("ix_content_conflicts_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_content_conflicts_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_conflicts_state"))
        batch_op.drop_index("ix_content_conflicts_entity")
    op.drop_table("content_conflicts")
    with op.batch_alter_table("benefits", schema=None) as batch_op:
        batch_op.drop_column("file_hash")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("file_hash")
