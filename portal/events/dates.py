"""Event times: China Standard Time for people, naive UTC in the database. Pure, no Flask."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

# Every region the portal covers is in mainland China, which keeps one time zone all year.
TIME_ZONE = ZoneInfo("Asia/Shanghai")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class DateProblem(ValueError):
    """A time that cannot be right; `code` says why, `field` which one."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


def to_utc(value: dt.datetime) -> dt.datetime:
    """Naive UTC for storage; a naive value is read as China Standard Time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=TIME_ZONE)
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored (naive UTC) time as an aware China Standard Time."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(TIME_ZONE)


def iso(value: dt.datetime | None) -> str | None:
    """RFC 3339 (ISO 8601 with seconds) and the +08:00 offset, for the API."""
    shown = local(value)
    return shown.isoformat(timespec="seconds") if shown else None


def day_start(day: dt.date) -> dt.datetime:
    """Midnight of a day in China, as naive UTC."""
    return to_utc(dt.datetime.combine(day, dt.time()))


def parse_time(raw, field: str) -> tuple[dt.datetime | None, bool]:
    """(naive UTC, date only) from a YAML or form value: a date, "YYYY-MM-DD HH:MM" (China time)
    or ISO 8601 with an offset; DateProblem("format") otherwise."""
    if raw is None or raw == "":
        return None, False
    if isinstance(raw, dt.datetime):
        return to_utc(raw), False
    if isinstance(raw, dt.date):
        return day_start(raw), True
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if len(text) == 10:
                return day_start(dt.date.fromisoformat(text)), True
            return to_utc(dt.datetime.fromisoformat(text.replace(" ", "T", 1))), False
        except ValueError:
            pass
    raise DateProblem(field, "format")


def check_order(
    starts: dt.datetime | None, ends: dt.datetime | None, *, all_day: bool, now: dt.datetime | None = None
) -> None:
    """DateProblem when the end comes before the start, an end has no start, or (for a new event,
    when `now` is given) the start has passed."""
    if starts is None:
        if ends is not None:
            raise DateProblem("starts_at", "end_without_start")
        return
    # A one-day event may give the same day as start and end; a timed one must end after it starts.
    if ends is not None and (ends < starts or (ends == starts and not all_day)):
        raise DateProblem("ends_at", "before_start")
    if now is not None and starts < now:
        raise DateProblem("starts_at", "past")


def stored_end(ends: dt.datetime | None, all_day: bool) -> dt.datetime | None:
    """All-day events keep their last day inclusive in files and forms, the next midnight in the
    database (as iCalendar does)."""
    if ends is None or not all_day:
        return ends
    return ends + dt.timedelta(days=1)


def last_day(event_end: dt.datetime | None, all_day: bool) -> dt.date | None:
    """The last day of an event in China."""
    shown = local(event_end)
    if shown is None:
        return None
    return (shown - dt.timedelta(days=1)).date() if all_day else shown.date()


def parse_month(raw: str | None, today: dt.date) -> dt.date:
    """The first day of "YYYY-MM", or of this month; ValueError for anything else."""
    if not raw:
        return today.replace(day=1)
    match = MONTH.match(raw)
    if not match or not (1 <= int(match.group(2)) <= 12) or not (2000 <= int(match.group(1)) <= 2100):
        raise ValueError(raw)
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month as [start, end) in naive UTC."""
    days = calendar.monthrange(first.year, first.month)[1]
    return day_start(first), day_start(first + dt.timedelta(days=days))


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_weeks(first: dt.date) -> list[list[dt.date | None]]:
    """The weeks of a month, Monday first, with None outside the month."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[d if d.month == first.month else None for d in week] for week in weeks]


def days_of(starts: dt.datetime, ends: dt.datetime | None, all_day: bool) -> list[dt.date]:
    """Every day (China time) an event takes place on."""
    first = local(starts).date()
    last = last_day(ends, all_day) if ends is not None else first
    last = max(first, last)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)][:366]
