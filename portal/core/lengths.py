"""Text lengths checked at the edge, against the column that will hold the text.

SQLite stores any length in a VARCHAR(n); PostgreSQL refuses the whole statement. So every value a
visitor or staff member types is checked here first, with a message naming the field.
"""

from __future__ import annotations

from wtforms.validators import Length

from portal.core.params import BadParameter
from portal.i18n import lazy_gettext as _l


def limit(attribute) -> int | None:
    """The length of a mapped String column (`User.name`), or None for unbounded text."""
    return getattr(attribute.property.columns[0].type, "length", None)


def too_long(value: str | None, attribute) -> bool:
    longest = limit(attribute)
    return value is not None and longest is not None and len(value) > longest


def check(field: str, value: str | None, attribute) -> None:
    """Refuse `value` for `field` with a 400 naming it when the column cannot hold it."""
    if too_long(value, attribute):
        raise BadParameter(field, message(attribute), "too_long")


def message(attribute) -> str:
    return str(_l("Can be at most %(n)s characters.", n=limit(attribute)))


def fits(attribute) -> Length:
    """A WTForms validator: no longer than the column `attribute`."""
    return Length(max=limit(attribute), message=_l("Can be at most %(max)d characters."))
