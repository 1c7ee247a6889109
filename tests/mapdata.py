"""The base map build (boundary layers and the division list) that "near" and the map read."""

from __future__ import annotations

from pathlib import Path

from portal.config import ROOT
from portal.places.basemap import build, covered_codes


def ensure_built(out: Path) -> Path:
    """Build when missing or stale (about a minute); `make test` has done it (`flask map build`)."""
    build(out, covered_codes(ROOT / "content"))
    return out
