"""Highlighted snippets cut around the first matching word, from text prepared when indexing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markupsafe import Markup, escape

from portal.search.text import highlight_words

# What a snippet is cut from, in three parts prepared (plain_text, _fold) when a document is indexed:
# the lead (a summary or description), the lead in English, and the rest (a policy's body).
Parts = tuple[str, str, str]


@lru_cache(maxsize=512)
def _query_pattern(query: str) -> re.Pattern[str] | None:
    """The highlight pattern of a query, segmented once per query rather than once per result."""
    return _pattern(highlight_words(query)) if query.strip() else None


def _pattern(words: list[str]) -> re.Pattern[str] | None:
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        if re.fullmatch(r"[A-Za-z]+", word) and len(word) > 4:
            # English: match other forms of the word (subsidy / subsidies) by its first letters.
            parts.append(re.escape(word[: max(4, len(word) - 2)]) + r"[a-z]*")
        else:
            parts.append(re.escape(word))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def plain_text(markdown_text: str) -> str:
    """Strip Markdown punctuation so snippets read as prose."""
    text = re.sub(r"^[#>\-*\s]+", "", markdown_text, flags=re.MULTILINE)
    text = re.sub(r"[*_`|]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+")


def _fold(text: str) -> str:
    """Fold full-width letters and digits only: Chinese punctuation (，。：；（）) stays as written."""
    return FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a cut that falls inside an English word to the nearest space, so no word is cut."""
    if (
        0 < start < len(text)
        and text[start - 1].isascii()
        and text[start - 1].isalnum()
        and text[start].isascii()
        and text[start].isalnum()
    ):
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    if (
        0 < end < len(text)
        and text[end - 1].isascii()
        and text[end - 1].isalnum()
        and text[end].isascii()
        and text[end].isalnum()
    ):
        space = text.rfind(" ", max(start, end - 20), end)
        end = space if space != -1 else end
    return start, end


def _in_page_language(out: Markup) -> Markup:
    """Mark the other language's words with lang (only while rendering a page in a known language)."""
    from flask import has_request_context

    from portal.core.langspan import mark_foreign
    from portal.i18n import current_language

    return mark_foreign(out, current_language()) if has_request_context() else out


def prepare(text: str) -> str:
    """Text as snippets are cut from it: Markdown punctuation gone, full-width letters folded."""
    return _fold(plain_text(text or ""))


def prepare_parts(lead: str | None, lead_en: str | None, rest: str | None = "") -> Parts:
    """The three prepared parts of a document's snippet text (done at index time, not per result)."""
    return prepare(lead or ""), prepare(lead_en or ""), prepare(rest or "")


def parts_text(parts: Parts, language: str) -> str:
    """The prepared text for a page in `language`: the lead in that language first when there is one."""
    lead, lead_en, rest = parts
    first = lead_en if language == "en" and lead_en else lead
    return " ".join(p for p in (first, lead_en, rest) if p)


def snippet(text: str, query: str, width: int = 120) -> Markup:
    """Return about `width` characters of `text` around the first query word, with <mark>s."""
    return _in_page_language(_cut(prepare(text), query, width))


def snippet_from_parts(parts: Parts, query: str, language: str, width: int = 120) -> Markup:
    """`snippet` over text prepared at index time (no Markdown stripping or folding per result)."""
    return _in_page_language(_cut(parts_text(parts, language), query, width))


def _cut(text: str, query: str, width: int) -> Markup:
    pattern = _query_pattern(query)
    match = pattern.search(text) if pattern else None
    if match is None:
        _start, end = _word_edges(text, 0, min(len(text), width))
        return escape(text[:end]) + ("…" if len(text) > end else "")
    start, end = _word_edges(
        text, max(0, match.start() - width // 3), min(len(text), max(0, match.start() - width // 3) + width)
    )
    piece = text[start:end]
    out = Markup("…") if start > 0 else Markup("")
    last = 0
    for m in pattern.finditer(piece):
        out += escape(piece[last : m.start()]) + Markup("<mark>") + escape(m.group()) + Markup("</mark>")
        last = m.end()
    out += escape(piece[last:])
    if end < len(text):
        out += Markup("…")
    return out
