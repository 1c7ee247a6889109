"""Work that several hosts share through one PostgreSQL database happens once: the scheduled
publishing, the listing reminders and the email alerts (advisory locks) and the search outbox
(rows taken with SKIP LOCKED)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.alerts import sending
from portal.core.clock import utcnow
from portal.core.locks import run_lock
from portal.core.outbox import SearchOutbox, enqueue
from portal.operators import freshness
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


@requires_postgres
def test_only_one_host_sends_the_reminders(tmp_path):
    app = make_app(tmp_path)
    first, second = _sessions(app)
    with app.app_context():
        assert freshness.send_reminders(first) == {"sent": 0, "reranked": 0}
        # While the first run's transaction is open, a second host (another session) does nothing.
        assert freshness.send_reminders(second) is None
        result = app.test_cli_runner().invoke(args=["reminders", "send"])
        assert result.exit_code == 0, result.output
        assert "skipped: another host is sending the reminders" in result.output
        first.commit()  # the lock goes with the transaction
        second.rollback()
        assert freshness.send_reminders(second) == {"sent": 0, "reranked": 0}
        second.commit()
    assert "reminders sent 0" in app.test_cli_runner().invoke(args=["reminders", "send"]).output
    first.close()
    second.close()


@requires_postgres
def test_only_one_host_sends_the_alerts_and_its_commits_keep_the_lock(tmp_path):
    app = make_app(tmp_path)
    first, second = _sessions(app)
    with app.app_context(), run_lock(first, sending.SEND_LOCK) as held:
        assert held
        # A run commits once per message: the lock outlives those commits ...
        first.commit()
        first.rollback()
        with run_lock(second, sending.SEND_LOCK) as also:
            assert not also
        assert sending.send_all(second) is None
        result = app.test_cli_runner().invoke(args=["alerts", "send"])
        assert result.exit_code == 0, result.output
        assert "skipped: another host is sending the alerts" in result.output
    # ... and goes when the run ends (not left behind on a pooled connection).
    result = app.test_cli_runner().invoke(args=["alerts", "send"])
    assert "digests sent 0, result changes sent 0, failed 0" in result.output, result.output
    with app.app_context():
        assert sending.send_all(second) == {"digests": 0, "checks": 0, "failed": 0}
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
