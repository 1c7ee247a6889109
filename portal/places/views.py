"""Directory pages: the searchable list, a place's page and the creator map."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from flask_babel import lazy_gettext as _l

from portal import db
from portal.core import params
from portal.core.params import BadParameter
from portal.places import near, ranking, services, taxonomy
from portal.places.models import TYPES
from portal.policies.views import external_url
from portal.search import services as search
from portal.search.backend import SearchQuery

bp = Blueprint("places", __name__)
FACETS = ("type", "region", "level", "industry", "service", "desks")


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
    query = search.query_from_request(session, scope=TYPES)
    query.facets = FACETS
    # The order the visitor chose stays chosen in the form, even when the list cannot have it.
    asked = query.sort if request.args.get("sort") else None
    state = Directory(query, params.query_text("near"))
    state.found = near.resolve(session, state.near_text, current_app.config["MAP_DATA_DIR"])
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
        raise BadParameter("near", _l("Several districts are called “%(t)s”: %(c)s. Give the city too.",
                                      t=state.near_text,
                                      c="; ".join(label for label, _t in state.ambiguous.choices)))
    point = state.point
    return state.query, ((point.lat, point.lon), point.label) if point else None


def _listing(template: str, state: Directory, **extra):
    session = db.session()
    query = state.query
    result = ranking.run(query)
    return render_template(
        template, query=query, result=result, state=state, point=state.point,
        rows=search.rows(session, result, query.text),
        facets=search.ordered_facets(result, FACETS, session, query),
        pages=max(1, -(-result.total // query.per_page)), near_text=state.near_text,
        near_unknown=state.near_unknown, **extra)


@bp.get("/places")
def index():
    return _listing("places/index.html", directory(db.session()))


@bp.get("/places/<place_id>")
def detail(place_id: str):
    session = db.session()
    place = services.get_place(session, place_id)
    if place is None:
        abort(404)
    from portal.operators import feedback, freshness

    feedback.record_view(session, place.id, from_map=request.args.get("from") == "map")
    return render_template(
        "places/detail.html", place=place, related=services.related_policies(session, place),
        fresh=freshness.is_fresh(place),
        permalink=external_url("places.detail", place_id=place.id), map_config=map_config(),
        industry_labels=taxonomy.industries(), service_labels=taxonomy.services(),
    )


@bp.get("/map")
def map_page():
    state = directory(db.session())
    state.query.per_page = min(state.query.per_page, 50)
    return _listing("places/map.html", state, map_config=map_config())


BASEMAP_LEVELS = ("province", "city", "district")


@bp.get("/map/base/<level>.geojson")
def base_layer(level: str):
    """A boundary layer built by `flask map build`; sent gzipped to browsers that accept it."""
    if level not in BASEMAP_LEVELS:
        abort(404)
    folder = current_app.config["MAP_DATA_DIR"]
    gz = folder / f"{level}.geojson.gz"
    if "gzip" in request.headers.get("Accept-Encoding", "") and gz.exists():
        response = send_file(gz, mimetype="application/geo+json", max_age=86400, conditional=True)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        return response
    plain = folder / f"{level}.geojson"
    if not plain.exists():
        abort(404)
    return send_file(plain, mimetype="application/geo+json", max_age=86400, conditional=True)


def map_config() -> dict:
    """What the map script needs, passed as data attributes (no inline script under our CSP)."""
    cfg = current_app.config
    base = (cfg["MAP_DATA_DIR"] / "province.geojson").exists()
    return {"tiles": cfg["MAP_TILE_URL"], "attribution": cfg["MAP_TILE_ATTRIBUTION"],
            "crs": cfg["MAP_TILE_CRS"],
            "base": url_for("places.base_layer", level="LEVEL") if base else ""}
