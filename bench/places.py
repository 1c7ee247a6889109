"""Directory and map performance with synthetic places spread over the real regions.

Measures, in one run and against a baseline in the same process:
  * GET /api/v1/places.geojson for 5 000 places (whole map, and a city-sized bbox), beside a bare
    `json.dumps` of the same rows read with sqlite3 (the floor any implementation pays);
  * directory search (GET /api/v1/places?q=…) at 10 000 places, beside the same request with no
    words (facets and paging only);
  * optionally (--browser), the map page in Debian's Chromium with 5 000 places: time until
    every marker is clustered and drawn, and the time a pan takes to settle.

Directory search is also reported in the process's CPU time (steadier on a loaded machine);
`--profile PATH` writes a cProfile of its requests, `--skip-geojson` leaves the GeoJSON part out.

Usage: python bench/places.py [--browser] [--skip-geojson] [--profile PATH]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402

from bench.timing import cpu_timed, summary, timed  # noqa: E402
from portal import create_app, db  # noqa: E402
from portal.cli import alembic_config  # noqa: E402
from portal.content.loader import load_content, read_content  # noqa: E402
from portal.places.models import Place  # noqa: E402
from portal.search.indexer import rebuild  # noqa: E402

WORDS = ["众创空间", "孵化器", "加速器", "科技园", "创新中心", "公共服务平台", "产业园", "天使基金"]
QUERIES = ["众创空间", "孵化器", "chaihuo", "创新中心 软件", "incubator", "fund", "柴火空间", "nanshan"]


def make_app(tmp: Path, places: int):
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
            # The uncached path is what is measured: without this, repeats are page-cache hits.
            "PAGE_CACHE_SIZE": 0,
        }
    )
    real = read_content(ROOT / "content")["places"]
    regions = [r for r in read_content(ROOT / "content")["regions"] if r.get("lat")]
    rng = random.Random(11)
    with app.app_context():
        session = db.session()
        load_content(session, ROOT / "content")
        for i in range(places - len(real)):
            region = rng.choice(regions)
            template = rng.choice(real)
            session.add(
                Place(
                    id=f"synthetic-{i}",
                    type=template["type"],
                    name=f"{template['name']}{rng.choice(WORDS)}{i}",
                    name_en=template["name_en"],
                    aliases=[],
                    region_id=region["id"],
                    level=template["level"],
                    industries=template["industries"],
                    services=template["services"],
                    description=template["description"],
                    description_en=template["description_en"],
                    lat=region["lat"] + rng.uniform(-0.3, 0.3),
                    lon=region["lon"] + rng.uniform(-0.3, 0.3),
                    geo_precision="street",
                    status="active",
                    source_ref="synthetic",
                    verified=False,
                )
            )
        session.commit()
        rebuild(session, app.extensions["search"])
    return app, tmp / "bench.db"


def geojson_bench(repeat: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-geo-"))
    app, path = make_app(tmp, 5000)
    client = app.test_client()
    count = len(client.get("/api/v1/places.geojson").get_json()["features"])
    # Each URL once before timing, as the whole map was just now: the first answer of a filter
    # pays for building what is kept per content version (reported apart).
    first = summary(timed(lambda: client.get("/api/v1/places.geojson?type=incubator"), 1))
    client.get("/api/v1/places.geojson?bbox=113.6,22.3,114.3,22.8")
    conn = sqlite3.connect(path)

    def floor():
        rows = conn.execute(
            "SELECT id, type, name, name_en, lat, lon, geo_precision, level, region_id "
            "FROM places WHERE lat IS NOT NULL"
        ).fetchall()
        json.dumps(
            [{"id": r[0], "type": r[1], "name": r[2], "coordinates": [r[5], r[4]]} for r in rows],
            ensure_ascii=False,
        )

    return {
        "places_on_map": count,
        "geojson_all": summary(timed(lambda: client.get("/api/v1/places.geojson"), repeat)),
        "geojson_city_bbox": summary(
            timed(lambda: client.get("/api/v1/places.geojson?bbox=113.6,22.3,114.3,22.8"), repeat)
        ),
        "geojson_with_filter": summary(
            timed(lambda: client.get("/api/v1/places.geojson?type=incubator"), repeat)
        ),
        "geojson_with_filter_first": first,
        "baseline_sqlite_json_dumps": summary(timed(floor, repeat)),
    }


def search_bench(repeat: int, profile: Path | None = None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-dir-"))
    app, _ = make_app(tmp, 10_000)
    client = app.test_client()

    def ask(q: str):
        response = client.get("/api/v1/places", query_string={"q": q})
        assert response.status_code == 200, (q, response.status_code)

    for q in QUERIES:  # warm-up: caches filled, searchers opened
        ask(q)
    words = [ms for q in QUERIES for ms in timed(lambda q=q: ask(q), repeat)]
    cpu = [ms for q in QUERIES for ms in cpu_timed(lambda q=q: ask(q), repeat)]
    browse = timed(lambda: client.get("/api/v1/places"), repeat * len(QUERIES))
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [ask(q) for q in QUERIES for _ in range(repeat)])
        profiler.dump_stats(profile)
    return {
        "places": 10_000,
        "directory_search": summary(words),
        "directory_search_cpu": summary(cpu),
        "baseline_browse_no_words": summary(browse),
    }


def browser_bench(repeat: int) -> dict:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    tmp = Path(tempfile.mkdtemp(prefix="bench-map-"))
    app, _ = make_app(tmp, 5000)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/map"
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    loads, pans = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#map[data-loaded='1']")
            loads.append((time.perf_counter() - start) * 1000)
            pan = page.evaluate("""() => new Promise(resolve => {
                const t0 = performance.now();
                requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
            })""")
            pans.append(pan)
            page.close()
        browser.close()
    server.shutdown()
    return {"places": 5000, "map_ready": summary(loads), "frame_after_ready": summary(pans)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--skip-geojson", action="store_true")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the directory searches here")
    args = parser.parse_args()
    result = {} if args.skip_geojson else {"geojson_5000": geojson_bench(args.repeat)}
    result["directory_10000"] = search_bench(args.repeat, args.profile)
    if args.browser:
        result["map_page_5000"] = browser_bench(5)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
