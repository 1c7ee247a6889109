"""The synonym list: read from content/synonyms.yaml, stored in the database, applied to queries."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.core.clock import utcnow
from portal.core.content_checks import Problems, Record
from portal.core.content_files import parse_yaml
from portal.core.locks import claim_state
from portal.core.versioncache import per_version
from portal.search.models import Synonym, SynonymChange
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
        data = parse_yaml(path.read_text(encoding="utf-8")) or []
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
        if (
            not isinstance(terms, list)
            or not terms
            or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
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
        out.append(
            {
                "id": entry_id,
                "word": word,
                "terms": [t.strip() for t in terms],
                "reason": reason,
                "source_url": record.text("source_url", max_len=500),
                "test_query": query,
                "test_expect": expect,
            }
        )
    return out


def load_synonyms(db: Session, entries: list[dict]) -> int:
    """Make the stored list equal the file's, except entries staff have changed since (the
    database is the source of truth once staff touched an entry); the caller commits."""
    wanted = {e["id"]: e for e in entries}
    for old in db.scalars(select(Synonym)):
        if old.id not in wanted and not old.managed_by_staff:
            db.delete(old)
    for entry_id, entry in wanted.items():
        row = db.get(Synonym, entry_id) or Synonym(id=entry_id)
        if row.managed_by_staff:
            continue
        for name, value in entry.items():
            if getattr(row, name, None) != value:
                setattr(row, name, value)
        db.add(row)
    db.flush()
    return len(wanted)


_STAMP = select(func.count(), func.max(Synonym.updated_at))  # built once: it runs on every search


def synonym_map(db: Session) -> dict:
    """The list analysed for queries, kept per content version (synonyms are published content, so
    a change moves the version): no statement per search."""
    return per_version(db, "synonym_map", None, lambda: _synonym_map(db))


def _synonym_map(db: Session) -> dict:
    """The list analysed for queries, analysed again only when a row changed (one small query)."""
    stamp = db.execute(_STAMP).one()
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


# -- staff changes through review ---------------------------------------------------------------
TERM_SEPARATORS = re.compile(r"[,，、;；\n]+")
EXPECT = re.compile(r"^(policy|benefit|place):[a-z0-9][a-z0-9_-]{0,79}$")


class SynonymError(ValueError):
    """A proposal or decision that cannot be made; `code` names the problem, `field` the input."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


def parse_terms(raw: str) -> list[str]:
    """Official terms typed one per line or separated by commas (，、 too)."""
    return list(dict.fromkeys(t.strip() for t in TERM_SEPARATORS.split(raw or "") if t.strip()))


def entry_id(word: str) -> str:
    """A stable id for a word's entry: an existing one when the word has one, else its pinyin."""
    from pypinyin import lazy_pinyin

    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(lazy_pinyin(word)).lower()).strip("-")[:70] or "entry"
    return f"staff-{slug}"


def propose(
    db: Session, user: User, *, word: str, terms: list[str], reason: str, test_query: str, test_expect: str
) -> SynonymChange:
    """Record a proposed entry and its audit line; it applies once a reviewer approves it."""
    from portal.core.audit import audit

    if not terms or len(terms) > 12 or any(len(t) > 80 for t in terms):
        raise SynonymError("terms", "terms")
    if not EXPECT.match(test_expect or ""):
        raise SynonymError("expect_format", "test_expect")
    if not _exists(db, test_expect):
        raise SynonymError("expect_unknown", "test_expect")
    existing = db.scalar(select(Synonym).where(Synonym.word == word))
    change = SynonymChange(
        synonym_id=existing.id if existing else entry_id(word),
        word=word,
        terms=terms,
        reason=reason,
        test_query=test_query,
        test_expect=test_expect,
        state="proposed",
        proposed_by=user.id,
        created_at=utcnow(),
    )
    db.add(change)
    db.flush()
    audit(
        db,
        user,
        "synonym",
        change.synonym_id,
        "propose_synonym",
        to_state="proposed",
        change=change.id,
        word=word,
        terms=terms,
    )
    return change


def decide(db: Session, user: User, change_id: int, approve: bool) -> SynonymChange:
    """Approve (the entry is stored and applies to the next query) or reject a proposal."""
    from portal.core.audit import audit

    change = db.get(SynonymChange, change_id)
    if change is None:
        raise SynonymError("not_found")
    if change.state != "proposed":
        raise SynonymError("decided")
    if change.proposed_by == user.id:
        raise SynonymError("own")  # four eyes: the proposer cannot approve their own change
    if not claim_state(db, change, "proposed", "approved" if approve else "rejected"):
        raise SynonymError("decided")  # another reviewer decided it a moment ago
    change.decided_by = user.id
    change.decided_at = utcnow()
    if approve:
        row = db.get(Synonym, change.synonym_id) or Synonym(id=change.synonym_id)
        row.word, row.terms, row.reason = change.word, list(change.terms), change.reason
        row.test_query, row.test_expect, row.managed_by_staff = change.test_query, change.test_expect, True
        row.updated_at = utcnow()
        db.add(row)
    audit(
        db,
        user,
        "synonym",
        change.synonym_id,
        "approve_synonym" if approve else "reject_synonym",
        from_state="proposed",
        to_state=change.state,
        change=change.id,
    )
    db.flush()
    return change


def _exists(db: Session, key: str) -> bool:
    from portal.search import registry

    kind, _, ident = key.partition(":")  # EXPECT allows policies, benefits and places only
    source = registry.source(kind)
    return source is not None and db.get(source.model, ident) is not None
