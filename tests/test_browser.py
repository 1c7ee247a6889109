"""A real browser (Debian's Chromium through Playwright): home → search → policy, in zh and en."""

from __future__ import annotations

import pytest

from tests.browsing import serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_url(content_app):
    with serving(content_app) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=False)  # the library works without JS
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    ("lang", "query", "search_label", "expected_h1"),
    [
        ("zh", "金城创客地图", "搜索", "城关区"),
        ("en", "Chengguan demonstration base work plan", "Search", "Chengguan"),
    ],
)
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


@pytest.fixture(scope="module")
def staff_live(tmp_path_factory):
    """A separate portal with CSRF on (as in production), content and two staff accounts."""
    from portal import db
    from portal.accounts.models import User
    from tests.conftest import make_app

    tmp = tmp_path_factory.mktemp("staff-browser")
    app = make_app(tmp, loaded=True, UPLOAD_DIR=tmp / "uploads", MAIL_OUTBOX=tmp / "outbox")
    with app.app_context():
        secrets = {
            role: db.session().query(User).filter_by(email=f"{role}@example.gov.cn").one().totp_secret
            for role in ("editor", "reviewer")
        }
    with serving(app) as url:
        yield url, secrets


def _sign_in(page, base, email, secret, step_offset=0):
    import time

    from portal.accounts import totp
    from tests.staffing import PASSWORD

    page.goto(f"{base}/login?lang=en")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(totp.code_at(secret, int(time.time() // 30) + step_offset))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")


def test_staff_journey_draft_review_publish_found_by_search(browser, staff_live):
    base, secrets = staff_live
    editor = browser.new_context().new_page()
    _sign_in(editor, base, "editor@example.gov.cn", secrets["editor"])
    editor.get_by_role("link", name="New policy").first.click()
    editor.get_by_label("Identifier").fill("browser-journey-policy")
    editor.get_by_label("Title", exact=True).fill("城关区青年创客场地补贴办法（浏览器测试）")
    editor.get_by_label("Level").select_option("district")
    editor.get_by_label("Region").select_option("gansu-lanzhou-chengguan")
    editor.get_by_label("Summary", exact=True).fill("青年创客入驻认定场地可申请场地补贴。")
    editor.get_by_label("Text (Markdown)").fill("## 第一条\n\n青年创客场地补贴。")
    editor.get_by_label("Where to apply (受理地址)").fill("城关区政务服务中心")
    editor.get_by_label("Source reference").fill("浏览器测试")
    editor.get_by_role("button", name="Save draft").click()
    editor.wait_for_url("**/staff/revisions/*")
    editor.get_by_role("button", name="Send for review").click()
    assert "In review" in editor.locator("table.facts").inner_text()

    reviewer = browser.new_context().new_page()
    _sign_in(reviewer, base, "reviewer@example.gov.cn", secrets["reviewer"])
    reviewer.get_by_role("link", name="城关区青年创客场地补贴办法（浏览器测试）").click()
    reviewer.get_by_role("button", name="Approve and publish").click()
    assert "Published" in reviewer.locator("table.facts").inner_text()

    public = browser.new_context(java_script_enabled=False).new_page()
    public.goto(f"{base}/search?q=青年创客场地补贴&lang=zh")
    public.locator("ol.results a", has_text="青年创客场地补贴办法").click()
    assert "青年创客场地补贴办法" in public.locator("h1").inner_text()


@pytest.fixture
def js_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_map_filters_and_opens_a_place(js_page, live_url, content_app):
    from sqlalchemy import func, select

    from portal import db
    from portal.places.models import Place

    with content_app.app_context():
        funds_on_map = db.session().scalar(
            select(func.count()).select_from(Place).where(Place.type == "fund", Place.lat.is_not(None))
        )
    page = js_page
    page.goto(f"{live_url}/map?lang=en")
    page.wait_for_selector("#map[data-loaded='1']")
    assert page.locator(".leaflet-marker-icon").count() > 0  # clusters or markers drawn
    assert int(page.locator("#map-status").get_attribute("data-count")) > funds_on_map
    # Filter by a facet link: the map reloads with the same filter as the list.
    page.locator(".facet a", has_text="Fund").first.click()
    page.wait_for_url("**type=fund*")
    page.wait_for_selector("#map[data-loaded='1']")
    assert int(page.locator("#map-status").get_attribute("data-count")) == funds_on_map
    # Hovering a list entry highlights it; clicking it opens its marker's popup on the map.
    item = page.locator("#place-list li").first
    item.hover()
    assert "highlight" in (item.get_attribute("class") or "")
    item.locator("p.meta").click()
    popup_link = page.locator(".leaflet-popup-content a")
    popup_link.wait_for()
    name = popup_link.inner_text()
    popup_link.click()
    page.wait_for_url("**/places/*")
    assert page.locator("h1").inner_text() == name


def test_wizard_without_javascript(page, live_url):
    """A graduate in Chengguan answers one question per page, changes an answer and sees results."""
    page.goto(f"{live_url}/eligibility?lang=en")
    page.get_by_role("link", name="Start now").click()
    page.get_by_label("An individual founder").check()
    page.get_by_role("button", name="Continue").click()
    # A wrong answer comes back with an error summary naming the question.
    page.get_by_role("button", name="Continue").click()
    assert page.locator("#error-summary").is_visible()
    page.get_by_label("Where is your business registered?").select_option("gansu-lanzhou-chengguan")
    page.get_by_role("button", name="Continue").click()
    for _step in range(25):  # answer what is asked: a graduate of 2026, "no" to yes/no questions
        if "/eligibility/results" in page.url:
            break
        heading = page.locator("h1").inner_text()
        if heading.startswith("Do you (or the company"):
            page.get_by_label("University or college graduate").check()
        elif heading.startswith("In which year"):
            page.get_by_label(heading).fill("2026")
        elif page.locator("#answer-none").count():  # another list of choices: "none of these"
            page.locator("label[for=answer-none]").click()
        elif page.locator("input[type=radio][value=no]").count():
            page.locator("label[for=answer-no]").click()
        elif page.locator("input[type=radio]").count():
            page.locator("input[type=radio]").last.check()
        else:
            page.locator("#answer-field").fill("0")
        page.get_by_role("button", name="Continue").click()
    assert "/eligibility/results" in page.url, page.url
    eligible = page.locator("#group-eligible")
    assert "You can probably get this" in eligible.inner_text()
    loan = page.locator("#benefit-national-guaranteed-startup-loan-individual")
    assert loan.count() == 1 and "Met:" in loan.inner_text()
    # Change the region: the Chengguan loan is no longer open, the national one still is.
    page.locator("dl.answers a", has_text="Change").nth(1).click()
    page.get_by_label("Where is your business registered?").select_option("cn")
    page.get_by_role("button", name="Continue").click()
    for _step in range(25):  # every later question keeps its earlier answer
        if "/eligibility/results" in page.url:
            break
        page.get_by_role("button", name="Continue").click()
    assert "/eligibility/results" in page.url, page.url
    ineligible = page.locator("section.result-group-ineligible")
    assert ineligible.locator("#benefit-chengguan-guaranteed-startup-loan").count() == 1
    # "Does a result look wrong?" is a page of its own: an empty message comes back named, then it is sent.
    results_url = page.url
    page.get_by_role("link", name="Tell the staff what looks wrong").click()
    assert "/eligibility/results/feedback?" in page.url and "region=cn" in page.url
    page.get_by_role("button", name="Send to staff").click()
    assert page.locator("#error-summary").is_visible()
    assert "What looks wrong?" in page.locator("#error-summary").inner_text()
    page.get_by_label("Which benefit?").select_option("national-guaranteed-startup-loan-individual")
    page.get_by_label("What looks wrong?").fill("I think this loan is also open to me.")
    page.get_by_role("button", name="Send to staff").click()
    assert page.url == results_url
    assert "Thank you" in page.locator(".flash-success").inner_text()
