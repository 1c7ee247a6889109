"""Subscriptions to digests, saved eligibility answers, and counts that hold no personal data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.db import Base

FREQUENCIES = ("daily", "weekly")


class AlertSubscription(Base):
    """One address asking for a digest of new or changed content matching its filters."""

    __tablename__ = "alert_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    # Changing the nonce voids every link sent before (links carry it, signed).
    nonce: Mapped[str] = mapped_column(String(32))
    kinds: Mapped[list] = mapped_column(JSON, default=list)  # policy, benefit, place, …
    filters: Mapped[dict] = mapped_column(JSON, default=dict)  # region/category/kind/type → ids
    frequency: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    # Changes up to this time have been sent (or found empty); committed before each message.
    sent_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    next_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    digests_sent: Mapped[int] = mapped_column(default=0)


class SavedCheck(Base):
    """Eligibility answers a founder asked us to keep, to be told when a result changes."""

    __tablename__ = "saved_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    nonce: Mapped[str] = mapped_column(String(32))
    answers: Mapped[str] = mapped_column(Text)  # the result page's query string
    language: Mapped[str] = mapped_column(String(5))
    consent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    # The ruleset version and each benefit's status last told (or shown) to the founder.
    ruleset_version: Mapped[str] = mapped_column(String(40))
    statuses: Mapped[dict] = mapped_column(JSON, default=dict)


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
