"""Text normalisation, done once per transcript and once per phrase at compile time.

Case, curly quotes, contractions, thousands separators and punctuation are folded; sentence
boundaries are kept, because intent matching compares a phrase with a sentence or a window
of about its size. The whole transcript is joined by newlines and folded with C-speed string
and bytes methods (`translate`, `replace`, `split`, literal-first regexes); Python only visits
contraction apostrophes and builds one object per text. Every pass over a 300-turn call
(~24 KB) costs 10-50 us, so passes are counted: a regex tried at every position costs ~30 ns
a character (~0.7 ms a call), and splitting the text into word objects ~0.2 ms.
`tests/test_normalize.py` keeps the slower, straightforward version as an oracle.
"""
from __future__ import annotations

import re
import string
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat

_SENTENCE = "\x1d"  # ASCII group separator: survives punctuation folding, marks a sentence end
_LINE_EDGE = " " + _SENTENCE

# Non-ASCII text only: curly quotes to "'", common Unicode punctuation to a space.
_UNICODE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2014": " ,", "\u2013": " ,",
                          **{c: " " for c in
                             "\u201c\u201d\u2026\u00ab\u00bb\u00a1\u00bf\u2022\u00b7\u2032\u2033\u00a0"}})
# Every ASCII punctuation mark but the apostrophe (handled before) becomes a space, and so does
# every ASCII whitespace character but the line and sentence separators: `str.split()` treats
# \x1c-\x1f as whitespace, so they separate words like a space. A bytes table makes this one C
# loop over the text.
# Clause marks (",", ";", ":", brackets, a dash between words) become _CLAUSE instead: they
# separate words like a space, and intent matching splits sentences into clauses at them.
_CLAUSE = "\x1f"
_CLAUSE_CHARS = ",;:()"
_PUNCT_CHARS = "".join(sorted(set(string.punctuation) - {"'"} - set(_CLAUSE_CHARS))) + "\t\r\f\v\x1c\x1e\x1f"
_PUNCT_BYTES = bytes.maketrans((_PUNCT_CHARS + _CLAUSE_CHARS).encode(),
                               b" " * len(_PUNCT_CHARS) + _CLAUSE.encode() * len(_CLAUSE_CHARS))
# Non-ASCII whitespace (`str.isspace()`; the test checks the list) separates words too; mapped
# only after sentence ends are found, since ". " must be a real space to end a sentence.
_UNICODE_SPACES = "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
                  "\u200a\u2028\u2029\u202f\u205f\u3000"
_WORDS = {"cannot": "can not", "gonna": "going to", "wanna": "want to", "gotta": "got to",
          "kinda": "kind of", "sorta": "sort of"}
_WORDS_RE = re.compile(r"\b(?:" + "|".join(_WORDS) + r")\b")
_APOSTROPHE_WORDS = {"can": "can not", "won": "will not", "shan": "shall not", "ain": "is not"}
_IS_PRONOUNS = frozenset("it that what there here he she who where how this everything nothing "
                         "something".split())
_SUFFIX = {"re": " are", "ve": " have", "ll": " will", "d": " would", "m": " am"}
# "," first, so the regex engine jumps from comma to comma instead of trying every position
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}\b)")
# A regex with a literal pattern replaces a two-character needle twice as fast as
# str.replace (22 vs 48 us a call): the engine's prefix scan beats str's short-needle search.
_SENTENCE_END = re.compile(r"\. ")
# A "." after a title or a single letter other than "I" and "a" ends no sentence: "Dr.
# Lucero", "the U.S. plants", "Marcus O. said" (but "Neither do I. What ..." is two).
# ABBREVIATED holds just after such a "."; `forms` splits the text as written by the same
# rule, so apostrophes count as written too (curly ones are folded only when normalising).
# Literal-first, so the engine jumps from "." to ".".
_NOT_AFTER = "(?<![\\w'\u2018\u2019\u02bc])"
ABBREVIATED = (rf"(?:(?<={_NOT_AFTER}[b-hj-z]\.)|(?<={_NOT_AFTER}(?:dr|mr|ms|st|jr|sr)\.)"
               rf"|(?<={_NOT_AFTER}mrs\.))")
_ABBREVIATION = re.compile(r"\." + ABBREVIATED + " ")
# Runs of spaces; "  " first, so the engine jumps between runs instead of trying every space.
_SPACES = re.compile(rb"  +")
# A sentence mark beside a space or another mark ("word). Next", ".  Two spaces", "?!. "):
# rare, so one search ("\x1d" first, jumping from mark to mark) decides whether to clean up.
_LOOSE_MARK = re.compile(rb"\x1d(?:[ \x1d]|(?<= \x1d))")
# "'" first for the same reason: the word after each apostrophe (empty for a closing quote).
# On the reversed text it gives the word before each apostrophe, reversed.
_AFTER_APOSTROPHE = re.compile(r"'(\w*)")


def _expand_contractions(text: str) -> str:
    """Fold every `word'suffix`; any other apostrophe is a quote mark and becomes a space.

    The words around every apostrophe are found by two regex scans that jump from apostrophe
    to apostrophe (forwards, and over the reversed text); Python visits each apostrophe once
    with slices only, so the cost is linear in the text and in the apostrophes. Folds apply
    left to right: in `rock'n'roll` the second apostrophe folds the last word of `rock n`."""
    parts = text.split("'")
    if len(parts) == 1:
        return text
    heads = _AFTER_APOSTROPHE.findall(text)
    tails = _AFTER_APOSTROPHE.findall(text[::-1])
    tails.reverse()
    done: list[str] = []
    cur = parts[0]  # text since the last cut; its trailing word may fold with the next suffix
    chained = False  # cur is exactly the last fold's output (`rock n` before `'roll`)
    for i, head in enumerate(heads):
        nxt = parts[i + 1]
        if not head or not tails[i]:
            done.append(cur)
            cur = " " + nxt  # a quote mark, not a contraction
            chained = False
            continue
        # A fold's output is words joined by spaces, so its last word starts after the last
        # space; otherwise cur ends with the apostrophe's word as it stood in the text.
        cut = cur.rfind(" ") + 1 if chained else len(cur) - len(tails[i])
        word = cur[cut:]
        done.append(cur[:cut])
        folded = _FOLDED.get((word, head))
        if folded is None:
            folded = _fold(word, head)
            if len(_FOLDED) < 10_000:
                _FOLDED[(word, head)] = folded
        rest = nxt[len(head):]
        cur = folded + rest
        chained = not rest
    done.append(cur)
    return "".join(done)


_FOLDED: dict[tuple[str, str], str] = {}


def _fold(word: str, suffix: str) -> str:
    """What `word'suffix` becomes."""
    if suffix == "t" and word.endswith("n"):  # don't -> do not, can't -> can not
        return _APOSTROPHE_WORDS.get(word, word[:-1] + " not")
    if suffix == "s":
        return word + " is" if word in _IS_PRONOUNS else "let us" if word == "let" else word
    if suffix in _SUFFIX:
        return word + _SUFFIX[suffix]
    if word == "y" and suffix == "all":
        return "you all"
    return word + " " + suffix  # o'clock, rock'n'roll: split the word


@dataclass(frozen=True)
class NormText:
    """One utterance (or phrase), normalised: its sentences, each a space-joined word string."""

    sentences: tuple[str, ...]
    # the line as folded, with its clause marks (None: it has none); see clause_marks
    marked: str | None = field(default=None, compare=False, repr=False)

    @cached_property
    def text(self) -> str:
        return " ".join(self.sentences)

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.split())

    @cached_property
    def _marked_parts(self) -> list[str] | None:
        """The marked line cut into its sentences (None: no clause marks, or they do not
        line up with the sentences, which then have no clause marks at all)."""
        if self.marked is None:
            return None
        parts = [p for p in self.marked.split(_SENTENCE) if p.replace(_CLAUSE, " ").strip()]
        return parts if len(parts) == len(self.sentences) else None

    def marked_part(self, s: int) -> str | None:
        """Sentence `s` as marked (None: it has no clause marks that line up)."""
        parts = self._marked_parts
        return None if parts is None else parts[s]

    def clause_marks(self, s: int) -> tuple[int, ...]:
        """The word positions (after the first) of sentence `s` where a clause starts: after
        a comma, semicolon, colon, bracket or dash."""
        parts = self._marked_parts
        if parts is None or _CLAUSE not in parts[s]:
            return ()
        part = parts[s]
        if " ".join(part.replace(_CLAUSE, " ").split()) != self.sentences[s]:
            return ()
        starts, at = [], 0
        pieces = part.split(_CLAUSE)
        for piece in pieces[:-1]:
            at += len(piece.split())
            if at and (not starts or starts[-1] != at):
                starts.append(at)
        n = self.sentences[s].count(" ") + 1
        return tuple(x for x in starts if x < n)

    def locate(self, start: int, end: int) -> tuple[int, int, int]:
        """The sentence holding the character span start..end of `text`, and the span's first
        and end word positions in that sentence."""
        offsets = self.sentence_offsets()
        s = max(0, bisect_right(offsets, start) - 1)
        sentence = self.sentences[s]
        first = sentence.count(" ", 0, start - offsets[s])
        # a span running on into the next sentence ends with this one
        return s, first, min(first + self.text.count(" ", start, end) + 1,
                             sentence.count(" ") + 1)

    def sentence_offsets(self) -> list[int]:
        """Start offset of each sentence inside `text`: worked out once, since every match of
        a long turn asks (kept in the instance's dict, not a cached_property, whose lock costs
        more than a short turn's list). Do not modify the list."""
        offsets = self.__dict__.get("_offsets")
        if offsets is None:
            offsets, pos = [], 0
            for s in self.sentences:
                offsets.append(pos)
                pos += len(s) + 1
            self.__dict__["_offsets"] = offsets
        return offsets


def normalize_many(texts: list[str]) -> list[NormText]:
    """Normalise many texts in one pass over their joined text.

    >>> [n.text for n in normalize_many(["We're NOT guaranteeing 10,000 seats!", "Can't say."])]
    ['we are not guaranteeing 10000 seats', 'can not say']
    """
    joined = "\n".join(texts if not any("\n" in t for t in texts)
                       else [t.replace("\n", " ") for t in texts])
    ascii_only = joined.isascii()
    if not ascii_only:
        # str.translate with a dict table runs per character in Python-ish speed (~4 ms for a
        # call); the few mapped characters replaced one by one stay at C speed. Each search
        # over a 2-byte string costs ~10 us, and often the only non-ASCII characters are
        # curly apostrophes (first in the table): stop once the text is ASCII (an O(1) test).
        for char, repl in _UNICODE.items():
            char = chr(char)
            if char in joined:
                joined = joined.replace(char, repl)
                if joined.isascii():
                    break
        ascii_only = joined.isascii()  # then no Unicode space is left to fold either
    joined = joined.lower()
    # A sentence ends at ".", "!" or "?" before a space. All three become spaces later and
    # nothing in between tells them apart, so one pass marks them all; the end of a line
    # needs no mark (it would only end an empty sentence).
    if ". " in joined:
        joined = _ABBREVIATION.sub("  ", joined)
    if "!" in joined:
        joined = joined.replace("!", ".")
    if "?" in joined:
        joined = joined.replace("?", ".")
    joined = _SENTENCE_END.sub(_SENTENCE, joined)
    joined = _expand_contractions(joined)
    if any(w in joined for w in _WORDS):
        joined = _WORDS_RE.sub(lambda m: _WORDS[m.group(0)], joined)
    if "," in joined:
        joined = _THOUSANDS.sub("", joined)
    if "%" in joined:
        joined = joined.replace("%", " percent ")
    if not ascii_only:
        for char in _UNICODE_SPACES:
            if char in joined:
                joined = joined.replace(char, " ")
    # Only ASCII characters are mapped, and UTF-8 never uses ASCII bytes inside a multi-byte
    # character, so the bytes table and the byte patterns below are exact for any text.
    if "--" in joined:   # an ASCII dash between words ("today -- this call ..."): a clause mark
        joined = joined.replace("--", " , ")
    if " - " in joined:
        joined = joined.replace(" - ", " , ")
    data = joined.encode().translate(_PUNCT_BYTES)
    # The clause marks are kept aside, line by line, for NormText.clause_marks; everything
    # else sees them as spaces.
    marked = None
    if b"\x1f" in data:
        marked = data.decode().split("\n")
        data = data.replace(b"\x1f", b" ")
    data = _SPACES.sub(b" ", data)
    if _LOOSE_MARK.search(data):
        data = data.replace(b" \x1d", b"\x1d").replace(b"\x1d ", b"\x1d")
        while b"\x1d\x1d" in data:
            data = data.replace(b"\x1d\x1d", b"\x1d")
    # Now words are one space apart and sentences one mark apart, except at the ends of a
    # line: strip those (spaces and marks) line by line, in C.
    lines = list(map(str.strip, data.decode().split("\n"), repeat(_LINE_EDGE)))
    # NormText objects are built without the frozen dataclass __init__ (object.__setattr__ per
    # field): the values are the ones it would store, and `text` is what the cached property
    # would compute.
    out = []
    new = object.__new__
    for i, (sentences, text) in enumerate(zip(map(tuple, map(str.split, lines, repeat(_SENTENCE))),
                                              map(str.replace, lines, repeat(_SENTENCE), repeat(" ")))):
        norm = new(NormText)
        fields = norm.__dict__
        fields["sentences"] = sentences if text else ()  # "".split(mark) is [""]
        fields["text"] = text
        fields["marked"] = marked[i] if marked is not None and _CLAUSE in marked[i] else None
        out.append(norm)
    return out


def normalize(text: str) -> str:
    """Normalise one phrase or text to a single space-joined word string."""
    return normalize_many([text])[0].text
