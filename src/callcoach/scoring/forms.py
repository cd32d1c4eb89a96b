"""Steps and cut-offs done by a sentence's form, beside their phrases (a response step's
`open_question` and `opening`, a sequence cut-off's `price`).

What a rep says to explore an objection, or to acknowledge it, varies more than a phrase list
can hold; its form varies less. Exploring is asking an open question ("What's the paper doing
for them that they'd be afraid to lose?"); acknowledging is a reply that opens by agreeing
("Okay, that's real, and I'm not going to tell you to walk away from a contract") and does not
go on to argue. Moving to pricing is stating a price ("that's eleven hundred a location a
month"), whatever the words around it. Forms are read from the utterance as written, since
normalising folds "?" into a sentence end: a transcript without punctuation has no questions.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from callcoach.matching import Match
from callcoach.matching.language import asks_openly, states_price
from callcoach.matching.normalize import normalize, normalize_many

if TYPE_CHECKING:
    from callcoach.rubric.fields import Before, Opening, Step
    from callcoach.scoring.context import CallContext

_SENTENCE = re.compile(r"[^.?!]+[.?!]*")   # a sentence as written, with its end marks
_DOLLARS = re.compile(r"\$\s?\d")


def _words(texts: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalize(t).split()) for t in texts)


def _holds(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(words[i:i + n] == part for i in range(len(words) - n + 1))


def _opens_agreeing(words: tuple[str, ...], asks: bool, opening: Opening) -> bool:
    return (not asks and len(words) > 1 and any(words[:len(lead)] == lead for lead in _words(opening.lead))
            and not any(_holds(words, u) for u in _words(opening.unless)))


def _may_do(part: Step | Before, text: str, words: tuple[str, ...]) -> bool:
    """A cheap test on the whole utterance (already normalised) before its sentences are: most
    turns ask nothing and state no price."""
    return (getattr(part, "opening", None) is not None
            or getattr(part, "open_question", False) and "?" in text
            or getattr(part, "price", False) and ("$" in text or states_price(words)))


def done_by(part: Step | Before, text: str) -> list[tuple[str, str]]:
    """The sentences of `text` (normalised) that do the step (or reach the cut-off) by its
    form, each with the form's name ("an open question"), in the order said."""
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    if not sentences:
        return []
    normed = normalize_many(sentences)
    opening = getattr(part, "opening", None)
    open_question = getattr(part, "open_question", False)
    price = getattr(part, "price", False)
    found = []
    for i, (raw, n) in enumerate(zip(sentences, normed)):
        words, asks = tuple(n.words), raw.rstrip().endswith("?")
        if not words:
            continue
        if i == 0 and opening is not None and _opens_agreeing(words, asks, opening):
            found.append((n.text, "an agreeing opening"))
        elif open_question and asks and asks_openly(words):
            found.append((n.text, "an open question"))
        elif price and not asks and (_DOLLARS.search(raw) or states_price(words)):
            found.append((n.text, "a price"))
    return found


def matches(part: Step | Before, key: str, call: CallContext,
            utterances: Iterable[int]) -> list[Match]:
    """The part's form matches in these utterances (each the first sentence of its form), as
    matches of group `key` with no phrase (-1), placed at the sentence so that in-order chains
    see "That's fair. What's behind it?" as acknowledge, then explore."""
    out = []
    for u in utterances:
        if not _may_do(part, call.utterances[u].text, call.doc.texts[u].words):
            continue
        found = done_by(part, call.utterances[u].text)
        if not found:
            continue
        sentence = found[0][0]
        start = max(0, call.doc.texts[u].text.find(sentence))
        out.append(Match(key, -1, u, start, start + len(sentence), 100.0, sentence))
    return out
