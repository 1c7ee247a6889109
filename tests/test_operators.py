"""Operators through the test client: sign-up, claim, edit, moderation, freshness, feedback, figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import select

from portal import db
from portal.accounts.models import User
from portal.core.audit import AuditEntry
from portal.core.clock import utcnow
from portal.core.files import StoredFile
from portal.operators.models import PlaceClaim, PlaceRevision
from portal.places.models import Place
from tests.operating import form_values, jpeg_with_gps, links_in, mails, make_operator, operator_app
from tests.pages import check_page
from tests.staffing import PASSWORD, make_user, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app(tmp_path):
    return operator_app(tmp_path)


def signed_in(app, email):
    client = app.test_client()
    sign_in(client, app, email)
    return client


def _place(app, pid):
    with app.app_context():
        return db.session().get(Place, pid)


def _edit(client, pid, **changes):
    page = client.get(f"/operator/places/{pid}/edit?lang=en")
    assert page.status_code == 200
    data = form_values(page.get_data(as_text=True))
    data.update(changes)
    return client.post(f"/operator/places/{pid}/edit?lang=en", data=data, content_type="multipart/form-data")


def _version(app, model, item_id):
    with app.app_context():
        return db.session().get(model, item_id).version


def test_whole_journey_sign_up_claim_edit_review_public(app):
    # Sign up; the emailed link proves the address.
    operator = app.test_client()
    response = operator.post(
        "/operator/signup",
        data={
            "organisation": "兰州城关创客科技有限公司",
            "contact_name": "李四",
            "phone": "0931-7654321",
            "email": "li@maker.example.cn",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 303
    verify = [link for m in mails(app) for link in links_in(m) if "/operator/verify/" in link][0]
    sign_in(operator, app, "li@maker.example.cn")
    assert operator.get("/operator/").status_code == 403  # not verified yet
    assert operator.get(verify.split("localhost", 1)[1]).status_code == 302
    assert operator.get("/operator/").status_code == 200

    # Claim the listing with a 备案 document; staff approve the claim.
    response = operator.post(
        "/operator/places/chengguan-maker/claim",
        data={"evidence": (io.BytesIO(PDF), "备案证明.pdf"), "note": "我是运营负责人"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert operator.get("/operator/places/chengguan-maker/edit").status_code == 403  # not approved yet
    with app.app_context():
        claim = db.session().scalars(select(PlaceClaim)).one()
    reviewer = signed_in(app, "reviewer@example.gov.cn")
    queue = reviewer.get("/staff/moderation/?lang=en").get_data(as_text=True)
    assert "城关创客空间" in queue and "Claim" in queue
    response = reviewer.post(
        f"/staff/moderation/claims/{claim.id}/approve", data={"version": _version(app, PlaceClaim, claim.id)}
    )
    assert response.status_code == 303
    assert any(
        "li@maker.example.cn" in m["To"]
        for m in mails(app)
        if "claim" in m["Subject"].lower() or "认领" in m["Subject"]
    )

    # The operator changes the free desks; the public keeps the approved value meanwhile.
    response = _edit(operator, "chengguan-maker", desks_free="12", desk_price="300元/工位/月")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    before = app.test_client().get("/api/v1/places", query_string={"q": "城关创客空间"}).get_json()
    assert [r["desks_free"] for r in before["results"] if r["id"] == "chengguan-maker"] == [3]
    assert _place(app, "chengguan-maker").desks_free == 3
    with app.app_context():
        revision = db.session().scalars(select(PlaceRevision)).one()

    # Staff see a field diff and ask for more; the operator answers; staff approve.
    page = reviewer.get(f"/staff/moderation/revisions/{revision.id}?lang=en").get_data(as_text=True)
    assert "Desks free now" in page and "300元/工位/月" in page
    assert (
        reviewer.post(
            f"/staff/moderation/revisions/{revision.id}/ask",
            data={"version": _version(app, PlaceRevision, revision.id), "reason": ""},
        ).status_code
        == 303
    )
    with app.app_context():
        assert db.session().get(PlaceRevision, revision.id).state == "pending"  # a question needs text
    reviewer.post(
        f"/staff/moderation/revisions/{revision.id}/ask",
        data={"version": _version(app, PlaceRevision, revision.id), "reason": "价格含税吗？"},
    )
    asked = [m for m in mails(app) if m["To"] == "li@maker.example.cn" and "价格含税吗" in m.get_content()]
    assert asked
    operator.post(f"/operator/revisions/{revision.id}/answer", data={"reason": "含税。"})
    reviewer.post(
        f"/staff/moderation/revisions/{revision.id}/approve",
        data={"version": _version(app, PlaceRevision, revision.id)},
    )

    place = _place(app, "chengguan-maker")
    assert place.desks_free == 12 and place.desk_price == "300元/工位/月"
    assert place.desks_updated_at is not None and place.last_confirmed_on == utcnow().date()
    public = app.test_client()
    geo = public.get("/api/v1/places.geojson").get_json()
    props = {f["properties"]["id"]: f["properties"] for f in geo["features"]}
    assert props["chengguan-maker"]["desks_free"] == 12 and props["chengguan-maker"]["confirmed"] is True
    api = public.get("/api/v1/places", query_string={"q": "城关创客空间"}).get_json()
    hit = [r for r in api["results"] if r["id"] == "chengguan-maker"][0]
    assert hit["desks_free"] == 12 and hit["desk_price"] == "300元/工位/月"
    with app.app_context():
        actions = [
            e.action
            for e in db.session().scalars(
                select(AuditEntry).where(AuditEntry.entity_id == "chengguan-maker").order_by(AuditEntry.id)
            )
        ]
    assert actions == ["submit", "approve", "submit", "ask", "answer", "approve"]


def test_operator_sees_and_edits_only_their_own(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    make_operator(app, "b@example.cn", operates=("lanzhou-hub",))
    a, b = signed_in(app, "a@example.cn"), signed_in(app, "b@example.cn")
    assert _edit(a, "chengguan-maker", desks_free="5").status_code == 303
    with app.app_context():
        revision = db.session().scalars(select(PlaceRevision)).one()
    assert b.get("/operator/places/chengguan-maker/edit").status_code == 403
    assert b.post("/operator/places/chengguan-maker/edit", data={"name": "篡改"}).status_code == 403
    assert b.post("/operator/places/chengguan-maker/confirm").status_code == 403
    assert b.get(f"/operator/revisions/{revision.id}").status_code == 403
    assert b.post(f"/operator/revisions/{revision.id}/withdraw").status_code == 403
    assert b.get("/operator/places/no-such-place/edit").status_code == 404
    home = b.get("/operator/").get_data(as_text=True)
    assert "兰州创业孵化器" in home and "城关创客空间" not in home


def test_several_operators_share_a_listing_and_a_second_form_cannot_overwrite(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    make_operator(app, "a2@example.cn", operates=("chengguan-maker",))
    a, a2 = signed_in(app, "a@example.cn"), signed_in(app, "a2@example.cn")
    stale = form_values(a2.get("/operator/places/chengguan-maker/edit").get_data(as_text=True))
    page = a.get("/operator/places/chengguan-maker/edit").get_data(as_text=True)
    data = {**form_values(page), "desks_free": "7"}
    assert (
        a.post(
            "/operator/places/chengguan-maker/edit", data=data, content_type="multipart/form-data"
        ).status_code
        == 303
    )
    # The same form sent again (a double click) and a form opened before the change are refused.
    assert (
        a.post(
            "/operator/places/chengguan-maker/edit", data=data, content_type="multipart/form-data"
        ).status_code
        == 409
    )
    refused = a2.post(
        "/operator/places/chengguan-maker/edit?lang=en",
        data={**stale, "name": "另一个名字"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 409
    shown = refused.get_data(as_text=True)
    assert (
        "Nothing was overwritten" in shown and form_values(shown)["desks_free"] == "7"
    )  # the current version
    check_page(shown, "en")
    with app.app_context():
        revisions = db.session().scalars(select(PlaceRevision)).all()
    assert (
        len(revisions) == 1
        and revisions[0].data["desks_free"] == 7
        and revisions[0].data["name"] == "城关创客空间"
    )


def test_one_line_fields_lose_line_breaks(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    assert (
        _edit(
            signed_in(app, "a@example.cn"), "chengguan-maker", name="城关\r\nBcc: x@evil.example  空间"
        ).status_code
        == 303
    )
    with app.app_context():
        assert (
            db.session().scalars(select(PlaceRevision)).one().data["name"] == "城关 Bcc: x@evil.example 空间"
        )


def test_approval_writes_only_changed_fields_so_other_approved_data_is_kept(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    a = signed_in(app, "a@example.cn")
    _edit(a, "chengguan-maker", desks_free="9")
    with app.app_context():  # meanwhile another approved source changes another field
        session = db.session()
        session.get(Place, "chengguan-maker").opening_hours = "周一至周五 9:00-18:00"
        session.commit()
        revision = session.scalars(select(PlaceRevision)).one()
    reviewer = signed_in(app, "reviewer@example.gov.cn")
    reviewer.post(
        f"/staff/moderation/revisions/{revision.id}/approve",
        data={"version": _version(app, PlaceRevision, revision.id)},
    )
    place = _place(app, "chengguan-maker")
    assert place.desks_free == 9 and place.opening_hours == "周一至周五 9:00-18:00"


def test_reject_needs_a_reason_and_keeps_the_approved_version(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    a = signed_in(app, "a@example.cn")
    _edit(a, "chengguan-maker", name="城关创客空间（新）")
    with app.app_context():
        revision = db.session().scalars(select(PlaceRevision)).one()
    reviewer = signed_in(app, "reviewer@example.gov.cn")
    reviewer.post(
        f"/staff/moderation/revisions/{revision.id}/reject",
        data={"version": _version(app, PlaceRevision, revision.id), "reason": "  "},
    )
    with app.app_context():
        assert db.session().get(PlaceRevision, revision.id).state == "pending"
    reviewer.post(
        f"/staff/moderation/revisions/{revision.id}/reject",
        data={"version": _version(app, PlaceRevision, revision.id), "reason": "名称与备案不一致"},
    )
    with app.app_context():
        assert db.session().get(PlaceRevision, revision.id).state == "rejected"
    assert _place(app, "chengguan-maker").name == "城关创客空间"
    told = [m for m in mails(app) if m["To"] == "a@example.cn"]
    assert told and "名称与备案不一致" in told[-1].get_content()
    # A stale version (someone acted meanwhile) is refused, not applied twice.
    response = reviewer.post(f"/staff/moderation/revisions/{revision.id}/approve", data={"version": "1"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session().get(PlaceRevision, revision.id).state == "rejected"


def test_new_listing_by_an_operator_becomes_public_when_approved(app):
    make_operator(app, "n@example.cn")
    client = signed_in(app, "n@example.cn")
    data = form_values(client.get("/operator/places/new").get_data(as_text=True))
    data.update(
        name="七里河青年创客空间",
        description="面向青年的众创空间。",
        type="makerspace",
        status="planned",
        region_id="gansu-lanzhou-chengguan",
        lat="36.05",
        lon="103.80",
        services=[],
    )
    response = client.post("/operator/places/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    with app.app_context():
        revision = db.session().scalars(select(PlaceRevision)).one()
    assert revision.kind == "new" and _place(app, revision.place_id) is None
    reviewer = signed_in(app, "reviewer@example.gov.cn")
    reviewer.post(f"/staff/moderation/revisions/{revision.id}/approve", data={"version": revision.version})
    place = _place(app, revision.place_id)
    assert place is not None and place.status == "planned" and place.geo_precision == "exact"
    assert client.get(f"/operator/places/{place.id}/edit").status_code == 200  # now its operator


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"lat": "39.90", "lon": "116.40"}, 400, "far from the region"),
        ({"lat": "-33.9", "lon": "151.2"}, 400, "outside China"),
        ({"lat": "36.05", "lon": ""}, 400, "both latitude and longitude"),
        ({"lat": "north"}, 400, "decimal degrees"),
        ({"description": "好地方<script>alert(1)</script>"}, 400, "HTML tags and scripts are not allowed"),
        ({"name_en": "<b>Bold</b>"}, 400, "HTML tags and scripts are not allowed"),
        ({"desks_free": "500"}, 400, "more than the capacity"),
        ({"capacity": "many"}, 400, "whole number"),
        ({"website": "javascript:alert(1)"}, 400, "https://"),
        ({"region_id": "atlantis"}, 400, "Region"),
    ],
)
def test_bad_listing_input_names_the_field(app, changes, status, message):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    a = signed_in(app, "a@example.cn")
    response = _edit(a, "chengguan-maker", **changes)
    assert response.status_code == status
    body = response.get_data(as_text=True)
    assert message in body and "There is a problem" in body
    check_page(body, "en")
    with app.app_context():
        assert db.session().scalars(select(PlaceRevision)).first() is None


def test_photos_are_checked_by_content_resized_and_stripped(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    a = signed_in(app, "a@example.cn")
    disguised = _edit(a, "chengguan-maker", photos=(io.BytesIO(b"MZ\x90\x00 not a photo"), "门头.jpg"))
    assert disguised.status_code == 400 and "not a photo" in disguised.get_data(as_text=True)
    pdf_as_jpg = _edit(a, "chengguan-maker", photos=(io.BytesIO(PDF), "门头.jpg"))
    assert pdf_as_jpg.status_code == 400
    big = _edit(a, "chengguan-maker", photos=(io.BytesIO(b"\xff\xd8\xff" + b"0" * 400_000), "大图.jpg"))
    assert big.status_code == 400 and "larger than" in big.get_data(as_text=True)
    good = _edit(a, "chengguan-maker", photos=(io.BytesIO(jpeg_with_gps()), "门头.jpg"))
    assert good.status_code == 303
    with app.app_context():
        stored = db.session().scalars(select(StoredFile)).one()
    image = Image.open(app.config["UPLOAD_DIR"] / f"{stored.id}.jpg")
    assert max(image.size) == 400 and not image.getexif() and "exif" not in image.info
    with app.app_context():
        revision = db.session().scalars(select(PlaceRevision)).one()
    assert revision.data["photos"] == [stored.id]
    assert app.test_client().get(f"/places/photos/{stored.id}.jpg").status_code == 404  # not approved yet
    reviewer = signed_in(app, "reviewer@example.gov.cn")
    assert reviewer.get(f"/staff/moderation/photos/{stored.id}").status_code == 200
    reviewer.post(f"/staff/moderation/revisions/{revision.id}/approve", data={"version": revision.version})
    assert app.test_client().get(f"/places/photos/{stored.id}.jpg").status_code == 200


def test_at_most_ten_photos(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    with app.app_context():
        db.session().get(Place, "chengguan-maker").photos = [f"{i:032x}" for i in range(10)]
        db.session().commit()
    a = signed_in(app, "a@example.cn")
    response = _edit(a, "chengguan-maker", photos=(io.BytesIO(jpeg_with_gps((50, 50))), "a.jpg"))
    assert response.status_code == 400 and "At most 10 photos" in response.get_data(as_text=True)


def test_claim_needs_evidence_checked_by_content(app):
    make_operator(app, "a@example.cn")
    a = signed_in(app, "a@example.cn")
    response = a.post(
        "/operator/places/chengguan-maker/claim?lang=en",
        data={"note": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "Attach a document" in response.get_data(as_text=True)
    response = a.post(
        "/operator/places/chengguan-maker/claim?lang=en",
        data={"evidence": (io.BytesIO(b"<html><script>"), "备案.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "Only PDF" in response.get_data(as_text=True)
    ok = {"evidence": (io.BytesIO(PDF), "备案.pdf")}
    assert (
        a.post(
            "/operator/places/chengguan-maker/claim", data=ok, content_type="multipart/form-data"
        ).status_code
        == 303
    )
    again = a.post(
        "/operator/places/chengguan-maker/claim?lang=en",
        data={"evidence": (io.BytesIO(PDF), "备案.pdf")},
        content_type="multipart/form-data",
    )
    assert again.status_code == 409 and "already claimed" in again.get_data(as_text=True)
    assert len(list(app.config["UPLOAD_DIR"].glob("*.pdf"))) == 1  # the second file was not kept
    with app.app_context():
        assert len(db.session().scalars(select(PlaceClaim)).all()) == 1
    assert a.get("/operator/places/no-such/claim").status_code == 404


def test_reminders_command_and_freshness(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    today = utcnow().date()
    with app.app_context():
        session = db.session()
        session.get(Place, "chengguan-maker").last_confirmed_on = today - dt.timedelta(days=80)
        session.get(Place, "lanzhou-hub").last_confirmed_on = today - dt.timedelta(days=120)
        session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "reminders sent 1" in result.output
    reminder = [m for m in mails(app) if m["To"] == "a@example.cn"]
    assert len(reminder) == 1 and "城关创客空间" in reminder[0]["Subject"]
    assert "reminders sent 0" in runner.invoke(args=["reminders", "send"]).output  # once per confirmation
    # The stale listing says so and ranks after the confirmed one.
    page = app.test_client().get("/places/lanzhou-hub?lang=en").get_data(as_text=True)
    assert "Not confirmed since" in page
    listing = app.test_client().get("/places?lang=en").get_data(as_text=True)
    assert listing.count("Not confirmed since") == 1  # the directory says it too, for that one only
    with app.app_context():
        app.extensions["search"].rebuild(
            __import__("portal.search.documents", fromlist=["x"]).all_documents(db.session())
        )
    ranked = app.test_client().get("/api/v1/places", query_string={"q": "创业者"}).get_json()["results"]
    assert [r["id"] for r in ranked] == ["chengguan-maker", "lanzhou-hub"]
    by_name = app.test_client().get("/api/v1/places", query_string={"sort": "title"}).get_json()["results"]
    assert [r["id"] for r in by_name] == ["chengguan-maker", "lanzhou-hub"]
    # Confirming restarts the period.
    a = signed_in(app, "a@example.cn")
    assert a.post("/operator/places/chengguan-maker/confirm").status_code == 303
    assert _place(app, "chengguan-maker").last_confirmed_on == today


def test_closed_space_stays_visible_as_history(app):
    with app.app_context():
        db.session().get(Place, "lanzhou-hub").status = "closed"
        db.session().commit()
    page = app.test_client().get("/places/lanzhou-hub?lang=en")
    assert page.status_code == 200 and "kept here as a record" in page.get_data(as_text=True)


def test_public_feedback_reaches_operator_and_staff_and_is_rate_limited(tmp_path):
    app = operator_app(tmp_path, WTF_CSRF_ENABLED=True, FEEDBACK_PER_HOUR=2)
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    visitor = app.test_client()
    assert (
        visitor.post(
            "/places/chengguan-maker/feedback", data={"kind": "correction", "body": "电话已经换了"}
        ).status_code
        == 400
    )
    page = visitor.get("/places/chengguan-maker/feedback?kind=problem&lang=en").get_data(as_text=True)
    check_page(page, "en")
    token = form_values(page)["csrf_token"]
    for _ in range(2):
        response = visitor.post(
            "/places/chengguan-maker/feedback",
            data={"csrf_token": token, "kind": "correction", "body": "电话已经换了，新号码是0931-1111111"},
        )
        assert response.status_code == 303
    limited = visitor.post(
        "/places/chengguan-maker/feedback?lang=en",
        data={"csrf_token": token, "kind": "problem", "body": "门口施工无法进入"},
    )
    assert limited.status_code == 429 and "Too many reports" in limited.get_data(as_text=True)
    assert any(m["To"] == "a@example.cn" for m in mails(app))
    assert any(m["To"] == "moderation@example.gov.cn" for m in mails(app))
    assert visitor.get("/places/no-such/feedback").status_code == 404


def test_operator_home_shows_figures_for_30_days(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    public = app.test_client()
    public.get("/places/chengguan-maker")
    public.get("/places/chengguan-maker")  # the same visitor on the same day counts once
    public.get("/places/chengguan-maker?from=map", headers={"User-Agent": "another visitor"})
    public.post("/places/chengguan-maker/feedback", data={"kind": "correction", "body": "开放时间有误"})
    page = signed_in(app, "a@example.cn").get("/operator/?lang=en").get_data(as_text=True)
    doc = check_page(page, "en")
    figures = {
        row.find("th").text: row.find("td").text for row in doc.find("table", class_="facts").find_all("tr")
    }
    assert figures == {"Page views": "2", "Opened from the map": "1", "Corrections and reports": "1"}
    assert "开放时间有误" in page


def test_queue_flags_revisions_older_than_five_working_days(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    _edit(signed_in(app, "a@example.cn"), "chengguan-maker", desks_free="4")
    with app.app_context():
        session = db.session()
        session.scalars(select(PlaceRevision)).one().submitted_at = utcnow() - dt.timedelta(days=10)
        session.commit()
    page = signed_in(app, "reviewer@example.gov.cn").get("/staff/moderation/?lang=en").get_data(as_text=True)
    assert "overdue" in page and "working days" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_new_pages_pass_the_structure_checks(app, lang):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    a = signed_in(app, "a@example.cn")
    _edit(a, "chengguan-maker", desks_free="4")
    a.post(
        "/operator/places/lanzhou-hub/claim",
        data={"evidence": (io.BytesIO(PDF), "备案.pdf")},
        content_type="multipart/form-data",
    )
    with app.app_context():
        revision = db.session().scalars(select(PlaceRevision)).one()
        claim = db.session().scalars(select(PlaceClaim).where(PlaceClaim.state == "pending")).one()
    html_lang = "zh-Hans" if lang == "zh" else "en"
    anonymous = app.test_client()
    for url in (
        "/operator/signup",
        "/operator/signup/sent",
        "/operator/verify/bad-token",
        "/places/chengguan-maker",
        "/places/chengguan-maker/feedback",
    ):
        check_page(anonymous.get(f"{url}?lang={lang}").get_data(as_text=True), html_lang)
    for url in (
        "/operator/",
        "/operator/claim",
        "/operator/claim?q=兰州",
        "/operator/places/new",
        "/operator/places/chengguan-maker/edit",
        f"/operator/revisions/{revision.id}",
        f"/operator/claims/{claim.id}",
        "/operator/places/lanzhou-hub/claim",
    ):
        response = a.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
        assert response.status_code == 200, url
        check_page(response.get_data(as_text=True), html_lang)
    reviewer = signed_in(app, "reviewer@example.gov.cn")
    for url in (
        "/staff/moderation/",
        f"/staff/moderation/revisions/{revision.id}",
        f"/staff/moderation/claims/{claim.id}",
    ):
        check_page(reviewer.get(f"{url}?lang={lang}").get_data(as_text=True), html_lang)


def test_unverified_and_bad_tokens(app):
    anonymous = app.test_client()
    assert anonymous.get("/operator/verify/not-a-token").status_code == 400
    assert anonymous.get("/operator/").status_code == 302
    response = anonymous.post(
        "/operator/signup",
        data={
            "organisation": "x",
            "contact_name": "y",
            "phone": "abc",
            "email": "nope",
            "password": "short",
            "confirm": "other",
        },
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert body.count('class="field-error"') >= 4


def test_claim_question_answered_with_new_evidence_then_approved(app):
    make_operator(app, "a@example.cn")
    a = signed_in(app, "a@example.cn")
    a.post(
        "/operator/places/lanzhou-hub/claim",
        data={"evidence": (io.BytesIO(PDF), "租赁合同.pdf")},
        content_type="multipart/form-data",
    )
    with app.app_context():
        claim = db.session().scalars(select(PlaceClaim)).one()
    reviewer = signed_in(app, "reviewer@example.gov.cn")
    reviewer.post(
        f"/staff/moderation/claims/{claim.id}/ask",
        data={"version": _version(app, PlaceClaim, claim.id), "reason": "请提供备案文件"},
    )
    assert (
        reviewer.post(
            f"/staff/moderation/claims/{claim.id}/approve",
            data={"version": _version(app, PlaceClaim, claim.id)},
        ).status_code
        == 303
    )
    with app.app_context():
        assert db.session().get(PlaceClaim, claim.id).state == "needs_info"  # waits for the answer
    page = a.get(f"/operator/claims/{claim.id}?lang=en").get_data(as_text=True)
    assert "请提供备案文件" in page and "Send the answer" in page
    a.post(
        f"/operator/claims/{claim.id}/answer",
        content_type="multipart/form-data",
        data={"reason": "已上传备案文件", "evidence": (io.BytesIO(PDF), "备案.pdf")},
    )
    with app.app_context():
        item = db.session().get(PlaceClaim, claim.id)
        assert (
            item.state == "pending"
            and db.session().get(StoredFile, item.evidence_file_id).original_name == "备案.pdf"
        )
    reviewer.post(
        f"/staff/moderation/claims/{claim.id}/approve", data={"version": _version(app, PlaceClaim, claim.id)}
    )
    assert a.get("/operator/places/lanzhou-hub/edit").status_code == 200


def test_signing_up_again_sends_a_new_link_until_the_address_is_confirmed(app):
    form = {
        "organisation": "测试",
        "contact_name": "王五",
        "phone": "0931-1",
        "email": "w@example.cn",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    client = app.test_client()
    assert client.post("/operator/signup", data=form).status_code == 303
    assert client.post("/operator/signup", data=form).status_code == 303
    links = [
        u for m in mails(app) if m["To"] == "w@example.cn" for u in links_in(m) if "/operator/verify/" in u
    ]
    assert len(links) == 2
    client.get(links[-1].split("localhost", 1)[1])
    assert client.post("/operator/signup", data=form).status_code == 303  # now: "you already have one"
    last = [m for m in mails(app) if m["To"] == "w@example.cn"][-1]
    assert "/password/forgot" in last.get_content()
    with app.app_context():
        assert db.session().scalars(select(User).where(User.email == "w@example.cn")).one().role == "operator"


def test_operator_home_reminds_about_listings_near_or_past_the_deadline(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker", "lanzhou-hub"))
    today = utcnow().date()
    with app.app_context():
        db.session().get(Place, "chengguan-maker").last_confirmed_on = today - dt.timedelta(days=10)
        db.session().get(Place, "lanzhou-hub").last_confirmed_on = today - dt.timedelta(days=100)
        db.session().commit()
    doc = check_page(signed_in(app, "a@example.cn").get("/operator/?lang=en").get_data(as_text=True), "en")
    cards = {c.find("h3").text: c.text for c in doc.find_all("article", class_="listing-card")}
    assert "Reminder:" not in cards["城关创客空间"] and "Confirmed as current until" in cards["城关创客空间"]
    assert "Reminder:" in cards["兰州创业孵化器"] and "Not confirmed since" in cards["兰州创业孵化器"]


def test_recognition_certificate_is_stored_and_shown_to_staff(app):
    make_operator(app, "a@example.cn", operates=("chengguan-maker",))
    a = signed_in(app, "a@example.cn")
    refused = _edit(
        a, "chengguan-maker", level="national", certificate=(io.BytesIO(b"MZ\x90\x00"), "证书.pdf")
    )
    assert refused.status_code == 400 and "Only PDF" in refused.get_data(as_text=True)
    response = _edit(
        a,
        "chengguan-maker",
        level="national",
        recognition="国家级众创空间",
        recognition_year="2019",
        certificate=(io.BytesIO(PDF), "认定证书.pdf"),
    )
    assert response.status_code == 303
    with app.app_context():
        revision = db.session().scalars(select(PlaceRevision)).one()
    assert revision.data["recognition_year"] == 2019 and revision.data["certificate_file_id"]
    page = signed_in(app, "reviewer@example.gov.cn").get(f"/staff/moderation/revisions/{revision.id}?lang=en")
    body = page.get_data(as_text=True)
    assert "Download the certificate" in body and "Year recognised" in body and "国家级众创空间" in body


def test_loading_the_content_files_again_keeps_what_operators_had_approved(tmp_path):
    import shutil

    from portal.content.loader import load_content
    from portal.operators import services
    from tests.conftest import CONTENT, make_app

    content = tmp_path / "content"
    shutil.copytree(CONTENT / "regions", content / "regions")
    shutil.copy(CONTENT / "taxonomies.yaml", content)
    (content / "policies").mkdir()
    (content / "places").mkdir()
    entry = (
        "- id: test-space\n  type: makerspace\n  name: 测试空间\n  region: gansu-lanzhou-chengguan\n"
        "  description: {text}\n  status: active\n  source: {{ref: S4 L1}}\n  verified: false\n"
    )
    (content / "places" / "test.yaml").write_text(entry.format(text="种子文件的描述。"), encoding="utf-8")
    app = make_app(tmp_path, MAIL_OUTBOX=tmp_path / "outbox")
    make_user(app, "reviewer@example.gov.cn", "reviewer")
    with app.app_context():
        load_content(db.session(), content)
        db.session().commit()
    user_id = make_operator(app, "a@example.cn", operates=("test-space",))
    with app.app_context():
        session = db.session()
        place = session.get(Place, "test-space")
        data = {**services.place_fields(place), "desks_free": 6, "description": "运营方更新的描述。"}
        user = session.get(User, user_id)
        revision = services.submit_change(session, user, place, data, services.edit_token(session, place))
        reviewer = session.scalars(select(User).where(User.role == "reviewer")).one()
        services.act(session, reviewer, revision, "approve")
        session.commit()
    (content / "places" / "test.yaml").write_text(entry.format(text="种子文件改过的描述。"), encoding="utf-8")
    with app.app_context():
        session = db.session()
        report = load_content(session, content)
        session.commit()
        place = session.get(Place, "test-space")
        assert (place.description, place.desks_free) == ("运营方更新的描述。", 6)
        assert report.places_updated == 0
