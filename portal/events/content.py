"""Reading and checking `content/events/*.yaml`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from portal.core.content_checks import Problems, Record
from portal.core.content_files import parse_yaml, read_yaml
from portal.events import dates
from portal.events.locations import coordinate_problem
from portal.events.models import FEES, RECURRENCES

# What each date problem means, for the author of a content file.
DATE_MESSAGES = {
    "format": "is not a date (YYYY-MM-DD) or a time (YYYY-MM-DD HH:MM, China time)",
    "end_without_start": "an end is given without a start",
    "before_start": "the event ends before it starts (ends_at is earlier than starts_at)",
}
WHERE_MESSAGES = {
    "pair": "lat and lon go together: give both or neither",
    "china": "the coordinates are outside China",
    "region": "the coordinates are far outside the event's region",
}


def vocabulary(content_dir: Path, name: str) -> set[str]:
    data = parse_yaml((content_dir / "taxonomies.yaml").read_text(encoding="utf-8")) or {}
    return {item["id"] for item in data.get(name, []) if isinstance(item, dict) and "id" in item}


def read_events(
    content_dir: Path, regions: list[dict], places: list[dict], problems: Problems
) -> list[dict[str, Any]]:
    """Every event, validated (series before their occurrences); problems are collected."""
    folder = content_dir / "events"
    if not folder.is_dir():
        return []
    kinds = vocabulary(content_dir, "event_kinds")
    audiences = vocabulary(content_dir, "event_audiences")
    region_map = {r["id"]: r for r in regions if r.get("id")}
    place_map = {p["id"]: p for p in places}
    out: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        items = read_yaml(path) or []
        if not isinstance(items, list):
            problems.add(str(path), "(file)", "must be a list of events")
            continue
        for i, item in enumerate(items):
            rec = Record(item, f"{path} [{i}]", problems)
            data = _event(rec, region_map, place_map, kinds, audiences)
            eid = data["id"]
            if eid in seen:
                problems.add(rec.where, "id", f"'{eid}' is already defined in {seen[eid]}")
            elif eid:
                seen[eid] = str(path)
                out.append(data)
    for data in out:
        if data["series_id"] and data["series_id"] not in seen:
            problems.add(f"event {data['id']}", "series", f"unknown event '{data['series_id']}'")
    # Series first, so an occurrence's foreign key finds its series in the same load.
    out.sort(key=lambda d: d["series_id"] is not None)
    return out


def _times(rec: Record) -> tuple[Any, Any, bool]:
    try:
        starts, start_is_date = dates.parse_time(rec.data.get("starts_at"), "starts_at")
        ends, end_is_date = dates.parse_time(rec.data.get("ends_at"), "ends_at")
        all_day = start_is_date and (ends is None or end_is_date)
        if starts is not None and ends is not None and start_is_date != end_is_date:
            raise dates.DateProblem("ends_at", "format")
        dates.check_order(starts, ends, all_day=all_day)
    except dates.DateProblem as exc:
        rec.problems.add(rec.where, exc.field, DATE_MESSAGES[exc.code])
        return None, None, False
    return starts, dates.stored_end(ends, all_day), all_day


def _event(rec: Record, regions: dict, places: dict, kinds: set[str], audiences: set[str]) -> dict:
    source = rec.nested("source")
    if source is None:
        rec.problems.add(rec.where, "source", "is required: every event names where it comes from")
    starts, ends, all_day = _times(rec)
    place_id = rec.choice("place", places, required=False)
    region_id = rec.choice("region", regions, required=place_id is None)
    if place_id and region_id is None:
        region_id = places[place_id]["region_id"]
    lat = rec.number("lat", minimum=-90, maximum=90)
    lon = rec.number("lon", minimum=-180, maximum=180)
    where = coordinate_problem(regions, region_id, lat, lon) if region_id else None
    if where:
        rec.problems.add(rec.where, "lat", WHERE_MESSAGES[where])
    data = {
        "id": rec.slug("id"),
        "title": rec.text("title", required=True, max_len=300),
        "title_en": rec.text("title_en", max_len=400),
        "kind": rec.choice("kind", kinds),
        "recurrence": rec.choice("recurrence", RECURRENCES, required=False),
        "series_id": rec.text("series", max_len=80),
        "starts_at": starts,
        "ends_at": ends,
        "all_day": all_day,
        "place_id": place_id,
        "region_id": region_id,
        "address": rec.text("address", max_len=300),
        "lat": lat if lon is not None else None,
        "lon": lon if lat is not None else None,
        "organiser": rec.text("organiser", max_len=300),
        "organiser_en": rec.text("organiser_en", max_len=400),
        "registration_url": rec.text("registration_url", max_len=500),
        "fee": rec.choice("fee", FEES, required=False) or "unknown",
        "fee_note": rec.text("fee_note", max_len=200),
        "audience": rec.ids("audience", audiences),
        "description": rec.text("description", required=True, max_len=4000) or "",
        "description_en": rec.text("description_en", max_len=8000),
        "source_ref": source.text("ref", max_len=300) if source else None,
        "source_url": source.text("url", max_len=500) if source else None,
        "source_note": "\n".join(
            filter(None, [source.text("note", max_len=4000), source.text("quote", max_len=1000)])
        )
        or None
        if source
        else None,
        "verified": rec.boolean("verified"),
    }
    for name in ("registration_url", "source_url"):
        if data[name] and not data[name].startswith(("https://", "http://")):
            field = "source.url" if name == "source_url" else name
            rec.problems.add(rec.where, field, "must be an http(s) address")
    if source and not (data["source_ref"] or data["source_url"] or data["source_note"]):
        rec.problems.add(rec.where, "source", "needs a ref, url or note")
    if data["series_id"] and data["series_id"] == data["id"]:
        rec.problems.add(rec.where, "series", "an event cannot be its own series")
    data["content_hash"] = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    return data
