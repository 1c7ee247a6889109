"""iCalendar (RFC 5545) files of events, built with the icalendar library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from icalendar import Calendar
from icalendar import Event as VEvent

from portal.events import dates
from portal.events.models import Event

PRODID = "-//shuangchuang-portal//events//ZH"


def calendar(
    events: Iterable[Event], name: str, url_of: Callable[[str], str], stamp: dt.datetime | None = None
) -> bytes:
    """A VCALENDAR with one VEVENT per dated event; times carry the Asia/Shanghai zone."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(dates.TIME_ZONE))
    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    timed = False
    for event in events:
        if event.starts_at is None:
            continue  # a series whose dates are not announced has nothing to put in a calendar
        cal.add_component(_vevent(event, url_of(event.id), stamp))
        timed = timed or not event.all_day
    if timed:
        cal.add_missing_timezones()
    return cal.to_ical()


def _vevent(event: Event, url: str, stamp: dt.datetime) -> VEvent:
    item = VEvent()
    item.add("uid", f"{event.id}@events.shuangchuang-portal")
    item.add("dtstamp", stamp)
    item.add("summary", event.title if not event.title_en else f"{event.title} / {event.title_en}")
    start = dates.local(event.starts_at)
    if event.all_day:
        item.add("dtstart", start.date())
        end = dates.local(event.ends_at) if event.ends_at else start + dt.timedelta(days=1)
        item.add("dtend", end.date())
    else:
        item.add("dtstart", start)
        if event.ends_at:
            item.add("dtend", dates.local(event.ends_at))
    where = event.address or (event.place.address if event.place else None)
    place_name = event.place.name if event.place else None
    location = ", ".join(filter(None, [place_name, where])) or event.region.name
    item.add("location", location)
    point = event.point
    if point is not None:
        item.add("geo", point)
    # ORGANIZER needs an address the sources do not give, so the organiser is named in the text.
    text = "\n\n".join(
        filter(
            None,
            [
                event.description,
                event.description_en,
                event.organiser and f"主办 / Organiser: {event.organiser}",
                event.registration_url and f"报名 / Registration: {event.registration_url}",
            ],
        )
    )
    item.add("description", text)
    item.add("url", url)
    return item
