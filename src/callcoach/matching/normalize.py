"""Text normalisation, done once per transcript and once per phrase at compile time.

Case, curly quotes, contractions, thousands separators and punctuation are folded; sentence
boundaries are kept, because intent matching compares a phrase with a sentence or a window
of about its size. The whole transcript is joined by newlines and folded with C-speed string
methods (`str.translate`, `str.replace`, `str.split`); Python only visits apostrophes, which
are few. Per-utterance regex passes cost ~10x more (see benchmarks/).
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cached_property

_SENTENCE = "\x1d"  # ASCII group separator: survives punctuation folding, marks a sentence end

# Non-ASCII text only: curly quotes to "'", common Unicode punctuation to a space.
_UNICODE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", **{c: " " for c in
                          "\u201c\u201d\u2014\u2013\u2026\u00ab\u00bb\u00a1\u00bf\u2022\u00b7\u2032\u2033\u00a0"}})
_SENT_ENDS = [(f"{p}{ws}", f" {_SENTENCE}{ws}") for p in ".!?" for ws in (" ", "\n")]
# Every ASCII punctuation mark but the apostrophe (handled before) becomes a space; a bytes
# table makes this one C loop over the text.
_PUNCT_CHARS = "".join(sorted(set(string.punctuation) - {"'"})) + "\t\r\f\v"
_PUNCT_BYTES = bytes.maketrans(_PUNCT_CHARS.encode(), b" " * len(_PUNCT_CHARS))
_PUNCT_STR = str.maketrans(_PUNCT_CHARS, " " * len(_PUNCT_CHARS))
_WORDS = {"cannot": "can not", "gonna": "going to", "wanna": "want to", "gotta": "got to",
          "kinda": "kind of", "sorta": "sort of"}
_WORDS_RE = re.compile(r"\b(?:" + "|".join(_WORDS) + r")\b")
_APOSTROPHE_WORDS = {"can": "can not", "won": "will not", "shan": "shall not", "ain": "is not"}
_IS_PRONOUNS = frozenset("it that what there here he she who where how this everything nothing "
                         "something".split())
_SUFFIX = {"re": " are", "ve": " have", "ll": " will", "d": " would", "m": " am"}
# "," first, so the regex engine jumps from comma to comma instead of trying every position
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}\b)")
_WORD_TAIL = re.compile(r"\w+$")
_WORD_HEAD = re.compile(r"^\w+")


def _word_tail(text: str) -> re.Match | None:
    """`_WORD_TAIL.search(text)` without scanning the whole text: the pattern tried from every
    position is quadratic over a joined transcript (150 ms for a 300-turn call with many
    apostrophes). Look at the last characters first; widen only if the word reaches back."""
    lo = max(0, len(text) - 64)
    tail = _WORD_TAIL.search(text, lo)
    if tail is not None and tail.start() == lo and lo > 0:
        return _WORD_TAIL.search(text)
    return tail


def _expand_contractions(text: str) -> str:
    """Fold every `word'suffix`; only the (few) apostrophes are visited in Python.

    `done` holds finished text and `cur` only what follows the last word boundary before the
    current apostrophe, so each apostrophe costs the length of its neighbourhood, not of the
    text folded so far (rebuilding one growing string was quadratic in the apostrophes)."""
    parts = text.split("'")
    if len(parts) == 1:
        return text
    done: list[str] = []
    cur = parts[0]
    for nxt in parts[1:]:
        tail = _word_tail(cur)
        head = _WORD_HEAD.match(nxt)
        if not tail or not head:
            done.append(cur)
            cur = " " + nxt  # a quote mark, not a contraction
            continue
        word, suffix, rest = tail.group(0), head.group(0), nxt[head.end():]
        done.append(cur[:tail.start()])
        folded = _FOLDED.get((word, suffix))
        if folded is None:
            folded = _fold(word, suffix)
            if len(_FOLDED) < 10_000:
                _FOLDED[(word, suffix)] = folded
        cur = folded + rest
        # keep only the trailing word in `cur`: the next apostrophe may need it
        end = _word_tail(cur)
        if end is not None and end.start() > 0:
            done.append(cur[:end.start()])
            cur = cur[end.start():]
        elif end is None:
            done.append(cur)
            cur = ""
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

    @cached_property
    def text(self) -> str:
        return " ".join(self.sentences)

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.split())

    def sentence_offsets(self) -> list[int]:
        """Start offset of each sentence inside `text`."""
        offsets, pos = [], 0
        for s in self.sentences:
            offsets.append(pos)
            pos += len(s) + 1
        return offsets


def normalize_many(texts: list[str]) -> list[NormText]:
    """Normalise many texts in one pass over their joined text.

    >>> [n.text for n in normalize_many(["We're NOT guaranteeing 10,000 seats!", "Can't say."])]
    ['we are not guaranteeing 10000 seats', 'can not say']
    """
    joined = "\n".join(texts if not any("\n" in t for t in texts)
                       else [t.replace("\n", " ") for t in texts])
    if not joined.isascii():
        # str.translate with a dict table runs per character in Python-ish speed (~4 ms for a
        # call); the few mapped characters replaced one by one stay at C speed.
        for char, repl in _UNICODE.items():
            char = chr(char)
            if char in joined:
                joined = joined.replace(char, repl)
    joined = joined.lower() + "\n"
    for old, new in _SENT_ENDS:
        joined = joined.replace(old, new)
    joined = _expand_contractions(joined)
    if any(w in joined for w in _WORDS):
        joined = _WORDS_RE.sub(lambda m: _WORDS[m.group(0)], joined)
    if "," in joined and any(f",{d}" in joined for d in "0123456789"):
        joined = _THOUSANDS.sub("", joined)
    joined = joined.replace("%", " percent ")
    # Only ASCII characters are mapped, and UTF-8 never uses ASCII bytes inside a multi-byte
    # character, so the bytes table is exact for any text.
    joined = joined.encode().translate(_PUNCT_BYTES).decode()
    out = []
    lines = joined.split("\n")
    lines.pop()
    for line in lines:
        if _SENTENCE in line:  # split() would treat \x1d as whitespace: split on it first
            sentences = tuple(s for s in [" ".join(p.split()) for p in line.split(_SENTENCE)] if s)
            text = " ".join(sentences)
        else:
            text = " ".join(line.split())
            sentences = (text,) if text else ()
        norm = NormText(sentences)
        norm.__dict__["text"] = text   # what the cached property would compute, known already
        out.append(norm)
    return out


def normalize(text: str) -> str:
    """Normalise one phrase or text to a single space-joined word string."""
    return normalize_many([text])[0].text
