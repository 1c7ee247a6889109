"""In Chromium: the "events this month" layer on the creator map and the small map of an event."""

from __future__ import annotations

import pytest

from portal import db
from portal.core.clock import utcnow
from portal.events import dates
from tests.browsing import serving
from tests.conftest import make_app
from tests.eventing import make_event, make_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_url(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("events-browser"))
    make_world(app)
    with app.app_context():
        session = db.session()
        first = dates.local(utcnow()).date().replace(day=1)
        start, end = dates.month_bounds(first)
        # Spans the whole current month in China, so it is "this month" whenever the test runs.
        make_event(
            session,
            "month-long-expo",
            title="本月成果展",
            title_en="This month's expo",
            kind="expo",
            starts_at=start,
            ends_at=end - dates.dt.timedelta(minutes=1),
            region_id="gansu-lanzhou",
            lat=36.06,
            lon=103.84,
        )
        session.commit()
    with serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_events_layer_draws_this_months_events_and_can_be_switched_off(page, live_url):
    page.goto(f"{live_url}/map?lang=en")
    page.wait_for_selector("path.event-marker", state="attached", timeout=10_000)
    page.locator("path.event-marker").last.wait_for(state="visible", timeout=10_000)
    assert page.locator("path.event-marker").count() >= 1
    assert "events this month on the map" in page.locator("#events-layer-status").inner_text()
    toggle = page.get_by_label("Events this month")
    toggle.uncheck()
    assert page.locator("path.event-marker").count() == 0


def test_event_page_small_map_shows_a_marker(page, live_url):
    page.goto(f"{live_url}/events/month-long-expo?lang=en")
    page.wait_for_selector("#place-map .leaflet-marker-icon", timeout=10_000)
    assert page.locator("h1").inner_text() == "This month's expo"
