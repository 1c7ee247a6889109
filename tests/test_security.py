"""Every staff route demands its role; CSRF on forms; uploads checked by content."""

from __future__ import annotations

import io
import re

import pytest

from portal import db
from portal.core.files import UploadError, sniff
from tests.conftest import make_app
from tests.staffing import make_user, sign_in

ROLE_ORDER = ["founder", "operator", "editor", "reviewer", "admin"]


@pytest.fixture
def app_(tmp_path):
    app = make_app(
        tmp_path,
        WTF_CSRF_ENABLED=False,
        UPLOAD_DIR=tmp_path / "uploads",
        MAIL_OUTBOX=tmp_path / "outbox",
        MAX_UPLOAD_BYTES=100_000,
    )
    for role in ROLE_ORDER:
        make_user(app, f"{role}@example.gov.cn", role)
    return app


def _staff_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("staff.", "moderation.", "dashboard.")):
            yield rule


def _url(rule):
    values = {
        arg: ("1" if arg.endswith("_id") and arg not in ("policy_id", "panel_id") else "x")
        for arg in rule.arguments
    }
    if "action" in rule.arguments:
        values["action"] = "submit" if "revision" in rule.rule else "withdraw"
    return rule.build(values, append_unknown=False)[1]


def test_every_staff_view_declares_a_role(app_):
    rules = list(_staff_rules(app_))
    assert len(rules) >= 10
    for rule in rules:
        view = app_.view_functions[rule.endpoint]
        assert getattr(view, "required_role", None) in {"editor", "reviewer", "admin"}, rule.endpoint


def test_url_map_walk_anonymous_and_wrong_roles_are_refused(app_):
    clients = {}
    for role in ROLE_ORDER:
        clients[role] = app_.test_client()
        sign_in(clients[role], app_, f"{role}@example.gov.cn")
    anonymous = app_.test_client()
    for rule in _staff_rules(app_):
        required = app_.view_functions[rule.endpoint].required_role
        url = _url(rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = anonymous.open(url, method=method)
            assert response.status_code == 302 and "/login" in response.headers["Location"], (url, method)
            for role in ROLE_ORDER:
                allowed = ROLE_ORDER.index(role) >= ROLE_ORDER.index(required) and role not in (
                    "founder",
                    "operator",
                )
                status = clients[role].open(url, method=method).status_code
                if allowed:
                    assert status != 403, (url, method, role)
                else:
                    assert status == 403, (url, method, role, status)


def test_forms_need_a_csrf_token(tmp_path):
    app = make_app(tmp_path)  # CSRF on, as in production
    response = app.test_client().post("/login", data={"email": "a@b.cn", "password": "x" * 12})
    assert response.status_code == 400
    page = app.test_client().get("/login").get_data(as_text=True)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "ext"),
    [
        (PDF, "申报表.pdf", "pdf"),
        (_docx(), "申报表.docx", "docx"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 20, "流程图.png", "png"),
        (b"\xff\xd8\xff\xe0" + b"0" * 20, "a.jpg", "jpg"),
    ],
)
def test_known_files_are_recognised_by_content(data, name, ext):
    assert sniff(data, name).extension == ext


@pytest.mark.parametrize("data", [b"MZ\x90\x00 executable", b"<html><script>", b"PK\x03\x04broken"])
def test_disguised_files_are_refused(data):
    with pytest.raises(UploadError):
        sniff(data, "申报表.pdf")


def _new_policy(client, **files):
    data = {
        "id": "upload-test",
        "title": "附件测试",
        "level": "national",
        "region_id": "cn",
        "date_precision": "day",
        "status": "in_force",
        "summary": "摘要",
        "source_kind": "public",
        "source_ref": "测试",
    }
    data.update(files)
    return client.post("/staff/policies/new?lang=en", data=data, content_type="multipart/form-data")


def _with_region(app):
    from portal.regions.models import Region

    with app.app_context():
        db.session().add(Region(id="cn", name="中国", name_en="China", level="national"))
        db.session().commit()


def test_upload_disguised_or_oversized_is_refused_with_a_message(app_):
    _with_region(app_)
    client = app_.test_client()
    sign_in(client, app_, "editor@example.gov.cn")
    response = _new_policy(client, uploads=(io.BytesIO(b"MZ\x90\x00fake"), "通知.pdf"))
    assert response.status_code == 400
    assert "Only PDF, Word, Excel and image files can be attached." in response.get_data(as_text=True)
    response = _new_policy(client, uploads=(io.BytesIO(PDF + b"0" * 200_000), "大文件.pdf"))
    assert response.status_code == 400
    assert "larger than" in response.get_data(as_text=True)
    assert not list((app_.config["UPLOAD_DIR"]).glob("*")) if app_.config["UPLOAD_DIR"].exists() else True


def test_upload_is_stored_under_a_generated_name_and_downloads_with_its_own(app_):
    _with_region(app_)
    client = app_.test_client()
    sign_in(client, app_, "editor@example.gov.cn")
    response = _new_policy(client, uploads=(io.BytesIO(PDF), "../../申报指南.pdf"))
    assert response.status_code == 302
    stored = list(app_.config["UPLOAD_DIR"].glob("*"))
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{32}\.pdf", stored[0].name)
    download = client.get(f"/staff/files/{stored[0].stem}")
    assert download.status_code == 200
    assert download.data == PDF
    assert "%E7%94%B3%E6%8A%A5%E6%8C%87%E5%8D%97.pdf" in download.headers["Content-Disposition"]


# Operator routes any verified operator may open; every other operator route is about one listing,
# claim or revision and must refuse operators who do not own it.
ANY_OPERATOR = {"operators.home", "operators.find_place", "operators.new_place", "operators.claim_place"}


def test_url_map_walk_operator_routes_check_role_and_ownership(tmp_path):
    from sqlalchemy import select

    from portal.core.files import StoredFile
    from portal.operators.models import PlaceClaim, PlaceRevision
    from tests.operating import make_operator, operator_app

    app = operator_app(tmp_path)
    make_operator(app, "owner@example.cn", operates=("chengguan-maker",))
    make_operator(app, "other@example.cn", operates=("lanzhou-hub",))
    for role in ("founder", "editor"):
        make_user(app, f"{role}@example.gov.cn", role)
    clients = {}
    for who in ("owner@example.cn", "other@example.cn", "founder@example.gov.cn", "editor@example.gov.cn"):
        clients[who] = app.test_client()
        sign_in(clients[who], app, who)
    owner = clients["owner@example.cn"]
    owner.post(
        "/operator/places/lanzhou-hub/claim",
        content_type="multipart/form-data",
        data={"evidence": (io.BytesIO(PDF), "备案.pdf")},
    )
    page = owner.get("/operator/places/chengguan-maker/edit").get_data(as_text=True)
    from tests.operating import form_values, jpeg_with_gps

    owner.post(
        "/operator/places/chengguan-maker/edit",
        content_type="multipart/form-data",
        data={
            **form_values(page),
            "desks_free": "5",
            "photos": (io.BytesIO(jpeg_with_gps((60, 40))), "a.jpg"),
        },
    )
    with app.app_context():
        session = db.session()
        ids = {
            "claim_id": str(
                session.scalars(select(PlaceClaim.id).where(PlaceClaim.state == "pending")).one()
            ),
            "revision_id": str(session.scalars(select(PlaceRevision.id)).one()),
            "file_id": session.scalars(select(StoredFile.id).where(StoredFile.extension == "jpg")).one(),
            "place_id": "chengguan-maker",
            "action": "withdraw",
        }
    anonymous = app.test_client()
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("operators.")
        and getattr(app.view_functions[r.endpoint], "required_role", None)
    ]
    assert len(rules) >= 10
    for rule in rules:
        assert app.view_functions[rule.endpoint].required_role == "operator", rule.endpoint
        url = rule.build({a: ids[a] for a in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = anonymous.open(url, method=method)
            assert response.status_code == 302 and "/login" in response.headers["Location"], (url, method)
            for who in ("founder@example.gov.cn", "editor@example.gov.cn"):
                assert clients[who].open(url, method=method).status_code == 403, (url, method, who)
            other = clients["other@example.cn"].open(url, method=method).status_code
            if rule.endpoint in ANY_OPERATOR:
                assert other != 403, (url, method)
            else:
                assert other in (403, 404), (url, method, other)
                assert other == 403 or rule.endpoint == "operators.photo_preview", (url, method, other)
    # Last, the owner may use each of them (withdrawing ends the revision and claim, so do it after).
    for rule in rules:
        url = rule.build({a: ids[a] for a in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert owner.open(url, method=method).status_code not in (403, 404, 500), (url, method)
