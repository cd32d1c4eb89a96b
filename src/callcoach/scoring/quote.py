"""A moment's text: its utterance as written, or, for an over-long utterance, a bounded excerpt
around what matched.

Each moment used to carry its whole utterance, so one long turn repeating a phrase stored the
turn once per occurrence: a 100 KB line held 1,700 moments and took 350 MB of store. A moment
of an utterance longer than `MOMENT_TEXT_CHARS` now carries about `EXCERPT_CHARS` characters,
cut at word boundaries around the match and marked with "…"; its `span` still says where the
match is in the normalised utterance, and the store keeps the whole utterance once, in the
transcript.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING

from callcoach.matching.normalize import normalize_many

if TYPE_CHECKING:
    from callcoach.scoring.result import Moment

MOMENT_TEXT_CHARS = 2_000   # about 2.5 minutes of one voice; a longer turn is quoted
EXCERPT_CHARS = 400         # around the match, in a longer one
ELLIPSIS = "…"
_CHUNK = 1_000              # the aligner's first level: pieces of about this many characters
_TOKEN = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
_ONE_SPACE = re.compile(" ")


def _words(norm: str) -> int:
    """Words in a normalised text (words are one space or sentence mark apart)."""
    return len(norm.split()) if norm else 0


class Aligner:
    """Where the normalised words of one long utterance are in its original text.

    Normalisation folds case, punctuation and contractions ("I'm" -> "i am"), so offsets in the
    normalised text are not offsets in the original. Text cut at whitespace normalises to the
    same words piece by piece as whole, so: the utterance is cut into ~1,000-character pieces,
    normalised in one call (how many words each piece became); a normalised word's index finds
    its piece by bisection; only that piece is then aligned token by token. Linear in the
    utterance, and a moment costs one piece.
    """

    def __init__(self, text: str, norm_text: str):
        self.text, self.norm_text = text, norm_text
        self.pieces: list[tuple[int, int]] = []
        pos, n = 0, len(text)
        while pos < n:
            end = min(n, pos + _CHUNK)
            if end < n:
                space = _SPACE.search(text, end)   # a piece ends where a token does
                end = space.start() if space else n
            self.pieces.append((pos, end))
            pos = end
        self.first_word: list[int] = []   # normalised words before each piece
        total = 0
        for norm in normalize_many([text[a:b] for a, b in self.pieces]):
            self.first_word.append(total)
            total += _words(norm.text)
        self._tokens: dict[int, tuple[list[tuple[int, int]], list[int]]] = {}
        self._word_starts: list[int] | None = None

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original text's (start, end) holding the normalised span `start:end`."""
        if not self.pieces:
            return 0, 0
        if self._word_starts is None:   # where each normalised word starts
            self._word_starts = [0] + [m.end() for m in _ONE_SPACE.finditer(self.norm_text)]
        first = bisect_right(self._word_starts, start) - 1
        last = first + _words(self.norm_text[start:end]) - 1
        return self._offset(first)[0], self._offset(max(first, last))[1]

    def _offset(self, word: int) -> tuple[int, int]:
        """(start, end) in the original of the token holding normalised word `word`."""
        p = max(0, bisect_right(self.first_word, word) - 1)
        spans, first_word = self._piece(p)
        if not spans:
            a, b = self.pieces[p]
            return a, b
        t = max(0, bisect_right(first_word, word - self.first_word[p]) - 1)
        return spans[t]

    def _piece(self, p: int) -> tuple[list[tuple[int, int]], list[int]]:
        """Piece `p`'s tokens (spans in the original) and the normalised words before each."""
        found = self._tokens.get(p)
        if found is None:
            a, b = self.pieces[p]
            tokens = list(_TOKEN.finditer(self.text, a, b))
            counts, total = [], 0
            for norm in normalize_many([m.group() for m in tokens]):
                counts.append(total)
                total += _words(norm.text)
            found = self._tokens[p] = ([m.span() for m in tokens], counts)
        return found


def quoted(moments: list["Moment"]) -> list["Moment"]:
    """`moments`, each of an utterance over `MOMENT_TEXT_CHARS` given an excerpt around its
    match instead (in place). Every real turn is shorter: nothing happens."""
    for mo in moments:
        if len(mo.text) > MOMENT_TEXT_CHARS:   # no span (any turn): the turn's opening words
            at = _aligner(mo.text).original(*mo.span) if mo.span is not None else (0, 0)
            mo.text = excerpt(mo.text, *at)
    return moments


@lru_cache(maxsize=8)   # the few runaway turns of the call being scored, for all its criteria
def _aligner(text: str) -> Aligner:
    return Aligner(text, normalize_many([text])[0].text)


def excerpt(text: str, start: int, end: int, limit: int = EXCERPT_CHARS) -> str:
    """At most about `limit` characters of `text` around `text[start:end]`, cut at word
    boundaries and marked with "…" where cut (a match longer than `limit` is cut too).

    >>> excerpt("aaa bbb ccc ddd eee fff", 8, 11, limit=15)
    '…bbb ccc ddd…'
    """
    if len(text) <= limit:
        return text
    room = max(0, limit - (end - start) - 2 * len(ELLIPSIS))
    lo = max(0, start - room // 2)
    hi = min(len(text), end + (room - (start - lo)))
    lo = max(0, min(lo, hi - (limit - 2 * len(ELLIPSIS))))
    if lo > 0:   # cut at a word boundary: drop the partial word
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    piece = text[lo:hi].strip()[:limit - 2 * len(ELLIPSIS)]
    return (ELLIPSIS if lo > 0 else "") + piece + (ELLIPSIS if hi < len(text) else "")
