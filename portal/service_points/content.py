"""Reading and checking `content/service_points/*.yaml` and the staff editor's YAML."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from portal.core.content_checks import Problems, Record
from portal.core.content_files import read_yaml
from portal.service_points.models import KINDS

TEXT_FIELDS = {
    "name": 200,
    "name_en": 300,
    "handles": 1000,
    "handles_en": 2000,
    "address": 300,
    "address_en": 400,
    "phone": 120,
    "hours": 200,
    "hours_en": 300,
    "unknown": 1000,
    "unknown_en": 2000,
}


def _url(rec: Record, key: str) -> str | None:
    value = rec.text(key, max_len=500)
    if value and not value.startswith(("https://", "http://")):
        rec._fail(key, "must be an http(s) address")
        return None
    return value


def read_definition(item: Any, where: str, region_ids: set[str], problems: Problems) -> dict[str, Any]:
    """One service point as a plain mapping; every problem is recorded with its field name."""
    rec = Record(item, where, problems)
    data: dict[str, Any] = {
        "id": rec.slug("id"),
        "kind": rec.choice("kind", KINDS),
        "region": rec.choice("region", sorted(region_ids)),
    }
    for key, max_len in TEXT_FIELDS.items():
        data[key] = rec.text(key, required=key == "name", max_len=max_len)
    online = rec.nested("online")
    data["online"] = None
    if online is not None:
        data["online"] = {
            "name": online.text("name", required=True, max_len=200),
            "name_en": online.text("name_en", max_len=300),
            "url": _url(online, "url"),
        }
        if not data["online"]["url"] and "url" not in online.data:
            online._fail("url", "is required")
    source = rec.nested("source")
    if source is None:
        problems.add(where, "source", "is required: where the facts were checked (url and/or note)")
        data["source"] = {"url": None, "note": None}
    else:
        data["source"] = {"url": _url(source, "url"), "note": source.text("note", max_len=2000)}
        if not (data["source"]["url"] or data["source"]["note"]):
            problems.add(where, "source", "needs a url or a note")
    checked = rec.date("checked_on")
    data["checked_on"] = checked.isoformat() if checked else None
    if checked is None and "checked_on" not in rec.data:
        problems.add(where, "checked_on", "is required: the day the entry was compared with its source")
    data["verified"] = rec.boolean("verified")
    data["lat"] = rec.number("lat", minimum=-90, maximum=90)
    data["lon"] = rec.number("lon", minimum=-180, maximum=180)
    if (data["lat"] is None) != (data["lon"] is None):
        problems.add(where, "lon" if data["lon"] is None else "lat", "lat and lon go together")
    if not (data["address"] or data["phone"] or data["online"]):
        problems.add(where, "phone", "an entry needs at least an address, a phone or an online entry")
    if data["verified"] and not data["source"]["url"]:
        problems.add(where, "verified", "true needs source.url: the official page the entry was checked on")
    known = {"id", "kind", "region", "online", "source", "checked_on", "verified", "lat", "lon", *TEXT_FIELDS}
    for key in rec.data:
        if key not in known:
            problems.add(where, key, "is not a service point field")
    return data


def definition_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_service_points(content_dir: Path, region_ids: set[str], problems: Problems) -> list[dict[str, Any]]:
    """Every service point of content/service_points, validated; ids are unique across files."""
    out: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted((content_dir / "service_points").glob("*.yaml")):
        items = read_yaml(path) or []
        if not isinstance(items, list):
            problems.add(str(path), "(file)", "must be a list of service points")
            continue
        for i, item in enumerate(items):
            data = read_definition(item, f"{path} [{i}]", region_ids, problems)
            if data["id"] in seen:
                problems.add(
                    f"{path} [{i}]", "id", f"'{data['id']}' is already defined in {seen[data['id']]}"
                )
            elif data["id"]:
                seen[data["id"]] = str(path)
                out.append(data)
    return out


def checked_on(data: dict[str, Any]) -> dt.date | None:
    return dt.date.fromisoformat(data["checked_on"]) if data.get("checked_on") else None
