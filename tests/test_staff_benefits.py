"""Staff edit a benefit's rules as YAML; a reviewer publishes only when every case passes."""

from __future__ import annotations

import re

import pytest
import yaml
from sqlalchemy import select

from portal import db
from portal.core.audit import AuditEntry
from portal.eligibility.models import Benefit, BenefitRevision, ResultFeedback
from tests.pages import check_page
from tests.staffing import client_for

BENEFIT = "rd-expense-super-deduction"


def _source(app) -> dict:
    with app.app_context():
        return dict(db.session().get(Benefit, BENEFIT).definition)


def _save(client, data: dict | str, benefit_id: str = BENEFIT):
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return client.post(f"/staff/benefits/{benefit_id}/edit", data={"source": text})


def _revision_id(response) -> int:
    return int(re.search(r"/staff/benefits/revisions/(\d+)", response.headers["Location"]).group(1))


def _publish(client, app, revision_id: int):
    with app.app_context():
        version = db.session().get(BenefitRevision, revision_id).lock_version
    return client.post(f"/staff/benefits/revisions/{revision_id}/publish", data={"version": str(version)})


def test_pages_are_well_formed(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    urls = ("/staff/benefits", f"/staff/benefits/{BENEFIT}/edit", "/staff/benefits/new", "/staff/feedback")
    for url in urls:
        for lang, html_lang in (("zh", "zh-Hans"), ("en", "en")):
            response = editor.get(f"{url}?lang={lang}")
            assert response.status_code == 200, url
            check_page(response.get_data(as_text=True), html_lang)


def test_change_reviewed_and_published_reaches_the_wizard_and_search(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    data = _source(staff_app)
    data["name"] = "研发费用加计扣除（新）"
    data["summary"] = "修订后的摘要，测试词语甲乙丙丁。"
    response = _save(editor, data)
    assert response.status_code == 302
    rid = _revision_id(response)
    assert "1 benefit rule draft" in editor.get("/staff/?lang=en").get_data(as_text=True)
    page = editor.get(f"/staff/benefits/revisions/{rid}").get_data(as_text=True)
    check_page(page)
    assert "研发费用加计扣除（新）" in page  # the diff shows the change
    # The public still sees the published version while the draft waits.
    assert "（新）" not in editor.get(f"/benefits/{BENEFIT}").get_data(as_text=True)
    # The author cannot publish their own change.
    own = _publish(client_for(staff_app, "editor@example.gov.cn"), staff_app, rid)
    assert own.status_code == 303
    with staff_app.app_context():
        assert db.session().get(BenefitRevision, rid).state == "draft"
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    assert _publish(reviewer, staff_app, rid).status_code == 303
    with staff_app.app_context():
        session = db.session()
        assert session.get(BenefitRevision, rid).state == "published"
        assert session.get(Benefit, BENEFIT).name == "研发费用加计扣除（新）"
        actions = [
            e.action
            for e in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_type == "benefit", AuditEntry.entity_id == BENEFIT)
                .order_by(AuditEntry.id)
            )
        ]
        assert actions == ["create_revision", "publish"]
    public = staff_app.test_client()
    assert "（新）" in public.get(f"/benefits/{BENEFIT}").get_data(as_text=True)
    found = public.get("/api/v1/search", query_string={"q": "甲乙丙丁", "type": "benefit"}).get_json()
    assert [r["id"] for r in found["results"]] == [BENEFIT]
    body = public.post("/api/v1/eligibility", json={"answers": {}}).get_json()
    names = {r["benefit_id"]: r["name"] for r in body["results"]}
    assert names[BENEFIT] == "研发费用加计扣除（新）"


def test_a_change_whose_cases_fail_is_saved_but_cannot_be_published(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    data = _source(staff_app)
    for case in data["cases"]:
        if case["expect"] == "eligible":
            case["answers"] = {**case["answers"], "has_rd_expenses": False}
    response = _save(editor, data)
    assert response.status_code == 302
    rid = _revision_id(response)
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    assert _publish(reviewer, staff_app, rid).status_code == 303
    with staff_app.app_context():
        session = db.session()
        rev = session.get(BenefitRevision, rid)
        assert rev.state == "draft" and not rev.cases_pass
        assert any(not c["passed"] for c in rev.case_report)
        assert session.get(Benefit, BENEFIT).definition["cases"] == _source(staff_app)["cases"]


@pytest.mark.parametrize(
    "text,field",
    [
        ("id: [unclosed", "source"),
        ("- just\n- a list\n", "(definition)"),
    ],
)
def test_unreadable_yaml_is_refused_and_nothing_saved(staff_app, text, field):
    editor = client_for(staff_app, "editor@example.gov.cn")
    response = _save(editor, text)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    check_page(html)
    assert field in html
    with staff_app.app_context():
        assert db.session().scalar(select(BenefitRevision)) is None


def test_invalid_rules_name_the_field(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    data = _source(staff_app)
    data["conditions"]["all"][0] = {
        "id": "x",
        "text": "x",
        "text_en": "x",
        "source": "x",
        "fact": "shoe_size",
        "max": 3,
    }
    data["kind"] = "lottery"
    response = _save(editor, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "conditions.all[0].fact" in html and "kind" in html
    data = _source(staff_app)
    data["id"] = "another-id"
    response = _save(editor, data)
    assert response.status_code == 400 and "another-id" in response.get_data(as_text=True)


def test_two_reviewers_cannot_both_publish(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    data = _source(staff_app)
    data["summary"] = "并发测试"
    rid = _revision_id(_save(editor, data))
    with staff_app.app_context():
        version = db.session().get(BenefitRevision, rid).lock_version
    first = client_for(staff_app, "reviewer@example.gov.cn")
    second = client_for(staff_app, "reviewer2@example.gov.cn")
    url = f"/staff/benefits/revisions/{rid}/publish"
    assert first.post(url, data={"version": version}).status_code == 303
    second.post(url, data={"version": version})
    with staff_app.app_context():
        entries = db.session().scalars(select(AuditEntry).where(AuditEntry.action == "publish")).all()
        assert len(entries) == 1


def test_new_benefit_from_the_template(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    template = editor.get("/staff/benefits/new").get_data(as_text=True)
    assert "new-benefit-id" in template
    data = yaml.safe_load(
        re.search(r"<textarea[^>]*>(.*?)</textarea>", template, re.S)
        .group(1)
        .replace("&#34;", '"')
        .replace("&#39;", "'")
    )
    data["id"] = "test-new-benefit"
    response = editor.post("/staff/benefits/new", data={"source": yaml.safe_dump(data, allow_unicode=True)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    rid = _revision_id(response)
    assert _publish(client_for(staff_app, "reviewer@example.gov.cn"), staff_app, rid).status_code == 303
    assert staff_app.test_client().get("/benefits/test-new-benefit").status_code == 200
    again = editor.post("/staff/benefits/new", data={"source": yaml.safe_dump(data, allow_unicode=True)})
    assert again.status_code == 400


def test_feedback_queue(staff_app):
    with staff_app.app_context():
        session = db.session()
        session.add(
            ResultFeedback(
                benefit_id=BENEFIT,
                answers="applicant=company",
                ruleset_version="v",
                message="结果似乎不对",
                state="new",
            )
        )
        session.commit()
        fid = session.scalar(select(ResultFeedback.id))
    editor = client_for(staff_app, "editor@example.gov.cn")
    assert "结果似乎不对" in editor.get("/staff/feedback").get_data(as_text=True)
    assert editor.post(f"/staff/feedback/{fid}/resolve").status_code == 303
    assert "结果似乎不对" not in editor.get("/staff/feedback").get_data(as_text=True)
    assert "结果似乎不对" in editor.get("/staff/feedback?state=resolved").get_data(as_text=True)
