"""The site-wide search page."""

from __future__ import annotations

from flask import current_app, render_template

from portal import db
from portal.search import bp, services
from portal.search.signals import searched

PAGE_FACETS = ("type", "region", "level", "category", "year")


@bp.get("/search")
def index():
    session = db.session()
    query = services.query_from_request(session)
    query.facets = PAGE_FACETS
    result = services.run(query) if query.text else None
    searched.send(
        current_app._get_current_object(),
        session=session,
        text=query.text,
        results=result.total if result else 0,
        page=query.page,
    )
    return render_template(
        "search/index.html",
        query=query,
        result=result,
        rows=services.rows(session, result, query.text) if result else [],
        facets=services.ordered_facets(result, PAGE_FACETS, session, query) if result else [],
        pages=max(1, -(-result.total // query.per_page)) if result else 1,
    )
