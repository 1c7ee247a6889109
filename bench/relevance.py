"""Relevance on judged queries: MRR, hit@1, hit@5, nDCG@10 and zero-result queries, per backend.

The judged set (bench/relevance_queries.yaml) was written from the content: each query names the
documents that answer it, graded 2 (the answer) or 1 (also useful). Queries marked `scope: places`
run as the directory (/places, /api/v1/places) and the map's search box run them.

Usage: python bench/relevance.py [--backend whoosh] [--queries FILE] [--show-misses]
       scripts/with_postgres.sh python bench/relevance.py --backend postgres
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ROOT / "bench" / "relevance_queries.yaml"
BUDGET = {"mrr": 0.85, "hit@5": 0.9}


@dataclass
class Judged:
    query: str
    kind: str
    relevant: dict[str, int]  # "<type>:<id>" → grade
    scope: str = "all"


@dataclass
class Outcome:
    judged: Judged
    ranked: list[str]
    total: int

    @property
    def first_relevant(self) -> int | None:
        for n, key in enumerate(self.ranked, start=1):
            if key in self.judged.relevant:
                return n
        return None


def read_queries(path: Path = QUERIES) -> list[Judged]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Judged(
            query=str(item["q"]),
            kind=item["kind"],
            relevant=dict(item["relevant"]),
            scope=item.get("scope", "all"),
        )
        for item in data
    ]


def ndcg(outcome: Outcome, k: int = 10) -> float:
    gains = [outcome.judged.relevant.get(key, 0) for key in outcome.ranked[:k]]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(outcome.judged.relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def metrics(outcomes: list[Outcome]) -> dict:
    n = len(outcomes) or 1
    firsts = [o.first_relevant for o in outcomes]
    return {
        "queries": len(outcomes),
        "mrr": round(sum(1 / f for f in firsts if f) / n, 3),
        "hit@1": round(sum(1 for f in firsts if f == 1) / n, 3),
        "hit@5": round(sum(1 for f in firsts if f and f <= 5) / n, 3),
        "ndcg@10": round(sum(ndcg(o) for o in outcomes) / n, 3),
        "zero_results": [o.judged.query for o in outcomes if o.total == 0],
    }


def within_budget(m: dict) -> bool:
    return m["mrr"] >= BUDGET["mrr"] and m["hit@5"] >= BUDGET["hit@5"] and not m["zero_results"]


def run_queries(app, judged: list[Judged]) -> list[Outcome]:
    """Run each query as the site runs it (services.run: synonyms, scope, ranking)."""
    from portal.places.models import TYPES
    from portal.search import services
    from portal.search.backend import SearchQuery

    outcomes = []
    with app.test_request_context("/"):
        for j in judged:
            scope = TYPES if j.scope == "places" else ()
            result = services.run(SearchQuery(text=j.query, per_page=10, scope=scope, facets=()))
            ranked = [f"{'place' if h.type == 'place' else h.type}:{h.id}" for h in result.hits]
            outcomes.append(Outcome(judged=j, ranked=ranked, total=result.total))
    return outcomes


def loaded_app(folder: Path, backend: str = "whoosh", url: str | None = None):
    """An app with all of content/ loaded and indexed, on a fresh database: an SQLite file in
    `folder`, or the empty PostgreSQL database `url` (the postgres backend needs one)."""
    from alembic import command

    from portal import create_app, db
    from portal.cli import alembic_config
    from portal.content.loader import load_content
    from portal.search.indexer import rebuild

    os.environ.setdefault("INSTANCE_PATH", str(folder / "instance"))
    url = url or f"sqlite:///{folder / 'portal.db'}"
    command.upgrade(alembic_config(url), "head")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SEARCH_DIR": folder / "search",
            "SEARCH_BACKEND": backend,
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        session = db.session()
        load_content(session, ROOT / "content")
        session.commit()
        rebuild(session, app.extensions["search"])
    return app


def report(outcomes: list[Outcome], show_misses: bool) -> dict:
    out = {"all": metrics(outcomes)}
    for scope in ("all", "places"):
        part = [o for o in outcomes if o.judged.scope == scope]
        out[f"scope {scope}"] = metrics(part)
    for kind in sorted({o.judged.kind for o in outcomes}):
        m = metrics([o for o in outcomes if o.judged.kind == kind])
        out[f"kind {kind}"] = {k: m[k] for k in ("queries", "mrr", "hit@5")}
    if show_misses:
        out["misses"] = [
            f"{o.judged.query} → first relevant at {o.first_relevant}; got {o.ranked[:5]}"
            for o in outcomes
            if o.first_relevant != 1
        ]
    return out


def main() -> None:
    from portal.search.backend import BACKENDS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", choices=BACKENDS)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    judged = read_queries(args.queries)
    ok = True
    for backend in args.backend or BACKENDS:
        url = None
        if backend == "postgres":
            # An empty PostgreSQL database, e.g. from scripts/with_postgres.sh.
            url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
            if not url or not url.startswith("postgresql"):
                parser.error("--backend postgres needs TEST_DATABASE_URL (scripts/with_postgres.sh sets it)")
        with tempfile.TemporaryDirectory() as tmp:
            app = loaded_app(Path(tmp), backend, url)
            out = report(run_queries(app, judged), args.show_misses)
            app.extensions["db_engine"].dispose()
        ok &= within_budget(out["all"])
        print(f"== {backend}")
        print(yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=200))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
