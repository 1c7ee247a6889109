"""Values built once per content version and kept by the application, for the pages that read them.

The content version moves with every change the public sees and is read from the database once per
request, so a value kept under it is never older than the content on any worker or host. Values
are kept per application (one database per application: versions of two databases never mix) and
must be plain data, not ORM objects, which belong to the session that loaded them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from portal.core import contentversion

T = TypeVar("T")
MAX_ENTRIES = 512  # small values (labels, links, a region's ancestors): a bound, not a tuning knob


def per_version(db: Session, key: Hashable, build: Callable[[], T]) -> T:
    """`build()` once per content version and `key`; outside an application, every time."""
    if not has_app_context():
        return build()
    version = contentversion.current(db)
    kept_version, values = current_app.extensions.get("per_version", (version, {}))
    if version < kept_version:
        return build()  # a request that began before the change: its value is not kept
    if version > kept_version or "per_version" not in current_app.extensions:
        # One assignment, so a thread never sees a version paired with another version's values.
        values = {}
        current_app.extensions["per_version"] = (version, values)
    if key not in values:
        if len(values) >= MAX_ENTRIES:
            values.clear()
        values[key] = build()
    return values[key]
