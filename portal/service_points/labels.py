"""Display names of office kinds and of who acts in a flow step, translatable."""

from __future__ import annotations

from portal.i18n import lazy_gettext as _l

KIND_LABELS = {
    "government_service": _l("Government service centre"),
    "hr": _l("Human resources and social security office"),
    "tax": _l("Tax office"),
    "science": _l("Science and technology bureau"),
    "ip": _l("Intellectual property office"),
    "market": _l("Market regulation (registration) office"),
}
WHO_LABELS = {**KIND_LABELS, "you": _l("You"), "bank": _l("Bank and guarantee fund")}
