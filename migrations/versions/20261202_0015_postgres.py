"""postgres: every timestamp a moment in UTC (timestamptz), no database-clock defaults, photos as jsonb

On PostgreSQL the naive timestamps (read in the server's time zone) become `timestamptz`, taking the
stored values as UTC, and places.photos becomes `jsonb` with a GIN index for the photo lookup. On
SQLite the stored text stays as it is; only the CURRENT_TIMESTAMP defaults go (the portal's UTC
clock fills those columns).

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-02 11:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

# Every timestamp column, by table.
TIMESTAMPS = {
    "alert_subscriptions": ("created_at", "confirmed_at", "sent_until", "next_due_at"),
    "eligibility_feedback": ("created_at",),
    "health_probe": ("checked_at",),
    "rate_counters": ("window_start",),
    "saved_checks": ("consent_at", "created_at", "confirmed_at"),
    "search_outbox": ("created_at", "done_at"),
    "search_synonyms": ("updated_at",),
    "users": ("created_at", "last_login_at"),
    "audit_entries": ("at",),
    "benefit_revisions": ("created_at", "updated_at", "decided_at"),
    "benefits": ("updated_at",),
    "content_conflicts": ("created_at", "decided_at"),
    "event_revisions": ("created_at", "updated_at", "submitted_at", "decided_at"),
    "login_attempts": ("at",),
    "operator_profiles": ("email_verified_at", "created_at"),
    "place_revisions": ("created_at", "updated_at", "submitted_at", "decided_at"),
    "places": ("desks_updated_at", "created_at", "updated_at"),
    "policies": ("published_at", "created_at", "updated_at"),
    "policy_revisions": ("publish_at", "created_at", "updated_at", "submitted_at", "decided_at"),
    "search_synonym_changes": ("created_at", "decided_at"),
    "service_point_revisions": ("created_at", "updated_at", "decided_at"),
    "service_points": ("updated_at",),
    "stored_files": ("created_at",),
    "events": ("starts_at", "ends_at", "created_at", "updated_at"),
    "place_claims": ("created_at", "updated_at", "submitted_at", "decided_at"),
    "place_feedback": ("created_at",),
}
# Columns that had server_default=CURRENT_TIMESTAMP (naive, the database's clock).
CLOCK_DEFAULTS = {
    "users": ("created_at",),
    "places": ("created_at", "updated_at"),
    "policies": ("created_at", "updated_at"),
    "events": ("created_at", "updated_at"),
}
NOW = sa.text("(CURRENT_TIMESTAMP)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in TIMESTAMPS.items():
            for column in columns:
                op.alter_column(table, column, type_=sa.DateTime(timezone=True),
                                existing_type=sa.DateTime(), server_default=None,
                                postgresql_using=f"{column} AT TIME ZONE 'UTC'")
        op.alter_column("places", "photos", server_default=None)
        op.alter_column("places", "photos", type_=postgresql.JSONB(), existing_type=sa.JSON(),
                        postgresql_using="photos::jsonb")
        op.alter_column("places", "photos", server_default="[]")
        op.create_index("ix_places_photos", "places", ["photos"], postgresql_using="gin")
        return
    for table, columns in CLOCK_DEFAULTS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.DateTime(), server_default=None,
                                      existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_places_photos", "places")
        op.alter_column("places", "photos", server_default=None)
        op.alter_column("places", "photos", type_=sa.JSON(), existing_type=postgresql.JSONB(),
                        postgresql_using="photos::json")
        op.alter_column("places", "photos", server_default="[]")
        for table, columns in TIMESTAMPS.items():
            for column in columns:
                op.alter_column(table, column, type_=sa.DateTime(), existing_type=sa.DateTime(timezone=True),
                                postgresql_using=f"{column} AT TIME ZONE 'UTC'")
        for table, columns in CLOCK_DEFAULTS.items():
            for column in columns:
                op.alter_column(table, column, server_default=NOW)
        return
    for table, columns in CLOCK_DEFAULTS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.DateTime(), server_default=NOW,
                                      existing_nullable=False)
