"""Reading `eligibility/questions.yaml` and `benefits/*.yaml` for the content load."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from portal.core.content_checks import Problems
from portal.core.content_files import read_yaml
from portal.eligibility.rules import Question
from portal.eligibility.schema import FactTypes, read_benefit, read_questions


def plain(value: Any) -> Any:
    """A definition as JSON-ready data: dates as text, YAML's `on` key (read as true) restored."""
    if isinstance(value, dict):
        return {("on" if k is True else str(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def definition_hash(definition: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_question_file(
    content_dir: Path, region_ids: set[str], problems: Problems
) -> tuple[list[dict] | None, tuple[Question, ...]]:
    path = content_dir / "eligibility" / "questions.yaml"
    if not path.exists():
        if any((content_dir / "benefits").glob("*.yaml")):
            problems.add(str(path), "(file)", "is missing: the benefits' rules need the questions")
        return None, ()  # a content folder without the wizard leaves the stored questions alone
    raw = read_yaml(path)
    questions, found = read_questions(raw, region_ids)
    for p in found:
        problems.add(str(path), p.path, p.message % p.params)
    return [plain(q) for q in raw or []], questions


def read_benefit_files(
    content_dir: Path,
    questions: tuple[Question, ...],
    region_ids: set[str],
    policy_ids: set[str],
    problems: Problems,
) -> list[dict[str, Any]]:
    """Every benefit definition, checked; each with its content hash."""
    paths = sorted((content_dir / "benefits").glob("*.yaml"))
    raw = {path: read_yaml(path) for path in paths}
    ids = {d.get("id") for d in raw.values() if isinstance(d, dict)}
    facts = FactTypes(questions, region_ids)
    out = []
    for path, data in raw.items():
        benefit, found = read_benefit(data, facts, policy_ids, ids)
        for p in found:
            problems.add(str(path), p.path, p.message % p.params)
        if benefit is None:
            continue
        if benefit.id != path.stem:
            problems.add(str(path), "id", f"'{benefit.id}' must equal the file name '{path.stem}'")
        definition = plain(data)
        out.append({"definition": definition, "hash": definition_hash(definition)})
    return out
