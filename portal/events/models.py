"""An event a founder can attend, and the moderated changes proposed for events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core import labels
from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.db import Base, UtcDateTime, one_of
from portal.operators.models import REVISION_KINDS
from portal.operators.workflow import STATES
from portal.places.models import Place
from portal.regions.models import Region

FEES = ("free", "paid", "unknown")
RECURRENCES = ("annual",)
PUBLICATION_STATES = tuple(labels.PUBLICATION_STATES)


class Event(PublicContent, Base):
    """One dated event, or a recurring series whose next dates are not announced (starts_at null).

    Times are stored as naive UTC; pages and feeds show them in China Standard Time."""

    __tablename__ = "events"
    # `kind` comes from content/taxonomies.yaml, which changes without a migration: no CHECK on it.
    __table_args__ = (
        one_of("events", "publication_state", PUBLICATION_STATES),
        one_of("events", "fee", FEES),
        one_of("events", "recurrence", RECURRENCES),
    )

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    recurrence: Mapped[str | None] = mapped_column(String(20))
    series_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"), index=True)
    starts_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    all_day: Mapped[bool] = mapped_column(default=False)
    place_id: Mapped[str | None] = mapped_column(ForeignKey("places.id"), index=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    organiser: Mapped[str | None] = mapped_column(String(300))
    organiser_en: Mapped[str | None] = mapped_column(String(400))
    registration_url: Mapped[str | None] = mapped_column(String(500))
    fee: Mapped[str] = mapped_column(String(10), default="unknown")
    fee_note: Mapped[str | None] = mapped_column(String(200))
    audience: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    source_ref: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    source_note: Mapped[str | None] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    publication_state: Mapped[str] = mapped_column(String(20), default="published", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    region: Mapped[Region] = relationship(lazy="joined")
    place: Mapped[Place | None] = relationship(lazy="joined")

    @property
    def announced(self) -> bool:
        return self.starts_at is not None

    @property
    def point(self) -> tuple[float, float] | None:
        """Where to draw it: its own coordinates, else its place's."""
        if self.lat is not None and self.lon is not None:
            return self.lat, self.lon
        if self.place is not None and self.place.on_map:
            return self.place.lat, self.place.lon
        return None

    def is_past(self, now: dt.datetime) -> bool:
        end = self.ends_at or self.starts_at
        return end is not None and end < now

    def __repr__(self) -> str:
        return f"<Event {self.id}>"


class EventRevision(Base):
    """A proposed new event or change; the public sees the approved event until a reviewer approves."""

    __tablename__ = "event_revisions"
    __table_args__ = (
        one_of("event_revisions", "kind", REVISION_KINDS),
        one_of("event_revisions", "state", STATES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80), index=True)  # no FK: a new event has no row yet
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    base: Mapped[dict | None] = mapped_column(JSON)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Optimistic locking: two reviewers acting on the same change cannot both succeed.
    version: Mapped[int] = mapped_column(default=1)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}
