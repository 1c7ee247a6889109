"""What templates ask of service points: the next step, an office, a topic, where a basis points."""

from __future__ import annotations

from flask import g

from portal import db
from portal.policies.models import Policy
from portal.service_points import bp, services, topics
from portal.service_points.labels import KIND_LABELS, WHO_LABELS


def office_of(benefit) -> str | None:
    """The kind of office a benefit is applied for at, from its how-to-apply data."""
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

    from portal.core.outline import find_clause, number_blocks
    from portal.core.templating import render_markdown

    outlines = g.setdefault("policy_outlines", {})
    if policy_id not in outlines:
        policy = db.session().get(Policy, policy_id)
        outlines[policy_id] = number_blocks(str(render_markdown(policy.body)))[1] if policy else None
    blocks = outlines[policy_id]
    if blocks is None:
        return None
    block = find_clause(blocks, clause)
    label = block.label if block and block.label and block.label not in (clause or "") else ""
    return {"url": url_for("policies.detail", policy_id=policy_id, _anchor=block.id if block else None),
            "label": label}


@bp.app_context_processor
def _helpers():
    return {
        "office_kind_labels": KIND_LABELS, "flow_who_labels": WHO_LABELS, "benefit_office": office_of,
        "next_step_for": next_step_for, "policy_topic": policy_topic,
        "benefit_topic": lambda b: topics.topic_for_benefit(b.kind, office_of(b)),
        "basis_link": basis_link,
    }
