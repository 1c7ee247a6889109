"""The Whoosh side of text analysis: a tokenizer wrapping the plain functions in `text`."""

from __future__ import annotations

from whoosh.analysis import Token, Tokenizer

from portal.search.text import ANALYZER_VERSION, index_tokens, init, query_words

__all__ = ["ANALYZER_VERSION", "SharedTokenizer", "index_analyzer", "init", "query_terms"]

query_terms = query_words


class SharedTokenizer(Tokenizer):
    """Hands Whoosh the words `text.index_tokens` finds (already normalised, stemmed, stopped)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SharedTokenizer)

    def __hash__(self) -> int:
        return hash("SharedTokenizer")

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for t in index_tokens(value):
            token.text = t.text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = t.text
            if positions:
                token.pos = start_pos + t.position
            if chars:
                token.startchar = start_char + t.start
                token.endchar = start_char + t.end
            yield token


def index_analyzer() -> SharedTokenizer:
    """The analyzer of every text field."""
    return SharedTokenizer()
