"""Policy library pages: the faceted list, a policy's page and Atom feeds."""

from __future__ import annotations

from flask import abort, current_app, render_template, send_file

from portal import db
from portal.core.urls import absolute_url
from portal.policies import bp, services
from portal.search import services as search

LIST_FACETS = ("level", "region", "category", "year", "status")


@bp.get("/policies")
def index():
    session = db.session()
    query = search.query_from_request(session, scope=("policy",))
    query.facets = LIST_FACETS
    result = search.run(query)
    return render_template(
        "policies/index.html",
        query=query,
        result=result,
        rows=search.rows(session, result, query.text),
        facets=search.ordered_facets(result, LIST_FACETS, session, query),
        pages=_page_count(result.total, query.per_page),
    )


@bp.get("/policies/<policy_id>")
def detail(policy_id: str):
    session = db.session()
    policy = services.get_policy(session, policy_id)
    if policy is None:
        abort(404)
    return render_template(
        "policies/detail.html",
        policy=policy,
        related=services.related_policies(session, policy),
        permalink=absolute_url("policies.detail", policy_id=policy.id),
    )


@bp.get("/policies/<policy_id>/attachments/<int:position>")
def attachment(policy_id: str, position: int):
    """Download an attachment of a published policy under its original (Chinese) name."""
    from portal.core import files
    from portal.core.files import StoredFile, path_of

    session = db.session()
    policy = services.get_policy(session, policy_id)
    if policy is None or position >= len(policy.attachments):
        abort(404)
    item = policy.attachments[position]
    record = session.get(StoredFile, item.file_id) if item.file_id else None
    if record is None:
        abort(404)
    return send_file(
        path_of(current_app.config["UPLOAD_DIR"], record),
        mimetype=record.content_type,
        as_attachment=True,
        download_name=files.download_name(record),
    )


@bp.get("/feeds/policies.atom")
def feed():
    session = db.session()
    return _feed(services.latest_policies(session), absolute_url("policies.feed"), None)


@bp.get("/feeds/categories/<category_id>.atom")
def category_feed(category_id: str):
    session = db.session()
    category = next((c for c in services.all_categories(session) if c.id == category_id), None)
    if category is None:
        abort(404)
    policies = services.latest_policies(session, category=category_id)
    return _feed(policies, absolute_url("policies.category_feed", category_id=category_id), category)


def _feed(policies, self_url: str, category):
    body = render_template(
        "feeds/atom.xml",
        policies=policies,
        self_url=self_url,
        category=category,
        home_url=absolute_url("home.index"),
        entry_url=lambda p: absolute_url("policies.detail", policy_id=p.id),
    )
    return current_app.response_class(body, mimetype="application/atom+xml")


def _page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))
