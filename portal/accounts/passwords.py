"""Refusing common passwords, checked against a list shipped with the portal (no network)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

LIST = Path(__file__).with_name("common_passwords.txt")  # its header names the source


@cache
def common_passwords() -> frozenset[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """Whether the password (ignoring case and spaces) is on the list of common passwords."""
    plain = password.strip().lower()
    return plain in common_passwords() or plain.replace(" ", "") in common_passwords()
