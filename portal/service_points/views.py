"""Public pages: the service point directory and the topic guides (办事流程简图)."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template
from sqlalchemy import select

from portal import db
from portal.core import params
from portal.eligibility import services as eligibility
from portal.policies.models import Category, Policy
from portal.regions.models import Region
from portal.service_points import services, topics
from portal.service_points.labels import KIND_LABELS, WHO_LABELS
from portal.service_points.models import KINDS, ServicePoint

bp = Blueprint("service_points", __name__)


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


@bp.get("/guides")
def guides():
    return render_template("service_points/guides.html", topics=topics.TOPICS)


@bp.get("/guides/<topic_id>")
def guide(topic_id: str):
    topic = topics.TOPIC_BY_ID.get(topic_id)
    if topic is None:
        abort(404)
    session = db.session()
    region = region_param(session)
    rules = eligibility.ruleset(session)
    benefits = [
        b
        for b in rules.benefits
        if topics.topic_for_benefit(b.kind, _office(b)) is topic
        and (not region or b.region in rules.ancestors(region))
    ]
    policies = list(
        session.scalars(
            select(Policy)
            .join(Policy.categories)
            .where(Category.id.in_(topic.categories), Policy.publication_state == "published")
            .order_by(Policy.issued_on.desc().nullslast())
            .limit(30)
        )
    )
    return render_template(
        "service_points/guide.html",
        topic=topic,
        region=region,
        rules=rules,
        benefits=benefits,
        policies=policies,
        step=services.next_step(session, region, topic.office),
    )


def _office(benefit) -> str | None:
    return (benefit.data.get("apply") or {}).get("office")


def next_step_for(region_id: str | None, kind: str | None) -> dict:
    """The next step for a region and kind of office, computed once per request."""
    cache = g.setdefault("next_steps", {})
    key = (region_id, kind or "government_service")
    if key not in cache:
        cache[key] = services.next_step(db.session(), region_id, key[1])
    return cache[key]


def policy_topic(policy) -> topics.Topic | None:
    return topics.topic_for_categories([c.id for c in policy.categories])


def basis_link(policy_id: str | None, clause: str | None) -> dict | None:
    """Where a basis points: the policy page, at the paragraph its clause names when it can be found."""
    if not policy_id:
        return None
    from flask import url_for

    from portal.policies import services as policies

    session = db.session()
    if "policy_versions" not in g:
        g.policy_versions = policies.published_versions(session)
    if policy_id not in g.policy_versions:
        return None
    found = policies.clause_anchor(session, policy_id, g.policy_versions[policy_id], clause)
    if found is None:
        return None
    anchor, label = found
    return {"url": url_for("policies.detail", policy_id=policy_id, _anchor=anchor),
            "label": label if label and label not in (clause or "") else ""}


@bp.app_context_processor
def _helpers():
    return {
        "office_kind_labels": KIND_LABELS, "flow_who_labels": WHO_LABELS, "benefit_office": _office,
        "next_step_for": next_step_for, "policy_topic": policy_topic,
        "benefit_topic": lambda b: topics.topic_for_benefit(b.kind, _office(b)),
        "basis_link": basis_link,
    }
