"""Every benefit's YAML cases, the structural check, and `flask --app portal rules check`."""

from __future__ import annotations

import pytest

from portal.config import ROOT
from portal.eligibility import engine
from portal.eligibility.check import run_cases, structural_problems
from portal.eligibility.rules import KINDS, Leaf
from tests.rulesets import benefit_data, content_ruleset, make_ruleset

RULES = content_ruleset()
CASES = [(b.id, i) for b in RULES.benefits for i in range(len(b.cases))]
FAMILIES = {
    "voucher",
    "guaranteed_loan",
    "interest_subsidy",
    "rent_subsidy",
    "tax_relief",
    "talent_housing",
    "equity_investment",
    "risk_compensation",
    "service",
}


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
        undefined = any(isinstance(n, Leaf) and n.op == "undefined" for n in b.top_level())
        wanted = {"needs_info", "ineligible"} if undefined else {"eligible", "ineligible"}
        assert wanted <= {c.expect for c in b.cases}, b.id
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
    bad = benefit_data(
        criteria=[{"id": "x", "text": "x", "text_en": "x", "source": "x", "fact": "shoe_size", "max": 40}]
    )
    _b, problems = read_benefit(bad, facts, set(), {"b"})
    assert [p.path for p in problems] == ["conditions.all[0].fact"]
    bad = benefit_data(
        criteria=[
            {"id": "x", "text": "x", "text_en": "x", "source": "x", "fact": "applicant", "is": "martian"}
        ]
    )
    _b, problems = read_benefit(bad, facts, set(), {"b"})
    assert [p.path for p in problems] == ["conditions.all[0].is"]
    bad = benefit_data(
        cases=[
            {"name": "only", "on": "2026-12-01", "expect": "eligible", "answers": {"applicant": "company"}}
        ]
    )
    _b, problems = read_benefit(bad, facts, set(), {"b"})
    assert [p.path for p in problems] == ["cases"]


def test_case_failures_are_found():
    data = benefit_data()
    data["cases"].append(
        {
            "name": "wrong",
            "on": "2026-12-01",
            "expect": "eligible",
            "answers": {"applicant": "individual", "region": "cn"},
        }
    )
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


def _vacuous(node, rules) -> bool:
    """A criterion no answer can fail (`applicant` in every option): it has no "not met" case."""
    if not (isinstance(node, Leaf) and node.op == "in"):
        return False
    q = rules.question(node.fact)
    return q is not None and {o.value for o in q.options} <= set(node.value)


def test_every_deciding_condition_has_a_met_an_unmet_and_an_unanswered_case():
    lacking = []
    for b in RULES.benefits:
        seen: dict[str, set] = {}
        for case in b.cases:
            got = engine.evaluate_benefit(b, engine.facts_for(case.answers, RULES, case.on), RULES, case.on)
            for c in got.criteria:
                seen.setdefault(c.id, set()).add(c.met)
        for node in b.top_level():
            if isinstance(node, Leaf) and node.op == "undefined":
                wanted = {None}  # an undefined term is never met nor unmet
            else:
                wanted = {True, None} if _vacuous(node, RULES) else {True, False, None}
            if wanted - seen.get(node.id, set()):
                lacking.append((b.id, node.id, sorted(map(str, wanted - seen.get(node.id, set())))))
    assert lacking == []


def test_every_benefit_has_an_audit_whose_deciding_conditions_are_criteria():
    for b in RULES.benefits:
        audit = b.data["audit"]
        assert audit["checked_on"] and audit["deciding"], b.id
        ids = {n.id for n in b.top_level()}
        assert {d["criterion"] for d in audit["deciding"]} <= ids, b.id


def test_structural_check_fails_a_verified_benefit_without_an_address_and_an_unasked_condition():
    from portal.eligibility.check import structural_problems

    data = benefit_data(
        verified=True,
        audit={
            "checked_on": "2026-12-02",
            "deciding": [{"criterion": "company", "text": "企业"}, {"criterion": "size", "text": "小微企业"}],
        },
    )
    problems = structural_problems(make_ruleset(data))
    assert any("verified without the official address" in p for p in problems)
    assert any("audit.deciding[1]" in p and "not asked" in p for p in problems)
    data["source"] = {"kind": "public", "ref": "test", "url": "https://www.gov.cn/x"}
    data["audit"]["deciding"] = data["audit"]["deciding"][:1]
    assert [p for p in structural_problems(make_ruleset(data)) if p.startswith("benefit ")] == []


def test_basis_quotes_are_compared_with_the_cited_seed_line(tmp_path):
    from portal.eligibility.check import read_seeds, structural_problems

    (tmp_path / "004_x.txt").write_text("第一行\n落实好国家创业担保贷款政策，引导金融机构。\n", "utf-8")
    seeds = read_seeds(tmp_path)
    audit = {"checked_on": "2026-12-02", "deciding": [{"criterion": "company", "text": "企业"}]}
    cite = {"policy": None, "document": "方案", "clause": "x"}
    words = "落实好国家创业担保贷款政策"
    good = benefit_data(audit=audit, basis=[{**cite, "source": "S4 L2", "quote": words}])
    assert [p for p in structural_problems(make_ruleset(good), seeds) if p.startswith("benefit ")] == []
    wrong = benefit_data(audit=audit, basis=[{**cite, "source": "S4 L1", "quote": words}])
    assert any("is not on S4 L1" in p for p in structural_problems(make_ruleset(wrong), seeds))
    unquoted = benefit_data(
        audit=audit, basis=[{"policy": None, "document": "方案", "clause": "x", "source": "S4 L2"}]
    )
    assert any("without a quote" in p for p in structural_problems(make_ruleset(unquoted), seeds))
    # Without the seed folder (a clean clone without ../shared) only the comparison is skipped.
    skipped = structural_problems(make_ruleset(wrong), read_seeds(tmp_path / "missing"))
    assert [p for p in skipped if p.startswith("benefit ")] == []


def test_content_quotes_match_the_seeds_when_they_are_there():
    from portal.config import seeds_dir
    from portal.eligibility.check import read_seeds, structural_problems

    seeds = read_seeds(seeds_dir())
    if seeds is None:
        seeds = read_seeds(ROOT.parent.parent / "shared" / "seeds")  # a worktree beside the checkout
    assert seeds is not None, "the seed plans (../shared/seeds) are needed to compare basis quotes"
    assert structural_problems(RULES, seeds) == []


def test_cli_rules_check_compares_quotes_with_the_seed_folder_or_says_it_did_not(content_app, tmp_path):
    runner, old = content_app.test_cli_runner(), content_app.config["SEEDS_DIR"]
    try:
        content_app.config["SEEDS_DIR"] = tmp_path / "missing"
        skipped = runner.invoke(args=["rules", "check"])
        assert skipped.exit_code == 0 and "basis quotes not compared" in skipped.output
        blank = tmp_path / "seeds"
        blank.mkdir()
        for prefix in ("000", "001", "002", "003", "004"):
            (blank / f"{prefix}_seed.txt").write_text("无关的文字\n" * 1100, "utf-8")
        content_app.config["SEEDS_DIR"] = blank
        wrong = runner.invoke(args=["rules", "check"])
        assert wrong.exit_code == 1 and "is not on" in wrong.output
    finally:
        content_app.config["SEEDS_DIR"] = old
