"""Reading and checking `content/places/*.yaml`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from portal.core.content_checks import Problems, Record
from portal.core.content_files import read_yaml
from portal.places.models import FUND_TYPES, GEO_PRECISIONS, LEVELS, STAGES, STATUSES, TYPES


def _vocabulary(content_dir: Path, name: str) -> set[str]:
    data = read_yaml(content_dir / "taxonomies.yaml") or {}
    return {item["id"] for item in data.get(name, []) if isinstance(item, dict) and "id" in item}


def read_places(content_dir: Path, region_ids: set[str], problems: Problems) -> list[dict[str, Any]]:
    """Every place, validated; problems are collected, not raised."""
    industries = _vocabulary(content_dir, "industries")
    services = _vocabulary(content_dir, "services")
    out: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted((content_dir / "places").glob("*.yaml")):
        items = read_yaml(path) or []
        if not isinstance(items, list):
            problems.add(str(path), "(file)", "must be a list of places")
            continue
        for i, item in enumerate(items):
            rec = Record(item, f"{path} [{i}]", problems)
            data = _place(rec, region_ids, industries, services)
            pid = data["id"]
            if pid in seen:
                problems.add(f"{path} [{i}]", "id", f"'{pid}' is already defined in {seen[pid]}")
            elif pid:
                seen[pid] = str(path)
                out.append(data)
    return out


def _place(rec: Record, region_ids: set[str], industries: set[str], services: set[str]) -> dict:
    source = rec.nested("source")
    if source is None:
        rec.problems.add(rec.where, "source", "is required: every place names where it comes from")
    fund = rec.nested("fund")
    contact = rec.nested("contact_source")
    lat = rec.number("lat", minimum=-90, maximum=90)
    lon = rec.number("lon", minimum=-180, maximum=180)
    precision = rec.choice("geo_precision", GEO_PRECISIONS, required=lat is not None)
    if (lat is None) != (lon is None):
        rec.problems.add(rec.where, "lat", "lat and lon go together: give both or neither")
    aliases = rec.data.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        rec.problems.add(rec.where, "aliases", "must be a list of names")
        aliases = []
    data = {
        "id": rec.slug("id"),
        "type": rec.choice("type", TYPES),
        "name": rec.text("name", required=True, max_len=200),
        "name_en": rec.text("name_en", max_len=300),
        "aliases": aliases,
        "region_id": rec.choice("region", region_ids),
        "level": rec.choice("level", LEVELS, required=False),
        "recognition": rec.text("recognition", max_len=200),
        "industries": rec.ids("industries", industries),
        "services": rec.ids("services", services),
        "description": rec.text("description", required=True, max_len=4000) or "",
        "description_en": rec.text("description_en", max_len=8000),
        "address": rec.text("address", max_len=300),
        "lat": lat if lon is not None else None,
        "lon": lon if lat is not None else None,
        "geo_precision": precision if lat is not None else None,
        "status": rec.choice("status", STATUSES, required=False) or "unknown",
        "website": rec.text("website", max_len=300),
        "phone": rec.text("phone", max_len=120),
        # Where the address, phone or website was published (the place's own site or an official
        # list) and the day it was compared.
        "contact_source": contact.text("url", max_len=500) if contact else None,
        "contact_checked_on": contact.date("checked_on") if contact else None,
        "fund_type": fund.choice("fund_type", FUND_TYPES, required=False) if fund else None,
        "fund_stages": fund.ids("stages", STAGES) if fund else [],
        "fund_size_cny": fund.number("size_cny", minimum=0) if fund else None,
        "fund_ticket": fund.text("ticket", max_len=200) if fund else None,
        "source_ref": source.text("ref", max_len=300) if source else None,
        "source_quote": source.text("quote", max_len=4000) if source else None,
        "source_note": source.text("note", max_len=4000) if source else None,
        "verified": rec.boolean("verified"),
    }
    if data["website"] and not data["website"].startswith(("https://", "http://")):
        rec.problems.add(rec.where, "website", "must be an http(s) address")
    if (data["phone"] or data["website"]) and not data["contact_source"]:
        rec.problems.add(rec.where, "contact_source", "is required with a phone or website (url, checked_on)")
    if data["contact_source"] and not data["contact_source"].startswith(("https://", "http://")):
        rec.problems.add(rec.where, "contact_source.url", "must be an http(s) address")
    if contact and data["contact_checked_on"] is None:
        rec.problems.add(rec.where, "contact_source.checked_on", "is required: the day they were compared")
    if source and not (data["source_ref"] or data["source_note"]):
        rec.problems.add(rec.where, "source", "needs a ref or note")
    if data["fund_size_cny"] is not None:
        data["fund_size_cny"] = int(data["fund_size_cny"])
    data["content_hash"] = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    return data
