"""Subscriptions: subscribe, confirm, change, delete, and the digests the cron command sends.

Services flush but never commit; `send_due` commits per message because it runs from cron.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.alerts.kinds import KINDS, Change
from portal.alerts.links import CONFIRM_MAX_AGE, LinkData
from portal.alerts.models import FREQUENCIES, AlertSubscription, SavedCheck
from portal.core.clock import utcnow

PERIODS = {"daily": dt.timedelta(days=1), "weekly": dt.timedelta(days=7)}
# A cron job that fires a few minutes early must not skip a day.
SLACK = dt.timedelta(hours=2)
MAX_PER_ADDRESS = 20  # subscriptions one address may hold (stops a form being used to flood)


class AlertError(Exception):
    """Input that cannot be accepted; `field` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def new_nonce() -> str:
    return secrets.token_hex(8)


def subscribe(
    db: Session, email: str, kinds: list[str], filters: dict[str, list[str]], frequency: str, language: str
) -> AlertSubscription:
    """An unconfirmed subscription; nothing is sent to it until the address is confirmed."""
    if frequency not in FREQUENCIES:
        raise AlertError("frequency", "unknown frequency")
    if not kinds or any(k not in KINDS for k in kinds):
        raise AlertError("kinds", "unknown kind")
    held = db.scalars(select(AlertSubscription.id).where(AlertSubscription.email == email)).all()
    if len(held) >= MAX_PER_ADDRESS:
        raise AlertError("email", "too many subscriptions")
    sub = AlertSubscription(
        email=email,
        nonce=new_nonce(),
        kinds=kinds,
        filters={k: v for k, v in filters.items() if v},
        frequency=frequency,
        language=language,
        created_at=utcnow(),
        digests_sent=0,
    )
    db.add(sub)
    db.flush()
    return sub


def confirm(db: Session, sub: AlertSubscription, now: dt.datetime | None = None) -> bool:
    """Start the digests from now; False when it was confirmed before (a reused link)."""
    if sub.confirmed_at is not None:
        return False
    now = now or utcnow()
    sub.confirmed_at = now
    sub.sent_until = now
    sub.next_due_at = now + PERIODS[sub.frequency] - SLACK
    db.flush()
    return True


def change(db: Session, sub: AlertSubscription, frequency: str, kinds: list[str]) -> None:
    if frequency not in FREQUENCIES:
        raise AlertError("frequency", "unknown frequency")
    if not kinds or any(k not in KINDS for k in kinds):
        raise AlertError("kinds", "unknown kind")
    if frequency != sub.frequency and sub.confirmed_at is not None:
        sub.next_due_at = (sub.sent_until or utcnow()) + PERIODS[frequency] - SLACK
    sub.frequency, sub.kinds = frequency, kinds
    db.flush()


def find(db: Session, data: LinkData) -> AlertSubscription | SavedCheck | None:
    """The subscription or saved check a link names, if it still exists with that nonce."""
    model = AlertSubscription if data.what == "alert" else SavedCheck
    item = db.get(model, data.id)
    if item is None or not secrets.compare_digest(item.nonce, data.nonce):
        return None
    return item


def delete(db: Session, item: AlertSubscription | SavedCheck) -> None:
    """Forget the subscription or saved answers, address included."""
    db.delete(item)
    db.flush()


def purge_unconfirmed(db: Session, now: dt.datetime) -> int:
    """Forget addresses that never confirmed within the confirmation link's life."""
    from sqlalchemy import delete as sql_delete

    cutoff = now - dt.timedelta(seconds=CONFIRM_MAX_AGE)
    gone = 0
    for model in (AlertSubscription, SavedCheck):
        result = db.execute(sql_delete(model).where(model.confirmed_at.is_(None), model.created_at < cutoff))
        gone += result.rowcount or 0
    return gone


def held_by(db: Session, email: str) -> list[AlertSubscription | SavedCheck]:
    """Everything an address holds (to send fresh links to that address only)."""
    subs = list(db.scalars(select(AlertSubscription).where(AlertSubscription.email == email)))
    checks = list(db.scalars(select(SavedCheck).where(SavedCheck.email == email)))
    return [*subs, *checks]


@dataclass
class Digest:
    sub: AlertSubscription
    changes: list[Change]
    previous: tuple[dt.datetime | None, dt.datetime | None, int]


def due(db: Session, now: dt.datetime) -> list[int]:
    return list(
        db.scalars(
            select(AlertSubscription.id)
            .where(AlertSubscription.confirmed_at.is_not(None), AlertSubscription.next_due_at <= now)
            .order_by(AlertSubscription.id)
        )
    )


def prepare_digest(db: Session, sub: AlertSubscription, now: dt.datetime) -> Digest | None:
    """Move the watermark to `now` and return what changed since the last one (None: nothing).

    The caller commits the watermark before sending, so a second run or a crash after the
    commit never sends the same changes again."""
    since = sub.sent_until or sub.confirmed_at or now
    changes: list[Change] = []
    for kind_id in sub.kinds:
        kind = KINDS.get(kind_id)
        if kind is not None:
            wanted = {k: v for k, v in (sub.filters or {}).items() if k in kind.filters}
            changes.extend(kind.changes(db, since, now, wanted))
    previous = (sub.sent_until, sub.next_due_at, sub.digests_sent)
    sub.sent_until = now
    sub.next_due_at = now + PERIODS[sub.frequency] - SLACK
    if changes:
        sub.digests_sent += 1
    db.flush()
    return Digest(sub, changes, previous) if changes else None


def rewind(db: Session, digest: Digest) -> None:
    """The message could not be sent: the next run tries the same changes again."""
    digest.sub.sent_until, digest.sub.next_due_at, digest.sub.digests_sent = digest.previous
    db.flush()


def parse_filters(args, allowed: dict[str, tuple[str, ...]]) -> tuple[list[str], dict[str, list[str]]]:
    """Kinds (`what`) and filters from a query string; AlertError names the first unknown value."""

    def values(name: str) -> list[str]:
        return list(dict.fromkeys(v for raw in args.getlist(name) for v in raw.split(",") if v))

    kinds = values("what") or list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise AlertError("what", unknown[0])
    filters: dict[str, list[str]] = {}
    for name, options in allowed.items():
        chosen = values(name)
        bad = [v for v in chosen if v not in options]
        if bad:
            raise AlertError(name, bad[0])
        if chosen:
            filters[name] = chosen
    return kinds, filters
