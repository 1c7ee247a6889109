"""Result and place feedback: every field bounded, a per-address limit that holds under concurrency."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal import db
from portal.eligibility.models import ResultFeedback
from portal.operators.models import PlaceFeedback
from tests.conftest import make_app
from tests.operating import operator_app


def _concurrently(n, post):
    barrier, codes = threading.Barrier(n), []

    def run():
        barrier.wait()
        codes.append(post())

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(codes) == n, "a post raised instead of answering"
    return codes


def _count(app, model):
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def test_result_feedback_fields_are_bounded(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    huge = "x" * (10 * 1024 * 1024)
    for data in (
        {"message": huge},
        {"message": "不对", "status": huge},
        {"message": "不对", "answers": huge},
        {"message": "不对", "status": "x" * 100},
        {"message": "x" * 2001},
    ):
        response = client.post("/eligibility/feedback", data=data)
        assert response.status_code in (400, 413), response.status_code
    assert _count(app, ResultFeedback) == 0
    assert (
        client.post("/eligibility/feedback", data={"message": "不对", "status": "eligible"}).status_code
        == 303
    )
    assert _count(app, ResultFeedback) == 1


def test_result_feedback_limit_per_address_holds_under_concurrency(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=False, FEEDBACK_PER_HOUR=5)
    clients = [app.test_client() for _ in range(20)]
    posts = iter(clients)
    lock = threading.Lock()

    def post():
        with lock:
            client = next(posts)
        return client.post("/eligibility/feedback", data={"message": "结果不对"}).status_code

    codes = _concurrently(20, post)
    assert sorted(set(codes)) == [303, 429], codes  # stored, or the form again saying why not
    assert _count(app, ResultFeedback) == 5
    other = app.test_client().post(
        "/eligibility/feedback", data={"message": "结果不对"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 303 and _count(app, ResultFeedback) == 6


def test_place_feedback_limit_holds_under_concurrency(tmp_path):
    app = operator_app(tmp_path, FEEDBACK_PER_HOUR=5)
    clients = [app.test_client() for _ in range(20)]
    posts = iter(clients)
    lock = threading.Lock()

    def post():
        with lock:
            client = next(posts)
        return client.post(
            "/places/chengguan-maker/feedback",
            data={"kind": "correction", "body": "电话已经换了，新号码见官网。"},
        ).status_code

    codes = _concurrently(20, post)
    assert sorted(set(codes)) == [303, 429], codes
    assert _count(app, PlaceFeedback) == 5
