"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time


def timed(fn, repeat: int) -> list[float]:
    """Milliseconds each of `repeat` calls of `fn` took."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def cpu_timed(fn, repeat: int) -> list[float]:
    """Milliseconds of this process's CPU time each of `repeat` calls of `fn` took."""
    out = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        out.append((time.process_time() - start) * 1000)
    return out


def summary(samples: list[float], digits: int = 1) -> dict:
    """Median and 95th percentile of millisecond samples."""
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), digits),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * (len(ordered) - 1) + 0.5))], digits),
    }
