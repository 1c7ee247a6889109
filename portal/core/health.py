"""What `/healthz` reports: the database readable and writable, the index readable and in step."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.outbox import SearchOutbox
from portal.db import Base, UtcDateTime

# An outbox row older than this means the indexer is not keeping up (or not running).
INDEX_LAG = dt.timedelta(minutes=2)


class HealthProbe(Base):
    """One row rewritten by each health check, to prove the database takes writes."""

    __tablename__ = "health_probe"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


def problems(app: Flask) -> list[str]:
    """Names of what is wrong; empty when the portal can serve and store."""
    found: list[str] = []
    maker = app.extensions["db_sessionmaker"]
    with maker() as session:
        try:
            session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            app.logger.exception("health check: database not readable")
            return ["database", *(_index_problems(app, None))]
        try:
            now = utcnow()
            if not session.execute(
                update(HealthProbe).where(HealthProbe.id == 1).values(checked_at=now)
            ).rowcount:
                session.add(HealthProbe(id=1, checked_at=now))
            session.commit()
        except SQLAlchemyError:
            session.rollback()
            app.logger.exception("health check: database not writable")
            found.append("database_not_writable")
        found += _index_problems(app, session)
    return found


def _index_problems(app: Flask, session) -> list[str]:
    if not app.extensions["search"].is_ready():
        return ["search_index"]
    if session is None:
        return []
    oldest = session.scalar(select(func.min(SearchOutbox.created_at)).where(SearchOutbox.done_at.is_(None)))
    if oldest is not None and utcnow() - oldest > INDEX_LAG:
        return ["search_index_behind"]
    return []
