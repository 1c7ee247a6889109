"""hardening: content conflicts queue, file hashes, rate counters, view visitors, session generations

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 04:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
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
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_counters"),
    )
    op.create_table(
        "place_view_visitors",
        sa.Column("place_id", sa.String(length=80), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["place_id"], ["places.id"], name="fk_place_view_visitors_place_id"),
        sa.PrimaryKeyConstraint("place_id", "day", "visitor", name="pk_place_view_visitors"),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
    op.drop_table("place_view_visitors")
    op.drop_table("rate_counters")
    with op.batch_alter_table("content_conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_conflicts_state"))
        batch_op.drop_index("ix_content_conflicts_entity")
    op.drop_table("content_conflicts")
    with op.batch_alter_table("benefits", schema=None) as batch_op:
        batch_op.drop_column("file_hash")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("file_hash")
