"""Email alerts: double opt-in, signed links, digests sent once, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy as email_policy

import pytest
from sqlalchemy import func, select

from portal import db
from portal.alerts.models import AlertSubscription
from portal.core.clock import utcnow
from portal.policies.models import Policy
from tests.conftest import make_app


@pytest.fixture
def alerts_app(tmp_path):
    return make_app(tmp_path, loaded=True, WTF_CSRF_ENABLED=False, MAIL_OUTBOX=tmp_path / "outbox")


def mails(app) -> list[email.message.EmailMessage]:
    outbox = app.config["MAIL_OUTBOX"]
    if not outbox.exists():
        return []
    return [
        email.message_from_bytes(p.read_bytes(), policy=email_policy.default)
        for p in sorted(outbox.glob("*.eml"))
    ]


def link_in(message, path: str) -> str:
    return re.search(rf"http://localhost(/alerts/{path}/[\w.\-]+)", message.get_content()).group(1)


def age_everything(session) -> None:
    """Content loaded for the tests counts as changed long ago."""
    from sqlalchemy import update

    session.execute(
        update(Policy).values(
            updated_at=dt.datetime(2026, 1, 1), published_at=None, created_at=dt.datetime(2026, 1, 1)
        )
    )


def subscribe(app, client, **extra) -> str:
    """Subscribe and confirm; returns the manage path."""
    data = {
        "email": "founder@example.cn",
        "kinds": ["policy"],
        "frequency": "daily",
        "filters": "region=gansu",
    }
    data.update(extra)
    response = client.post("/alerts/subscribe?lang=en", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    confirm = link_in(mails(app)[-1], "confirm")
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302 and "/alerts/manage/" in response.headers["Location"]
    return response.headers["Location"]


def test_list_pages_offer_alerts_carrying_their_filters(client):
    page = client.get("/policies?region=gansu&category=" + "x" * 0).get_data(as_text=True)
    assert "/alerts/subscribe?what=policy&amp;region=gansu" in page
    page = client.get("/places?type=incubator").get_data(as_text=True)
    assert "/alerts/subscribe?what=place&amp;type=incubator" in page
    form = client.get("/alerts/subscribe?what=policy&region=gansu&lang=en").get_data(as_text=True)
    assert "Gansu" in form and 'value="region=gansu"' in form


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("what=policy&region=atlantis", "Region"),
        ("what=rumours", "What to hear about"),
        ("what=place&type=spaceport", "Place type"),
        ("what=benefit&kind=free-lunch", "Benefit kind"),
    ],
)
def test_unknown_filters_are_refused_by_name(client, query, field):
    response = client.get(f"/alerts/subscribe?{query}&lang=en")
    assert response.status_code == 400
    assert field in response.get_data(as_text=True)


def test_bad_address_or_frequency_is_refused_by_name(alerts_app):
    client = alerts_app.test_client()
    response = client.post(
        "/alerts/subscribe?lang=en",
        data={"email": "not-an-address", "kinds": ["policy"], "frequency": "daily"},
    )
    assert response.status_code == 400
    assert "Email address: Enter an email address" in response.get_data(as_text=True)
    response = client.post(
        "/alerts/subscribe?lang=en",
        data={"email": "a@example.cn", "kinds": ["policy"], "frequency": "hourly"},
    )
    assert response.status_code == 400
    assert "How often: " in response.get_data(as_text=True)
    assert mails(alerts_app) == []


def test_double_opt_in_then_one_digest_per_change_even_when_run_twice(alerts_app):
    client = alerts_app.test_client()
    client.post(
        "/alerts/subscribe?lang=en",
        data={
            "email": "founder@example.cn",
            "kinds": ["policy"],
            "frequency": "daily",
            "filters": "region=gansu",
        },
    )
    runner = alerts_app.test_cli_runner()
    with alerts_app.app_context():  # not confirmed: nothing is due
        session = db.session()
        sub = session.scalars(select(AlertSubscription)).one()
        assert sub.confirmed_at is None and sub.email == "founder@example.cn"
    assert len(mails(alerts_app)) == 1
    confirm = link_in(mails(alerts_app)[-1], "confirm")
    client.post(confirm)
    reused = client.get(confirm + "?lang=en")
    assert reused.status_code == 410 and "already used" in reused.get_data(as_text=True)
    with alerts_app.app_context():
        session = db.session()
        sub = session.scalars(select(AlertSubscription)).one()
        sub.next_due_at = sub.sent_until = utcnow() - dt.timedelta(days=1)
        age_everything(session)
        gansu = session.scalars(select(Policy).where(Policy.region_id.like("gansu%"))).first()
        elsewhere = session.scalars(select(Policy).where(Policy.region_id == "beijing")).first()
        for p in (gansu, elsewhere):
            p.updated_at = utcnow() - dt.timedelta(hours=1)
        session.commit()
        gansu_title, elsewhere_title = gansu.title_en or gansu.title, elsewhere.title_en or elsewhere.title
    before = len(mails(alerts_app))
    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 0 and "digests sent 1" in result.output, result.output
    again = runner.invoke(args=["alerts", "send"])
    assert "digests sent 0" in again.output
    sent = mails(alerts_app)[before:]
    assert len(sent) == 1
    digest = sent[0]
    assert gansu_title in digest.get_content() and elsewhere_title not in digest.get_content()
    assert digest["List-Unsubscribe"].startswith("<http://localhost/alerts/unsubscribe/")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_failed_send_is_retried_and_a_crash_after_commit_is_not_resent(alerts_app, monkeypatch):
    client = alerts_app.test_client()
    subscribe(alerts_app, client)
    with alerts_app.app_context():
        session = db.session()
        sub = session.scalars(select(AlertSubscription)).one()
        sub.next_due_at = sub.sent_until = utcnow() - dt.timedelta(days=1)
        age_everything(session)
        session.scalars(select(Policy).where(Policy.region_id.like("gansu%"))).first().updated_at = (
            utcnow() - dt.timedelta(hours=1)
        )
        session.commit()
    from portal.accounts import mail

    def refuse(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(mail, "send", refuse)
    failed = alerts_app.test_cli_runner().invoke(args=["alerts", "send"])
    assert "failed 1" in failed.output
    monkeypatch.undo()
    before = len(mails(alerts_app))
    done = alerts_app.test_cli_runner().invoke(args=["alerts", "send"])
    assert "digests sent 1" in done.output and len(mails(alerts_app)) == before + 1


def test_manage_link_changes_frequency_and_tampering_is_named(alerts_app):
    client = alerts_app.test_client()
    manage = subscribe(alerts_app, client)
    page = client.get(manage + "&lang=en" if "?" in manage else manage + "?lang=en")
    assert page.status_code == 200 and "Your address is confirmed" in page.get_data(as_text=True)
    path = manage.split("?")[0]
    response = client.post(
        path + "?lang=en", data={"kinds": ["policy", "benefit"], "frequency": "fortnightly"}
    )
    assert response.status_code == 400 and "How often" in response.get_data(as_text=True)
    assert client.post(path, data={"kinds": ["policy", "benefit"], "frequency": "weekly"}).status_code == 302
    with alerts_app.app_context():
        sub = db.session().scalars(select(AlertSubscription)).one()
        assert sub.frequency == "weekly" and sub.kinds == ["policy", "benefit"]
    tampered = client.get(path[:-3] + "xyz?lang=en")
    assert tampered.status_code == 400
    text = tampered.get_data(as_text=True)
    assert "Link: it was changed or cut short" in text and "Get a fresh link" in text


def test_one_click_unsubscribe_without_csrf_deletes_everything(tmp_path):
    app = make_app(tmp_path, loaded=True, MAIL_OUTBOX=tmp_path / "outbox")  # CSRF on
    with app.app_context():
        from portal.alerts import services

        session = db.session()
        sub = services.subscribe(session, "x@example.cn", ["policy"], {}, "daily", "zh")
        services.confirm(session, sub)
        session.commit()
        from portal.alerts import messages

        with app.test_request_context():
            url = messages.unsubscribe_url(sub).replace("http://localhost", "")
    client = app.test_client()
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session().scalar(select(func.count(AlertSubscription.id))) == 0
    again = client.post(url + "?lang=en")
    assert "already used" in again.get_data(as_text=True)


def test_saved_answers_are_rechecked_and_changes_told_with_reasons(alerts_app):
    from portal.alerts.models import SavedCheck

    client = alerts_app.test_client()
    qs = "applicant=individual&region=beijing-haidian&person_groups=veteran"
    form = client.get(f"/alerts/results/save?{qs}&lang=en")
    assert form.status_code == 200 and "nothing else" in form.get_data(as_text=True)
    refused = client.post("/alerts/results/save?lang=en", data={"email": "f@example.cn", "answers": qs})
    assert refused.status_code == 400 and "Tick the box" in refused.get_data(as_text=True)
    with alerts_app.app_context():
        assert db.session().scalar(select(func.count(SavedCheck.id))) == 0  # no consent, nothing kept
    response = client.post(
        "/alerts/results/save?lang=en", data={"email": "f@example.cn", "answers": qs, "consent": "y"}
    )
    assert response.status_code == 302
    confirmed = client.post(link_in(mails(alerts_app)[-1], "confirm"))
    manage = client.get(confirmed.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "Your address is confirmed" in manage and "/eligibility/results?" in manage
    with alerts_app.app_context():
        session = db.session()
        check = session.scalars(select(SavedCheck)).one()
        assert check.confirmed_at is not None and check.language == "en"
        eligible = sorted(k for k, v in check.statuses.items() if v == "eligible")
        ineligible = sorted(k for k, v in check.statuses.items() if v == "ineligible")
        assert eligible and ineligible
        # As if the rules had changed since: one benefit was not open to them, another was.
        check.statuses = {**check.statuses, eligible[0]: "ineligible", ineligible[0]: "eligible"}
        check.ruleset_version = "older"
        session.commit()
        from portal.eligibility.models import Benefit

        names = {b.id: b.name_en or b.name for b in session.scalars(select(Benefit))}
    before = len(mails(alerts_app))
    result = alerts_app.test_cli_runner().invoke(args=["alerts", "send"])
    assert "result changes sent 1" in result.output, result.output
    assert "result changes sent 0" in alerts_app.test_cli_runner().invoke(args=["alerts", "send"]).output
    message = mails(alerts_app)[before]
    text = message.get_content()
    assert f"You can now probably get: {names[eligible[0]]}" in text
    assert f"You can no longer get: {names[ineligible[0]]}" in text
    assert "Not met: " in text and "Your answers now meet all of its conditions." in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(
        r"<http://localhost(/alerts/unsubscribe/[^>]+)>", message["List-Unsubscribe"]
    ).group(1)
    assert "Stop the emails" in client.get(unsubscribe + "?lang=en").get_data(as_text=True)
    client.post(unsubscribe)
    with alerts_app.app_context():
        assert db.session().scalar(select(func.count(SavedCheck.id))) == 0


def test_addresses_never_confirmed_are_deleted_after_three_days(alerts_app):
    from portal.alerts import services

    with alerts_app.app_context():
        session = db.session()
        old = services.subscribe(session, "old@example.cn", ["policy"], {}, "daily", "zh")
        old.created_at = utcnow() - dt.timedelta(days=4)
        services.subscribe(session, "new@example.cn", ["policy"], {}, "daily", "zh")
        session.commit()
    alerts_app.test_cli_runner().invoke(args=["alerts", "send"])
    with alerts_app.app_context():
        left = db.session().scalars(select(AlertSubscription.email)).all()
    assert left == ["new@example.cn"]


def test_open_data_downloads_are_current_complete_and_described(alerts_app):
    import csv
    import io
    import json

    client = alerts_app.test_client()
    page = client.get("/data?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "CC BY 4.0" in text and "Data dictionary: Policies" in text and "guide_phone" in text
    assert "/data/places.geojson" in text
    assert "#dataset-policies" in client.get("/policies").get_data(as_text=True)
    with alerts_app.app_context():
        session = db.session()
        published = session.scalar(
            select(func.count(Policy.id)).where(Policy.publication_state == "published")
        )
        policy = session.scalars(select(Policy).order_by(Policy.id)).first()
        policy.title = "开放数据测试标题"
        session.commit()
    csv_response = client.get("/data/policies.csv")
    # Public with a validator that moves with the content (portal/core/caching.py).
    assert csv_response.mimetype == "text/csv" and csv_response.headers["ETag"]
    assert csv_response.headers["Cache-Control"].startswith("public")
    rows = list(csv.DictReader(io.StringIO(csv_response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == published
    assert next(r for r in rows if r["id"] == policy.id)["title"] == "开放数据测试标题"
    data = json.loads(client.get("/data/benefits.json").get_data(as_text=True))
    assert data["licence"]["name"] == "CC BY 4.0" and data["count"] == len(data["records"]) > 0
    rules = data["records"][0]["rules"]
    assert "conditions" in rules
    assert not re.search(r"\bS\d L\d+", json.dumps(data, ensure_ascii=False)), "no seed line references"
    geo = json.loads(client.get("/data/places.geojson").get_data(as_text=True))
    assert geo["type"] == "FeatureCollection" and geo["features"]
    first = geo["features"][0]
    assert first["geometry"]["type"] == "Point" and first["properties"]["url"].endswith(first["id"])
    assert client.get("/data/benefits.geojson").status_code == 404
    assert client.get("/data/secrets.csv").status_code == 404
