"""API v1: the policy library."""

from __future__ import annotations

from flask import abort, jsonify

from portal import db
from portal.api import bp
from portal.core.urls import absolute_url
from portal.policies import services as policies
from portal.search import services as search


@bp.get("/policies")
def policy_list():
    session = db.session()
    query = search.query_from_request(session, scope=("policy",))
    query.facets = ("level", "region", "category", "status", "year")
    result = search.run(query)
    found = policies.policies_by_ids(session, [h.id for h in result.hits])
    return jsonify(
        {
            "total": result.total,
            "page": query.page,
            "per_page": query.per_page,
            "results": [
                policies.policy_summary_json(found[h.id], absolute_url("policies.detail", policy_id=h.id))
                for h in result.hits
                if h.id in found
            ],
            "facets": result.facets,
        }
    )


@bp.get("/policies/<policy_id>")
def policy_detail(policy_id: str):
    policy = policies.get_policy_record(db.session(), policy_id)
    if policy is None:
        abort(404, description=f"No policy with id '{policy_id[:80]}'.")
    return jsonify(policies.policy_json(policy, absolute_url("policies.detail", policy_id=policy.id)))
