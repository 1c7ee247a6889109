"""The directory's search read from the query string, and the map's settings for its script."""

from __future__ import annotations

from flask import current_app

from portal.core import params
from portal.places import near
from portal.places.models import TYPES
from portal.search import services as search

FACETS = ("type", "region", "level", "industry", "service", "desks")
# Events are indexed with type "event" and have their own pages (portal/events), not the directory.
DIRECTORY_TYPES = tuple(t for t in TYPES if t != "event")


def directory_query(session):
    """The directory's search from the query string, with `near` resolved to a point."""
    query = search.query_from_request(session, scope=DIRECTORY_TYPES)
    query.facets = FACETS
    point = near.resolve(session, params.query_text("near"))
    if point is not None:
        query.near = point[0]
    if query.sort == "distance" and point is None:
        query.sort = "title"
    if not query.text and query.sort == "relevance":
        query.sort = "distance" if point else "title"
    return query, point


def map_config() -> dict:
    """What the map script needs, passed as data attributes (no inline script under our CSP)."""
    cfg = current_app.config
    return {"tiles": cfg["MAP_TILE_URL"], "attribution": cfg["MAP_TILE_ATTRIBUTION"],
            "crs": cfg["MAP_TILE_CRS"]}
