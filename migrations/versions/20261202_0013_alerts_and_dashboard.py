"""alerts and dashboard: digest subscriptions, saved eligibility checks, anonymous counts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("sent_until", sa.DateTime(), nullable=True),
        sa.Column("next_due_at", sa.DateTime(), nullable=True),
        sa.Column("digests_sent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alert_subscriptions"),
    )
    op.create_index("ix_alert_subscriptions_email", "alert_subscriptions", ["email"])
    op.create_index("ix_alert_subscriptions_confirmed_at", "alert_subscriptions", ["confirmed_at"])
    op.create_table(
        "saved_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("ruleset_version", sa.String(length=40), nullable=False),
        sa.Column("statuses", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_checks"),
    )
    op.create_index("ix_saved_checks_email", "saved_checks", ["email"])
    op.create_index("ix_saved_checks_confirmed_at", "saved_checks", ["confirmed_at"])
    op.create_table(
        "search_query_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_query_counts"),
        sa.UniqueConstraint("day", "query", "results", name="uq_search_query_counts_day"),
    )
    op.create_index("ix_search_query_counts_day", "search_query_counts", ["day"])
    op.create_table(
        "usage_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("region_id", sa.String(length=80), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_usage_counts"),
        sa.UniqueConstraint("day", "metric", "region_id", name="uq_usage_counts_day"),
    )
    op.create_index("ix_usage_counts_metric_day", "usage_counts", ["metric", "day"])


def downgrade() -> None:
    op.drop_index("ix_usage_counts_metric_day", table_name="usage_counts")
    op.drop_table("usage_counts")
    op.drop_index("ix_search_query_counts_day", table_name="search_query_counts")
    op.drop_table("search_query_counts")
    op.drop_index("ix_saved_checks_confirmed_at", table_name="saved_checks")
    op.drop_index("ix_saved_checks_email", table_name="saved_checks")
    op.drop_table("saved_checks")
    op.drop_index("ix_alert_subscriptions_confirmed_at", table_name="alert_subscriptions")
    op.drop_index("ix_alert_subscriptions_email", table_name="alert_subscriptions")
    op.drop_table("alert_subscriptions")
