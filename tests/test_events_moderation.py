"""Posting events through moderation: operators for their own listings, staff for anyone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal import db
from portal.core.audit import AuditEntry
from portal.events import dates
from portal.events.models import Event, EventRevision
from tests.operating import make_operator, operator_app
from tests.pages import check_page
from tests.staffing import client_for, make_user

SOON = dates.local(dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=10))


def _form(**changes) -> dict:
    data = {
        "title": "城关创客路演日",
        "title_en": "Chengguan demo day",
        "kind": "roadshow",
        "starts_at": f"{SOON:%Y-%m-%d} 14:00",
        "ends_at": f"{SOON:%Y-%m-%d} 17:00",
        "place_id": "chengguan-maker",
        "fee": "free",
        "audience": ["founders"],
        "description": "项目路演与投资人交流。",
        "registration_url": "https://example.gov.cn/demo-day",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def app_(tmp_path):
    app = operator_app(tmp_path)
    make_user(app, "editor@example.gov.cn", "editor")
    make_user(app, "reviewer2@example.gov.cn", "reviewer")
    make_operator(app, "op@example.cn", operates=("chengguan-maker",))
    return app


def _audit(app, event_id):
    with app.app_context():
        rows = db.session().scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "event_revision", AuditEntry.entity_id == event_id)
            .order_by(AuditEntry.id)
        )
        return [(e.action, e.from_state, e.to_state) for e in rows]


def test_operator_posts_for_own_listing_and_reviewer_approves(app_):
    operator = client_for(app_, "op@example.cn")
    page = operator.get("/operator/events/new?place=chengguan-maker&lang=en")
    assert page.status_code == 200
    check_page(page.get_data(as_text=True))
    response = operator.post("/operator/events/new", data=_form())
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app_.app_context():
        rev = db.session().scalars(select(EventRevision)).one()
        rev_id, event_id = rev.id, rev.event_id
        assert rev.state == "pending" and db.session().get(Event, event_id) is None
    assert app_.test_client().get(f"/events/{event_id}").status_code == 404  # not public yet
    reviewer = client_for(app_, "reviewer@example.gov.cn")
    listings_queue = reviewer.get("/staff/moderation/?lang=en").get_data(as_text=True)
    assert "1 proposed event waits for a decision" in listings_queue
    queue = reviewer.get("/staff/events/?lang=en").get_data(as_text=True)
    check_page(queue)
    assert f"/staff/events/revisions/{rev_id}" in queue
    page = reviewer.get(f"/staff/events/revisions/{rev_id}?lang=en").get_data(as_text=True)
    check_page(page)
    assert "Chengguan demo day" in page
    response = reviewer.post(f"/staff/events/revisions/{rev_id}/approve", data={"version": "1"})
    assert response.status_code == 303
    public = app_.test_client().get(f"/events/{event_id}?lang=en").get_data(as_text=True)
    assert "Chengguan demo day" in public
    with app_.app_context():
        event = db.session().get(Event, event_id)
        assert dates.local(event.starts_at).strftime("%H:%M") == "14:00"
        assert event.region_id == "gansu-lanzhou-chengguan" and event.place_id == "chengguan-maker"
    assert _audit(app_, event_id) == [("submit", None, "pending"), ("approve", "pending", "approved")]
    # The index follows: search finds it.
    body = app_.test_client().get("/api/v1/search?q=路演日&type=event").get_json()
    assert [r["id"] for r in body["results"]] == [event_id]


def test_operator_cannot_post_for_a_listing_they_do_not_run(app_):
    operator = client_for(app_, "op@example.cn")
    response = operator.post("/operator/events/new?lang=en", data=_form(place_id="lanzhou-hub"))
    assert response.status_code == 400
    assert "Choose one of your listings." in response.get_data(as_text=True)
    with app_.app_context():
        assert db.session().scalars(select(EventRevision)).first() is None


def test_staff_post_needs_another_reviewer_and_questions_go_back_to_the_author(app_):
    editor = client_for(app_, "reviewer@example.gov.cn")
    response = editor.post("/staff/events/new", data=_form(place_id="", region_id="gansu-lanzhou"))
    assert response.status_code == 303
    with app_.app_context():
        rev = db.session().scalars(select(EventRevision)).one()
        rev_id, event_id = rev.id, rev.event_id
    # The author cannot approve their own proposal.
    editor.post(f"/staff/events/revisions/{rev_id}/approve?lang=en", data={"version": "1"})
    with app_.app_context():
        assert db.session().get(EventRevision, rev_id).state == "pending"
    other = client_for(app_, "reviewer2@example.gov.cn")
    # Asking needs a question.
    other.post(f"/staff/events/revisions/{rev_id}/ask", data={"version": "1", "reason": ""})
    other.post(f"/staff/events/revisions/{rev_id}/ask", data={"version": "1", "reason": "主办单位是谁？"})
    with app_.app_context():
        assert db.session().get(EventRevision, rev_id).state == "needs_info"
    editor.post(f"/staff/events/revisions/{rev_id}/answer", data={"version": "2", "reason": "区科技局"})
    other.post(f"/staff/events/revisions/{rev_id}/reject", data={"version": "3", "reason": "重复"})
    assert _audit(app_, event_id) == [
        ("submit", None, "pending"),
        ("ask", "pending", "needs_info"),
        ("answer", "needs_info", "pending"),
        ("reject", "pending", "rejected"),
    ]
    # A stale form (old version) changes nothing.
    other.post(f"/staff/events/revisions/{rev_id}/approve", data={"version": "1"})
    with app_.app_context():
        assert db.session().get(EventRevision, rev_id).state == "rejected"
        assert db.session().get(Event, event_id) is None


def test_staff_post_dates_for_a_series_through_moderation(app_):
    with app_.app_context():
        session = db.session()
        session.add(
            Event(
                id="yearly-week",
                title="双创活动周",
                kind="innovation_week",
                recurrence="annual",
                region_id="cn",
                description="每年举办",
                audience=[],
                fee="unknown",
            )
        )
        session.commit()
    editor = client_for(app_, "editor@example.gov.cn")
    page = editor.get("/staff/events/yearly-week/edit?lang=en").get_data(as_text=True)
    check_page(page)
    assert "not announced yet" in page
    response = editor.post(
        "/staff/events/yearly-week/edit",
        data=_form(
            title="双创活动周",
            title_en=None,
            kind="innovation_week",
            place_id="",
            region_id="cn",
            starts_at=f"{SOON:%Y-%m-%d}",
            ends_at=f"{SOON + dt.timedelta(days=6):%Y-%m-%d}",
            description="每年举办",
            registration_url="",
            audience=[],
            source_url="https://www.gov.cn/x.htm",
        ),
    )
    assert response.status_code == 303
    with app_.app_context():
        assert db.session().get(Event, "yearly-week").starts_at is None  # still unannounced publicly
        rev_id = db.session().scalars(select(EventRevision)).one().id
    client_for(app_, "reviewer@example.gov.cn").post(
        f"/staff/events/revisions/{rev_id}/approve", data={"version": "1"}
    )
    with app_.app_context():
        event = db.session().get(Event, "yearly-week")
        assert event.all_day and dates.local(event.starts_at).date() == SOON.date()
        assert dates.last_day(event.ends_at, True) == SOON.date() + dt.timedelta(days=6)
        assert event.recurrence == "annual" and event.source_url == "https://www.gov.cn/x.htm"


@pytest.mark.parametrize(
    ("changes", "field", "en", "zh"),
    [
        ({"ends_at": f"{SOON:%Y-%m-%d} 11:00"}, "ends_at", "would end before it starts", "结束"),
        ({"starts_at": "2020-01-02 10:00", "ends_at": ""}, "starts_at", "This date has passed", "已过"),
        ({"registration_url": "ftp://example.cn/x"}, "registration_url", "https:// or http://", "https://"),
        (
            {"place_id": "", "region_id": "gansu-lanzhou", "lat": "39.9", "lon": "116.4"},
            "lat",
            "far from the chosen region",
            "所选地区",
        ),
        (
            {"place_id": "", "region_id": "gansu-lanzhou", "lat": "51.5", "lon": "-0.12"},
            "lat",
            "outside China",
            "中国境外",
        ),
        ({"starts_at": "next Friday"}, "starts_at", "Give the start as a date and time", "开始时间"),
    ],
)
def test_bad_input_names_the_field_in_zh_and_en_and_keeps_what_was_typed(app_, changes, field, en, zh):
    editor = client_for(app_, "editor@example.gov.cn")
    for lang, words in (("en", en), ("zh", zh)):
        response = editor.post(f"/staff/events/new?lang={lang}", data=_form(**changes))
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        doc = check_page(html)
        summary = doc.find("div", id="error-summary")
        assert summary is not None and f'href="#{field}"' in html
        assert words in summary.text, (lang, summary.text)
        assert "城关创客路演日" in html  # nothing typed is lost
    with app_.app_context():
        assert db.session().scalars(select(EventRevision)).first() is None


def test_only_the_author_sees_and_withdraws_an_operator_proposal(app_):
    operator = client_for(app_, "op@example.cn")
    operator.post("/operator/events/new", data=_form())
    with app_.app_context():
        rev_id = db.session().scalars(select(EventRevision)).one().id
    make_operator(app_, "other@example.cn", operates=("chengguan-maker",))
    other = client_for(app_, "other@example.cn")
    assert other.get(f"/operator/events/revisions/{rev_id}").status_code == 403
    assert (
        other.post(f"/operator/events/revisions/{rev_id}/withdraw", data={"version": "1"}).status_code == 403
    )
    page = operator.get(f"/operator/events/revisions/{rev_id}?lang=en").get_data(as_text=True)
    check_page(page)
    operator.post(f"/operator/events/revisions/{rev_id}/withdraw", data={"version": "1"})
    with app_.app_context():
        assert db.session().get(EventRevision, rev_id).state == "withdrawn"


def test_operator_event_routes_need_a_verified_operator_with_a_listing(app_):
    anonymous = app_.test_client()
    response = anonymous.get("/operator/events/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client_for(app_, "editor@example.gov.cn").get("/operator/events/new").status_code == 403
    make_operator(app_, "nolisting@example.cn")
    assert client_for(app_, "nolisting@example.cn").get("/operator/events/new").status_code == 403
    rules = [r for r in app_.url_map.iter_rules() if r.rule.startswith("/staff/events")]
    assert len(rules) == 5 and all(r.endpoint.startswith("staff.") for r in rules)


def test_operator_sees_own_proposals_with_their_state(app_):
    operator = client_for(app_, "op@example.cn")
    operator.post("/operator/events/new", data=_form())
    html = operator.get("/operator/events/?lang=en").get_data(as_text=True)
    check_page(html)
    assert "城关创客路演日" in html and "Waiting for staff" in html


def test_a_new_event_needs_a_start_but_a_series_can_stay_undated(app_):
    editor = client_for(app_, "editor@example.gov.cn")
    response = editor.post("/staff/events/new?lang=en", data=_form(starts_at="", ends_at=""))
    assert response.status_code == 400 and "Give the start" in response.get_data(as_text=True)
    with app_.app_context():
        session = db.session()
        session.add(
            Event(
                id="yearly-week",
                title="双创活动周",
                kind="innovation_week",
                recurrence="annual",
                region_id="cn",
                description="每年举办",
                audience=[],
                fee="unknown",
            )
        )
        session.commit()
    response = editor.post(
        "/staff/events/yearly-week/edit",
        data=_form(
            title="双创活动周",
            title_en=None,
            kind="innovation_week",
            place_id="",
            region_id="cn",
            starts_at="",
            ends_at="",
            description="每年秋季举办",
            registration_url="",
            audience=[],
        ),
    )
    assert response.status_code == 303
    with app_.app_context():
        rev = db.session().scalars(select(EventRevision)).one()
        assert rev.data["starts_at"] is None and rev.data["description"] == "每年秋季举办"
