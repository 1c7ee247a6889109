"""iCalendar files: per event, per region and per place, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from portal.events import dates
from tests.conftest import make_app
from tests.eventing import NOW, make_world


@pytest.fixture
def world(tmp_path):
    app = make_app(tmp_path)
    make_world(app)
    return app


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def _events(cal: Calendar) -> dict[str, object]:
    return {str(e["uid"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def test_add_to_calendar_file_has_the_event_in_china_time(world):
    response = world.test_client().get("/events/soon-roadshow.ics")
    assert "attachment" in response.headers["Content-Disposition"]
    event = _events(_parse(response))["soon-roadshow"]
    start = event.decoded("dtstart")
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert start.astimezone(dt.UTC).replace(tzinfo=None) == NOW + dt.timedelta(days=3)
    assert event.decoded("dtend") - start == dt.timedelta(hours=3)
    assert "城关项目路演" in str(event["summary"]) and "Chengguan roadshow" in str(event["summary"])
    assert "城关区测试路1号" in str(event["location"])
    assert "https://example.gov.cn/signup" in str(event["description"])
    assert str(event["url"]).endswith("/events/soon-roadshow")
    assert (event["geo"].latitude, event["geo"].longitude) == pytest.approx((36.06, 103.84))


def test_all_day_events_are_dates_with_an_exclusive_end(world):
    cal = _parse(world.test_client().get("/events/later-training.ics"))
    event = _events(cal)["later-training"]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert type(start) is dt.date and type(end) is dt.date
    assert start == dates.local(dates.day_start(start)).date()
    assert (end - start).days >= 2


def test_region_feed_includes_events_of_regions_inside_it_and_skips_undated_series(world):
    client = world.test_client()
    lanzhou = _events(_parse(client.get("/events/regions/gansu-lanzhou.ics")))
    assert set(lanzhou) == {"soon-roadshow", "old-salon"}  # past events stay in the feed
    china = _events(_parse(client.get("/events/regions/cn.ics")))
    assert "later-training" in china and "yearly-week" not in china
    assert client.get("/events/regions/atlantis.ics").status_code == 404


def test_place_feed_has_the_events_at_that_place(world):
    client = world.test_client()
    cal = _parse(client.get("/places/test-space/events.ics"))
    assert set(_events(cal)) == {"soon-roadshow", "old-salon"}
    assert "测试众创空间" in str(cal["x-wr-calname"])
    assert client.get("/places/nowhere/events.ics").status_code == 404
