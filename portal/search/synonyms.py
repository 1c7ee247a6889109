"""The synonym list: read from content/synonyms.yaml, stored in the database, applied to queries."""

from __future__ import annotations

import threading
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.content.validation import Problems, Record
from portal.search.models import Synonym
from portal.search.plan import analyse_synonyms

FILE = "synonyms.yaml"
_cache: dict = {}
_lock = threading.Lock()


def read_synonyms(content_dir: Path, problems: Problems) -> list[dict] | None:
    """Validate content/synonyms.yaml; None when the folder has no such file."""
    path = content_dir / FILE
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        problems.add(str(path), "(file)", f"is not valid YAML: {exc}")
        return []
    if not isinstance(data, list):
        problems.add(str(path), "(file)", "must be a list of entries")
        return []
    out, seen = [], set()
    for n, raw in enumerate(data, start=1):
        record = Record(raw, f"{path} entry {n}", problems)
        entry_id = record.slug("id")
        word = record.text("word", required=True, max_len=80)
        terms = record.data.get("terms")
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip()
                                                               for t in terms):
            problems.add(record.where, "terms", "must be a list of one or more words")
            terms = []
        reason = record.text("reason", required=True, max_len=2000)
        test = Record(record.data.get("test"), record.where, problems, prefix="test.")
        query = test.text("query", required=True, max_len=200)
        expect = test.text("expect", required=True, max_len=120)
        if expect and ":" not in expect:
            problems.add(record.where, "test.expect", "must be '<type>:<id>'")
        if entry_id in seen:
            problems.add(record.where, "id", f"'{entry_id}' is used twice")
        seen.add(entry_id)
        out.append({"id": entry_id, "word": word, "terms": [t.strip() for t in terms], "reason": reason,
                    "source_url": record.text("source_url", max_len=500), "test_query": query,
                    "test_expect": expect})
    return out


def load_synonyms(db: Session, entries: list[dict]) -> int:
    """Make the stored list equal the file's (the caller commits)."""
    wanted = {e["id"]: e for e in entries}
    for old in db.scalars(select(Synonym)):
        if old.id not in wanted:
            db.delete(old)
    for entry_id, entry in wanted.items():
        row = db.get(Synonym, entry_id) or Synonym(id=entry_id)
        for name, value in entry.items():
            if getattr(row, name, None) != value:
                setattr(row, name, value)
        db.add(row)
    db.flush()
    return len(wanted)


def synonym_map(db: Session) -> dict:
    """The list analysed for queries, cached until a row changes (one small query per search)."""
    stamp = db.execute(select(func.count(), func.max(Synonym.updated_at))).one()
    key = (db.get_bind().url.render_as_string(), tuple(stamp))
    cached = _cache.get("map")
    if cached is not None and cached[0] == key:
        return cached[1]
    entries: dict[str, tuple[str, ...]] = {}
    for row in db.scalars(select(Synonym)):
        entries[row.word] = tuple(dict.fromkeys(entries.get(row.word, ()) + tuple(row.terms)))
    analysed = analyse_synonyms(entries)
    with _lock:
        _cache["map"] = (key, analysed)
    return analysed
