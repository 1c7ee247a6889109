"""Validate every content file, then upsert regions, categories and policies in one transaction."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.content import conflicts
from portal.core.audit import audit
from portal.core.content_checks import ContentError, Problems, Record
from portal.core.content_files import read_front_matter, read_yaml
from portal.core.outbox import enqueue
from portal.eligibility.content import read_benefit_files, read_question_file
from portal.eligibility.models import Benefit
from portal.eligibility.services import replace_questions
from portal.events.content import read_events
from portal.events.services import load_events
from portal.operators.services import operator_managed_ids
from portal.places.content import read_places
from portal.places.models import Place
from portal.places.services import apply_place_data
from portal.policies.fields import GUIDE_FIELDS
from portal.policies.models import (
    DATE_PRECISIONS,
    LEVELS,
    SOURCE_KINDS,
    STATUSES,
    SUPERSEDED_SCOPES,
    Category,
    Policy,
)
from portal.policies.services import apply_policy_data
from portal.regions.models import LEVELS as REGION_LEVELS
from portal.regions.models import Region
from portal.search.synonyms import load_synonyms, read_synonyms
from portal.service_points.content import definition_hash, read_service_points
from portal.service_points.services import apply_definition as apply_service_point

T = TypeVar("T")


@dataclass
class LoadReport:
    """What a load changed."""

    regions: int = 0
    categories: int = 0
    policies_created: int = 0
    policies_updated: int = 0
    policies_unchanged: int = 0
    places_created: int = 0
    places_updated: int = 0
    places_unchanged: int = 0
    questions: int = 0
    benefits_created: int = 0
    benefits_updated: int = 0
    benefits_unchanged: int = 0
    events_created: int = 0
    events_updated: int = 0
    events_unchanged: int = 0
    service_points_created: int = 0
    service_points_updated: int = 0
    service_points_unchanged: int = 0
    synonyms: int = 0
    conflicts: list[conflicts.Conflict] = field(default_factory=list)  # left for staff to decide
    forced: list[conflicts.Conflict] = field(default_factory=list)  # staff changes overwritten


def _regions(content_dir: Path, problems: Problems) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in sorted((content_dir / "regions").glob("*.yaml")):
        data = read_yaml(path) or []
        if not isinstance(data, list):
            problems.add(str(path), "(file)", "must be a list of regions")
            continue
        for i, item in enumerate(data):
            rec = Record(item, f"{path} [{i}]", problems)
            rid = rec.slug("id")
            entry = {
                "id": rid,
                "name": rec.text("name", required=True, max_len=120),
                "name_en": rec.text("name_en", required=True, max_len=160),
                "level": rec.choice("level", REGION_LEVELS),
                "parent_id": rec.text("parent"),
                "lat": rec.number("lat", minimum=-90, maximum=90),
                "lon": rec.number("lon", minimum=-180, maximum=180),
                "code": rec.text("code", max_len=6),
            }
            if entry["code"] is not None and not re.fullmatch(r"\d{6}", str(entry["code"])):
                problems.add(str(path), "code", "must be a six-digit GB/T 2260 code")
            if rid in seen:
                problems.add(str(path), "id", f"'{rid}' is already defined in {seen[rid]}")
            elif rid:
                seen[rid] = str(path)
                found.append(entry)
    ids = {r["id"] for r in found}
    for r in found:
        if r["parent_id"] and r["parent_id"] not in ids:
            problems.add("regions", f"{r['id']}.parent", f"unknown region '{r['parent_id']}'")
    return found


def _categories(content_dir: Path, problems: Problems) -> list[dict[str, Any]]:
    path = content_dir / "taxonomies.yaml"
    data = read_yaml(path) or {}
    out = []
    for rec in Record(data, str(path), problems).items("policy_categories"):
        out.append(
            {
                "id": rec.slug("id"),
                "name": rec.text("name", required=True),
                "name_en": rec.text("name_en", required=True),
            }
        )
    return out


def _superseded(rec: Record, where: str, problems: Problems) -> dict[str, str] | None:
    """`superseded_by: {policy: id, scope: fully|partly}`: the document that replaces this one."""
    raw = rec.data.get("superseded_by")
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw.get("policy") or raw.get("scope") not in SUPERSEDED_SCOPES:
        problems.add(where, "superseded_by", "must be {policy: <id>, scope: fully|partly}")
        return None
    return {"policy": str(raw["policy"]), "scope": str(raw["scope"])}


def _policy(path: Path, regions: set[str], categories: set[str], problems: Problems) -> dict[str, Any]:
    meta, body = read_front_matter(path)
    rec = Record(meta, str(path), problems)
    pid = rec.slug("id")
    if pid and pid != path.stem:
        problems.add(str(path), "id", f"'{pid}' must equal the file name '{path.stem}'")
    source = rec.nested("source")
    if source is None:
        problems.add(str(path), "source", "is required: every policy names where it comes from")
    guide = rec.nested("guide")
    data: dict[str, Any] = {
        "id": pid,
        "title": rec.text("title", required=True, max_len=300),
        "title_en": rec.text("title_en", max_len=400),
        "doc_number": rec.text("doc_number", max_len=120),
        "issuer": rec.text("issuer", max_len=300),
        "issuer_en": rec.text("issuer_en", max_len=400),
        "level": rec.choice("level", LEVELS),
        "region_id": rec.choice("region", regions),
        "issued_on": rec.date("issued_on"),
        "date_precision": rec.choice("date_precision", DATE_PRECISIONS, required=False) or "unknown",
        "effective_from": rec.date("effective_from"),
        "effective_to": rec.date("effective_to"),
        "status": rec.choice("status", STATUSES),
        "summary": rec.text("summary", required=True, max_len=4000) or "",
        "summary_en": rec.text("summary_en", max_len=8000),
        "body": body,
        "full_text": rec.boolean("full_text"),
        "source_kind": source.choice("kind", SOURCE_KINDS) if source else None,
        "source_ref": source.text("ref", max_len=300) if source else None,
        "source_url": source.text("url", max_len=500) if source else None,
        "source_note": source.text("note", max_len=4000) if source else None,
        "verified": rec.boolean("verified"),
        "categories": rec.ids("categories", categories),
        "cites": rec.data.get("cites") or [],
        "superseded_by": _superseded(rec, str(path), problems),
        "guide": {k: guide.text(k, max_len=4000) for k in GUIDE_FIELDS} if guide else None,
        "steps": [
            {"title": s.text("title", required=True, max_len=200), "detail": s.text("detail")}
            for s in (guide.items("steps") if guide else [])
        ],
        "attachments": [
            {
                "title": a.text("title", required=True, max_len=300),
                "note": a.text("note"),
                "url": a.text("url", max_len=500),
            }
            for a in rec.items("attachments")
        ],
    }
    if source and not (data["source_ref"] or data["source_url"] or data["source_note"]):
        problems.add(str(path), "source", "needs a ref, url or note")
    if not data["categories"] and "categories" not in problems_fields(problems, path):
        problems.add(str(path), "categories", "needs at least one category")
    if data["effective_from"] and data["effective_to"] and data["effective_to"] < data["effective_from"]:
        problems.add(str(path), "effective_to", "is before effective_from")
    if (
        data["guide"]
        and data["guide"]["online_url"]
        and not data["guide"]["online_url"].startswith(("https://", "http://"))
    ):
        problems.add(str(path), "guide.online_url", "must be an http(s) address")
    data["content_hash"] = hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()
    return data


def problems_fields(problems: Problems, path: Path) -> set[str]:
    """Fields of `path` that already have a problem (to avoid reporting one twice)."""
    prefix = f"{path}: field '"
    return {p[len(prefix) :].split("'", 1)[0] for p in problems.items if p.startswith(prefix)}


def read_content(content_dir: Path) -> dict[str, list[dict]]:
    """Read and validate everything; raise ContentError listing every problem."""
    problems = Problems()
    regions = _regions(content_dir, problems)
    categories = _categories(content_dir, problems)
    region_ids = {r["id"] for r in regions}
    category_ids = {c["id"] for c in categories if c["id"]}
    policies = [
        _policy(p, region_ids, category_ids, problems)
        for p in sorted((content_dir / "policies").glob("*.md"))
    ]
    policy_ids = {p["id"] for p in policies}
    for p in policies:
        for cited in p["cites"]:
            if cited not in policy_ids:
                problems.add(f"policy {p['id']}", "cites", f"unknown policy '{cited}'")
        successor = (p.get("superseded_by") or {}).get("policy")
        if successor and (successor not in policy_ids or successor == p["id"]):
            problems.add(f"policy {p['id']}", "superseded_by.policy", f"unknown policy '{successor}'")
    places = read_places(content_dir, region_ids, problems)
    questions, parsed = read_question_file(content_dir, region_ids, problems)
    benefits = read_benefit_files(content_dir, parsed, region_ids, policy_ids, problems)
    events = read_events(content_dir, regions, places, problems)
    service_points = read_service_points(content_dir, region_ids, problems)
    place_ids = {p["id"] for p in places}
    for sp in service_points:
        if "sp-" + sp["id"] in place_ids:
            problems.add(f"service point {sp['id']}", "id", f"place 'sp-{sp['id']}' already exists")
    synonyms = read_synonyms(content_dir, problems)
    problems.raise_if_any()
    return {
        "regions": regions,
        "categories": categories,
        "policies": policies,
        "places": places,
        "questions": questions,
        "benefits": benefits,
        "events": events,
        "service_points": service_points,
        "synonyms": synonyms,
    }


def _by_id(db: Session, model: type[T]) -> dict[str, T]:
    """Every stored row of `model` by id, in one query: asking row by row cost a query (and, for a
    new row, a flush of everything pending) per file."""
    return {row.id: row for row in db.scalars(select(model))}


def _upsert(db: Session, model: type[T], key: str, fields: dict[str, Any]) -> tuple[T, bool]:
    obj = db.get(model, key)
    created = obj is None
    if obj is None:
        obj = model(id=key)
        db.add(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    return obj, created


def load_content(
    db: Session,
    content_dir: Path,
    progress: Callable[[Iterable[dict]], Iterable[dict]] = lambda items: items,
    force: bool = False,
) -> LoadReport:
    """Validate all files first, then upsert them; the caller commits once.

    Items staff changed are not overwritten: they become conflicts (portal/content/conflicts.py),
    unless `force` is set, which writes the files over them and audits each one.
    """
    found = read_content(content_dir)
    regions, categories = found["regions"], found["categories"]
    policies, places = found["policies"], found["places"]
    report = LoadReport()
    changed: list[tuple[str, str]] = []
    for pos, r in enumerate(regions):
        _upsert(db, Region, r["id"], {**{k: v for k, v in r.items() if k != "id"}, "position": pos})
        report.regions += 1
    db.flush()
    for pos, c in enumerate(categories):
        _upsert(db, Category, c["id"], {"name": c["name"], "name_en": c["name_en"], "position": pos})
        report.categories += 1
    db.flush()
    cats = {c.id: c for c in db.query(Category)}
    applied: list[dict[str, Any]] = []
    stored = _by_id(db, Policy)
    for data in progress(policies):
        existing = stored.get(data["id"])
        if existing is None:
            with db.no_autoflush:  # ids are unique across the files: nothing pending is asked for
                created = apply_policy_data(db, data, cats)
            created.publication_state, created.file_hash = "published", data["content_hash"]
            applied.append(data)
            report.policies_created += 1
            continue
        what = conflicts.classify(
            existing.content_hash,
            existing.file_hash,
            data["content_hash"],
            conflicts.policy_published_by_staff(db, existing.id),
        )
        if what == conflicts.CONFLICT and not force:
            changes = conflicts.policy_changes(existing, data)
            report.conflicts.append(
                conflicts.record(
                    db,
                    "policy",
                    existing.id,
                    data["content_hash"],
                    data,
                    conflicts.policy_data(existing),
                    changes,
                )
            )
        elif what in (conflicts.UPDATE, conflicts.CONFLICT):
            if what == conflicts.CONFLICT:
                _forced(db, report, "policy", existing.id, conflicts.policy_changes(existing, data))
            apply_policy_data(db, data, cats)
            existing.file_hash = data["content_hash"]
            applied.append(data)
            report.policies_updated += 1
        else:
            existing.file_hash = data["content_hash"] if what == conflicts.SAME else existing.file_hash
            report.policies_unchanged += 1
    db.flush()
    changed += [("policy", data["id"]) for data in applied]
    # Citations last, once every policy exists; only on policies this load wrote.
    for data in applied:
        policy = db.get(Policy, data["id"])
        policy.cites = [db.get(Policy, c) for c in data["cites"]]
        successor = data.get("superseded_by") or {}
        policy.superseded_by_id = successor.get("policy")
        policy.superseded_scope = successor.get("scope")
        if policy.published_at is None and policy.publication_state == "published":
            policy.published_at = policy.updated_at
    db.flush()
    managed = operator_managed_ids(db)
    stored = _by_id(db, Place)
    for data in places:
        existing = stored.get(data["id"])
        if existing is not None and (existing.content_hash == data["content_hash"] or existing.id in managed):
            # Unchanged, or kept by its operators: their approved data wins over the seed files.
            report.places_unchanged += 1
            continue
        with db.no_autoflush:  # as for policies: one flush for all of them below
            apply_place_data(db, data)
        changed.append(("place", data["id"]))
        if existing is None:
            report.places_created += 1
        else:
            report.places_updated += 1
    db.flush()
    if found["questions"] is not None:
        report.questions = replace_questions(db, found["questions"])
    for item in found["benefits"]:
        outcome = _benefit(db, item["definition"], item["hash"], force, report)
        if outcome != "unchanged":
            changed.append(("benefit", item["definition"]["id"]))
        setattr(report, f"benefits_{outcome}", getattr(report, f"benefits_{outcome}") + 1)
    db.flush()
    for outcome in load_events(db, found["events"]):
        setattr(report, f"events_{outcome}", getattr(report, f"events_{outcome}") + 1)
    db.flush()
    _load_service_points(db, found["service_points"], report)
    # Recorded in the same transaction: if the process dies before the index is rebuilt, the next
    # start-up (or `search worker`) indexes what this load committed.
    for entity_type, entity_id in changed:
        enqueue(db, entity_type, entity_id)
    if found["synonyms"] is not None:
        report.synonyms = load_synonyms(db, found["synonyms"])
    return report


def _load_service_points(db: Session, points: list[dict], report: LoadReport) -> None:
    """Service points from files; one a reviewer has published since keeps the published version."""
    from portal.service_points.models import ServicePointRevision

    edited = set(
        db.scalars(
            select(ServicePointRevision.service_point_id).where(ServicePointRevision.state == "published")
        )
    )
    for data in points:
        if data["id"] in edited:
            report.service_points_unchanged += 1
            continue
        outcome = apply_service_point(db, data, definition_hash(data))
        name = f"service_points_{outcome}"
        setattr(report, name, getattr(report, name) + 1)
    db.flush()


def _benefit(db: Session, definition: dict[str, Any], file_hash: str, force: bool, report: LoadReport) -> str:
    existing = db.get(Benefit, definition["id"])
    if existing is None:
        return conflicts.apply_benefit_file(db, definition, file_hash)
    what = conflicts.classify(
        existing.content_hash,
        existing.file_hash,
        file_hash,
        conflicts.benefit_published_by_staff(db, existing.id),
    )
    if what in (conflicts.SAME, conflicts.KEEP):
        existing.file_hash = file_hash if what == conflicts.SAME else existing.file_hash
        return "unchanged"
    changes = conflicts.benefit_changes(existing.definition, definition)
    if what == conflicts.CONFLICT and not force:
        report.conflicts.append(
            conflicts.record(db, "benefit", existing.id, file_hash, definition, existing.definition, changes)
        )
        return "unchanged"
    if what == conflicts.CONFLICT:
        _forced(db, report, "benefit", existing.id, changes)
    return conflicts.apply_benefit_file(db, definition, file_hash)


def _forced(
    db: Session, report: LoadReport, entity_type: str, entity_id: str, changes: list[dict[str, Any]]
) -> None:
    """The operator asked for the files to win: say so in the audit log and close the conflict."""
    conflict = conflicts.Conflict(entity_type, entity_id, changes)
    report.forced.append(conflict)
    audit(
        db,
        None,
        entity_type,
        entity_id,
        "content_force_load",
        via="content load --force",
        fields=conflict.fields,
    )
    conflicts.close_open(db, entity_type, entity_id, "took_file", None)


__all__ = ["ContentError", "LoadReport", "load_content", "read_content"]
