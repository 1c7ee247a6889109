"""Migrations build exactly the schema the models describe, and can be undone (on SQLite, and on
PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, String, create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from portal.cli import alembic_config
from portal.db import Base, schema_objects
from portal.search.models import pg_metadata
from tests.conftest import database_url


def test_models_and_migrations_agree(tmp_path):
    url = database_url(tmp_path)
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": schema_objects(conn.dialect.name)}
        )
        # The PostgreSQL search backend's tables exist on PostgreSQL only (migration 0017).
        described = [Base.metadata, pg_metadata] if conn.dialect.name == "postgresql" else Base.metadata
        diff = compare_metadata(context, described)
    engine.dispose()
    assert diff == [], f"models differ from migrations; add a migration: {diff}"


def test_downgrade_to_base_and_up_again(tmp_path):
    url = database_url(tmp_path)
    cfg = alembic_config(url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    engine = create_engine(url)
    assert inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
    command.upgrade(cfg, "head")
    engine = create_engine(url)
    assert "policies" in inspect(engine).get_table_names()
    engine.dispose()


def _declared_checks() -> dict[str, set[str]]:
    return {
        table.name: {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
        for table in Base.metadata.sorted_tables
    }


def test_the_database_has_every_check_the_models_declare(tmp_path):
    url = database_url(tmp_path)
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    found = {
        table: {c["name"] for c in inspect(engine).get_check_constraints(table)}
        for table in _declared_checks()
    }
    engine.dispose()
    assert found == _declared_checks()


def test_every_state_kind_level_and_status_column_has_a_check():
    # Code columns whose values no single code list in the code holds: event kinds come from
    # content/taxonomies.yaml (changed without a migration); the audit log and the search outbox
    # name any area's entities and states; a stored file's content type is a media type.
    open_lists = {
        ("events", "kind"),
        ("audit_entries", "entity_type"),
        ("audit_entries", "from_state"),
        ("audit_entries", "to_state"),
        ("search_outbox", "entity_type"),
        ("stored_files", "content_type"),
    }
    code_words = {
        "state",
        "kind",
        "level",
        "status",
        "type",
        "role",
        "scope",
        "precision",
        "shown",
        "frequency",
    }
    unchecked = [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String)
        and column.name.split("_")[-1] in code_words
        and f"ck_{table.name}_{column.name}" not in _declared_checks()[table.name]
        and (table.name, column.name) not in open_lists
    ]
    assert unchecked == []


CONFLICT = text(
    "INSERT INTO content_conflicts (entity_type, entity_id, file_hash, file_data, db_data, fields, state,"
    " created_at) VALUES (:type, 'p', 'h', '{}', '{}', '[]', :state, '2026-12-02 10:00:00')"
)


def test_the_database_refuses_a_value_outside_the_code_list(tmp_path):
    url = database_url(tmp_path)
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(CONFLICT, {"type": "policy", "state": "open"})  # values in their lists are stored
    for bad in ({"type": "policy", "state": "closed"}, {"type": "event", "state": "open"}):
        with (
            pytest.raises(IntegrityError, match="ck_content_conflicts|CHECK constraint failed"),
            engine.begin() as conn,
        ):
            conn.execute(CONFLICT, bad)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM content_conflicts")) == 1
    engine.dispose()


def test_the_upgrade_stops_on_stored_values_outside_a_code_list_and_changes_nothing(tmp_path):
    url = database_url(tmp_path)
    cfg = alembic_config(url)
    command.upgrade(cfg, "0017")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(CONFLICT, {"type": "policy", "state": "closed"})
    with pytest.raises(RuntimeError, match=r"content_conflicts\.state holds 'closed'"):
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0017"
    assert inspect(engine).get_check_constraints("content_conflicts") == []
    with engine.begin() as conn:
        conn.execute(text("UPDATE content_conflicts SET state = 'open'"))
    command.upgrade(cfg, "head")
    assert {c["name"] for c in inspect(engine).get_check_constraints("content_conflicts")} == {
        "ck_content_conflicts_entity_type",
        "ck_content_conflicts_state",
    }
    engine.dispose()
