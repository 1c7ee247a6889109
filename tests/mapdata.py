"""The base map build (boundary layers and the division list) that "near" and the map read."""

from __future__ import annotations

import fcntl
from pathlib import Path

from portal.config import ROOT
from portal.places.basemap import build, covered_codes


def ensure_built(out: Path) -> Path:
    """Build when missing or stale (about a minute); `make test` has done it (`flask map build`).
    A lock beside the folder keeps two test processes (pytest-xdist) from writing it at once."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build(out, covered_codes(ROOT / "content"))
    return out
