"""Counters for the staff dashboard; they hold no personal data (no addresses, no IPs)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class SearchQueryCount(Base):
    """How often a query was searched on a day and how many results it had; nothing about who."""

    __tablename__ = "search_query_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    query: Mapped[str] = mapped_column(String(200))
    results: Mapped[int] = mapped_column(Integer)
    searches: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("day", "query", "results", name="uq_search_query_counts_day"),)


class UsageCount(Base):
    """A daily counter (wizard started, wizard completed), optionally per region."""

    __tablename__ = "usage_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(40))
    region_id: Mapped[str] = mapped_column(String(80), default="")
    hits: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("day", "metric", "region_id", name="uq_usage_counts_day"),
        Index("ix_usage_counts_metric_day", "metric", "day"),
    )
