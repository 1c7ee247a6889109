"""Work that several hosts share through one PostgreSQL database happens once: the scheduled
publishing (an advisory lock) and the search outbox (rows taken with SKIP LOCKED)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.core.clock import utcnow
from portal.core.outbox import SearchOutbox, enqueue
from portal.publishing import services as publishing
from portal.search.indexer import drain
from tests.conftest import make_app
from tests.postgres import requires_postgres


def _sessions(app):
    maker = app.extensions["db_sessionmaker"]
    return maker(), maker()


@requires_postgres
def test_only_one_host_runs_the_scheduled_publishing(tmp_path):
    app = make_app(tmp_path)
    first, second = _sessions(app)
    later = utcnow() + dt.timedelta(days=1)
    assert publishing.run_due(first, now=later) == {"published": 0, "expired": 0}
    # While the first run's transaction is open, a second host (another session) does nothing.
    assert publishing.run_due(second, now=later) is None
    result = app.test_cli_runner().invoke(args=["publishing", "run-due"])
    assert result.exit_code == 0, result.output
    assert "skipped: another host" in result.output
    first.commit()  # the lock goes with the transaction
    second.rollback()
    assert publishing.run_due(second, now=later) == {"published": 0, "expired": 0}
    second.commit()
    assert "published 0, expired 0" in app.test_cli_runner().invoke(args=["publishing", "run-due"]).output
    first.close()
    second.close()


class _Index:
    """Stands in for the index (not the database): records what the drain sends it."""

    def __init__(self) -> None:
        self.deleted: list[str] = []

    def delete(self, keys) -> None:
        self.deleted.extend(keys)

    def upsert(self, docs) -> None:  # pragma: no cover - the outbox below names no existing rows
        raise AssertionError("nothing to upsert")


@requires_postgres
def test_outbox_drainers_on_two_hosts_take_different_rows(tmp_path):
    # An index outside the database (Whoosh), so commits leave their rows for the drainers.
    app = make_app(tmp_path, SEARCH_BACKEND="whoosh")
    first, second = _sessions(app)
    for n in range(3):
        enqueue(first, "policy", f"gone-{n}")
    first.commit()
    # One drainer holds the oldest row (as it would while indexing it) ...
    held = first.scalars(select(SearchOutbox).order_by(SearchOutbox.seq).limit(1).with_for_update()).one()
    # ... the other does not wait for it: it takes the rows nobody holds.
    index = _Index()
    assert drain(second, index) == 2
    assert index.deleted == ["policy:gone-1", "policy:gone-2"]
    first.rollback()
    assert drain(second, index) == 1
    assert index.deleted[-1] == f"policy:{held.entity_id}" == "policy:gone-0"
    first.close()
    second.close()
