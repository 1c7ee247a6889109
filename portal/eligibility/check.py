"""Structural checks of a ruleset and its rule tests (`flask --app portal rules check`). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from portal.eligibility.engine import DERIVED, evaluate_benefit, facts_for
from portal.eligibility.rules import Benefit, Ruleset, facts_in


@dataclass(frozen=True)
class CaseResult:
    benefit_id: str
    name: str
    expected: str
    got: str

    @property
    def passed(self) -> bool:
        return self.expected == self.got


def run_cases(benefit: Benefit, ruleset: Ruleset) -> list[CaseResult]:
    """Evaluate every rule test of one benefit."""
    out = []
    for case in benefit.cases:
        result = evaluate_benefit(benefit, facts_for(case.answers, ruleset, case.on), ruleset, case.on)
        out.append(CaseResult(benefit.id, case.name, case.expect, result.status))
    return out


def structural_problems(ruleset: Ruleset) -> list[str]:
    """Facts no question asks, questions that change no result, benefits citing no source."""
    problems: list[str] = []
    asked = {q.id for q in ruleset.questions}
    used: set[str] = set()
    for benefit in ruleset.benefits:
        facts = facts_in(benefit.conditions) | {"region"}
        for fact in sorted(facts):
            base = DERIVED.get(fact, fact)
            if base not in asked and fact != "evaluation_date":  # the date is not a question
                problems.append(f"benefit {benefit.id}: fact '{fact}' is asked by no question")
            used.add(base)
        basis = benefit.data.get("basis") or []
        source = benefit.data.get("source") or {}
        if not basis or not (source.get("ref") or source.get("url") or source.get("note")):
            problems.append(f"benefit {benefit.id}: cites no source")
        for node in benefit.top_level():
            if not node.source:
                problems.append(f"benefit {benefit.id}: criterion '{node.id}' cites no source")
    # A question matters when a rule reads it, or when it decides whether such a question is asked.
    matters = set(used)
    changed = True
    while changed:
        changed = False
        for q in ruleset.questions:
            if q.id in matters:
                for fact in facts_in(q.asked_when):
                    if fact not in matters:
                        matters.add(fact)
                        changed = True
    for q in ruleset.questions:
        if q.id not in matters and not q.reserved:
            problems.append(f"question {q.id}: changes no result (no rule reads it)")
        if q.reserved and q.id in used:
            problems.append(f"question {q.id}: a rule reads it, so it is no longer reserved")
    return problems
