"""What staff should see of each other: policies an administrator published alone, and why."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.core.audit import AuditEntry

SOLO_ACTION = "approve_alone"


def solo_publications(db: Session, rng) -> list[AuditEntry]:
    return list(
        db.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == SOLO_ACTION, AuditEntry.at >= rng.lo, AuditEntry.at < rng.hi)
            .order_by(AuditEntry.at.desc())
        )
    )
