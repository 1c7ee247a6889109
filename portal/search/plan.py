"""What a query asks for, as words with their alternatives: the same for every backend.

A query is a list of groups, one per word the visitor typed; a document matches a group when it
has any of the group's alternatives, and an alternative when it has every one of its slots (a slot
is satisfied by any of its terms). Alternatives carry a weight: the word as typed weighs most, the
official terms from the synonym list a little less, a compound's smaller words least.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from portal.search.text import query_words, sub_words

SYNONYM_WEIGHT = 0.8
SUB_WORD_WEIGHT = 0.4
FUZZY_WEIGHT = 0.5  # an indexed word one typo away from a word found nowhere
MAX_FIXES = 3
COMMON = 20  # a compound in this many documents is searched without its smaller words


@dataclass(frozen=True)
class Alternative:
    slots: tuple[tuple[str, ...], ...]
    weight: float


@dataclass(frozen=True)
class Group:
    word: str
    alternatives: tuple[Alternative, ...]


Synonyms = Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]]


def analyse_synonyms(entries: Mapping[str, tuple[str, ...]]) -> dict:
    """Everyday word → official terms, both analysed like queries (keys as word tuples)."""
    out: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for word, terms in entries.items():
        key = tuple(query_words(word))
        # A target holding the word itself ("在校大学生" for 大学生) finds nothing the word does not.
        targets = tuple(
            t
            for t in (tuple(query_words(term)) for term in terms)
            if t and t != key and not set(key) <= set(t)
        )
        if key and targets:
            out[key] = tuple(dict.fromkeys(out.get(key, ()) + targets))
    return out


def _single(word: str, synonyms: Synonyms) -> tuple[str, ...]:
    """A word and its one-word synonyms, as one slot."""
    extra = [t[0] for t in synonyms.get((word,), ()) if len(t) == 1]
    return tuple(dict.fromkeys([word, *extra]))


def _group(words: tuple[str, ...], synonyms: Synonyms) -> Group:
    alts = [Alternative(tuple((w,) for w in words), 1.0)]
    alts += [Alternative(tuple((w,) for w in target), SYNONYM_WEIGHT) for target in synonyms.get(words, ())]
    if len(words) == 1:
        parts = sub_words(words[0])
        if parts:
            alts.append(Alternative(tuple(_single(p, synonyms) for p in parts), SUB_WORD_WEIGHT))
    return Group(word="".join(words), alternatives=tuple(dict.fromkeys(alts)))


def plan(text: str, synonyms: Synonyms | None = None) -> list[Group]:
    """The groups of a query; a run of words that is a synonym key ("开 公司") becomes one group."""
    synonyms = synonyms or {}
    words = query_words(text)
    longest = max((len(k) for k in synonyms), default=1)
    groups: list[Group] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            span = tuple(words[i : i + n])
            if n == 1 or span in synonyms:
                groups.append(_group(span, synonyms))
                i += n
                break
    return groups


_SYLLABLE = re.compile(
    r"^(?:(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou"
    r"|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v))+$"
)


def _pinyin_like(word: str) -> bool:
    """Whether a Latin word could be pinyin syllables (kongjian yes, voucher no)."""
    return word.isascii() and word.isalpha() and bool(_SYLLABLE.match(word))


def join_pinyin(groups: list[Group], known) -> list[Group]:
    """Pinyin typed with spaces ("zhongchuang kongjian") may be one indexed word: two adjacent
    one-word groups whose joined form the index knows become one group matching either."""
    out: list[Group] = []
    i = 0
    while i < len(groups):
        a = groups[i]
        b = groups[i + 1] if i + 1 < len(groups) else None
        if (
            b is not None
            and len(a.alternatives[0].slots) == 1
            and len(b.alternatives[0].slots) == 1
            and _pinyin_like(a.word)
            and _pinyin_like(b.word)
            and known(a.word + b.word)
        ):
            both = Alternative((a.alternatives[0].slots[0], b.alternatives[0].slots[0]), 1.0)
            joined = Alternative(((a.word + b.word,),), 1.0)
            out.append(Group(word=a.word + b.word, alternatives=(both, joined)))
            i += 2
        else:
            out.append(a)
            i += 1
    return out


def weighted_terms(groups: list[Group]) -> dict[str, float]:
    """Every term of a plan with the weight of the best alternative it appears in (for scoring)."""
    out: dict[str, float] = {}
    for group in groups:
        for alt in group.alternatives:
            for slot in alt.slots:
                for term in slot:
                    out[term] = max(out.get(term, 0.0), alt.weight)
    return out


def terms(groups: list[Group]) -> list[str]:
    """The words as typed, for highlighting and for the result's `terms`."""
    return [slot[0] for g in groups for slot in g.alternatives[0].slots]


def fitted(groups: list[Group], known, frequency, fixes) -> list[Group]:
    """The plan fitted to an index's words, the same for every backend: pinyin typed apart joined, a
    common compound without its parts, and a word found nowhere given `fixes(word)` (the words one
    typo away, 创新卷 → 创新券) at a lower weight. `known`, `frequency` and `fixes` ask the index."""
    out = []
    for group in join_pinyin(groups, known):
        exact = group.alternatives[0]
        if len(exact.slots) == 1 and frequency(exact.slots[0][0]) >= COMMON:
            # The compound itself is common: its parts would only add a tail nobody pages to.
            group = Group(
                word=group.word,
                alternatives=tuple(a for a in group.alternatives if a.weight != SUB_WORD_WEIGHT),
            )
        if any(all(any(known(t) for t in slot) for slot in alt.slots) for alt in group.alternatives):
            out.append(group)
            continue
        found: list[str] = []
        for slot in group.alternatives[0].slots:
            if len(slot[0]) > 1 and not any(known(t) for t in slot):
                found += fixes(slot[0])
        extra = tuple(Alternative(((t,),), FUZZY_WEIGHT) for t in dict.fromkeys(found))
        out.append(Group(word=group.word, alternatives=group.alternatives + extra))
    return out
