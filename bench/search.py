"""Search latency at 10 000 and 100 000 documents: the portal's Whoosh and PostgreSQL backends
against an SQLite FTS5 baseline fed the same jieba segmentation, in the same run.

Documents are made from the real library: sentences of the policy texts and English summaries,
recombined with random regions, levels, categories and years (fixed seed, so runs compare).
Each query is timed as the API runs it: top 20, exact total and the facet counts.

The PostgreSQL backend runs on the server TEST_DATABASE_URL names (a database per size is created
and dropped); without one the script starts itself again under scripts/with_postgres.sh, which
starts a throw-away cluster. `--backends` chooses the portal's backends (the FTS5 baseline always
runs): `--backends postgres` leaves out Whoosh, whose 100 000-document build takes half an hour
on a busy machine; `--no-postgres` is `--backends whoosh`.

Usage: python bench/search.py [--sizes 10000,100000] [--repeat 5] [--backends whoosh,postgres]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import jieba
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.content.loader import read_content  # noqa: E402
from portal.search import text as analysis  # noqa: E402
from portal.search.backend import FACET_FIELDS, IndexDoc, SearchQuery  # noqa: E402
from portal.search.plan import analyse_synonyms  # noqa: E402
from portal.search.whoosh_backend import WhooshBackend  # noqa: E402

QUERIES = [
    "众创空间",
    "孵化器 房租补贴",
    "创业担保贷款",
    "科技成果转化",
    "知识产权 质押",
    "高新技术企业 税收",
    "人才 公寓",
    "大学生 创业",
    "天使投资 基金",
    "政务服务 一站式",
    "innovation voucher",
    "incubator rent subsidy",
    "guaranteed loan",
    "high-tech enterprise tax",
    "technology transfer",
    "talent housing",
]


def corpus() -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Sentences, English sentences, titles, region ids and category ids from content/."""
    found = read_content(ROOT / "content")
    regions, categories, policies = found["regions"], found["categories"], found["policies"]
    zh, en, titles = [], [], []
    for p in policies:
        titles.append(p["title"])
        for s in re.split(r"[。；\n]", p["body"] + "\n" + p["summary"]):
            s = re.sub(r"[#>*|`\-]+", "", s).strip()
            if 8 <= len(s) <= 160:
                zh.append(s + "。")
        for s in re.split(r"(?<=\.)\s+", p["summary_en"] or ""):
            if 20 <= len(s) <= 300:
                en.append(s)
    return zh, en, titles, [r["id"] for r in regions], [c["id"] for c in categories]


def make_documents(n: int, seed: int = 7) -> list[IndexDoc]:
    zh, en, titles, region_ids, category_ids = corpus()
    parents: dict[str, str | None] = {}
    for r in read_content(ROOT / "content")["regions"]:
        parents[r["id"]] = r["parent_id"]
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        region = rng.choice(region_ids)
        chain = []
        while region:
            chain.append(region)
            region = parents.get(region)
        year = rng.randint(2010, 2026)
        title = rng.choice(titles)[: rng.randint(8, 30)] + rng.choice(zh)[:10]
        text = "\n".join(rng.sample(zh, rng.randint(2, 5)) + rng.sample(en, rng.randint(0, 2)))
        docs.append(
            IndexDoc(
                key=f"{rng.choice(['policy', 'policy', 'place', 'benefit'])}:{i}",
                type="policy",
                title=title,
                text=text,
                regions=tuple(chain),
                level=rng.choice(["national", "provincial", "city", "district"]),
                categories=tuple(rng.sample(category_ids, rng.randint(1, 3))),
                year=str(year),
                status=rng.choice(["in_force", "in_force", "expired", "unknown"]),
                date_ordinal=year * 400,
                sort_title=title,
            )
        )
    return docs


def memoise_jieba() -> None:
    """Cache jieba per line while building (identical tokens: jieba splits at line ends anyway)."""
    original = jieba.tokenize

    @functools.lru_cache(maxsize=200_000)
    def line_tokens(line: str, mode: str) -> tuple:
        return tuple(original(line, mode=mode))

    def tokenize(text: str, mode: str = "default", HMM: bool = True):  # noqa: N803
        offset = 0
        for line in text.split("\n"):
            for word, start, end in line_tokens(line, mode):
                yield word, start + offset, end + offset
            offset += len(line) + 1

    jieba.tokenize = tokenize
    return original


def build_fts(docs: list[IndexDoc], path: Path) -> sqlite3.Connection:
    """Baseline: FTS5 over the same jieba segmentation, facets in a plain table."""
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='unicode61')")
    db.execute(
        "CREATE TABLE meta (rowid INTEGER PRIMARY KEY, key TEXT, type TEXT, level TEXT, "
        "year TEXT, status TEXT)"
    )
    db.execute("CREATE TABLE doc_region (rowid INTEGER, region TEXT)")
    db.execute("CREATE TABLE doc_category (rowid INTEGER, category TEXT)")

    def segment(value: str) -> str:
        return " ".join(t.text for t in analysis.index_tokens(value))

    for i, d in enumerate(docs, start=1):
        db.execute(
            "INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)", (i, segment(d.title), segment(d.text))
        )
        db.execute(
            "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)", (i, d.key, d.type, d.level, d.year, d.status)
        )
        db.executemany("INSERT INTO doc_region VALUES (?, ?)", [(i, r) for r in d.regions])
        db.executemany("INSERT INTO doc_category VALUES (?, ?)", [(i, c) for c in d.categories])
    db.execute("CREATE INDEX doc_region_rowid ON doc_region(rowid)")
    db.execute("CREATE INDEX doc_category_rowid ON doc_category(rowid)")
    db.commit()
    return db


def fts_search(db: sqlite3.Connection, text: str) -> tuple[list[str], int, dict]:
    terms = analysis.query_words(text)
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
    top = [
        r[0]
        for r in db.execute(
            "SELECT meta.key FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE docs MATCH ? "
            "ORDER BY bm25(docs, 3.0, 1.0) LIMIT 20",
            (match,),
        )
    ]
    db.execute("DROP TABLE IF EXISTS temp.hits")
    db.execute("CREATE TEMP TABLE hits AS SELECT rowid FROM docs WHERE docs MATCH ?", (match,))
    total = db.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
    facets = {}
    for name in ("type", "level", "year", "status"):
        facets[name] = dict(
            db.execute(
                f"SELECT {name}, count(*) FROM meta JOIN temp.hits h ON h.rowid = meta.rowid "  # noqa: S608
                f"GROUP BY {name}"
            )
        )
    facets["region"] = dict(
        db.execute(
            "SELECT region, count(*) FROM doc_region JOIN temp.hits h ON h.rowid = doc_region.rowid "
            "GROUP BY region"
        )
    )
    facets["category"] = dict(
        db.execute(
            "SELECT category, count(*) FROM doc_category JOIN temp.hits h "
            "ON h.rowid = doc_category.rowid GROUP BY category"
        )
    )
    return top, total, facets


def timed(engines: dict, repeat: int) -> dict[str, list[float]]:
    """Milliseconds per query for each engine, taking turns query by query: a change in the
    machine's load falls on every engine alike, so their ratios hold on a shared machine."""
    samples: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(repeat):
        for q in QUERIES:
            for name, fn in engines.items():
                start = time.perf_counter()
                fn(q)
                samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def postgres_database(server: str, size: int):
    """A new database on `server` for one size, and a function that drops it."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"bench_{size}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop(engine) -> None:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


def build_postgres(docs: list[IndexDoc], server: str, size: int):
    """The portal's PostgreSQL backend on a fresh database, analysed as after a deployment's rebuild."""
    from portal.db import make_engine
    from portal.search.postgres_backend import PostgresBackend, install_schema

    url, drop = postgres_database(server, size)
    engine = make_engine(url)
    install_schema(engine)
    backend = PostgresBackend(engine)
    backend.rebuild(docs)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE search_documents")
        conn.exec_driver_sql("VACUUM ANALYZE search_words")
    return backend, lambda: drop(engine)


BACKENDS = ("whoosh", "postgres")  # the portal's; the FTS5 baseline always runs beside them


def run(size: int, repeat: int, server: str | None, backends: tuple[str, ...] = ("whoosh",)) -> dict:
    """Build every index asked for over the same documents and time the same queries on each."""
    docs = make_documents(size)
    work = Path(tempfile.mkdtemp(prefix=f"bench-{size}-"))
    original = memoise_jieba()
    search = {}  # backend name → (search function, build seconds)
    if "whoosh" in backends:
        t0 = time.perf_counter()
        whoosh = WhooshBackend(work / "whoosh")
        whoosh.rebuild(docs)
        search["whoosh"] = (whoosh.search, time.perf_counter() - t0)
    t0 = time.perf_counter()
    fts = build_fts(docs, work / "fts.db")
    fts_build = time.perf_counter() - t0
    drop_pg = None
    if "postgres" in backends and server:
        t0 = time.perf_counter()
        pg, drop_pg = build_postgres(docs, server, size)
        search["postgres"] = (pg.search, time.perf_counter() - t0)
    jieba.tokenize = original

    # The synonym list is applied to every query, as the site does.
    entries = yaml.safe_load((ROOT / "content" / "synonyms.yaml").read_text(encoding="utf-8"))
    synonyms = analyse_synonyms({e["word"]: tuple(e["terms"]) for e in entries})

    def query(name: str):
        def ask(q: str):
            return search[name][0](SearchQuery(text=q, per_page=20, facets=FACET_FIELDS, synonyms=synonyms))

        return ask

    for q in QUERIES:  # warm every engine (first searcher, page cache, connection pool)
        fts_search(fts, q)
        for name in search:
            query(name)(q)
    totals = {name: {q: query(name)(q).total for q in QUERIES} for name in search}
    samples = timed({"fts5_baseline": lambda q: fts_search(fts, q)} | {n: query(n) for n in search}, repeat)
    f = samples["fts5_baseline"]
    out: dict = {"documents": size}
    for name in search:
        out[name] = {
            "p50_ms": round(pct(samples[name], 50), 1),
            "p95_ms": round(pct(samples[name], 95), 1),
            "build_s": round(search[name][1], 1),
        }
    out["fts5_baseline"] = {
        "p50_ms": round(pct(f, 50), 1),
        "p95_ms": round(pct(f, 95), 1),
        "build_s": round(fts_build, 1),
    }
    if search:
        # Whoosh's totals when it ran (the reference), else the PostgreSQL backend's.
        matches = totals.get("whoosh") or totals["postgres"]
        out["median_matches_per_query"] = int(statistics.median(matches.values()))
        out["max_matches_per_query"] = max(matches.values())
    if "whoosh" in totals and "postgres" in totals:
        out["postgres"]["same_totals_as_whoosh"] = sum(
            totals["postgres"][q] == totals["whoosh"][q] for q in QUERIES
        )
    if drop_pg:
        drop_pg()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--backends",
        default=",".join(BACKENDS),
        help="The portal's backends to build and time, of whoosh,postgres (the FTS5 baseline always runs).",
    )
    parser.add_argument("--no-postgres", action="store_true", help="Leave the PostgreSQL backend out.")
    args = parser.parse_args()
    backends = tuple(b.strip() for b in args.backends.split(",") if b.strip() and b.strip() != "fts5")
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        parser.error(f"--backends: unknown {', '.join(unknown)} (choose from whoosh, postgres, fts5)")
    if args.no_postgres:
        backends = tuple(b for b in backends if b != "postgres")
    server = os.environ.get("TEST_DATABASE_URL") if "postgres" in backends else None
    if "postgres" in backends and not server:
        # Start again under a throw-away PostgreSQL cluster (installed from Debian when missing).
        script = ROOT / "scripts" / "with_postgres.sh"
        sys.exit(subprocess.call([str(script), sys.executable, *sys.argv]))
    analysis.init()
    results = []
    for size in args.sizes.split(","):
        results.append(run(int(size), args.repeat, server, backends))
        print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)  # as each ends
    print(
        json.dumps(
            {
                "queries": len(QUERIES),
                "repeat": args.repeat,
                "backends": ["fts5_baseline", *backends],
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
