"""Validation of query-string parameters shared by pages and the API."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote_to_bytes

from flask import g, request

from portal.i18n import lazy_gettext as _l

MAX_QUERY_CHARS = 200
MAX_PAGE = 10_000


class BadParameter(Exception):
    """A request parameter is invalid; rendered as a 400 naming the field."""

    def __init__(self, field: str, message, code: str = "invalid_parameter") -> None:
        # Plain text from here on: a lazy string counts as markup in templates (it has __html__),
        # so a visitor's value inside it would reach the page unescaped.
        super().__init__(str(message))
        self.field = field
        self.message = str(message)
        self.code = code


def _undecodable() -> set[str]:
    """Names of parameters whose percent-encoded bytes are not UTF-8 (Werkzeug keeps them raw)."""
    if "undecodable_params" not in g:
        bad = set()
        for pair in request.query_string.split(b"&"):
            key, _, value = pair.partition(b"=")
            try:
                unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                bad.add(unquote_to_bytes(key).decode("utf-8", "replace"))
        g.undecodable_params = bad
    return g.undecodable_params


def _check_encoding(name: str, value: str) -> None:
    if "\ufffd" in value or name in _undecodable():
        raise BadParameter(name, _l("This value is not valid UTF-8 text."), "invalid_encoding")


def _raw(name: str) -> str | None:
    value = request.args.get(name)
    if value is not None:
        _check_encoding(name, value)
    return value


def query_text(name: str = "q") -> str:
    """The search words, trimmed; too long or undecodable text is refused."""
    value = (_raw(name) or "").strip()
    if len(value) > MAX_QUERY_CHARS:
        raise BadParameter(name, _l("Search text can be at most %(n)s characters.", n=MAX_QUERY_CHARS))
    return value


def positive_int(name: str, default: int, maximum: int) -> int:
    """A whole number from 1 to `maximum`, or `default` when absent."""
    value = _raw(name)
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()):  # isdigit alone accepts ², ① and other digits
        raise BadParameter(name, _l("Must be a whole number."))
    number = int(value)
    if not 1 <= number <= maximum:
        raise BadParameter(name, _l("Must be between 1 and %(max)s.", max=maximum))
    return number


def choices(name: str, allowed: Iterable[str]) -> tuple[str, ...]:
    """Every value given for `name` (repeated or comma-separated), each checked against `allowed`."""
    allowed = set(allowed)
    values: list[str] = []
    for raw in request.args.getlist(name):
        _check_encoding(name, raw)
        for value in raw.split(","):
            value = value.strip()
            if not value:
                continue
            if value not in allowed:
                raise BadParameter(name, _l("Unknown value “%(value)s”.", value=value[:80]))
            if value not in values:
                values.append(value)
    return tuple(values)


def choice(name: str, allowed: Iterable[str], default: str) -> str:
    """One value from `allowed`, or `default` when absent."""
    values = choices(name, allowed)
    if len(values) > 1:
        raise BadParameter(name, _l("Give only one value."))
    return values[0] if values else default
