"""The cron run: digests that are due, then saved eligibility answers whose results changed."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from portal.alerts import messages, services
from portal.alerts.models import AlertSubscription
from portal.core.clock import utcnow
from portal.core.locks import run_lock

SEND_LOCK = "alerts.send"


def send_all(db: Session) -> dict[str, int] | None:
    """Commit per message: the watermark first, then send; a failed send rewinds it.

    Returns None, doing nothing, while another host runs it: two runs reading the same watermark
    before either commits would both send the same news."""
    with run_lock(db, SEND_LOCK) as held:
        return _send_all(db) if held else None


def _send_all(db: Session) -> dict[str, int]:
    from portal.alerts import checks

    done = {"digests": 0, "checks": 0, "failed": 0}
    now = utcnow()
    services.purge_unconfirmed(db, now)
    db.commit()
    for sub_id in services.due(db, now):
        sub = db.get(AlertSubscription, sub_id)
        digest = services.prepare_digest(db, sub, now)
        db.commit()
        if digest is None:
            continue
        try:
            messages.send_digest(sub, digest.changes)
        except Exception:  # SMTP down or refusing: try the same changes next run
            current_app.logger.exception("digest to subscription %s not sent", sub_id)
            services.rewind(db, digest)
            db.commit()
            done["failed"] += 1
            continue
        done["digests"] += 1
    result = checks.send_changes(db)
    done["checks"], done["failed"] = result["sent"], done["failed"] + result["failed"]
    return done
