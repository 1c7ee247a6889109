"""The audit log: one append-only entry per action, with who, when, from, to and why."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.core.clock import utcnow
from portal.db import Base, UtcDateTime

if TYPE_CHECKING:
    from portal.accounts.models import User


class AuditEntry(Base):
    """Who did what, when, from which state to which, and why."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship("User", lazy="joined")

    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)


def audit(
    db: Session,
    actor: User | None,
    entity_type: str,
    entity_id: str,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    **detail: Any,
) -> AuditEntry:
    """Record one action in the audit log."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        detail=detail,
        at=utcnow(),
    )
    db.add(entry)
    return entry
