"""A real browser: an operator signs up, claims a listing and changes its free desks; staff approve."""

from __future__ import annotations

import pytest

from tests.browsing import serving
from tests.test_browser import _sign_in

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def live(tmp_path_factory, browser):
    """A portal with CSRF on (as in production), a small directory and a reviewer."""
    from portal import db
    from portal.accounts.models import User
    from tests.operating import operator_app

    app = operator_app(tmp_path_factory.mktemp("operators-browser"), WTF_CSRF_ENABLED=True)
    with app.app_context():
        secret = db.session().query(User).filter_by(email="reviewer@example.gov.cn").one().totp_secret
    with serving(app) as url:
        yield app, url, secret, browser


def test_operator_claims_and_updates_free_desks_staff_approve_map_shows_it(live):
    from tests.operating import links_in, mails
    from tests.staffing import PASSWORD

    app, base, secret, browser = live
    operator = browser.new_context().new_page()
    operator.goto(f"{base}/operator/signup?lang=en")
    operator.get_by_label("Organisation").fill("兰州城关创客科技有限公司")
    operator.get_by_label("Contact person").fill("李四")
    operator.get_by_label("Phone").fill("0931-7654321")
    operator.get_by_label("Email address").fill("li@maker.example.cn")
    operator.get_by_label("Password", exact=True).fill(PASSWORD)
    operator.get_by_label("Repeat the password").fill(PASSWORD)
    operator.get_by_role("button", name="Create the account").click()
    operator.wait_for_url("**/operator/signup/sent")
    link = [u for m in mails(app) for u in links_in(m) if "/operator/verify/" in u][0]
    operator.goto(link)
    operator.wait_for_url("**/login")
    operator.get_by_label("Email address").fill("li@maker.example.cn")
    operator.get_by_label("Password").fill(PASSWORD)
    operator.get_by_role("button", name="Continue").click()
    operator.wait_for_url("**/operator/")

    operator.get_by_role("link", name="Claim a listing").first.click()
    operator.get_by_label("Name of your space").fill("城关创客")
    operator.get_by_role("button", name="Find").click()
    operator.get_by_role("link", name="Claim 城关创客空间").click()
    operator.get_by_label("Evidence").set_input_files(
        files=[{"name": "备案证明.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    operator.get_by_role("button", name="Send the claim").click()
    assert "Waiting for staff" in operator.locator("table.facts").inner_text()

    reviewer = browser.new_context().new_page()
    _sign_in(reviewer, base, "reviewer@example.gov.cn", secret)
    reviewer.get_by_role("link", name="Listings to moderate").click()
    reviewer.get_by_role("link", name="城关创客空间").click()
    reviewer.get_by_role("button", name="Approve").click()
    assert "Approved" in reviewer.locator("table.facts").inner_text()

    operator.goto(f"{base}/operator/?lang=en")
    operator.get_by_role("link", name="Edit 城关创客空间").click()
    operator.locator("#pin-map.leaflet-container .leaflet-marker-draggable").wait_for()  # the pin is drawn
    operator.get_by_label("Desks free now").fill("15")
    operator.get_by_role("button", name="Send to the staff").click()
    operator.wait_for_url("**/operator/revisions/*")
    public = browser.new_context(java_script_enabled=False).new_page()
    before = public.request.get(f"{base}/api/v1/places.geojson").json()
    desks = {f["properties"]["id"]: f["properties"]["desks_free"] for f in before["features"]}
    assert desks["chengguan-maker"] == 3

    reviewer.goto(f"{base}/staff/moderation/?lang=en")
    reviewer.get_by_role("link", name="城关创客空间").click()
    assert "Desks free now" in reviewer.locator("table.diff-table").inner_text()
    reviewer.get_by_role("button", name="Approve").click()
    assert "Approved" in reviewer.locator("table.facts").inner_text()

    after = public.request.get(f"{base}/api/v1/places.geojson").json()
    props = {f["properties"]["id"]: f["properties"] for f in after["features"]}["chengguan-maker"]
    assert props["desks_free"] == 15 and props["confirmed"] is True
    api = public.request.get(f"{base}/api/v1/places?q=城关创客空间").json()
    assert [r["desks_free"] for r in api["results"] if r["id"] == "chengguan-maker"] == [15]
    public.goto(f"{base}/places/chengguan-maker?lang=en")
    assert "15" in public.locator("table.facts").inner_text()
