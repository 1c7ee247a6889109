"""A back office a small team can run: publishing alone with a reason, readable diffs, local times."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal import db
from portal.core.audit import AuditEntry
from portal.publishing.diff import word_diff
from tests.staffing import client_for, make_user
from tests.test_staff_workflow import NEW_POLICY, _act, _latest_revision


def test_an_administrator_alone_publishes_only_with_a_reason_shown_on_the_dashboard(staff_app):
    make_user(staff_app, "admin@example.gov.cn", "admin")
    admin = client_for(staff_app, "admin@example.gov.cn")
    admin.post("/staff/policies/new", data=NEW_POLICY)
    _act(admin, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    page = admin.get(f"/staff/revisions/{rev.id}?lang=en").get_data(as_text=True)
    explanation = page.index("another reviewer must approve it")
    assert explanation < page.index("Publish alone, with a reason") and "Invite a reviewer" in page
    _act(admin, rev, "approve_alone", reason="  ")
    assert _latest_revision(staff_app, NEW_POLICY["id"]).state == "in_review"
    _act(admin, rev, "approve_alone", reason="只有一名审核人，通知须在今天发布")
    assert _latest_revision(staff_app, NEW_POLICY["id"]).state == "published"
    with staff_app.app_context():
        entry = db.session().scalars(select(AuditEntry).where(AuditEntry.action == "approve_alone")).one()
        assert entry.reason == "只有一名审核人，通知须在今天发布" and entry.entity_id == NEW_POLICY["id"]
    dashboard = client_for(staff_app, "editor@example.gov.cn").get("/staff/dashboard/?lang=en")
    assert "只有一名审核人，通知须在今天发布" in dashboard.get_data(as_text=True)


def test_a_reviewer_who_is_not_admin_cannot_publish_alone(staff_app):
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    reviewer.post("/staff/policies/new", data=NEW_POLICY)
    _act(reviewer, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    page = reviewer.get(f"/staff/revisions/{rev.id}?lang=en").get_data(as_text=True)
    assert "ask an administrator to invite one" in page and "Publish alone" not in page
    _act(reviewer, rev, "approve_alone", reason="急")
    assert _latest_revision(staff_app, NEW_POLICY["id"]).state == "in_review"


def test_chinese_text_is_compared_word_by_word():
    pieces = word_diff("对众创空间给予房租补贴50%", "对认定的众创空间给予房租补贴60%")
    assert ("added", "认定的") in pieces and ("removed", "50") in pieces and ("added", "60") in pieces
    assert ("equal", "众创空间给予房租补贴") in pieces


def test_every_field_a_revision_changes_has_a_label_and_the_form_edits_it():
    from portal.policies import fields
    from portal.publishing.readable import FIELD_LABELS, GUIDE_LABELS
    from portal.staff.forms import PolicyForm

    assert list(FIELD_LABELS) == list(fields.REVISION_FIELDS)
    assert list(GUIDE_LABELS) == list(fields.GUIDE_FIELDS)
    form_fields = {name for name, value in vars(PolicyForm).items() if hasattr(value, "field_class")}
    assert {*fields.FORM_FIELDS, *fields.DATE_FIELDS, *fields.GUIDE_TEXTS} <= form_fields


def test_the_review_page_names_fields_in_words_and_marks_words_changed(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    editor.post("/staff/policies/new", data=NEW_POLICY)
    _act(editor, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    _act(reviewer, _latest_revision(staff_app, NEW_POLICY["id"]), "approve")
    changed = {**NEW_POLICY, "summary": "入驻认定众创空间的初创企业可申请房租补贴。", "level": "city"}
    editor.post(f"/staff/policies/{NEW_POLICY['id']}/edit", data=changed)
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    page = reviewer.get(f"/staff/revisions/{rev.id}?lang=en").get_data(as_text=True)
    assert '<th scope="row">Summary</th>' in page and '<th scope="row">Level</th>' in page
    assert '<span class="visually-hidden">added: </span>认定' in page
    assert "District" in page and "City" in page and '"summary"' not in page


def test_staff_times_are_shown_in_china_standard_time(staff_app):
    from portal.core.localtime import local_time

    with staff_app.app_context():
        assert local_time(dt.datetime(2026, 12, 1, 20, 30)) == "2026-12-02 04:30 UTC+8"


def test_second_factor_set_up_shows_a_qr_code_of_the_key_beside_it(tmp_path):
    import html
    import re

    import segno

    from portal.accounts import services
    from tests.conftest import make_app
    from tests.staffing import PASSWORD

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    with app.app_context():
        services.create_user(db.session(), "new@example.gov.cn", PASSWORD, "editor")
        db.session().commit()
    client = app.test_client()
    client.post("/login", data={"email": "new@example.gov.cn", "password": PASSWORD})
    page = client.get("/login/setup?lang=en").get_data(as_text=True)
    uri = html.unescape(re.search(r"<code>(otpauth://[^<]+)</code>", page).group(1))
    secret = re.search(r'class="secret" lang="en">([A-Z2-7]+)<', page).group(1)
    assert f"secret={secret}" in uri
    expected = segno.make(uri, error="m").svg_inline(scale=5, title="x", border=4)
    path = re.search(r'<path[^>]* d="([^"]+)"', expected).group(1)
    assert path in page and page.index("<svg") < page.index('class="secret"')


def test_a_claim_started_before_signing_up_continues_after_it(tmp_path):
    import re

    from tests.operating import operator_app

    app = operator_app(tmp_path)
    client = app.test_client()
    place_page = client.get("/places/chengguan-maker?lang=en").get_data(as_text=True)
    assert "/operator/places/new" in place_page and "/operator/signup" in place_page  # header and page
    start = client.get("/operator/places/chengguan-maker/claim")
    login = start.headers["Location"]
    assert "/login" in login
    login_page = client.get(login + "&lang=en").get_data(as_text=True)
    signup = re.search(r'href="(/operator/signup\?next=[^"]+)"', login_page).group(1)
    assert "claim" in signup
    response = client.post(
        signup.replace("&amp;", "&"),
        data={
            "email": "newop@example.cn",
            "password": "a long enough password",
            "confirm": "a long enough password",
            "organisation": "城关创客",
            "contact_name": "李四",
            "phone": "0931-1234567",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    from tests.test_alerts import mails

    link = re.search(r"http://localhost(/operator/verify/\S+)", mails(app)[-1].get_content()).group(1)
    verified = client.get(link)
    assert verified.status_code == 302
    assert "next=/operator/places/chengguan-maker/claim" in verified.headers["Location"]
    signed_in = client.post(
        verified.headers["Location"], data={"email": "newop@example.cn", "password": "a long enough password"}
    )
    assert "/operator/places/chengguan-maker/claim" in signed_in.headers["Location"]


def test_refused_actions_explain_why_and_what_to_do(tmp_path):
    from tests.operating import make_operator, operator_app

    app = operator_app(tmp_path)
    make_operator(app, "owner@example.cn", operates=("chengguan-maker",))
    make_user(app, "editor@example.gov.cn", "editor")
    owner = client_for(app, "owner@example.cn")
    refused = owner.get("/operator/places/lanzhou-hub/edit?lang=en")
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "You do not operate this listing yet" in text and "/operator/places/lanzhou-hub/claim" in text
    editor = client_for(app, "editor@example.gov.cn")
    refused = editor.get("/staff/users?lang=en")
    assert refused.status_code == 403
    text = refused.get_data(as_text=True)
    assert "Administrator" in text and "editor@example.gov.cn" in text and "What you can do instead" in text


def test_listing_changes_show_coded_fields_in_words(tmp_path):
    from sqlalchemy import select

    from portal.operators.models import PlaceRevision
    from tests.operating import form_values, make_operator, operator_app

    app = operator_app(tmp_path)
    make_operator(app, "owner@example.cn", operates=("chengguan-maker",))
    owner = client_for(app, "owner@example.cn")
    page = owner.get("/operator/places/chengguan-maker/edit").get_data(as_text=True)
    values = form_values(page)
    values["status"] = "planned" if values.get("status") != "planned" else "active"
    response = owner.post(
        "/operator/places/chengguan-maker/edit?lang=en", data=values, content_type="multipart/form-data"
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:1000]
    with app.app_context():
        rev_id = db.session().scalars(select(PlaceRevision.id)).one()
    reviewer = client_for(app, "reviewer@example.gov.cn")
    text = reviewer.get(f"/staff/moderation/revisions/{rev_id}?lang=en").get_data(as_text=True)
    assert "<ins>Planned</ins>" in text or "<ins>Active</ins>" in text


def test_a_benefit_draft_is_compared_key_by_key_and_word_by_word(staff_app):
    from tests.test_staff_benefits import _revision_id, _save, _source

    editor = client_for(staff_app, "editor@example.gov.cn")
    data = _source(staff_app)
    data["summary"] = data.get("summary", "") + "测试新增词语。"
    rid = _revision_id(_save(editor, data))
    page = editor.get(f"/staff/benefits/revisions/{rid}?lang=en").get_data(as_text=True)
    assert '<th scope="row"><code>summary</code></th>' in page
    assert '<span class="visually-hidden">added: </span>测试新增词语。</ins>' in page
    assert "<code>conditions</code>" not in page  # unchanged keys are not listed
