"""What templates ask of service points: the next step, an office, a topic, where a basis points."""

from __future__ import annotations

from flask import g

from portal import db
from portal.core.versioncache import per_version
from portal.service_points import bp, services, topics
from portal.service_points.labels import KIND_LABELS, WHO_LABELS


def office_of(benefit) -> str | None:
    """The kind of office a benefit is applied for at, from its how-to-apply data."""
    return (benefit.data.get("apply") or {}).get("office")


def next_step_for(region_id: str | None, kind: str | None) -> dict:
    """The next step for a region and kind of office, looked up once per content version."""
    session, key = db.session(), (region_id, kind or "government_service")
    return per_version(session, "next_step", key, lambda: services.shown_next_step(session, *key))


def policy_topic(policy) -> topics.Topic | None:
    return topics.topic_for_categories([c.id for c in policy.categories])


def basis_link(policy_id: str | None, clause: str | None) -> dict | None:
    """Where a basis points: the policy page, at the paragraph its clause names when it can be found."""
    if not policy_id:
        return None
    from flask import url_for

    session = db.session()
    found = per_version(session, "basis_anchor", (policy_id, clause), lambda: _anchor(policy_id, clause))
    if found is None:
        return None
    anchor, label = found
    return {
        "url": url_for("policies.detail", policy_id=policy_id, _anchor=anchor),
        "label": label if label and label not in (clause or "") else "",
    }


def _anchor(policy_id: str, clause: str | None) -> tuple[str | None, str] | None:
    from portal.policies import services as policies

    session = db.session()
    if "policy_versions" not in g:
        g.policy_versions = policies.published_versions(session)
    if policy_id not in g.policy_versions:
        return None
    return policies.clause_anchor(session, policy_id, g.policy_versions[policy_id], clause)


@bp.app_context_processor
def _helpers():
    return {
        "office_kind_labels": KIND_LABELS,
        "flow_who_labels": WHO_LABELS,
        "benefit_office": office_of,
        "next_step_for": next_step_for,
        "policy_topic": policy_topic,
        "benefit_topic": lambda b: topics.topic_for_benefit(b.kind, office_of(b)),
        "basis_link": basis_link,
    }
