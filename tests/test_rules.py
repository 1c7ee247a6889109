"""Every benefit's YAML cases, the structural check, and `flask --app portal rules check`."""

from __future__ import annotations

import pytest

from portal.eligibility import engine
from portal.eligibility.check import run_cases, structural_problems
from portal.eligibility.rules import KINDS
from tests.rulesets import benefit_data, content_ruleset, make_ruleset

RULES = content_ruleset()
CASES = [(b.id, i) for b in RULES.benefits for i in range(len(b.cases))]
FAMILIES = {"voucher", "guaranteed_loan", "interest_subsidy", "rent_subsidy", "tax_relief",
            "talent_housing", "equity_investment", "risk_compensation", "service"}


@pytest.mark.parametrize("benefit_id,index", CASES, ids=[f"{b}[{i}]" for b, i in CASES])
def test_benefit_case(benefit_id, index):
    benefit = RULES.benefit(benefit_id)
    case = benefit.cases[index]
    got = engine.evaluate_benefit(benefit, engine.facts_for(case.answers, RULES, case.on), RULES, case.on)
    assert got.status == case.expect, f"{case.name}: {[(c.id, c.met) for c in got.criteria]}"


def test_catalogue_covers_every_family_with_eligible_and_ineligible_cases():
    assert len(RULES.benefits) >= 25
    assert {b.kind for b in RULES.benefits} >= FAMILIES
    assert {b.kind for b in RULES.benefits} <= set(KINDS)
    for b in RULES.benefits:
        assert {"eligible", "ineligible"} <= {c.expect for c in b.cases}, b.id
        assert b.data["source"] and b.data["basis"], b.id
        assert b.data["verified_on"], b.id


def test_content_passes_the_structural_check():
    assert structural_problems(RULES) == []


def test_every_question_and_option_is_bilingual():
    for q in RULES.questions:
        assert q.text and q.text_en, q.id
        for o in q.options:
            assert o.text and o.text_en, (q.id, o.value)


def test_structural_check_reports_a_benefit_without_sources():
    data = benefit_data()
    data["conditions"]["all"][0]["source"] = ""
    from portal.eligibility.schema import FactTypes, read_benefit
    from tests.rulesets import REGIONS

    rules = make_ruleset(benefit_data())
    _benefit, problems = read_benefit(data, FactTypes(rules.questions, set(REGIONS)), set(), {"b"})
    assert any(p.path == "conditions.all[0].source" for p in problems)
    data = benefit_data(basis=[])
    _benefit, problems = read_benefit(data, FactTypes(rules.questions, set(REGIONS)), set(), {"b"})
    assert any(p.path == "basis" for p in problems)


def test_schema_names_the_field_for_unknown_facts_and_values():
    from portal.eligibility.schema import FactTypes, read_benefit
    from tests.rulesets import REGIONS

    rules = make_ruleset(benefit_data())
    facts = FactTypes(rules.questions, set(REGIONS))
    bad = benefit_data(criteria=[{"id": "x", "text": "x", "text_en": "x", "source": "x",
                                  "fact": "shoe_size", "max": 40}])
    _b, problems = read_benefit(bad, facts, set(), {"b"})
    assert [p.path for p in problems] == ["conditions.all[0].fact"]
    bad = benefit_data(criteria=[{"id": "x", "text": "x", "text_en": "x", "source": "x",
                                  "fact": "applicant", "is": "martian"}])
    _b, problems = read_benefit(bad, facts, set(), {"b"})
    assert [p.path for p in problems] == ["conditions.all[0].is"]
    bad = benefit_data(cases=[{"name": "only", "on": "2026-12-01", "expect": "eligible",
                               "answers": {"applicant": "company"}}])
    _b, problems = read_benefit(bad, facts, set(), {"b"})
    assert [p.path for p in problems] == ["cases"]


def test_case_failures_are_found():
    data = benefit_data()
    data["cases"].append({"name": "wrong", "on": "2026-12-01", "expect": "eligible",
                          "answers": {"applicant": "individual", "region": "cn"}})
    rules = make_ruleset(data)
    assert [c.passed for c in run_cases(rules.benefits[0], rules)] == [True, True, False]


def test_cli_rules_check_passes_on_content(content_app):
    result = content_app.test_cli_runner().invoke(args=["rules", "check"])
    assert result.exit_code == 0, result.output
    assert f"{len(RULES.benefits)} benefits" in result.output
    assert " 0 problems" in result.output


def test_cli_rules_check_fails_when_a_case_fails(app):
    from portal import db
    from portal.content.loader import load_content
    from portal.eligibility.models import Benefit
    from tests.conftest import CONTENT

    session = db.session()
    load_content(session, CONTENT)
    session.commit()
    row = session.get(Benefit, RULES.benefits[0].id)
    definition = dict(row.definition)
    swap = {"eligible": "ineligible", "ineligible": "eligible", "needs_info": "needs_info"}
    definition["cases"] = [{**c, "expect": swap[c["expect"]]} for c in definition["cases"]]
    row.definition = definition
    row.content_hash = "changed"
    session.commit()
    result = app.test_cli_runner().invoke(args=["rules", "check"])
    assert result.exit_code == 1
    assert "expected ineligible, got eligible" in result.output
