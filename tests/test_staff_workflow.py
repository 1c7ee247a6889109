"""The publishing workflow through the test client: draft → review → published → withdrawn."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal import db
from portal.core.audit import AuditEntry
from portal.core.clock import utcnow
from portal.policies.models import Policy
from portal.publishing import services as publishing
from portal.publishing.models import PolicyRevision
from tests.staffing import client_for

NEW_POLICY = {
    "id": "chengguan-rent-subsidy-test",
    "title": "城关区众创空间房租补贴试行办法",
    "title_en": "Chengguan maker space rent subsidy trial measures",
    "level": "district",
    "region_id": "gansu-lanzhou-chengguan",
    "date_precision": "day",
    "issued_on": "2026-11-01",
    "status": "in_force",
    "categories": ["space_carrier"],
    "summary": "入驻众创空间的初创企业可申请房租补贴。",
    "body": "## 第一条\n\n补贴对象为入驻认定众创空间的初创企业。<script>alert(1)</script>",
    "address": "城关区政务服务中心双创服务台",
    "phone": "0931-1234567",
    "steps": "提交申请 | 携带营业执照\n审核",
    "source_kind": "public",
    "source_ref": "测试",
    "cites": "chengguan-base-work-plan",
}


def _latest_revision(app, policy_id):
    with app.app_context():
        return (
            db.session()
            .scalars(
                select(PolicyRevision)
                .where(PolicyRevision.policy_id == policy_id)
                .order_by(PolicyRevision.number.desc())
            )
            .first()
        )


def _act(client, revision, action, **data):
    return client.post(f"/staff/revisions/{revision.id}/{action}", data={"version": revision.version, **data})


def test_new_policy_goes_through_review_and_reaches_search_and_feed(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    public = staff_app.test_client()

    response = editor.post("/staff/policies/new", data=NEW_POLICY)
    assert response.status_code == 302
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    assert rev.state == "draft"
    assert public.get(f"/policies/{NEW_POLICY['id']}").status_code == 404

    _act(editor, rev, "submit")
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    assert rev.state == "in_review"

    # The author cannot approve their own change, even holding the reviewer role elsewhere.
    _act(editor, rev, "approve")
    assert _latest_revision(staff_app, NEW_POLICY["id"]).state == "in_review"

    _act(reviewer, rev, "approve")
    assert _latest_revision(staff_app, NEW_POLICY["id"]).state == "published"

    page = public.get(f"/policies/{NEW_POLICY['id']}").get_data(as_text=True)
    assert "城关区众创空间房租补贴试行办法" in page
    assert "<script>alert(1)</script>" not in page
    assert "0931-1234567" in page and "携带营业执照" in page
    found = public.get("/api/v1/search", query_string={"q": "房租补贴试行办法"}).get_json()
    assert NEW_POLICY["id"] in [r["id"] for r in found["results"]]
    assert NEW_POLICY["id"] in public.get("/feeds/policies.atom").get_data(as_text=True)

    with staff_app.app_context():
        trail = [
            (e.action, e.from_state, e.to_state)
            for e in db.session().scalars(
                select(AuditEntry).where(AuditEntry.entity_id == NEW_POLICY["id"]).order_by(AuditEntry.id)
            )
        ]
    assert trail == [
        ("create_revision", None, "draft"),
        ("submit", "draft", "in_review"),
        ("approve", "in_review", "published"),
    ]


def test_rejection_needs_a_reason_and_returns_the_draft(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    editor.post("/staff/policies/new", data=NEW_POLICY)
    _act(editor, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    page = _act(reviewer, rev, "reject", reason="").get_data(as_text=True)
    assert _latest_revision(staff_app, NEW_POLICY["id"]).state == "in_review"
    _act(reviewer, rev, "reject", reason="请补充受理时限")
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    assert rev.state == "rejected" and rev.reason == "请补充受理时限"
    editor.post(f"/staff/policies/{NEW_POLICY['id']}/edit", data={**NEW_POLICY, "time_limit": "20个工作日"})
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    assert rev.state == "draft" and rev.data["guide"]["time_limit"] == "20个工作日"
    assert page is not None


def test_editing_a_published_policy_keeps_the_public_version_until_approved(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    public = staff_app.test_client()
    form = editor.get("/staff/policies/chengguan-base-plan-notice/edit")
    assert form.status_code == 200
    with staff_app.app_context():
        policy = db.session().get(Policy, "chengguan-base-plan-notice")
        data = {
            "id": policy.id,
            "title": policy.title + "（修订）",
            "level": policy.level,
            "region_id": policy.region_id,
            "date_precision": policy.date_precision,
            "status": policy.status,
            "categories": [c.id for c in policy.categories],
            "summary": policy.summary,
            "body": policy.body,
            "source_kind": policy.source_kind,
            "source_ref": policy.source_ref,
        }
    assert editor.post("/staff/policies/chengguan-base-plan-notice/edit", data=data).status_code == 302
    rev = _latest_revision(staff_app, "chengguan-base-plan-notice")
    _act(editor, rev, "submit")
    page = public.get("/policies/chengguan-base-plan-notice").get_data(as_text=True)
    assert "（修订）" not in page
    diff = reviewer.get(f"/staff/revisions/{rev.id}").get_data(as_text=True)
    assert "（修订）" in diff and "<ins>" in diff
    _act(reviewer, _latest_revision(staff_app, "chengguan-base-plan-notice"), "approve")
    assert "（修订）" in public.get("/policies/chengguan-base-plan-notice").get_data(as_text=True)


def test_scheduled_publication_happens_when_due(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    editor.post("/staff/policies/new", data=NEW_POLICY)
    _act(editor, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    later = (utcnow() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    _act(reviewer, _latest_revision(staff_app, NEW_POLICY["id"]), "approve", publish_at=later)
    assert _latest_revision(staff_app, NEW_POLICY["id"]).state == "scheduled"
    assert staff_app.test_client().get(f"/policies/{NEW_POLICY['id']}").status_code == 404
    result = staff_app.test_cli_runner().invoke(args=["publishing", "run-due"])
    assert "published 0" in result.output
    with staff_app.app_context():
        session = db.session()
        done = publishing.run_due(session, now=utcnow() + dt.timedelta(days=2))
        session.commit()
    assert done["published"] == 1
    assert staff_app.test_client().get(f"/policies/{NEW_POLICY['id']}").status_code == 200


def test_withdrawn_policy_leaves_pages_api_search_and_feed(staff_app):
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    public = staff_app.test_client()
    pid = "chengguan-base-plan-notice"
    assert reviewer.post(f"/staff/policies/{pid}/withdraw", data={"reason": ""}).status_code == 303
    assert public.get(f"/policies/{pid}").status_code == 200  # no reason: nothing happened
    reviewer.post(f"/staff/policies/{pid}/withdraw", data={"reason": "已被新文件替代"})
    assert public.get(f"/policies/{pid}").status_code == 404
    assert public.get(f"/api/v1/policies/{pid}").status_code == 404
    found = public.get("/api/v1/search", query_string={"q": "通告 城关区 工作方案", "per_page": 100})
    assert pid not in [r["id"] for r in found.get_json()["results"]]
    assert f"/policies/{pid}" not in public.get("/feeds/policies.atom").get_data(as_text=True)
    reviewer.post(f"/staff/policies/{pid}/republish", data={"reason": "误操作"})
    assert public.get(f"/policies/{pid}").status_code == 200


def test_two_reviewers_on_the_same_revision_only_one_wins(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    first = client_for(staff_app, "reviewer@example.gov.cn")
    second = client_for(staff_app, "reviewer2@example.gov.cn")
    editor.post("/staff/policies/new", data=NEW_POLICY)
    _act(editor, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    seen = _latest_revision(staff_app, NEW_POLICY["id"])  # both loaded this version
    _act(first, seen, "approve")
    response = _act(second, seen, "reject", reason="不同意")
    follow = second.get(response.headers["Location"]).get_data(as_text=True)
    assert "Someone else acted" in follow or "其他人" in follow
    assert _latest_revision(staff_app, NEW_POLICY["id"]).state == "published"


def test_form_errors_name_the_field_and_keep_nothing(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    bad = {
        **NEW_POLICY,
        "id": "Bad Id!",
        "summary": "",
        "online_url": "javascript:alert(1)",
        "effective_from": "2026-05-01",
        "effective_to": "2026-01-01",
        "cites": "no-such-policy",
    }
    response = editor.post("/staff/policies/new?lang=en", data=bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for label in ("Identifier", "Summary", "Apply online at", "In force until"):
        assert label in page
    assert _latest_revision(staff_app, "Bad Id!") is None


def test_preview_renders_sanitised_markdown_without_saving(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    response = editor.post("/staff/policies/new", data={**NEW_POLICY, "preview": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h2>第一条</h2>" in page
    assert "<script>alert(1)</script>" not in page.split('id="preview-heading"')[1]
    assert _latest_revision(staff_app, NEW_POLICY["id"]) is None
