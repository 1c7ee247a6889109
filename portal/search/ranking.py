"""Ordering scored matches: exact names first, then relevance times the document's own signals.

Pure functions over plain values, so every backend ranks the same way (README: "How search ranks").
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.search.plan import SUB_WORD_WEIGHT, Group

# Words that say the visitor wants money, a tax cut or a service, not a plan that mentions one.
BENEFIT_WORDS = (
    "补贴",
    "补助",
    "资助",
    "奖励",
    "奖补",
    "贷款",
    "贴息",
    "担保",
    "减免",
    "免征",
    "减半",
    "扣除",
    "抵扣",
    "税",
    "券",
    "优惠",
    "公寓",
    "住房",
    "融资",
    "离岗",
    "休学",
    "subsidi",
    "subsidy",
    "grant",
    "loan",
    "tax",
    "deduct",
    "voucher",
    "exempt",
    "reward",
    "fund",
    "apartment",
    "hous",
)
BENEFIT_LIFT = 1.8  # a benefit, when the query names one
GUIDE_LIFT = 1.3  # a policy with an application guide, when the query names a benefit
CONTAINS_LIFT = 1.5  # the whole query appears in the title
EXACT = 1_000_000.0  # the query is the title or name: always first


@dataclass
class Candidate:
    """A scored match with the signals ranking needs."""

    key: str
    score: float
    names: tuple[str, ...] = ()  # exact forms (text.exact_form) of its title, names, document number
    prior: float = 1.0  # status, freshness, confirmed listing (set when indexing)
    guide: bool = False  # a benefit, or a policy with an application guide
    type: str = ""


def names_benefit(groups: list[Group]) -> bool:
    """Whether any word of the query (or its synonyms) names a kind of benefit."""
    for group in groups:
        for alt in group.alternatives:
            if alt.weight < SUB_WORD_WEIGHT * 2:
                continue  # a compound's parts say less than the compound
            for slot in alt.slots:
                if any(w in term for term in slot for w in BENEFIT_WORDS):
                    return True
    return False


def final_score(c: Candidate, exact_query: str, wants_benefit: bool) -> float:
    score = c.score * c.prior
    if wants_benefit:
        if c.type == "benefit":
            score *= BENEFIT_LIFT
        elif c.guide:
            score *= GUIDE_LIFT
    if exact_query and len(exact_query) > 1:
        if exact_query in c.names:
            return score + EXACT
        if any(exact_query in n for n in c.names):
            score *= CONTAINS_LIFT
    return score


def rank(candidates: list[Candidate], groups: list[Group], exact_query: str) -> list[Candidate]:
    """Candidates in final order (ties by key, so pages are stable)."""
    wants = names_benefit(groups)
    scored = [(final_score(c, exact_query, wants), c) for c in candidates]
    scored.sort(key=lambda sc: (-sc[0], sc[1].key))
    for s, c in scored:
        c.score = s
    return [c for _, c in scored]
