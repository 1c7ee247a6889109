"""How current a listing is: confirmed by its operator within the confirmation period."""

from __future__ import annotations

import datetime as dt

from flask import current_app, has_app_context

from portal.core.clock import utcnow


def period() -> int:
    """Days a confirmation counts (the default outside an application, e.g. in benchmarks)."""
    return current_app.config["LISTING_CONFIRM_DAYS"] if has_app_context() else 90


def confirmed_until_date(last_confirmed: dt.date | None, period_days: int) -> dt.date | None:
    """The last day a confirmation counts; None when never confirmed."""
    return last_confirmed + dt.timedelta(days=period_days) if last_confirmed else None


def fresh_on(last_confirmed: dt.date | None, today: dt.date, period_days: int) -> bool:
    """Whether a listing confirmed on `last_confirmed` still counts as confirmed on `today`."""
    until = confirmed_until_date(last_confirmed, period_days)
    return until is not None and today <= until


def is_fresh(place, today: dt.date | None = None) -> bool:
    """Confirmed by its operator within the confirmation period."""
    return fresh_on(place.last_confirmed_on, today or utcnow().date(), period())


def confirmed_until(place) -> dt.date | None:
    return confirmed_until_date(place.last_confirmed_on, period())
