"""Policy pages say when a plan's period has ended and link the document that replaced it."""

from __future__ import annotations

from tests.pages import check_page


def test_a_partly_superseded_document_links_its_successor(client):
    html = client.get("/policies/caijin-2020-21").get_data(as_text=True)
    doc = check_page(html, "zh-Hans")
    notice = doc.find("p", id="superseded-notice")
    assert notice is not None and "部分" in notice.text
    assert notice.find("a", href="/policies/caijin-2023-75") is not None
    body = client.get("/api/v1/policies/caijin-2020-21").get_json()
    assert body["superseded_by"] == {"id": "caijin-2023-75", "scope": "partly"}
    assert client.get("/api/v1/policies/caijin-2023-75").get_json()["superseded_by"] is None


def test_an_ended_plan_says_it_is_historical_with_its_period(client):
    html = client.get("/policies/chengguan-base-work-plan?lang=en").get_data(as_text=True)
    doc = check_page(html, "en")
    notice = doc.find("p", id="historical-notice")
    assert notice is not None and "2019" in notice.text and "not current" in notice.text
    current = check_page(client.get("/policies/czb-swzj-2023-12?lang=zh").get_data(as_text=True), "zh-Hans")
    assert current.find("p", id="historical-notice") is None
    assert current.find("p", id="superseded-notice") is None


def test_the_library_does_not_list_ended_plans_as_in_force(client):
    body = client.get("/api/v1/policies/shanxi-provincial-base-opinions").get_json()
    assert body["status"] == "expired" and body["effective_to"] == "2019-12-31"
    for pid in ("nanshan-base-work-plan", "liangjiang-base-work-plan", "haidian-base-work-plan"):
        assert client.get(f"/api/v1/policies/{pid}").get_json()["status"] != "in_force"  # years masked
