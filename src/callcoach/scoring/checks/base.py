"""What every check type shares: the phrase lists it looks for (its *parts*) and the small
wording helpers its reasons use, so reasons read alike across check types."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Sequence

from callcoach.fmt import shorten
from callcoach.matching import Match

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion, Within
    from callcoach.scoring.context import CallContext
    from callcoach.scoring.result import CriterionResult


@dataclass(frozen=True, slots=True)
class Part:
    """One phrase list of a check, compiled into one matcher group `<criterion>/<name>`.

    `name` is "phrases", "before", "trigger" or "step/<step id>". `windowed`: the check's
    `within` applies to its matches (not to a response's steps, windowed by their trigger).
    """

    name: str
    phrases: tuple[str, ...]
    method: str
    threshold: float | None
    speaker: str
    windowed: bool = True

    @property
    def step(self) -> str | None:
        """The label a moment of this part carries: the step id, "before" or "trigger"."""
        if self.name.startswith("step/"):
            return self.name[5:]
        return None if self.name == "phrases" else self.name


class CheckType(Protocol):
    """A check module: `parts` at compile time, `evaluate` once per call."""

    def parts(self, check) -> list[Part]: ...

    def evaluate(self, criterion: "Criterion", call: "CallContext") -> "CriterionResult": ...


def step_parts(check) -> list[Part]:
    """One part per step with phrases (an `any_turn` step matches no phrase)."""
    return [Part(f"step/{s.id}", tuple(s.phrases), check.method, check.threshold, check.speaker)
            for s in check.steps if not s.any_turn]


def quote(text: str, limit: int = 60) -> str:
    return "'" + shorten(" ".join(text.split()), limit) + "'"


def times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def by(speaker: str) -> str:
    return "" if speaker == "any" else f" by the {speaker}"


def scope(within: "Within | None") -> str:
    """' in the first 120s', ' in the last 20%', or '' when the whole call counts."""
    return "" if within is None else " in " + within.describe("the ")


def phrase_parts(check) -> list[Part]:
    """The one part of a phrase or forbidden check: its phrase list."""
    return [Part("phrases", tuple(check.phrases), check.method, check.threshold, check.speaker)]


def none_said(check, kind: str = "") -> str:
    """"never said 'x' by the rep in the first 120s" / "none of the 9 phrases said by the rep"."""
    where = f"{by(check.speaker)}{scope(check.within)}"
    if len(check.phrases) == 1:
        return f"never said {quote(check.phrases[0])}{where}"
    return f"none of the {len(check.phrases)} {kind}phrases said{where}"


def missing(ids: Sequence[str]) -> str:
    return f" (missing: {', '.join(ids)})" if ids else ""


def said(m: Match, phrase: str, method: str, when: str) -> str:
    """How a match reads: "said 'guarantee' at 12:04", and for intent what it resembled."""
    if method == "verbatim":
        return f"said {quote(phrase)} at {when}"
    return f"said {quote(m.text)} at {when} (like {quote(phrase)}, {m.similarity:g})"
