"""Mark text in the other language of a page: English runs on a Chinese page get lang="en", and
Chinese runs on an English page lang="zh-Hans", so screen readers pronounce them correctly."""

from __future__ import annotations

import re

from markupsafe import Markup

CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# A run of Latin text: starts and ends with a letter or digit, holds no CJK and no tag.
LATIN_RUN = re.compile(rf"(<[^>]*>)|([A-Za-z][^<{CJK}]*[A-Za-z0-9.)”’\"])")
CJK_RUN = re.compile(rf"(<[^>]*>)|([{CJK}][^<A-Za-z]*[{CJK}]|[{CJK}])")
WORD = re.compile(r"[A-Za-z]{2,}")


def mark_foreign(html: str, page_lang: str) -> Markup:
    """Wrap runs of the other language in a span with its lang; tags are left alone."""
    if page_lang == "zh":

        def repl(m: re.Match) -> str:
            run = m.group(2)
            if m.group(1) or not WORD.search(run or ""):
                return m.group(0)
            return f'<span lang="en">{run}</span>'

        return Markup(LATIN_RUN.sub(repl, str(html)))  # noqa: S704 - input is already-escaped HTML

    def repl_zh(m: re.Match) -> str:
        return m.group(0) if m.group(1) else f'<span lang="zh-Hans">{m.group(2)}</span>'

    return Markup(CJK_RUN.sub(repl_zh, str(html)))  # noqa: S704 - input is already-escaped HTML
