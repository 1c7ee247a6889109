"""Event vocabularies (kinds, audiences) from content/taxonomies.yaml, localised."""

from __future__ import annotations

from portal.i18n import lazy_gettext as _l
from portal.places.taxonomy import _names

FEE_LABELS = {"free": _l("Free"), "paid": _l("Paid"), "unknown": _l("Fee not stated")}


def kinds() -> dict[str, str]:
    return _names("event_kinds")


def audiences() -> dict[str, str]:
    return _names("event_audiences")


def fees() -> dict[str, str]:
    return {k: str(v) for k, v in FEE_LABELS.items()}
