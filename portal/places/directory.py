"""The directory's search read from the query string, and the map's settings for its script."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for

from portal.core import params
from portal.core.params import BadParameter
from portal.i18n import lazy_gettext as _l
from portal.places import near, ranking
from portal.places.models import TYPES
from portal.search import services as search
from portal.search.backend import SearchQuery

FACETS = ("type", "region", "level", "industry", "service", "desks")
# Events are indexed with type "event" and have their own pages (portal/events), not the directory.
DIRECTORY_TYPES = tuple(t for t in TYPES if t != "event")


@dataclass
class Directory:
    """The directory's search as the visitor asked for it, and what "near" turned out to be."""

    query: SearchQuery
    near_text: str = ""
    found: near.Point | near.Ambiguous | None = None
    asked_sort: str = "relevance"  # kept in the form even when the list cannot be in that order
    open_only: bool = False

    @property
    def point(self) -> near.Point | None:
        return self.found if isinstance(self.found, near.Point) else None

    @property
    def ambiguous(self) -> near.Ambiguous | None:
        return self.found if isinstance(self.found, near.Ambiguous) else None

    @property
    def near_unknown(self) -> bool:
        return bool(self.near_text) and self.found is None


def directory(session, *, default_open: bool = True) -> Directory:
    """Read the directory's query string; `near` is resolved and "open only" is on by default
    for a search near somewhere (`open=0` turns it off)."""
    query = search.query_from_request(session, scope=DIRECTORY_TYPES)
    query.facets = FACETS
    # The order the visitor chose stays chosen in the form, even when the list cannot have it.
    asked = query.sort if request.args.get("sort") else None
    state = Directory(query, params.query_text("near"))
    state.found = near.resolve_kept(session, state.near_text, current_app.config["MAP_DATA_DIR"])
    point = state.point
    if point is not None:
        query.near = (point.lat, point.lon)
    if query.sort == "distance" and point is None:
        query.sort = "title"
    if not query.text and query.sort == "relevance":
        query.sort = "distance" if point else "title"
    state.asked_sort = asked or query.sort
    given = request.args.getlist("open")
    state.open_only = given[-1] == "1" if given else (default_open and point is not None)
    if state.open_only:
        ranking.only_open(query)
    return state


def directory_query(session):
    """The directory's query and the point "near" resolved to (for the API: no default filter;
    a name several districts share is refused, listing them)."""
    state = directory(session, default_open=False)
    if state.ambiguous:
        raise BadParameter(
            "near",
            _l(
                "Several districts are called “%(t)s”: %(c)s. Give the city too.",
                t=state.near_text,
                c="; ".join(label for label, _t in state.ambiguous.choices),
            ),
        )
    point = state.point
    return state.query, ((point.lat, point.lon), point.label) if point else None


def map_config() -> dict:
    """What the map script needs, passed as data attributes (no inline script under our CSP)."""
    cfg = current_app.config
    base = (cfg["MAP_DATA_DIR"] / "province.geojson").exists()
    return {
        "tiles": cfg["MAP_TILE_URL"],
        "attribution": cfg["MAP_TILE_ATTRIBUTION"],
        "crs": cfg["MAP_TILE_CRS"],
        "base": url_for("places.base_layer", level="LEVEL") if base else "",
    }
