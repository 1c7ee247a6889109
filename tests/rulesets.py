"""Small hand-written rulesets for engine tests, and the real one read from content/."""

from __future__ import annotations

import datetime as dt
from functools import cache

from portal.config import ROOT
from portal.content.loader import read_content
from portal.core.content_files import parse_yaml
from portal.eligibility.rules import Ruleset
from portal.eligibility.schema import FactTypes, read_benefit, read_questions

QUESTIONS = parse_yaml((ROOT / "content" / "eligibility" / "questions.yaml").read_text("utf-8"))
REGIONS = {
    "cn": None,
    "gansu": "cn",
    "gansu-lanzhou": "gansu",
    "gansu-lanzhou-chengguan": "gansu-lanzhou",
    "hebei": "cn",
    "hebei-cangzhou": "hebei",
}
ON = dt.date(2026, 12, 1)


def benefit_data(id_: str = "b", *, region: str = "cn", criteria: list | None = None, **extra) -> dict:
    """A valid benefit definition; override any part."""
    data = {
        "id": id_,
        "name": f"福利{id_}",
        "name_en": f"Benefit {id_}",
        "kind": "grant",
        "issuer": "机关",
        "region": region,
        "summary": "摘要",
        "summary_en": "Summary",
        "basis": [{"policy": None, "document": "某文件", "clause": "第一条"}],
        "amounts": [],
        "verified": False,
        "verified_on": "2026-12-01",
        "source": {"kind": "public", "ref": "test"},
        "conditions": {
            "all": criteria
            if criteria is not None
            else [
                {
                    "id": "company",
                    "text": "企业",
                    "text_en": "A company",
                    "source": "第一条",
                    "fact": "applicant",
                    "is": "company",
                }
            ]
        },
        "cases": [
            {
                "name": "yes",
                "on": "2026-12-01",
                "expect": "eligible",
                "answers": {"applicant": "company", "region": "cn"},
            },
            {
                "name": "no",
                "on": "2026-12-01",
                "expect": "ineligible",
                "answers": {"applicant": "individual", "region": "cn"},
            },
        ],
    }
    data.update(extra)
    return data


def make_ruleset(*benefits: dict, questions: list | None = None) -> Ruleset:
    """A ruleset of the real questions and the given benefit definitions; fails on any problem."""
    qs, problems = read_questions(questions if questions is not None else QUESTIONS, set(REGIONS))
    assert not problems, [p.english() for p in problems]
    facts = FactTypes(qs, set(REGIONS))
    ids = {b["id"] for b in benefits}
    parsed = []
    for data in benefits:
        benefit, problems = read_benefit(data, facts, set(), ids)
        assert benefit is not None, [p.english() for p in problems]
        parsed.append(benefit)
    names = {r: (r, r.title()) for r in REGIONS}
    return Ruleset("test", qs, tuple(parsed), REGIONS, names)


@cache
def content_ruleset() -> Ruleset:
    """The ruleset exactly as content/ defines it (no database)."""
    found = read_content(ROOT / "content")
    regions = {r["id"]: r["parent_id"] for r in found["regions"]}
    names = {r["id"]: (r["name"], r["name_en"]) for r in found["regions"]}
    qs, problems = read_questions(found["questions"], set(regions))
    assert not problems
    facts = FactTypes(qs, set(regions))
    policy_ids = {p["id"] for p in found["policies"]}
    ids = {b["definition"]["id"] for b in found["benefits"]}
    benefits = []
    for item in found["benefits"]:
        benefit, problems = read_benefit(item["definition"], facts, policy_ids, ids)
        assert benefit is not None, [p.english() for p in problems]
        benefits.append(benefit)
    return Ruleset("content", qs, tuple(benefits), regions, names)
