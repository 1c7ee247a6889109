"""Region model."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core import labels
from portal.core.contentversion import PublicContent
from portal.db import Base, one_of

LEVELS = tuple(labels.LEVELS)  # the code list and its names live in core.labels


class Region(PublicContent, Base):
    """An administrative area; `parent_id` builds the hierarchy."""

    __tablename__ = "regions"
    __table_args__ = (one_of("regions", "level", LEVELS),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(160))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("regions.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # Approximate centre (WGS-84), for "near" searches typed as a place name.
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # GB/T 2260 administrative division code (e.g. 620102); None for zones that are not divisions.
    code: Mapped[str | None] = mapped_column(String(6))

    def __repr__(self) -> str:
        return f"<Region {self.id}>"
