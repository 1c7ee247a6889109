"""API v1 for events: the filtered list, one event, and this month's events as GeoJSON."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request

from portal import db
from portal.core.clock import utcnow
from portal.core.params import BadParameter
from portal.core.security import csrf
from portal.events import api_bp as bp
from portal.events import dates, services
from portal.events.views import event_url, filter_from_request
from portal.i18n import lazy_gettext as _l

csrf.exempt(bp)  # read-only JSON for token-less clients


@bp.get("/events")
def event_list():
    f = filter_from_request(default_when="all")
    result = services.find(db.session(), f)
    return jsonify(
        {
            "total": result.total,
            "page": f.page,
            "per_page": f.per_page,
            "results": [services.event_json(e, event_url(e.id)) for e in result.events],
            "facets": result.facets,
        }
    )


@bp.get("/events/<event_id>")
def event_detail(event_id: str):
    event = services.get_event(db.session(), event_id)
    if event is None:
        abort(404, description=f"No event with id '{event_id[:80]}'.")
    return jsonify(services.event_detail_json(event, event_url(event.id)))


@bp.get("/events.geojson")
def event_geojson():
    """Events taking place in a month (this month by default), for the map layer."""
    today = dates.local(utcnow()).date()
    try:
        first = dates.parse_month(request.args.get("month"), today)
    except ValueError:
        raise BadParameter("month", _l("Give a month as YYYY-MM, e.g. 2026-10.")) from None
    body = services.geojson(services.in_month(db.session(), first), event_url)
    body["month"] = first.strftime("%Y-%m")
    return current_app.response_class(current_app.json.dumps(body), mimetype="application/geo+json")
