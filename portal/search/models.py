"""The synonym list: everyday words founders type, mapped to the terms official texts use."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.accounts.models import utcnow
from portal.db import Base


class Synonym(Base):
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
