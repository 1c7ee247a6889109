"""Benefits in the database, the ruleset the engine reads (cached per version), and feedback.

Services flush but never commit: the request or command owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from portal.core.clock import utcnow
from portal.core.versioncache import per_version
from portal.eligibility.models import Benefit, EligibilityQuestion, ResultFeedback
from portal.eligibility.rules import Ruleset
from portal.eligibility.schema import FactTypes, read_benefit, read_questions
from portal.regions.models import Region

_cache: dict[str, Any] = {"stamp": None, "ruleset": None, "checked_at": 0.0, "url": None}
_lock = threading.Lock()
# How long a worker trusts its ruleset before asking the database whether it changed. A change
# published by this worker is seen at once; one published by another worker within this time.
RECHECK_SECONDS = 1.0


def replace_questions(db: Session, questions: list[dict[str, Any]]) -> int:
    """Make the stored questions exactly these, in this order."""
    wanted = {q["id"] for q in questions}
    for old in db.scalars(select(EligibilityQuestion)):
        if old.id not in wanted:
            db.delete(old)
    for pos, q in enumerate(questions):
        row = db.get(EligibilityQuestion, q["id"])
        if row is None:
            db.add(EligibilityQuestion(id=q["id"], position=pos, definition=q))
        elif row.definition != q or row.position != pos:
            row.definition, row.position = q, pos
    return len(questions)


def apply_benefit_definition(db: Session, definition: dict[str, Any], content_hash: str) -> str:
    """Create or update a benefit from a checked definition; returns created/updated/unchanged."""
    benefit = db.get(Benefit, definition["id"])
    if benefit is not None and benefit.content_hash == content_hash:
        return "unchanged"
    created = benefit is None
    if benefit is None:
        benefit = Benefit(id=definition["id"], version=0)
        db.add(benefit)
    basis = definition.get("basis") or []
    benefit.name = definition["name"]
    benefit.name_en = definition.get("name_en")
    benefit.kind = definition["kind"]
    benefit.issuer = definition.get("issuer")
    benefit.issuer_en = definition.get("issuer_en")
    benefit.region_id = definition["region"]
    benefit.policy_ids = list(dict.fromkeys(b["policy"] for b in basis if b.get("policy")))
    benefit.definition = definition
    benefit.verified = bool(definition.get("verified"))
    verified_on = definition.get("verified_on")
    benefit.verified_on = dt.date.fromisoformat(verified_on) if verified_on else None
    benefit.content_hash = content_hash
    benefit.version = (benefit.version or 0) + 1
    benefit.updated_at = utcnow()
    forget_ruleset()
    return "created" if created else "updated"


def _stamp(db: Session) -> tuple:
    """Cheap fingerprint of everything a ruleset is built from."""
    benefits = db.execute(
        select(func.count(Benefit.id), func.max(Benefit.updated_at), func.sum(Benefit.version))
    ).one()
    questions = db.execute(select(func.count(EligibilityQuestion.id))).scalar()
    regions = db.execute(select(func.count(Region.id))).scalar()
    return (str(db.get_bind().url), *benefits, questions, regions)


def build_ruleset(db: Session) -> Ruleset:
    """Read questions, benefits and regions from the database into an engine ruleset."""
    regions = list(db.scalars(select(Region)))
    region_ids = {r.id for r in regions}
    rows = list(db.scalars(select(EligibilityQuestion).order_by(EligibilityQuestion.position)))
    questions, problems = read_questions([r.definition for r in rows], region_ids)
    if problems:
        raise ValueError("stored questions are invalid: " + "; ".join(p.english() for p in problems))
    facts = FactTypes(questions, region_ids)
    benefits = []
    stored = list(db.scalars(select(Benefit).order_by(Benefit.id)))
    ids = {b.id for b in stored}
    policy_ids = _policy_ids(db)
    for row in stored:
        benefit, problems = read_benefit(row.definition, facts, policy_ids, ids)
        if benefit is None:
            raise ValueError(
                f"stored benefit {row.id} is invalid: " + "; ".join(p.english() for p in problems)
            )
        benefits.append(benefit)
    digest = hashlib.sha256()
    for r in rows:
        digest.update(repr(sorted(r.definition.items())).encode())
    for b in stored:
        digest.update(b.content_hash.encode())
    version = f"{len(stored)}.{digest.hexdigest()[:10]}"
    names = {r.id: (r.name, r.name_en) for r in regions}
    return Ruleset(version, questions, tuple(benefits), {r.id: r.parent_id for r in regions}, names)


def question_definitions(db: Session) -> dict[str, dict[str, Any]]:
    """Each question's definition as written (for the API's `asked_when`)."""
    return {q.id: q.definition for q in db.scalars(select(EligibilityQuestion))}


def policy_id_column():
    from portal.policies.models import Policy

    return Policy.id


def _policy_ids(db: Session) -> set[str]:
    return set(db.scalars(select(policy_id_column())))


def ruleset(db: Session) -> Ruleset:
    """The current ruleset, rebuilt only when benefits, questions or regions changed."""
    url = str(db.get_bind().url)
    now = time.monotonic()
    with _lock:
        fresh = _cache["url"] == url and now - _cache["checked_at"] < RECHECK_SECONDS
        if fresh and _cache["ruleset"] is not None:
            return _cache["ruleset"]
    stamp = _stamp(db)
    with _lock:
        if _cache["stamp"] != stamp or _cache["ruleset"] is None:
            _cache["ruleset"] = build_ruleset(db)
            _cache["stamp"] = stamp
        _cache["checked_at"], _cache["url"] = now, url
        return _cache["ruleset"]


def forget_ruleset() -> None:
    """Make the next `ruleset` call look at the database (after this worker changed a benefit)."""
    with _lock:
        _cache["checked_at"] = 0.0


def policy_titles(db: Session, ids: list[str]) -> dict[str, Any]:
    """Id and titles of the published policies among `ids` (what result pages link to)."""
    from portal.policies.models import Policy

    if not ids:
        return {}
    rows = db.execute(
        select(Policy.id, Policy.title, Policy.title_en).where(
            Policy.id.in_(ids), Policy.publication_state == "published"
        )
    )
    return {r.id: r for r in rows}


def cited_policies(db: Session, rules: Ruleset) -> dict[str, Any]:
    """`policy_titles` of every policy the rules cite (what a results page links to), per content version."""
    ids = sorted({pid for b in rules.benefits for pid in b.policy_ids})
    return per_version(db, "cited_policies", rules.version, lambda: policy_titles(db, ids))


# Built once: search result pages ask for a few benefits by id on every request.
_ROWS_BY_IDS = (
    select(Benefit).where(Benefit.id.in_(bindparam("ids", expanding=True))).order_by(Benefit.kind, Benefit.id)
)


def benefit_rows(db: Session, ids: list[str] | None = None) -> list[Benefit]:
    if ids is not None:
        return list(db.scalars(_ROWS_BY_IDS, {"ids": list(ids)})) if ids else []
    return list(db.scalars(select(Benefit).order_by(Benefit.kind, Benefit.id)))


def record_feedback(
    db: Session, *, benefit_id: str | None, answers: str, version: str, status: str | None, message: str
) -> ResultFeedback:
    """Keep a founder's "this result looks wrong" for staff."""
    item = ResultFeedback(
        benefit_id=benefit_id,
        answers=answers[:4000],
        ruleset_version=version,
        status_shown=status,
        message=message,
        created_at=utcnow(),
        state="new",
    )
    db.add(item)
    db.flush()
    return item
