"""Work that only one host (or one person) may do at a time, coordinated through the database."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text, update
from sqlalchemy.orm import Session


def lock_key(name: str) -> int:
    """A stable 32-bit key for `name` (PostgreSQL advisory locks are numbered)."""
    return zlib.crc32(name.encode())


def try_transaction_lock(db: Session, name: str) -> bool:
    """Take the lock `name` until this transaction ends, or return False when another holds it.

    PostgreSQL: an advisory transaction lock, released by the commit or rollback. SQLite serves one
    host, whose writers the database file already serialises: always granted.
    """
    if db.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(name)}))


@contextmanager
def run_lock(db: Session, name: str) -> Iterator[bool]:
    """Hold the lock `name` for a run that commits many times; yields False when another holds it.

    PostgreSQL: a session-level advisory lock on a connection of its own, kept out of `db`'s
    transactions (their commits would release a transaction lock; a lock left on a pooled
    connection would outlive the run). It is released when the block ends, and by the server
    when the process dies. SQLite: always granted, as `try_transaction_lock`.
    """
    engine = db.get_bind()
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = {"key": lock_key(name)}
    with engine.connect() as conn:
        held = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), key))
        conn.commit()  # the lock belongs to the connection, not to this transaction
        try:
            yield held
        finally:
            if held:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                conn.commit()


def claim_state(db: Session, row, expected: str, new: str, column: str = "state") -> bool:
    """Move `row` from `expected` to `new` in one conditional UPDATE and say whether this
    transaction did: of two people deciding at once, the second one's UPDATE finds the row moved
    (PostgreSQL re-reads it once the first commits; SQLite writes one transaction at a time)."""
    model = type(row)
    moved = db.execute(
        update(model)
        .where(model.id == row.id, getattr(model, column) == expected)
        .values({column: new})
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved == 1:
        setattr(row, column, new)
    return moved == 1
