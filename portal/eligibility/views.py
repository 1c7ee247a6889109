"""The eligibility wizard (one question per page, answers only in the URL) and the benefit pages."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from portal import db
from portal.core import labels, params, ratelimit
from portal.core.urls import absolute_url
from portal.eligibility import bp, engine, services, wizard
from portal.eligibility.answers import to_query
from portal.eligibility.forms import ResultFeedbackForm
from portal.eligibility.rules import KINDS, STATUSES
from portal.eligibility.schema import N_, Problem
from portal.i18n import current_language
from portal.i18n import gettext as _

MAX_ANSWERS = 4000
FEEDBACK_WINDOW = dt.timedelta(hours=1)
GROUP_ORDER = (engine.ELIGIBLE, engine.NEEDS_INFO, engine.INELIGIBLE)


def _state():
    """The ruleset, today's date and the answers in the query string (with their problems)."""
    rules = services.ruleset(db.session())
    today = dt.date.today()
    answers, problems = wizard.request_answers(request.args, rules)
    return rules, today, wizard.relevant_answers(answers, rules, today), problems


@bp.get("/eligibility")
def start():
    rules = services.ruleset(db.session())
    return render_template(
        "eligibility/start.html", rules=rules, first=rules.questions[0] if rules.questions else None
    )


def _render_question(question, answers, rules, today, problem: Problem | None = None, status=200):
    trail = wizard.path(answers, rules, today)
    position = next((i for i, q in enumerate(trail) if q.id == question.id), len(trail))
    evaluation = engine.evaluate(answers, rules, today, hints=False)
    remaining = engine.remaining_questions(evaluation, {k: v for k, v in answers.items() if k != question.id})
    back = None
    if position > 0:
        back = wizard.question_url(trail[position - 1], answers, rules)
    error = wizard.problem_message(problem) if problem else None
    raw = request.args.getlist(question.id)
    return render_template(
        "eligibility/question.html",
        question=question,
        rules=rules,
        answers=answers,
        hidden=[(k, v) for k, v in to_query(answers, rules) if k != question.id],
        current=answers.get(question.id),
        raw=raw,
        error=error,
        back=back,
        number=position + 1,
        remaining=max(remaining - (0 if question.id in answers else 1), 0),
        decided=sum(1 for r in evaluation.results if r.status != engine.NEEDS_INFO),
        total=len(evaluation.results),
    ), status


@bp.get("/eligibility/questions/<question_id>")
def question(question_id: str):
    rules, today, answers, problems = _state()
    q = rules.question(question_id)
    if q is None:
        abort(404)
    problem = next((p for p in problems if p.path == q.id), None)
    return _render_question(q, answers, rules, today, problem, 400 if problem else 200)


@bp.get("/eligibility/answer")
def answer():
    """Check the answer just given, then go to the next question that still matters."""
    rules, today, answers, problems = _state()
    asked = rules.question(request.args.get("question", ""))
    if asked is not None and asked.id not in answers and not any(p.path == asked.id for p in problems):
        problems.insert(0, Problem(asked.id, _required_message(asked)))
    if problems:
        first = problems[0]
        q = rules.question(first.path) or asked
        if q is None:
            abort(400)
        return _render_question(q, answers, rules, today, first, 400)
    nxt = engine.next_question(answers, rules, today)
    if nxt is None:
        return redirect(wizard.results_url(answers, rules))
    return redirect(wizard.question_url(nxt, answers, rules))


def _required_message(q) -> str:
    if q.type in ("choice", "region", "boolean"):
        return N_("Choose one of the options.")
    if q.type == "multi":
        return N_("Choose at least one option, or “none of these”.")
    return N_("Answer this question to continue.")


@bp.get("/eligibility/results")
def results():
    rules, today, answers, problems = _state()
    if problems:
        q = rules.question(problems[0].path)
        return _render_question(q, answers, rules, today, problems[0], 400)
    on = today
    evaluation = engine.evaluate(answers, rules, on)
    # Funds that invest at their own discretion are listed apart as "you can approach", never as
    # something the founder can probably get.
    approach = [r for r in evaluation.results if wizard.can_approach(r)]
    groups = {
        status: [r for r in evaluation.results if r.status == status and not wizard.can_approach(r)]
        for status in GROUP_ORDER
    }
    # Benefits of other regions are listed by name only: their reasons would only say "elsewhere".
    elsewhere = [r for r in groups[engine.INELIGIBLE] if _only_region_fails(r)]
    groups[engine.INELIGIBLE] = [r for r in groups[engine.INELIGIBLE] if not _only_region_fails(r)]
    nxt = engine.next_question(answers, rules, on, evaluation)
    trail = wizard.path(answers, rules, on)
    session = db.session()
    worth = groups[engine.ELIGIBLE] + groups[engine.NEEDS_INFO]
    hosting = any(wizard.needs_hosting(r.benefit) for r in worth + groups[engine.INELIGIBLE])
    links = wizard.Links(answers, rules)
    return render_template(
        "eligibility/results.html",
        rules=rules,
        evaluation=evaluation,
        groups=groups,
        answers=answers,
        trail=trail,
        next_question=nxt,
        checklist=wizard.checklist(worth, answers),
        elsewhere=elsewhere,
        approach=approach,
        policies=services.cited_policies(session, rules),
        spaces=wizard.spaces_in_region(session, rules, answers.get("region")) if hosting else None,
        spaces_url=wizard.spaces_url(answers.get("region")),
        spaces_url_all=wizard.spaces_url(None),
        share_url=absolute_url("eligibility.results") + "?" + links.query,
        print_view=request.args.get("view") == "print",
        links=links,
    )


def _only_region_fails(result) -> bool:
    return any(c.id == "region" and c.met is False for c in result.criteria)


def _answers_query(raw: str) -> str:
    """The answers a result came from, as a query string: re-encoded, so no header break can reach
    a redirect, and bounded."""
    answers_qs = urlencode(parse_qsl(raw, keep_blank_values=True))
    if len(answers_qs) > MAX_ANSWERS:
        abort(400, description=_("The answers are too long."))
    return answers_qs


def _render_feedback(form: ResultFeedbackForm, answers_qs: str, status: int = 200):
    back = url_for("eligibility.results") + "?" + answers_qs
    return render_template("eligibility/feedback.html", form=form, back=back), status


@bp.get("/eligibility/results/feedback")
def feedback_form():
    """ "Does a result look wrong?" for the answers in the query string (a page of its own, so the
    results page holds no form token and can be cached)."""
    answers_qs = _answers_query(request.query_string.decode("utf-8", "replace"))
    form = ResultFeedbackForm(answers=answers_qs)
    form.offer(services.ruleset(db.session()))
    return _render_feedback(form, answers_qs)


@bp.post("/eligibility/feedback")
def feedback():
    """Store "this result looks wrong" for staff; nothing else about the visitor is kept."""
    rules = services.ruleset(db.session())
    form = ResultFeedbackForm()
    form.offer(rules)
    answers_qs = form.answers.data = _answers_query(form.answers.data or "")
    benefit_id = form.benefit_id.data or None
    status = request.form.get("status") or None
    if benefit_id is not None and rules.benefit(benefit_id) is None:
        abort(400, description=_("Unknown benefit."))
    if status is not None and status not in STATUSES:
        abort(400, description=_("Unknown result."))
    if not form.validate():
        return _render_feedback(form, answers_qs, 400)
    config = current_app.config
    who = ratelimit.address_key("result_feedback", config["SECRET_KEY"], request.remote_addr or "?")
    if not ratelimit.take(db.session(), who, config["FEEDBACK_PER_HOUR"], FEEDBACK_WINDOW):
        form.message.errors = [_("Too many reports from your connection in the last hour. Try again later.")]
        return _render_feedback(form, answers_qs, 429)
    services.record_feedback(
        db.session(),
        benefit_id=benefit_id,
        answers=answers_qs,
        version=rules.version,
        status=status,
        message=form.message.data.strip(),
    )
    flash(_("Thank you. Staff who keep the rules will check this result."), "success")
    return redirect(url_for("eligibility.results") + "?" + answers_qs), 303


@bp.get("/benefits")
def benefit_list():
    rules = services.ruleset(db.session())
    kinds = params.choices("kind", KINDS)
    regions = params.choices("region", rules.region_parents)
    # `region` keeps the benefits open to someone there, as in the API.
    shown = [
        b
        for b in rules.benefits
        if (not kinds or b.kind in kinds)
        and (not regions or any(b.region in rules.ancestors(r) for r in regions))
    ]
    counts = {k: sum(1 for b in rules.benefits if b.kind == k) for k in KINDS}
    return render_template(
        "eligibility/benefits.html", rules=rules, benefits=shown, kinds=kinds, regions=regions, counts=counts
    )


@bp.get("/benefits/<benefit_id>")
def benefit_detail(benefit_id: str):
    rules = services.ruleset(db.session())
    benefit = rules.benefit(benefit_id)
    if benefit is None:
        abort(404)
    on = dt.date.today()
    result = engine.evaluate_benefit(benefit, engine.facts_for({}, rules, on), rules, on)
    return render_template(
        "eligibility/benefit.html",
        benefit=benefit,
        rules=rules,
        result=result,
        policies=services.policy_titles(db.session(), list(benefit.policy_ids)),
        excluded=[
            rules.benefit(i)
            for i in sorted(set(benefit.excludes) | rules.excluders(benefit.id))
            if rules.benefit(i)
        ],
        row=next(iter(services.benefit_rows(db.session(), [benefit.id])), None),
    )


def _region_label(rules, region_id: str) -> str:
    """A region with the regions above it ("Gansu › Lanzhou › Chengguan"), once per language and rules."""
    key = (current_language(), region_id)
    if key not in rules.label_cache:
        rules.label_cache[key] = _chain_label(rules, region_id)
    return rules.label_cache[key]


def _chain_label(rules, region_id: str) -> str:
    if region_id == "cn":
        return _("All of China")
    chain = [
        r
        for r in reversed(sorted(rules.ancestors(region_id), key=lambda r: len(rules.ancestors(r))))
        if r != "cn"
    ]
    return " › ".join(wizard.loc(*rules.region_names.get(r, (r, r))) for r in reversed(chain))


def _region_choices(rules) -> list[dict]:
    from portal.regions.services import all_regions

    return [
        {"id": r.id, "label": _region_label(rules, r.id)} for r in all_regions(db.session()) if r.id != "cn"
    ]


def _criterion_texts() -> dict:
    """How a criterion's state reads (class, symbol, words), and the word before its source."""
    return {
        True: ("met", "✓", str(labels.CRITERION[True])),
        False: ("unmet", "✗", str(labels.CRITERION[False])),
        None: ("unknown", "?", str(labels.CRITERION[None])),
        "undefined": ("undefined", "?", _("Not defined by the published text; the office decides")),
        "source": _("source"),
    }


@bp.app_context_processor
def _helpers():
    return {
        "loc": wizard.loc_for(current_language()),
        "answer_text": wizard.answer_text,
        "hint_text": wizard.hint_text,
        "hint_texts": wizard.hint_texts,
        "amount_lines": wizard.amount_lines,
        "question_link": wizard.question_url,
        "results_link": wizard.results_url,
        "region_choices": _region_choices,
        "region_label": _region_label,
        "criterion_texts": _criterion_texts,
        "today": dt.date.today,
        "plain_labels": lambda mapping: {k: str(v) for k, v in mapping.items()},
    }
