"""Text normalisation, done once per transcript and once per phrase at compile time.

Case, curly quotes, contractions, thousands separators and punctuation are folded; sentence
boundaries are kept, because intent matching compares a phrase with a sentence or a window
of about its size. Everything runs as a few regex passes over the whole transcript joined
by newlines, not per utterance, which is what keeps it cheap.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_SENTENCE = "\ue000"  # private-use char: neither \w nor \s, so it survives punctuation folding

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SENT_END = re.compile(r"[.!?]+(?=\s|$)")
_IRREGULAR = {"can't": "can not", "cannot": "can not", "won't": "will not", "shan't": "shall not",
              "ain't": "is not", "let's": "let us", "y'all": "you all", "gonna": "going to",
              "wanna": "want to", "gotta": "got to", "kinda": "kind of", "sorta": "sort of"}
_IRREGULAR_RE = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in _IRREGULAR) + r")\b")
_IS_PRONOUNS = r"it|that|what|there|here|he|she|who|where|how|this|everything|nothing|something"
_SUFFIXES = [
    (re.compile(r"(?<=\w)n't\b"), " not"),
    (re.compile(r"(?<=\w)'re\b"), " are"),
    (re.compile(r"(?<=\w)'ve\b"), " have"),
    (re.compile(r"(?<=\w)'ll\b"), " will"),
    (re.compile(r"(?<=\w)'d\b"), " would"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(rf"\b({_IS_PRONOUNS})'s\b"), r"\1 is"),
    (re.compile(r"(?<=\w)'s\b"), ""),  # possessive: "company's" -> "company"
]
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_PERCENT = re.compile(r"%")
_PUNCT = re.compile(r"[^\w\s" + _SENTENCE + r"]+|_")


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
    """Normalise many texts in one set of regex passes.

    >>> [n.text for n in normalize_many(["We're NOT guaranteeing 10,000 seats!", "Can't say."])]
    ['we are not guaranteeing 10000 seats', 'can not say']
    """
    joined = "\n".join(t.replace("\n", " ") for t in texts).lower().translate(_QUOTES)
    joined = _SENT_END.sub(" " + _SENTENCE, joined)
    joined = _IRREGULAR_RE.sub(lambda m: _IRREGULAR[m.group(0)], joined)
    for pattern, repl in _SUFFIXES:
        joined = pattern.sub(repl, joined)
    joined = _THOUSANDS.sub("", joined)
    joined = _PERCENT.sub(" percent", joined)
    joined = _PUNCT.sub(" ", joined)
    out = []
    for line in joined.split("\n"):
        sentences = tuple(s for s in (" ".join(part.split()) for part in line.split(_SENTENCE)) if s)
        out.append(NormText(sentences))
    return out


def normalize(text: str) -> str:
    """Normalise one phrase or text to a single space-joined word string."""
    return normalize_many([text])[0].text
