"""Moving a portal's data (`flask db copy-to`) and the restore drills of the README's Operations section."""

from __future__ import annotations

import sqlite3
import subprocess

from alembic import command
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from portal import db
from portal.cli import alembic_config
from portal.db import Base
from portal.places.models import Place
from portal.policies.models import Policy
from tests import postgres
from tests.conftest import database_url, make_app


def _migrated(url: str) -> str:
    command.upgrade(alembic_config(url), "head")
    return url


def _copy(app, url: str):
    return app.test_cli_runner().invoke(args=["db", "copy-to", url])


def _sample(url: str) -> tuple:
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            select(Policy.id, Policy.created_at, Policy.title).order_by(Policy.id).limit(1)
        ).one()
        places = conn.scalar(select(func.count()).select_from(Place))
    engine.dispose()
    return (*row, places)


def test_copy_to_an_empty_database_and_back(tmp_path):
    """The loaded portal (PostgreSQL in the PostgreSQL pass) to a SQLite file, then that file to a
    fresh database of the suite's kind: every row arrives and the counts are checked."""
    source = make_app(tmp_path / "source", loaded=True)
    sqlite_url = _migrated(f"sqlite:///{tmp_path / 'copy.db'}")
    result = _copy(source, sqlite_url)
    assert result.exit_code == 0, result.output
    assert "row counts match in all" in result.output

    second = make_app(tmp_path / "second", DATABASE_URL=sqlite_url, SEARCH_BACKEND="whoosh")  # a SQLite file
    target_url = _migrated(database_url(tmp_path / "target"))
    result = _copy(second, target_url)
    assert result.exit_code == 0, result.output
    original = _sample(source.config["DATABASE_URL"])
    assert _sample(target_url) == original
    assert original[3] > 10  # places were there to copy

    # The copy works as a portal: pages read, and new rows get fresh ids (sequences moved on).
    target = make_app(tmp_path / "target-app", DATABASE_URL=target_url, WTF_CSRF_ENABLED=False)
    assert target.test_client().get(f"/policies/{original[0]}").status_code == 200
    with target.app_context():
        from portal.core.audit import AuditEntry, audit

        session = db.session()
        highest = session.scalar(select(func.max(AuditEntry.id))) or 0
        audit(session, None, "policy", original[0], "note", None, None)
        session.commit()
        assert session.scalar(select(func.max(AuditEntry.id))) == highest + 1


def test_copy_refuses_a_target_with_rows(tmp_path):
    source = make_app(tmp_path / "source", loaded=True)
    url = _migrated(database_url(tmp_path / "target"))
    assert _copy(source, url).exit_code == 0
    again = _copy(source, url)
    assert again.exit_code != 0
    assert "not empty" in again.output


def test_copy_refuses_an_unmigrated_target(tmp_path):
    source = make_app(tmp_path / "source")
    result = _copy(source, database_url(tmp_path / "target"))
    assert result.exit_code != 0
    assert "db upgrade" in result.output


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {
            t.name: conn.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
        }
    engine.dispose()
    return counts


def test_restore_drill(tmp_path):
    """The backup and restore of the README: `sqlite3 … ".backup …"` for the embedded file,
    pg_dump/pg_restore on PostgreSQL; the restored database serves the portal with every row."""
    app = make_app(tmp_path / "live", loaded=True)
    url = app.config["DATABASE_URL"]
    if postgres.enabled():
        dump = tmp_path / "portal.dump"
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={dump}",
                "--dbname",
                make_url(url).database,
            ],
            check=True,
        )
        restored_url = database_url(tmp_path / "restored")
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                make_url(restored_url).database,
                str(dump),
            ],
            check=True,
        )
    else:
        backup = tmp_path / "backup.db"
        subprocess.run(["sqlite3", url.removeprefix("sqlite:///"), f".backup '{backup}'"], check=True)
        restored = tmp_path / "restored.db"
        with sqlite3.connect(backup) as con:  # the drill restores a copy, never the backup itself
            con.execute(f"VACUUM INTO '{restored}'")
        restored_url = f"sqlite:///{restored}"
    assert _counts(restored_url) == _counts(url)
    assert sum(_counts(restored_url).values()) > 100
    restored_app = make_app(tmp_path / "restored-app", DATABASE_URL=restored_url)
    policy = _sample(restored_url)[0]
    assert restored_app.test_client().get(f"/policies/{policy}").status_code == 200
