"""Stable anchors in a policy's full text: outline numbers (三（三）2) and paragraph numbers.

Pure: works on the sanitised HTML of the body. A basis such as "举措10" or "（九）设立市级科技创新券"
is resolved to the anchor of that paragraph so a citizen can follow the citation.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass

NUMERALS = "零一二三四五六七八九十"
BLOCK = re.compile(r"<(h[2-6]|p|li)>(.*?)</\1>", re.S)
TOP = re.compile(r"^([一二三四五六七八九十]+)、")
SUB = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
ITEM = re.compile(r"^(\d+)\s*[.、．]")
MEASURE = re.compile(r"^(举措|措施)\s*(\d+)")
ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条")


def cn_number(text: str) -> int:
    """一 → 1, 十三 → 13, 二十一 → 21 (enough for outline numbers)."""
    if text.startswith("十"):
        text = "一" + text
    if "十" in text:
        tens, _, ones = text.partition("十")
        return NUMERALS.index(tens) * 10 + (NUMERALS.index(ones) if ones else 0)
    if "百" in text:
        return 100 + cn_number(text.split("百", 1)[1].lstrip("零") or "零")
    return NUMERALS.index(text) if text in NUMERALS else 0


@dataclass
class Block:
    """One heading or paragraph: its anchor id, its outline label (or ""), and its plain text."""

    id: str
    label: str
    text: str


def _plain(inner: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", inner)).strip()


def number_blocks(html: str) -> tuple[str, list[Block]]:
    """Give every heading and paragraph an id; numbered ones get their outline label."""
    blocks: list[Block] = []
    top, sub, count = "", "", 0
    top_n = sub_n = 0

    def repl(m: re.Match) -> str:
        nonlocal top, sub, count, top_n, sub_n
        tag, inner = m.group(1), m.group(2)
        text = _plain(inner)
        count += 1
        label, anchor = "", f"p{count}"
        if mm := TOP.match(text):
            top, sub, top_n, sub_n = mm.group(1), "", cn_number(mm.group(1)), 0
            label, anchor = top, f"s{top_n}"
        elif mm := SUB.match(text):
            sub, sub_n = mm.group(1), cn_number(mm.group(1))
            label, anchor = f"{top}（{sub}）", f"s{top_n}-{sub_n}"
        elif mm := MEASURE.match(text):
            label, anchor = f"{mm.group(1)}{mm.group(2)}", f"m{mm.group(2)}"
        elif mm := ARTICLE.match(text):
            label, anchor = f"第{mm.group(1)}条", f"a{cn_number(mm.group(1))}"
        elif (mm := ITEM.match(text)) and (top or sub):
            label = f"{top}{'（' + sub + '）' if sub else ''}{mm.group(1)}"
            anchor = f"s{top_n}-{sub_n}-{mm.group(1)}"
        if any(b.id == anchor for b in blocks):
            anchor = f"{anchor}-p{count}"
        blocks.append(Block(anchor, label, text))
        return f'<{tag} id="{anchor}">{inner}</{tag}>'

    return BLOCK.sub(repl, html), blocks


def _key(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text)


def find_clause(blocks: list[Block], clause: str | None) -> Block | None:
    """The paragraph a basis clause points to: by its number (举措10, 第三条, （九）), else by its words."""
    if not clause:
        return None
    clause = clause.strip()
    number = None
    if mm := MEASURE.match(clause):
        number = f"{mm.group(1)}{mm.group(2)}"
    elif mm := ARTICLE.match(clause):
        number = f"第{mm.group(1)}条"
    if number:
        return next((b for b in blocks if b.label == number), None)
    words = _key(SUB.sub("", clause))[:12]
    if mm := SUB.match(clause):
        numbered = [b for b in blocks if b.label.endswith(f"（{mm.group(1)}）")]
        return next(
            (b for b in numbered if words and words[:6] in _key(b.text)), numbered[0] if numbered else None
        )
    if len(words) >= 4:
        return next((b for b in blocks if words in _key(b.text)), None)
    return None
