"""Drafts discarded only by their author or a reviewer; files served by their real type; page views
counted once per visitor and day without risking the page; a co-operator cannot take over a change."""

from __future__ import annotations

import struct

import pytest
from sqlalchemy import func, select, text

from portal import db
from portal.core import files
from portal.core.files import StoredFile
from portal.eligibility import revisions
from portal.eligibility.models import BenefitRevision
from portal.operators.models import PlaceDailyStat, PlaceRevision
from portal.publishing import services as publishing
from portal.publishing import workflow
from tests.operating import form_values, make_operator, operator_app
from tests.staffing import client_for, make_user


def _ole(stream: str) -> bytes:
    """A minimal but well-formed OLE compound file (version 3): header, FAT sector, directory."""
    size = 512
    header = bytearray(512)
    header[0:8] = files.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 72, 0xFFFFFFFE)
    struct.pack_into("<I", header, 76, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * size)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)

    def entry(name: str, kind: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, 0xFFFFFFFF, 0xFFFFFFFF, 1 if kind == 5 else 0xFFFFFFFF)
        struct.pack_into("<I", raw, 116, 0xFFFFFFFE)
        return bytes(raw)

    directory = bytearray(size)
    directory[0:256] = entry("Root Entry", 5) + entry(stream, 2)
    return bytes(header) + bytes(fat) + bytes(directory)


def test_old_office_files_are_recognised_by_their_streams_not_their_names():
    assert files.sniff(_ole("WordDocument"), "表格.xls").extension == "doc"
    assert files.sniff(_ole("Workbook"), "报告.doc").extension == "xls"
    html = files.OLE_MAGIC + b"<html><script>alert(1)</script></html>" + b" " * 2000
    for data in (html, files.OLE_MAGIC + bytes(4000), _ole("Something else")):
        with pytest.raises(files.UploadError):
            files.sniff(data, "通知.doc")


def test_downloads_carry_the_detected_type_extension():
    def name(original, extension):
        return files.download_name(StoredFile(original_name=original, extension=extension))

    assert name("申报表.html", "pdf") == "申报表.pdf"
    assert name("申报表.PDF", "pdf") == "申报表.PDF"
    assert name("photo.jpeg", "jpg") == "photo.jpeg"
    assert name("无扩展名", "docx") == "无扩展名.docx"
    assert name(".htaccess", "pdf") == ".htaccess.pdf"


def test_download_of_a_policy_attachment_uses_the_detected_extension(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    with staff_app.app_context():
        session = db.session()
        record = files.store(
            session, staff_app.config["UPLOAD_DIR"], b"%PDF-1.4\n%%EOF\n", "通知.html", 10_000, None
        )
        session.commit()
        file_id = record.id
    response = editor.get(f"/staff/files/{file_id}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert ".pdf" in disposition and ".html" not in disposition


def test_only_the_author_or_a_reviewer_discards_a_draft(app):
    session = db.session()
    author = make_user(app, "a@example.gov.cn", "editor")
    colleague = make_user(app, "b@example.gov.cn", "editor")
    reviewer = make_user(app, "r@example.gov.cn", "reviewer")
    author, colleague, reviewer = (session.merge(u) for u in (author, colleague, reviewer))
    drafts = [
        publishing.start_revision(session, author, None, {"id": f"p{i}", "title": "草稿"}) for i in range(2)
    ]
    with pytest.raises(workflow.WorkflowError) as refused:
        publishing.act(session, colleague, drafts[0], "discard")
    assert refused.value.code == "others_draft" and drafts[0].state == "draft"
    publishing.act(session, author, drafts[0], "discard")
    publishing.act(session, reviewer, drafts[1], "discard")
    assert [d.state for d in drafts] == ["discarded", "discarded"]

    rules_draft = BenefitRevision(
        benefit_id="b", number=1, state="draft", definition={}, source_text="", author_id=author.id
    )
    session.add(rules_draft)
    session.flush()
    with pytest.raises(workflow.WorkflowError):
        revisions.act(session, colleague, rules_draft, "discard", rules_draft.lock_version, None)
    revisions.act(session, reviewer, rules_draft, "discard", rules_draft.lock_version, None)
    assert rules_draft.state == "discarded"


def _views(app):
    with app.app_context():
        return db.session().scalar(select(func.coalesce(func.sum(PlaceDailyStat.views), 0)))


def test_page_views_count_once_per_visitor_and_day_and_never_break_the_page(tmp_path):
    app = operator_app(tmp_path)
    client = app.test_client()
    for _ in range(5):
        assert client.get("/places/chengguan-maker", headers={"User-Agent": "A"}).status_code == 200
    client.get("/places/chengguan-maker", headers={"User-Agent": "B"})
    client.get("/places/no-such-place", headers={"User-Agent": "C"})
    assert _views(app) == 2
    with app.app_context():
        db.session().execute(text("DROP TABLE place_view_visitors"))
        db.session().commit()
    # The count cannot be written now; the page is shown all the same.
    assert client.get("/places/chengguan-maker", headers={"User-Agent": "D"}).status_code == 200
    assert _views(app) == 2


def test_a_co_operator_cannot_overwrite_an_open_change(tmp_path):
    app = operator_app(tmp_path)
    make_operator(app, "a@maker.example.cn", operates=("chengguan-maker",))
    make_operator(app, "b@maker.example.cn", operates=("chengguan-maker",))
    url = "/operator/places/chengguan-maker/edit?lang=en"
    first, second = client_for(app, "a@maker.example.cn"), client_for(app, "b@maker.example.cn")
    data = form_values(first.get(url).get_data(as_text=True))
    assert (
        first.post(url, data={**data, "desks_free": "30"}, content_type="multipart/form-data").status_code
        == 303
    )
    data = form_values(second.get(url).get_data(as_text=True))
    response = second.post(url, data={**data, "desks_free": "1"}, content_type="multipart/form-data")
    assert response.status_code == 409
    assert "Another operator" in response.get_data(as_text=True)
    with app.app_context():
        revision = db.session().scalars(select(PlaceRevision)).one()
        assert revision.data["desks_free"] == 30 and revision.author.email == "a@maker.example.cn"
