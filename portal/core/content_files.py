"""Reading content files: YAML documents and Markdown with YAML front matter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from portal.core.content_checks import ContentError

# libyaml's parser when PyYAML was built with it (the usual wheels are): several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Parse YAML text with the safe loader (no Python objects)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def read_yaml(path: Path) -> Any:
    """Parse a YAML file, turning syntax errors into a ContentError naming the file."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: YAML syntax error: {exc}") from exc
    except ValueError as exc:  # e.g. an impossible date such as 2017-02-31
        raise ContentError(f"{path}: invalid value: {exc}") from exc


def read_front_matter(path: Path) -> tuple[Any, str]:
    """Split a Markdown file into its YAML front matter and its body."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    if not text.startswith("---"):
        raise ContentError(f"{path}: must start with a '---' line and YAML front matter")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise ContentError(f"{path}: front matter is not closed by a '---' line")
    head = parts[0][3:]
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    try:
        meta = parse_yaml(head)
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: YAML syntax error in front matter: {exc}") from exc
    except ValueError as exc:  # e.g. an impossible date such as 2017-02-31
        raise ContentError(f"{path}: invalid value: {exc}") from exc
    return meta, body.strip() + "\n"
