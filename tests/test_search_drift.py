"""The index never drifts from the database: rebuilds replay, start-up drains, checks compare versions."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select

from portal import create_app, db
from portal.core.outbox import SearchOutbox, enqueue
from portal.policies.models import Policy
from portal.search import indexer
from portal.search.backend import IndexDoc, SearchQuery
from portal.search.whoosh_backend import WhooshBackend


def _titles(backend, text: str) -> list[str]:
    """Ids of the documents having every word of `text` (not the some-words fallback)."""
    result = backend.search(SearchQuery(text=text))
    return [] if result.relaxed else [h.id for h in result.hits]


def _publish_elsewhere(app, policy_id: str, title: str) -> None:
    """What a staff request does: change, record in the outbox, commit, drain (inline indexer)."""
    with app.extensions["db_sessionmaker"]() as other:
        other.get(Policy, policy_id).title = title
        enqueue(other, "policy", policy_id)
        other.commit()
        indexer.drain_all(other, app.extensions["search"])


def test_a_change_published_during_a_rebuild_is_in_the_new_index(app, make_policy, monkeypatch):
    for n in range(3):
        make_policy(f"p{n}", title=f"旧标题{n}", body="正文")
    session = db.session()
    session.commit()
    backend = app.extensions["search"]
    indexer.rebuild(session, backend)
    original = indexer.all_documents

    staff = threading.Thread(target=_publish_elsewhere, args=(app, "p0", "孵化器新标题"))

    def publishing_meanwhile(db_session):
        for n, doc in enumerate(original(db_session)):
            if n == 1:
                # Half-way through reading the database, staff publish a new title from another
                # request. A backend whose rebuild is one database transaction (PostgreSQL) makes
                # that commit wait for the rebuild; the others let it through at once.
                staff.start()
                staff.join(timeout=2)
            yield doc

    monkeypatch.setattr(indexer, "all_documents", publishing_meanwhile)
    indexer.rebuild(session, backend)
    staff.join(timeout=30)
    assert not staff.is_alive()
    assert _titles(backend, "孵化器新标题") == ["p0"]
    monkeypatch.setattr(indexer, "all_documents", original)
    assert not indexer.compare(session, backend)


def test_changes_left_in_the_outbox_are_indexed_at_start_up(app, make_policy, tmp_path):
    make_policy("p1", title="旧标题", body="正文")
    session = db.session()
    session.commit()
    indexer.rebuild(session, app.extensions["search"])
    # A content load committed its change and outbox row, then was killed before indexing (as
    # with a separate indexer, the commit itself does not index).
    app.config["SEARCH_INDEXER"] = "worker"
    session.get(Policy, "p1").title = "众创空间新标题"
    enqueue(session, "policy", "p1")
    session.commit()
    if getattr(app.extensions["search"], "transactional", False):
        # The index is written in the content's own transaction: no commit leaves work behind.
        assert _titles(app.extensions["search"], "众创空间新标题") == ["p1"]
        assert indexer.pending(session) == 0
        return
    assert _titles(app.extensions["search"], "众创空间新标题") == []
    restarted = create_app({**app.config, "SEARCH_INDEXER": "inline"})
    assert _titles(restarted.extensions["search"], "众创空间新标题") == ["p1"]
    assert indexer.pending(session) == 0


def test_content_load_records_its_changes_in_the_outbox(app):
    from portal.config import ROOT
    from portal.content.loader import load_content

    session = db.session()
    load_content(session, ROOT / "content")
    session.commit()
    if getattr(app.extensions["search"], "transactional", False):
        # Indexed by the load's own commit: every change is in the index, none waits in the outbox.
        assert indexer.pending(session) == 0 and app.extensions["search"].count() > 400
        return
    assert indexer.pending(session) > 400


def test_check_compares_content_versions_not_counts(app, make_policy):
    make_policy("p1", title="旧标题", body="正文")
    make_policy("p2", title="另一个", body="正文")
    session = db.session()
    session.commit()
    backend = app.extensions["search"]
    indexer.rebuild(session, backend)
    assert not indexer.compare(session, backend)
    # Changed in the database without the index hearing of it: counts still agree.
    session.get(Policy, "p1").title = "新标题"
    session.commit()
    assert backend.count() == 2
    drift = indexer.compare(session, backend)
    assert drift.stale == ["policy:p1"] and not drift.missing and not drift.extra
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "stale: 1 (policy:p1)" in result.output
    indexer.drain_all(session, backend)  # nothing pending: the change bypassed the outbox
    indexer.rebuild(session, backend)
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def _doc(key: str) -> IndexDoc:
    return IndexDoc(key=f"policy:{key}", type="policy", title=key, text="众创空间", regions=("cn",))


def test_a_killed_rebuild_is_cleaned_up_without_touching_the_good_index(tmp_path):
    root = tmp_path / "search"
    backend = WhooshBackend(root)
    backend.rebuild([_doc("one")])
    previous = os.path.realpath(root / "current")
    backend.rebuild([_doc("two")])
    good = os.path.realpath(root / "current")
    # Two rebuilds were killed: one mid-build (its process is gone), one of the old kind that
    # had already made an index folder, newer than the good one.
    dead = root / ".building-99999999999999999999-999999999"
    dead.mkdir()
    (dead / "partial.seg").write_text("x")
    stray = root / "index-99999999999999999999"
    stray.mkdir()
    backend.rebuild([_doc("three")])
    assert not dead.exists() and not stray.exists()
    assert os.path.exists(good), "the index before the new one is kept for open readers"
    assert not os.path.exists(previous)
    assert backend.search(SearchQuery(text="众创空间")).total == 1


def test_changes_before_the_first_build_wait_quietly_in_the_outbox(app, make_policy, caplog):
    """A new portal's first commits come before any index exists: that is no error, and the
    changes stay in the outbox until the first build, which covers them."""
    if not isinstance(app.extensions["search"], WhooshBackend):
        pytest.skip("Whoosh only: a backend kept in the database is written in the transaction")
    make_policy("p1", title="众创空间首建", body="正文")
    session = db.session()
    enqueue(session, "policy", "p1")
    with caplog.at_level("INFO", logger=app.logger.name):
        session.commit()
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    assert any("no search index yet" in r.getMessage() for r in caplog.records)
    assert session.scalar(select(func.count()).select_from(SearchOutbox)) == 1
    indexer.rebuild(session, app.extensions["search"])
    assert _titles(app.extensions["search"], "众创空间首建") == ["p1"]
