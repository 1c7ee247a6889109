"""Event content files: the real ones load, broken ones are refused naming the file and field."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from portal import db
from portal.content.loader import load_content, read_content
from portal.core.content_checks import ContentError
from portal.events.models import Event
from tests.conftest import CONTENT

GOOD = """
- id: test-roadshow
  title: 测试路演
  title_en: Test roadshow
  kind: roadshow
  starts_at: "2030-05-10 14:00"
  ends_at: "2030-05-10 17:30"
  region: gansu-lanzhou-chengguan
  lat: 36.06
  lon: 103.83
  registration_url: https://example.gov.cn/signup
  fee: free
  audience: [founders]
  description: 说明。
  source: {note: a test}
  verified: false
"""


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def _write(folder, text):
    (folder / "events" / "zz-test.yaml").write_text(text, encoding="utf-8")


def test_real_events_load_as_series_without_dates(app):
    session = db.session()
    load_content(session, CONTENT)
    week = session.get(Event, "national-shuangchuang-week")
    assert week.recurrence == "annual" and week.starts_at is None
    dated = session.get(Event, "national-shuangchuang-week-2017")
    # 15-21 September in China: stored in UTC, the all-day end is the next midnight.
    assert dated.starts_at == dt.datetime(2017, 9, 14, 16, 0)
    assert dated.ends_at == dt.datetime(2017, 9, 21, 16, 0)
    assert dated.all_day and dated.series_id == "national-shuangchuang-week"


def test_a_good_event_file_is_read_with_times_in_china(content_copy):
    _write(content_copy, GOOD)
    events = {e["id"]: e for e in read_content(content_copy)["events"]}
    assert events["test-roadshow"]["starts_at"] == dt.datetime(2030, 5, 10, 6, 0)
    assert events["test-roadshow"]["all_day"] is False


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (('ends_at: "2030-05-10 17:30"', 'ends_at: "2030-05-10 11:00"'), "ends_at", "ends before it starts"),
        (('starts_at: "2030-05-10 14:00"', 'starts_at: "10 May"'), "starts_at", "is not a date"),
        (("https://example.gov.cn/signup", "javascript:alert(1)"), "registration_url", "http(s)"),
        (("lon: 103.83", "lon: 116.40"), "lat", "far outside the event's region"),
        (("lon: 103.83", "lon: 10.0"), "lat", "outside China"),
        (("kind: roadshow", "kind: party"), "kind", "'party' is not one of"),
        (("  source: {note: a test}\n", ""), "source", "is required"),
        (("region: gansu-lanzhou-chengguan", "region: atlantis"), "region", "is not one of"),
        (("  verified: false", "  series: nowhere\n  verified: false"), "series", "unknown event"),
    ],
)
def test_broken_event_files_are_refused_naming_the_field(content_copy, change, field, words):
    _write(content_copy, GOOD.replace(*change))
    with pytest.raises(ContentError) as info:
        read_content(content_copy)
    message = str(info.value)
    assert f"field '{field}'" in message and words in message, message
    assert "zz-test.yaml" in message or field == "series"


def test_an_end_without_a_start_is_refused(content_copy):
    _write(content_copy, GOOD.replace('starts_at: "2030-05-10 14:00"', "starts_at: null"))
    with pytest.raises(ContentError, match="an end is given without a start"):
        read_content(content_copy)
