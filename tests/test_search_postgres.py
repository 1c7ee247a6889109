"""What only the PostgreSQL search backend does: counting words it already knows to be common from
PostgreSQL's statistics instead of from the documents."""

from __future__ import annotations

import pytest

from portal.search import postgres_backend
from portal.search.backend import SearchQuery, make_backend
from tests.pgsearch import SERVER, fresh_database
from tests.test_search_contract import doc

# Marked `db` so the PostgreSQL pass of `make test` runs it; skipped on the SQLite pass.
pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(not SERVER, reason="PostgreSQL only (the PostgreSQL pass of make test)"),
]


@pytest.fixture
def backend():
    with fresh_database() as url:
        made = make_backend({"SEARCH_BACKEND": "postgres", "DATABASE_URL": url})
        postgres_backend.install_schema(made.engine)
        yield made
        made.engine.dispose()


def _counts(backend, terms: list[str]) -> dict:
    counts: dict = {}
    with backend._reader.connect() as conn:
        backend._counts(conn, terms, counts)
    return {t: counts[t][:2] for t in terms}


def test_a_word_the_statistics_show_in_many_documents_is_not_counted(backend, monkeypatch):
    common = [doc(f"d{i}", "创业政策", "创业 补贴") for i in range(40)]
    backend.rebuild([*common, doc("rare", "人才公寓", "人才公寓")])
    with backend._reader.connect() as conn:
        # No ANALYZE behind the test's back: the statistics stay those taken here.
        conn.exec_driver_sql("ALTER TABLE search_documents SET (autovacuum_enabled = false)")
        conn.exec_driver_sql("ANALYZE search_documents")
    monkeypatch.setattr(postgres_backend, "DF_CAP", 10)
    found = _counts(backend, ["创业", "人才公寓", "没有"])
    assert found == {"创业": (10, 10), "人才公寓": (1, 1), "没有": (0, 0)}
    # The common word's count came from the statistics: with the word gone from its documents and
    # no new ANALYZE it is still taken as common, while the others are counted in the documents.
    backend.upsert([doc(f"d{i}", "政策", "补贴") for i in range(40)])
    assert _counts(backend, ["创业", "人才公寓"]) == {"创业": (10, 10), "人才公寓": (1, 1)}
    assert backend.search(SearchQuery(text="创业")).total == 0  # matching never uses the statistics


def test_without_statistics_every_word_is_counted(backend, monkeypatch):
    backend.rebuild([doc(f"d{i}", "创业政策", "创业 补贴") for i in range(40)])
    with backend._reader.connect() as conn:
        conn.exec_driver_sql("ALTER TABLE search_documents SET (autovacuum_enabled = false)")
    monkeypatch.setattr(postgres_backend, "DF_CAP", 10)
    assert _counts(backend, ["创业"]) == {"创业": (10, 10)}
    backend.delete([f"policy:d{i}" for i in range(35)])
    assert _counts(backend, ["创业"]) == {"创业": (5, 5)}
