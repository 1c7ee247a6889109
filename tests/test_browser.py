"""A real browser (Debian's Chromium through Playwright): home → search → policy, in zh and en."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's hosts at start, which this network refuses.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def live_url(content_app):
    server = make_server("127.0.0.1", 0, content_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=False)  # the library works without JS
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("lang", "query", "search_label", "expected_h1"), [
    ("zh", "金城创客地图", "搜索", "城关区"),
    ("en", "Chengguan demonstration base work plan", "Search", "Chengguan"),
])
def test_home_search_policy(page, live_url, lang, query, search_label, expected_h1):
    page.goto(f"{live_url}/?lang={lang}")
    assert page.locator("html").get_attribute("lang").startswith(lang)
    page.get_by_role("searchbox").fill(query)
    page.get_by_role("button", name=search_label, exact=True).click()
    page.wait_for_url("**/search?q=*")
    results = page.locator("ol.results > li h3 a")
    assert results.count() >= 1
    target = page.locator("ol.results > li h3 a", has_text=expected_h1).first
    target.click()
    page.wait_for_url("**/policies/*")
    assert expected_h1 in page.locator("h1").inner_text()
    assert page.locator("section.guide").is_visible()


def test_facet_filter_in_the_browser(page, live_url):
    page.goto(f"{live_url}/policies?lang=en")
    page.locator(".facet a", has_text="National").first.click()
    page.wait_for_url("**level=national*")
    heading = page.locator("#results-heading").inner_text()
    assert "polic" in heading
    chosen = page.locator(".facet a[aria-current='true']")
    assert chosen.count() == 1
