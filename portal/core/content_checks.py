"""Field checks for content files; each failure names the file and the field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


class ContentError(Exception):
    """A content file is not valid; the message names file and field."""


@dataclass
class Problems:
    """Collects every problem in a load so the author can fix them in one go."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, fieldname: str, message: str) -> None:
        self.items.append(f"{where}: field '{fieldname}': {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError("\n".join(self.items))


class Record:
    """Typed access to one mapping from a content file, recording problems instead of raising."""

    def __init__(self, data: Any, where: str, problems: Problems, prefix: str = "") -> None:
        self.where = where
        self.problems = problems
        self.prefix = prefix
        if not isinstance(data, dict):
            problems.add(where, prefix.rstrip(".") or "(file)", "must be a mapping of fields")
            data = {}
        self.data: dict[str, Any] = data

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def _fail(self, key: str, message: str) -> None:
        self.problems.add(self.where, self._name(key), message)

    def text(self, key: str, *, required: bool = False, max_len: int = 100_000) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self._fail(key, "is required")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self._fail(key, "must be text")
            return None
        if len(value) > max_len:
            self._fail(key, f"is longer than {max_len} characters")
        return value.strip()

    def slug(self, key: str) -> str | None:
        value = self.text(key, required=True, max_len=80)
        if value is not None and not SLUG.match(value):
            self._fail(key, "must be lowercase letters, digits and '-' (at most 80)")
            return None
        return value

    def choice(self, key: str, choices: Iterable[str], *, required: bool = True) -> str | None:
        value = self.text(key, required=required)
        allowed = list(choices)
        if value is not None and value not in allowed:
            self._fail(key, f"'{value}' is not one of: {', '.join(allowed)}")
            return None
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self._fail(key, f"'{value}' is not a date in the form YYYY-MM-DD")
        return None

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self._fail(key, "must be true or false")
            return default
        return value

    def number(self, key: str, *, minimum: float | None = None, maximum: float | None = None):
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._fail(key, "must be a number")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self._fail(key, f"{value} is outside {minimum}..{maximum}")
            return None
        return value

    def ids(self, key: str, known: Iterable[str]) -> list[str]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._fail(key, "must be a list of ids")
            return []
        allowed = set(known)
        unknown = [v for v in value if v not in allowed]
        if unknown:
            self._fail(key, f"unknown id(s): {', '.join(unknown)}")
        return [v for v in value if v in allowed]

    def nested(self, key: str) -> Record | None:
        value = self.data.get(key)
        if value is None:
            return None
        return Record(value, self.where, self.problems, prefix=f"{self._name(key)}.")

    def items(self, key: str) -> list[Record]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            self._fail(key, "must be a list")
            return []
        return [
            Record(item, self.where, self.problems, prefix=f"{self._name(key)}[{i}].")
            for i, item in enumerate(value)
        ]
