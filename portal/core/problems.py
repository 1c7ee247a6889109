"""The one kind of error a user can act on: a code, the field it concerns and values to name.

Pure: raised by services and state machines alike. The words are not here: each code is
rendered from a message catalogue (`portal.core.messages` and the areas' own), in the
visitor's language, so no view maps errors by reading English text.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """A refusal the user can act on; `code` picks the message, `params` fill it in."""

    def __init__(self, code: str, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params
