"""Back-office queries: the queues on the staff home and the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User, utcnow
from portal.policies.models import Policy
from portal.publishing.models import AuditEntry, PolicyRevision


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The date `count` working days (Monday to Friday) before `day`.

    Public holidays and the weekend swaps of the State Council calendar are not modelled, so the
    queue may flag a policy a day or two early around holidays.
    """
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def queues(db: Session, user: User, today: dt.date | None = None) -> dict[str, list]:
    today = today or utcnow().date()
    revisions = select(PolicyRevision)
    mine = db.scalars(revisions.where(PolicyRevision.author_id == user.id,
                                      PolicyRevision.state.in_(("draft", "rejected")))
                      .order_by(PolicyRevision.updated_at.desc())).all()
    review = []
    if user.can("reviewer"):
        review = db.scalars(revisions.where(PolicyRevision.state == "in_review",
                                            PolicyRevision.author_id != user.id)
                            .order_by(PolicyRevision.submitted_at)).all()
    scheduled = db.scalars(revisions.where(PolicyRevision.state == "scheduled")
                           .order_by(PolicyRevision.publish_at)).all()
    published = Policy.publication_state == "published"
    expiring = db.scalars(select(Policy).where(
        published, Policy.effective_to >= today,
        Policy.effective_to <= today + dt.timedelta(days=30)).order_by(Policy.effective_to)).all()
    cutoff = dt.datetime.combine(working_days_before(today, 7), dt.time())
    no_guide = db.scalars(select(Policy).where(
        published, Policy.guide == None, Policy.published_at <= cutoff)  # noqa: E711
        .order_by(Policy.published_at)).all()
    return {"mine": mine, "review": review, "scheduled": scheduled, "expiring": expiring,
            "no_guide": no_guide, **other_work(db, user)}


def other_work(db: Session, user: User) -> dict[str, int]:
    """Counts of what waits elsewhere in the back office: benefit drafts, feedback, listings."""
    from portal.eligibility.models import BenefitRevision, ResultFeedback
    from portal.operators.models import PlaceClaim, PlaceRevision

    def count(stmt) -> int:
        return db.scalar(select(func.count()).select_from(stmt.subquery())) or 0

    out = {
        "benefit_drafts": count(select(BenefitRevision.id).where(BenefitRevision.state == "draft")),
        "feedback": count(select(ResultFeedback.id).where(ResultFeedback.state == "new")),
    }
    if user.can("reviewer"):
        from portal.content.models import ContentConflict

        out["conflicts"] = count(select(ContentConflict.id).where(ContentConflict.state == "open"))
        out["moderation"] = (
            count(select(PlaceClaim.id).where(PlaceClaim.state == "pending"))
            + count(select(PlaceRevision.id).where(PlaceRevision.state == "pending")))
    return out


def audit_log(db: Session, entity: str | None, action: str | None, page: int, per_page: int = 50):
    stmt = select(AuditEntry)
    if entity:
        stmt = stmt.where(AuditEntry.entity_id == entity)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return db.scalars(stmt.offset((page - 1) * per_page).limit(per_page + 1)).all()


def audit_actions(db: Session) -> list[str]:
    return sorted(db.scalars(select(AuditEntry.action).distinct()))
