"""The synonym list, staff changes to it, and the searches that found nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.db import Base


class Synonym(PublicContent, Base):
    """One entry of content/synonyms.yaml; applied to queries, never to the index."""

    __tablename__ = "search_synonyms"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    word: Mapped[str] = mapped_column(String(80))
    terms: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")  # why the words mean the same, or the source
    source_url: Mapped[str | None] = mapped_column(String(500))
    test_query: Mapped[str] = mapped_column(String(200))
    test_expect: Mapped[str] = mapped_column(String(120))  # "<type>:<id>" the test query must find
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Set once staff approved a change: `content load` then leaves the entry alone.
    managed_by_staff: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


CHANGE_STATES = ("proposed", "approved", "rejected")


class SynonymChange(Base):
    """A staff proposal to add or change a synonym entry; a reviewer approves or rejects it."""

    __tablename__ = "search_synonym_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    synonym_id: Mapped[str] = mapped_column(String(80))
    word: Mapped[str] = mapped_column(String(80))
    terms: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    test_query: Mapped[str] = mapped_column(String(200))
    test_expect: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
