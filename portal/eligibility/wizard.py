"""What the wizard pages and the API show: answers from a request, the path, results in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.eligibility import engine
from portal.eligibility.answers import parse_answers, to_query
from portal.eligibility.rules import Question, Ruleset, facts_in
from portal.eligibility.schema import Problem
from portal.i18n import current_language
from portal.i18n import gettext as _
from portal.places.models import Place
from portal.regions.models import LEVELS

HOSTING_FACT = "hosted_in_recognized_space"
# Documents only someone with a registered business has.
BUSINESS_DOCUMENTS = {"business_licence"}
RECOGNISED_SPACE_TYPES = ("makerspace", "incubator", "accelerator", "science_park")


def loc(zh: str | None, en: str | None, lang: str | None = None) -> str:
    """The English text on an English page when there is one, else the Chinese."""
    if (lang or current_language()) == "en" and en:
        return en
    return zh or en or ""


def loc_for(lang: str):
    """`loc` with the page's language fixed once (templates call it hundreds of times)."""

    def bound(zh: str | None, en: str | None) -> str:
        return en if lang == "en" and en else (zh or en or "")

    return bound


def problem_message(problem: Problem) -> str:
    """A problem's message in the interface language (its template is in the catalogs)."""
    return _(problem.message) % problem.params if problem.params else _(problem.message)


def request_answers(args: Mapping[str, Any], rules: Ruleset) -> tuple[dict[str, Any], list[Problem]]:
    """Answers from a query string: repeated keys are lists, the rest single values."""
    raw = {}
    for q in rules.questions:
        values = args.getlist(q.id) if hasattr(args, "getlist") else [args.get(q.id)]
        values = [v for v in values if v is not None]
        if values:
            raw[q.id] = values if q.type == "multi" else values[-1]
    return parse_answers(raw, rules)


def relevant_answers(answers: dict[str, Any], rules: Ruleset, on: dt.date) -> dict[str, Any]:
    """Drop answers to questions that no longer apply (a company date once "no company")."""
    facts = engine.facts_for(answers, rules, on)
    return {k: v for k, v in answers.items() if facts.get(k) is not engine.NOT_APPLICABLE}


def path(answers: dict[str, Any], rules: Ruleset, on: dt.date) -> list[Question]:
    """The questions asked, in order, to reach these answers (for "back" and "change")."""
    return engine.asked_path(answers, rules, on)


def query_string(answers: dict[str, Any], rules: Ruleset, skip: tuple[str, ...] = ()) -> str:
    return urlencode(to_query(answers, rules, skip))


def question_url(q: Question, answers: dict[str, Any], rules: Ruleset) -> str:
    return url_for("eligibility.question", question_id=q.id) + "?" + query_string(answers, rules)


def results_url(answers: dict[str, Any], rules: Ruleset, **extra: str) -> str:
    qs = query_string(answers, rules)
    if extra:
        qs = "&".join(p for p in (qs, urlencode(extra)) if p)
    return url_for("eligibility.results") + "?" + qs


# How the router writes a path segment (werkzeug's converters): links built here read the same.
SEGMENT_SAFE = "!$&'()*+,/:;=@"


def _base(endpoint: str, arg: str) -> str:
    return url_for(endpoint, **{arg: "ID"}).rsplit("ID", 1)[0]


class Links:
    """A results page's links to questions, benefits and its other views, each built from one base
    and the answers' query string read once (a page has dozens of them)."""

    def __init__(self, answers: dict[str, Any], rules: Ruleset) -> None:
        self.query = query_string(answers, rules)
        self._question = _base("eligibility.question", "question_id")
        self._benefit = _base("eligibility.benefit_detail", "benefit_id")

    def question(self, q: Question) -> str:
        return f"{self._question}{quote(q.id, safe=SEGMENT_SAFE)}?{self.query}"

    def benefit(self, benefit_id: str) -> str:
        return self._benefit + quote(benefit_id, safe=SEGMENT_SAFE)

    def results(self, **extra: str) -> str:
        qs = "&".join(p for p in (self.query, urlencode(extra)) if p)
        return url_for("eligibility.results") + "?" + qs

    def feedback(self) -> str:
        return url_for("eligibility.feedback_form") + "?" + self.query


def answer_text(q: Question, value: Any, rules: Ruleset) -> str:
    """An answer as the founder would read it back."""
    if q.type == "boolean":
        return _("Yes") if value else _("No")
    if q.type == "multi":
        if not value:
            return _("None of these")
        return "、".join(loc(o.text, o.text_en) for o in q.options if o.value in value)
    if q.type == "choice":
        option = q.option(value)
        return loc(option.text, option.text_en) if option else str(value)
    if q.type == "region":
        name, name_en = rules.region_names.get(value, (value, value))
        return _("Elsewhere in China") if value == "cn" else loc(name, name_en)
    if q.not_future or q.id.endswith("_year"):
        return str(value)  # a year reads 2025, never 2,025
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int | float):
        return f"{value:,}"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def change_value_text(fact: str, value: Any, rules: Ruleset) -> str:
    q = rules.question(fact)
    if q is None:
        return str(value)
    return f"{loc(q.text, q.text_en)} → {answer_text(q, value, rules)}"


def hint_text(hint: engine.Hint, rules: Ruleset) -> str:
    """An unlock hint in words: what would have to be true."""
    if hint.criteria:
        met = "；".join(loc(c.text, c.text_en) for c in hint.criteria)
    else:
        met = "；".join(change_value_text(f, v, rules) for f, v in hint.changes.items())
    if hint.complete:
        return _("You would qualify if: %(what)s", what=met)
    return _("You would no longer be ruled out if: %(what)s (other questions would then decide)", what=met)


def hint_texts(hints, rules: Ruleset) -> list[str]:
    """Unlock hints in words, each once (two changes can unlock the same criterion)."""
    return list(dict.fromkeys(hint_text(h, rules) for h in hints))


def can_approach(result: engine.BenefitResult) -> bool:
    """A discretionary fund whose conditions the founder meets: something to approach, not to claim
    (while answers are missing it stays with the benefits that need them)."""
    return result.benefit.discretionary and result.status == engine.ELIGIBLE


def needs_hosting(benefit) -> bool:
    return HOSTING_FACT in facts_in(benefit.conditions)


def spaces_in_region(db: Session, rules: Ruleset, region: str | None) -> list:
    """Maker spaces, incubators, accelerators and science parks in (or below) the answer's region;
    those whose recognition level the sources state come first."""
    rows = db.execute(
        select(Place.id, Place.name, Place.name_en, Place.region_id, Place.level)
        .where(Place.type.in_(RECOGNISED_SPACE_TYPES), Place.status != "closed")
        .order_by(Place.id)
    ).all()
    if region and region != "cn":
        rows = [r for r in rows if region in rules.ancestors(r.region_id)]
    order = {level: i for i, level in enumerate(LEVELS)}  # national first
    return sorted(rows, key=lambda r: order.get(r.level, 9))


def spaces_url(region: str | None) -> str:
    args = {"type": ",".join(RECOGNISED_SPACE_TYPES)}
    if region and region != "cn":
        args["region"] = region
    return url_for("places.map_page", **args)


@dataclass
class ChecklistItem:
    name: str
    benefits: list[str]


def checklist(
    results: list[engine.BenefitResult], answers: Mapping[str, Any] | None = None
) -> list[ChecklistItem]:
    """One list of documents for every benefit worth applying for, each listed once; no business
    licence for someone who said they have no registered business."""
    items: dict[str, ChecklistItem] = {}
    no_business = (answers or {}).get("company_registered") is False
    for r in results:
        for doc in r.benefit.data.get("documents") or []:
            key = doc.get("id") or doc.get("name")
            if no_business and key in BUSINESS_DOCUMENTS:
                continue
            item = items.setdefault(key, ChecklistItem(loc(doc.get("name"), doc.get("name_en")), []))
            item.benefits.append(loc(r.benefit.name, r.benefit.name_en))
    return list(items.values())


def amount_lines(result: engine.BenefitResult) -> list[tuple[str, str, str]]:
    """(label, value in force, source) for each amount of a benefit."""
    lines = []
    for amount, value in result.amounts:
        if value is None:
            lines.append((loc(amount.label, amount.label_en), _("No value in force on this date"), ""))
        else:
            lines.append((loc(amount.label, amount.label_en), loc(value.text, value.text_en), value.source))
    return lines
