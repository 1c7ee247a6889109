"""PostgreSQL implementation of the search interface: one table, written in the content's transaction.

Words are those of `text.index_tokens`, written straight into a `tsvector` (title words weighted A,
text words D); matching, exact totals and facet counts are SQL over GIN indexes. The best matches
are scored in Python by the same BM25F and ranking rules as the Whoosh backend, over the words
PostgreSQL hands back for them; a large match set is first cut down by a cheap pre-rank.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain

from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from portal.search import plan, ranking
from portal.search.backend import Hit, IndexDoc, SearchQuery, SearchResult, doc_version
from portal.search.models import pg_metadata, search_documents, search_state, search_words
from portal.search.text import ANALYZER_VERSION, exact_form, index_tokens

TITLE_BOOST = 3.0  # as the Whoosh title field
K1, B = 1.2, 0.75  # BM25F, Whoosh's defaults
RERANK_DEPTH = 30  # how many of the best-scored matches the ranking rules reorder
PRE_RANK = 100  # matches scored in full; a larger match set is cut to this many by a cheap pre-rank
DF_CAP = 500  # document frequencies are counted up to this (terms above it are all "common")
FEW = 3  # fewer matches than this for a long query: try with one word missing
STATS_TTL = 30.0  # seconds the document count, average lengths and common words are reused
FIX_TTL = 300.0  # seconds a word's typo corrections are reused
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
AND, ALL_BUT_ONE, OR = "and", "all-but-one", "or"
SORT_ORDER = {
    "newest": "date_ordinal DESC, key",
    "oldest": "date_ordinal, key",
    "title": 'sort_title COLLATE "C", key COLLATE "C"',
}

_COLUMNS = (
    "key",
    "type",
    "title",
    "names",
    "regions",
    "categories",
    "industries",
    "services",
    "level",
    "year",
    "status",
    "desks",
    "facets",
    "date_ordinal",
    "sort_title",
    "lat",
    "lon",
    "prior",
    "guide",
    "version",
    "title_len",
    "text_len",
    "tsv",
    "title_tsv",
    "snippet",
    "generation",
)
_VALUES = ", ".join(f"CAST(:{c} AS tsvector)" if c.endswith("tsv") else f":{c}" for c in _COLUMNS)
_UPSERT = text(
    f"INSERT INTO search_documents ({', '.join(_COLUMNS)}) VALUES ({_VALUES}) "  # noqa: S608 - fixed names
    f"ON CONFLICT (key) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in _COLUMNS[1:])}"
)
# Every write takes the next generation (the row lock orders writers: generations commit in order);
# readers reload the facets of rows newer than the generation they hold.
_NEXT_GENERATION = text(
    "INSERT INTO search_state (name, value) VALUES ('generation', '1') ON CONFLICT (name)"
    " DO UPDATE SET value = (CAST(search_state.value AS bigint) + 1)::text RETURNING CAST(value AS bigint)"
)
_WORDS = text("INSERT INTO search_words (word) SELECT unnest(CAST(:words AS text[])) ON CONFLICT DO NOTHING")
# A word the statistics already show in many documents is not counted: building its index bitmap
# (every document holding it) is the dear part of counting, and its count would be capped anyway.
_COUNTS = text(
    "SELECT t.term,"
    " CASE WHEN t.many THEN :cap ELSE"
    " (SELECT count(*) FROM (SELECT 1 FROM search_documents WHERE tsv @@ t.q LIMIT :cap) a) END,"
    " CASE WHEN t.many_titles THEN :cap ELSE"
    " (SELECT count(*) FROM (SELECT 1 FROM search_documents WHERE title_tsv @@ t.q LIMIT :cap) b) END,"
    " EXISTS (SELECT 1 FROM search_words w WHERE w.word = t.term)"
    " FROM unnest(CAST(:terms AS text[]), CAST(:queries AS tsquery[]), CAST(:many AS boolean[]),"
    " CAST(:many_titles AS boolean[])) AS t(term, q, many, many_titles)"
)
# The words ANALYZE found most often in the text and in the titles, with the share of rows holding
# each (PostgreSQL's statistics for tsvector columns).
_COMMON_WORDS = text(
    "SELECT attname, CAST(CAST(most_common_elems AS text) AS text[]), most_common_elem_freqs FROM pg_stats"
    " WHERE schemaname = current_schema() AND tablename = 'search_documents'"
    " AND attname IN ('tsv', 'title_tsv') AND most_common_elems IS NOT NULL"
)


def lexeme(word: str) -> str:
    """A word quoted for a tsvector or tsquery literal, so PostgreSQL's parser never splits it."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def vector(weighted: Iterable[tuple[list[str], str]]) -> str:
    """A tsvector literal of words in order, each position marked with its part's weight."""
    positions: dict[str, list[str]] = {}
    n = 0
    for words, weight in weighted:
        for word in words:
            n += 1
            positions.setdefault(word, []).append(f"{min(n, MAX_POSITION)}{weight}")
    return " ".join(f"{lexeme(w)}:{','.join(p[:256])}" for w, p in positions.items())


def facet_values(doc: IndexDoc) -> list[str]:
    """Every facet value of a document as "<facet>:<value>" (empty values are not facets)."""
    pairs = [
        ("type", doc.type),
        ("level", doc.level),
        ("year", doc.year),
        ("status", doc.status),
        ("desks", doc.desks),
    ]
    pairs += [("region", v) for v in doc.regions] + [("category", v) for v in doc.categories]
    pairs += [("industry", v) for v in doc.industries] + [("service", v) for v in doc.services]
    return list(dict.fromkeys(f"{name}:{value}" for name, value in pairs if value))


def levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, replace) between two words."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _like_escape(ch: str) -> str:
    return "\\" + ch if ch in "\\%_" else ch


def install_schema(engine: Engine) -> None:
    """Create pg_trgm and the search tables if missing (tests; deployments run migration 0017)."""
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        pg_metadata.create_all(conn)


class PostgresBackend:
    """Search over the `search_documents` table of the portal's own database."""

    transactional = True  # index rows can be written in the content's transaction (search.inline)

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError(
                "SEARCH_BACKEND=postgres needs DATABASE_URL to name a PostgreSQL database "
                f"(it names a {engine.dialect.name} one)"
            )
        self.engine = engine
        # Searches only read: without a transaction around them they save two round trips each.
        self._reader = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._stats: tuple[float, tuple[int, float, float]] | None = None
        self._fix_cache: dict[str, tuple[float, list[str]]] = {}
        self._lock = threading.Lock()
        # Row id → its facet values, shared by threads, kept up to date by generation.
        self._facets: dict[int, tuple[str, ...]] = {}
        self._facets_at = (0, "")  # (generation, built_at) the cache holds

    # -- reading -----------------------------------------------------------------------------
    def is_ready(self) -> bool:
        try:
            with self.engine.connect() as conn:
                built = conn.scalar(
                    select(search_state.c.value).where(search_state.c.name == "analyzer_version")
                )
        except DBAPIError:  # the tables are not there (migration 0017 not run)
            return False
        return built == ANALYZER_VERSION

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM search_documents"))

    def versions(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(search_documents.c.key, search_documents.c.version)).all())

    def search(self, q: SearchQuery) -> SearchResult:
        counts: dict[str, tuple[int, int]] = {}
        with self._reader.connect() as conn:
            groups = self._corrected(conn, plan.plan(q.text, q.synonyms), counts) if q.text.strip() else []
            relaxed = False
            if groups:
                result = self._run(conn, groups, q, AND, counts)
                if result.total < FEW and len(groups) >= 3:
                    # A long question rarely has every word in one text: allow one word missing.
                    most = self._run(conn, groups, q, ALL_BUT_ONE, counts)
                    if most.total > result.total:
                        result, relaxed = most, True
                if result.total == 0 and len(groups) > 1:
                    # Nothing has every word: offer what matches some of them, and say so.
                    result = self._run(conn, groups, q, OR, counts)
                    relaxed = result.total > 0
            else:
                result = self._run(conn, [], q, AND, counts)
        result.terms = plan.terms(groups)
        result.relaxed = relaxed
        return result

    def keys(self, q: SearchQuery) -> list[str]:
        """Keys of every match, unranked (for the map, which shows them all)."""
        with self._reader.connect() as conn:
            groups = self._corrected(conn, plan.plan(q.text, q.synonyms), {}) if q.text.strip() else []
            for join in (AND, OR) if len(groups) > 1 else (AND,):
                where, params = self._where(groups, q, join)
                sql = f"SELECT key FROM search_documents WHERE {where}"  # noqa: S608 - our own conditions
                found = list(conn.scalars(text(sql), params))
                if found:
                    break
            return found

    # -- the query plan fitted to the index ----------------------------------------------------
    def _counts(self, conn: Connection, terms: Iterable[str], cache: dict) -> dict:
        """(documents, titles) holding each term, counted up to DF_CAP, and whether it was ever a
        title word; one round trip for all."""
        wanted = [t for t in dict.fromkeys(terms) if t not in cache]
        if wanted:
            n_docs, _title, _text, common = self._statistics(conn)

            def many(column: str) -> list[bool]:
                # Twice the cap: a sampled share is an estimate; a word near the cap is counted.
                return [common[column].get(t, 0.0) * n_docs >= 2 * DF_CAP for t in wanted]

            rows = conn.execute(
                _COUNTS,
                {
                    "terms": wanted,
                    "queries": [lexeme(t) for t in wanted],
                    "cap": DF_CAP,
                    "many": many("tsv"),
                    "many_titles": many("title_tsv"),
                },
            )
            cache.update({term: (docs, titles, listed) for term, docs, titles, listed in rows})
        return cache

    def _corrected(self, conn: Connection, groups: list[plan.Group], counts: dict) -> list[plan.Group]:
        """As the Whoosh backend: pinyin typed apart joined, a common compound without its parts,
        a word found nowhere given the title words one typo away (创新卷 → 创新券)."""
        terms = list(plan.weighted_terms(groups))
        joined = [a.word + b.word for a, b in zip(groups, groups[1:], strict=False)]
        self._counts(conn, terms + joined, counts)

        def known(term: str) -> bool:
            # As in Whoosh's word list, a title word once indexed is known (not taken for a typo)
            # even when no document holds it any more.
            docs, _titles, listed = self._counts(conn, [term], counts)[term]
            return docs > 0 or listed

        def frequency(term: str) -> int:
            return sum(self._counts(conn, [term], counts)[term][:2])

        return plan.fitted(groups, known, frequency, lambda word: self._fixes(conn, word, counts))

    def _fixes(self, conn: Connection, word: str, counts: dict) -> list[str]:
        """Title words within one typo (two for long Latin words, whose first letter must match),
        found through the trigram index and ranked by how many titles hold them."""
        cached = self._fix_cache.get(word)
        if cached is not None and time.monotonic() - cached[0] < FIX_TTL:
            return cached[1]
        latin = word.isascii()
        maxdist = 2 if latin and len(word) >= 7 else 1
        if maxdist == 2:
            found = conn.scalars(text("SELECT word FROM search_words WHERE word % :w"), {"w": word})
        else:
            chars = [_like_escape(c) for c in word]
            patterns = ["".join(chars[:i]) + "_" + "".join(chars[i + 1 :]) for i in range(len(chars))]
            patterns += ["".join(chars[:i]) + "_" + "".join(chars[i:]) for i in range(len(chars) + 1)]
            shorter = [word[:i] + word[i + 1 :] for i in range(len(word))]
            likes = " OR ".join(f"word LIKE :p{i}" for i in range(len(patterns)))
            sql = f"SELECT word FROM search_words WHERE {likes} OR word = ANY(:short)"  # noqa: S608
            params = {"short": shorter, **{f"p{i}": p for i, p in enumerate(patterns)}}
            found = conn.scalars(text(sql), params)
        near = [
            w
            for w in found
            if w != word and (not latin or w[:1] == word[:1]) and levenshtein(w, word) <= maxdist
        ]
        self._counts(conn, near, counts)
        ranked = sorted((w for w in near if counts[w][1] > 0), key=lambda w: (-counts[w][1], w))
        if len(self._fix_cache) > 2000:
            self._fix_cache.clear()
        self._fix_cache[word] = (time.monotonic(), ranked[: plan.MAX_FIXES])
        return ranked[: plan.MAX_FIXES]

    # -- matching, counting, ordering ----------------------------------------------------------
    @staticmethod
    def _tsquery(groups: list[plan.Group]) -> list[str]:
        """One tsquery literal per group (alternatives OR'ed, an alternative's slots AND'ed)."""

        def slot_q(slot):
            return "(" + " | ".join(lexeme(t) for t in slot) + ")"

        return [
            "("
            + " | ".join("(" + " & ".join(slot_q(s) for s in alt.slots) + ")" for alt in g.alternatives)
            + ")"
            for g in groups
        ]

    def _where(self, groups: list[plan.Group], q: SearchQuery, join: str) -> tuple[str, dict]:
        """Conditions for a plain match (the map's keys, and every every-word search)."""
        conditions, params = self._filters(q)
        parts = self._tsquery(groups)
        if parts:
            if join == AND:
                params["tsq"] = " & ".join(parts)
            elif join == OR or len(parts) < 2:
                params["tsq"] = " | ".join(parts)
            else:
                params["tsq"] = " | ".join(
                    "(" + " & ".join(parts[:i] + parts[i + 1 :]) + ")" for i in range(len(parts))
                )
            conditions.append("tsv @@ CAST(:tsq AS tsquery)")
        return " AND ".join(conditions) or "TRUE", params

    @staticmethod
    def _filters(q: SearchQuery) -> tuple[list[str], dict]:
        conditions, params = [], {}
        wanted = [("type", q.types or q.scope)] + [(n, v) for n, v in q.filters.items() if v]
        for i, (name, values) in enumerate(wanted):
            if values:
                conditions.append(f"facets && CAST(:f{i} AS text[])")
                params[f"f{i}"] = [f"{name}:{v}" for v in values]
        return conditions, params

    def _run(
        self, conn: Connection, groups: list[plan.Group], q: SearchQuery, join: str, counts: dict
    ) -> SearchResult:
        """One statement: the match, its exact total and every facet count in one pass over it,
        and the first page (or, for relevance, the pre-ranked candidates)."""
        limit = q.page * q.per_page
        start = (q.page - 1) * q.per_page
        ranked = bool(groups) and q.sort not in SORT_ORDER and q.sort != "distance"
        sort = q.sort if q.sort in SORT_ORDER else "newest"
        # Each match is carried as a narrow row: its id (for the facet counts), where it lies (to
        # read the chosen candidates' other columns afterwards), its key and what it is ordered by.
        columns = "id, ctid AS tid, key"
        if ranked:
            # The cheap pre-rank: an exact name first, then (any-word searches) the most words,
            # then the query's words in the short title times the document's own prior.
            columns += (
                ", (names @> ARRAY[CAST(:exact AS text)]) AS exact,"
                " prior * (1 + ts_rank(title_tsv, CAST(:tsq AS tsquery))) AS pre"
            )
        else:
            columns += ", date_ordinal, sort_title"
        if join == AND:
            where, params = self._where(groups, q, join)
            match = f"SELECT {columns}, 1 AS cover FROM search_documents WHERE {where}"  # noqa: S608
        else:
            # How many of the query's words each document has, for "all but one" and "any word"
            # searches: one index scan per word, each row carrying its own pre-rank, then grouped
            # (the documents' own words are never read, and no row is looked up again by key).
            conditions, params = self._filters(q)
            parts = self._tsquery(groups)
            scans = " UNION ALL ".join(
                f"SELECT {columns} FROM search_documents WHERE "  # noqa: S608
                + " AND ".join([f"tsv @@ CAST(:g{i} AS tsquery)", *conditions])
                for i in range(len(parts))
            )
            params.update({f"g{i}": part for i, part in enumerate(parts)})
            params["tsq"] = " | ".join(parts)
            params["need"] = len(parts) - 1 if join == ALL_BUT_ONE else 1
            kept = "exact, pre" if ranked else "date_ordinal, sort_title"
            match = (
                f"SELECT id, tid, key, {kept}, count(*) AS cover FROM ({scans}) u"  # noqa: S608
                f" GROUP BY id, tid, key, {kept} HAVING count(*) >= :need"
            )
        if ranked:
            params["exact"] = exact_form(q.text)
            params["top"] = max(limit, PRE_RANK)
            params["terms"] = list(plan.weighted_terms(groups))
            # The candidates, with the positions of each query word in them (a title's words come
            # first), read only for these few, after the pre-rank has chosen them. The query's words
            # are marked with the otherwise unused weight B and kept: unnesting only those is many
            # times cheaper than unnesting every word of the document and filtering.
            best = (
                "SELECT json_agg(json_build_array(t.key, d.names, d.prior, d.guide, d.type, d.title_len,"
                " d.text_len, t.cover, t.exact, (SELECT json_agg(json_build_array(u.lexeme, u.positions))"
                " FROM unnest(ts_filter(setweight(d.tsv, 'B', CAST(:terms AS text[])), '{b}')) u))"
                " ORDER BY t.exact DESC, t.cover DESC, t.pre DESC, t.key)"
                " FROM (SELECT * FROM m ORDER BY exact DESC, cover DESC, pre DESC, key LIMIT :top) t"
                " JOIN search_documents d ON d.ctid = t.tid"
            )
        else:
            params["top"] = limit
            order = SORT_ORDER[sort]
            best = (
                f"SELECT json_agg(key ORDER BY {order}) FROM (SELECT key, date_ordinal, sort_title"  # noqa: S608
                f" FROM m ORDER BY {order} LIMIT :top) t"
            )
        # The ids of every match (their facets are counted here from the cache: many times faster
        # than grouping their values in SQL), or just how many there are.
        matched = "SELECT array_agg(id) FROM m" if q.facets else "SELECT count(*) FROM m"
        sql = (
            f"WITH m AS MATERIALIZED ({match}) "  # noqa: S608
            f"SELECT ({matched}), ({best}), (SELECT value FROM search_state WHERE name = 'generation'),"
            " (SELECT value FROM search_state WHERE name = 'built_at')"
        )
        found, best, generation, built = conn.execute(text(sql), params).one()
        best = best or []
        counted: dict[str, dict[str, int]] = {name: {} for name in q.facets}
        if q.facets:
            ids = found or []
            facets = self._facet_cache(conn, int(generation or 0), built or "")
            for value, n in Counter(chain.from_iterable(map(facets.__getitem__, ids))).items():
                name, _, v = value.partition(":")
                if name in counted:
                    counted[name][v] = n
            total = len(ids)
        else:
            total = found
        if ranked:
            hits = self._ranked(conn, groups, q, join, best, start, limit, counts)
        else:
            hits = [
                Hit(type=k.partition(":")[0], id=k.partition(":")[2], score=0.0) for k in best[start:limit]
            ]
        return SearchResult(hits=self._with_snippets(conn, hits), total=total, facets=counted, terms=[])

    @staticmethod
    def _with_snippets(conn: Connection, hits: list[Hit]) -> list[Hit]:
        """The page's hits with the snippet text prepared at index time (one query for the page)."""
        if not hits:
            return hits
        found = dict(
            conn.execute(
                text("SELECT key, snippet FROM search_documents WHERE key = ANY(:keys)"),
                {"keys": [f"{h.type}:{h.id}" for h in hits]},
            ).all()
        )
        return [
            replace(h, snippet=tuple(s) if (s := found.get(f"{h.type}:{h.id}")) and any(s) else None)
            for h in hits
        ]

    def _facet_cache(self, conn: Connection, generation: int, built: str) -> dict[int, tuple[str, ...]]:
        """Facet values by row id, brought up to `generation` by reading only the rows written
        since (all of them after a rebuild). Rows written before a generation committed all commit
        before it, so none is missed; deleted rows stay but never match."""
        with self._lock:
            held, held_built = self._facets_at
            if built != held_built:
                self._facets, held = {}, 0
            if generation > held or not self._facets:
                rows = conn.execute(
                    text(
                        "SELECT id, facets FROM search_documents"
                        " WHERE generation > :held AND generation <= :now"
                    ),
                    {"held": held, "now": generation},
                )
                self._facets.update((i, tuple(map(sys.intern, values))) for i, values in rows)
                self._facets_at = (generation, built)
            return self._facets

    # -- scoring -------------------------------------------------------------------------------
    def _statistics(self, conn: Connection) -> tuple[int, float, float, dict[str, dict[str, float]]]:
        """Documents, average title and text lengths, and the share of documents holding each of
        the most common words (by column), reused for a short while (they move slowly)."""
        now = time.monotonic()
        cached = self._stats
        if cached is None or now - cached[0] > STATS_TTL:
            n, title, body = conn.execute(
                text(
                    "SELECT count(*), coalesce(avg(title_len), 0),"
                    " coalesce(avg(text_len), 0) FROM search_documents"
                )
            ).one()
            common: dict[str, dict[str, float]] = {"tsv": {}, "title_tsv": {}}
            for column, words, shares in conn.execute(_COMMON_WORDS):
                common[column] = dict(zip(words, shares, strict=False))  # shares end with 3 summary values
            cached = self._stats = (now, (n, float(title) or 1.0, float(body) or 1.0, common))
        return cached[1]

    def _ranked(self, conn, groups, q, join, best: list, start: int, limit: int, counts: dict) -> list[Hit]:
        """BM25F over the pre-ranked matches, as Whoosh scores them, then the shared ranking rules."""
        n_docs, avg_title, avg_text, _common = self._statistics(conn)
        weighted = plan.weighted_terms(groups)
        self._counts(conn, weighted, counts)
        freq: dict[str, dict[str, tuple[int, int]]] = {}
        for b in best:
            # (word, its positions) for the query's words: up to the title's length, in the title.
            title_len = b[5]
            freq[b[0]] = {}
            for word, positions in b[9] or ():
                in_title = sum(p <= title_len for p in positions)
                freq[b[0]][word] = (in_title, len(positions) - in_title)

        def bm25(df: int, tf: float, length: int, avg: float) -> float:
            idf = math.log(n_docs / (df + 1)) + 1 if n_docs else 1.0
            return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))

        def score(key: str, title_len: int, text_len: int, weighted: dict[str, float]) -> float:
            total = 0.0
            for term, (in_title, in_text) in freq[key].items():
                weight = weighted.get(term)
                if weight:
                    docs, titles, _listed = counts[term]
                    if in_title:
                        total += weight * bm25(titles, TITLE_BOOST * in_title, title_len, avg_title)
                    if in_text:
                        total += weight * bm25(docs, in_text, text_len, avg_text)
            return total

        depth = max(limit, RERANK_DEPTH)
        scored: dict[str, float] = {}
        if join == AND:
            # Whoosh's two parts: documents with every word as typed, scored by those words; the
            # rest (reached through synonyms, parts or corrections) by those other words, and only
            # when the first part does not fill the reranked top.
            typed = {slot[0] for g in groups for slot in g.alternatives[0].slots}
            plain = {t: 1.0 for t in typed}
            extra = {t: w for t, w in weighted.items() if t not in typed}
            exact_docs = [b for b in best if typed <= set(freq[b[0]])]
            rest = [b for b in best if not typed <= set(freq[b[0]])]
            parts = [(exact_docs, plain)] + ([(rest, extra)] if len(exact_docs) < depth and extra else [])
            for docs, words in parts:
                part = {b[0]: score(b[0], b[5], b[6], words) for b in docs}
                scored.update(dict(sorted(part.items(), key=lambda kv: -kv[1])[:depth]))
        else:
            # The documents with the most query words, enough to fill the page, rank first.
            allow: list = []
            for cover in sorted({b[7] for b in best}, reverse=True):
                allow += [b for b in best if b[7] == cover]
                if len(allow) >= limit:
                    break
            part = {b[0]: score(b[0], b[5], b[6], weighted) for b in allow}
            scored.update(dict(sorted(part.items(), key=lambda kv: -kv[1])[:depth]))
        scored.update({b[0]: scored.get(b[0], 0.0) for b in best if b[8]})  # named exactly like the query
        info = {b[0]: b for b in best}
        candidates = [
            ranking.Candidate(
                key=k, score=s, names=tuple(info[k][1]), prior=info[k][2], guide=info[k][3], type=info[k][4]
            )
            for k, s in scored.items()
        ]
        hits = []
        for c in ranking.rank(candidates, groups, exact_form(q.text))[start:limit]:
            type_, _, id_ = c.key.partition(":")
            hits.append(Hit(type=type_, id=id_, score=c.score))
        return hits

    # -- writing -------------------------------------------------------------------------------
    @staticmethod
    def _row(doc: IndexDoc) -> tuple[dict, list[str]]:
        title = [t.text for t in index_tokens(doc.title)]
        body = [t.text for t in index_tokens(doc.text)]
        return {
            "key": doc.key,
            "type": doc.type,
            "title": doc.title,
            "names": sorted({exact_form(n) for n in doc.names} - {""}),
            "regions": list(doc.regions),
            "categories": list(doc.categories),
            "industries": list(doc.industries),
            "services": list(doc.services),
            "level": doc.level,
            "year": doc.year,
            "status": doc.status,
            "desks": doc.desks,
            "facets": facet_values(doc),
            "date_ordinal": max(doc.date_ordinal, 0),
            "sort_title": doc.sort_title or doc.title,
            "lat": doc.lat,
            "lon": doc.lon,
            "prior": doc.boost,
            "guide": doc.guide,
            "version": doc_version(doc),
            "title_len": len(title),
            "text_len": len(body),
            "tsv": vector([(title, "A"), (body, "")]),
            "title_tsv": vector([(title, "")]),
            "snippet": list(doc.snippet),
        }, title

    def _write(self, conn: Connection, docs: Iterable[IndexDoc], generation: int | None = None) -> int:
        count = 0
        for batch in _batches(docs, 500):
            if generation is None:
                generation = conn.scalar(_NEXT_GENERATION)
            rows, words = [], set()
            for doc in batch:
                row, title = self._row(doc)
                row["generation"] = generation
                rows.append(row)
                words.update(title)
            conn.execute(_UPSERT, rows)
            # Sorted: two transactions adding the same new words lock them in the same order.
            conn.execute(_WORDS, {"words": sorted(words)})
            count += len(rows)
        self._stats = None
        return count

    def upsert(self, docs: Iterable[IndexDoc], connection: Connection | None = None) -> None:
        """Write documents; with `connection`, inside that transaction (the content's own)."""
        if connection is not None:
            self._write(connection, docs)
            return
        with self.engine.begin() as conn:
            self._write(conn, docs)

    def delete(self, keys: Iterable[str], connection: Connection | None = None) -> None:
        keys = list(keys)
        stmt = delete(search_documents).where(search_documents.c.key.in_(keys))
        if connection is not None:
            connection.scalar(_NEXT_GENERATION)  # before any row lock, as every writer
            connection.execute(stmt)
        else:
            with self.engine.begin() as conn:
                conn.scalar(_NEXT_GENERATION)
                conn.execute(stmt)
        self._stats = None

    def rebuild(self, docs: Iterable[IndexDoc], total: int | None = None, progress=None) -> int:
        """Replace every row in one transaction: readers see the old index until it commits, and a
        failed rebuild leaves it as it was."""

        def counted() -> Iterator[IndexDoc]:
            for doc in docs:
                yield doc
                if progress:
                    progress(1)

        with self.engine.begin() as conn:
            # The generation row first, as every writer takes it: a content transaction writing
            # meanwhile waits for the rebuild instead of deadlocking with its deletes.
            generation = conn.scalar(_NEXT_GENERATION)
            conn.execute(delete(search_documents))
            conn.execute(delete(search_words))
            count = self._write(conn, counted(), generation)
            conn.execute(
                text(
                    "INSERT INTO search_state (name, value) VALUES ('analyzer_version', :v), ('built_at', :t)"
                    " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"
                ),
                {"v": ANALYZER_VERSION, "t": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
            )
        self._fix_cache.clear()
        return count


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
