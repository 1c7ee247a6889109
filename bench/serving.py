"""Serving and loading for bench/pages.py: gunicorn started as `make run` starts it, in its own process
group, and wrk driving bench/pages.lua against it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "pages.lua"
CONNECTIONS, THREADS, WORKERS = 16, 2, 2
ACCESS_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3}) ')


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian's package when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing Debian's package `wrk` …")
    if os.geteuid() != 0:
        raise SystemExit("bench/pages.py needs wrk: install it with `sudo apt-get install wrk`.")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"bench/pages.py needs wrk and `{' '.join(cmd)}` failed:\n{done.stderr[-2000:]}")
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench/pages.py needs wrk: apt-get reported success but no wrk is on PATH.")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn started the way `make run` starts it, in its own process group."""

    def __init__(self, name: str, app: str, env: dict, folder: Path, probe: str = "/") -> None:
        self.name, self.port, self.probe = name, free_port(), probe
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"{name}.log"
        env = {**env, "PUBLIC_BASE_URL": self.url, "SECURE_COOKIES": "0", "FLASK_APP": "portal"}
        cmd = [
            str(BIN / "gunicorn"),
            "--preload",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--access-logfile",
            "-",
            app,
        ]
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, path: str = "/", timeout: float = 180) -> None:
        """Until the port answers `path` with a 2xx (the portal loads jieba and its index first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name}: gunicorn exited with {self.proc.returncode}:\n{self.tail()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url + path, timeout=5) as answer:
                if 200 <= answer.status < 300:
                    return
            time.sleep(0.3)
        raise SystemExit(f"{self.name}: no answer on {self.url}{path} after {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def failures_since(self, offset: int) -> list[str]:
        """The most frequent failing requests in the access log written after `offset`."""
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
        bad = Counter(f"{m[2]} {m[1]}" for m in ACCESS_LINE.finditer(text) if int(m[2]) >= 400)
        return [f"{n} × {what}" for what, n in bad.most_common(5)]

    def stop(self) -> None:
        """Stop the whole process group: the master and its workers."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # a worker left behind by its master


def first_requests(server: Server, samples: dict[str, str]) -> dict[str, float]:
    """Send every page type a few times, two at once, so that each worker has loaded what the type
    needs before any measurement; the slowest answer per type, in seconds (what a fresh worker pays)."""

    def fetch(line: str) -> float:
        lang, path = line.split("\t", 1)
        ask = urllib.request.Request(server.url + path, headers={"Cookie": f"lang={lang}"} if lang else {})
        start = time.perf_counter()
        with contextlib.suppress(OSError), urllib.request.urlopen(ask, timeout=120) as answer:
            answer.read()
        return time.perf_counter() - start

    kinds = [kind for kind in samples for _ in range(2 * WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        took = list(pool.map(fetch, [samples[kind] for kind in kinds]))
    slowest: dict[str, float] = {}
    for kind, seconds in zip(kinds, took, strict=True):
        slowest[kind] = round(max(slowest.get(kind, 0.0), seconds), 2)
    return slowest


def run_wrk(wrk: str, server: Server, requests: Path, seconds: float) -> dict:
    """One wrk run over a request list; the figures bench/pages.lua prints."""
    cmd = [
        wrk,
        "-t",
        str(THREADS),
        "-c",
        str(CONNECTIONS),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        server.url,
        "--",
        str(requests),
        str(THREADS),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH-JSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    raw = json.loads(line.removeprefix("BENCH-JSON "))
    answered = raw["cache_hits"] + raw["cache_misses"]
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "requests": raw["requests"],
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "status_errors": raw["status_errors"],
        "socket_errors": sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")),
        "cache_hit_rate": round(raw["cache_hits"] / answered, 3) if answered else None,
    }
