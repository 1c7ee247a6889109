"""Directory, place pages, GeoJSON and the places API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal import db
from portal.places.models import Place
from portal.places.services import distance_km
from tests.pages import check_page


def test_directory_lists_every_place_with_facets(client, content_app):
    with content_app.app_context():
        total = db.session().scalar(select(func.count()).select_from(Place))
    body = client.get("/api/v1/places", query_string={"per_page": 100}).get_json()
    assert body["total"] == total >= 300
    assert sum(body["facets"]["type"].values()) == total
    first = body["results"][0]
    assert set(first) >= {"id", "type", "name", "name_en", "region", "address", "lat", "lon", "level", "url"}


def test_type_and_region_filters(client):
    body = client.get(
        "/api/v1/places", query_string={"type": "makerspace", "region": "beijing-haidian", "per_page": 100}
    ).get_json()
    assert body["total"] >= 5
    assert {r["type"] for r in body["results"]} == {"makerspace"}
    assert {r["region"] for r in body["results"]} <= {"beijing-haidian"}


def test_facet_counts_match_filtered_totals(client):
    facets = client.get("/api/v1/places").get_json()["facets"]
    for place_type, count in facets["type"].items():
        body = client.get("/api/v1/places", query_string={"type": place_type}).get_json()
        assert body["total"] == count, place_type


def test_sort_by_distance_from_typed_coordinates(client):
    body = client.get(
        "/api/v1/places", query_string={"near": "22.54,113.93", "sort": "distance", "per_page": 30}
    ).get_json()
    distances = [r["distance_km"] for r in body["results"] if r["distance_km"] is not None]
    assert distances == sorted(distances)
    assert body["results"][0]["region"].startswith("guangdong")
    assert distances[0] < 20


def test_sort_by_distance_from_a_region_name(client):
    body = client.get("/api/v1/places", query_string={"near": "兰州 城关区", "sort": "distance"}).get_json()
    assert body["results"][0]["region"].startswith("gansu")


def test_places_without_coordinates_stay_in_the_list_marked(client, content_app):
    with content_app.app_context():
        hidden = db.session().scalar(select(Place).where(Place.lat.is_(None)))
    assert hidden is not None
    body = client.get("/api/v1/places", query_string={"q": hidden.name, "per_page": 50}).get_json()
    assert hidden.id in [r["id"] for r in body["results"]]
    page = client.get(f"/places/{hidden.id}?lang=en").get_data(as_text=True)
    assert "Not on the map" in page
    geo = client.get("/api/v1/places.geojson").get_json()
    assert hidden.id not in {f["properties"]["id"] for f in geo["features"]}


def test_geojson_shape_and_bbox(client):
    body = client.get("/api/v1/places.geojson", query_string={"bbox": "113.8,22.4,114.1,22.7"})
    assert body.status_code == 200
    assert body.mimetype == "application/geo+json"
    data = body.get_json()
    assert data["type"] == "FeatureCollection"
    assert data["features"]
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 113.8 <= lon <= 114.1 and 22.4 <= lat <= 22.7
        assert {"id", "type", "name", "url", "geo_precision"} <= set(feature["properties"])


def test_geojson_filters_by_type(client):
    data = client.get("/api/v1/places.geojson", query_string={"type": "fund"}).get_json()
    assert data["features"]
    assert {f["properties"]["type"] for f in data["features"]} == {"fund"}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/places.geojson?bbox=1,2,3", "bbox"),
        ("/api/v1/places.geojson?bbox=a,b,c,d", "bbox"),
        ("/api/v1/places.geojson?bbox=0,95,10,96", "bbox"),
        ("/api/v1/places.geojson?bbox=200,0,210,10", "bbox"),
        ("/api/v1/places.geojson?bbox=0,50,10,40", "bbox"),
        ("/api/v1/places.geojson?bbox=nan,0,1,1", "bbox"),
        ("/api/v1/places?type=spaceship", "type"),
        ("/api/v1/places?region=atlantis", "region"),
        ("/api/v1/places?per_page=5000", "per_page"),
        ("/api/v1/places?near=91,10", "near"),
        ("/api/v1/places?industry=alchemy", "industry"),
    ],
)
def test_bad_place_parameters_are_400s(client, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_pinyin_search_in_the_directory(client):
    body = client.get("/api/v1/places", query_string={"q": "chaihuo"}).get_json()
    assert body["results"][0]["id"] == "nanshan-chaihuo-makerspace"


def test_site_search_includes_places(client):
    body = client.get("/api/v1/search", query_string={"q": "柴火空间"}).get_json()
    assert body["results"][0]["id"] == "nanshan-chaihuo-makerspace"
    assert "/places/" in body["results"][0]["url"]


@pytest.mark.parametrize("lang,html_lang", [("zh", "zh-Hans"), ("en", "en")])
@pytest.mark.parametrize(
    "url",
    [
        "/places",
        "/places?q=孵化器&type=incubator",
        "/map",
        "/places?near=海淀区&sort=distance",
        "/places/nanshan-chaihuo-makerspace",
        "/map?type=fund",
        "/places?near=nowhere-at-all",
    ],
)
def test_place_pages_are_well_formed(client, url, lang, html_lang):
    sep = "&" if "?" in url else "?"
    response = client.get(f"{url}{sep}lang={lang}")
    assert response.status_code == 200
    check_page(response.get_data(as_text=True), lang=html_lang)


def test_every_place_page_renders(client, content_app):
    with content_app.app_context():
        ids = list(db.session().scalars(select(Place.id)))
    for pid in ids:
        response = client.get(f"/places/{pid}")
        assert response.status_code == 200, pid


def test_approximate_locations_say_so(client, content_app):
    with content_app.app_context():
        place = db.session().scalar(select(Place).where(Place.geo_precision == "district"))
    page = client.get(f"/places/{place.id}?lang=en").get_data(as_text=True)
    assert "approximate: centre of the district" in page


def test_fund_page_shows_fund_facts_and_the_plan_naming_it(client, content_app):
    with content_app.app_context():
        fund = db.session().scalar(select(Place).where(Place.type == "fund", Place.source_ref.like("S4%")))
    doc = check_page(client.get(f"/places/{fund.id}?lang=en").get_data(as_text=True))
    assert "Fund" in doc.find("table", class_="facts").text
    links = [a.attrs.get("href") for a in doc.find_all("a")]
    assert "/policies/chengguan-base-work-plan" in links


def test_plan_page_lists_the_places_it_names(client):
    doc = check_page(client.get("/policies/nanshan-base-work-plan").get_data(as_text=True))
    links = [a.attrs.get("href") for a in doc.find_all("a")]
    assert "/places/nanshan-chaihuo-makerspace" in links


def test_leaflet_is_served_by_the_portal(client):
    response = client.get("/vendor/leaflet/leaflet.js")
    assert response.status_code == 200 and b"Leaflet" in response.data[:2000]
    assert client.get("/vendor/markercluster/leaflet.markercluster.js").status_code == 200
    assert client.get("/vendor/nothing/x.js").status_code == 404


def test_haversine():
    assert distance_km(39.9042, 116.4074, 31.2304, 121.4737) == pytest.approx(1067, rel=0.01)


def test_geojson_follows_changes_to_a_place(tmp_path):
    from tests.conftest import make_app

    app = make_app(tmp_path, loaded=True)
    client = app.test_client()
    before = client.get("/api/v1/places.geojson").get_json()
    names = {f["properties"]["id"]: f["properties"]["name"] for f in before["features"]}
    assert names["nanshan-chaihuo-makerspace"] == "柴火空间"
    with app.app_context():
        session = db.session()
        from portal.places.services import apply_place_data

        apply_place_data(session, {"id": "nanshan-chaihuo-makerspace", "name": "柴火创客空间"})
        session.get(Place, "haidian-garage-cafe").publication_state = "withdrawn"
        session.get(Place, "haidian-garage-cafe").updated_at = session.get(
            Place, "nanshan-chaihuo-makerspace"
        ).updated_at
        session.commit()
    after = client.get("/api/v1/places.geojson").get_json()
    names = {f["properties"]["id"]: f["properties"]["name"] for f in after["features"]}
    assert names["nanshan-chaihuo-makerspace"] == "柴火创客空间"
    assert "haidian-garage-cafe" not in names


def test_kinds_of_place_have_one_list_with_labels_in_both_languages(content_app):
    """The code list is the one source: every stored place has a kind from it, labelled in zh and
    en, and a place's search words carry both labels (and the pinyin)."""
    from portal.core.labels import PLACE_TYPES
    from portal.places.indexing import type_words
    from portal.places.models import TYPES

    assert tuple(PLACE_TYPES) == TYPES
    with content_app.app_context():
        stored = set(db.session().scalars(select(Place.type).distinct()))
        assert stored and stored <= set(TYPES)
        words = type_words("makerspace")
    assert "众创空间" in words and "Maker space" in words and "zhongchuangkongjian" in words
    client = content_app.test_client()
    assert "众创空间" in client.get("/places?type=makerspace").get_data(as_text=True)
    assert "Maker space" in client.get("/places?type=makerspace&lang=en").get_data(as_text=True)
