"""HTTP caching headers on every route, conditional GETs, and the page cache: fresh after a publish,
never personal, one entry per language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import db
from portal.dashboard.counting import flush
from portal.dashboard.models import SearchQueryCount, UsageCount
from portal.eligibility.models import Benefit, EligibilityQuestion
from portal.events.models import Event
from portal.operators.models import PlaceDailyStat
from portal.policies.models import Category, Policy
from portal.regions.models import Region
from portal.service_points.models import ServicePoint
from portal.service_points.topics import TOPICS
from tests.conftest import make_app
from tests.mapdata import ensure_built
from tests.staffing import client_for, make_user
from tests.test_staff_workflow import NEW_POLICY, _act, _latest_revision

PUBLIC = "public, max-age=60, stale-while-revalidate=300"
PRIVATE = "private, no-store"
# Public routes and what a walk gives them; every other GET route must answer private, no-store.
PUBLIC_ENDPOINTS = {
    "home.index",
    "api.benefit_list",
    "api.benefit_detail",
    "api.eligibility_questions",
    "events_api.event_list",
    "events_api.event_geojson",
    "events_api.event_detail",
    "api.openapi_description",
    "api.place_list",
    "api.place_geojson",
    "api.policy_list",
    "api.policy_detail",
    "api.regions",
    "api.search_all",
    "eligibility.benefit_list",
    "eligibility.benefit_detail",
    "opendata.index",
    "opendata.download",
    "eligibility.start",
    "eligibility.question",
    "eligibility.results",
    "events.index",
    "events.detail",
    "events.event_ics",
    "events.calendar",
    "events.region_ics",
    "policies.category_feed",
    "policies.feed",
    "service_points.guides",
    "service_points.guide",
    "places.map_page",
    "places.base_layer",
    "places.index",
    "places.detail",
    "events.place_ics",
    "policies.index",
    "policies.detail",
    "search.index",
    "service_points.index",
    "service_points.detail",
    "static",
    "core.vendor",
}
# Public routes that answer 200 only for stored files (a photo, an attachment): 404 here, so private.
NEEDS_A_FILE = {"place_help.public_photo", "policies.attachment"}
# Public routes whose page holds a form with a CSRF token, or that answer with a redirect.
PRIVATE_BY_CONTENT = {"place_help.place_feedback", "eligibility.feedback_form", "eligibility.answer"}
PRIVATE_BLUEPRINTS = (
    "accounts.",
    "staff.",
    "operators.",
    "moderation.",
    "event_moderation.",
    "event_operators.",
    "service_points_staff.",
    "synonyms.",
    "alerts.",
    "dashboard.",
)


@pytest.fixture(scope="module")
def walk_app(tmp_path_factory):
    # The base map the other map tests use (built by `make test`): building one of its own here
    # took a minute.
    app = make_app(tmp_path_factory.mktemp("walk"), loaded=True)
    ensure_built(app.config["MAP_DATA_DIR"])
    return app


def _samples(app) -> dict[str, str]:
    with app.app_context():
        session = db.session()
        return {
            "policy_id": session.scalars(
                select(Policy.id).where(Policy.publication_state == "published").order_by(Policy.id)
            ).first(),
            "benefit_id": session.scalars(select(Benefit.id).order_by(Benefit.id)).first(),
            "event_id": session.scalars(
                select(Event.id)
                .where(Event.publication_state == "published", Event.starts_at.is_not(None))
                .order_by(Event.id)
            ).first(),
            "category_id": session.scalars(select(Category.id).order_by(Category.id)).first(),
            "region_id": "gansu-lanzhou-chengguan",
            "place_id": app.test_client().get("/api/v1/places").get_json()["results"][0]["id"],
            "question_id": session.scalars(
                select(EligibilityQuestion.id).order_by(EligibilityQuestion.position)
            ).first(),
            "point_id": session.scalars(select(ServicePoint.id).order_by(ServicePoint.id)).first(),
            "topic_id": TOPICS[0].id,
            "dataset_id": "policies",
            "fmt": "csv",
            "level": "province",
            "filename": "css/portal.css",
            "file_id": "none",
            "position": "1",
            "action": "submit",
            "user_id": "1",
            "token": "x",
            "panel_id": "searches",
            "conflict_id": "1",
            "claim_id": "1",
            "revision_id": "1",
            "change_id": "1",
            "feedback_id": "1",
        }


def _url(rule, samples) -> str:
    if rule.endpoint == "core.vendor":
        return "/vendor/leaflet/leaflet.js"
    values = {arg: samples[arg] for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _get_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.rule)


def test_url_map_walk_every_route_is_public_with_a_validator_or_private(walk_app):
    samples = _samples(walk_app)
    make_user(walk_app, "reviewer9@example.gov.cn", "reviewer")
    walk_app.config["WTF_CSRF_ENABLED"] = False  # only to sign in through the form
    signed_in = client_for(walk_app, "reviewer9@example.gov.cn")
    walk_app.config["WTF_CSRF_ENABLED"] = True  # forms carry tokens, as in production
    before = _version(walk_app)
    seen = set()
    for rule in _get_rules(walk_app):
        url = _url(rule, samples)
        seen.add(rule.endpoint)
        anonymous = walk_app.test_client()  # a first visit: no cookie from the pages before
        response = anonymous.get(url)
        cache_control = response.headers.get("Cache-Control", "")
        if rule.endpoint in PUBLIC_ENDPOINTS:
            assert response.status_code == 200, (url, response.status_code)
            assert cache_control.startswith("public, max-age="), (url, cache_control)
            assert "stale-while-revalidate=300" in cache_control, url
            assert "Cookie" in response.headers.get("Vary", ""), url
            etag = response.headers.get("ETag")
            assert etag, url
            again = anonymous.get(url, headers={"If-None-Match": etag})
            assert again.status_code == 304 and again.data == b"", url
            assert again.headers["ETag"] == etag, url
        else:
            assert cache_control == PRIVATE, (url, response.status_code, cache_control)
            assert response.headers.get("X-Cache") != "HIT", url
        # Signed in, nothing is public and nothing comes from the shared cache.
        personal = signed_in.get(url)
        assert personal.headers.get("Cache-Control") == PRIVATE, (url, personal.headers.get("Cache-Control"))
        assert "X-Cache" not in personal.headers, url
    expected = PUBLIC_ENDPOINTS | NEEDS_A_FILE | PRIVATE_BY_CONTENT
    assert {e for e in seen if not e.startswith(PRIVATE_BLUEPRINTS) and e != "core.healthz"} == expected
    assert _version(walk_app) == before  # reading public pages changes no content


def _version(app) -> int:
    from portal.core import contentversion

    with app.app_context():
        return contentversion.read(db.session())


def test_posts_and_errors_are_private(client):
    assert client.get("/policies/no-such-policy").headers["Cache-Control"] == PRIVATE
    assert client.get("/api/v1/places?per_page=x").headers["Cache-Control"] == PRIVATE
    response = client.post("/api/v1/eligibility", json={"answers": {}})
    assert response.status_code == 200 and response.headers["Cache-Control"] == PRIVATE


def test_a_repeat_is_served_from_the_cache_and_validated_without_a_body(client):
    first = client.get("/policies?level=national&page=1")
    second = client.get("/policies?page=1&level=national")  # the same query in another order
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) in (("MISS", "HIT"), ("HIT", "HIT"))
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Cache-Control"] == PUBLIC
    third = client.get("/policies?page=1&level=national", headers={"If-None-Match": second.headers["ETag"]})
    assert third.status_code == 304 and third.data == b""
    stale = client.get("/policies?page=1&level=national", headers={"If-None-Match": 'W/"0.zh.1"'})
    assert stale.status_code == 200 and stale.data == first.data


def test_a_published_change_is_read_back_through_the_cache_on_the_next_request(staff_app):
    public = staff_app.test_client()
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    pages = ("/policies?sort=newest", "/api/v1/policies?sort=newest&per_page=100")
    for url in pages:
        public.get(url)
        cached = public.get(url)
        assert cached.headers["X-Cache"] == "HIT" and NEW_POLICY["id"] not in cached.get_data(as_text=True)
    old_etag = cached.headers["ETag"]
    editor.post("/staff/policies/new", data=NEW_POLICY)
    _act(editor, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    assert public.get(pages[0]).headers["X-Cache"] == "HIT"  # a change in review shows nowhere
    _act(reviewer, _latest_revision(staff_app, NEW_POLICY["id"]), "approve")
    for url in pages:
        fresh = public.get(url)
        assert fresh.headers["X-Cache"] == "MISS", url
        assert NEW_POLICY["id"] in fresh.get_data(as_text=True), url
        assert public.get(url).headers["X-Cache"] == "HIT"
    assert public.get(pages[1], headers={"If-None-Match": old_etag}).status_code == 200
    # Withdrawn: gone from the next list page too.
    reviewer.post(f"/staff/policies/{NEW_POLICY['id']}/withdraw", data={"reason": "测试"})
    assert NEW_POLICY["id"] not in public.get(pages[0]).get_data(as_text=True)


def test_a_signed_in_page_is_never_stored_nor_served_from_the_shared_cache(staff_app):
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    anonymous = staff_app.test_client()
    # Signed in first, on a cold cache: the page has the sign-out form and stays out of the cache.
    page = reviewer.get("/policies")
    assert "Sign out" in reviewer.get("/policies?lang=en").get_data(as_text=True)
    assert page.headers["Cache-Control"] == PRIVATE and "X-Cache" not in page.headers
    visitor = anonymous.get("/policies")
    assert visitor.headers["X-Cache"] == "MISS" and "/logout" not in visitor.get_data(as_text=True)
    # Now the anonymous entry exists: the signed-in visitor still gets their own page.
    assert anonymous.get("/policies").headers["X-Cache"] == "HIT"
    again = reviewer.get("/policies")
    assert "X-Cache" not in again.headers and "/logout" in again.get_data(as_text=True)
    assert again.headers["Cache-Control"] == PRIVATE


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(client):
    client.get("/benefits")
    assert client.get("/benefits").headers["X-Cache"] == "HIT"
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "已收到")]
    response = client.get("/benefits")
    assert response.headers.get("X-Cache") != "HIT" and response.headers["Cache-Control"] == PRIVATE


def test_a_page_with_a_csrf_form_is_private(client):
    samples = client.get("/api/v1/places").get_json()["results"][0]["id"]
    response = client.get(f"/places/{samples}/feedback")
    assert response.status_code == 200 and 'name="csrf_token"' in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == PRIVATE


def test_the_eligibility_results_are_served_from_the_cache_and_hold_no_form_token(staff_app):
    staff_app.config.update(COUNT_FLUSH_SECONDS=0, WTF_CSRF_ENABLED=True)  # forms carry tokens
    client = staff_app.test_client()
    url = "/eligibility/results?applicant=company&region=gansu-lanzhou-chengguan&company_registered=yes"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["Cache-Control"] == PUBLIC
    assert "csrf_token" not in first.get_data(as_text=True) and "Set-Cookie" not in first.headers
    again = client.get(url)
    assert again.headers["X-Cache"] == "HIT" and again.data == first.data
    assert client.get(url, headers={"If-None-Match": again.headers["ETag"]}).status_code == 304
    # Another visitor's answers are another entry; the feedback page for them makes its own token.
    other = staff_app.test_client().get(url.replace("company_registered=yes", "company_registered=no"))
    assert other.headers["X-Cache"] == "MISS" and other.data != first.data
    feedback = client.get(url.replace("/results?", "/results/feedback?"))
    assert 'name="csrf_token"' in feedback.get_data(as_text=True)
    assert feedback.headers["Cache-Control"] == PRIVATE and feedback.headers.get("X-Cache") != "HIT"
    # Completions are still counted when the page comes from the cache: the first page, its repeat
    # from the cache and the other visitor's (the 304 is a repeat view in the same browser).
    flush()
    with staff_app.app_context():
        hits = db.session().scalars(
            select(UsageCount.hits).where(
                UsageCount.metric == "wizard_completed", UsageCount.region_id == "gansu-lanzhou-chengguan"
            )
        )
        assert sum(hits) == 3


def test_each_language_has_its_own_entry(content_app):
    zh, en = content_app.test_client(), content_app.test_client()
    en.set_cookie("lang", "en")
    zh_page, en_page = zh.get("/events"), en.get("/events")
    assert zh_page.headers["ETag"] != en_page.headers["ETag"]
    assert zh.get("/events").headers["X-Cache"] == en.get("/events").headers["X-Cache"] == "HIT"
    assert 'lang="zh-Hans"' in zh.get("/events").get_data(as_text=True)
    assert '<html lang="en">' in en.get("/events").get_data(as_text=True)
    # Switching with ?lang= sets the cookie: that answer is the visitor's own.
    switched = content_app.test_client().get("/events?lang=en")
    assert switched.headers["Cache-Control"] == PRIVATE and "lang=en" in switched.headers["Set-Cookie"]
    assert en.get("/events", headers={"If-None-Match": zh_page.headers["ETag"]}).status_code == 200


def test_counting_still_sees_searches_and_listing_views_served_from_the_cache(staff_app):
    staff_app.config["COUNT_FLUSH_SECONDS"] = 0
    visitor = staff_app.test_client()
    for _ in range(2):
        assert visitor.get("/search?q=创业担保贷款").status_code == 200
    assert visitor.get("/search?q=创业担保贷款").headers["X-Cache"] == "HIT"
    flush()
    place_id = visitor.get("/api/v1/places").get_json()["results"][0]["id"]
    for agent in ("a", "b"):
        response = visitor.get(f"/places/{place_id}", headers={"User-Agent": agent})
    assert response.headers["X-Cache"] == "HIT"
    with staff_app.app_context():
        session = db.session()
        searches = session.scalars(
            select(SearchQueryCount.searches).where(SearchQueryCount.query == "创业担保贷款")
        ).one()
        views = session.scalars(select(PlaceDailyStat.views).where(PlaceDailyStat.place_id == place_id)).one()
    assert searches == 3 and views == 2


def test_the_cache_is_bounded_and_can_be_turned_off(tmp_path):
    app = make_app(tmp_path / "small", loaded=True, PAGE_CACHE_SIZE=2)
    client = app.test_client()
    urls = [f"/policies?page={n}" for n in range(1, 6)]
    for url in urls:
        client.get(url)
    cache = app.extensions["page_cache"].cache
    assert 1 <= len(cache._cache) <= 3
    off = make_app(tmp_path / "off", loaded=True, PAGE_CACHE_SIZE=0)
    client = off.test_client()
    client.get("/policies")
    response = client.get("/policies")
    assert "X-Cache" not in response.headers and response.headers["Cache-Control"] == PUBLIC
    assert client.get("/policies", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_region_changes_reach_cached_pages(staff_app):
    visitor = staff_app.test_client()
    visitor.get("/places?lang=en")
    with staff_app.app_context():
        session = db.session()
        session.get(Region, "gansu-lanzhou-chengguan").name_en = "Chengguan District (renamed)"
        session.commit()
    assert "Chengguan District (renamed)" in visitor.get("/places?lang=en").get_data(as_text=True)


def test_pages_are_renewed_each_slot_even_without_a_change(tmp_path, monkeypatch):
    from portal.core import caching

    app = make_app(tmp_path, loaded=True, CACHE_RENEW_SECONDS=600)
    client = app.test_client()
    now = 1_800_000_000.0  # a slot boundary: 600 divides it
    monkeypatch.setattr(caching.time, "time", lambda: now + 599)
    first = client.get("/events")
    assert client.get("/events").headers["X-Cache"] == "HIT"
    monkeypatch.setattr(caching.time, "time", lambda: now + 600)
    renewed = client.get("/events")
    assert renewed.headers["X-Cache"] == "MISS" and renewed.headers["ETag"] != first.headers["ETag"]
