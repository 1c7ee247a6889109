"""The page cache's quick path: what a hit costs the database, who may get one, a store shared by the
workers of a host, and anonymous visitors holding a form's token."""

from __future__ import annotations

from sqlalchemy import event, select

from portal import db
from portal.core import caching
from portal.operators.models import PlaceDailyStat
from portal.regions.models import Region
from tests.conftest import _create, make_app
from tests.staffing import client_for, make_user

PRIVATE = "private, no-store"


def _statements(app):
    seen: list[str] = []
    event.listen(app.extensions["db_engine"], "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_a_hit_costs_one_statement_and_a_304_too(tmp_path):
    app = make_app(tmp_path, loaded=True)
    client = app.test_client()
    first = client.get("/policies?level=national")
    assert first.headers["X-Cache"] == "MISS"
    seen = _statements(app)
    hit = client.get("/policies?level=national")
    assert hit.headers["X-Cache"] == "HIT" and hit.data == first.data
    assert hit.headers["ETag"] == first.headers["ETag"] and hit.headers["Cache-Control"].startswith("public")
    assert len(seen) == 1 and "content_version" in seen[0]
    assert (
        client.get("/policies?level=national", headers={"If-None-Match": hit.headers["ETag"]}).status_code
        == 304
    )
    assert len(seen) == 2


def test_the_quick_path_comes_after_scheduled_publishing_only(tmp_path):
    app = make_app(tmp_path)
    hooks = app.before_request_funcs[None]
    names = [hook.__name__ for hook in hooks]
    assert names.index("_answer_early") == names.index("_publish_due") + 1
    assert hooks[0].__name__ == "_publish_due"


def test_a_remembered_or_signed_in_visitor_never_gets_a_hit_nor_a_304(tmp_path):
    app = make_app(tmp_path, loaded=True, WTF_CSRF_ENABLED=False)
    make_user(app, "ed@example.gov.cn", "editor")
    public = app.test_client()
    public.get("/events")
    cached = public.get("/events")
    assert cached.headers["X-Cache"] == "HIT"
    remembered = app.test_client()
    remembered.set_cookie("remember_token", "1|forged")
    response = remembered.get("/events", headers={"If-None-Match": cached.headers["ETag"]})
    assert response.status_code == 200 and "X-Cache" not in response.headers
    assert response.headers["Cache-Control"] == PRIVATE
    signed_in = client_for(app, "ed@example.gov.cn")
    response = signed_in.get("/events", headers={"If-None-Match": cached.headers["ETag"]})
    assert (
        response.status_code == 200 and "X-Cache" not in response.headers and "ETag" not in response.headers
    )
    assert "/logout" in response.get_data(as_text=True)


def test_a_visitor_who_got_a_form_token_still_gets_public_pages(client):
    place_id = client.get("/api/v1/places").get_json()["results"][0]["id"]
    form = client.get(f"/places/{place_id}/feedback")
    assert 'name="csrf_token"' in form.get_data(as_text=True) and "session=" in form.headers["Set-Cookie"]
    client.get("/benefits")
    for _ in range(2):
        page = client.get("/benefits")
        assert page.headers["Cache-Control"].startswith("public"), page.headers["Cache-Control"]
        assert "Set-Cookie" not in page.headers
    assert page.headers["X-Cache"] == "HIT"
    with client.session_transaction() as session:
        assert session.get("csrf_token") and "_remember" not in session  # the token is kept


def test_a_signed_in_session_copied_to_another_browser_is_still_ended(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    make_user(app, "ed@example.gov.cn", "editor")
    owner = client_for(app, "ed@example.gov.cn")
    assert owner.get("/staff/").status_code == 200
    thief = app.test_client()
    thief.set_cookie("session", owner.get_cookie("session").value)
    response = thief.get("/staff/", headers={"User-Agent": "another browser"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_repeated_view_by_one_visitor_is_counted_once_without_a_write(tmp_path):
    app = make_app(tmp_path, loaded=True)
    visitor = app.test_client()
    place_id = visitor.get("/api/v1/places").get_json()["results"][0]["id"]
    visitor.get(f"/places/{place_id}", headers={"User-Agent": "a"})
    seen = _statements(app)
    again = visitor.get(f"/places/{place_id}", headers={"User-Agent": "a"})
    assert again.headers["X-Cache"] == "HIT"
    assert len(seen) == 1  # the version; the view is known to be counted
    visitor.get(f"/places/{place_id}", headers={"User-Agent": "b"})
    with app.app_context():
        views = (
            db.session()
            .scalars(select(PlaceDailyStat.views).where(PlaceDailyStat.place_id == place_id))
            .one()
        )
    assert views == 2


def test_workers_of_one_host_share_a_file_store_and_see_a_publish_at_once(tmp_path):
    shared = {"PAGE_CACHE_TYPE": "filesystem", "PAGE_CACHE_DIR": tmp_path / "page-cache"}
    one = make_app(tmp_path / "one", loaded=True, **shared)
    same = {"DATABASE_URL": one.config["DATABASE_URL"], "SEARCH_DIR": one.config["SEARCH_DIR"]}
    other = _create(tmp_path / "other", **same, **shared)
    url = "/api/v1/regions"

    def english(app):
        client = app.test_client()
        client.set_cookie("lang", "en")
        return client

    rendered = english(one).get(url)
    assert rendered.headers["X-Cache"] == "MISS"
    hit = english(other).get(url)
    assert hit.headers["X-Cache"] == "HIT" and hit.data == rendered.data
    with one.app_context():
        session = db.session()
        session.get(Region, "gansu-lanzhou-chengguan").name_en = "Chengguan (renamed)"
        session.commit()
    fresh = english(other).get(url)
    assert fresh.headers["X-Cache"] == "MISS" and "Chengguan (renamed)" in fresh.get_data(as_text=True)
    assert english(one).get(url).headers["X-Cache"] == "HIT"  # rendered once for the host


def test_an_unknown_store_type_is_refused_by_name(tmp_path):
    try:
        make_app(tmp_path, PAGE_CACHE_TYPE="redis")
    except ValueError as exc:
        assert "PAGE_CACHE_TYPE" in str(exc)
    else:
        raise AssertionError("PAGE_CACHE_TYPE=redis was accepted")


def test_the_clock_part_of_the_tag_follows_the_slot(monkeypatch):
    monkeypatch.setattr(caching.time, "time", lambda: 1_800_000_599.5)
    before = caching._clock(600)
    monkeypatch.setattr(caching.time, "time", lambda: 1_800_000_600.0)
    assert caching._clock(600) != before and caching._clock(0).endswith(".0")
