"""The rules as data: questions, benefits, their condition trees and dated amounts. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


class _NotApplicable:
    """A fact whose question does not apply to these answers (no company, so no employees)."""

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = _NotApplicable()
LEAF_OPS = ("is", "in", "contains", "contains_any", "within", "min", "max", "less_than", "more_than")
UNDEFINED = "undefined"  # a criterion whose term the text does not define: never met, never asked
GROUP_OPS = ("all", "any", "not")
QUESTION_TYPES = ("choice", "multi", "boolean", "integer", "number", "date", "region")
KINDS = (
    "voucher",
    "guaranteed_loan",
    "interest_subsidy",
    "rent_subsidy",
    "grant",
    "tax_relief",
    "talent_housing",
    "equity_investment",
    "risk_compensation",
    "service",
    "other",
)
STATUSES = ("eligible", "ineligible", "needs_info")


@dataclass(frozen=True)
class Leaf:
    """A comparison of one fact with a value."""

    fact: str
    op: str
    value: Any
    id: str = ""
    text: str = ""
    text_en: str = ""
    source: str = ""


@dataclass(frozen=True)
class Group:
    """all / any / not over other nodes."""

    op: str
    children: tuple[Node, ...]
    id: str = ""
    text: str = ""
    text_en: str = ""
    source: str = ""


Node = Leaf | Group


@dataclass(frozen=True)
class Option:
    value: str
    text: str
    text_en: str


@dataclass(frozen=True)
class Question:
    """One wizard question; its id is the fact the rules use."""

    id: str
    type: str
    text: str
    text_en: str
    hint: str = ""
    hint_en: str = ""
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    asked_when: Node | None = None
    changeable: bool = True
    reserved: bool = False  # an answer key of the API contract that no rule reads yet
    not_future: bool = False  # a year that cannot lie after the current year (a graduation year)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class DatedValue:
    """An amount, rate or cap in force from `start` to `end` (inclusive; None is open)."""

    start: dt.date | None
    end: dt.date | None
    text: str
    text_en: str
    amount: float | None
    unit: str | None
    source: str

    def in_force(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Amount:
    id: str
    label: str
    label_en: str
    values: tuple[DatedValue, ...]

    def value_on(self, on: dt.date) -> DatedValue | None:
        return next((v for v in self.values if v.in_force(on)), None)


@dataclass(frozen=True)
class Case:
    """A rule test: these answers on this date must give this status."""

    name: str
    on: dt.date
    answers: dict[str, Any]
    expect: str


@dataclass(frozen=True)
class Benefit:
    """A benefit with the rules that decide who gets it; `data` is the definition as written."""

    id: str
    name: str
    name_en: str
    kind: str
    issuer: str
    issuer_en: str
    region: str
    conditions: Group
    amounts: tuple[Amount, ...]
    excludes: tuple[str, ...]
    cases: tuple[Case, ...]
    policy_ids: tuple[str, ...]
    verified: bool
    data: dict[str, Any] = field(compare=False, repr=False)
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    # A fund that decides case by case: a founder can approach it, never "can probably get" it.
    discretionary: bool = False

    def top_level(self) -> tuple[Node, ...]:
        if self.conditions.op == "all":
            return self.conditions.children
        return (self.conditions,)

    def date_criterion(self) -> Group | None:
        """ "In force on the evaluation date", when the benefit has a start or an end."""
        if self.effective_from is None and self.effective_to is None:
            return None
        parts = []
        if self.effective_from:
            parts.append(Leaf("evaluation_date", "min", self.effective_from.toordinal()))
        if self.effective_to:
            parts.append(Leaf("evaluation_date", "max", self.effective_to.toordinal()))
        start = self.effective_from.isoformat() if self.effective_from else "…"
        end = self.effective_to.isoformat() if self.effective_to else "…"
        source = "; ".join(b.get("source") or b.get("clause") or "" for b in self.data.get("basis", []))
        return Group(
            "all",
            tuple(parts),
            "in_force",
            f"申请时政策在有效期内（{start} 至 {end}）",
            f"The measure is in force when you apply ({start} to {end})",
            source,
        )

    def region_criterion(self, ruleset: Ruleset) -> Leaf:
        name, name_en = ruleset.region_names.get(self.region, (self.region, self.region))
        source = "; ".join(b.get("source") or b.get("clause") or "" for b in self.data.get("basis", []))
        if self.region == "cn":
            return Leaf(
                "region",
                "within",
                "cn",
                "region",
                "在中国境内注册或居住",
                "Registered or living in China",
                source,
            )
        return Leaf(
            "region",
            "within",
            self.region,
            "region",
            f"在{name}注册或居住",
            f"Registered or living in {name_en}",
            source,
        )


@dataclass(frozen=True)
class Ruleset:
    """Everything the engine needs: questions in order, benefits and the region tree."""

    version: str
    questions: tuple[Question, ...]
    benefits: tuple[Benefit, ...]
    region_parents: dict[str, str | None]
    region_names: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_id = {q.id: q for q in self.questions}
        excluders: dict[str, set[str]] = {}
        for b in self.benefits:
            for other in b.excludes:
                excluders.setdefault(other, set()).add(b.id)
        object.__setattr__(self, "_questions", by_id)
        object.__setattr__(self, "_excluders", excluders)
        object.__setattr__(self, "_ancestors", {})
        object.__setattr__(self, "criteria_cache", {})  # benefit id -> top-level criteria (engine)
        object.__setattr__(self, "label_cache", {})  # (language, region id) -> its name in pages
        object.__setattr__(self, "path_steps", {})  # (date, answers so far) -> wizard step (engine)

    def question(self, fact: str) -> Question | None:
        return self._questions.get(fact)  # type: ignore[attr-defined]

    def excluders(self, benefit_id: str) -> set[str]:
        return self._excluders.get(benefit_id, set())  # type: ignore[attr-defined]

    def benefit(self, benefit_id: str) -> Benefit | None:
        return next((b for b in self.benefits if b.id == benefit_id), None)

    def ancestors(self, region: str) -> frozenset[str]:
        """The region and every region above it."""
        cache: dict[str, frozenset[str]] = self._ancestors  # type: ignore[attr-defined]
        if region not in cache:
            chain, current, seen = [], region, set()
            while current is not None and current not in seen:
                seen.add(current)
                chain.append(current)
                current = self.region_parents.get(current)
            cache[region] = frozenset(chain)
        return cache[region]


def facts_in(node: Node | None) -> set[str]:
    """Every fact a condition tree reads."""
    if node is None:
        return set()
    if isinstance(node, Leaf):
        return set() if node.op == UNDEFINED else {node.fact}
    return set().union(*(facts_in(c) for c in node.children))
