"""Values built once per content version and kept by the application (pages ask for them on every request).

The version moves with every published change and is read from the database once per request, so
a value kept here is never older than the content on any worker or host. Each application keeps its
own values: versions of two databases never mix. Templates keep a piece the same way, per language,
with `{% call fragment("name", key…) %}…{% endcall %}`: for parts made only of published content.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from portal import db as database
from portal.core.contentversion import CHANGED, current
from portal.i18n import current_language

T = TypeVar("T")
MAX_ENTRIES = 512  # per namespace, unless the caller says otherwise: all are dropped when full


def per_version(
    db: Session, namespace: str, key: Hashable, build: Callable[[], T], limit: int = MAX_ENTRIES
) -> T:
    """`build()` once per content version and `key` in `namespace`; entries of older versions go.
    Values must be plain data, not ORM objects (those belong to the session that loaded them)."""
    if not has_app_context() or db.info.get(CHANGED) or db.dirty or db.new or db.deleted:
        return build()  # this transaction changed something not yet committed: not for others
    kept: dict = current_app.extensions.setdefault("per_version", {})
    version = current(db)
    entry = kept.get(namespace)
    if entry is not None and version < entry[0]:
        return build()  # a request that began before a change another thread has already seen
    if entry is None or entry[0] != version or len(entry[1]) >= limit:
        # One assignment, so a thread never sees a version paired with another version's values.
        entry = kept[namespace] = (version, {})
    values = entry[1]
    if key not in values:
        values[key] = build()
    return values[key]


# Template pieces: a benefit's "how to apply" for each region, in two languages, is a few thousand.
MAX_FRAGMENTS = 4096


def fragment(name: str, *key: Hashable, caller: Callable[[], T]) -> T:
    """`{% call fragment("name", key…) %}body{% endcall %}`: the body rendered once per content
    version, language and key. Only for bodies made of published content (nothing personal, no date)."""
    return per_version(
        database.session(), "fragment", (current_language(), name, *key), caller, MAX_FRAGMENTS
    )
