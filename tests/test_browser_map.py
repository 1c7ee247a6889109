"""The creator map in a real browser: the portal's own base map, keyboard use and axe on the place map."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import db
from portal.places.models import Place
from tests.mapdata import ensure_built
from tests.test_browser import live_url  # noqa: F401 - shared fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def built(content_app):
    return ensure_built(content_app.config["MAP_DATA_DIR"])


@pytest.fixture
def js_page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.abort() if not route.request.url.startswith("http://127.0.0.1") else route.continue_()
        ),
    )  # nothing from outside: the map must not need it
    yield page
    context.close()


def _visible_label_boxes(page):
    return page.evaluate("""() => Array.from(document.querySelectorAll('.base-label'))
        .filter(e => getComputedStyle(e).visibility !== 'hidden' && e.textContent.trim())
        .map(e => { const r = e.getBoundingClientRect();
                    return {t: e.textContent, l: r.left, r: r.right, top: r.top, b: r.bottom}; })""")


def _overlaps(boxes):
    clashes = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["l"] < b["r"] and a["r"] > b["l"] and a["top"] < b["b"] and a["b"] > b["top"]:
                clashes.append((a["t"], b["t"]))
    return clashes


def test_base_map_draws_boundaries_and_names_without_overlap(js_page, live_url):  # noqa: F811
    page = js_page
    page.goto(f"{live_url}/map")
    page.wait_for_selector("#map[data-loaded='1']")
    page.wait_for_selector("#map[data-base-loaded]:not([data-base-loaded='0'])")
    page.wait_for_timeout(400)
    assert page.locator(".leaflet-boundaries-pane path").count() >= 30  # provinces and the sea line
    boxes = _visible_label_boxes(page)
    assert len(boxes) >= 8  # province names at the default view
    assert _overlaps(boxes) == []
    assert "No background map" not in page.content()


def test_district_names_near_lanzhou(js_page, live_url):  # noqa: F811
    page = js_page
    page.goto(f"{live_url}/map?near=兰州市城关区")
    page.wait_for_selector("#map[data-loaded='1']")
    page.wait_for_selector("#map[data-base-loaded='3']")
    page.wait_for_timeout(400)
    boxes = _visible_label_boxes(page)
    assert "城关区" in {b["t"] for b in boxes}
    assert _overlaps(boxes) == []


def test_focusing_a_list_entry_highlights_its_marker(js_page, live_url):  # noqa: F811
    page = js_page
    page.goto(f"{live_url}/map?type=fund&lang=en")
    page.wait_for_selector("#map[data-loaded='1']")
    page.wait_for_timeout(300)
    link = page.locator("#place-list li h3 a").first
    link.focus()
    assert "highlight" in (page.locator("#place-list li").first.get_attribute("class") or "")
    assert page.locator(".leaflet-marker-pane .marker-highlight").count() == 1
    page.keyboard.press("Tab")
    page.wait_for_timeout(50)
    assert page.locator(".leaflet-marker-pane .marker-highlight").count() == 1  # the next one only


def test_clusters_in_reading_order_and_enter_zooms_in(js_page, live_url):  # noqa: F811
    page = js_page
    page.goto(f"{live_url}/map?lang=en")
    page.wait_for_selector("#map[data-loaded='1']")
    page.wait_for_timeout(500)
    clusters = page.locator(".leaflet-marker-pane .marker-cluster")
    assert clusters.count() >= 3
    script = """() => Array.from(
        document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon')).map(e => {
             const r = e.getBoundingClientRect(); return [r.top, r.left]; })"""
    for _ in range(20):  # reordered once the cluster animation has ended
        tops = page.evaluate(script)
        if tops == sorted(tops):
            break
        page.wait_for_timeout(100)
    assert len(tops) >= 3 and tops == sorted(tops)
    first = clusters.first
    assert first.get_attribute("role") == "button" and first.get_attribute("tabindex") == "0"
    assert "press Enter to zoom in" in first.get_attribute("aria-label")
    zoom = page.evaluate("window.portalMap.maps[0].map.getZoom()")
    first.focus()
    page.keyboard.press("Enter")
    # Polled from here: wait_for_function evaluates a string, which the portal's CSP forbids.
    for _ in range(50):
        if page.evaluate("window.portalMap.maps[0].map.getZoom()") > zoom:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.portalMap.maps[0].map.getZoom()") > zoom
    focused = False
    for _ in range(30):  # the clusters are redrawn while the zoom settles
        page.wait_for_timeout(100)
        focused = page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')")
        if focused:
            break
    assert focused


def test_refused_location_says_so(browser, live_url):  # noqa: F811
    context = browser.new_context(permissions=[])
    page = context.new_page()
    page.goto(f"{live_url}/places?lang=en")
    page.locator("#locate").click()
    status = page.locator("#locate-status")
    status.wait_for(state="visible")
    assert "did not share your location" in status.inner_text()
    context.close()


def test_place_map_passes_axe(js_page, live_url, content_app):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    with content_app.app_context():
        place = db.session().scalar(select(Place).where(Place.lat.is_not(None)).order_by(Place.id))
    page = js_page
    page.goto(f"{live_url}/places/{place.id}")
    page.wait_for_selector("#place-map .leaflet-marker-icon")
    rules = ["nested-interactive", "aria-allowed-role", "aria-required-children"]
    results = Axe().run(page, context="#place-map", options={"runOnly": rules})
    assert results.violations_count == 0, results.generate_report()
    full = Axe().run(page, options={"runOnly": ["nested-interactive"]})
    assert full.violations_count == 0, full.generate_report()


def test_map_still_draws_when_near_asks_which_district(js_page, live_url):  # noqa: F811
    page = js_page
    page.goto(f"{live_url}/map?near=城关区&lang=en")
    page.wait_for_selector("#map[data-loaded='1']")
    assert "Several districts are called" in page.locator("#near-error").inner_text()
    assert int(page.locator("#map-status").get_attribute("data-count")) > 100
