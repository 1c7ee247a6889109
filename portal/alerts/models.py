"""Subscriptions to digests and saved eligibility answers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.db import Base, UtcDateTime, one_of

FREQUENCIES = ("daily", "weekly")


class AlertSubscription(Base):
    """One address asking for a digest of new or changed content matching its filters."""

    __tablename__ = "alert_subscriptions"
    __table_args__ = (one_of("alert_subscriptions", "frequency", FREQUENCIES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    # Changing the nonce voids every link sent before (links carry it, signed).
    nonce: Mapped[str] = mapped_column(String(32))
    kinds: Mapped[list] = mapped_column(JSON, default=list)  # policy, benefit, place, …
    filters: Mapped[dict] = mapped_column(JSON, default=dict)  # region/category/kind/type → ids
    frequency: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    # Changes up to this time have been sent (or found empty); committed before each message.
    sent_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    next_due_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    digests_sent: Mapped[int] = mapped_column(default=0)


class SavedCheck(Base):
    """Eligibility answers a founder asked us to keep, to be told when a result changes."""

    __tablename__ = "saved_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    nonce: Mapped[str] = mapped_column(String(32))
    answers: Mapped[str] = mapped_column(Text)  # the result page's query string
    language: Mapped[str] = mapped_column(String(5))
    consent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    # The ruleset version and each benefit's status last told (or shown) to the founder.
    ruleset_version: Mapped[str] = mapped_column(String(40))
    statuses: Mapped[dict] = mapped_column(JSON, default=dict)
