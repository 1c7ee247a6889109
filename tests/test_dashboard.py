"""The staff dashboard: figures from the content and anonymous counters, charts, CSV, no addresses."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from portal import db
from portal.dashboard.models import SearchQueryCount, UsageCount
from tests.conftest import make_app
from tests.postgres import refuse_writes
from tests.staffing import client_for


@pytest.fixture
def dash_app(tmp_path):
    return make_app(
        tmp_path, loaded=True, WTF_CSRF_ENABLED=False, MAIL_OUTBOX=tmp_path / "outbox", COUNT_FLUSH_SECONDS=0
    )


def test_searches_and_wizard_are_counted_without_personal_data(dash_app):
    client = dash_app.test_client()
    client.get("/search?q=zzzqqqxyz")
    client.get("/search?q=zzzqqqxyz&page=2")  # the same search, another page
    client.get("/search?q=13912345678")
    client.get("/api/v1/search?q=创业")
    client.get("/eligibility")
    client.get("/eligibility/results?applicant=individual&region=beijing-haidian&person_groups=veteran")
    with dash_app.app_context():
        session = db.session()
        queries = {(r.query, r.results): r.searches for r in session.scalars(select(SearchQueryCount))}
        usage = {(u.metric, u.region_id): u.hits for u in session.scalars(select(UsageCount))}
    assert queries[("zzzqqqxyz", 0)] == 1
    assert ("(withheld)", 0) in queries or any(q == "(withheld)" for q, _ in queries)
    assert not any("13912345678" in q for q, _ in queries)
    assert any(q == "创业" and n > 0 for q, n in queries)
    assert usage[("wizard_started", "")] == 1 and usage[("wizard_completed", "beijing-haidian")] == 1


def test_dashboard_shows_charts_tables_and_csv_but_no_addresses(dash_app):
    from portal.alerts import services

    with dash_app.app_context():
        session = db.session()
        sub = services.subscribe(session, "secret-founder@example.cn", ["policy"], {}, "weekly", "zh")
        services.confirm(session, sub)
        session.commit()
    dash_app.test_client().get("/search?q=zzzqqqxyz")
    staff = client_for(dash_app, "editor@example.gov.cn")
    page = staff.get("/staff/dashboard/?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for title in (
        "Policies published and updated",
        "Policies with a usable 申兑指南 and contact",
        "Listings confirmed within 90 days",
        "Moderation waiting times",
        "Top searches with no result",
        "Eligibility wizard started and completed",
        "Feedback received and answered",
        "Subscribers",
    ):
        assert title in html, title
    assert "zzzqqqxyz" in html and "1 weekly alert subscriptions" in html.replace("0 daily and ", "")
    assert "secret-founder" not in html
    chart = staff.get("/staff/dashboard/charts/searches.svg")
    assert chart.mimetype == "image/svg+xml" and b"<svg" in chart.data and b"<script" not in chart.data
    download = staff.get("/staff/dashboard/dashboard.csv?lang=en")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["no_results", "Top searches with no result"] in rows and ["zzzqqqxyz", "1"] in rows
    assert "secret-founder" not in download.get_data(as_text=True)


def test_a_bad_date_range_is_named(dash_app):
    staff = client_for(dash_app, "editor@example.gov.cn")
    response = staff.get("/staff/dashboard/?start=2026-13-01&lang=en")
    assert response.status_code == 400 and "From" in response.get_data(as_text=True)
    response = staff.get("/staff/dashboard/?start=2026-05-01&end=2026-01-01&lang=en")
    assert response.status_code == 400 and "must not be after" in response.get_data(as_text=True)


def test_the_dashboard_narrows_to_a_region_and_groups_below_it(dash_app):
    staff = client_for(dash_app, "editor@example.gov.cn")
    everywhere = staff.get("/staff/dashboard/?lang=en").get_data(as_text=True)
    assert "Beijing" in everywhere and "Gansu" in everywhere
    gansu = staff.get("/staff/dashboard/?region=gansu&lang=en")
    assert gansu.status_code == 200
    text = gansu.get_data(as_text=True)
    guides = text[text.index('id="panel-guides"') : text.index('id="panel-listings"')]
    assert "Lanzhou" in guides and "Beijing" not in guides
    assert "region=gansu" in text  # charts and CSV keep the region
    bad = staff.get("/staff/dashboard/?region=atlantis&lang=en")
    assert bad.status_code == 400 and "Region" in bad.get_data(as_text=True)


def test_counting_never_breaks_a_page_when_the_database_refuses_writes(dash_app):
    refuse_writes(dash_app.extensions["db_engine"])

    client = dash_app.test_client()
    assert client.get("/search?q=创业").status_code == 200
    assert client.get("/api/v1/search?q=创业").status_code == 200
    assert client.get("/eligibility").status_code == 200


def test_counts_wait_in_memory_and_are_written_together(tmp_path):
    from portal.dashboard import counting

    app = make_app(tmp_path, loaded=True, COUNT_FLUSH_SECONDS=3600)
    counting.flush()  # counts other tests left behind
    client = app.test_client()
    for _ in range(3):
        client.get("/search?q=zzzqqqxyz")
    with app.app_context():
        assert db.session().scalars(select(SearchQueryCount)).all() == []
    counting.flush()
    with app.app_context():
        rows = db.session().scalars(select(SearchQueryCount)).all()
    assert [(r.query, r.results, r.searches) for r in rows] == [("zzzqqqxyz", 0, 3)]
