"""A place or organisation a founder can visit or contact."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core import labels
from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.db import Base, QueryableJSON, UtcDateTime, one_of
from portal.regions.models import LEVELS, Region

TYPES = tuple(labels.PLACE_TYPES)
GEO_PRECISIONS = tuple(labels.GEO_PRECISION)
STATUSES = tuple(labels.PLACE_STATUSES)
FUND_TYPES = tuple(labels.FUND_TYPES)
STAGES = tuple(labels.STAGES)
PUBLICATION_STATES = tuple(labels.PUBLICATION_STATES)


class Place(PublicContent, Base):
    """A directory entry; coordinates are WGS-84 with an honest precision."""

    __tablename__ = "places"
    __table_args__ = (
        one_of("places", "type", TYPES),
        one_of("places", "status", STATUSES),
        one_of("places", "level", LEVELS),
        one_of("places", "geo_precision", GEO_PRECISIONS),
        one_of("places", "publication_state", PUBLICATION_STATES),
        one_of("places", "fund_type", FUND_TYPES),
        # The public photo lookup asks "which published place lists this file" (jsonb containment).
        Index("ix_places_photos", "photos", postgresql_using="gin", info={"only_on": "postgresql"}).ddl_if(
            dialect="postgresql"
        ),
    )

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(300))
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id"), index=True)
    level: Mapped[str | None] = mapped_column(String(20), index=True)
    recognition: Mapped[str | None] = mapped_column(String(200))
    industries: Mapped[list] = mapped_column(JSON, default=list)
    services: Mapped[list] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float, index=True)
    lon: Mapped[float | None] = mapped_column(Float, index=True)
    geo_precision: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="unknown")
    website: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    opening_hours: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int | None]
    desks_free: Mapped[int | None]
    desk_price: Mapped[str | None] = mapped_column(String(120))
    offices_free: Mapped[int | None]
    desks_updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_confirmed_on: Mapped[dt.date | None] = mapped_column(Date)
    # The last confirmation reminder sent to the operators, so cron runs do not repeat it.
    confirm_reminder_on: Mapped[dt.date | None] = mapped_column(Date)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    # Where the address, phone and website were published, and the day they were compared.
    contact_source: Mapped[str | None] = mapped_column(String(500))
    contact_checked_on: Mapped[dt.date | None] = mapped_column(Date)
    recognition_year: Mapped[int | None]
    certificate_file_id: Mapped[str | None] = mapped_column(String(32))
    photos: Mapped[list] = mapped_column(QueryableJSON, default=list, server_default="[]")  # file ids
    fund_type: Mapped[str | None] = mapped_column(String(20))
    fund_stages: Mapped[list] = mapped_column(JSON, default=list)
    fund_size_cny: Mapped[int | None] = mapped_column(BigInteger)
    fund_ticket: Mapped[str | None] = mapped_column(String(200))
    source_ref: Mapped[str | None] = mapped_column(String(300))
    source_quote: Mapped[str | None] = mapped_column(Text)
    source_note: Mapped[str | None] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    publication_state: Mapped[str] = mapped_column(
        String(20), default="published", server_default="published", index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    region: Mapped[Region] = relationship(lazy="joined")

    @property
    def on_map(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_public(self) -> bool:
        return self.publication_state == "published"

    def __repr__(self) -> str:
        return f"<Place {self.id}>"
