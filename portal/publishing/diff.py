"""Comparing two texts word by word: Chinese split into words by jieba, other text at spaces.

Pure: no Flask, no database.
"""

from __future__ import annotations

import difflib

import jieba

EQUAL, REMOVED, ADDED = "equal", "removed", "added"


def tokens(text: str) -> list[str]:
    """Words and the spaces and punctuation between them; joined they give the text back."""
    return jieba.lcut(text or "", HMM=False)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The texts as (kind, text) pieces in reading order: unchanged, removed or added."""
    a, b = tokens(before), tokens(after)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append((EQUAL, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append((REMOVED, "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append((ADDED, "".join(b[j1:j2])))
    return _merge(pieces)


def _merge(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for kind, text in pieces:
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        elif text:
            out.append((kind, text))
    return out


def shorten(pieces: list[tuple[str, str]], context: int = 40) -> list[tuple[str, str]]:
    """Long unchanged stretches cut to their ends, so a one-word change in a long text stands out."""
    out = []
    for index, (kind, text) in enumerate(pieces):
        if kind == EQUAL and len(text) > 2 * context + 5:
            head = text[:context] if index > 0 else ""
            tail = text[-context:] if index < len(pieces) - 1 else ""
            text = f"{head} … {tail}".strip()
        out.append((kind, text))
    return out
