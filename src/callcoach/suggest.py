""""Did you mean": the one place that guesses what a user meant by a name that does not exist
(a rep, a criterion, a call id, a CSV column, a rubric key or value).

    >>> did_you_mean("discovery_question", ["discovery_questions", "next_step"])
    ['discovery_questions']
    >>> hint("discovry", ["discovery", "next_step"])
    "did you mean 'discovery'?"
"""
from __future__ import annotations

import difflib
from typing import Iterable

N = 3          # at most this many guesses: more reads as a list, not a suggestion
CUTOFF = 0.6   # difflib similarity below which a choice is not offered


def did_you_mean(word: str, choices: Iterable[str], *, n: int = N, cutoff: float = CUTOFF,
                 prefixes: bool = False) -> list[str]:
    """The choices closest to `word`, closest first, compared without case and returned as
    spelt in `choices`. With `prefixes`, a choice that starts `word` or that `word` starts is a
    guess too when nothing is close ("phrases" for "phrase": a plural is a likely slip)."""
    lowered: dict[str, str] = {}
    for choice in sorted(set(choices)):
        lowered.setdefault(choice.lower(), choice)
    wanted = word.lower()
    hits = [lowered[h] for h in difflib.get_close_matches(wanted, list(lowered), n=n,
                                                          cutoff=cutoff)]
    if not hits and prefixes:
        hits = [c for low, c in lowered.items()
                if low.startswith(wanted) or wanted.startswith(low)][:n]
    return hits


def hint_text(guesses: Iterable[str]) -> str | None:
    """"did you mean 'x'?" / "did you mean 'x' or 'y'?"; None when there is no guess."""
    guesses = list(guesses)
    if not guesses:
        return None
    return "did you mean " + " or ".join(f"'{g}'" for g in guesses) + "?"


def hint(word: str, choices: Iterable[str], *, n: int = N, cutoff: float = CUTOFF,
         prefixes: bool = False) -> str | None:
    """The hint for a missed `word`, or None when no choice is close."""
    return hint_text(did_you_mean(word, choices, n=n, cutoff=cutoff, prefixes=prefixes))
