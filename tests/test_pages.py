"""Every public page passes the structure checks, in Chinese and in English."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import db
from portal.policies.models import Policy
from tests.pages import check_page

PAGES = [
    "/",
    "/policies",
    "/policies?q=众创空间",
    "/policies?level=district&category=space_carrier",
    "/policies?sort=newest&page=2&per_page=10",
    "/policies?q=zzzzqqqq",
    "/search",
    "/search?q=孵化器",
    "/search?q=innovation",
    "/search?q=创业担保贷款",
    "/eligibility",
    "/benefits",
    "/policies/chengguan-base-work-plan",
    "/policies/guobanfa-2016-35",
]


@pytest.mark.parametrize("lang,html_lang", [("zh", "zh-Hans"), ("en", "en")])
@pytest.mark.parametrize("url", PAGES)
def test_page_structure(client, url, lang, html_lang):
    sep = "&" if "?" in url else "?"
    response = client.get(f"{url}{sep}lang={lang}")
    assert response.status_code == 200
    check_page(response.get_data(as_text=True), lang=html_lang)


def test_every_policy_page_is_well_formed(client, content_app):
    with content_app.app_context():
        ids = list(db.session().scalars(select(Policy.id)))
    for pid in ids:
        response = client.get(f"/policies/{pid}")
        assert response.status_code == 200, pid
        check_page(response.get_data(as_text=True))


def test_chinese_is_the_default_and_english_is_remembered(content_app):
    client = content_app.test_client()
    assert 'lang="zh-Hans"' in client.get("/").get_data(as_text=True)
    assert "政策库" in client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en")
    assert "lang=en" in english.headers["Set-Cookie"]
    page = client.get("/policies").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Policy library" in page


def test_english_page_shows_english_content_fields(client):
    page = client.get("/policies/chengguan-base-work-plan?lang=en").get_data(as_text=True)
    doc = check_page(page, lang="en")
    assert "Chengguan" in doc.find("h1").text


def test_facets_are_links_with_counts(client):
    doc = check_page(client.get("/policies").get_data(as_text=True))
    facet_links = [a for a in doc.find_all("a") if "level=" in a.attrs.get("href", "")]
    assert facet_links, "no level facet links"
    assert any("(" in a.text and ")" in a.text for a in facet_links)


def test_chosen_facet_is_marked_without_colour(client):
    doc = check_page(client.get("/policies?level=national").get_data(as_text=True))
    chosen = [a for a in doc.find_all("a") if a.attrs.get("aria-current") == "true"]
    assert chosen and "✓" in chosen[0].text


def test_policy_page_shows_guide_and_metadata(client):
    doc = check_page(client.get("/policies/chengguan-base-work-plan").get_data(as_text=True))
    assert doc.find("section", class_="guide") is not None
    assert "双创服务台" in doc.find("section", class_="guide").text
    assert doc.find("table", class_="facts") is not None
    assert doc.find("link", rel="canonical") is not None


def test_list_advertises_the_feed(client):
    doc = check_page(client.get("/policies").get_data(as_text=True))
    assert doc.find("link", rel="alternate", type="application/atom+xml") is not None


@pytest.mark.parametrize("url", ["/policies?page=abc", "/policies?level=galactic", "/search?q=%FF"])
def test_bad_parameters_show_a_400_page_naming_the_field(client, url):
    response = client.get(url)
    assert response.status_code == 400
    doc = check_page(response.get_data(as_text=True))
    summary = doc.find("div", class_="error-summary")
    assert summary is not None
    field = url.split("?")[1].split("=")[0]
    assert field in summary.text


def test_unknown_pages_are_friendly_404s(client):
    response = client.get("/policies/no-such-policy")
    assert response.status_code == 404
    check_page(response.get_data(as_text=True))


def test_security_headers(client):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_no_asset_comes_from_another_host(client):
    doc = check_page(client.get("/").get_data(as_text=True))
    for el in doc.iter():
        for attr in ("src", "href"):
            value = el.attrs.get(attr, "")
            if el.tag in {"script", "link", "img"}:
                assert not value.startswith(("http://", "https://", "//")) or el.attrs.get("rel") in (
                    "canonical",
                    "alternate",
                ), value
