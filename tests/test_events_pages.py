"""Event pages in zh and en: the list with facets, the month calendar, an event page, past events."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.events import dates
from tests.conftest import make_app
from tests.eventing import NOW, make_world
from tests.pages import check_page


@pytest.fixture
def world(tmp_path):
    app = make_app(tmp_path)
    make_world(app)
    return app


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_upcoming_list_has_facets_with_counts_and_no_past_events(world, lang):
    html = world.test_client().get(f"/events?lang={lang}").get_data(as_text=True)
    doc = check_page(html, lang="zh-Hans" if lang == "zh" else "en")
    assert "城关项目路演" in html or "Chengguan roadshow" in html
    assert "old-salon" not in html  # past events are not upcoming
    assert "yearly-week" in html  # a series without dates is listed, marked so
    links = {a.attrs.get("href"): a.text for a in doc.find_all("a")}
    kind_links = [t for h, t in links.items() if h and "kind=roadshow" in h]
    assert kind_links and "(1)" in kind_links[0]
    assert any(h and "fee=free" in h for h in links)
    assert any(h and "month=" in h for h in links)


def test_facets_filter_and_past_events_stay_marked_past(world):
    client = world.test_client()
    html = client.get("/events?kind=training&lang=en").get_data(as_text=True)
    assert "Startup training" in html and "Chengguan roadshow" not in html
    html = client.get("/events?when=past&lang=en").get_data(as_text=True)
    check_page(html)
    assert "Earlier salon" in html and "Past event" in html and "Startup training" not in html
    html = client.get("/events/old-salon?lang=en").get_data(as_text=True)
    check_page(html)
    assert "Past event." in html


def test_pagination_of_the_list(world):
    client = world.test_client()
    html = client.get("/events?per_page=1&lang=en").get_data(as_text=True)
    assert "Page 1 of 3" in html and "page=2" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_month_calendar_is_a_table_with_the_events_on_their_days(world, lang):
    starts = dates.local(NOW + dt.timedelta(days=3))
    month = f"{starts.year:04d}-{starts.month:02d}"
    html = world.test_client().get(f"/events/calendar?month={month}&lang={lang}").get_data(as_text=True)
    doc = check_page(html)
    table = doc.find("table")
    assert table.find("caption") is not None and len(table.find_all("th")) == 7
    cells = [td for td in table.find_all("td") if td.find("a") is not None]
    assert any(c.find("span").text.startswith(str(starts.day)) for c in cells)
    assert "/events/soon-roadshow" in html
    assert 'rel="prev"' in html and 'rel="next"' in html


def test_calendar_refuses_a_bad_month_naming_the_field(world):
    response = world.test_client().get("/events/calendar?month=2026-13&lang=en")
    assert response.status_code == 400
    assert "month" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_event_page_shows_when_where_registration_and_a_small_map(world, lang):
    html = world.test_client().get(f"/events/soon-roadshow?lang={lang}").get_data(as_text=True)
    doc = check_page(html)
    small = doc.find("div", id="place-map")
    assert small is not None and small.attrs["data-lat"] == "36.06"
    assert "https://example.gov.cn/signup" in html
    assert "/events/soon-roadshow.ics" in html and "/places/test-space/events.ics" in html
    assert ("China Standard Time" in html) if lang == "en" else ("北京时间" in html)


def test_series_without_dates_says_so(world):
    html = world.test_client().get("/events/yearly-week?lang=en").get_data(as_text=True)
    check_page(html)
    assert "Dates not yet announced" in html and "/events/yearly-week.ics" not in html
    assert world.test_client().get("/events/yearly-week.ics").status_code == 404


def test_unknown_event_is_404(world):
    assert world.test_client().get("/events/nope").status_code == 404


def test_map_page_loads_the_events_layer_and_geojson_has_this_month(world):
    client = world.test_client()
    html = client.get("/map?lang=en").get_data(as_text=True)
    assert "js/events-layer.js" in html and html.index("events-layer.js") < html.index("js/map.js")
    starts = dates.local(NOW + dt.timedelta(days=3))
    data = client.get(f"/api/v1/events.geojson?month={starts:%Y-%m}").get_json()
    ids = [f["properties"]["id"] for f in data["features"]]
    assert "soon-roadshow" in ids and "yearly-week" not in ids
    feature = data["features"][ids.index("soon-roadshow")]
    assert feature["geometry"]["coordinates"] == [103.84, 36.06]
    assert client.get("/api/v1/events.geojson?month=May").status_code == 400


def test_place_page_links_to_its_events_and_feed(world):
    html = world.test_client().get("/places/test-space?lang=en").get_data(as_text=True)
    assert "/places/test-space/events.ics" in html and "place=test-space" in html
    listed = world.test_client().get("/events?place=test-space&when=all&lang=en").get_data(as_text=True)
    assert "Chengguan roadshow" in listed and "Earlier salon" in listed and "Startup training" not in listed
