"""Times as people read them: stored naive UTC, shown in DISPLAY_TIMEZONE (China Standard Time)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_display(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time in the display time zone."""
    zone = _zone(current_app.config["DISPLAY_TIMEZONE"])
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zone)


def offset_label(value: dt.datetime) -> str:
    """ "UTC+8" for China Standard Time: unambiguous in both languages."""
    seconds = int(value.utcoffset().total_seconds()) if value.utcoffset() is not None else 0
    hours, rest = divmod(abs(seconds), 3600)
    sign = "+" if seconds >= 0 else "-"
    return f"UTC{sign}{hours}" + (f":{rest // 60:02d}" if rest else "")


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Jinja filter `local_time`: "2026-12-02 13:05 UTC+8"."""
    if value is None:
        return ""
    shown = to_display(value)
    return f"{shown.strftime(fmt)} {offset_label(shown)}"


def from_display(value: dt.datetime) -> dt.datetime:
    """A time typed in the display time zone, as stored (naive UTC)."""
    zone = _zone(current_app.config["DISPLAY_TIMEZONE"])
    return value.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)
