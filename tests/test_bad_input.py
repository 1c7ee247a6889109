"""Bad input gets a clear 4xx, never a 500: odd digits, deep or broken JSON, header breaks, YAML bombs,
concurrent saves; and generated input over every query parameter and JSON field."""

from __future__ import annotations

import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal import db
from portal.accounts.models import User
from portal.operators.models import PlaceRevision
from tests.operating import form_values, make_operator, operator_app
from tests.staffing import PASSWORD, client_for

LISTS = (
    "/policies",
    "/places",
    "/search?q=创业",
    "/api/v1/policies",
    "/api/v1/places",
    "/api/v1/search?q=创业",
    "/staff/policies",
)
ODD_DIGITS = ("²", "①", "٣", "１２", "𝟗")


@pytest.mark.parametrize("value", ODD_DIGITS)
def test_page_numbers_in_other_scripts_are_refused(client, value):
    for url in LISTS[:-1]:
        for name in ("page", "per_page"):
            sep = "&" if "?" in url else "?"
            response = client.get(f"{url}{sep}{name}={value}")
            assert response.status_code == 400, (url, name, value)
            if url.startswith("/api/"):
                assert response.get_json()["error"]["field"] == name


def _post_json(client, text: str):
    return client.post("/api/v1/eligibility", data=text, content_type="application/json")


def test_deep_json_is_refused(client):
    for text in (
        '{"answers":' * 1000 + "{}" + "}" * 1000,
        '{"answers": {"region": ' + "[" * 1000 + "]" * 1000 + "}}",
        "[" * 100_000,
    ):
        response = _post_json(client, text)
        assert response.status_code == 400 and response.get_json()["error"]["code"] in (
            "too_deep",
            "invalid_json",
        )


def test_lone_surrogates_in_json_strings_are_refused_naming_the_field(client):
    response = _post_json(client, '{"answers": {"region": "\\ud800"}}')
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "answers.region"
    assert _post_json(client, '{"answers": {"\\udfff": 1}}').status_code == 400
    assert _post_json(client, '{"answers": {}, "on": "2026-01-0\\ud800"}').status_code == 400


def test_feedback_answers_cannot_break_the_redirect(tmp_path):
    from tests.conftest import make_app

    client = make_app(tmp_path, WTF_CSRF_ENABLED=False).test_client()
    response = client.post(
        "/eligibility/feedback",
        data={"message": "看起来不对", "answers": "region=cn\r\nSet-Cookie: owned=1\nX: y"},
    )
    assert response.status_code == 303
    assert "\n" not in response.headers["Location"] and "owned" not in response.headers.get("Set-Cookie", "")


def test_a_second_factor_in_other_digits_is_refused(tmp_path):
    from tests.conftest import make_app
    from tests.staffing import make_user

    app = make_app(tmp_path, WTF_CSRF_ENABLED=False)
    make_user(app, "ed@example.gov.cn", "editor")
    client = app.test_client()
    assert client.post("/login", data={"email": "ed@example.gov.cn", "password": PASSWORD}).status_code == 302
    for code in ("١٢٣٤٥٦", "１２３４５６", "²²²²²²", "𝟏𝟐𝟑𝟒𝟓𝟔"):
        response = client.post("/login/verify", data={"code": code})
        assert response.status_code in (200, 400, 401), code
    with app.app_context():
        assert db.session().scalar(select(User)).totp_last_step == 0


def test_yaml_bombs_in_the_rule_editor_are_refused(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(5)
    )
    cases = (
        ("a: " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        ("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 200)), "nested too deeply"),
        (bomb, "alias"),
    )
    for text, phrase in cases:
        response = editor.post(
            "/staff/benefits/rd-expense-super-deduction/edit?lang=en", data={"source": text}
        )
        assert response.status_code == 400, text[:40]
        body = response.get_data(as_text=True)
        assert "error-summary" in body and phrase in body, text[:40]


def test_concurrent_saves_of_one_listing_never_fail(tmp_path):
    app = operator_app(tmp_path)
    make_operator(app, "op@maker.example.cn", operates=("chengguan-maker",))
    clients = [client_for(app, "op@maker.example.cn") for _ in range(8)]
    url = "/operator/places/chengguan-maker/edit?lang=en"
    # A pending change exists, so every save updates the same revision row.
    first = form_values(clients[0].get(url).get_data(as_text=True))
    assert (
        clients[0]
        .post(url, data={**first, "desks_free": "30"}, content_type="multipart/form-data")
        .status_code
        == 303
    )
    forms = [form_values(c.get(url).get_data(as_text=True)) for c in clients]
    barrier, statuses = threading.Barrier(len(clients)), []

    def save(i):
        barrier.wait()
        response = clients[i].post(
            url, data={**forms[i], "desks_free": str(10 + i)}, content_type="multipart/form-data"
        )
        statuses.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in statuses)
    assert len(codes) == len(clients), "a save raised instead of answering"
    assert all(code in (303, 409) for code in codes), codes
    assert codes.count(303) >= 1
    assert all("<h1>" in body for code, body in statuses if code == 409)
    with app.app_context():
        revisions = (
            db.session()
            .scalars(select(PlaceRevision).where(PlaceRevision.place_id == "chengguan-maker"))
            .all()
        )
    assert len(revisions) == 1


# Generated input: every query parameter of the public lists and APIs, and every JSON field.
PARAMS = (
    "q",
    "type",
    "region",
    "level",
    "category",
    "status",
    "year",
    "page",
    "per_page",
    "lang",
    "sort",
    "near",
    "bbox",
    "desks",
    "industry",
    "service",
    "kind",
    "view",
    "question",
    "from",
    # the wizard's answers, read by the result page
    "applicant",
    "person_groups",
    "graduation_year",
    "age",
    "company_registered",
    "company_founded_on",
    "employees",
    "annual_revenue_cny",
    "tech_sme",
    "high_tech_enterprise",
)
URLS = (
    "/policies",
    "/places",
    "/search",
    "/benefits",
    "/eligibility/results",
    "/api/v1/policies",
    "/api/v1/places",
    "/api/v1/places.geojson",
    "/api/v1/search",
    "/api/v1/benefits",
    "/map",
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", "0", "-1", "1e9", "99999999999999999999", "cn,cn", "²", "١", "NaN", "1,2,3,4", "\x00", "%", "\r\n"]
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@FAST
@given(url=st.sampled_from(URLS), args=st.dictionaries(st.sampled_from(PARAMS), TEXT, max_size=4))
def test_generated_query_strings_never_give_a_500(client, url, args):
    assert client.get(url, query_string=args).status_code < 500


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
QUESTION_IDS = st.sampled_from(
    [
        "region",
        "applicant",
        "employees",
        "company_founded_on",
        "age",
        "x",
        "person_groups",
        "graduation_year",
        "annual_revenue_cny",
        "tech_sme",
    ]
)


@FAST
@given(answers=st.dictionaries(QUESTION_IDS | TEXT, JSON, max_size=5), on=JSON, extra=st.booleans())
def test_generated_json_never_gives_a_500(client, answers, on, extra):
    body = {"answers": answers, "on": on, **({"more": on} if extra else {})}
    response = _post_json(client, json.dumps(body, allow_nan=True))
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
