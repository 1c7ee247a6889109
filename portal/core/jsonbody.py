"""Reading a JSON request body safely: bounded nesting, valid Unicode text only."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from portal.i18n import gettext as _

MAX_DEPTH = 32


class BadJson(ValueError):
    """The body is not usable JSON; `field` names where, when known."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def _depth(raw: bytes) -> int:
    """Deepest nesting of arrays and objects, outside strings (scanned before parsing)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _surrogate_path(value: Any, path: str) -> str | None:
    """Where a string holds a lone surrogate (valid in JSON text, not in UTF-8), if anywhere."""
    if isinstance(value, str):
        return path if any("\ud800" <= ch <= "\udfff" for ch in value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if _surrogate_path(key, "") is not None:
                return path or "(key)"
            found = _surrogate_path(item, inner)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _surrogate_path(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def read_json() -> Any:
    """The request's JSON body, or BadJson naming the problem."""
    if not request.is_json:
        raise BadJson("invalid_json", _("Send the body as JSON (Content-Type: application/json)."))
    raw = request.get_data(cache=True)
    if _depth(raw) > MAX_DEPTH:
        raise BadJson("too_deep", _("The JSON is nested more than %(n)s levels deep.", n=MAX_DEPTH))
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadJson("invalid_json", _("The body is not valid JSON.")) from None
    where = _surrogate_path(body, "")
    if where is not None:
        raise BadJson(
            "invalid_text",
            _("This text holds an invalid character (a lone surrogate)."),
            where.lstrip(".") or None,
        )
    return body
