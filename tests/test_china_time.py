"""Times shown to staff and operators are China Standard Time (UTC+8); staff type them so too."""

from __future__ import annotations

import datetime as dt

from portal.core.templating import china_time, from_china_time
from tests.staffing import client_for
from tests.test_staff_workflow import NEW_POLICY, _act, _latest_revision


def test_stored_utc_is_shown_as_china_time(app):
    with app.test_request_context("/?lang=en"):
        assert china_time(dt.datetime(2026, 12, 1, 20, 30)) == "2026-12-02 04:30 China time"
        assert china_time(dt.datetime(2026, 12, 1, 20, 30), "%Y-%m-%d", zone=False) == "2026-12-02"
    assert from_china_time(dt.datetime(2026, 12, 2, 4, 30)) == dt.datetime(2026, 12, 1, 20, 30)


def test_staff_schedule_in_china_time(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    reviewer = client_for(staff_app, "reviewer@example.gov.cn")
    editor.post("/staff/policies/new", data=NEW_POLICY)
    _act(editor, _latest_revision(staff_app, NEW_POLICY["id"]), "submit")
    _act(reviewer, _latest_revision(staff_app, NEW_POLICY["id"]), "approve", publish_at="2030-01-02T09:00")
    rev = _latest_revision(staff_app, NEW_POLICY["id"])
    assert rev.state == "scheduled"
    assert rev.publish_at == dt.datetime(2030, 1, 2, 1, 0)  # stored in UTC
    page = reviewer.get(f"/staff/revisions/{rev.id}?lang=en").get_data(as_text=True)
    assert "2030-01-02 09:00 China time" in page
    assert " UTC" not in page
