"""Operator profiles, claims on listings, listing revisions, public feedback and daily figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.clock import utcnow
from portal.db import Base, UtcDateTime, one_of
from portal.operators.workflow import STATES

REVISION_KINDS = ("new", "edit")
FEEDBACK_KINDS = ("correction", "problem")
FEEDBACK_STATES = ("open", "handled")


class OperatorProfile(Base):
    """The organisation behind an operator account; usable once the email address is proven."""

    __tablename__ = "operator_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40))
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class PlaceClaim(Base):
    """An operator's request to manage a listing; once approved the operator is one of its operators."""

    __tablename__ = "place_claims"
    __table_args__ = (one_of("place_claims", "state", STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    evidence_file_id: Mapped[str | None] = mapped_column(ForeignKey("stored_files.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str | None] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Optimistic locking: two reviewers acting on the same claim cannot both succeed.
    version: Mapped[int] = mapped_column(default=1)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    @property
    def author_id(self) -> int:
        return self.user_id


class PlaceRevision(Base):
    """A proposed version of a listing; the public sees the approved place until staff approve."""

    __tablename__ = "place_revisions"
    __table_args__ = (
        one_of("place_revisions", "state", STATES),
        one_of("place_revisions", "kind", REVISION_KINDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[str] = mapped_column(String(80), index=True)  # no FK: a new listing has no place yet
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    base: Mapped[dict | None] = mapped_column(JSON)  # the approved fields it was edited from
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(default=1)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class PlaceFeedback(Base):
    """A correction suggested or a problem reported by a visitor; no account needed."""

    __tablename__ = "place_feedback"
    __table_args__ = (
        one_of("place_feedback", "kind", FEEDBACK_KINDS),
        one_of("place_feedback", "state", FEEDBACK_STATES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(254))
    ip_hash: Mapped[str] = mapped_column(String(64), index=True)  # for rate limiting, not the address
    state: Mapped[str] = mapped_column(String(20), default="open")
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)


class PlaceDailyStat(Base):
    """Page views and map clicks of a listing per day, for the operator's figures."""

    __tablename__ = "place_daily_stats"

    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(default=0)
    map_clicks: Mapped[int] = mapped_column(default=0)

    __table_args__ = (Index("ix_place_daily_stats_day", "day"),)


class PlaceViewVisitor(Base):
    """A visitor (a keyed hash, not the address) already counted for a listing on a day."""

    __tablename__ = "place_view_visitors"

    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    visitor: Mapped[str] = mapped_column(String(40), primary_key=True)
