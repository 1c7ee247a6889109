"""Atom feeds of new policies, overall and per category."""

from __future__ import annotations

from xml.etree import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.get_data())
    assert feed.find(f"{ATOM}id").text.startswith("http")
    return feed.findall(f"{ATOM}entry")


def test_feed_lists_policies_with_links(client):
    entries = _entries(client, "/feeds/policies.atom")
    assert len(entries) >= 10
    for entry in entries:
        assert entry.find(f"{ATOM}title").text
        assert "/policies/" in entry.find(f"{ATOM}link").get("href")
        assert entry.find(f"{ATOM}updated").text.endswith("Z")


def test_category_feed_only_has_that_category(client):
    entries = _entries(client, "/feeds/categories/space_carrier.atom")
    assert entries
    for entry in entries:
        terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
        assert "space_carrier" in terms


def test_unknown_category_feed_is_404(client):
    assert client.get("/feeds/categories/nothing.atom").status_code == 404
