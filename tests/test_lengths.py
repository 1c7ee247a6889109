"""Text longer than its column is refused at the edge, naming the field (PostgreSQL would refuse the
statement; SQLite would store it), and typed text searches match literally, ignoring case."""

from __future__ import annotations

import re

import yaml
from sqlalchemy import func, select

from portal import db
from portal.accounts.models import User
from portal.core import lengths
from portal.core.textmatch import like_pattern
from portal.eligibility.models import Benefit, BenefitRevision
from portal.publishing.models import PolicyRevision
from tests.staffing import client_for

BENEFIT = "rd-expense-super-deduction"


def test_the_limit_comes_from_the_column():
    assert lengths.limit(User.name) == 120
    assert lengths.too_long("x" * 121, User.name) and not lengths.too_long("x" * 120, User.name)
    assert not lengths.too_long(None, User.name)


def _definition(app) -> dict:
    with app.app_context():
        return dict(db.session().get(Benefit, BENEFIT).definition)


def _revisions(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def test_a_benefit_name_longer_than_its_column_is_refused_by_name(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    data = _definition(staff_app)
    data["name"] = "补" * 301
    before = _revisions(staff_app, BenefitRevision)
    response = editor.post(
        f"/staff/benefits/{BENEFIT}/edit",
        data={"source": yaml.safe_dump(data, allow_unicode=True, sort_keys=False)},
    )
    assert response.status_code == 400
    assert re.search(r"name\W[^<]*300", response.get_data(as_text=True))
    assert _revisions(staff_app, BenefitRevision) == before


def test_a_new_benefit_id_longer_than_its_column_is_refused(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    data = _definition(staff_app)
    data["id"] = "b" * 81
    response = editor.post("/staff/benefits/new", data={"source": yaml.safe_dump(data, allow_unicode=True)})
    assert response.status_code == 400
    assert "80" in response.get_data(as_text=True)


def test_a_policy_source_address_longer_than_its_column_is_refused(staff_app):
    from tests.test_staff_workflow import NEW_POLICY

    editor = client_for(staff_app, "editor@example.gov.cn")
    before = _revisions(staff_app, PolicyRevision)
    long_url = "https://example.gov.cn/" + "a" * 500
    response = editor.post("/staff/policies/new?lang=en", data={**NEW_POLICY, "source_url": long_url})
    assert response.status_code in (200, 400)
    assert "at most 500 characters" in response.get_data(as_text=True)
    assert _revisions(staff_app, PolicyRevision) == before


def test_a_user_name_longer_than_its_column_is_refused(staff_app):
    result = staff_app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "long@example.gov.cn",
            "--role",
            "editor",
            "--name",
            "名" * 121,
            "--password",
            "a long and unusual passphrase",
        ]
    )
    assert result.exit_code != 0
    assert "name: at most 120 characters" in result.output


def test_like_patterns_match_percent_and_underscore_literally():
    assert like_pattern("50%_off\\") == "%50\\%\\_off\\\\%"


def test_staff_policy_search_ignores_case_and_takes_wildcards_literally(staff_app):
    editor = client_for(staff_app, "editor@example.gov.cn")
    lower = editor.get("/staff/policies?q=caijin").get_data(as_text=True)
    upper = editor.get("/staff/policies?q=CAIJIN").get_data(as_text=True)
    found = set(re.findall(r'class="meta">(caijin[^<]*)<', lower))
    assert found and found == set(re.findall(r'class="meta">(caijin[^<]*)<', upper))
    for wildcard in ("%", "_"):
        page = editor.get("/staff/policies", query_string={"q": wildcard}).get_data(as_text=True)
        assert 'class="meta">' not in page  # no policy id or title holds a % or _
