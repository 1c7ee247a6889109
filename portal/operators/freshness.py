"""Keeping listings current: operators confirm them and are reminded before a confirmation runs out."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import mail
from portal.accounts.models import User
from portal.core.audit import audit
from portal.core.clock import utcnow
from portal.core.locks import try_transaction_lock
from portal.core.outbox import enqueue
from portal.core.urls import absolute_url
from portal.i18n import gettext as _
from portal.operators import workflow
from portal.operators.models import PlaceClaim
from portal.operators.services import operators_of
from portal.places import freshness
from portal.places.freshness import period
from portal.places.models import Place


def confirm(db: Session, user: User, place: Place, today: dt.date | None = None) -> None:
    """The operator says the listing is still right as it stands."""
    today = today or utcnow().date()
    before = place.last_confirmed_on.isoformat() if place.last_confirmed_on else None
    place.last_confirmed_on = today
    place.updated_at = utcnow()
    enqueue(db, "place", place.id)  # its rank depends on being confirmed
    audit(db, user, "place", place.id, "confirm_listing", before, today.isoformat())


REMINDERS_LOCK = "operators.reminders"


def send_reminders(db: Session, today: dt.date | None = None) -> dict[str, int] | None:
    """Email the operators of listings whose confirmation runs out soon (once per confirmation),
    and re-rank listings whose confirmation has run out since the last runs.

    Returns None, doing nothing, while another host runs it (a lock held until the caller's
    commit, which also records who was reminded: a run after it finds them done)."""
    if not try_transaction_lock(db, REMINDERS_LOCK):
        return None
    today = today or utcnow().date()
    days, lead = period(), current_app.config["LISTING_REMINDER_DAYS"]
    managed = select(PlaceClaim.place_id).where(PlaceClaim.state == "approved")
    sent = 0
    for place in db.scalars(
        select(Place).where(
            Place.id.in_(managed), Place.publication_state == "published", Place.status != "closed"
        )
    ):
        if not workflow.reminder_due(place.last_confirmed_on, place.confirm_reminder_on, today, days, lead):
            continue
        until = freshness.confirmed_until_date(place.last_confirmed_on, days)
        link = absolute_url("operators.home")
        for user in operators_of(db, place.id):
            body = (
                _(
                    "Please check the listing of %(name)s on the portal and confirm that it is current.",
                    name=place.name,
                )
                + "\n\n"
                + (
                    _("Your last confirmation counts until %(date)s.", date=until.isoformat())
                    if until
                    else _("The listing has not been confirmed yet.")
                )
                + "\n\n"
                + link
                + "\n"
            )
            mail.send(user.email, _("Please confirm your listing: %(name)s", name=place.name), body)
            sent += 1
        place.confirm_reminder_on = today
        audit(
            db,
            None,
            "place",
            place.id,
            "confirm_reminder",
            to_state="reminded",
            until=until.isoformat() if until else None,
        )
    # Listings whose confirmation ran out within the last month get re-ranked (a daily cron run
    # catches each once; the window covers missed runs).
    lapsed_from, lapsed_to = today - dt.timedelta(days=days + 31), today - dt.timedelta(days=days + 1)
    lapsed = list(
        db.scalars(
            select(Place.id).where(
                Place.last_confirmed_on >= lapsed_from, Place.last_confirmed_on <= lapsed_to
            )
        )
    )
    for place_id in lapsed:
        enqueue(db, "place", place_id)
    db.flush()
    return {"sent": sent, "reranked": len(lapsed)}
