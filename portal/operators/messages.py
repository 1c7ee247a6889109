"""Words for refusals the operator pages show (the shared workflow words cover the rest)."""

from __future__ import annotations

from portal.i18n import lazy_gettext as _l

# Refusals worded for operators: the item changed under them (the shared words cover the rest).
REFUSALS = {
    "not_allowed": _l("This is no longer possible: it has been decided or changed. Check it again."),
    "stale": _l("This is no longer possible: it has been decided or changed. Check it again."),
}
