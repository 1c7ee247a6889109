"""The mixed workload of bench/pages.py: page types, their share of the traffic, and request lists made
from what the loaded database holds.

A request list is a file of `lang<TAB>path` lines that bench/pages.lua walks in order (lang "en" is
sent as the language cookie; empty: the default, Chinese). Popular pages and queries are picked
with a skew towards the head, so they repeat as on a real portal, and a share of every type is a
distinct query (free words, filter combinations, map views, answer sets) that repeats rarely.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

# Share of the mixed workload in percent, per page type; every type is also measured alone.
SHARES: dict[str, int] = {
    "home": 8,
    "policies": 12,
    "search_zh": 8,
    "search_en": 5,
    "policy": 12,
    "place": 8,
    "places": 7,
    "places_near": 4,
    "map": 3,
    "geojson": 6,
    "wizard": 7,
    "results": 7,
    "api": 13,
}
ENGLISH_SHARE = 0.2  # visitors who chose English (sent as the language cookie)
POPULAR_ZH = [
    "创业担保贷款",
    "众创空间",
    "孵化器 房租补贴",
    "科技成果转化",
    "知识产权 质押",
    "高新技术企业 税收",
    "大学生 创业",
    "人才 公寓",
    "天使投资 基金",
    "创新券",
    "政务服务 一站式",
    "贷款贴息",
    "退役军人 创业",
    "返乡创业",
    "研发费用 加计扣除",
    "专利",
    "留学人员",
    "小微企业",
    "孵化基地",
    "众创空间 认定",
]
KEYWORDS_ZH = [
    "补贴",
    "贷款",
    "税收",
    "孵化",
    "人才",
    "专利",
    "融资",
    "场地",
    "认定",
    "奖励",
    "申报",
    "创业",
    "科技",
    "高校毕业生",
    "农民工",
    "残疾人",
    "担保",
    "贴息",
    "基金",
    "园区",
    "服务",
    "培训",
]
POPULAR_EN = [
    "guaranteed loan",
    "innovation voucher",
    "incubator rent subsidy",
    "high-tech enterprise tax",
    "technology transfer",
    "talent housing",
    "makerspace",
    "angel investment",
    "patent",
    "startup",
]
KEYWORDS_EN = [
    "loan",
    "subsidy",
    "tax",
    "incubator",
    "talent",
    "patent",
    "financing",
    "space",
    "graduate",
    "veteran",
    "fund",
    "park",
    "registration",
    "interest",
    "rent",
    "training",
    "research",
    "award",
]


@dataclass
class Facts:
    """What the loaded database holds that URLs are made of."""

    policies: list[str]
    places: list[str]
    regions: list[tuple[str, str, str, float | None, float | None]]  # id, name, level, lat, lon
    categories: list[str]
    years: list[str]
    statuses: list[str]
    place_types: list[str]
    industries: list[str]
    services: list[str]
    results: list[str] = field(default_factory=list)  # /eligibility/results?… for each answer set
    questions: list[str] = field(default_factory=list)  # question pages on the way to those answers
    benefits: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)  # place names "near" finds one point for


def read_facts(app) -> Facts:
    """Ids, filter values and wizard answer sets from the portal's database."""
    from sqlalchemy import text

    from portal import db
    from portal.eligibility import services, wizard
    from portal.places import near, taxonomy

    with app.test_request_context():
        session = db.session()

        def column(sql: str) -> list[str]:
            return [str(r[0]) for r in session.execute(text(sql)) if r[0] is not None]

        rules = services.ruleset(session)
        today = dt.date.today()
        results, questions = [], []
        for benefit in rules.benefits:
            for case in benefit.cases:
                results.append(wizard.results_url(case.answers, rules))
                trail = wizard.path(case.answers, rules, today)
                for n, q in enumerate(trail):
                    before = {k: v for k, v in case.answers.items() if k in {t.id for t in trail[:n]}}
                    questions.append(wizard.question_url(q, before, rules))
                    questions.append(wizard.question_url(q, case.answers, rules))  # "change" links
        named = session.execute(
            text(
                "SELECT r.name, p.name FROM regions r LEFT JOIN regions p ON p.id = r.parent_id "
                "WHERE r.level IN ('city', 'district') ORDER BY r.id"
            )
        )
        found = [
            n
            for name, parent in named
            for n in (name, (parent or "") + name)
            if isinstance(near.resolve(session, n, app.config["MAP_DATA_DIR"]), near.Point)
        ]
        facts = Facts(
            policies=column("SELECT id FROM policies WHERE publication_state = 'published' ORDER BY id"),
            places=column("SELECT id FROM places WHERE publication_state = 'published' ORDER BY id"),
            regions=[
                tuple(r)
                for r in session.execute(
                    text(
                        "SELECT id, name, level, lat, lon FROM regions WHERE level <> 'national' ORDER BY id"
                    )
                )
            ],
            categories=column("SELECT id FROM categories ORDER BY id"),
            years=sorted({y[:4] for y in column("SELECT issued_on FROM policies")}),
            statuses=column("SELECT DISTINCT status FROM policies ORDER BY status"),
            place_types=column("SELECT DISTINCT type FROM places ORDER BY type"),
            industries=sorted(taxonomy.industries()),
            services=sorted(taxonomy.services()),
            results=results,
            questions=sorted(set(questions)),
            benefits=[b.id for b in rules.benefits],
            near=found,
        )
        session.rollback()
    return facts


def _skewed(rng: random.Random, items: list):
    """An item, the first ones far more often (about half the picks fall in the first tenth)."""
    return items[min(len(items) - 1, int(len(items) * rng.random() ** 3))]


def _qs(pairs: list[tuple[str, str]]) -> str:
    return ("?" + urlencode(pairs, quote_via=quote)) if pairs else ""


class Maker:
    """Builds the URL of one request of a given page type."""

    def __init__(self, facts: Facts, seed: int) -> None:
        self.f = facts
        self.rng = random.Random(seed)
        shuffle = random.Random(1)  # the same popular items in every list, whatever the seed
        self.policy_ids = shuffle.sample(facts.policies, len(facts.policies))
        self.place_ids = shuffle.sample(facts.places, len(facts.places))
        self.result_urls = shuffle.sample(facts.results, len(facts.results))
        self.question_urls = shuffle.sample(facts.questions, len(facts.questions))
        self.named = shuffle.sample(facts.near, len(facts.near))
        self.located = [r for r in facts.regions if r[3] is not None and r[4] is not None]
        self.makers: dict[str, Callable[[], str]] = {name: getattr(self, name) for name in SHARES}

    def lang(self, kind: str) -> str:
        if kind == "search_en":
            return "en"
        if kind == "search_zh":
            return ""
        return "en" if self.rng.random() < ENGLISH_SHARE else ""

    def words_zh(self) -> str:
        if self.rng.random() < 0.6:
            return _skewed(self.rng, POPULAR_ZH)
        first = self.rng.choice([r[1] for r in self.f.regions] + KEYWORDS_ZH)
        return f"{first} {self.rng.choice(KEYWORDS_ZH)}"

    def words_en(self) -> str:
        if self.rng.random() < 0.6:
            return _skewed(self.rng, POPULAR_EN)
        return " ".join(self.rng.sample(KEYWORDS_EN, 2))

    def home(self) -> str:
        return "/"

    def policy_filters(self) -> list[tuple[str, str]]:
        rng, f = self.rng, self.f
        options = [
            ("level", ["national", "provincial", "city", "district"]),
            ("region", [r[0] for r in f.regions]),
            ("category", f.categories),
            ("year", f.years),
            ("status", f.statuses),
        ]
        chosen = rng.sample(options, rng.choice((0, 1, 1, 2)))
        pairs = [(name, _skewed(rng, values)) for name, values in chosen]
        if rng.random() < 0.2:
            pairs.append(("q", self.words_zh()))
        if rng.random() < 0.15:
            pairs.append(("sort", "newest"))
        if rng.random() < 0.15:
            pairs.append(("page", "2"))
        return pairs

    def policies(self) -> str:
        return "/policies" + _qs(self.policy_filters())

    def search_zh(self) -> str:
        pairs = [("q", self.words_zh())]
        if self.rng.random() < 0.1:
            pairs.append(("page", "2"))
        return "/search" + _qs(pairs)

    def search_en(self) -> str:
        return "/search" + _qs([("q", self.words_en())])

    def policy(self) -> str:
        return f"/policies/{quote(_skewed(self.rng, self.policy_ids))}"

    def place(self) -> str:
        return f"/places/{quote(_skewed(self.rng, self.place_ids))}"

    def place_filters(self) -> list[tuple[str, str]]:
        rng, f = self.rng, self.f
        options = [
            ("type", f.place_types),
            ("region", [r[0] for r in f.regions]),
            ("industry", f.industries),
            ("service", f.services),
            ("desks", ["free"]),
        ]
        chosen = rng.sample(options, rng.choice((0, 1, 1, 2)))
        pairs = [(name, _skewed(rng, values)) for name, values in chosen]
        if rng.random() < 0.25:
            pairs.append(("q", self.words_zh()))
        return pairs

    def places(self) -> str:
        pairs = self.place_filters()
        if self.rng.random() < 0.1:
            pairs.append(("page", "2"))
        return "/places" + _qs(pairs)

    def places_near(self) -> str:
        pairs = [("near", _skewed(self.rng, self.named))]
        if self.rng.random() < 0.3:
            pairs.append(("type", self.rng.choice(self.f.place_types)))
        return "/places" + _qs(pairs)

    def map(self) -> str:
        pairs = [("type", _skewed(self.rng, self.f.place_types))] if self.rng.random() < 0.3 else []
        return "/map" + _qs(pairs)

    def geojson(self) -> str:
        """What the map loads: everything (or its filters) first, then the view after a pan or zoom."""
        rng = self.rng
        pairs = [("type", _skewed(rng, self.f.place_types))] if rng.random() < 0.3 else []
        if rng.random() < 0.5:
            _id, _name, _level, lat, lon = _skewed(rng, self.located)
            half = rng.choice((0.05, 0.2, 0.5, 1.5))
            lat, lon = lat + rng.uniform(-half, half) / 2, lon + rng.uniform(-half, half) / 2
            box = (lon - half, lat - half, lon + half, lat + half)
            pairs.append(("bbox", ",".join(f"{v:.5f}" for v in box)))
        return "/api/v1/places.geojson" + _qs(pairs)

    def wizard(self) -> str:
        return _skewed(self.rng, self.question_urls)

    def results(self) -> str:
        return _skewed(self.rng, self.result_urls)

    def api(self) -> str:
        rng = self.rng
        pick = rng.random()
        if pick < 0.3:
            return "/api/v1/search" + _qs([("q", self.words_zh() if rng.random() < 0.7 else self.words_en())])
        if pick < 0.5:
            return "/api/v1/policies" + _qs([p for p in self.policy_filters() if p[0] != "sort"])
        if pick < 0.65:
            pairs = self.place_filters()
            if rng.random() < 0.3:
                pairs.append(("near", _skewed(rng, self.named)))
            return "/api/v1/places" + _qs(pairs)
        if pick < 0.85:
            return f"/api/v1/policies/{quote(_skewed(rng, self.policy_ids))}"
        if pick < 0.92:
            return f"/api/v1/benefits/{quote(_skewed(rng, self.f.benefits))}"
        return rng.choice(["/api/v1/benefits", "/api/v1/regions", "/api/v1/eligibility/questions"])

    def request(self, kind: str) -> str:
        return f"{self.lang(kind)}\t{self.makers[kind]()}"


def samples(facts: Facts, seed: int = 5) -> dict[str, str]:
    """One request of every page type (lang<TAB>path), to load what each type needs in every worker."""
    maker = Maker(facts, seed)
    return {kind: maker.request(kind) for kind in SHARES}


def write_list(path: Path, facts: Facts, kinds: dict[str, int], count: int, seed: int) -> dict:
    """Write `count` requests drawn from `kinds` (type: weight); returns how many are distinct."""
    maker = Maker(facts, seed)
    names, weights = list(kinds), list(kinds.values())
    lines = [maker.request(kind) for kind in maker.rng.choices(names, weights, k=count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"requests": count, "distinct": len(set(lines))}
