"""Migrations build exactly the schema the models describe, and can be undone (on SQLite, and on
PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

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
