"""Markup sent through every parameter of every public page and API comes back escaped."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict

from portal import db
from portal.eligibility.models import Benefit, EligibilityQuestion
from portal.events.models import Event
from portal.places.models import Place
from portal.policies.models import Category, Policy
from portal.service_points.models import ServicePoint

PAYLOAD = '"><meta http-equiv="refresh" content="0;url=https://evil.example/"><b>x</b>'
RAW = ('<meta http-equiv="refresh"', "<b>x</b>")
NOT_PUBLIC = (
    "staff.",
    "moderation.",
    "operators.",
    "static",
    "core.vendor",
    "accounts.",
    "event_operators.",
    "dashboard.",
)


class _Recording(ImmutableMultiDict):
    """Query and form data that remember every name a view asked for."""

    asked: set[str] = set()

    def get(self, key, default=None, type=None):  # noqa: A002 - Werkzeug's signature
        _Recording.asked.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        _Recording.asked.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        _Recording.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _Recording.asked.add(key)
        return super().__contains__(key)


def _public_get_urls(app) -> list[tuple[str, str]]:
    with app.app_context():
        session = db.session()
        samples = {
            "policy_id": session.scalar(select(Policy.id).limit(1)),
            "place_id": session.scalar(select(Place.id).limit(1)),
            "benefit_id": session.scalar(select(Benefit.id).limit(1)),
            "question_id": session.scalar(select(EligibilityQuestion.id).limit(1)),
            "category_id": session.scalar(select(Category.id).limit(1)),
            "file_id": "x",
            "position": 0,
            "level": "province",
            "event_id": session.scalar(select(Event.id).limit(1)),
            "region_id": "cn",
            "point_id": session.scalar(select(ServicePoint.id).limit(1)),
            "topic_id": "registration",
            "token": "not-a-token",
            "dataset_id": "policies",
            "fmt": "json",
        }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.startswith(NOT_PUBLIC):
            continue
        values = {arg: samples[arg] for arg in rule.arguments}
        urls.append((rule.endpoint, rule.build(values, append_unknown=False)[1]))
    return sorted(urls)


def _check(response, url):
    assert response.status_code < 500, url
    if response.mimetype != "application/json":
        body = response.get_data(as_text=True)
        for raw in RAW:
            assert raw not in body, (url, body[body.find(raw) - 200 : body.find(raw) + 100])


def test_markup_in_every_query_parameter_is_escaped(client, content_app):
    original = content_app.request_class

    class Recording(original):
        parameter_storage_class = _Recording

    urls = _public_get_urls(content_app)
    assert len(urls) >= 20
    content_app.request_class = Recording
    try:
        tried, seen = 0, set()
        for _endpoint, url in urls:
            _Recording.asked = set()
            # An earlier test may have left this page in the page cache; the view must run here.
            content_app.extensions["page_cache"].clear()
            client.get(url)
            names = set(_Recording.asked) | {"page", "per_page", "q", "lang"}
            seen |= names
            for name in sorted(names):
                for value in (PAYLOAD, f"cn,{PAYLOAD}"):
                    _check(client.get(url, query_string={name: value}), f"{url}?{name}")
                    tried += 1
        assert tried > 200
        # The views' own parameters were found, the wizard's questions among them.
        assert {"region", "level", "category", "status", "type", "near", "bbox", "kind", "sort"} <= seen
        assert len(seen) > 25
    finally:
        content_app.request_class = original


def test_the_reported_region_filter_is_escaped_in_the_400_page(client):
    response = client.get("/policies", query_string={"region": PAYLOAD})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert RAW[0] not in body and "&lt;meta http-equiv=" in body


def test_markup_in_path_segments_is_escaped(client, content_app):
    for _endpoint, url in _public_get_urls(content_app):
        parts = url.split("/")
        for i in range(1, len(parts)):
            if parts[i]:
                _check(client.get("/".join([*parts[:i], quote(PAYLOAD, safe=""), *parts[i + 1 :]])), url)
