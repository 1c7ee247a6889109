"""API v1: site search, and the OpenAPI description of the whole API."""

from __future__ import annotations

from flask import current_app, jsonify, request

from portal import db
from portal.api import bp, openapi
from portal.core.urls import absolute_url
from portal.dashboard.counting import record_search
from portal.search import services as search
from portal.search.snippets import plain_text


@bp.get("/openapi.json")
def openapi_description():
    """The OpenAPI 3.1 description of this API."""
    base = current_app.config["PUBLIC_BASE_URL"] or request.url_root.rstrip("/")
    return jsonify(openapi.description(base))


@bp.get("/search")
def search_all():
    session = db.session()
    query = search.query_from_request(session)
    result = search.run(query)
    record_search(session, query.text, result.total, query.page)  # text, count, day only
    rows = search.rows(session, result, query.text)
    return jsonify(
        {
            "query": query.text,
            "total": result.total,
            "page": query.page,
            "per_page": query.per_page,
            "relaxed": result.relaxed,
            "results": [
                {
                    "id": r.id,
                    "type": r.type,
                    "title": r.title,
                    "url": _result_url(r),
                    "snippet": plain_text(r.snippet.striptags()),
                    "snippet_html": str(r.snippet),
                }
                for r in rows
            ],
            "facets": result.facets,
        }
    )


def _result_url(row) -> str:
    if row.type == "policy":
        return absolute_url("policies.detail", policy_id=row.id)
    if row.type == "benefit":
        return absolute_url("eligibility.benefit_detail", benefit_id=row.id)
    if row.type == "event":
        return absolute_url("events.detail", event_id=row.id)
    return absolute_url("places.detail", place_id=row.id)
