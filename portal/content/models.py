"""Conflicts between a content file and an item staff changed in the database since it was loaded."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.clock import utcnow
from portal.db import Base, UtcDateTime, one_of

# open: waiting for staff; kept_db: the database version stays; took_file: the file version replaced it.
CONFLICT_STATES = ("open", "kept_db", "took_file")
# What a conflict is about: a policy file or a benefit file.
ENTITY_TYPES = ("policy", "benefit")


class ContentConflict(Base):
    """A content file changed, but staff had changed the item in the database: staff decide."""

    __tablename__ = "content_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(80))
    file_hash: Mapped[str] = mapped_column(String(64))
    file_data: Mapped[dict] = mapped_column(JSON)  # what the file says, ready to apply
    db_data: Mapped[dict] = mapped_column(JSON)  # the database version when the load saw it
    fields: Mapped[list] = mapped_column(JSON, default=list)  # names of the fields that differ
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    decider: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        Index("ix_content_conflicts_entity", "entity_type", "entity_id"),
        one_of("content_conflicts", "entity_type", ENTITY_TYPES),
        one_of("content_conflicts", "state", CONFLICT_STATES),
    )
