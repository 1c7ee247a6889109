"""A service point as published, and staff revisions of one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.clock import utcnow
from portal.core.contentversion import PublicContent
from portal.core.offices import KINDS
from portal.db import Base, UtcDateTime, one_of
from portal.publishing.workflow import REVISION_STATES as POLICY_REVISION_STATES
from portal.regions.models import Region

__all__ = ["KINDS", "REVISION_STATES", "ServicePoint", "ServicePointRevision"]

# A revision follows the policy revision table, without scheduling.
REVISION_STATES = tuple(s for s in POLICY_REVISION_STATES if s != "scheduled")


class ServicePoint(PublicContent, Base):
    """An office, platform or hotline; `definition` is the whole entry as written in the content file."""

    __tablename__ = "service_points"
    __table_args__ = (one_of("service_points", "kind", KINDS),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("regions.id"), index=True)
    definition: Mapped[dict] = mapped_column(JSON)
    verified: Mapped[bool] = mapped_column(default=False)
    checked_on: Mapped[dt.date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    region: Mapped[Region] = relationship(lazy="joined")


class ServicePointRevision(Base):
    """A staff change to a service point: draft → in review → published (or returned)."""

    __tablename__ = "service_point_revisions"
    __table_args__ = (one_of("service_point_revisions", "state", REVISION_STATES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_point_id: Mapped[str] = mapped_column(String(80), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), index=True)
    definition: Mapped[dict] = mapped_column(JSON)
    source_text: Mapped[str] = mapped_column(Text)  # the YAML as the editor typed it
    reason: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Optimistic locking: two reviewers acting on the same revision cannot both succeed.
    lock_version: Mapped[int] = mapped_column(default=1)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id], lazy="joined")

    __mapper_args__ = {"version_id_col": lock_version}
