"""Place vocabularies, localised: types from portal/core/labels.py, industries and services from
content/taxonomies.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from portal.core import labels
from portal.core.content_files import parse_yaml
from portal.i18n import current_language


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    return parse_yaml(path.read_text(encoding="utf-8")) or {}


def _names(vocabulary: str) -> dict[str, str]:
    return dict(_shared_names(vocabulary))


def _shared_names(vocabulary: str) -> dict[str, str]:
    """The names in the interface language, shared: list pages ask for a type's name on every row."""
    return _names_in(str(current_app.config["CONTENT_DIR"]), vocabulary, current_language())


@lru_cache(maxsize=32)
def _names_in(content_dir: str, vocabulary: str, language: str) -> dict[str, str]:
    key = "name_en" if language == "en" else "name"
    data = _load(Path(content_dir) / "taxonomies.yaml")
    return {item["id"]: item.get(key) or item["name"] for item in data.get(vocabulary, [])}


def type_labels() -> dict[str, str]:
    return {value: str(label) for value, label in labels.PLACE_TYPES.items()}


def industries() -> dict[str, str]:
    return _names("industries")


def services() -> dict[str, str]:
    return _names("services")


def type_label(value: str) -> str:
    """Display name of a search result type: policy, benefit or a kind of place."""
    label = labels.TYPES.get(value) or labels.PLACE_TYPES.get(value)
    return str(label) if label is not None else value
