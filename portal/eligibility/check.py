"""Structural checks of a ruleset and its rule tests (`flask --app portal rules check`). Pure."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from portal.eligibility.engine import DERIVED, evaluate_benefit, facts_for
from portal.eligibility.rules import Benefit, Ruleset, facts_in

# "S4 L162", "NS L272", "S4 L164–166": seed files 000_* … 004_*; NS, LJ and HD are plans in 002_*.
SEED_REF = re.compile(r"\b(S[0-4]|NS|LJ|HD) L(\d+)(?:\s*[–-]\s*(\d+))?")
SEED_FILES = {
    "S0": "000",
    "S1": "001",
    "S2": "002",
    "NS": "002",
    "LJ": "002",
    "HD": "002",
    "S3": "003",
    "S4": "004",
}


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


def read_seeds(directory: Path | None) -> dict[str, list[str]] | None:
    """Seed lines by file prefix ("000" …), or None when the seed folder is not there."""
    if directory is None or not directory.is_dir():
        return None
    seeds = {}
    for path in sorted(directory.glob("[0-9][0-9][0-9]_*.txt")):
        seeds[path.name[:3]] = path.read_text("utf-8").splitlines()
    return seeds or None


def _plain(text: str) -> str:
    """Text without spaces and punctuation, full- and half-width alike, for comparing quotes."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def quote_problem(source: str, quote: str, seeds: dict[str, list[str]]) -> str | None:
    """Why `quote` is not on the seed lines `source` cites (None when it is)."""
    refs = SEED_REF.findall(source)
    if not refs:
        return None
    lines = []
    for prefix, first, last in refs:
        text = seeds.get(SEED_FILES[prefix])
        start, end = int(first), int(last or first)
        if text is None or end > len(text) or start < 1:
            return f"cites {prefix} L{first}, which does not exist"
        lines.extend(text[start - 1 : end])
    body = _plain("".join(lines))
    for part in re.split(r"…+|\.\.\.", quote):
        if _plain(part) and _plain(part) not in body:
            return f"quote '{part.strip()[:40]}' is not on {source}"
    return None


def benefit_problems(benefit: Benefit, seeds: dict[str, list[str]] | None) -> list[str]:
    """A benefit's sources: the official address when verified, basis quotes, deciding conditions."""
    problems = []
    data = benefit.data
    source = data.get("source") or {}
    if benefit.verified and not source.get("url"):
        problems.append(f"benefit {benefit.id}: verified without the official address (source.url)")
    for i, item in enumerate(data.get("basis") or []):
        cited = str(item.get("source") or "")
        if not SEED_REF.search(cited):
            continue
        quote = str(item.get("quote") or "")
        if not quote:
            problems.append(f"benefit {benefit.id}: basis[{i}] cites {cited} without a quote")
        elif seeds is not None:
            found = quote_problem(cited, quote, seeds)
            if found:
                problems.append(f"benefit {benefit.id}: basis[{i}] {found}")
    # Every condition the audit found deciding must be a criterion of the rules (asked), or the
    # benefit must stay short of "eligible" with an undefined criterion.
    ids = {n.id for n in benefit.top_level()}
    for i, item in enumerate((data.get("audit") or {}).get("deciding") or []):
        criterion = item.get("criterion") if isinstance(item, dict) else None
        if criterion not in ids:
            problems.append(
                f"benefit {benefit.id}: deciding condition audit.deciding[{i}] "
                f"('{(item or {}).get('text', '')}') is not asked by any criterion"
            )
    if data.get("audit") is None:
        problems.append(f"benefit {benefit.id}: no audit record (audit.checked_on, audit.deciding)")
    return problems


def structural_problems(ruleset: Ruleset, seeds: dict[str, list[str]] | None = None) -> list[str]:
    """Facts no question asks, questions that change no result, benefits citing no source or
    citing seed lines that do not say what is quoted, deciding conditions nobody asks."""
    problems: list[str] = []
    asked = {q.id for q in ruleset.questions}
    used: set[str] = set()
    for benefit in ruleset.benefits:
        facts = facts_in(benefit.conditions) | {"region"}
        for fact in sorted(facts):
            bases = DERIVED.get(fact, (fact,))
            for base in bases:
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
        problems.extend(benefit_problems(benefit, seeds))
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
