"""How events appear in search: their index documents and result rows."""

from __future__ import annotations

from collections.abc import Iterator

from pypinyin import lazy_pinyin
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.core.urls import DetailLinks
from portal.events.models import Event
from portal.events.services import events_by_ids
from portal.i18n import localized
from portal.regions.services import ancestry
from portal.search.backend import IndexDoc
from portal.search.registry import Regions, Row, Source, cut
from portal.search.snippets import prepare_parts
from portal.search.text import pinyin_forms

_PUBLISHED = Event.publication_state == "published"


def event_document(event: Event, regions: Regions) -> IndexDoc:
    """The index form of an event: titles (with pinyin), organiser, description; dated by its start."""
    start = event.starts_at
    return IndexDoc(
        key=f"event:{event.id}",
        type="event",
        title=" ".join([event.title, event.title_en or "", pinyin_forms(event.title)]),
        text="\n".join(
            [
                event.description,
                event.description_en or "",
                event.organiser or "",
                event.organiser_en or "",
                event.address or "",
            ]
        ),
        regions=tuple(ancestry(regions, event.region_id)),
        level="",
        status="",
        year=str(start.year) if start else "",
        date_ordinal=start.toordinal() if start else 0,
        sort_title=" ".join(lazy_pinyin(event.title)),
        lat=event.point[0] if event.point else None,
        lon=event.point[1] if event.point else None,
        snippet=_parts(event),
    )


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Event).where(_PUBLISHED)) or 0


def _documents(db: Session, regions: Regions) -> Iterator[IndexDoc]:
    for event in db.scalars(select(Event).where(_PUBLISHED)):
        yield event_document(event, regions)


def _document(db: Session, event_id: str, regions: Regions) -> IndexDoc | None:
    event = db.get(Event, event_id)
    published = event is not None and event.publication_state == "published"
    return event_document(event, regions) if published else None


def _rows(db: Session, hits, text: str) -> dict[str, Row]:
    link = DetailLinks("events.detail", "event_id")
    by_id = {h.id: h for h in hits}
    out = {}
    for ev in events_by_ids(db, list(by_id)).values():
        out[ev.id] = Row(
            id=ev.id,
            type="event",
            title=localized(ev, "title"),
            url=link(ev.id),
            obj=ev,
            snippet=cut(by_id[ev.id], lambda ev=ev: _parts(ev), text),
        )
    return out


def _parts(event: Event):
    return prepare_parts(event.description, event.description_en)


# Events are found by words but not offered as a type to filter on.
SOURCE = Source(
    entity="event", model=Event, count=_count, documents=_documents, document=_document, rows=_rows
)
