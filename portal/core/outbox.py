"""The search outbox: changes the index must catch up with, written in the changing transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.db import Base


class SearchOutbox(PublicContent, Base):
    """A change the search index must catch up with, written in the changing transaction."""

    __tablename__ = "search_outbox"

    seq: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)


def enqueue(db: Session, entity_type: str, entity_id: str) -> None:
    """Ask the indexer to bring this entity's index entry up to date."""
    db.add(SearchOutbox(entity_type=entity_type, entity_id=entity_id, created_at=utcnow()))
    db.info["outbox_written"] = True  # read by the search package's after-commit hook
