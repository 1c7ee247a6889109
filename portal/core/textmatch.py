"""Substring search in SQL that behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

ESCAPE = "\\"


def like_pattern(text: str) -> str:
    """`%text%` with the visitor's own `%`, `_` and backslashes matched literally."""
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


def contains(column: InstrumentedAttribute | ColumnElement, text: str) -> ColumnElement[bool]:
    """`column` holds `text`, ignoring case (ILIKE on PostgreSQL, where LIKE is case-sensitive)."""
    return column.ilike(like_pattern(text), escape=ESCAPE)
