"""Text analysis shared by indexing and querying: NFKC, jieba, lowercase, English stemming."""

from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path

import jieba
from whoosh.analysis import Filter, LowercaseFilter, StopFilter, Token, Tokenizer
from whoosh.lang.porter import stem

# Bump when the user dictionary or the analysis chain changes: the index must then be rebuilt,
# because query and index segmentation have to match.
ANALYZER_VERSION = "1"
USER_DICT = Path(__file__).with_name("userdict.txt")

# English function words plus Chinese particles that carry no meaning on their own.
STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it of on or the to with".split()
    + "的 了 和 与 及 等 之 或".split()
)
_LATIN = re.compile(r"^[a-z]+$")
_lock = threading.Lock()
_ready = False


def init_jieba(cache_dir: Path | None = None) -> None:
    """Load jieba's dictionary and ours once per process (slow, so done at start-up)."""
    global _ready
    with _lock:
        if _ready:
            return
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
    """NFKC-fold full-width letters and digits (ＡＩ → AI) before segmenting."""
    return unicodedata.normalize("NFKC", text)


class JiebaTokenizer(Tokenizer):
    """Segments mixed Chinese/English text with jieba, with ordinal positions."""

    def __init__(self, search_mode: bool = True) -> None:
        self.search_mode = search_mode

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JiebaTokenizer) and other.search_mode == self.search_mode

    def __hash__(self) -> int:
        return hash(("JiebaTokenizer", self.search_mode))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        init_jieba()
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = normalise(value)
        pos = start_pos
        jieba_mode = "search" if self.search_mode else "default"
        for word, start, end in jieba.tokenize(text, mode=jieba_mode):
            word = word.strip()
            if not word or not any(ch.isalnum() for ch in word):
                continue
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class LatinStemFilter(Filter):
    """Porter-stems English words only; Chinese tokens pass through unchanged."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LatinStemFilter)

    def __hash__(self) -> int:
        return hash("LatinStemFilter")

    def __call__(self, tokens):
        for t in tokens:
            if _LATIN.match(t.text):
                t.text = stem(t.text)
            yield t


def index_analyzer():
    """Search-mode segmentation: emits words and their dictionary sub-words (孵化器 → 孵化, 孵化器)."""
    return JiebaTokenizer(search_mode=True) | LowercaseFilter() | StopFilter(
        stoplist=STOP_WORDS, minsize=1) | LatinStemFilter()


def query_terms(text: str) -> list[str]:
    """Precise-mode terms of a query, analysed exactly like indexed text, without duplicates."""
    chain = JiebaTokenizer(search_mode=False) | LowercaseFilter() | StopFilter(
        stoplist=STOP_WORDS, minsize=1) | LatinStemFilter()
    seen: list[str] = []
    for token in chain(text):
        if token.text not in seen:
            seen.append(token.text)
    return seen


def highlight_words(text: str) -> list[str]:
    """Surface forms of a query's words, for marking them in snippets."""
    words = []
    for word in jieba.cut(normalise(text)):
        word = word.strip()
        if word and any(ch.isalnum() for ch in word) and word.lower() not in STOP_WORDS:
            words.append(word)
    return words
