"""Public pages: the topic guides (办事流程简图), each with its benefits, policies and next step."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from portal import db
from portal.eligibility import services as eligibility
from portal.policies.models import Category, Policy
from portal.service_points import bp, services, topics
from portal.service_points.office_views import region_param
from portal.service_points.page_helpers import office_of


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
        if topics.topic_for_benefit(b.kind, office_of(b)) is topic
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
