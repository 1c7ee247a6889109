"""API v1 events: list shape, filters, one event, errors in the API's error shape; search finds events."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.events import dates
from tests.conftest import make_app
from tests.eventing import NOW, make_world

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")


@pytest.fixture
def world(tmp_path):
    app = make_app(tmp_path)
    make_world(app)
    return app


def test_list_shape_with_iso_times_and_undated_series(world):
    body = world.test_client().get("/api/v1/events").get_json()
    assert set(body) >= {"total", "page", "per_page", "results"}
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] == 20
    by_id = {r["id"]: r for r in body["results"]}
    for r in body["results"]:
        assert set(r) >= {
            "id",
            "title",
            "title_en",
            "kind",
            "starts_at",
            "ends_at",
            "place_id",
            "region",
            "url",
        }
    roadshow = by_id["soon-roadshow"]
    assert ISO.match(roadshow["starts_at"]) and ISO.match(roadshow["ends_at"])
    assert dt.datetime.fromisoformat(roadshow["starts_at"]).astimezone(dt.UTC).replace(tzinfo=None) == (
        NOW + dt.timedelta(days=3)
    ).replace(microsecond=0)
    assert roadshow["place_id"] == "test-space" and roadshow["region"] == "gansu-lanzhou-chengguan"
    assert roadshow["url"].endswith("/events/soon-roadshow")
    assert by_id["yearly-week"]["starts_at"] is None and by_id["yearly-week"]["ends_at"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=training", {"later-training"}),
        ("region=gansu", {"soon-roadshow", "old-salon"}),
        ("place=test-space", {"soon-roadshow", "old-salon"}),
        ("q=路演", {"soon-roadshow"}),
        ("q=training", {"later-training"}),
    ],
)
def test_filters(world, query, expected):
    body = world.test_client().get(f"/api/v1/events?{query}").get_json()
    assert {r["id"] for r in body["results"]} == expected


def test_from_and_to_select_by_date_in_china(world):
    start = dates.local(NOW + dt.timedelta(days=3)).date()
    body = world.test_client().get(f"/api/v1/events?from={start}&to={start}").get_json()
    assert {r["id"] for r in body["results"]} == {"soon-roadshow"}


def test_paging(world):
    body = world.test_client().get("/api/v1/events?per_page=2&page=2").get_json()
    assert body["total"] == 4 and len(body["results"]) == 2 and body["page"] == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=yesterday", "from"),
        ("to=2026-02-30", "to"),
        ("kind=party", "kind"),
        ("region=atlantis", "region"),
        ("place=nowhere", "place"),
        ("per_page=0", "per_page"),
        ("page=x", "page"),
        ("from=2030-05-02&to=2030-05-01", "to"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(world, query, field):
    response = world.test_client().get(f"/api/v1/events?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field and error["code"] and error["message"]


def test_one_event_and_404_in_the_error_shape(world):
    client = world.test_client()
    body = client.get("/api/v1/events/soon-roadshow").get_json()
    assert body["id"] == "soon-roadshow" and body["registration_url"] == "https://example.gov.cn/signup"
    assert body["lat"] == 36.06 and body["fee"] == "free" and body["past"] is False
    response = client.get("/api/v1/events/nope")
    assert response.status_code == 404 and response.get_json()["error"]["code"]


def test_search_finds_events_by_chinese_english_and_type(world):
    client = world.test_client()
    body = client.get("/api/v1/search?q=路演").get_json()
    hits = [r for r in body["results"] if r["type"] == "event"]
    assert hits and hits[0]["id"] == "soon-roadshow" and hits[0]["url"].endswith("/events/soon-roadshow")
    body = client.get("/api/v1/search?q=training&type=event").get_json()
    assert [r["id"] for r in body["results"]] == ["later-training"]
    html = client.get("/search?q=路演&lang=en").get_data(as_text=True)
    assert "/events/soon-roadshow" in html and "China Standard Time" in html
    # The directory holds places only.
    assert "soon-roadshow" not in client.get("/places?q=路演").get_data(as_text=True)
