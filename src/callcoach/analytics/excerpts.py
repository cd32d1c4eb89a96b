"""Excerpts: the few turns around a moment, so a manager plays the moment, not the call."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from callcoach.fmt import shorten
from callcoach.scoring.quote import MOMENT_TEXT_CHARS
from callcoach.transcript import Utterance


def _position(utterances: list[Utterance], index: int) -> int:
    """Where utterance `index` sits in the list (usually at `index` itself)."""
    if 0 <= index < len(utterances) and utterances[index].index == index:
        return index
    keys = [u.index for u in utterances]
    return min(bisect_left(keys, index), len(utterances) - 1)


def excerpt(utterances: list[Utterance], center_index: int, context: int = 2) -> list[Utterance]:
    """The utterance with index `center_index` and up to `context` turns either side.

    >>> turns = [Utterance(i, "A", f"t{i}") for i in range(6)]
    >>> [u.index for u in excerpt(turns, 0)], [u.index for u in excerpt(turns, 4, context=1)]
    ([0, 1, 2], [3, 4, 5])
    """
    if not utterances:
        return []
    at = _position(utterances, center_index)
    return bounded(utterances[max(0, at - context): at + context + 1])


def excerpts(utterances: list[Utterance], centers: list[int],
             context: int = 2) -> list[list[Utterance]]:
    """One excerpt per group of moments: moments whose excerpts touch or overlap are merged,
    so the same turns are never shown twice. Excerpts come in call order.

    >>> turns = [Utterance(i, "A", f"t{i}") for i in range(20)]
    >>> [[u.index for u in e] for e in excerpts(turns, [12, 4, 6], context=1)]
    [[3, 4, 5, 6, 7], [11, 12, 13]]
    """
    if not utterances or not centers:
        return []
    spans: list[list[int]] = []
    for at in sorted({_position(utterances, c) for c in centers}):
        lo, hi = max(0, at - context), min(len(utterances) - 1, at + context)
        if spans and lo <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    return [bounded(utterances[lo:hi + 1]) for lo, hi in spans]


def bounded(turns: list[Utterance]) -> list[Utterance]:
    return [bounded_turn(u) for u in turns]


def bounded_turn(u: Utterance) -> Utterance:
    """`u`, cut short when it is over `MOMENT_TEXT_CHARS` (a long monologue, or a runaway
    line), so one 500,000-character line does not fill every excerpt, agenda and
    explanation."""
    return u if len(u.text) <= MOMENT_TEXT_CHARS else \
        replace(u, text=shorten(u.text, MOMENT_TEXT_CHARS))
