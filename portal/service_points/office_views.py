"""Public pages: the service point directory and one office, platform or hotline."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from portal import db
from portal.core import params
from portal.eligibility import services as eligibility
from portal.regions.models import Region
from portal.service_points import bp, services
from portal.service_points.models import KINDS, ServicePoint


def region_param(session) -> str | None:
    """The `region` query parameter: one known region id, or None; anything else is a 400 naming it."""
    chosen = params.choices("region", session.scalars(select(Region.id)))
    return chosen[0] if chosen else None


@bp.get("/service-points")
def index():
    session = db.session()
    region = region_param(session)
    kinds = params.choices("kind", KINDS)
    points = services.all_points(session)
    if region:
        chain = services._chain(session, region)
        points = [p for p in points if p.region_id in chain]
    if kinds:
        points = [p for p in points if p.kind in kinds]
    regions = {r.id: r for r in session.scalars(select(Region))}
    order = {rid: i for i, rid in enumerate(regions)}
    points.sort(key=lambda p: (p.region_id != "cn", order.get(p.region_id, 0), KINDS.index(p.kind)))
    return render_template(
        "service_points/index.html",
        points=points,
        regions=regions,
        region=region,
        kinds=kinds,
        all_kinds=KINDS,
        rules=eligibility.ruleset(session),
    )


@bp.get("/service-points/<point_id>")
def detail(point_id: str):
    point = db.session().get(ServicePoint, point_id)
    if point is None:
        abort(404)
    return render_template("service_points/detail.html", point=point)
