"""Back-office queries: the queues on the staff home and the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.audit import AuditEntry
from portal.core.clock import utcnow
from portal.policies.models import Policy
from portal.publishing.models import PolicyRevision


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
    mine = db.scalars(
        revisions.where(
            PolicyRevision.author_id == user.id, PolicyRevision.state.in_(("draft", "rejected"))
        ).order_by(PolicyRevision.updated_at.desc())
    ).all()
    review = []
    if user.can("reviewer"):
        review = db.scalars(
            revisions.where(
                PolicyRevision.state == "in_review", PolicyRevision.author_id != user.id
            ).order_by(PolicyRevision.submitted_at)
        ).all()
    scheduled = db.scalars(
        revisions.where(PolicyRevision.state == "scheduled").order_by(PolicyRevision.publish_at)
    ).all()
    published = Policy.publication_state == "published"
    expiring = db.scalars(
        select(Policy)
        .where(published, Policy.effective_to >= today, Policy.effective_to <= today + dt.timedelta(days=30))
        .order_by(Policy.effective_to)
    ).all()
    cutoff = dt.datetime.combine(working_days_before(today, 7), dt.time())
    # An empty guide is no guide: every published policy without steps or a filled field counts.
    public = db.scalars(select(Policy).where(published).order_by(Policy.published_at)).all()
    no_guide = [p for p in public if not p.has_usable_guide]
    overdue = {p.id for p in no_guide if p.published_at is not None and p.published_at <= cutoff}
    return {
        "mine": mine,
        "review": review,
        "scheduled": scheduled,
        "expiring": expiring,
        "no_guide": no_guide,
        "no_guide_overdue": overdue,
        **without_contact(db, public),
        **other_work(db, user),
    }


def without_contact(db: Session, policies: list[Policy]) -> dict[str, list]:
    """Benefits and policies without a contact: no address, phone or online entry of their own, and no
    verified local service point with a phone or address for their region and kind of office (the
    national hotlines answer everywhere but do not decide local applications)."""
    from portal.eligibility.services import ruleset
    from portal.service_points.services import office_for
    from portal.service_points.topics import topic_for_categories

    def reachable(region_id: str, kind: str) -> bool:
        offices = [p for p in office_for(db, region_id, kind) if p.verified and p.region_id != "cn"]
        return any(p.definition.get("phone") or p.definition.get("address") for p in offices)

    benefits = []
    for benefit in ruleset(db).benefits:
        apply = benefit.data.get("apply") or {}
        if not any(apply.get(k) for k in ("address", "phone", "online_url")) and not reachable(
            benefit.region, apply.get("office") or "government_service"
        ):
            benefits.append(benefit)
    policies_out = []
    for policy in policies:
        topic = topic_for_categories([c.id for c in policy.categories])
        kind = topic.office if topic else "government_service"
        if not policy.has_contact and not reachable(policy.region_id, kind):
            policies_out.append(policy)
    return {"benefits_no_contact": benefits, "policies_no_contact": policies_out}


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
        out["moderation"] = count(select(PlaceClaim.id).where(PlaceClaim.state == "pending")) + count(
            select(PlaceRevision.id).where(PlaceRevision.state == "pending")
        )
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
