"""Whoosh implementation of the search interface: one writer, atomic rebuilds, per-thread readers."""

from __future__ import annotations

import heapq
import json
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from whoosh import index, query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.columns import CompressedBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.matching.wrappers import MultiMatcher

from portal.search import plan, ranking
from portal.search.analysis import ANALYZER_VERSION, index_analyzer
from portal.search.backend import Hit, IndexDoc, IndexNotBuilt, SearchQuery, SearchResult, doc_version
from portal.search.text import exact_form

_FIELD_FOR_FACET = {
    "type": "type",
    "region": "region",
    "level": "level",
    "category": "category",
    "year": "year",
    "status": "status",
    "industry": "industry",
    "service": "service",
    "desks": "desks",
}


def make_schema() -> Schema:
    """Few fields, no positions: every extra field multiplies the postings a query reads."""
    analyzer = index_analyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        type=ID(stored=True, sortable=True),
        title=TEXT(analyzer=analyzer, phrase=False, field_boost=3.0),
        text=TEXT(analyzer=analyzer, phrase=False),
        region=KEYWORD(commas=True, scorable=False),
        level=ID(sortable=True),
        category=KEYWORD(commas=True, scorable=False),
        year=ID(sortable=True),
        status=ID(sortable=True),
        date=NUMERIC(sortable=True, bits=32, signed=False),
        sort_title=ID(sortable=True),
        industry=KEYWORD(commas=True, scorable=False),
        service=KEYWORD(commas=True, scorable=False),
        desks=ID(),
        geo=STORED(),
        meta=STORED(),  # exact names, ranking prior, guide flag, content version
        # The prepared snippet text, in a column of its own: read only for the page's hits, never
        # with the stored fields every search caches.
        snippet=COLUMN(CompressedBytesColumn()),
    )


def _all_ids(matcher) -> set[int]:
    """Every document number of a term's postings, a whole block at a time where possible.

    The one place that reads Whoosh internals: the public all_ids() costs a Python call per
    posting (several times slower at 10k documents), and Whoosh has no public block reader.
    Any other matcher falls back to the public API."""
    if isinstance(matcher, W3LeafMatcher) and matcher._i == 0:
        ids: set[int] = set()
        while not matcher._atend and matcher._i < matcher._blocklength:
            if matcher._ids is None:
                matcher._read_ids()
            ids.update(matcher._ids)
            matcher._next_block()
        return ids
    if isinstance(matcher, MultiMatcher):
        out: set[int] = set()
        for sub, offset in zip(matcher.matchers, matcher.offsets, strict=True):
            out.update(d + offset for d in _all_ids(sub))
        return out
    return set(matcher.all_ids())


ALL_BUT_ONE = "all-but-one"  # a join: every word of the query but one
FEW = 3  # fewer matches than this for a long query: try with one word missing


def _alive(pid: int) -> bool:
    """Whether a process with this id runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


RERANK_DEPTH = 30  # how many of the best-scored matches the ranking rules reorder
SORT_COLUMNS = {"newest": ("date", True), "oldest": ("date", False), "title": ("sort_title", False)}


class _Reversed(str):
    """Makes ties sort by key ascending even when the main order is descending."""

    def __lt__(self, other: str) -> bool:
        return str.__gt__(self, other)


class _Borrowed:
    """A context manager lending the cached searcher without closing it."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher

    def __enter__(self):
        return self.searcher

    def __exit__(self, *exc) -> None:
        return None

    def close(self) -> None:
        return None


class IndexMissing(IndexNotBuilt):
    """No built index is present yet."""


class WhooshBackend:
    """Reads the index under `<root>/current`; only the single indexer process writes."""

    WRITER_TIMEOUT = 30.0

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.schema = make_schema()
        self._local = threading.local()
        # Facet values per document, shared by threads; rebuilt when the index changes.
        self._facet_cache: tuple | None = None
        self._stored_cache: tuple | None = None
        self._column_cache: dict[str, tuple] = {}
        self._filter_cache: tuple | None = None
        self._fix_cache: dict[tuple, list[str]] = {}
        self._facet_lock = threading.Lock()

    # -- reading -----------------------------------------------------------------------------
    @property
    def current(self) -> Path:
        return self.root / "current"

    def meta(self) -> dict:
        """What the current index was built with (analyzer version, count, time)."""
        try:
            return json.loads((self.current / "meta.json").read_text())
        except (OSError, ValueError):
            return {}

    def _index(self):
        """The index behind `current`, reopened when a rebuild has swapped the link."""
        target = os.path.realpath(self.current)
        local = self._local
        if getattr(local, "target", None) != target:
            if not index.exists_in(target):
                local.target, local.index = None, None
                raise IndexMissing(f"no search index in {self.current}")
            # Pass the schema: the pickled one in the TOC breaks if analyzer modules move.
            local.index = index.open_dir(target, schema=self.schema)
            local.target = target
        return local.index

    def _target(self) -> str:
        """The index folder this thread's searcher reads (resolved by `_index`, which every search
        calls first: resolving the link again for each cache look-up cost a search several syscalls)."""
        return getattr(self._local, "target", None) or os.path.realpath(self.current)

    def _searcher(self):
        """This thread's searcher, reopened only when a commit or rebuild made a newer index."""
        ix = self._index()
        local = self._local
        searcher = getattr(local, "searcher", None)
        # Opening a searcher reads every segment (tens of ms at 100k documents): reuse it while
        # the index generation on disk is the one it was opened on.
        if (
            searcher is None
            or getattr(local, "searcher_ix", None) is not ix
            or (searcher.reader().generation() != ix.latest_generation())
        ):
            if searcher is not None:
                searcher.close()
            searcher = local.searcher = ix.searcher()
            local.searcher_ix = ix
        return _Borrowed(searcher)

    def is_ready(self) -> bool:
        try:
            self._searcher().close()
        except (IndexMissing, OSError, index.EmptyIndexError):
            return False
        return self.meta().get("analyzer_version") == ANALYZER_VERSION

    def version(self) -> str:
        """Changes whenever the index does (a rebuild or a commit); "" while there is none."""
        try:
            with self._searcher() as searcher:
                reader = searcher.reader()
                return f"{self._target()}:{reader.generation()}:{reader.doc_count_all()}"
        except (IndexMissing, OSError, index.EmptyIndexError):
            return ""

    def count(self) -> int:
        with self._searcher() as searcher:
            return searcher.doc_count()

    def search(self, q: SearchQuery) -> SearchResult:
        with self._searcher() as searcher:
            return self._search(searcher, q)

    def keys(self, q: SearchQuery) -> list[str]:
        """Keys of every match, unranked (for the map, which shows them all)."""
        with self._searcher() as searcher:
            groups = self._corrected(searcher, plan.plan(q.text, q.synonyms)) if q.text.strip() else []
            matched, _ = self._matched(searcher, groups, query.And, q)
            if not matched and len(groups) > 1:
                matched, _ = self._matched(searcher, groups, query.Or, q)
            stored = self._stored(searcher)
            return [stored[d][0] for d in matched]

    def versions(self) -> dict[str, str]:
        with self._searcher() as searcher:
            reader = searcher.reader()
            live = self._live(reader)
            return {
                key: (meta or {}).get("version", "")
                for d, (key, _geo, meta) in enumerate(self._stored(searcher))
                if d in live
            }

    def _search(self, searcher, q: SearchQuery) -> SearchResult:
        groups = self._corrected(searcher, plan.plan(q.text, q.synonyms)) if q.text.strip() else []
        relaxed = False
        if groups:
            result = self._run(searcher, groups, q, query.And)
            if result.total < FEW and len(groups) >= 3:
                # A long question rarely has every word in one text: allow one word missing.
                most = self._run(searcher, groups, q, ALL_BUT_ONE)
                if most.total > result.total:
                    result, relaxed = most, True
            if result.total == 0 and len(groups) > 1:
                # Nothing has every word: offer what matches some of them, and say so.
                result = self._run(searcher, groups, q, query.Or)
                relaxed = result.total > 0
        else:
            result = self._run(searcher, [], q)
        result.terms = plan.terms(groups)
        result.relaxed = relaxed
        return result

    def _corrected(self, searcher, groups: list[plan.Group]) -> list[plan.Group]:
        """The plan fitted to this index's words: pinyin typed apart joined, a common compound
        without its parts, and a word found nowhere given the title words one typo away
        (创新卷 → 创新券), the most used first, at a lower weight."""
        reader = searcher.reader()

        def known(term: str) -> bool:
            return ("title", term) in reader or ("text", term) in reader

        def frequency(term: str) -> int:
            return reader.doc_frequency("title", term) + reader.doc_frequency("text", term)

        return plan.fitted(groups, known, frequency, lambda word: self._fixes(reader, word))

    def _fixes(self, reader, word: str) -> list[str]:
        """Title words within one typo (two for long Latin words, whose first letter must match),
        cached per index version: the edit-distance walk over the word list is slow."""
        key = (reader.generation(), reader.doc_count_all(), word)
        cache = self._fix_cache
        if key not in cache:
            latin = word.isascii()
            maxdist = 2 if latin and len(word) >= 7 else 1
            found = reader.terms_within("title", word, maxdist, prefix=1 if latin else 0)
            ranked = sorted(found, key=lambda t: (-reader.doc_frequency("title", t), t))
            if len(cache) > 2000:
                cache.clear()
            cache[key] = ranked[: plan.MAX_FIXES]
        return cache[key]

    @staticmethod
    def _text_query(groups: list[plan.Group], join) -> query.Query:
        """The plan as a Whoosh query: each alternative weighted, title and text both searched."""

        def slot_q(slot, weight):
            return query.Or([query.Term(f, t, boost=weight) for t in slot for f in ("title", "text")])

        parts = [
            query.Or(
                [
                    query.And([slot_q(slot, alt.weight) for slot in alt.slots])
                    if len(alt.slots) > 1
                    else slot_q(alt.slots[0], alt.weight)
                    for alt in g.alternatives
                ]
            )
            for g in groups
        ]
        return query.And(parts) if join is query.And else query.Or(parts)

    def _run(self, searcher, groups, q: SearchQuery, join=None) -> SearchResult:
        # Every matching document number, unscored, by set algebra over single-term postings:
        # much faster in Python than walking Whoosh's compound matchers document by document.
        matched, per_term = self._matched(searcher, groups, join, q)
        text_q = self._text_query(groups, join) if groups else None
        sort = q.sort if (text_q is not None or q.sort != "relevance") else "newest"
        limit = q.page * q.per_page
        start = (q.page - 1) * q.per_page
        hits: list[Hit] = []
        if not matched or start >= len(matched):
            pass
        elif sort in SORT_COLUMNS or text_q is None or sort == "distance":
            hits = self._by_column(
                searcher, matched, sort if sort in SORT_COLUMNS else "newest", start, limit
            )
        else:
            hits = self._ranked(searcher, text_q, groups, q, matched, per_term, join, start, limit)
        facets = self._facet_counts(searcher, matched, q.facets)
        return SearchResult(hits=hits, total=len(matched), facets=facets, terms=[])

    def _ranked(self, searcher, text_q, groups, q, matched, per_term, join, start, limit) -> list[Hit]:
        """Score the words over the match set (or, for an any-word search, its best-covered
        part), then order a generous top by the shared ranking rules."""
        depth = max(limit, RERANK_DEPTH)
        if join is not query.And:
            results = searcher.search(
                text_q, limit=depth, terms=False, filter=self._best_covered(matched, per_term, limit)
            )
            scores = dict(results.items())
        else:
            scores = self._scored_all_words(searcher, groups, q, matched, depth)
        exact = exact_form(q.text)
        # A document named exactly like the query is ranked first even if its words score low.
        scores.update({d: scores.get(d, 0.0) for d in self._named(searcher).get(exact, ()) if d in matched})
        stored = self._stored(searcher)
        candidates = []
        for doc, score in scores.items():
            key, _geo, meta = stored[doc]
            meta = meta or {}
            candidates.append(
                ranking.Candidate(
                    key=key,
                    score=float(score or 0.0),
                    names=tuple(meta.get("names", ())),
                    prior=meta.get("prior", 1.0),
                    guide=meta.get("guide", False),
                    type=key.partition(":")[0],
                )
            )
        by_key = {stored[doc][0]: doc for doc in scores}
        page = ranking.rank(candidates, groups, exact)[start:limit]
        snippets = self._snippets(searcher, [by_key[c.key] for c in page])
        hits = []
        for c, snippet in zip(page, snippets, strict=True):
            type_, _, id_ = c.key.partition(":")
            hits.append(Hit(type=type_, id=id_, score=c.score, snippet=snippet))
        return hits

    def _scored_all_words(self, searcher, groups, q, matched: set[int], depth: int) -> dict:
        """Scores for an every-word search in two parts: the documents holding every word as typed,
        by the plain query (fast: Whoosh skips blocks that cannot reach the top), and the rest,
        reached only through synonyms, parts or corrections, by those words over just them."""
        reader = searcher.reader()
        typed = [g.alternatives[0] for g in groups]
        plain = query.And(
            [
                query.Or([query.Term(f, t) for f in ("title", "text")])
                for alt in typed
                for slot in alt.slots
                for t in slot[:1]
            ]
        )
        restricted = bool(q.types or q.scope or any(q.filters.values()))
        exact_docs = matched
        for alt in typed:
            for slot in alt.slots:
                exact_docs = exact_docs & (
                    self._postings(reader, "title", slot[0]) | self._postings(reader, "text", slot[0])
                )
        scores: dict[int, float] = {}
        if exact_docs:
            # Without type or facet filters the plain query alone gives these documents; a
            # filter would cost a set look-up per posting.
            results = searcher.search(
                plain, limit=depth, terms=False, filter=exact_docs if restricted else None
            )
            scores.update(results.items())
        rest = matched - exact_docs
        typed_terms = {slot[0] for alt in typed for slot in alt.slots}
        extra = {t: w for t, w in plan.weighted_terms(groups).items() if t not in typed_terms}
        if rest and extra and len(exact_docs) < depth:
            # Scored by the words that brought them in (synonyms, parts, corrections) at their
            # lower weights; the typed words they share are common to all and left out for speed.
            # When the typed words alone fill the reranked top, these would rank below them.
            alternatives = query.Or(
                [query.Term(f, t, boost=w) for t, w in extra.items() for f in ("title", "text")]
            )
            scores.update(searcher.search(alternatives, limit=depth, terms=False, filter=rest).items())
        return scores

    @staticmethod
    def _postings(reader, field: str, term: str) -> set[int]:
        return _all_ids(reader.postings(field, term)) if (field, term) in reader else set()

    def _named(self, searcher) -> dict[str, list[int]]:
        """Exact name form → document numbers, read once per index version."""
        stored = self._stored(searcher)
        cached = getattr(self._local, "named", None)
        if cached is None or cached[0] is not stored:
            names: dict[str, list[int]] = {}
            for doc, (_key, _geo, meta) in enumerate(stored):
                for name in (meta or {}).get("names", ()):
                    names.setdefault(name, []).append(doc)
            cached = self._local.named = (stored, names)
        return cached[1]

    def _by_column(self, searcher, matched: set[int], sort: str, start: int, limit: int) -> list[Hit]:
        """Order by a sortable column (date or title) without scoring anything."""
        field, reverse = SORT_COLUMNS[sort]
        column = self._column(searcher, field)
        pick = heapq.nlargest if reverse else heapq.nsmallest
        keys = self._stored(searcher)
        ordered = pick(
            limit,
            matched,
            key=lambda d: (column[d], keys[d][0]) if not reverse else (column[d], _Reversed(keys[d][0])),
        )
        page = ordered[start:limit]
        hits = []
        for doc, snippet in zip(page, self._snippets(searcher, page), strict=True):
            type_, _, id_ = keys[doc][0].partition(":")
            hits.append(Hit(type=type_, id=id_, score=0.0, snippet=snippet))
        return hits

    def _snippets(self, searcher, docs: list[int]) -> list[tuple[str, str, str] | None]:
        """The prepared snippet text of a page's documents (None from an index built without it)."""
        reader = searcher.reader()
        if not docs or not reader.has_column("snippet"):
            return [None] * len(docs)
        # Opening the column reads the offsets of every document (milliseconds at 10 000): keep
        # one reader per thread for as long as its searcher lives.
        cached = getattr(self._local, "snippet_column", None)
        if cached is None or cached[0] is not reader:
            cached = self._local.snippet_column = (reader, reader.column_reader("snippet"))
        column = cached[1]
        out = []
        for doc in docs:
            raw = column[doc]
            out.append(tuple(json.loads(raw)) if raw else None)
        return out

    @staticmethod
    def _best_covered(matched: set[int], per_term: list[set[int]], needed: int) -> set[int]:
        """For an any-word search, the documents with the most query words, enough to fill the
        page: they rank first, and Whoosh need not score the long tail."""
        counts = Counter(chain.from_iterable(t & matched for t in per_term))
        by_coverage: dict[int, list[int]] = {}
        for doc, n in counts.items():
            by_coverage.setdefault(n, []).append(doc)
        allow: set[int] = set()
        for n in sorted(by_coverage, reverse=True):
            allow.update(by_coverage[n])
            if len(allow) >= needed:
                break
        return allow

    def _matched(self, searcher, groups, join, q: SearchQuery) -> tuple[set[int], list[set[int]]]:
        reader = searcher.reader()
        filters = self._filter_sets(reader)

        def docs(field: str, value: str) -> set[int]:
            if (field, value) not in reader:
                return set()
            if field in ("title", "text"):
                return _all_ids(reader.postings(field, value))
            # A type or facet value's documents, read once per index version: the directory's
            # scope alone is every place (reading those postings on each search cost most of it).
            if (field, value) not in filters:
                filters[(field, value)] = frozenset(_all_ids(reader.postings(field, value)))
            return filters[(field, value)]

        words: dict[str, set[int]] = {}

        def word(term: str) -> set[int]:
            if term not in words:
                words[term] = docs("title", term) | docs("text", term)
            return words[term]

        def group_docs(group: plan.Group) -> set[int]:
            out: set[int] = set()
            for alt in group.alternatives:
                slots = sorted((set().union(*(word(t) for t in slot)) for slot in alt.slots), key=len)
                out |= slots[0].intersection(*slots[1:])
            return out

        sets: list[set[int]] = []
        per_term: list[set[int]] = []
        if groups:
            per_term = [group_docs(g) for g in groups]
            if join is query.And:
                sets.append(set.intersection(*per_term))
            elif join is ALL_BUT_ONE:
                counts = Counter(chain.from_iterable(per_term))
                sets.append({d for d, n in counts.items() if n >= len(per_term) - 1})
            else:
                sets.append(set.union(*per_term))
        if q.types or q.scope:
            sets.append(set().union(*(docs("type", t) for t in (q.types or q.scope))))
        for name, values in q.filters.items():
            if values:
                field = _FIELD_FOR_FACET[name]
                sets.append(set().union(*(docs(field, v) for v in values)))
        if not sets:
            return self._live(reader), per_term
        sets.sort(key=len)
        matched = sets[0].intersection(*sets[1:])
        if reader.has_deletions():
            matched &= self._live(reader)
        return matched, per_term

    def _filter_sets(self, reader) -> dict[tuple[str, str], frozenset[int]]:
        """The cache of filter postings for this index version (emptied when the index changes)."""
        key = (self._target(), reader.generation(), reader.doc_count_all())
        cached = self._filter_cache
        if cached is None or cached[0] != key:
            cached = self._filter_cache = (key, {})
        return cached[1]

    def _live(self, reader) -> set[int]:
        """Numbers of the documents not deleted, cached per index version."""
        key = (reader.generation(), reader.doc_count_all(), reader.doc_count())
        cached = getattr(self._local, "live", None)
        if cached is None or cached[0] != key:
            cached = self._local.live = (key, set(reader.all_doc_ids()))
        return cached[1]

    def _stored(self, searcher) -> list[tuple[str, tuple | None, dict | None]]:
        """(key, (lat, lon), meta) per document, read once per index version."""
        reader = searcher.reader()
        key = (self._target(), reader.generation(), reader.doc_count_all())
        cached = self._stored_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        rows: list = [("", None, None)] * reader.doc_count_all()
        for docnum, fields in reader.iter_docs():
            rows[docnum] = (fields.get("key", ""), fields.get("geo"), fields.get("meta"))
        self._stored_cache = (key, rows)
        return rows

    def _column(self, searcher, field: str) -> list:
        """A sortable column's value per document, read once per index version: indexing a
        Python list is many times faster than Whoosh's column reader for each match."""
        reader = searcher.reader()
        key = (self._target(), reader.generation(), reader.doc_count_all(), field)
        cached = self._column_cache.get(field)
        if cached is not None and cached[0] == key:
            return cached[1]
        column = reader.column_reader(field)
        values = [column[d] for d in range(reader.doc_count_all())]
        self._column_cache[field] = (key, values)
        return values

    def _facet_counts(self, searcher, matched: set[int], names) -> dict[str, dict[str, int]]:
        values = self._facet_values(searcher)
        out = {}
        for name in names:
            per_doc = values[_FIELD_FOR_FACET[name]]
            out[name] = dict(Counter(chain.from_iterable(map(per_doc.__getitem__, matched))))
        return out

    def _facet_values(self, searcher) -> dict[str, list[tuple[str, ...]]]:
        """Per document, the facet values it has; read once per index version from the postings."""
        reader = searcher.reader()
        key = (self._target(), reader.generation(), reader.doc_count_all())
        cached = self._facet_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        with self._facet_lock:
            size = reader.doc_count_all()
            values: dict[str, list[tuple[str, ...]]] = {}
            for field in set(_FIELD_FOR_FACET.values()):
                lists: list[list[str]] = [[] for _ in range(size)]
                for term in reader.lexicon(field):
                    text = term.decode("utf-8")
                    for docnum in reader.postings(field, term).all_ids():
                        lists[docnum].append(text)
                values[field] = [tuple(v) for v in lists]
            self._facet_cache = (key, values)
        return values

    # -- writing (single indexer only) ---------------------------------------------------------
    def _fields(self, doc: IndexDoc) -> dict:
        return {
            "key": doc.key,
            "type": doc.type,
            "title": doc.title,
            "text": doc.text,
            "region": ",".join(doc.regions),
            "level": doc.level,
            "category": ",".join(doc.categories),
            "year": doc.year,
            "status": doc.status,
            "date": max(doc.date_ordinal, 0),
            "sort_title": doc.sort_title or doc.title,
            "industry": ",".join(doc.industries),
            "service": ",".join(doc.services),
            "desks": doc.desks,
            "geo": (doc.lat, doc.lon) if doc.lat is not None and doc.lon is not None else None,
            "meta": {
                "names": sorted({exact_form(n) for n in doc.names} - {""}),
                "prior": doc.boost,
                "guide": doc.guide,
                "version": doc_version(doc),
            },
            "snippet": json.dumps(doc.snippet, ensure_ascii=False).encode("utf-8"),
        }

    def rebuild(self, docs: Iterable[IndexDoc], total: int | None = None, progress=None) -> int:
        """Build a complete new index beside the old one, then swap `current` atomically.

        The build happens in a `.building-<time>-<pid>` folder, renamed to `index-<time>` only once
        complete, so a killed rebuild leaves nothing that looks like an index."""
        self.root.mkdir(parents=True, exist_ok=True)
        self._remove_abandoned()
        stamp = time.time_ns()
        building = self.root / f".building-{stamp}-{os.getpid()}"
        building.mkdir()
        count = 0
        try:
            ix = index.create_in(building, self.schema)
            writer = ix.writer(procs=1, limitmb=256)
            try:
                for doc in docs:
                    writer.add_document(**self._fields(doc))
                    count += 1
                    if progress:
                        progress(1)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            ix.close()
            (building / "meta.json").write_text(
                json.dumps(
                    {
                        "analyzer_version": ANALYZER_VERSION,
                        "documents": count,
                        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    }
                )
            )
            target = self.root / f"index-{stamp}"
            os.rename(building, target)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        tmp_link = self.root / f".current-{os.getpid()}"
        if tmp_link.is_symlink():
            tmp_link.unlink()
        os.symlink(target.name, tmp_link)
        os.replace(tmp_link, self.current)
        self._prune()
        return count

    def _remove_abandoned(self) -> None:
        """Delete build folders of rebuilds whose process is gone (killed), never a live one's."""
        for folder in self.root.glob(".building-*-*"):
            pid = folder.name.rsplit("-", 1)[1]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)

    def _prune(self) -> None:
        """Keep the current index and the one before it (open readers may still use that); delete
        older complete builds and any index folder without its meta.json (an interrupted build
        from before build folders existed). The current index is never touched."""
        current = os.path.realpath(self.current)
        builds = sorted(p for p in self.root.glob("index-*") if p.is_dir() and str(p.resolve()) != current)
        complete = [p for p in builds if (p / "meta.json").exists()]
        keep = set(complete[-1:])
        for folder in builds:
            if folder not in keep:
                shutil.rmtree(folder, ignore_errors=True)

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        target = os.path.realpath(self.current)
        if not index.exists_in(target):
            raise IndexMissing(f"no search index in {self.current}")
        ix = index.open_dir(target, schema=self.schema)
        with ix.writer(timeout=self.WRITER_TIMEOUT) as writer:
            for doc in docs:
                writer.update_document(**self._fields(doc))

    def delete(self, keys: Iterable[str]) -> None:
        ix = index.open_dir(os.path.realpath(self.current), schema=self.schema)
        with ix.writer(timeout=self.WRITER_TIMEOUT) as writer:
            for key in keys:
                writer.delete_by_term("key", key)
