"""Index entries follow the content's transaction: on PostgreSQL written inside it, on Whoosh
drained right after it; either way search never shows what was rolled back and never misses
what was committed. Run on each backend whose server is here (tests.pgsearch)."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal import db
from portal.cli import alembic_config
from portal.core.outbox import enqueue
from portal.search import indexer
from portal.search.backend import SearchQuery, make_backend
from portal.search.models import pg_metadata
from tests.conftest import make_app
from tests.pgsearch import backends, fresh_database


@pytest.fixture(params=backends())
def app(request, tmp_path):
    """An empty, migrated portal on SQLite with Whoosh, or on PostgreSQL with its search tables."""
    if request.param == "whoosh":
        application = make_app(tmp_path)
        with application.app_context():
            yield application
        return
    with fresh_database() as url:
        command.upgrade(alembic_config(url), "head")
        application = make_app(tmp_path, DATABASE_URL=url, SEARCH_BACKEND="postgres")
        with application.app_context():
            yield application
            db.session().close()
        application.extensions["db_engine"].dispose()


def _found(app, text: str) -> list[str]:
    return [h.id for h in app.extensions["search"].search(SearchQuery(text=text)).hits]


def test_the_search_tables_exist_exactly_where_their_backend_runs(app):
    engine = app.extensions["db_engine"]
    tables = set(inspect(engine).get_table_names())
    if engine.dialect.name != "postgresql":
        assert not tables & set(pg_metadata.tables)
        return
    with engine.connect() as conn:
        ours = MigrationContext.configure(
            conn,
            opts={"include_name": lambda name, kind, _parent: kind != "table" or name in pg_metadata.tables},
        )
        diff = compare_metadata(ours, pg_metadata)
    assert diff == [], f"migration 0017 and portal/search/models.py differ: {diff}"


def test_a_committed_change_is_found_at_once_and_leaves_nothing_to_drain(app, make_policy):
    session = db.session()
    app.extensions["search"].rebuild([])
    make_policy("rent", title="场地租金补贴办法", body="对初创企业给予场地租金补贴。")
    enqueue(session, "policy", "rent")
    session.commit()
    assert _found(app, "场地租金补贴") == ["rent"]
    assert indexer.pending(session) == 0
    assert not indexer.compare(session, app.extensions["search"])


def test_a_rolled_back_change_never_reaches_the_index(app, make_policy):
    session = db.session()
    app.extensions["search"].rebuild([])
    make_policy("rent", title="场地租金补贴办法", body="对初创企业给予场地租金补贴。")
    enqueue(session, "policy", "rent")
    session.rollback()
    make_policy("flat", title="人才公寓申请办法", body="人才公寓。")
    enqueue(session, "policy", "flat")
    session.commit()
    assert _found(app, "场地租金补贴") == []
    assert _found(app, "人才公寓") == ["flat"]
    assert not indexer.compare(session, app.extensions["search"])


def test_an_unpublished_policy_leaves_the_index_with_its_commit(app, make_policy):
    session = db.session()
    make_policy("rent", title="场地租金补贴办法", body="对初创企业给予场地租金补贴。")
    session.commit()
    indexer.rebuild(session, app.extensions["search"])
    assert _found(app, "场地租金补贴") == ["rent"]
    session.delete(session.get(type(make_policy("other")), "rent"))
    enqueue(session, "policy", "rent")
    session.commit()
    assert _found(app, "场地租金补贴") == []
    assert indexer.pending(session) == 0


def test_facet_counts_follow_each_commit_on_every_host(app, make_policy):
    """A second backend (another web host, its own caches) counts what the last commit wrote."""
    session = db.session()
    app.extensions["search"].rebuild([])
    policy = make_policy("rent", title="场地租金补贴办法", level="national")
    enqueue(session, "policy", "rent")
    session.commit()
    other = make_backend(app.config)
    try:
        assert other.search(SearchQuery(text="")).facets["level"] == {"national": 1}
        policy.level = "city"
        enqueue(session, "policy", "rent")
        session.commit()
        for backend in (other, app.extensions["search"]):
            result = backend.search(SearchQuery(text="租金"))
            assert (result.total, result.facets["level"]) == (1, {"city": 1})
    finally:
        if hasattr(other, "engine"):
            other.engine.dispose()
