"""API v1 endpoints: search, policies and regions."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from portal import db
from portal.core.security import csrf
from portal.policies import services as policies
from portal.policies.views import external_url
from portal.regions.services import all_regions
from portal.search import services as search
from portal.search.snippets import plain_text

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-less JSON clients; every endpoint here is read-only so far


@bp.get("/search")
def search_all():
    session = db.session()
    query = search.query_from_request(session)
    result = search.run(query)
    rows = search.rows(session, result, query.text)
    return jsonify({
        "query": query.text,
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "relaxed": result.relaxed,
        "results": [
            {"id": r.id, "type": r.type, "title": r.title,
             "url": external_url("policies.detail", policy_id=r.id),
             "snippet": plain_text(r.snippet.striptags()), "snippet_html": str(r.snippet)}
            for r in rows
        ],
        "facets": result.facets,
    })


@bp.get("/policies")
def policy_list():
    session = db.session()
    query = search.query_from_request(session, types=("policy",))
    query.facets = ("level", "region", "category", "status", "year")
    result = search.run(query)
    found = policies.policies_by_ids(session, [h.id for h in result.hits])
    return jsonify({
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "results": [
            policies.policy_summary_json(found[h.id], external_url("policies.detail", policy_id=h.id))
            for h in result.hits if h.id in found
        ],
        "facets": result.facets,
    })


@bp.get("/policies/<policy_id>")
def policy_detail(policy_id: str):
    policy = policies.get_policy(db.session(), policy_id)
    if policy is None:
        abort(404, description=f"No policy with id '{policy_id[:80]}'.")
    return jsonify(policies.policy_json(policy, external_url("policies.detail", policy_id=policy.id)))


@bp.get("/regions")
def regions():
    return jsonify({"results": [
        {"id": r.id, "name": r.name, "name_en": r.name_en, "level": r.level, "parent_id": r.parent_id}
        for r in all_regions(db.session())
    ]})
