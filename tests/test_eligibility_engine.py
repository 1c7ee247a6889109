"""The pure engine: three-valued criteria, missing facts, the next question, amounts, hints."""

from __future__ import annotations

import datetime as dt

from portal.eligibility import engine
from portal.eligibility.check import run_cases, structural_problems
from tests.rulesets import ON, benefit_data, make_ruleset

HOSTED = {
    "id": "hosted",
    "text": "入驻经认定的众创空间",
    "text_en": "Hosted",
    "source": "第二条",
    "fact": "hosted_in_recognized_space",
    "is": True,
}
GROUPS = {
    "id": "group",
    "text": "重点群体",
    "text_en": "Target group",
    "source": "第二条",
    "fact": "person_groups",
    "contains_any": ["college_graduate", "veteran"],
}
SMALL = {
    "id": "small",
    "text": "小微企业",
    "text_en": "Small firm",
    "source": "第三条",
    "any": [{"fact": "applicant", "is": "individual"}, {"fact": "employees", "max": 20}],
}


def result(rules, answers, on=ON, benefit="b"):
    evaluation = engine.evaluate(answers, rules, on)
    return next(r for r in evaluation.results if r.benefit.id == benefit)


def test_all_criteria_met_is_eligible_and_any_unmet_is_ineligible():
    rules = make_ruleset(benefit_data(criteria=[GROUPS, HOSTED]))
    yes = result(rules, {"region": "cn", "person_groups": ["veteran"], "hosted_in_recognized_space": True})
    assert yes.status == "eligible"
    assert [c.met for c in yes.criteria] == [True, True, True]
    no = result(rules, {"region": "cn", "person_groups": ["veteran"], "hosted_in_recognized_space": False})
    assert no.status == "ineligible"
    assert [c.id for c in no.criteria if c.met is False] == ["hosted"]


def test_unknown_stays_unknown_until_answered_and_names_the_missing_fact():
    rules = make_ruleset(benefit_data(criteria=[GROUPS, HOSTED]))
    r = result(rules, {"region": "cn", "person_groups": ["veteran"]})
    assert r.status == "needs_info"
    assert r.missing == ("hosted_in_recognized_space",)
    assert [c.met for c in r.criteria] == [True, True, None]


def test_an_unmet_criterion_decides_without_the_unknown_ones():
    rules = make_ruleset(benefit_data(criteria=[GROUPS, HOSTED]))
    r = result(rules, {"region": "cn", "person_groups": []})
    assert r.status == "ineligible"
    assert r.missing == ()


def test_any_is_met_by_one_part_and_the_other_is_not_asked():
    rules = make_ruleset(benefit_data(criteria=[SMALL]))
    assert result(rules, {"region": "cn", "applicant": "individual"}).status == "eligible"
    firm = result(rules, {"region": "cn", "applicant": "company"})
    assert firm.status == "needs_info"
    assert firm.missing == ("company_registered",)  # employees is asked only once a firm is registered


def test_a_question_that_does_not_apply_cannot_meet_a_condition():
    rules = make_ruleset(benefit_data(criteria=[SMALL]))
    r = result(rules, {"region": "cn", "applicant": "company", "company_registered": False, "employees": 5})
    assert r.status == "ineligible"  # employees does not apply without a registered company


def test_not_inverts_and_keeps_unknown():
    crit = [
        {
            "id": "not-hte",
            "text": "非高新技术企业",
            "text_en": "Not high-tech",
            "source": "x",
            "not": {"fact": "high_tech_enterprise", "is": True},
        }
    ]
    rules = make_ruleset(benefit_data(criteria=crit))
    base = {"region": "cn", "applicant": "company", "company_registered": True}
    assert result(rules, {**base, "high_tech_enterprise": False}).status == "eligible"
    assert result(rules, {**base, "high_tech_enterprise": True}).status == "ineligible"
    assert result(rules, base).status == "needs_info"


def test_region_scope_includes_everything_below_it():
    rules = make_ruleset(benefit_data(region="gansu-lanzhou", criteria=[HOSTED]))
    inside = result(rules, {"region": "gansu-lanzhou-chengguan", "hosted_in_recognized_space": True})
    assert inside.status == "eligible"
    assert inside.criteria[0].id == "region"
    outside = result(rules, {"region": "hebei-cangzhou", "hosted_in_recognized_space": True})
    assert outside.status == "ineligible"
    assert outside.criteria[0].met is False


def test_derived_company_age_is_computed_on_the_evaluation_date():
    young = [
        {
            "id": "young",
            "text": "成立不满3年",
            "text_en": "Under 3 years old",
            "source": "x",
            "fact": "company_age_years",
            "less_than": 3,
        }
    ]
    rules = make_ruleset(benefit_data(criteria=young))
    answers = {"region": "cn", "company_registered": True, "company_founded_on": dt.date(2024, 6, 1)}
    assert result(rules, answers, on=dt.date(2026, 12, 1)).status == "eligible"
    assert result(rules, answers, on=dt.date(2027, 6, 2)).status == "ineligible"


def test_years_since_graduation_for_this_years_graduates():
    crit = [
        {
            "id": "grad",
            "text": "毕业年度内",
            "text_en": "Graduating this year",
            "source": "x",
            "all": [
                {"fact": "person_groups", "contains": "college_graduate"},
                {"fact": "years_since_graduation", "max": 0},
            ],
        }
    ]
    rules = make_ruleset(benefit_data(criteria=crit))
    base = {"region": "cn", "person_groups": ["college_graduate"]}
    assert result(rules, {**base, "graduation_year": 2026}).status == "eligible"
    assert result(rules, {**base, "graduation_year": 2024}).status == "ineligible"
    r = result(rules, base)
    assert r.status == "needs_info" and r.missing == ("graduation_year",)


def test_amounts_are_the_values_in_force_on_the_date():
    amounts = [
        {
            "id": "cap",
            "label": "上限",
            "label_en": "Cap",
            "values": [
                {
                    "from": "2016-01-01",
                    "to": "2020-03-31",
                    "text": "10万元",
                    "text_en": "100k",
                    "amount": 100000,
                    "source": "old",
                },
                {
                    "from": "2020-04-01",
                    "to": None,
                    "text": "20万元",
                    "text_en": "200k",
                    "amount": 200000,
                    "source": "new",
                },
            ],
        }
    ]
    rules = make_ruleset(benefit_data(amounts=amounts))
    answers = {"region": "cn", "applicant": "company"}
    ((_a, value),) = result(rules, answers, on=dt.date(2019, 5, 1)).amounts
    assert value.amount == 100000
    ((_a, value),) = result(rules, answers, on=dt.date(2026, 1, 1)).amounts
    assert value.amount == 200000
    ((_a, value),) = result(rules, answers, on=dt.date(2015, 1, 1)).amounts
    assert value is None


def test_next_question_follows_the_order_and_skips_what_no_longer_matters():
    rules = make_ruleset(benefit_data(criteria=[GROUPS, HOSTED]))
    asked = []
    answers: dict = {}
    script = {
        "applicant": "individual",
        "region": "cn",
        "person_groups": [],
        "hosted_in_recognized_space": True,
    }
    while (q := engine.next_question(answers, rules, ON)) is not None:
        asked.append(q.id)
        answers[q.id] = script[q.id]
    # No group: the benefit is decided, so the hosting question is never asked.
    assert asked == ["applicant", "region", "person_groups"]  # person groups are asked after "who"
    assert result(rules, answers).status == "ineligible"


def test_the_wizard_stops_once_nothing_undecided_depends_on_more_answers():
    rules = make_ruleset(benefit_data(criteria=[HOSTED]))
    assert engine.next_question({"region": "cn"}, rules, ON).id == "hosted_in_recognized_space"
    assert engine.next_question({"region": "cn", "hosted_in_recognized_space": False}, rules, ON) is None


def test_unlock_hint_is_the_smallest_change_of_a_changeable_answer():
    rules = make_ruleset(benefit_data(criteria=[GROUPS, HOSTED]))
    r = result(rules, {"region": "cn", "person_groups": ["veteran"], "hosted_in_recognized_space": False})
    assert r.hints, "a hint was expected"
    assert r.hints[0].changes == {"hosted_in_recognized_space": True}
    assert r.hints[0].complete
    assert [c.id for c in r.hints[0].criteria] == ["hosted"]


def test_no_hint_from_answers_nobody_can_change():
    rules = make_ruleset(benefit_data(region="hebei-cangzhou", criteria=[GROUPS]))
    r = result(rules, {"region": "cn", "person_groups": []})
    assert r.status == "ineligible"
    assert r.hints == ()  # neither the region nor the person's groups are changeable


def test_hint_brings_the_prerequisite_answer_along():
    crit = [
        {
            "id": "tech",
            "text": "科技型中小企业",
            "text_en": "Tech SME",
            "source": "x",
            "fact": "tech_sme",
            "is": True,
        }
    ]
    rules = make_ruleset(benefit_data(criteria=crit))
    r = result(rules, {"region": "cn", "applicant": "individual", "company_registered": False})
    assert r.hints[0].changes == {"tech_sme": True, "company_registered": True}


def test_exclusions_are_reported_both_ways_when_both_are_eligible():
    a = benefit_data("a", excludes=["c"])
    c = benefit_data("c")
    rules = make_ruleset(a, c)
    evaluation = engine.evaluate({"region": "cn", "applicant": "company"}, rules, ON)
    by_id = {r.benefit.id: r for r in evaluation.results}
    assert by_id["a"].excluded_by == ("c",)
    assert by_id["c"].excluded_by == ("a",)


def test_results_carry_the_ruleset_version_and_date():
    rules = make_ruleset(benefit_data())
    evaluation = engine.evaluate({}, rules, ON)
    assert evaluation.ruleset_version == "test" and evaluation.on == ON


def test_cases_report_failures():
    data = benefit_data()
    data["cases"][0]["expect"] = "ineligible"
    data["cases"].append(
        {
            "name": "third",
            "on": "2026-12-01",
            "expect": "eligible",
            "answers": {"applicant": "company", "region": "cn"},
        }
    )
    rules = make_ruleset(data)
    outcome = {c.name: c.passed for c in run_cases(rules.benefits[0], rules)}
    assert outcome == {"yes": False, "no": True, "third": True}


def test_structural_check_finds_questions_no_rule_reads():
    rules = make_ruleset(benefit_data(criteria=[HOSTED]))
    problems = structural_problems(rules)
    assert "question tech_sme: changes no result (no rule reads it)" in problems
    assert not any("hosted_in_recognized_space" in p for p in problems)
    # company_registered matters only through questions that rules read: here none do.
    assert "question company_registered: changes no result (no rule reads it)" in problems


def test_criteria_unmet_only_because_a_question_does_not_apply_are_marked():
    crit = [
        {
            "id": "firm",
            "text": "已注册企业",
            "text_en": "Registered",
            "source": "x",
            "fact": "company_registered",
            "is": True,
        },
        {
            "id": "small",
            "text": "员工不超过20人",
            "text_en": "At most 20 staff",
            "source": "x",
            "fact": "employees",
            "max": 20,
        },
    ]
    rules = make_ruleset(benefit_data(criteria=crit))
    r = result(rules, {"region": "cn", "company_registered": False})
    by_id = {c.id: c for c in r.criteria}
    assert by_id["firm"].met is False and not by_id["firm"].not_applicable
    assert by_id["small"].met is False and by_id["small"].not_applicable
    big = result(rules, {"region": "cn", "company_registered": True, "employees": 50})
    assert not {c.id: c for c in big.criteria}["small"].not_applicable


def test_months_count_from_the_month_of_registration():
    rules = make_ruleset(benefit_data())
    facts = engine.facts_for({"company_founded_on": dt.date(2023, 12, 15)}, rules, dt.date(2026, 12, 1))
    assert facts["months_since_registration"] == 36  # December 2023 is month 1: outside in December 2026
    facts = engine.facts_for({"company_founded_on": dt.date(2024, 1, 1)}, rules, dt.date(2026, 12, 31))
    assert facts["months_since_registration"] == 35


def test_undefined_terms_never_give_eligible_and_ask_nothing():
    vague = {
        "id": "youth",
        "text": "青年",
        "text_en": "Young",
        "source": "NS L316",
        "undefined": "青年 is not defined",
    }
    rules = make_ruleset(
        benefit_data(
            criteria=[vague],
            cases=[
                {"name": "a", "on": "2026-12-01", "expect": "needs_info", "answers": {"region": "cn"}},
                {"name": "b", "on": "2026-12-01", "expect": "ineligible", "answers": {"region": "hebei"}},
            ],
        )
    )
    r = result(rules, {"region": "cn", "applicant": "individual", "age": 26})
    assert r.status == "needs_info"
    assert r.missing == ()
    assert engine.next_question({"region": "cn", "applicant": "individual"}, rules, ON) is None


def test_answers_read_years_with_units_refuse_future_graduation_and_accept_an_empty_group_list():
    from portal.eligibility.answers import parse_answers

    rules = make_ruleset(benefit_data())
    answers, problems = parse_answers(
        {"person_groups": ["college_graduate"], "graduation_year": "2025年"},
        rules,
        today=dt.date(2026, 12, 2),
    )
    assert answers["graduation_year"] == 2025 and problems == []
    _a, problems = parse_answers({"graduation_year": "2027"}, rules, today=dt.date(2026, 12, 2))
    assert [p.path for p in problems] == ["graduation_year"]
    answers, problems = parse_answers({"person_groups": []}, rules, strict=True)
    assert answers["person_groups"] == [] and problems == []
    _a, problems = parse_answers({"person_groups": ["none", "veteran"]}, rules)
    assert "none of these" in problems[0].message


def test_a_year_reads_without_a_thousands_separator():
    from portal.eligibility.wizard import answer_text

    rules = make_ruleset(benefit_data())
    assert answer_text(rules.question("graduation_year"), 2025, rules) == "2025"
    assert answer_text(rules.question("employees"), 1200, rules) == "1,200"


def test_two_changes_meeting_the_same_criterion_give_one_hint():
    from tests.rulesets import content_ruleset

    rules = content_ruleset()
    answers = {"applicant": "company", "region": "cn", "company_registered": False}
    evaluation = engine.evaluate(answers, rules, dt.date(2026, 12, 2))
    for r in evaluation.results:
        keys = [(tuple(c.id for c in h.criteria) or tuple(sorted(h.changes)), h.complete) for h in r.hints]
        assert len(keys) == len(set(keys)), r.benefit.id
    six = next(r for r in evaluation.results if r.benefit.id == "six-taxes-two-fees-halving")
    assert six.hints and len({h.complete for h in six.hints}) == len(six.hints)
