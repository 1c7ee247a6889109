"""Calendar files to subscribe to: one event, a region's events, a place's events."""

from __future__ import annotations

from flask import Response, abort

from portal import db
from portal.events import bp, ical, services
from portal.events.views import event_url
from portal.i18n import gettext as _
from portal.i18n import localized
from portal.places.services import get_place
from portal.regions.models import Region


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/events/<event_id>.ics")
def event_ics(event_id: str):
    event = services.get_event(db.session(), event_id)
    if event is None or event.starts_at is None:
        abort(404)
    return _ics(ical.calendar([event], localized(event, "title"), event_url), f"{event.id}.ics")


@bp.get("/events/regions/<region_id>.ics")
def region_ics(region_id: str):
    session = db.session()
    region = session.get(Region, region_id)
    if region is None:
        abort(404)
    name = _("Events in %(region)s", region=localized(region, "name"))
    events = services.for_feed(session, region_id=region.id)
    return _ics(ical.calendar(events, name, event_url), f"events-{region.id}.ics")


@bp.get("/places/<place_id>/events.ics")
def place_ics(place_id: str):
    session = db.session()
    place = get_place(session, place_id)
    if place is None:
        abort(404)
    name = _("Events at %(place)s", place=localized(place, "name"))
    events = services.for_feed(session, place_id=place.id)
    return _ics(ical.calendar(events, name, event_url), f"events-{place.id}.ics")
