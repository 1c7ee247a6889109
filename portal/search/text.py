"""Text analysis shared by every search backend: plain functions, no search-engine classes.

Indexing and querying go through the same `normalise` (full-width → half-width, traditional →
simplified, lower case, English spelling variants) and the same jieba segmentation, so a backend
only has to store and look up the words these functions return.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jieba
from pypinyin import lazy_pinyin

# Bump when the user dictionary or the analysis changes: the index must then be rebuilt,
# because query and index segmentation have to match.
ANALYZER_VERSION = "2"
USER_DICT = Path(__file__).with_name("userdict.txt")

# English function words, Chinese particles and the words of a question ("有什么…吗"), which
# carry no meaning a document could match.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from how i in into is it of on or the to what which who with"
    " do does my we our".split()
    + "的 了 和 与 及 等 之 或 有 什么 吗 呢 吧 啊 怎么 怎样 如何 哪些 哪里 哪个 可以 能 能否 是否 请问 "
    "我 我们 想 要 需要 在 是 都 给 对 去 就".split()
)
# Spellings of one English term, folded to one form before segmenting ("maker space" → makerspace).
VARIANTS = (
    (re.compile(r"\bmaker[\s-]+spaces?\b"), "makerspace"),
    (re.compile(r"\bco[\s-]+working\b"), "coworking"),
    (re.compile(r"\bstart[\s-]+ups?\b"), "startup"),
    (re.compile(r"\be[\s-]+commerce\b"), "ecommerce"),
    (re.compile(r"\bincubation\b"), "incubator"),
    (re.compile(r"\bsci[\s-]*tech\b"), "technology"),
    (re.compile(r"\br\s*&\s*d\b"), "rd"),
)
_LATIN = re.compile(r"^[a-z]+$")
_lock = threading.Lock()
_ready = False
_converter = None


def init(cache_dir: Path | None = None) -> None:
    """Load jieba's dictionary, ours and OpenCC's once per process (slow, so done at start-up)."""
    global _ready, _converter
    with _lock:
        if _ready:
            return
        from opencc_purepy import OpenCC

        _converter = OpenCC("t2s")
        jieba.setLogLevel(60)
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            # Keep jieba's 9 MB dictionary cache in our instance folder, not a shared /tmp.
            jieba.dt.tmp_dir = str(cache_dir)
        jieba.initialize()
        for line in USER_DICT.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 else None
            jieba.add_word(parts[0], freq=freq, tag=parts[2] if len(parts) > 2 else None)
        _ready = True


def normalise(text: str) -> str:
    """Fold what people type into one form: ＡＩ → ai, 創業擔保 → 创业担保, maker space → makerspace."""
    init()
    text = unicodedata.normalize("NFKC", text).lower()
    if any(ord(ch) > 0x2E80 for ch in text):
        text = _converter.convert(text)
    for pattern, replacement in VARIANTS:
        text = pattern.sub(replacement, text)
    return text


def _stem(word: str) -> str:
    from whoosh.lang.porter import stem  # a pure function; any backend may use it

    return stem(word) if _LATIN.match(word) else word


def _keep(word: str) -> bool:
    return bool(word) and any(ch.isalnum() for ch in word) and word not in STOP_WORDS


@dataclass
class Token:
    """One indexed word and where it sits in the normalised text."""

    text: str
    position: int
    start: int
    end: int


def index_tokens(text: str) -> Iterator[Token]:
    """Words of a text to index: every word and its dictionary sub-words (孵化器 → 孵化, 孵化器),
    so a query for a part finds the whole."""
    init()
    position = 0
    for word, start, end in jieba.tokenize(normalise(text), mode="search"):
        word = word.strip()
        if _keep(word):
            yield Token(_stem(word), position, start, end)
            position += 1


def query_words(text: str) -> list[str]:
    """A query's words in precise segmentation (each compound kept whole), without duplicates."""
    init()
    seen: list[str] = []
    for word in jieba.cut(normalise(text)):
        word = word.strip()
        if _keep(word):
            word = _stem(word)
            if word not in seen:
                seen.append(word)
    return seen


def sub_words(word: str) -> list[str]:
    """A compound's smaller dictionary words, the fewest that cover it (个人所得税 → 个人, 所得税);
    at most one part may be a lone character (创新 券); otherwise empty (众创空间: 众 创 空间)."""
    if len(word) < 3 or word.isascii():
        return []
    init()
    n = len(word)
    # best[i]: (cost, parts) covering word[:i]; a dictionary word costs 1, a lone character 3.
    best: list[tuple[int, list[str]]] = [(0, [])] + [(10**6, [])] * n
    for i in range(n):
        for j in range(i + 1, n + 1):
            if j - i == n:
                continue
            piece = word[i:j]
            cost = 1 if j - i > 1 and jieba.get_FREQ(piece) else 3 if j - i == 1 else None
            if cost is not None and best[i][0] + cost <= best[j][0]:
                best[j] = (best[i][0] + cost, best[i][1] + [piece])
    parts = best[n][1]
    if sum(len(p) == 1 for p in parts) > 1:
        return []  # lone characters (众 创 空间) would match far too much
    parts = [p for p in parts if p not in STOP_WORDS]
    return parts if parts and parts != [word] else []


def highlight_words(text: str) -> list[str]:
    """Surface forms of a query's words, for marking them in snippets."""
    init()
    words = []
    for word in jieba.cut(normalise(text)):
        word = word.strip()
        if word and any(ch.isalnum() for ch in word) and word.lower() not in STOP_WORDS:
            words.append(word)
    return words


def exact_form(text: str) -> str:
    """A name reduced to letters and digits, for "the query is this title" comparisons."""
    return "".join(ch for ch in normalise(text) if ch.isalnum())


def pinyin_forms(name: str, whole: bool = True) -> str:
    """Ways people type a Chinese name in Latin letters: per word and per part of a compound
    (chuangye danbao daikuan), whole (chaihuokongjian) and initials (chkj), so `chaihuo` finds 柴火空间."""
    init()
    text = normalise(name)
    words = [w for w in jieba.cut(text) if w.strip() and not w.isascii()]
    parts = [w for w in jieba.cut_for_search(text) if w.strip() and not w.isascii()]
    forms = ["".join(lazy_pinyin(w)) for w in dict.fromkeys(parts + words)]
    if whole and len("".join(words)) > 1:
        syllables = lazy_pinyin("".join(words))
        forms += ["".join(syllables), "".join(s[0] for s in syllables if s and s[0].isalpha())]
    return " ".join(f for f in forms if f and f.isascii() and f.isalpha())
