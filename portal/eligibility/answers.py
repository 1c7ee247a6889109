"""Turning answers from a query string or a JSON body into typed facts, with a problem per field. Pure."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from portal.eligibility.rules import Question, Ruleset
from portal.eligibility.schema import N_, Problem

NONE_OF_THESE = "none"
_INTEGER = re.compile(r"^-?\d{1,15}$")
_NUMBER = re.compile(r"^-?\d{1,15}(\.\d{1,4})?$")
# Units people type after a number ("2025年", "30人", "5万元" is not accepted: 万 changes the value).
_UNIT = re.compile(r"\s*(年|岁|周岁|人|名|元)$")


def _fail(problems: list[Problem], field: str, message: str, **params: Any) -> None:
    problems.append(Problem(field, message, params))


def _number(
    q: Question, value: Any, problems: list[Problem], today: dt.date | None = None
) -> int | float | None:
    integer = q.type == "integer"
    if isinstance(value, str):
        text = _UNIT.sub("", value.strip().replace(",", "").replace("，", ""))
        if not (_INTEGER if integer else _NUMBER).match(text):
            _fail(problems, q.id, N_("Enter a whole number.") if integer else N_("Enter a number."))
            return None
        value = int(text) if integer else float(text)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        _fail(problems, q.id, N_("Enter a whole number.") if integer else N_("Enter a number."))
        return None
    elif integer and isinstance(value, float):
        if not value.is_integer():
            _fail(problems, q.id, N_("Enter a whole number."))
            return None
        value = int(value)
    if isinstance(value, float) and not math.isfinite(value):
        _fail(problems, q.id, N_("Enter a number."))
        return None
    if q.minimum is not None and value < q.minimum:
        _fail(problems, q.id, N_("Must be at least %(min)s."), min=q.minimum)
        return None
    if q.maximum is not None and value > q.maximum:
        _fail(problems, q.id, N_("Must be at most %(max)s."), max=q.maximum)
        return None
    if q.not_future and today is not None and value > today.year:
        _fail(problems, q.id, N_("The year cannot be in the future."))
        return None
    return value


def _date(q: Question, value: Any, today: dt.date, problems: list[Problem]) -> dt.date | None:
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", value.strip()):
        _fail(problems, q.id, N_("Enter a date as year-month-day, for example 2024-03-15."))
        return None
    year, month, day = (int(p) for p in value.strip().split("-"))
    try:
        date = dt.date(year, month, day)
    except ValueError:
        _fail(problems, q.id, N_("This date does not exist."))
        return None
    if date > today:
        _fail(problems, q.id, N_("The date cannot be in the future."))
        return None
    if date.year < 1949:
        _fail(problems, q.id, N_("The date is too long ago."))
        return None
    return date


def _boolean(q: Question, value: Any, problems: list[Problem]) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "true"):
        return True
    if isinstance(value, str) and value.lower() in ("no", "false"):
        return False
    _fail(problems, q.id, N_("Answer yes or no."))
    return None


def parse_value(q: Question, value: Any, ruleset: Ruleset, today: dt.date, problems: list[Problem]) -> Any:
    """One answer, typed; None (with a problem recorded) when it is not a valid answer."""
    if q.type == "multi":
        if value == []:
            return []  # an empty JSON list is "none of these" (the API contract)
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in items):
            _fail(problems, q.id, N_("Choose from the options given."))
            return None
        chosen = [v.strip() for item in items for v in item.split(",") if v.strip()]
        if not chosen:
            _fail(problems, q.id, N_("Choose at least one option, or “none of these”."))
            return None
        if chosen == [NONE_OF_THESE]:
            return []
        if NONE_OF_THESE in chosen:
            _fail(
                problems,
                q.id,
                N_(
                    "You chose “none of these” together with another answer: "
                    "choose the groups that apply, or only “none of these”."
                ),
            )
            return None
        unknown = [v for v in chosen if q.option(v) is None]
        if unknown:
            _fail(problems, q.id, N_("Unknown option “%(value)s”."), value=unknown[0][:60])
            return None
        return sorted(set(chosen))
    if isinstance(value, list):
        if len(value) != 1:
            _fail(problems, q.id, N_("Give only one answer."))
            return None
        value = value[0]
    if q.type == "boolean":
        return _boolean(q, value, problems)
    if q.type in ("integer", "number"):
        return _number(q, value, problems, today)
    if q.type == "date":
        return _date(q, value, today, problems)
    if not isinstance(value, str) or not value.strip():
        _fail(problems, q.id, N_("Choose one of the options."))
        return None
    value = value.strip()
    if q.type == "region":
        if value not in ruleset.region_parents:
            _fail(problems, q.id, N_("Unknown region “%(value)s”."), value=value[:60])
            return None
        return value
    if q.option(value) is None:
        _fail(problems, q.id, N_("Unknown option “%(value)s”."), value=value[:60])
        return None
    return value


def parse_answers(
    raw: Mapping[str, Any], ruleset: Ruleset, today: dt.date | None = None, strict: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """Typed answers for the question ids present in `raw` (values: text, list of text, or JSON).

    `strict` (the API) also refuses keys that are no question; the wizard ignores other parameters.
    """
    today = today or dt.date.today()
    answers: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in raw.items():
        q = ruleset.question(key)
        if q is None:
            if strict:
                _fail(problems, key, N_("Unknown answer key; see /api/v1/eligibility/questions."))
            continue
        if value is None or value == "" or value == [""]:
            continue  # unanswered
        typed = parse_value(q, value, ruleset, today, problems)
        if typed is not None:
            answers[key] = typed
    return answers, problems


def to_query(answers: Mapping[str, Any], ruleset: Ruleset, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Answers as query-string pairs in question order (for links, hidden fields and sharing)."""
    skip = set(skip)
    pairs: list[tuple[str, str]] = []
    for q in ruleset.questions:
        if q.id not in answers or q.id in skip:
            continue
        value = answers[q.id]
        if q.type == "multi":
            pairs.extend((q.id, v) for v in value) if value else pairs.append((q.id, NONE_OF_THESE))
        elif q.type == "boolean":
            pairs.append((q.id, "yes" if value else "no"))
        elif isinstance(value, float) and value.is_integer():
            pairs.append((q.id, str(int(value))))
        else:
            pairs.append((q.id, value.isoformat() if isinstance(value, dt.date) else str(value)))
    return pairs


def answers_json(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as JSON values."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in answers.items()}
