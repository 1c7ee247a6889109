"""Reading questions and benefit definitions from plain data, reporting every problem by field. Pure."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from portal.core import lengths
from portal.core.offices import KINDS as OFFICE_KINDS
from portal.eligibility.models import Benefit as BenefitModel
from portal.eligibility.models import EligibilityQuestion
from portal.eligibility.rules import (
    GROUP_OPS,
    KINDS,
    LEAF_OPS,
    QUESTION_TYPES,
    STATUSES,
    UNDEFINED,
    Amount,
    Benefit,
    Case,
    DatedValue,
    Group,
    Leaf,
    Node,
    Option,
    Question,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
DERIVED_FACTS = {
    "company_age_years": "number",
    "years_since_graduation": "integer",
    "months_since_registration": "integer",
    "registration_years_after_graduation": "integer",
    "new_hires_percent": "number",
    "evaluation_date": "integer",
}


def N_(message: str) -> str:  # noqa: N802 - the gettext marker name that extraction looks for
    """Mark a message for translation; the web layer translates it when it shows the problem."""
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: where, and a message template with its values."""

    path: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return f"field '{self.path}': {self.message % self.params}"


class Reader:
    """Collects problems while reading nested data, each with its dotted path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(path, message, params))

    def text(self, data: dict, key: str, path: str, required: bool = True, column=None) -> str:
        """The text at `key`; with `column`, no longer than that model column holds."""
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(f"{path}{key}", N_("is required"))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(f"{path}{key}", N_("must be text"))
            return ""
        text = str(value).strip()
        if column is not None and lengths.too_long(text, column):
            self.fail(f"{path}{key}", N_("must be at most %(n)s characters"), n=lengths.limit(column))
        return text

    def date(self, data: dict, key: str, path: str, required: bool = False) -> dt.date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"{path}{key}", N_("is required"))
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{path}{key}", N_("must be a date YYYY-MM-DD"))
            return None

    def mapping(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.fail(path or "(definition)", N_("must be a mapping of fields"))
            return {}
        return value

    def items(self, data: dict, key: str, path: str) -> list[tuple[str, dict]]:
        value = data.get(key) or []
        if not isinstance(value, list):
            self.fail(f"{path}{key}", N_("must be a list"))
            return []
        return [(f"{path}{key}[{i}]", self.mapping(v, f"{path}{key}[{i}]")) for i, v in enumerate(value)]


class FactTypes:
    """What each fact is, for checking the values that rules and cases compare it with."""

    def __init__(self, questions: tuple[Question, ...], region_ids: set[str]) -> None:
        self.questions = {q.id: q for q in questions}
        self.region_ids = region_ids

    def type_of(self, fact: str) -> str | None:
        if fact in DERIVED_FACTS:
            return DERIVED_FACTS[fact]
        q = self.questions.get(fact)
        return q.type if q else None

    def valid_value(self, fact: str, value: Any) -> bool:
        kind = self.type_of(fact)
        q = self.questions.get(fact)
        if kind in ("choice", "multi"):
            return isinstance(value, str) and q is not None and q.option(value) is not None
        if kind == "boolean":
            return isinstance(value, bool)
        if kind == "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if kind == "number":
            return isinstance(value, int | float) and not isinstance(value, bool)
        if kind == "region":
            return value in self.region_ids
        if kind == "date":
            return isinstance(value, dt.date)
        return False


_OP_TYPES = {
    "is": ("choice", "boolean", "integer", "region"),
    "in": ("choice", "integer", "region"),
    "contains": ("multi",),
    "contains_any": ("multi",),
    "within": ("region",),
    "min": ("integer", "number"),
    "max": ("integer", "number"),
    "less_than": ("integer", "number"),
    "more_than": ("integer", "number"),
}


def read_node(r: Reader, data: Any, path: str, facts: FactTypes, top: bool = False) -> Node | None:
    """A condition tree node; top-level criteria must say what they check and on which clause."""
    data = r.mapping(data, path)
    labels = {}
    if top:
        labels = {
            "id": r.text(data, "id", f"{path}."),
            "text": r.text(data, "text", f"{path}."),
            "text_en": r.text(data, "text_en", f"{path}."),
            "source": r.text(data, "source", f"{path}."),
        }
        if labels["id"] and not SLUG.match(labels["id"]):
            r.fail(f"{path}.id", N_("must be a slug of lowercase letters, digits, - and _"))
    else:
        labels = {k: str(data.get(k) or "") for k in ("id", "text", "text_en", "source")}
    if UNDEFINED in data and not any(op in data for op in (*GROUP_OPS, *LEAF_OPS, "fact")):
        # A term the text leaves undefined ("青年"): the criterion stays unknown, so never eligible.
        reason = r.text(data, UNDEFINED, f"{path}.")
        return Leaf(UNDEFINED, UNDEFINED, reason, **labels) if reason else None
    groups = [op for op in GROUP_OPS if op in data]
    ops = [op for op in LEAF_OPS if op in data]
    if len(groups) + len(ops) != 1 or (ops and "fact" not in data):
        r.fail(
            path,
            N_("needs exactly one of all, any, not, or a fact with one comparison (%(ops)s)"),
            ops=", ".join(LEAF_OPS),
        )
        return None
    if groups:
        op = groups[0]
        raw = data[op]
        if op == "not":
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            r.fail(f"{path}.{op}", N_("must be a non-empty list of conditions"))
            return None
        children = [read_node(r, c, f"{path}.{op}[{i}]", facts) for i, c in enumerate(raw)]
        if any(c is None for c in children):
            return None
        return Group(op, tuple(children), **labels)  # type: ignore[arg-type]
    fact, op = str(data["fact"]), ops[0]
    kind = facts.type_of(fact)
    if kind is None:
        r.fail(f"{path}.fact", N_("unknown fact '%(fact)s': no question asks it"), fact=fact)
        return None
    if kind not in _OP_TYPES[op]:
        r.fail(f"{path}.{op}", N_("'%(op)s' cannot compare a %(kind)s fact"), op=op, kind=kind)
        return None
    value = data[op]
    values = value if op in ("in", "contains_any") else [value]
    if op in ("in", "contains_any") and (not isinstance(value, list) or not value):
        r.fail(f"{path}.{op}", N_("must be a non-empty list"))
        return None
    check_fact = fact
    for v in values:
        if not facts.valid_value(check_fact, v):
            r.fail(
                f"{path}.{op}",
                N_("'%(value)s' is not a possible value of %(fact)s"),
                value=str(v)[:60],
                fact=fact,
            )
            return None
    if op in ("in", "contains_any"):
        value = tuple(value)
    return Leaf(fact, op, value, **labels)


def read_question(r: Reader, data: dict, path: str, known: FactTypes) -> Question | None:
    """One question; `asked_when` may only use questions asked before it."""
    qid = r.text(data, "id", f"{path}.", column=EligibilityQuestion.id)
    qtype = r.text(data, "type", f"{path}.")
    if qtype and qtype not in QUESTION_TYPES:
        r.fail(f"{path}.type", N_("must be one of %(values)s"), values=", ".join(QUESTION_TYPES))
    options = tuple(
        Option(r.text(o, "value", f"{p}."), r.text(o, "text", f"{p}."), r.text(o, "text_en", f"{p}."))
        for p, o in r.items(data, "options", f"{path}.")
    )
    if qtype in ("choice", "multi") and not options:
        r.fail(f"{path}.options", N_("a %(kind)s question needs options"), kind=qtype)
    asked_when = None
    if data.get("asked_when") is not None:
        asked_when = read_node(r, data["asked_when"], f"{path}.asked_when", known)
    if not qid or qtype not in QUESTION_TYPES:
        return None
    return Question(
        qid,
        qtype,
        r.text(data, "text", f"{path}."),
        r.text(data, "text_en", f"{path}."),
        r.text(data, "hint", f"{path}.", False),
        r.text(data, "hint_en", f"{path}.", False),
        options,
        data.get("min"),
        data.get("max"),
        asked_when,
        bool(data.get("changeable", True)),
        bool(data.get("reserved", False)),
        bool(data.get("not_future", False)),
    )


def read_questions(data: Any, region_ids: set[str]) -> tuple[tuple[Question, ...], list[Problem]]:
    """The wizard's questions in order."""
    r = Reader()
    if not isinstance(data, list):
        r.fail("(file)", N_("must be a list of questions"))
        return (), r.problems
    questions: list[Question] = []
    for i, item in enumerate(data):
        known = FactTypes(tuple(questions), region_ids)
        q = read_question(r, r.mapping(item, f"[{i}]"), f"[{i}]", known)
        if q is not None:
            if any(other.id == q.id for other in questions):
                r.fail(f"[{i}].id", N_("'%(id)s' is defined twice"), id=q.id)
            questions.append(q)
    return tuple(questions), r.problems


def _answer_value(r: Reader, fact: str, value: Any, path: str, facts: FactTypes) -> Any:
    kind = facts.type_of(fact)
    if kind is None or fact in DERIVED_FACTS:
        r.fail(path, N_("unknown fact '%(fact)s': no question asks it"), fact=fact)
        return None
    if kind == "multi":
        if not isinstance(value, list) or not all(facts.valid_value(fact, v) for v in value):
            r.fail(path, N_("must be a list of options of %(fact)s"), fact=fact)
        return value
    if kind == "date" and isinstance(value, str):
        with contextlib.suppress(ValueError):  # an invalid date is reported just below
            value = dt.date.fromisoformat(value)
    if not facts.valid_value(fact, value):
        r.fail(path, N_("'%(value)s' is not a possible value of %(fact)s"), value=str(value)[:60], fact=fact)
    return value


def read_benefit(
    data: Any, facts: FactTypes, policy_ids: set[str], benefit_ids: set[str] | None = None
) -> tuple[Benefit | None, list[Problem]]:
    """A benefit definition, checked against the known facts, regions and policies."""
    r = Reader()
    data = r.mapping(data, "")
    bid = r.text(data, "id", "", column=BenefitModel.id)
    if bid and not SLUG.match(bid):
        r.fail("id", N_("must be a slug of lowercase letters, digits, - and _"))
    kind = r.text(data, "kind", "")
    if kind and kind not in KINDS:
        r.fail("kind", N_("must be one of %(values)s"), values=", ".join(KINDS))
    for key in ("name", "name_en", "issuer", "summary", "summary_en"):
        r.text(data, key, "", column=getattr(BenefitModel, key, None))
    r.text(data, "issuer_en", "", required=False, column=BenefitModel.issuer_en)
    region = r.text(data, "region", "")
    if region and region not in facts.region_ids:
        r.fail("region", N_("unknown region '%(value)s'"), value=region)
    if not isinstance(data.get("verified"), bool):
        r.fail("verified", N_("must be true or false"))
    if not isinstance(data.get("discretionary", False), bool):
        r.fail("discretionary", N_("must be true or false"))
    r.date(data, "verified_on", "", required=True)
    effective_from, effective_to = r.date(data, "effective_from", ""), r.date(data, "effective_to", "")
    if effective_from and effective_to and effective_to < effective_from:
        r.fail("effective_to", N_("ends before it starts"))
    source = r.mapping(data.get("source"), "source")
    if not (source.get("ref") or source.get("url") or source.get("note")):
        r.fail("source", N_("must name where the benefit comes from (ref, url or note)"))
    cited = []
    basis = r.items(data, "basis", "")
    if not basis:
        r.fail("basis", N_("must cite at least one clause it rests on"))
    for path, item in basis:
        pid = item.get("policy")
        if pid:
            if pid not in policy_ids:
                r.fail(f"{path}.policy", N_("unknown policy '%(value)s'"), value=str(pid)[:80])
            cited.append(str(pid))
        elif not item.get("document"):
            r.fail(path, N_("needs a policy id or the name of the document"))
        if not (item.get("clause") or item.get("source")):
            r.fail(f"{path}.clause", N_("say which clause or seed line it rests on"))
        if item.get("quote") is not None:
            r.text(item, "quote", f"{path}.")
    amounts = []
    for path, item in r.items(data, "amounts", ""):
        values = []
        for vpath, v in r.items(item, "values", f"{path}."):
            start, end = r.date(v, "from", f"{vpath}."), r.date(v, "to", f"{vpath}.")
            if start and end and end < start:
                r.fail(f"{vpath}.to", N_("ends before it starts"))
            amount = v.get("amount")
            if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float)):
                r.fail(f"{vpath}.amount", N_("must be a number or null"))
                amount = None
            values.append(
                DatedValue(
                    start,
                    end,
                    r.text(v, "text", f"{vpath}."),
                    r.text(v, "text_en", f"{vpath}."),
                    amount,
                    v.get("unit"),
                    r.text(v, "source", f"{vpath}."),
                )
            )
        if not values:
            r.fail(f"{path}.values", N_("needs at least one dated value"))
        amounts.append(
            Amount(
                r.text(item, "id", f"{path}."),
                r.text(item, "label", f"{path}."),
                r.text(item, "label_en", f"{path}."),
                tuple(values),
            )
        )
    conditions = None
    raw = data.get("conditions")
    if raw is None:
        r.fail("conditions", N_("is required (use all: [] only with real conditions)"))
    else:
        raw = r.mapping(raw, "conditions")
        if set(raw) == {"all"} and isinstance(raw["all"], list):
            children = [
                read_node(r, c, f"conditions.all[{i}]", facts, top=True) for i, c in enumerate(raw["all"])
            ]
            if all(c is not None for c in children):
                conditions = Group("all", tuple(children))  # type: ignore[arg-type]
        else:
            node = read_node(r, raw, "conditions", facts, top=True)
            if node is not None:
                conditions = Group("all", (node,))
    excludes = data.get("excludes") or []
    if not isinstance(excludes, list):
        r.fail("excludes", N_("must be a list"))
        excludes = []
    for i, other in enumerate(excludes):
        if benefit_ids is not None and other not in benefit_ids:
            r.fail(f"excludes[{i}]", N_("unknown benefit '%(value)s'"), value=str(other)[:80])
    for section in ("documents", "also_checked"):
        for path, item in r.items(data, section, ""):
            r.text(item, "name" if section == "documents" else "text", f"{path}.")
    apply = data.get("apply")
    if apply is not None:
        apply = r.mapping(apply, "apply")
        for path, step in r.items(apply, "steps", "apply."):
            r.text(step, "title", f"{path}.")
        if apply.get("office") is not None and apply.get("office") not in OFFICE_KINDS:
            r.fail("apply.office", N_("must be one of %(values)s"), values=", ".join(OFFICE_KINDS))
    cases = []
    for path, item in r.items(data, "cases", ""):
        expect = r.text(item, "expect", f"{path}.")
        if expect and expect not in STATUSES:
            r.fail(f"{path}.expect", N_("must be one of %(values)s"), values=", ".join(STATUSES))
        answers = r.mapping(item.get("answers"), f"{path}.answers")
        typed = {k: _answer_value(r, k, v, f"{path}.answers.{k}", facts) for k, v in answers.items()}
        if True in item and "on" not in item:
            item = {**item, "on": item[True]}  # YAML 1.1 reads an unquoted `on:` key as true
        cases.append(
            Case(
                r.text(item, "name", f"{path}."),
                r.date(item, "on", f"{path}.", True) or dt.date.today(),
                typed,
                expect,
            )
        )
    expects = {c.expect for c in cases}
    undefined = conditions is not None and any(
        isinstance(n, Leaf) and n.op == UNDEFINED for n in conditions.children
    )
    if undefined and not {"needs_info", "ineligible"} <= expects:
        r.fail("cases", N_("needs at least one needs_info and one ineligible case"))
    elif not undefined and not {"eligible", "ineligible"} <= expects:
        r.fail("cases", N_("needs at least one eligible and one ineligible case"))
    if r.problems or conditions is None:
        return None, r.problems
    benefit = Benefit(
        id=bid,
        name=r.text(data, "name", ""),
        name_en=r.text(data, "name_en", ""),
        kind=kind,
        issuer=r.text(data, "issuer", ""),
        issuer_en=r.text(data, "issuer_en", "", False),
        region=region,
        conditions=conditions,
        amounts=tuple(amounts),
        excludes=tuple(excludes),
        cases=tuple(cases),
        policy_ids=tuple(dict.fromkeys(cited)),
        verified=data["verified"],
        data=data,
        effective_from=effective_from,
        effective_to=effective_to,
        discretionary=bool(data.get("discretionary", False)),
    )
    return benefit, r.problems
