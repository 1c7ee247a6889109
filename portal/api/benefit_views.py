"""API v1: benefits, the eligibility questions and the check itself."""

from __future__ import annotations

import datetime as dt

from flask import abort, jsonify

from portal import db
from portal.api import bp
from portal.core import params
from portal.core.errors import json_error
from portal.core.jsonbody import BadJson, read_json
from portal.core.urls import absolute_url
from portal.eligibility import engine
from portal.eligibility import services as eligibility
from portal.eligibility.answers import answers_json, parse_answers
from portal.eligibility.rules import KINDS
from portal.eligibility.wizard import can_approach, hint_texts, problem_message, relevant_answers
from portal.i18n import lazy_gettext as _l


def _benefit_summary(b, rules, on) -> dict:
    in_force = {a.id: a.value_on(on) for a in b.amounts}
    return {
        "id": b.id,
        "name": b.name,
        "name_en": b.name_en,
        "kind": b.kind,
        "issuer": b.issuer,
        "issuer_en": b.data.get("issuer_en"),
        "region": b.region,
        "policy_ids": list(b.policy_ids),
        "url": absolute_url("eligibility.benefit_detail", benefit_id=b.id),
        "summary": b.data.get("summary"),
        "summary_en": b.data.get("summary_en"),
        "verified": b.verified,
        "verified_on": b.data.get("verified_on"),
        "discretionary": b.discretionary,
        "amounts": [
            {
                "id": a.id,
                "label": a.label,
                "label_en": a.label_en,
                "in_force": _dated_json(in_force[a.id]) if in_force[a.id] else None,
            }
            for a in b.amounts
        ],
    }


def _dated_json(v) -> dict:
    return {
        "from": v.start.isoformat() if v.start else None,
        "to": v.end.isoformat() if v.end else None,
        "text": v.text,
        "text_en": v.text_en,
        "amount": v.amount,
        "unit": v.unit,
        "source": v.source,
    }


@bp.get("/benefits")
def benefit_list():
    rules = eligibility.ruleset(db.session())
    kinds = params.choices("kind", KINDS)
    regions = params.choices("region", rules.region_parents)
    on = dt.date.today()
    return jsonify(
        {
            "ruleset_version": rules.version,
            "results": [
                _benefit_summary(b, rules, on)
                for b in rules.benefits
                if (not kinds or b.kind in kinds)
                and (not regions or any(b.region in rules.ancestors(r) for r in regions))
            ],
        }
    )


@bp.get("/benefits/<benefit_id>")
def benefit_detail(benefit_id: str):
    rules = eligibility.ruleset(db.session())
    benefit = rules.benefit(benefit_id)
    if benefit is None:
        abort(404, description=f"No benefit with id '{benefit_id[:80]}'.")
    data = benefit.data
    return jsonify(
        {
            **_benefit_summary(benefit, rules, dt.date.today()),
            "basis": data.get("basis"),
            "amounts_history": data.get("amounts") or [],
            "conditions": data.get("conditions"),
            "also_checked": data.get("also_checked") or [],
            "documents": data.get("documents") or [],
            "apply": data.get("apply"),
            "excludes": list(benefit.excludes),
            "source": data.get("source"),
            "cases": data.get("cases"),
        }
    )


@bp.get("/eligibility/questions")
def eligibility_questions():
    rules = eligibility.ruleset(db.session())
    raw = eligibility.question_definitions(db.session())
    return jsonify(
        {
            "ruleset_version": rules.version,
            "questions": [
                {
                    "id": q.id,
                    "type": q.type,
                    "text": q.text,
                    "text_en": q.text_en,
                    "hint": q.hint or None,
                    "hint_en": q.hint_en or None,
                    "min": q.minimum,
                    "max": q.maximum,
                    **(
                        {
                            "options": [
                                {"value": o.value, "text": o.text, "text_en": o.text_en} for o in q.options
                            ]
                            + (
                                [{"value": "none", "text": "以上都不是", "text_en": "None of these"}]
                                if q.type == "multi"
                                else []
                            )
                        }
                        if q.options
                        else {}
                    ),
                    **(
                        {
                            "options": [
                                {"value": r, "text": n[0], "text_en": n[1]}
                                for r, n in rules.region_names.items()
                            ]
                        }
                        if q.type == "region"
                        else {}
                    ),
                    "asked_when": raw.get(q.id, {}).get("asked_when"),
                }
                for q in rules.questions
            ],
        }
    )


@bp.post("/eligibility")
def eligibility_check():
    """Evaluate every benefit for the posted answers; 400 naming the field for anything invalid."""
    rules = eligibility.ruleset(db.session())
    try:
        body = read_json()
    except BadJson as exc:
        return json_error(400, exc.code, exc.message, exc.field)
    if not isinstance(body, dict):
        return json_error(
            400,
            "invalid_json",
            str(_l('The body must be a JSON object: {"answers": {...}, "on": "YYYY-MM-DD"}.')),
        )
    unknown = sorted(set(body) - {"answers", "on"})
    if unknown:
        return json_error(400, "unknown_field", str(_l("Unknown field.")), unknown[0][:60])
    raw = body.get("answers", {})
    if not isinstance(raw, dict):
        return json_error(400, "invalid_answers", str(_l("Must be an object of answers.")), "answers")
    on = dt.date.today()
    if body.get("on") is not None:
        try:
            on = dt.date.fromisoformat(body["on"]) if isinstance(body["on"], str) else None
        except ValueError:
            on = None
        if on is None or not 1949 <= on.year <= 2100:
            return json_error(400, "invalid_date", str(_l("Give a real date as YYYY-MM-DD.")), "on")
    answers, problems = parse_answers(raw, rules, today=max(on, dt.date.today()), strict=True)
    if problems:
        body = {
            "error": {
                "code": "invalid_answer",
                "field": f"answers.{problems[0].path}",
                "message": problem_message(problems[0]),
                "errors": [{"field": f"answers.{p.path}", "message": problem_message(p)} for p in problems],
            }
        }
        return jsonify(body), 400
    answers = relevant_answers(answers, rules, on)
    evaluation = engine.evaluate(answers, rules, on)
    nxt = engine.next_question(answers, rules, on, evaluation)
    return jsonify(
        {
            "ruleset_version": evaluation.ruleset_version,
            "on": on.isoformat(),
            "answers": answers_json(answers),
            "next_question": nxt.id if nxt else None,
            "results": [_result_json(r, rules) for r in evaluation.results],
        }
    )


def _result_json(r, rules) -> dict:
    return {
        "benefit_id": r.benefit.id,
        "name": r.benefit.name,
        "name_en": r.benefit.name_en,
        "kind": r.benefit.kind,
        "status": r.status,
        "verified": r.benefit.verified,
        "url": absolute_url("eligibility.benefit_detail", benefit_id=r.benefit.id),
        "criteria": [
            {
                "id": c.id,
                "text": c.text,
                "text_en": c.text_en,
                "met": c.met,
                "source": c.source,
                "undefined": c.undefined,
            }
            for c in r.criteria
        ],
        "missing": list(r.missing),
        "unlock_hints": hint_texts(r.hints, rules),
        # A discretionary fund the founder may approach (status stays as computed).
        "approach": can_approach(r),
        "unlock": [{"changes": answers_json(h.changes), "complete": h.complete} for h in r.hints],
        "amounts": [
            {"id": a.id, "label": a.label, "label_en": a.label_en, "in_force": _dated_json(v) if v else None}
            for a, v in r.amounts
        ],
        "excluded_by": list(r.excluded_by),
    }
