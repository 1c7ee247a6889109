"""The single indexer: drains the search outbox into the index, oldest change first.

Rows are marked done only after the index commit, so a crash replays changes instead of losing
them. A backend whose index lives in the database (postgres) is written before the content's own
commit instead, in the same transaction (search.inline), and finds nothing left to drain.
Whoosh's writer lock (waited for, never skipped) keeps two drainers from writing at once.
A full rebuild replays every change made while it ran, and `compare` checks each document's
content version against the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.core.outbox import SearchOutbox
from portal.search import registry
from portal.search.backend import doc_version
from portal.search.documents import all_documents, count_documents, regions

BATCH = 200


def drain(db: Session, backend, limit: int = BATCH) -> int:
    """Apply up to `limit` pending changes; returns how many rows were handled."""
    # SKIP LOCKED (PostgreSQL; SQLite has one writer): drainers on several hosts take disjoint rows.
    rows = list(
        db.scalars(
            select(SearchOutbox)
            .where(SearchOutbox.done_at.is_(None))
            .order_by(SearchOutbox.seq)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not rows:
        return 0
    _apply(db, backend, rows)
    return len(rows)


def _apply(db: Session, backend, rows: list[SearchOutbox]) -> None:
    """Bring the entities of `rows` up to date in the index, then mark the rows done and commit."""
    upserts, deletes = _changes(db, rows)
    if deletes:
        backend.delete(deletes)
    if upserts:
        backend.upsert(upserts)
    now = utcnow()
    for row in rows:
        row.done_at = now
    db.commit()


def index_in_transaction(db: Session, backend, rows: list[SearchOutbox]) -> None:
    """Write the index entries of `rows` through the session's own connection and mark the rows
    done, all in the transaction that made the changes (a backend with `transactional`)."""
    upserts, deletes = _changes(db, rows)
    connection = db.connection()
    if deletes:
        backend.delete(deletes, connection=connection)
    if upserts:
        backend.upsert(upserts, connection=connection)
    now = utcnow()
    for row in rows:
        row.done_at = now


def _changes(db: Session, rows: list[SearchOutbox]) -> tuple[list, list[str]]:
    """The documents to write and the keys to delete for the entities of `rows`."""
    by_id = regions(db)
    upserts, deletes = [], []
    for source in registry.sources():
        for entity_id in dict.fromkeys(r.entity_id for r in rows if r.entity_type == source.entity):
            doc = source.document(db, entity_id, by_id)
            if doc is not None:
                upserts.append(doc)
            else:
                deletes.append(f"{source.entity}:{entity_id}")
    return upserts, deletes


def drain_all(db: Session, backend) -> int:
    total = 0
    while handled := drain(db, backend):
        total += handled
    return total


def rebuild(db: Session, backend, progress=None) -> int:
    """A full rebuild that loses nothing published while it ran: changes already in the outbox
    are covered by the build, and every change recorded after it started is replayed on the new
    index once it is in place (whether or not a drainer applied it to the old one meanwhile)."""
    start = db.scalar(select(func.max(SearchOutbox.seq))) or 0
    written = backend.rebuild(all_documents(db), total=count_documents(db), progress=progress)
    db.execute(
        update(SearchOutbox)
        .where(SearchOutbox.seq <= start, SearchOutbox.done_at.is_(None))
        .values(done_at=utcnow())
    )
    db.commit()  # also ends the read snapshot, so the replay sees what committed meanwhile
    while rows := list(
        db.scalars(
            select(SearchOutbox).where(SearchOutbox.seq > start).order_by(SearchOutbox.seq).limit(BATCH)
        )
    ):
        _apply(db, backend, rows)
        start = rows[-1].seq
    return written


@dataclass
class Drift:
    """How the index differs from the database, document by document."""

    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, gone from the database
    stale: list[str] = field(default_factory=list)  # in both, but the index holds an older version

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.stale)


def compare(db: Session, backend) -> Drift:
    """Compare every document's content version in the index with the one built from the database."""
    wanted = {doc.key: doc_version(doc) for doc in all_documents(db)}
    held = backend.versions() if backend.is_ready() else {}
    return Drift(
        missing=sorted(wanted.keys() - held.keys()),
        extra=sorted(held.keys() - wanted.keys()),
        stale=sorted(k for k in wanted.keys() & held.keys() if wanted[k] != held[k]),
    )


def drain_at_start(app) -> None:
    """Apply changes left in the outbox by a process that stopped before indexing them (a killed
    `content load`, a crash after commit); only when an index is there to update."""
    backend = app.extensions["search"]
    if not backend.is_ready():
        return
    maker = app.extensions["db_sessionmaker"]
    try:
        with maker() as db:
            drain_all(db, backend)
    except Exception:  # e.g. a database not migrated yet; the next drain retries
        app.logger.warning("search outbox not drained at start-up", exc_info=True)


def run_forever(make_session, backend, interval: float = 1.0) -> None:  # pragma: no cover - loop
    """`flask --app portal search worker`: keep the index in step with the outbox."""
    while True:
        with make_session() as db:
            drain_all(db, backend)
        time.sleep(interval)


def pending(db: Session) -> int:
    """How many changes wait for the indexer."""
    return db.scalar(select(func.count()).select_from(SearchOutbox).where(SearchOutbox.done_at.is_(None)))
