"""Saved eligibility answers: kept with consent, re-checked by the pure engine when rules change."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from portal.alerts import messages
from portal.alerts.models import SavedCheck
from portal.alerts.services import AlertError, new_nonce
from portal.core.clock import utcnow
from portal.eligibility import engine, wizard
from portal.eligibility.rules import Ruleset
from portal.eligibility.services import ruleset
from portal.i18n import gettext as _


def read_answers(answers_qs: str, rules: Ruleset, on: dt.date) -> dict:
    """Answers from a results query string; AlertError("answers") when they do not read."""
    answers, problems = wizard.request_answers(MultiDict(parse_qsl(answers_qs[:4000])), rules)
    if problems:
        raise AlertError("answers", problems[0].path)
    return wizard.relevant_answers(answers, rules, on)


def _statuses(answers: dict, rules: Ruleset, on: dt.date) -> dict[str, str]:
    evaluation = engine.evaluate(answers, rules, on, hints=False)
    return {r.benefit.id: r.status for r in evaluation.results}


def save(db: Session, email: str, answers_qs: str, language: str, on: dt.date | None = None) -> SavedCheck:
    """Keep the answers (the founder ticked consent) with the statuses they see now."""
    on = on or dt.date.today()
    rules = ruleset(db)
    answers = read_answers(answers_qs, rules, on)
    if not answers:
        raise AlertError("answers", "")
    now = utcnow()
    check = SavedCheck(
        email=email,
        nonce=new_nonce(),
        answers=wizard.query_string(answers, rules),
        language=language,
        consent_at=now,
        created_at=now,
        ruleset_version=rules.version,
        statuses=_statuses(answers, rules, on),
    )
    db.add(check)
    db.flush()
    return check


def confirm(db: Session, check: SavedCheck) -> None:
    check.confirmed_at = utcnow()
    db.flush()


def _reason(result: engine.BenefitResult | None, lang: str) -> str:
    if result is None:
        return _("It is no longer offered.")
    if result.status == engine.ELIGIBLE:
        return _("Your answers now meet all of its conditions.")
    unmet = [wizard.loc(c.text, c.text_en, lang) for c in result.criteria if c.met is False]
    if unmet:
        return _("Not met: %(conditions)s", conditions="; ".join(unmet))
    return _("It now needs answers you have not given; answer the new questions to see.")


def changes_for(check: SavedCheck, rules: Ruleset, on: dt.date) -> tuple[list[tuple[str, str, str]], dict]:
    """(benefit name, "newly" | "no_longer", reason) for each benefit that changed sides, and the
    new statuses. Only moves into or out of "can probably get" are news."""
    answers = read_answers(check.answers, rules, on)
    evaluation = engine.evaluate(answers, rules, on, hints=False)
    now = {r.benefit.id: r for r in evaluation.results}
    before = check.statuses or {}
    found = []
    for benefit_id in sorted(set(now) | set(before)):
        was = before.get(benefit_id) == engine.ELIGIBLE
        result = now.get(benefit_id)
        is_ = result is not None and result.status == engine.ELIGIBLE
        if was == is_:
            continue
        if result is not None:
            name = wizard.loc(result.benefit.name, result.benefit.name_en, check.language)
        else:
            name = benefit_id
        found.append((name, "newly" if is_ else "no_longer", _reason(result, check.language)))
    return found, {k: r.status for k, r in now.items()}


def send_changes(db: Session, on: dt.date | None = None) -> dict[str, int]:
    """Re-check saved answers whose ruleset changed; one message per founder, committed first."""
    on = on or dt.date.today()
    rules = ruleset(db)
    done = {"sent": 0, "failed": 0}
    ids = list(
        db.scalars(
            select(SavedCheck.id).where(
                SavedCheck.confirmed_at.is_not(None), SavedCheck.ruleset_version != rules.version
            )
        )
    )
    for check_id in ids:
        check = db.get(SavedCheck, check_id)
        previous = (check.ruleset_version, dict(check.statuses or {}))
        with force_locale(messages.locale_of(check.language)):
            try:
                found, statuses = changes_for(check, rules, on)
            except AlertError:  # a question the answers used was removed: keep, say nothing
                found, statuses = [], previous[1]
        check.ruleset_version, check.statuses = rules.version, statuses
        db.commit()
        if not found:
            continue
        try:
            messages.send_check_changes(check, found, messages.results_link(check.answers, check.language))
        except Exception:  # SMTP down: the next run compares with the old statuses again
            current_app.logger.exception("result changes for saved check %s not sent", check_id)
            check.ruleset_version, check.statuses = previous
            db.commit()
            done["failed"] += 1
            continue
        done["sent"] += 1
    return done
