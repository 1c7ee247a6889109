"""A place's address, phone and website carry their source; the README counts them truly."""

from __future__ import annotations

import re
import shutil

import yaml

from portal.config import ROOT
from portal.core.content_checks import Problems
from portal.places.content import read_places

PLACE = {
    "id": "test-space",
    "type": "makerspace",
    "name": "测试空间",
    "region": "cn",
    "description": "一个测试空间。",
    "source": {"ref": "S4 L1"},
}


def _read(tmp_path, **fields):
    (tmp_path / "places").mkdir()
    shutil.copy(ROOT / "content" / "taxonomies.yaml", tmp_path / "taxonomies.yaml")
    (tmp_path / "places" / "x.yaml").write_text(
        yaml.safe_dump([{**PLACE, **fields}], allow_unicode=True), encoding="utf-8"
    )
    problems = Problems()
    return read_places(tmp_path, {"cn"}, problems), problems.items


def test_a_phone_without_its_source_is_refused(tmp_path):
    _places, problems = _read(tmp_path, phone="0931-1234567")
    assert any("contact_source" in p for p in problems)


def test_a_sourced_phone_and_website_are_read(tmp_path):
    places, problems = _read(
        tmp_path,
        phone="0931-1234567",
        website="https://example.org/",
        contact_source={"url": "https://example.org/contact", "checked_on": "2026-12-02"},
    )
    assert problems == []
    assert places[0]["phone"] == "0931-1234567"
    assert places[0]["contact_source"] == "https://example.org/contact"
    assert str(places[0]["contact_checked_on"]) == "2026-12-02"


def test_a_source_needs_its_day_and_a_web_address(tmp_path):
    _places, problems = _read(tmp_path, website="https://example.org/", contact_source={"url": "example.org"})
    assert any("contact_source.url" in p for p in problems)
    assert any("contact_source.checked_on" in p for p in problems)


def test_readme_counts_match_the_content():
    places = []
    for path in sorted((ROOT / "content" / "places").glob("*.yaml")):
        places += yaml.safe_load(path.read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"Of the (\d+)\s+listed places, (\d+) have an address.*?, (\d+) a phone and "
        r"(\d+) a website",
        readme,
        re.S,
    )
    assert match, "the README states how many places have an address, phone and website"
    counts = [
        len(places),
        sum(bool(p.get("address")) for p in places),
        sum(bool(p.get("phone")) for p in places),
        sum(bool(p.get("website")) for p in places),
    ]
    assert [int(g) for g in match.groups()] == counts
