"""Service points: content, the office for a founder's region, the map, and the staff review workflow."""

from __future__ import annotations

import re

import yaml
from sqlalchemy import func, select, update

from portal import db
from portal.core.audit import AuditEntry
from portal.core.content_checks import Problems
from portal.core.offices import KINDS
from portal.core.outbox import SearchOutbox
from portal.eligibility import services as eligibility
from portal.places.models import Place
from portal.regions.models import Region
from portal.service_points import services
from portal.service_points.content import read_definition
from portal.service_points.models import ServicePoint, ServicePointRevision
from tests.pages import check_page
from tests.staffing import client_for

POINT = "gansu-lanzhou-chengguan-hr"


def test_every_region_and_kind_resolves_to_an_office_ending_with_the_national_one(content_app):
    with content_app.app_context():
        session = db.session()
        for region in session.scalars(select(Region.id)):
            for kind in KINDS:
                offices = services.office_for(session, region, kind)
                assert offices and offices[-1].region_id == "cn", (region, kind)
        chengguan = services.office_for(session, "gansu-lanzhou-chengguan", "hr")
        assert [p.id for p in chengguan] == [POINT, "cn-hr-12333"]
        assert services.office_for(session, "gansu-lanzhou", "tax")[0].id == "gansu-tax"
        assert session.get(ServicePoint, "cn-tax-12366").definition["phone"] == "12366"
        step = services.next_step(session, "guangdong-shenzhen-nanshan", "science")
        assert step["hotline"].definition["phone"] == "12345"
        assert step["online"][0].definition["online"]["url"] == "https://www.gdzwfw.gov.cn/"


def test_service_points_are_places_on_the_map_with_honest_precision(content_app):
    with content_app.app_context():
        session = db.session()
        points = session.scalars(select(ServicePoint)).all()
        assert len(points) >= 30
        for point in points:
            place = session.get(Place, "sp-" + point.id)
            assert place is not None and place.type == "service_point"
            assert place.phone == point.definition.get("phone")
        desk = session.get(Place, "sp-gansu-lanzhou-chengguan-government-service")
        assert desk.on_map and desk.geo_precision == "district"
        assert not session.get(Place, "sp-cn-tax-12366").on_map  # a hotline has no place on a map


def test_every_benefit_names_a_known_office(content_app):
    with content_app.app_context():
        for benefit in eligibility.ruleset(db.session()).benefits:
            assert (benefit.data.get("apply") or {}).get("office") in KINDS, benefit.id


def test_a_bad_entry_is_refused_naming_the_field():
    problems = Problems()
    read_definition(
        {
            "id": "x",
            "kind": "bank",
            "region": "cn",
            "name": "甲",
            "online": {"name": "a", "url": "ftp://x"},
            "verified": True,
            "source": {"note": "n"},
        },
        "e",
        {"cn"},
        problems,
    )
    text = "\n".join(problems.items)
    for fieldname in ("kind", "online.url", "checked_on", "verified"):
        assert f"'{fieldname}'" in text, fieldname


def test_public_pages_show_offices_and_say_what_is_unverified(client):
    page = client.get("/service-points?region=gansu-lanzhou-chengguan").get_data(as_text=True)
    doc = check_page(page)
    assert "兰州市城关区人力资源和社会保障局" in page and "12333" in page and "12345" in page
    assert "深圳市南山区" not in doc.find("main").text
    assert "未核实" in page
    assert client.get("/service-points?region=atlantis").status_code == 400
    detail = client.get(f"/service-points/{POINT}?lang=en")
    check_page(detail.get_data(as_text=True), "en")
    assert "Not verified" in detail.get_data(as_text=True)


def _save(client, data, point_id=POINT):
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return client.post(f"/staff/service-points/{point_id}/edit", data={"source": text})


def _act(client, app, rid, action, **form):
    with app.app_context():
        version = db.session().get(ServicePointRevision, rid).lock_version
    return client.post(f"/staff/service-points/revisions/{rid}/{action}", data={"version": version, **form})


def test_staff_edit_review_and_publish_a_service_point(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    for url in ("/staff/service-points/", f"/staff/service-points/{POINT}/edit", "/staff/service-points/new"):
        check_page(editor.get(url).get_data(as_text=True))
    with staff_app.app_context():
        data = dict(db.session().get(ServicePoint, POINT).definition)

    bad = _save(editor, {**data, "online": {"name": "甘肃政务服务网", "url": "zwfw.gansu.gov.cn"}})
    assert bad.status_code == 400 and "online.url: must be an http(s) address" in bad.get_data(as_text=True)
    assert _save(editor, "id: [unclosed").status_code == 400

    data["hours"] = "工作日 9:00-17:00（测试）"
    response = _save(editor, data)
    assert response.status_code == 303
    rid = int(re.search(r"/revisions/(\d+)", response.headers["Location"]).group(1))
    page = editor.get(f"/staff/service-points/revisions/{rid}").get_data(as_text=True)
    check_page(page)
    assert "工作日 9:00-17:00（测试）" in page  # in the diff

    assert _act(editor, staff_app, rid, "submit").status_code == 303
    assert _act(editor, staff_app, rid, "approve").status_code == 303  # refused: editors cannot approve
    with staff_app.app_context():
        assert db.session().get(ServicePointRevision, rid).state == "in_review"
    # Returning needs a reason; the author then fixes it and submits again.
    _act(reviewer, staff_app, rid, "reject")
    with staff_app.app_context():
        assert db.session().get(ServicePointRevision, rid).state == "in_review"
    _act(reviewer, staff_app, rid, "reject", reason="请写明来源")
    assert _save(editor, data).status_code == 303
    _act(editor, staff_app, rid, "submit")
    assert "工作日 9:00-17:00（测试）" not in reviewer.get("/service-points?region=gansu").get_data(
        as_text=True
    )
    _act(reviewer, staff_app, rid, "approve")

    with staff_app.app_context():
        session = db.session()
        assert session.get(ServicePointRevision, rid).state == "published"
        assert session.get(ServicePoint, POINT).definition["hours"] == "工作日 9:00-17:00（测试）"
        assert session.get(Place, "sp-" + POINT).opening_hours == "工作日 9:00-17:00（测试）"
        actions = [
            e.action
            for e in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_type == "service_point", AuditEntry.entity_id == POINT)
                .order_by(AuditEntry.id)
            )
        ]
        assert actions == ["create_revision", "submit", "reject", "edit_revision", "submit", "approve"]
        # A content reload keeps what a reviewer published.
        from portal.config import ROOT
        from portal.content.loader import load_content

        load_content(session, ROOT / "content")
        assert session.get(ServicePoint, POINT).definition["hours"] == "工作日 9:00-17:00（测试）"
    assert "工作日 9:00-17:00（测试）" in reviewer.get(
        "/service-points?region=gansu-lanzhou-chengguan"
    ).get_data(as_text=True)


def _stored(app, rid):
    """What a decision on the revision would change: its state, the entry, the listing, the log."""
    with app.app_context():
        session = db.session()
        rev = session.get(ServicePointRevision, rid)
        return {
            "state": (rev.state, rev.lock_version),
            "hours": session.get(ServicePoint, POINT).definition.get("hours"),
            "listing": session.get(Place, "sp-" + POINT).opening_hours,
            "log": session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_id == POINT)
            ),
            "outbox": session.scalar(
                select(func.count()).select_from(SearchOutbox).where(SearchOutbox.entity_id == "sp-" + POINT)
            ),
        }


def _flashes(client) -> list[str]:
    with client.session_transaction() as flask_session:
        return [text for _category, text in flask_session.pop("_flashes", [])]


def test_a_refused_or_lost_decision_stores_nothing(staff_app, monkeypatch):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    with staff_app.app_context():
        data = {**db.session().get(ServicePoint, POINT).definition, "hours": "周一至周五 8:30-12:00"}
    response = _save(editor, data)
    rid = int(re.search(r"/revisions/(\d+)", response.headers["Location"]).group(1))
    _act(editor, staff_app, rid, "submit")
    before = _stored(staff_app, rid)
    assert before["state"][0] == "in_review"

    # Refused: returning without a reason, and a form showing an older version of the revision.
    assert _act(reviewer, staff_app, rid, "reject").status_code == 303
    assert any("Reason:" in text or "原因" in text for text in _flashes(reviewer))
    stale = {"version": before["state"][1] - 1}
    assert reviewer.post(f"/staff/service-points/revisions/{rid}/approve", data=stale).status_code == 303
    assert _stored(staff_app, rid) == before

    # Lost: the version matched when the form was read, but another reviewer's decision was
    # committed while this approval was writing the published entry.
    from portal.service_points import revisions

    apply_definition = revisions.apply_definition

    def another_reviewer_first(session, definition, content_hash):
        with staff_app.extensions["db_engine"].begin() as other:
            other.execute(
                update(ServicePointRevision)
                .where(ServicePointRevision.id == rid)
                .values(
                    state="rejected", reason="来源不明", lock_version=ServicePointRevision.lock_version + 1
                )
            )
        return apply_definition(session, definition, content_hash)

    monkeypatch.setattr(revisions, "apply_definition", another_reviewer_first)
    assert _act(reviewer, staff_app, rid, "approve").status_code == 303
    assert any("Someone else" in text or "其他人" in text for text in _flashes(reviewer))
    after = _stored(staff_app, rid)
    assert after["state"] == ("rejected", before["state"][1] + 1)  # the other reviewer's decision
    assert {k: v for k, v in after.items() if k != "state"} == {
        k: v for k, v in before.items() if k != "state"
    }


def test_every_benefit_and_policy_ends_with_an_office_and_a_flow(client, content_app):
    with content_app.app_context():
        session = db.session()
        benefits = [b.id for b in eligibility.ruleset(session).benefits]
        from portal.policies.models import Policy

        policies = list(session.scalars(select(Policy.id)))
    for url in [f"/benefits/{b}" for b in benefits] + [f"/policies/{p}" for p in policies]:
        page = client.get(url).get_data(as_text=True)
        assert "tel:" in page and "/service-points/" in page, url  # an office with a phone, always
        assert "请向发文机关咨询" not in page and "ask the issuing office" not in page, url
    loan = client.get("/benefits/chengguan-guaranteed-startup-loan").get_data(as_text=True)
    doc = check_page(loan)
    flow = doc.find("ol", class_="flow")
    assert flow is not None and len(flow.find_all("li")) == 4
    assert "兰州市城关区人力资源和社会保障局" in loan
    # The founder's region chooses the office, on benefit and results pages alike.
    national = client.get(
        "/benefits/national-guaranteed-startup-loan-individual?region=guangdong-shenzhen-nanshan"
    )
    assert "深圳市南山区人力资源局" in national.get_data(as_text=True)
    results = client.get(
        "/eligibility/results?applicant=individual&region=gansu-lanzhou-chengguan"
        "&person_groups=registered_unemployed"
    ).get_data(as_text=True)
    assert "兰州市城关区人力资源和社会保障局" in results and 'class="flow"' in results


def test_topic_guides_walk_through_with_an_accessible_flow(client):
    doc = check_page(client.get("/guides").get_data(as_text=True))
    links = [a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("href", "").startswith("/guides/")]
    assert len(links) == 4
    for link in links:
        for lang, html_lang in (("zh", "zh-Hans"), ("en", "en")):
            page = client.get(f"{link}?region=gansu-lanzhou-chengguan&lang={lang}").get_data(as_text=True)
            guide = check_page(page, html_lang)
            flow = guide.find("ol", class_="flow")
            assert flow is not None and flow.attrs.get("aria-label")
            assert all(li.find("span", class_="flow-who") for li in flow.find_all("li"))
    assert client.get("/guides/nothing").status_code == 404
    assert client.get("/guides/loans?region=atlantis").status_code == 400


def test_staff_home_counts_empty_guides_and_lists_items_without_a_contact(staff_app):
    from portal.policies.models import Policy, PolicyGuide

    with staff_app.app_context():
        session = db.session()
        policy = session.get(Policy, "caishui-2018-54")
        policy.guide = PolicyGuide(source="财税〔2018〕54号")  # a guide with nothing a founder can use
        session.commit()
        published = session.scalars(select(Policy).where(Policy.publication_state == "published")).all()
        expected = sum(1 for p in published if not p.has_usable_guide)
        assert not policy.has_usable_guide and expected >= 70
    editor = client_for(staff_app, "editor@example.gov.cn")
    doc = check_page(editor.get("/staff/").get_data(as_text=True))
    heading = doc.find("h2", id="q-guide").text
    assert f"({expected})" in heading
    page = editor.get("/staff/?lang=en").get_data(as_text=True)
    assert "/staff/policies/caishui-2018-54/edit" in page
    contact = check_page(page, "en").find("h2", id="q-contact")
    assert contact is not None and "/staff/benefits/hebei-provincial-innovation-voucher/edit" in page

    # Once a verified local office with a phone exists, its benefits leave the list.
    with staff_app.app_context():
        session = db.session()
        point = session.get(ServicePoint, "hebei-cangzhou-science")
        definition = {
            **point.definition,
            "verified": True,
            "source": {"url": "https://example.gov.cn/", "note": "t"},
        }
        services.apply_definition(session, definition, "changed")
        session.commit()
    page = editor.get("/staff/?lang=en").get_data(as_text=True)
    assert "/staff/benefits/cangzhou-city-innovation-voucher/edit" not in page
    assert "/staff/benefits/hebei-provincial-innovation-voucher/edit" in page


def test_service_points_are_in_the_directory_and_the_map_data(client):
    listing = client.get("/places?type=service_point&region=gansu-lanzhou-chengguan").get_data(as_text=True)
    assert "/places/sp-gansu-lanzhou-chengguan-hr" in listing
    geo = client.get("/api/v1/places.geojson?type=service_point").get_json()
    ids = {f["properties"]["id"] for f in geo["features"]}
    assert "sp-gansu-lanzhou-chengguan-government-service" in ids
    place = client.get("/places/sp-gansu-lanzhou-chengguan-hr").get_data(as_text=True)
    assert "/service-points/gansu-lanzhou-chengguan-hr" in place
