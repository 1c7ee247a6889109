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


def snippet(text: str, query: str, width: int = 120) -> Markup:
    """Return about `width` characters of `text` around the first query word, with <mark>s."""
    text = unicodedata.normalize("NFKC", plain_text(text))
    pattern = _pattern(highlight_words(query)) if query.strip() else None
    match = pattern.search(text) if pattern else None
    if match is None:
        cut = text[:width]
        return escape(cut) + ("…" if len(text) > width else "")
    start = max(0, match.start() - width // 3)
    end = min(len(text), start + width)
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
