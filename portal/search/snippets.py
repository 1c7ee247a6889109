"""Highlighted snippets cut from the database text around the first matching word."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

from portal.search.text import highlight_words


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
    if 0 < start < len(text) and text[start - 1].isascii() and text[start - 1].isalnum() \
            and text[start].isascii() and text[start].isalnum():
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    if 0 < end < len(text) and text[end - 1].isascii() and text[end - 1].isalnum() \
            and text[end].isascii() and text[end].isalnum():
        space = text.rfind(" ", max(start, end - 20), end)
        end = space if space != -1 else end
    return start, end


def _in_page_language(out: Markup) -> Markup:
    """Mark the other language's words with lang (only while rendering a page in a known language)."""
    from flask import has_request_context

    from portal.core.langspan import mark_foreign
    from portal.i18n import current_language

    return mark_foreign(out, current_language()) if has_request_context() else out


def snippet(text: str, query: str, width: int = 120) -> Markup:
    """Return about `width` characters of `text` around the first query word, with <mark>s."""
    return _in_page_language(_snippet(text, query, width))


def _snippet(text: str, query: str, width: int) -> Markup:
    text = _fold(plain_text(text))
    pattern = _pattern(highlight_words(query)) if query.strip() else None
    match = pattern.search(text) if pattern else None
    if match is None:
        _start, end = _word_edges(text, 0, min(len(text), width))
        return escape(text[:end]) + ("…" if len(text) > end else "")
    start, end = _word_edges(text, max(0, match.start() - width // 3),
                             min(len(text), max(0, match.start() - width // 3) + width))
    piece = text[start:end]
    out = Markup("…") if start > 0 else Markup("")
    last = 0
    for m in pattern.finditer(piece):
        out += escape(piece[last:m.start()]) + Markup("<mark>") + escape(m.group()) + Markup("</mark>")
        last = m.end()
    out += escape(piece[last:])
    if end < len(text):
        out += Markup("…")
    return out
