"""API v1: shapes as PRODUCT.md specifies, and clear 4xx errors for bad input."""

from __future__ import annotations

import pytest


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_reports_a_missing_index(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "search_index" in response.get_json()["problems"]


def test_search_shape(client):
    body = client.get("/api/v1/search", query_string={"q": "众创空间"}).get_json()
    assert set(body) >= {"query", "total", "page", "per_page", "results", "facets"}
    assert body["query"] == "众创空间"
    assert body["total"] >= 3
    first = body["results"][0]
    assert set(first) >= {"id", "type", "title", "url", "snippet"}
    assert first["type"] in {"policy", "benefit", "makerspace", "incubator", "park", "platform"}
    assert first["url"].startswith("http")
    assert "<" not in first["snippet"]
    assert set(body["facets"]) >= {"type", "region"}
    assert sum(body["facets"]["type"].values()) == body["total"]
    assert body["facets"]["type"]["policy"] >= 3 and body["facets"]["type"]["makerspace"] >= 3


def test_search_type_filter_limits_results(client):
    body = client.get("/api/v1/search", query_string={"q": "众创空间", "type": "policy"}).get_json()
    assert {r["type"] for r in body["results"]} == {"policy"}
    assert all("/policies/" in r["url"] for r in body["results"])


def test_json_is_utf8_not_escaped(client):
    raw = client.get("/api/v1/search", query_string={"q": "众创空间"}).get_data(as_text=True)
    assert "众创空间" in raw


def test_policies_list_and_filters(client):
    body = client.get("/api/v1/policies", query_string={"level": "national", "per_page": 100}).get_json()
    assert body["total"] >= 5
    assert all(p["level"] == "national" for p in body["results"])
    assert set(body["results"][0]) >= {"id", "title", "level", "region", "status", "url"}


def test_policy_detail_shape(client):
    body = client.get("/api/v1/policies/chengguan-base-work-plan").get_json()
    expected = {
        "id",
        "title",
        "title_en",
        "doc_number",
        "issuer",
        "level",
        "region",
        "issued_on",
        "effective_from",
        "effective_to",
        "status",
        "categories",
        "url",
        "guide",
    }
    assert expected <= set(body)
    assert body["issued_on"] == "2017-08-31"
    assert body["guide"]["address"]


def test_regions_shape(client):
    results = client.get("/api/v1/regions").get_json()["results"]
    by_id = {r["id"]: r for r in results}
    assert by_id["gansu-lanzhou-chengguan"]["parent_id"] == "gansu-lanzhou"
    assert by_id["cn"]["parent_id"] is None
    assert set(results[0]) >= {"id", "name", "name_en", "level", "parent_id"}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/search?page=abc", "page"),
        ("/api/v1/search?page=0", "page"),
        ("/api/v1/search?per_page=100000", "per_page"),
        ("/api/v1/search?per_page=0", "per_page"),
        ("/api/v1/search?type=spaceship", "type"),
        ("/api/v1/search?region=atlantis", "region"),
        ("/api/v1/policies?level=galactic", "level"),
        ("/api/v1/policies?status=maybe", "status"),
        ("/api/v1/policies?category=nothing", "category"),
        ("/api/v1/search?q=%FF%FE", "q"),
        ("/api/v1/search?q=" + "创" * 10_000, "q"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(client, url, field):
    response = client.get(url)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["field"] == field
    assert error["message"]
    assert error["code"]


@pytest.mark.parametrize("q", ['AND OR "( *:*', "title:*", "((((", "\\", "NOT", "*", "~2^3"])
def test_query_syntax_is_just_text(client, q):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    assert isinstance(response.get_json()["total"], int)


def test_unknown_policy_is_a_json_404(client):
    response = client.get("/api/v1/policies/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_unknown_api_path_is_json(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert "error" in response.get_json()
