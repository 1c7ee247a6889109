"""Per-key counters in the database that hold under concurrency (one atomic UPDATE decides)."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib

from sqlalchemy import String, case, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.clock import utcnow
from portal.db import Base, UtcDateTime


class RateCounter(Base):
    """How many times `key` acted in the window that started at `window_start`."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    count: Mapped[int] = mapped_column(default=0)


def address_key(scope: str, secret: str, ip: str) -> str:
    """A keyed hash of the address: enough to count per address without storing it."""
    return f"{scope}:" + hashlib.sha256(f"{secret}|{ip}".encode()).hexdigest()[:40]


def take(db: Session, key: str, limit: int, window: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Count one action for `key`; False when `limit` actions happened in the current window.

    The row is created if missing, then one conditional UPDATE both checks and counts, so two
    concurrent requests can never both take the last slot (the database serialises the UPDATE).
    """
    now = now or utcnow()
    dialect = db.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
        db.execute(
            insert(RateCounter)
            .values(key=key, window_start=now, count=0)
            .on_conflict_do_nothing(index_elements=["key"])
        )
    elif db.get(RateCounter, key) is None:
        db.add(RateCounter(key=key, window_start=now, count=0))
        db.flush()
    expired = RateCounter.window_start <= now - window
    result = db.execute(
        update(RateCounter)
        .where(RateCounter.key == key, expired | (RateCounter.count < limit))
        .values(
            count=case((expired, 1), else_=RateCounter.count + 1),
            window_start=case((expired, now), else_=RateCounter.window_start),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
