"""Content files: the real library validates; bad files are refused whole, naming file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.content.loader import ContentError, load_content, read_content
from portal.policies.models import Policy
from tests.conftest import CONTENT

SEED_PLANS = {
    "shijiazhuang-base-plan",
    "shanxi-provincial-base-opinions",
    "nanshan-base-work-plan",
    "liangjiang-base-work-plan",
    "haidian-base-work-plan",
    "cangzhou-innovation-opinions",
    "chengguan-base-work-plan",
}


def test_real_content_is_valid_and_complete():
    found = read_content(CONTENT)
    regions, categories, policies, places = (
        found[k] for k in ("regions", "categories", "policies", "places")
    )
    ids = {p["id"] for p in policies}
    assert ids >= SEED_PLANS
    assert len(policies) >= 50
    assert {"guobanfa-2016-35", "guofa-2015-53", "guofa-2017-37", "guobanfa-2017-54"} <= ids
    for p in policies:
        assert p["source_ref"] or p["source_url"] or p["source_note"], p["id"]
    assert len(places) >= 300
    assert {"makerspace", "incubator", "park", "fund", "platform"} <= {p["type"] for p in places}
    for p in places:
        assert p["source_ref"] or p["source_note"], p["id"]
        assert (p["lat"] is None) == (p["geo_precision"] is None), p["id"]
    for plan in SEED_PLANS:
        body = next(p["body"] for p in policies if p["id"] == plan)
        assert len(body) > 4000, f"{plan} should carry its full text"


@pytest.fixture
def content_copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_EDITS = [
    ("level: district", "level: galactic", "level"),
    ("status: expired", "status: maybe", "status"),
    ("region: gansu-lanzhou-chengguan", "region: atlantis", "region"),
    ("date_precision: day", "date_precision: fortnight", "date_precision"),
    ("issued_on: 2017-08-31", "issued_on: '2017-02-31'", "issued_on"),
    ("categories: [", "categories: [no_such_category, ", "categories"),
    ("summary: ", "summary_was: ", "summary"),
    ("full_text: true", "full_text: sometimes", "full_text"),
    ("id: chengguan-base-work-plan", "id: Chengguan Plan!", "id"),
]


@pytest.mark.parametrize(("old", "new", "field"), BAD_EDITS)
def test_bad_field_is_named_and_nothing_is_loaded(session, content_copy, old, new, field):
    path = content_copy / "policies" / "chengguan-base-work-plan.md"
    _edit(path, old, new)
    with pytest.raises(ContentError) as err:
        load_content(session, content_copy)
    assert "chengguan-base-work-plan.md" in str(err.value)
    assert f"field '{field}'" in str(err.value)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Policy)) == 0


def test_broken_yaml_is_reported_with_the_file(session, content_copy):
    path = content_copy / "policies" / "chengguan-base-work-plan.md"
    path.write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    with pytest.raises(ContentError, match="chengguan-base-work-plan.md: YAML syntax error"):
        load_content(session, content_copy)


def test_impossible_unquoted_date_is_reported_with_the_file(session, content_copy):
    _edit(content_copy / "policies" / "chengguan-base-work-plan.md", "2017-08-31", "2017-02-31")
    with pytest.raises(ContentError, match="chengguan-base-work-plan.md: invalid value"):
        load_content(session, content_copy)


def test_unknown_citation_is_refused(session, content_copy):
    path = content_copy / "policies" / "chengguan-base-plan-notice.md"
    _edit(path, "cites: [", "cites: [no-such-policy, ")
    with pytest.raises(ContentError, match="unknown policy 'no-such-policy'"):
        load_content(session, content_copy)


def test_duplicate_region_is_refused(session, content_copy):
    (content_copy / "regions" / "extra.yaml").write_text(
        "- {id: beijing, name: 北京, name_en: Beijing, level: provincial, parent: cn}\n", encoding="utf-8"
    )
    with pytest.raises(ContentError, match="'beijing' is already defined"):
        load_content(session, content_copy)


def test_a_bad_file_leaves_what_was_loaded_intact(session, content_copy):
    load_content(session, content_copy)
    session.commit()
    before = session.scalar(select(func.count()).select_from(Policy))
    title = session.get(Policy, "chengguan-base-work-plan").title
    path = content_copy / "policies" / "chengguan-base-work-plan.md"
    _edit(path, "level: district", "level: nowhere")
    (content_copy / "policies" / "zz-new.md").write_text("---\nid: zz-new\n---\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_content(session, content_copy)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Policy)) == before
    assert session.get(Policy, "chengguan-base-work-plan").title == title
    assert session.get(Policy, "zz-new") is None


def test_loading_twice_changes_nothing_the_second_time(session, content_copy):
    first = load_content(session, content_copy)
    session.commit()
    second = load_content(session, content_copy)
    assert first.policies_created >= 50
    assert second.policies_created == 0
    assert second.policies_updated == 0
    assert second.policies_unchanged == first.policies_created


def test_an_edited_file_updates_its_policy(session, content_copy):
    load_content(session, content_copy)
    session.commit()
    path = content_copy / "policies" / "chengguan-base-plan-notice.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\n---\n新增一段。\n", 1), encoding="utf-8")
    report = load_content(session, content_copy)
    assert report.policies_updated == 1
    assert session.get(Policy, "chengguan-base-plan-notice").body.startswith("新增一段。")


def test_cli_load_reports_bad_content_and_exits_non_zero(app, content_copy):
    _edit(content_copy / "policies" / "chengguan-base-work-plan.md", "level: district", "level: x")
    result = app.test_cli_runner().invoke(args=["content", "load", "--dir", str(content_copy)])
    assert result.exit_code != 0
    assert "nothing changed" in result.output
    assert "field 'level'" in result.output


BAD_BENEFIT_EDITS = [
    ("kind: rent_subsidy", "kind: lottery", "kind"),
    ("region: gansu-lanzhou-chengguan", "region: atlantis", "region"),
    ("verified: false", "verified: perhaps", "verified"),
    ("{fact: operates_space,", "{fact: shoe_size,", "conditions.all[0].all[1].fact"),
]


@pytest.mark.parametrize(("old", "new", "field"), BAD_BENEFIT_EDITS)
def test_bad_benefit_field_is_named_and_nothing_is_loaded(session, content_copy, old, new, field):
    from portal.eligibility.models import Benefit

    path = content_copy / "benefits" / "chengguan-makerspace-operating-subsidy.yaml"
    _edit(path, old, new)
    with pytest.raises(ContentError) as err:
        load_content(session, content_copy)
    assert "chengguan-makerspace-operating-subsidy.yaml" in str(err.value)
    assert f"field '{field}'" in str(err.value)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Benefit)) == 0


def test_benefits_without_questions_are_refused(session, content_copy):
    (content_copy / "eligibility" / "questions.yaml").unlink()
    with pytest.raises(ContentError) as err:
        load_content(session, content_copy)
    assert "questions.yaml" in str(err.value)


def test_benefits_load_once_and_then_stay_unchanged(session, content_copy):
    first = load_content(session, content_copy)
    session.commit()
    second = load_content(session, content_copy)
    assert first.benefits_created >= 25 and first.questions >= 13
    assert second.benefits_created == second.benefits_updated == 0
    assert second.benefits_unchanged == first.benefits_created
