"""Staff changes to a benefit's rules: a draft checked and tested on save, published by a reviewer.

A draft can only be published when every one of its cases passes; each step is in the audit log.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User, roles_of
from portal.core import yamlsafe
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.core.outbox import enqueue
from portal.core.states import Transition, WorkflowError, actions_for, check
from portal.eligibility import services
from portal.eligibility.check import run_cases
from portal.eligibility.content import definition_hash, plain
from portal.eligibility.models import Benefit, BenefitRevision
from portal.eligibility.rules import Ruleset
from portal.eligibility.schema import N_, FactTypes, Problem, read_benefit

# A benefit's rules change: drafted by an editor, published by another reviewer once its cases pass.
TRANSITIONS = (
    Transition("publish", "draft", "published", "reviewer", not_author=True),
    Transition("discard", "draft", "discarded", "editor", others_need="reviewer"),
)


def available_actions(state: str) -> list[str]:
    """Actions that exist from `state` (before role checks)."""
    return actions_for(TRANSITIONS, state)


MAX_SOURCE_CHARS = 200_000


@dataclass
class Checked:
    """A definition as typed, read and tested."""

    definition: dict[str, Any] | None
    problems: list[Problem]
    cases: list[dict[str, Any]]

    @property
    def cases_pass(self) -> bool:
        return bool(self.cases) and all(c["passed"] for c in self.cases)


def check_source(db: Session, source: str, rules: Ruleset, expected_id: str | None) -> Checked:
    """Parse the YAML, check it against questions, regions and policies, and run its cases."""
    if len(source) > MAX_SOURCE_CHARS:
        return Checked(
            None, [Problem("source", N_("is longer than %(n)s characters"), {"n": MAX_SOURCE_CHARS})], []
        )
    try:
        data = yamlsafe.load(source)
    except yamlsafe.YamlRefused as exc:
        message = (
            N_("uses an alias (*name), which is not allowed here (line %(line)s)")
            if exc.reason == "alias"
            else N_("is nested too deeply (line %(line)s)")
        )
        return Checked(None, [Problem("source", message, {"line": exc.line})], [])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        return Checked(None, [Problem("source", N_("is not valid YAML (line %(line)s)"), {"line": line})], [])
    except ValueError:
        return Checked(None, [Problem("source", N_("holds an impossible date"))], [])
    data = plain(data) if isinstance(data, dict) else data
    policy_ids = set(db.scalars(select(services.policy_id_column())))
    benefit_ids = {b.id for b in rules.benefits} | ({expected_id} if expected_id else set())
    facts = FactTypes(rules.questions, set(rules.region_parents))
    benefit, problems = read_benefit(data, facts, policy_ids, benefit_ids)
    if benefit is not None and expected_id and benefit.id != expected_id:
        problems.append(Problem("id", N_("must stay '%(id)s'"), {"id": expected_id}))
        benefit = None
    if benefit is None:
        return Checked(None, problems, [])
    cases = [
        {"name": c.name, "expected": c.expected, "got": c.got, "passed": c.passed}
        for c in run_cases(benefit, rules)
    ]
    return Checked(data, problems, cases)


def open_draft(db: Session, benefit_id: str) -> BenefitRevision | None:
    return db.scalar(
        select(BenefitRevision).where(
            BenefitRevision.benefit_id == benefit_id, BenefitRevision.state == "draft"
        )
    )


def save_draft(db: Session, user: User, benefit_id: str, source: str, checked: Checked) -> BenefitRevision:
    """Store a checked definition as the benefit's draft (one open draft per benefit)."""
    revision = open_draft(db, benefit_id)
    benefit = db.get(Benefit, benefit_id)
    if revision is None:
        number = (
            db.scalar(
                select(func.max(BenefitRevision.number)).where(BenefitRevision.benefit_id == benefit_id)
            )
            or 0
        ) + 1
        revision = BenefitRevision(
            benefit_id=benefit_id,
            number=number,
            state="draft",
            author_id=user.id,
            created_at=utcnow(),
            base_hash=benefit.content_hash if benefit else None,
        )
        db.add(revision)
        action = "create_revision"
    else:
        action = "edit_revision"
    revision.definition = checked.definition or {}
    revision.source_text = source
    revision.case_report = checked.cases
    revision.cases_pass = checked.cases_pass
    revision.updated_at = utcnow()
    db.flush()
    audit(
        db,
        user,
        "benefit",
        benefit_id,
        action,
        None,
        "draft",
        revision=revision.number,
        cases_pass=revision.cases_pass,
    )
    return revision


def act(
    db: Session, user: User, revision: BenefitRevision, action: str, expected_version: int, rules: Ruleset
) -> None:
    """Publish or discard a draft; publishing re-runs the cases on the current ruleset first."""
    if revision.lock_version != expected_version:
        raise WorkflowError("stale")
    t = check(
        TRANSITIONS,
        action,
        revision.state,
        roles=roles_of(user),
        actor_id=user.id,
        author_id=revision.author_id,
        reason=None,
    )
    if action == "publish":
        checked = check_source(db, revision.source_text, rules, revision.benefit_id)
        if checked.definition is None or not checked.cases_pass:
            revision.case_report = checked.cases
            revision.cases_pass = False
            raise WorkflowError("cases_fail")
        definition = checked.definition
        services.apply_benefit_definition(db, definition, definition_hash(definition))
        enqueue(db, "benefit", revision.benefit_id)
    revision.state = t.target
    revision.reviewer_id = user.id if action == "publish" else revision.reviewer_id
    revision.decided_at = utcnow()
    revision.updated_at = utcnow()
    db.flush()
    audit(db, user, "benefit", revision.benefit_id, action, t.source, t.target, revision=revision.number)


def yaml_text(definition: dict[str, Any]) -> str:
    """A stored definition as YAML for the editor, keys in their written order."""
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)


def diff_lines(before: str, after: str) -> list[str]:
    return list(
        difflib.unified_diff(before.splitlines(), after.splitlines(), "published", "draft", lineterm="", n=2)
    )[2:]
