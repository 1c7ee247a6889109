"""Page throughput of the portal served as `make run` serves it (gunicorn, --preload, 2 workers),
beside a bare Flask "hello" and a 50-item Jinja page served the same way, in the same run.

wrk (16 connections, 2 threads) drives bench/pages.lua over request lists from bench/workload.py:
a mixed workload (home, lists with filters, search in Chinese and English, policy and place pages,
the map and its GeoJSON, wizard questions and results, API calls), cold (page cache off:
PAGE_CACHE_SIZE=0) and warm (the default, then one file store shared by both workers:
PAGE_CACHE_TYPE=filesystem), then every page type alone with the cache off. Each run
reports requests/s as a share of the hello ceiling, p50/p95/p99 latency, errors and the page-cache
hit rate (the X-Cache response header, when the portal sends it).

Databases: the embedded default (SQLite + Whoosh) always; PostgreSQL too with --postgres or when
TEST_DATABASE_URL is set (scripts/with_postgres.sh sets it): a fresh database on that server, with
SEARCH_BACKEND=postgres when the portal has that backend, else Whoosh.

Usage: python bench/pages.py [--duration 15] [--postgres] [--no-sqlite] [--types home,policy]
                             [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import workload  # noqa: E402
from bench.serving import (  # noqa: E402
    BIN,
    CONNECTIONS,
    THREADS,
    WORKERS,
    Server,
    ensure_wrk,
    first_requests,
    log,
    run_wrk,
)

MIXED_BUDGET, TYPE_BUDGET = 0.25, 0.10  # shares of the hello ceiling
LIST_SIZE = 20_000  # requests per list; long enough that a fast run rarely walks it twice
PROBE = "/static/favicon.svg"  # a cheap portal request (no database, no template)


class Bench:
    """Runs and collects every measurement of one invocation."""

    def __init__(self, args, folder: Path) -> None:
        self.args, self.folder = args, folder
        self.wrk = ensure_wrk()
        self.rows: list[dict] = []
        self.servers: list[Server] = []
        self.first: dict[str, dict[str, float]] = {}

    def start(self, name: str, app: str, env: dict, probe: str = "/") -> Server:
        server = Server(name, app, env, self.folder, probe)
        self.servers.append(server)
        server.wait_ready("/")
        return server

    def stop(self, server: Server) -> None:
        server.stop()
        self.servers.remove(server)

    def stop_all(self) -> None:
        for server in list(self.servers):
            self.stop(server)

    def measure(
        self,
        label: str,
        server: Server,
        requests: Path,
        warmup: Path | None = None,
        warmup_seconds: float | None = None,
        **extra,
    ) -> dict:
        """Warm up (figures dropped), then one measured run; failing requests named from the log."""
        seconds = self.args.warmup if warmup_seconds is None else warmup_seconds
        if seconds > 0:
            run_wrk(self.wrk, server, warmup or requests, seconds)
        # The requests wrk left in the listen queue are still answered; a cheap request queued
        # behind them returns once they are done, so the measured run starts on an idle server.
        server.wait_ready(server.probe)
        offset = server.log_size()
        row = {"run": label, **extra, **run_wrk(self.wrk, server, requests, self.args.duration)}
        if row["status_errors"] or row["socket_errors"]:
            row["failing"] = server.failures_since(offset)
        self.rows.append(row)
        log(
            f"  {label}: {row['rps']} req/s, p95 {row['p95_ms']:.0f} ms, "
            f"errors {row['status_errors']}/{row['socket_errors']}"
            + (f", hit rate {row['cache_hit_rate']:.0%}" if row["cache_hit_rate"] is not None else "")
        )
        for failing in row.get("failing", []):
            log(f"    {failing}")
        return row

    def baselines(self, label: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "INSTANCE_PATH")}
        single = self.folder / "root.txt"
        single.write_text("\t/\n")
        for name, app in (("hello", "bench.baselines.hello:app"), ("jinja50", "bench.baselines.jinja50:app")):
            if name == "jinja50" and label != "start":
                continue
            server = self.start(name, app, env)
            self.measure(f"{name} ({label})" if name == "hello" else name, server, single, kind=name)
            self.stop(server)

    def portal(self, database: str) -> None:
        """Prepare an instance on `database` and measure it cold, warm and per page type."""
        env, backend, cleanup = prepare(database, self.folder)
        try:
            facts = read_facts(env)
            lists = self.folder / f"lists-{database}"
            lists.mkdir()
            mixed = workload.write_list(lists / "mixed.txt", facts, workload.SHARES, LIST_SIZE, seed=11)
            workload.write_list(lists / "mixed-warmup.txt", facts, workload.SHARES, LIST_SIZE, seed=12)
            log(
                f"{database}: search backend {backend}; mixed list: {mixed['requests']} requests, "
                f"{mixed['distinct']} distinct"
            )
            tag = {"database": database, "search": backend}
            samples = workload.samples(facts)
            cold = self.start(f"portal-{database}-cold", "wsgi:app", {**env, "PAGE_CACHE_SIZE": "0"}, PROBE)
            self.first[database] = first_requests(cold, samples)
            log(f"{database}: slowest first requests (s): {self.first[database]}")
            self.measure(
                f"{database}: mixed, cold (PAGE_CACHE_SIZE=0)",
                cold,
                lists / "mixed.txt",
                lists / "mixed-warmup.txt",
                kind="mixed",
                **tag,
                distinct=mixed["distinct"],
            )
            for kind in self.args.types:
                one = lists / f"{kind}.txt"
                workload.write_list(one, facts, {kind: 1}, LIST_SIZE // 4, seed=21)
                workload.write_list(lists / f"{kind}-warmup.txt", facts, {kind: 1}, LIST_SIZE // 4, seed=22)
                self.measure(
                    f"{database}: {kind}, uncached",
                    cold,
                    one,
                    lists / f"{kind}-warmup.txt",
                    kind="type",
                    type=kind,
                    **tag,
                )
            self.stop(cold)
            env.pop("PAGE_CACHE_SIZE", None)
            stores = {
                "default cache": {},
                # One store for both workers (files under the instance), beside the per-worker default.
                "PAGE_CACHE_TYPE=filesystem": {
                    "PAGE_CACHE_TYPE": "filesystem",
                    "PAGE_CACHE_DIR": str(self.folder / f"page-cache-{database}"),
                },
            }
            for store, extra in stores.items():
                warm = self.start(f"portal-{database}-warm-{len(extra)}", "wsgi:app", {**env, **extra}, PROBE)
                first_requests(warm, samples)
                # Warm: the page cache has first seen as much traffic of the same mix as is measured.
                self.measure(
                    f"{database}: mixed, warm ({store})",
                    warm,
                    lists / "mixed.txt",
                    lists / "mixed-warmup.txt",
                    max(self.args.warmup, self.args.duration),
                    kind="mixed",
                    **tag,
                    distinct=mixed["distinct"],
                )
                self.stop(warm)
        finally:
            self.stop_all()
            cleanup()


def prepare(database: str, folder: Path):
    """A fresh instance (migrated, content loaded, index built); its environment, search backend and
    a clean-up callable."""
    from portal.search.backend import BACKENDS

    instance = folder / f"instance-{database}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGE_CACHE_") and k != "SEARCH_DIR"}
    env.update({"INSTANCE_PATH": str(instance), "FLASK_APP": "portal", "SEARCH_BACKEND": "whoosh"})
    cleanup = lambda: None  # noqa: E731
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{instance / 'portal.db'}"
    else:
        env["DATABASE_URL"], cleanup = fresh_postgres(os.environ["TEST_DATABASE_URL"])
        if "postgres" in BACKENDS:
            env["SEARCH_BACKEND"] = "postgres"
    log(f"{database}: migrating and loading content into {instance} …")
    for step in (["db", "upgrade"], ["content", "load"]):
        done = subprocess.run(
            [str(BIN / "flask"), *step], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            cleanup()
            raise SystemExit(
                f"flask {' '.join(step)} failed on {database}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
            )
    return env, env["SEARCH_BACKEND"], cleanup


def fresh_postgres(server_url: str):
    """A new, empty database on the server of `server_url`, and a callable that drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_pages_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


def read_facts(env: dict) -> workload.Facts:
    """Read ids and answer sets through the portal itself, configured as the served instance."""
    from portal import create_app

    saved = dict(os.environ)
    names = ("INSTANCE_PATH", "DATABASE_URL", "SEARCH_BACKEND")
    os.environ.update({k: v for k, v in env.items() if k in names})
    try:
        app = create_app({"PUBLISHING_SCHEDULER": "cron", "SEARCH_INDEXER": "worker", "TESTING": False})
        return workload.read_facts(app)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def ensure_built() -> None:
    """The base map ("near" needs its division list) and compiled translations, as `make run` has them."""
    steps = []
    if not (ROOT / "build" / "map" / "divisions.json").exists() and "MAP_DATA_DIR" not in os.environ:
        steps.append([str(BIN / "flask"), "map", "build"])
    if not list((ROOT / "translations").glob("*/LC_MESSAGES/messages.mo")):
        steps.append([str(BIN / "pybabel"), "compile", "-d", "translations"])
    for cmd in steps:
        log(f"running {' '.join(cmd[-3:])} …")
        subprocess.run(
            cmd, cwd=ROOT, env={**os.environ, "FLASK_APP": "portal"}, check=True, stdout=subprocess.DEVNULL
        )


def budget(row: dict) -> str:
    """Whether a run meets its budget; a fast error is no answer, so any error fails it."""
    limit = {"mixed": MIXED_BUDGET, "type": TYPE_BUDGET}.get(row["kind"])
    if limit is None:
        return ""
    share = row.get("of_hello")
    ok = share is not None and share >= limit and not row["status_errors"] + row["socket_errors"]
    return f"≥ {limit:.0%}, 0 errors: {'met' if ok else 'not met'}"


def report(rows: list[dict]) -> str:
    """The figures as a Markdown table, shares of the mean of the hello runs."""
    hello = [r["rps"] for r in rows if r["kind"] == "hello"]
    ceiling = sum(hello) / len(hello) if hello else None
    lines = [
        "| run | req/s | of hello | p50 | p95 | p99 | errors (HTTP / socket) | cache hits | budget |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        row["of_hello"] = round(row["rps"] / ceiling, 4) if ceiling else None
        hits = "—" if row["cache_hit_rate"] is None else f"{row['cache_hit_rate']:.0%}"
        share = "" if row["of_hello"] is None else f"{row['of_hello']:.1%}"
        lines.append(
            f"| {row['run']} | {row['rps']:,.1f} | {share} | {row['p50_ms']:.1f} ms | "
            f"{row['p95_ms']:.1f} ms | {row['p99_ms']:.1f} ms | {row['status_errors']} / "
            f"{row['socket_errors']} | {hits} | {budget(row)} |"
        )
    return "\n".join(lines)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=15, help="seconds per measured run (default 15)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured load before each run")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also on PostgreSQL (TEST_DATABASE_URL's server, else scripts/with_postgres.sh)",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="skip the embedded default")
    parser.add_argument(
        "--types",
        default=",".join(workload.SHARES),
        help="page types measured alone (comma-separated; empty: none)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, lists)")
    args = parser.parse_args()
    args.types = [t for t in args.types.split(",") if t]
    unknown = sorted(set(args.types) - set(workload.SHARES))
    if unknown:
        parser.error(f"--types: unknown {', '.join(unknown)} (known: {', '.join(workload.SHARES)})")
    return args


def main() -> int:
    args = parse_args()
    if args.postgres and not os.environ.get("TEST_DATABASE_URL"):
        log("--postgres: starting a throw-away PostgreSQL server with scripts/with_postgres.sh")
        script = str(ROOT / "scripts" / "with_postgres.sh")
        os.execv(script, [script, sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]])
    databases = [] if args.no_sqlite else ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL"):
        databases.append("postgres")
    # Ctrl-C and a plain kill both stop the servers (SIGINT may arrive ignored from a background shell).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    ensure_built()
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    bench = Bench(args, folder)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()
    try:
        bench.baselines("start")
        for database in databases:
            bench.portal(database)
        bench.baselines("end")
    except KeyboardInterrupt:
        log("interrupted: stopping the servers")
        return 130
    finally:
        bench.stop_all()
        if args.keep:
            log(f"logs and request lists kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    table = report(bench.rows)
    print(
        f"{started}; {os.cpu_count()} CPUs, load average {load[0]:.2f} at the start; gunicorn "
        f"{WORKERS} workers; wrk {CONNECTIONS} connections, {THREADS} threads, {args.duration:g} s per run"
    )
    print(table)
    for row in bench.rows:
        if row.get("failing"):
            print(f"failing in {row['run']}: " + "; ".join(row["failing"]))
    for database, slowest in bench.first.items():
        print(
            f"{database}: slowest first request per page type in a fresh worker (s): "
            + ", ".join(f"{kind} {seconds:g}" for kind, seconds in slowest.items())
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "started": started,
                    "load_average": load,
                    "runs": bench.rows,
                    "first_requests_s": bench.first,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
