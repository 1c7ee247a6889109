"""Server time of a page-cache hit and of a 304, beside a bare Flask "hello", in-process.

All of content/ is loaded and indexed (as bench/render.py does, but with the page cache on); each
page is asked once to fill the cache, then timed as a hit (`X-Cache: HIT` checked on every answer)
and as a conditional request answered 304, beside a trivial Flask route timed the same way in the
same run: wall-clock time, and the process's CPU time (steadier on a loaded machine).
`--profile PATH` also writes a cProfile of the hits of every page.

Usage: python bench/hits.py [--repeat N] [--profile PATH]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402

from bench.render import cpu_timed, make_app  # noqa: E402
from bench.timing import summary, timed  # noqa: E402

PAGES = ["/policies", "/search?q=创业担保贷款", "/api/v1/policies", "/places?type=incubator", "/"]


def hit(client, url: str):
    response = client.get(url)
    assert response.status_code == 200 and response.headers.get("X-Cache") == "HIT", (url, response.headers)


def not_modified(client, url: str, etag: str):
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304, (url, response.status_code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    app = make_app(Path(tempfile.mkdtemp(prefix="bench-hits-")), page_cache=2000)
    client = app.test_client()
    out = {}
    for url in PAGES:
        etag = client.get(url).headers["ETag"]  # fills the cache
        for _ in range(20):  # warm-up
            hit(client, url)
        out[url] = {
            "hit": summary(timed(lambda url=url: hit(client, url), args.repeat), 2),
            "hit_cpu": summary(cpu_timed(lambda url=url: hit(client, url), args.repeat), 2),
            "304": summary(timed(lambda url=url, etag=etag: not_modified(client, url, etag), args.repeat), 2),
        }
    hello_app = Flask("hello")
    hello_app.add_url_rule("/", "hello", lambda: "hello")
    hello = hello_app.test_client()
    out["baseline_flask_hello"] = {
        "wall": summary(timed(lambda: hello.get("/"), args.repeat), 2),
        "cpu": summary(cpu_timed(lambda: hello.get("/"), args.repeat), 2),
    }
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [hit(client, url) for _ in range(args.repeat) for url in PAGES])
        profiler.dump_stats(args.profile)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
