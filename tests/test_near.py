""" "Near" as people type places, and open places before planned ones."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import db
from portal.places import gazetteer, near
from portal.places.models import Place
from portal.regions.models import Region
from tests.mapdata import ensure_built


@pytest.fixture(scope="module", autouse=True)
def built(content_app):
    return ensure_built(content_app.config["MAP_DATA_DIR"])


def resolve(app, text):
    with app.app_context():
        return near.resolve(db.session(), text, app.config["MAP_DATA_DIR"])


@pytest.mark.parametrize("text", ["兰州市城关区", "兰州 城关区", "甘肃兰州城关区", "lanzhou chengguan"])
def test_lanzhou_chengguan_typed_many_ways(content_app, text):
    point = resolve(content_app, text)
    assert isinstance(point, near.Point), text
    assert point.code == "620102"
    # The region's own centre (content/regions) is used for a covered division.
    assert (point.lat, point.lon) == (36.057, 103.826)


@pytest.mark.parametrize("text", ["城关区", "城关", "Chengguan", "chengguanqu", "Chengguan District"])
def test_a_name_several_districts_share_asks_which(content_app, text):
    found = resolve(content_app, text)
    assert isinstance(found, near.Ambiguous), text
    labels = [label for label, _q in found.choices]
    assert "甘肃省兰州市城关区" in labels and "西藏自治区拉萨市城关区" in labels
    # Each choice, typed back, resolves to exactly that district.
    codes = {resolve(content_app, q).code for _l, q in found.choices}
    assert codes == {"620102", "540102"}


def test_shenzhen_nanshan_short_and_with_an_area(content_app):
    assert resolve(content_app, "深圳南山").code == "440305"
    point = resolve(content_app, "南山区科技园")
    assert point.code == "440305" and point.unlocated == "科技园"
    assert [label for label, _q in point.others] == ["黑龙江省鹤岗市南山区"]


def test_a_street_address_is_measured_from_its_district(content_app):
    point = resolve(content_app, "甘肃省兰州市城关区张苏滩593号")
    assert point.kind == "address" and point.code == "620102" and point.unlocated == "张苏滩593号"


def test_an_address_a_listed_place_has_is_measured_from_that_place(content_app):
    with content_app.app_context():
        place = db.session().scalar(
            select(Place).where(Place.address.like("%南山区%"), Place.lat.is_not(None)).order_by(Place.id)
        )
        assert place is not None
        street = place.address.split("南山区", 1)[1]
    point = resolve(content_app, "深圳市南山区" + street)
    assert point.kind == "place" and (point.lat, point.lon) == (place.lat, place.lon)


def test_coordinates_and_their_range(content_app):
    point = resolve(content_app, "36.06, 103.83")
    assert (point.lat, point.lon, point.kind) == (36.06, 103.83, "coordinates")
    with content_app.test_request_context(), pytest.raises(near.BadParameter):
        near.resolve(db.session(), "95,200", content_app.config["MAP_DATA_DIR"])


def test_every_region_with_a_code_is_that_division(content_app, built):
    gaz = gazetteer.load(built)
    with content_app.app_context():
        regions = list(db.session().scalars(select(Region).where(Region.code.is_not(None))))
    assert len(regions) >= 25
    for region in regions:
        if region.code == "100000":
            continue
        division = gaz.by_code[region.code]
        # The region's centre lies inside the division's box.
        min_lon, min_lat, max_lon, max_lat = division.bbox
        assert min_lat <= region.lat <= max_lat and min_lon <= region.lon <= max_lon, region.id


def _results(html):
    return re.findall(r'<li[^>]*>\s*<h3><a href="/places/([^"?]+)', html)


def test_unknown_place_says_so_and_claims_no_distance_order(client):
    html = client.get("/places?near=火星基地&sort=distance&lang=en").get_data(as_text=True)
    assert "“火星基地” was not found" in html
    assert 'aria-invalid="true"' in html
    assert "nearest to" not in html
    assert "Not sorted by distance" in html
    # The visitor's choice stays chosen in the form.
    assert re.search(r'<option value="distance"\s+selected', html)


def test_a_nul_character_names_no_place(client):
    assert client.get("/places", query_string={"near": "\x00"}).status_code == 200
    assert client.get("/places", query_string={"near": "兰州\x00"}).status_code == 200
    assert client.get("/api/v1/places", query_string={"near": "\x00"}).status_code == 200


def test_ambiguous_page_lists_the_choices_as_links(client):
    html = client.get("/places?near=城关区&lang=en").get_data(as_text=True)
    assert "Several districts are called “城关区”" in html
    assert "near=%E5%85%B0%E5%B7%9E%E5%B8%82%E5%9F%8E%E5%85%B3%E5%8C%BA" in html  # 兰州市城关区
    assert "nearest to" not in html


def test_api_refuses_an_ambiguous_name_naming_the_field(client):
    response = client.get("/api/v1/places", query_string={"near": "城关区"})
    assert response.status_code == 400
    body = response.get_json()
    assert "near" in str(body) and "拉萨市" in str(body)


def _statuses(content_app, ids):
    with content_app.app_context():
        return [db.session().get(Place, i).status for i in ids]


def test_open_places_come_before_planned_ones_near_lanzhou(client, content_app):
    html = client.get("/places?near=兰州市城关区&open=0&type=makerspace&per_page=100").get_data(as_text=True)
    statuses = _statuses(content_app, _results(html))
    assert "planned" in statuses and "active" in statuses
    first_later = min(i for i, s in enumerate(statuses) if s in ("planned", "closed"))
    assert all(s not in ("planned", "closed") for s in statuses[:first_later])
    assert all(s in ("planned", "closed") for s in statuses[first_later:])


def test_open_first_holds_across_pages(client, content_app):
    seen = []
    for page in (1, 2, 3, 4):
        body = client.get(
            "/api/v1/places",
            query_string={"near": "兰州市城关区", "sort": "distance", "per_page": 100, "page": page},
        ).get_json()
        seen += [r["status"] for r in body["results"]]
    assert len(seen) == body["total"]
    ranks = [s in ("planned", "closed") for s in seen]
    assert ranks == sorted(ranks)


def test_open_first_by_relevance(client, content_app):
    body = client.get("/api/v1/places", query_string={"q": "众创空间", "per_page": 100}).get_json()
    ranks = [r["status"] in ("planned", "closed") for r in body["results"]]
    assert any(ranks) and ranks == sorted(ranks)


def test_open_only_is_on_by_default_near_somewhere(client, content_app):
    html = client.get("/places?near=兰州市城关区&per_page=100").get_data(as_text=True)
    assert re.search(r'id="open-only" name="open" value="1"\s+checked', html)
    assert set(_statuses(content_app, _results(html))) == {"active"}
    html = client.get("/places?per_page=100").get_data(as_text=True)
    assert not re.search(r'id="open-only" name="open" value="1"\s+checked', html)


def test_a_planned_place_says_it_may_not_exist_yet(client, content_app):
    with content_app.app_context():
        planned = db.session().scalar(select(Place).where(Place.status == "planned").order_by(Place.id))
    html = client.get(f"/places/{planned.id}?lang=en").get_data(as_text=True)
    assert "It may not exist yet" in html
    listing = client.get("/places", query_string={"q": planned.name, "lang": "en"}).get_data(as_text=True)
    assert "may not exist yet" in listing


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("城关区", "城关"),
        ("两江新区", "两江"),
        ("兰州市", "兰州"),
        ("城区", "城区"),
        ("西双版纳傣族自治州", "西双版纳傣族"),
    ],
)
def test_stem_drops_only_the_administrative_ending(name, stem):
    assert gazetteer.stem(name) == stem


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Chengguan District", "chengguan"),
        ("chengguanqu", "chengguan"),
        ("Lüliang", "lvliang"),
        ("Nanshan", "nanshan"),
    ],
)
def test_latin_key(text, key):
    assert gazetteer.latin_key(text) == key
