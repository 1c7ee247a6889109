"""The search outbox: changes the index must catch up with, written in the changing transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.db import Base, UtcDateTime


class SearchOutbox(PublicContent, Base):
    """A change the search index must catch up with, written in the changing transaction."""

    __tablename__ = "search_outbox"

    seq: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)


def enqueue(db: Session, entity_type: str, entity_id: str) -> None:
    """Ask the indexer to bring this entity's index entry up to date."""
    row = SearchOutbox(entity_type=entity_type, entity_id=entity_id, created_at=utcnow())
    db.add(row)
    db.info["outbox_written"] = True  # read by the search package's after-commit hook
    # The rows of this transaction, for a backend that indexes them before the commit (postgres).
    db.info.setdefault("outbox_rows", []).append(row)
