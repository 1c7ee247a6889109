"""Server time of the public list pages without any page cache, beside a bare Flask "hello".

All of content/ is loaded and indexed; every page type is asked with a set of varied query strings
(words in Chinese and English, filters, sorts, later pages) through the Flask test client, after a
warm-up, and reported as p50/p95 beside a trivial Flask route timed the same way in the same run:
wall-clock time, and the process's CPU time (steadier on a machine other work is loading).
Detail pages (a policy, a place, a wizard question, the home page and the API's detail answers)
are asked over a spread of real ids, and each page type also reports the SQL statements a request
runs (median). `--only` limits the run to some page types; `--profile PATH` also writes a cProfile
of one page type's requests (`--page`, /policies by default).

Usage: python bench/render.py [--repeat N] [--only /,/policies/<id>] [--profile PATH [--page /search]]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench.timing import cpu_timed, summary, timed  # noqa: E402
from portal import create_app, db  # noqa: E402
from portal.cli import alembic_config  # noqa: E402
from portal.content.loader import load_content  # noqa: E402
from portal.search.indexer import rebuild  # noqa: E402

PAGES = {
    "/policies": [
        "",
        "q=创业担保贷款",
        "q=tax+relief",
        "level=national",
        "category=tax_relief&sort=newest",
        "q=补贴&page=2",
        "status=in_force&year=2023",
        "q=人才&level=provincial",
        "sort=title&page=3",
        "q=innovation+voucher",
    ],
    "/search": [
        "q=创业担保贷款",
        "q=众创空间",
        "q=tax+relief",
        "q=创新券",
        "q=人才&type=policy",
        "q=incubator",
        "q=补贴&page=2",
        "q=大学生+创业",
        "q=loan&level=national",
        "q=孵化器&type=incubator",
    ],
    "/places": [
        "",
        "q=众创空间",
        "q=incubator",
        "type=incubator",
        "near=兰州+城关区",
        "q=fund&sort=title",
        "page=2",
        "q=nanshan",
        "open=1&type=makerspace",
        "q=柴火空间",
    ],
    "/map": ["", "q=孵化器", "type=incubator", "near=兰州+城关区"],
}


def make_app(tmp: Path, page_cache: int = 0):
    os.environ["INSTANCE_PATH"] = str(tmp / "instance")
    url = f"sqlite:///{tmp / 'bench.db'}"
    command.upgrade(alembic_config(url), "head")
    app = create_app(
        {
            "DATABASE_URL": url,
            "SEARCH_DIR": tmp / "search",
            "SECRET_KEY": "bench",
            "PUBLISHING_SCHEDULER": "cron",
            "PUBLIC_BASE_URL": "http://localhost",
            # The uncached path is what is measured here: with a cache, repeats are page-cache hits.
            "PAGE_CACHE_SIZE": page_cache,
        }
    )
    with app.app_context():
        session = db.session()
        load_content(session, ROOT / "content")
        session.commit()
        rebuild(session, app.extensions["search"])
    return app


def results_queries(app) -> list[str]:
    """Query strings of realistic wizard answers: the fullest answer sets of the YAML cases."""
    from portal.eligibility import services
    from portal.eligibility.answers import to_query

    with app.app_context():
        rules = services.ruleset(db.session())
    answers = sorted((case.answers for b in rules.benefits for case in b.cases), key=len, reverse=True)
    with app.test_request_context():
        return ["&".join(f"{k}={v}" for k, v in to_query(a, rules)) for a in answers[:10]]


def detail_urls(app) -> dict[str, list[str]]:
    """Whole paths of the detail page types, over a spread of the loaded ids (longest bodies too)."""
    from sqlalchemy import func, select

    from portal.eligibility import services, wizard
    from portal.places.models import Place
    from portal.policies.models import Policy

    def spread(ids: list[str], n: int = 10) -> list[str]:
        return [ids[i * len(ids) // n] for i in range(min(n, len(ids)))]

    with app.app_context():
        session = db.session()
        by_length = select(Policy.id).where(Policy.publication_state == "published")
        policies = list(session.scalars(by_length.order_by(func.length(Policy.body).desc(), Policy.id)))
        places = list(
            session.scalars(select(Place.id).where(Place.publication_state == "published").order_by(Place.id))
        )
        rules = services.ruleset(session)
        case = max((c.answers for b in rules.benefits for c in b.cases), key=len)
    policy_ids = policies[:3] + spread(policies[3:], 7)  # the three longest texts, then a spread
    with app.test_request_context():
        questions = [wizard.question_url(q, {}, rules) for q in rules.questions[:5]]
        questions += [wizard.question_url(q, case, rules) for q in rules.questions[:5]]
    benefits = spread([b.id for b in rules.benefits])
    return {
        "/": ["/"],
        "/policies/<id>": [f"/policies/{i}" for i in policy_ids],
        "/places/<id>": [f"/places/{i}" for i in spread(places)],
        "/eligibility/questions/<id>": questions,
        "/api/v1/policies/<id>": [f"/api/v1/policies/{i}" for i in spread(policies)],
        "/api/v1/benefits/<id>": [f"/api/v1/benefits/{i}" for i in benefits],
        "/api/v1/benefits": ["/api/v1/benefits", "/api/v1/benefits?kind=grant", "/api/v1/benefits?region=cn"],
        "/api/v1/regions": ["/api/v1/regions"],
        "/api/v1/eligibility/questions": ["/api/v1/eligibility/questions"],
    }


class StatementCounter:
    """SQL statements the app's engine runs, counted per request."""

    def __init__(self, app) -> None:
        self.count = 0
        event.listen(app.extensions["db_engine"], "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def per_request(self, client, urls: list[str]) -> int:
        """Median statements of one request to each of `urls`."""
        counts = []
        for url in urls:
            before = self.count
            client.get(url)
            counts.append(self.count - before)
        return sorted(counts)[len(counts) // 2]


def measure(client, path: str, queries: list[str], repeat: int, timer=timed) -> list[float]:
    for q in queries:  # warm-up: templates compiled, caches filled, searchers opened
        response = client.get(f"{path}?{q}")
        assert response.status_code == 200, (path, q, response.status_code)
    return [
        ms for _ in range(repeat) for q in queries for ms in timer(lambda q=q: client.get(f"{path}?{q}"), 1)
    ]


def measure_urls(client, urls: list[str], repeat: int, timer=timed) -> list[float]:
    """Like `measure`, for page types asked by whole paths (detail pages)."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return [ms for _ in range(repeat) for url in urls for ms in timer(lambda url=url: client.get(url), 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--page", default="/policies")
    parser.add_argument("--only", help="comma-separated page types to measure (default: all)")
    args = parser.parse_args()
    app = make_app(Path(tempfile.mkdtemp(prefix="bench-render-")))
    client = app.test_client()
    pages = {**PAGES, "/eligibility/results": results_queries(app)}
    details = detail_urls(app)
    only = set(args.only.split(",")) if args.only else None
    if args.page not in {**pages, **details} or (only and only - {*pages, *details}):
        parser.error(f"page types: {', '.join([*pages, *details])}")
    statements = StatementCounter(app)
    out = {}
    for path, queries in pages.items():
        if only and path not in only:
            continue
        samples = measure(client, path, queries, args.repeat)
        cpu = measure(client, path, queries, args.repeat, cpu_timed)
        sql = statements.per_request(client, [f"{path}?{q}" for q in queries])
        out[path] = {"n": len(samples), "wall": summary(samples), "cpu": summary(cpu), "statements": sql}
    for kind, urls in details.items():
        if only and kind not in only:
            continue
        samples = measure_urls(client, urls, args.repeat)
        cpu = measure_urls(client, urls, args.repeat, cpu_timed)
        sql = statements.per_request(client, urls)
        out[kind] = {"n": len(samples), "wall": summary(samples), "cpu": summary(cpu), "statements": sql}
    hello_app = Flask("hello")
    hello_app.add_url_rule("/", "hello", lambda: "hello")
    hello = hello_app.test_client()
    n = args.repeat * 10
    out["baseline_flask_hello"] = {
        "n": n,
        "wall": summary(timed(lambda: hello.get("/"), n), 2),
        "cpu": summary(cpu_timed(lambda: hello.get("/"), n), 2),
    }
    if args.profile:
        profiler = cProfile.Profile()
        if args.page in details:
            profiler.runcall(measure_urls, client, details[args.page], args.repeat)
        else:
            profiler.runcall(measure, client, args.page, pages[args.page], args.repeat)
        profiler.dump_stats(args.profile)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
