"""state checks on the remaining code columns: service points, synonym changes, content conflicts,
events and their revisions, place and fund types, the result shown with feedback, alert frequencies,
policy sources and successors

Existing rows are checked first: a value outside its list stops the upgrade with a message naming
the table, the column and the values, and nothing is changed.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 16:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# Each column accepts only its code list (the lists as of this revision; NULL stays allowed).
CHECKS = {
    "service_points": {
        "kind": ("government_service", "hr", "tax", "science", "ip", "market"),
    },
    "service_point_revisions": {
        "state": ("draft", "in_review", "rejected", "published", "discarded"),
    },
    "search_synonym_changes": {
        "state": ("proposed", "approved", "rejected"),
    },
    "content_conflicts": {
        "entity_type": ("policy", "benefit"),
        "state": ("open", "kept_db", "took_file"),
    },
    "events": {
        "publication_state": ("draft", "published", "withdrawn"),
        "fee": ("free", "paid", "unknown"),
        "recurrence": ("annual",),
    },
    "event_revisions": {
        "kind": ("new", "edit"),
        "state": ("pending", "needs_info", "approved", "rejected", "withdrawn"),
    },
    "places": {
        "type": (
            "makerspace",
            "incubator",
            "accelerator",
            "park",
            "science_park",
            "fund",
            "investor",
            "platform",
            "event",
            "service_point",
        ),
        "fund_type": ("guidance", "angel", "venture", "industry", "other"),
    },
    "eligibility_feedback": {
        "status_shown": ("eligible", "ineligible", "needs_info"),
    },
    "alert_subscriptions": {
        "frequency": ("daily", "weekly"),
    },
    "policies": {
        "source_kind": ("public", "seed"),
        "superseded_scope": ("fully", "partly"),
    },
}


def _condition(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _refuse_rows_outside_the_lists() -> None:
    """Stop before changing anything if a stored value would break a check."""
    bind = op.get_bind()
    found = []
    for table, columns in CHECKS.items():
        for column, values in columns.items():
            rows = bind.execute(
                sa.text(
                    f"SELECT DISTINCT {column} FROM {table} "
                    f"WHERE {column} IS NOT NULL AND NOT ({_condition(column, values)})"
                )
            ).scalars()
            bad = sorted(str(v) for v in rows)
            if bad:
                found.append(f"{table}.{column} holds {', '.join(repr(v) for v in bad[:10])}")
    if found:
        raise RuntimeError(
            "Migration 0018 adds CHECK constraints, but stored values are outside their code lists: "
            + "; ".join(found)
            + ". Correct or delete those rows, then upgrade again."
        )


def upgrade() -> None:
    _refuse_rows_outside_the_lists()
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                batch_op.create_check_constraint(f"ck_{table}_{column}", _condition(column, values))


def downgrade() -> None:
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(f"ck_{table}_{column}", type_="check")
