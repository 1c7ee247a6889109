"""Work that only one host may do at a time, coordinated through the database."""

from __future__ import annotations

import zlib

from sqlalchemy import text
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
