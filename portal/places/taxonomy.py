"""Place vocabularies (types, industries, services) from content/taxonomies.yaml, localised."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from portal.content.files import parse_yaml
from portal.i18n import current_language


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    return parse_yaml(path.read_text(encoding="utf-8")) or {}


def _names(vocabulary: str) -> dict[str, str]:
    data = _load(Path(current_app.config["CONTENT_DIR"]) / "taxonomies.yaml")
    key = "name_en" if current_language() == "en" else "name"
    return {item["id"]: item.get(key) or item["name"] for item in data.get(vocabulary, [])}


def type_labels() -> dict[str, str]:
    return _names("place_types")


def industries() -> dict[str, str]:
    return _names("industries")


def services() -> dict[str, str]:
    return _names("services")
