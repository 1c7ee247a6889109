"""The eligibility engine: benefits' rules evaluated over a founder's answers, in three-valued logic.

Pure: no Flask, no database. A criterion is met (True), unmet (False) or unknown (None, the fact
is not answered yet); `all` is unmet as soon as one part is unmet, `any` met as soon as one part is
met, and a benefit stays `needs_info` until the answers decide it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from portal.eligibility.rules import NOT_APPLICABLE, UNDEFINED, Benefit, Leaf, Node, Question, Ruleset

ELIGIBLE, INELIGIBLE, NEEDS_INFO = "eligible", "ineligible", "needs_info"
# Facts the engine derives on the evaluation date, each with the questions it is computed from.
DERIVED = {
    "company_age_years": ("company_founded_on",),
    "months_since_registration": ("company_founded_on",),
    "years_since_graduation": ("graduation_year",),
    "registration_years_after_graduation": ("company_founded_on", "graduation_year"),
    "new_hires_percent": ("employees", "guaranteed_loan_new_hires"),
}
MAX_HINT_CHANGES = 2


@dataclass(frozen=True)
class CriterionResult:
    """One top-level criterion of a benefit and whether the answers meet it."""

    id: str
    text: str
    text_en: str
    source: str
    met: bool | None
    # Unmet only because a question does not apply (no company, so no employee count): pages show
    # the criterion that rules the question out instead.
    not_applicable: bool = False
    # The text leaves the term undefined: no answer decides it, the office does.
    undefined: bool = False


@dataclass(frozen=True)
class Hint:
    """Answers that, changed together, would make a benefit eligible."""

    changes: dict[str, Any]
    criteria: tuple[CriterionResult, ...]  # the unmet criteria these changes would meet
    complete: bool  # True: eligible after the change; False: only no longer ruled out


@dataclass(frozen=True)
class BenefitResult:
    """What one benefit means for these answers."""

    benefit: Benefit
    status: str
    criteria: tuple[CriterionResult, ...]
    missing: tuple[str, ...]
    amounts: tuple[tuple[Any, Any], ...]  # (amount definition, value in force or None)
    hints: tuple[Hint, ...] = ()
    excluded_by: tuple[str, ...] = ()  # other eligible benefits this one cannot be combined with


@dataclass(frozen=True)
class Evaluation:
    """Every benefit's result, the date and the ruleset version they were computed for."""

    on: dt.date
    ruleset_version: str
    results: tuple[BenefitResult, ...]
    facts: dict[str, Any] = field(default_factory=dict)


def facts_for(answers: dict[str, Any], ruleset: Ruleset, on: dt.date) -> dict[str, Any]:
    """Answers plus derived facts; a question that does not apply to these answers is marked so."""
    facts = dict(answers)
    facts["evaluation_date"] = on.toordinal()
    founded = facts.get("company_founded_on")
    if isinstance(founded, dt.date):
        facts["company_age_years"] = (on - founded).days / 365.25
        # The texts count "3 years" as 36 months from the month of registration (that month is
        # month 1): registered in December 2023, the 36th month is November 2026.
        facts["months_since_registration"] = (on.year - founded.year) * 12 + on.month - founded.month
    year = facts.get("graduation_year")
    if isinstance(year, int):
        # 毕业年度 is the calendar year of graduation: 0 in that year, 1 in the next.
        facts["years_since_graduation"] = on.year - year
        if isinstance(founded, dt.date):
            facts["registration_years_after_graduation"] = founded.year - year
    hires, staff = facts.get("guaranteed_loan_new_hires"), facts.get("employees")
    if isinstance(hires, int) and isinstance(staff, int):
        facts["new_hires_percent"] = hires * 100 / staff if staff else 0
    for question in ruleset.questions:
        if question.asked_when is not None and _value(question.asked_when, facts, ruleset) is False:
            facts[question.id] = NOT_APPLICABLE
            for derived, bases in DERIVED.items():
                if question.id in bases:
                    facts[derived] = NOT_APPLICABLE
    return facts


def _leaf(leaf: Leaf, facts: dict[str, Any], ruleset: Ruleset) -> bool | None:
    if leaf.op == UNDEFINED:
        return None  # the text leaves the term undefined: no answer can meet it
    value = facts.get(leaf.fact)
    if value is None:
        return None
    if value is NOT_APPLICABLE:
        return False  # a question that does not apply (no company yet) cannot meet a condition
    op, expected = leaf.op, leaf.value
    if op == "is":
        return value == expected
    if op == "in":
        return value in expected
    if op == "contains":
        return expected in value
    if op == "contains_any":
        return any(v in value for v in expected)
    if op == "within":
        return expected in ruleset.ancestors(value)
    if op == "min":
        return value >= expected
    if op == "max":
        return value <= expected
    if op == "less_than":
        return value < expected
    if op == "more_than":
        return value > expected
    raise ValueError(f"unknown operator {op}")


def _value(node: Node, facts: dict[str, Any], ruleset: Ruleset) -> bool | None:
    if isinstance(node, Leaf):
        return _leaf(node, facts, ruleset)
    if node.op == "not":
        value = _value(node.children[0], facts, ruleset)
        return None if value is None else not value
    # `all` is decided by the first unmet part, `any` by the first met one: stop there.
    decisive = node.op != "all"
    unknown = False
    for child in node.children:
        value = _value(child, facts, ruleset)
        if value is decisive:
            return decisive
        unknown = unknown or value is None
    return None if unknown else not decisive


def _only_not_applicable(node: Node, facts: dict[str, Any], ruleset: Ruleset) -> bool:
    """Whether an unmet node is unmet only through facts whose questions do not apply."""
    if isinstance(node, Leaf):
        return facts.get(node.fact) is NOT_APPLICABLE
    if node.op == "not":
        return False
    unmet = [c for c in node.children if _value(c, facts, ruleset) is False]
    return bool(unmet) and all(_only_not_applicable(c, facts, ruleset) for c in unmet)


def _deciding_unknowns(node: Node, facts: dict[str, Any], ruleset: Ruleset) -> list[str]:
    """Facts of the unknown leaves that still matter: ones whose answer can change the result."""
    if _value(node, facts, ruleset) is not None:
        return []
    if isinstance(node, Leaf):
        return [] if node.op == UNDEFINED else [node.fact]
    found: list[str] = []
    for child in node.children:
        found.extend(_deciding_unknowns(child, facts, ruleset))
    return found


def _criteria(benefit: Benefit, ruleset: Ruleset) -> tuple[Node, ...]:
    """The benefit's top-level criteria: its dates and region scope first (built once per ruleset)."""
    cache = ruleset.criteria_cache
    if benefit.id not in cache:
        dated = benefit.date_criterion()
        cache[benefit.id] = (
            *((dated,) if dated else ()),
            benefit.region_criterion(ruleset),
            *benefit.top_level(),
        )
    return cache[benefit.id]


def _in_force(benefit: Benefit, on: dt.date) -> tuple[tuple[Any, Any], ...]:
    return tuple((amount, amount.value_on(on)) for amount in benefit.amounts)


def _askable(fact: str, facts: dict[str, Any], ruleset: Ruleset) -> list[str]:
    """The questions to ask to learn `fact`: itself, or first what decides whether it applies."""
    if fact in DERIVED:
        return [f for base in DERIVED[fact] if base not in facts for f in _askable(base, facts, ruleset)]
    question = ruleset.question(fact)
    if question is None or facts.get(fact) is NOT_APPLICABLE:
        return []
    if question.asked_when is not None and _value(question.asked_when, facts, ruleset) is None:
        out: list[str] = []
        for base in _deciding_unknowns(question.asked_when, facts, ruleset):
            out.extend(_askable(base, facts, ruleset))
        return out
    return [fact]


def evaluate_benefit(benefit: Benefit, facts: dict[str, Any], ruleset: Ruleset, on: dt.date) -> BenefitResult:
    """The result of one benefit for prepared facts (see `facts_for`)."""
    criteria = []
    missing: list[str] = []
    for node in _criteria(benefit, ruleset):
        met = _value(node, facts, ruleset)
        na = met is False and _only_not_applicable(node, facts, ruleset)
        undefined = isinstance(node, Leaf) and node.op == UNDEFINED
        criteria.append(CriterionResult(node.id, node.text, node.text_en, node.source, met, na, undefined))
    values = [c.met for c in criteria]
    status = INELIGIBLE if False in values else (NEEDS_INFO if None in values else ELIGIBLE)
    if status == NEEDS_INFO:
        for node in _criteria(benefit, ruleset):
            for fact in _deciding_unknowns(node, facts, ruleset):
                missing.extend(_askable(fact, facts, ruleset))
    wanted = set(missing)
    ordered = tuple(q.id for q in ruleset.questions if q.id in wanted) if wanted else ()
    return BenefitResult(benefit, status, tuple(criteria), ordered, _in_force(benefit, on))


def _still_open(benefit: Benefit, facts: dict[str, Any], ruleset: Ruleset) -> list[str] | None:
    """The questions that could decide a benefit still `needs_info` (None once it is decided):
    `evaluate_benefit`'s status and `missing` without the rest of its result."""
    nodes = _criteria(benefit, ruleset)
    values = [_value(node, facts, ruleset) for node in nodes]
    if False in values or None not in values:
        return None
    missing: list[str] = []
    for node, value in zip(nodes, values, strict=True):
        if value is None:
            for fact in _deciding_unknowns(node, facts, ruleset):
                missing.extend(_askable(fact, facts, ruleset))
    return missing


def evaluate(
    answers: dict[str, Any], ruleset: Ruleset, on: dt.date | None = None, hints: bool = True
) -> Evaluation:
    """Evaluate every benefit for `answers` on date `on` (today by default)."""
    on = on or dt.date.today()
    facts = facts_for(answers, ruleset, on)
    results = [evaluate_benefit(b, facts, ruleset, on) for b in ruleset.benefits]
    eligible = {r.benefit.id for r in results if r.status == ELIGIBLE}
    final = []
    for r in results:
        extra: dict[str, Any] = {}
        if hints and r.status == INELIGIBLE:
            extra["hints"] = tuple(unlock_hints(r, answers, ruleset, on, facts))
        clash = tuple(sorted(eligible & (set(r.benefit.excludes) | ruleset.excluders(r.benefit.id))))
        if clash:
            extra["excluded_by"] = clash
        final.append(BenefitResult(**{**r.__dict__, **extra}) if extra else r)
    return Evaluation(on, ruleset.version, tuple(final), facts)


def next_question(
    answers: dict[str, Any], ruleset: Ruleset, on: dt.date | None = None, evaluation: Evaluation | None = None
) -> Question | None:
    """The first question, in the set order, whose answer could still change some result."""
    evaluation = evaluation or evaluate(answers, ruleset, on, hints=False)
    wanted = {fact for r in evaluation.results if r.status == NEEDS_INFO for fact in r.missing}
    for question in ruleset.questions:
        if question.id in wanted and question.id not in answers:
            return question
    return None


MAX_PATH_STEPS = 4096  # wizard steps remembered per ruleset (a few hundred bytes each)


def asked_path(answers: dict[str, Any], ruleset: Ruleset, on: dt.date) -> list[Question]:
    """The questions the wizard asked, in order, to reach these answers (for "back" and "change").

    Adding answers never changes a decided benefit (the logic is monotone), so each step only
    re-evaluates the benefits still undecided. Steps are remembered per ruleset and date: the
    page for the next question repeats every step of the page before it.
    """
    known: dict[str, Any] = {}
    pending = ruleset.benefits
    path: list[Question] = []
    while pending:
        pending, q = _path_step(known, pending, ruleset, on)
        if q is None or q.id not in answers:
            break
        path.append(q)
        known[q.id] = answers[q.id]
    return path


def _path_step(
    known: dict[str, Any], pending: tuple[Benefit, ...], ruleset: Ruleset, on: dt.date
) -> tuple[tuple[Benefit, ...], Question | None]:
    """The benefits still undecided by the answers `known` and the next question to ask."""
    steps: dict = ruleset.path_steps  # type: ignore[attr-defined]
    key = (on, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in known.items()))
    if key not in steps:
        facts = facts_for(known, ruleset, on)
        open_now = [(b, _still_open(b, facts, ruleset)) for b in pending]
        wanted = {f for _b, missing in open_now if missing for f in missing}
        q = next((q for q in ruleset.questions if q.id in wanted and q.id not in known), None)
        if len(steps) >= MAX_PATH_STEPS:
            steps.clear()
        steps[key] = (tuple(b for b, missing in open_now if missing is not None), q)
    return steps[key]


def remaining_questions(evaluation: Evaluation, answers: dict[str, Any]) -> int:
    """How many questions still matter now (an estimate of how many are left)."""
    return len({f for r in evaluation.results if r.status == NEEDS_INFO for f in r.missing} - set(answers))


def _satisfying_values(leaf: Leaf, current: Any) -> list[Any]:
    """Values of the leaf's fact that would meet it (for the unlock hints)."""
    op, v = leaf.op, leaf.value
    if op == "is":
        return [v]
    if op == "in":
        return list(v)
    if op in ("contains", "contains_any"):
        base = [x for x in (current if isinstance(current, list) else []) if x != "none"]
        return [sorted({*base, x}) for x in (v if op == "contains_any" else [v])]
    if op in ("min", "max"):
        return [v]
    if op == "less_than":
        return [v - 1 if isinstance(v, int) else v * 0.99]
    if op == "more_than":
        return [v + 1 if isinstance(v, int) else v * 1.01 + 1]
    return []


def _unmet_leaves(node: Node, facts: dict[str, Any], ruleset: Ruleset) -> list[Leaf]:
    """Leaves that make the node unmet (for `any`, all its unmet parts are candidates)."""
    if _value(node, facts, ruleset) is not False:
        return []
    if isinstance(node, Leaf):
        return [node]
    if node.op == "not":
        return []  # meeting a negation means dropping an answer: no useful hint
    out: list[Leaf] = []
    for child in node.children:
        out.extend(_unmet_leaves(child, facts, ruleset))
    return out


def _with_prerequisites(
    fact: str, value: Any, facts: dict[str, Any], ruleset: Ruleset
) -> dict[str, Any] | None:
    """The change {fact: value} plus what makes its question apply (tech_sme needs a company)."""
    question = ruleset.question(fact)
    if question is None or not question.changeable:
        return None
    changes = {fact: value}
    if question.asked_when is not None and _value(question.asked_when, facts, ruleset) is not True:
        for leaf in _unmet_leaves(question.asked_when, facts, ruleset) or []:
            options = _satisfying_values(leaf, facts.get(leaf.fact))
            if not options:
                return None
            more = _with_prerequisites(leaf.fact, options[0], facts, ruleset)
            if more is None:
                return None
            changes.update(more)
    return changes


def unlock_hints(
    result: BenefitResult,
    answers: dict[str, Any],
    ruleset: Ruleset,
    on: dt.date,
    facts: dict[str, Any] | None = None,
) -> list[Hint]:
    """The smallest changes of answers (one, else two facts) that would make the benefit eligible."""
    benefit = result.benefit
    facts = facts if facts is not None else facts_for(answers, ruleset, on)
    candidates: list[dict[str, Any]] = []
    for node, before in zip(_criteria(benefit, ruleset), result.criteria, strict=True):
        if before.met is not False:
            continue
        own = []
        for leaf in _unmet_leaves(node, facts, ruleset):
            for value in _satisfying_values(leaf, answers.get(leaf.fact)):
                change = _with_prerequisites(leaf.fact, value, facts, ruleset)
                if change:
                    own.append(change)
        if not own:
            return []  # an unmet criterion nobody can change (the region, a date): no hint helps
        candidates.extend(c for c in own if c not in candidates)
    found: list[Hint] = []
    for size in range(1, MAX_HINT_CHANGES + 1):
        for combo in itertools.combinations(candidates, size):
            changes: dict[str, Any] = {}
            for part in combo:
                changes.update(part)
            if len(combo) > 1 and any(set(h.changes) <= set(changes) for h in found):
                continue
            trial = evaluate_benefit(benefit, facts_for({**answers, **changes}, ruleset, on), ruleset, on)
            if trial.status == INELIGIBLE:
                continue
            newly_met = tuple(
                c
                for c, before in zip(trial.criteria, result.criteria, strict=True)
                if c.met and before.met is False
            )
            found.append(Hint(changes, newly_met, trial.status == ELIGIBLE))
        if found:
            break
    found.sort(key=lambda h: (not h.complete, len(h.changes)))
    # Two changes that meet the same criteria read as the same hint ("small or micro" by either
    # answer): keep the simplest once.
    unique: dict[tuple, Hint] = {}
    for h in found:
        key = (tuple(c.id for c in h.criteria) or tuple(sorted(h.changes)), h.complete)
        unique.setdefault(key, h)
    return list(unique.values())[:3]
