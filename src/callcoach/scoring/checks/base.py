"""What every check type shares: the phrase lists it looks for (its *parts*), the small
wording helpers its reasons use, so reasons read alike across check types, and the shapes of
its coaching narrative (what an agenda shows and asks about a failed or a passing call)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Sequence

from callcoach import prose
from callcoach.fmt import shorten, where
from callcoach.matching import Match

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion, Within
    from callcoach.scoring.context import CallContext
    from callcoach.scoring.result import CriterionResult, Moment
    from callcoach.transcript import Utterance


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


@dataclass(frozen=True, slots=True)
class Smell:
    """A `rubric lint` finding about a check; `at` is the key it is about, under the check."""

    at: tuple[str | int, ...]
    code: str
    message: str
    hint: str | None = None
    severity: str = "warning"


class Turn(Protocol):
    """A turn of an agenda's excerpt (analytics.agenda.Line), as a narrative quotes it."""

    utterance: int
    speaker: str
    text: str

    @property
    def at(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Gap:
    """Where a criterion failed on a call, for "play the moment": the turn to stop at
    (`focus`; None when the call holds no such turn), what was missing there (`note`), and the
    turns to play, `lo`..`hi` (None: a few either side of the focus)."""

    focus: int | None
    note: str
    lo: int | None = None
    hi: int | None = None


@dataclass(frozen=True, slots=True)
class Exemplar:
    """What to show of a call that passed, for "model the alternative": the turns to play
    (`keep`), those that do it (`focus`) and what to notice in them (`note`)."""

    focus: frozenset[int]
    keep: frozenset[int]
    note: str


class CheckType(Protocol):
    """A check module: `parts` at compile time, `evaluate` once per call, and its coaching
    narrative, which analytics/agenda.py asks for in the check's own terms."""

    MODEL: type            # the check's rubric model (pydantic)
    EXAMPLES: str          # "match" or "verdict": what the criterion's examples say

    def parts(self, check) -> list[Part]: ...

    def looks_for(self, check) -> str:
        """One line a manager can read (`rubric show`): what the check listens for."""

    def smells(self, check) -> list[Smell]:
        """What `rubric lint` warns about in this check that the schema cannot see."""

    def evaluate(self, criterion: "Criterion", call: "CallContext") -> "CriterionResult": ...

    def gap(self, criterion: "Criterion", result: "CriterionResult",
            utts: "list[Utterance]") -> Gap: ...

    def questions(self, criterion: "Criterion", result: "CriterionResult", focus: Turn | None,
                  heard: Turn | None, utts: "list[Utterance]") -> list[str]:
        """Diagnosis questions about the failed moment `focus` (`heard`: the prospect's turn
        before it), before the questions every criterion gets from its standard and anchors."""

    def exemplar(self, criterion: "Criterion", rep: str,
                 result: "CriterionResult") -> Exemplar: ...

    # Optional: `passed_over(criterion, call) -> list[tuple[Match, str]]`, the matches the
    # check saw and did not count, each with why (explain shows them as near misses).


def first_phrase(phrases: Sequence[str]) -> str:
    """'"hello" (+2 more)', for one-line summaries of a phrase list."""
    if not phrases:
        return "(no phrases)"
    more = f" (+{len(phrases) - 1} more)" if len(phrases) > 1 else ""
    return f"\"{phrases[0]}\"{more}"


def where_within(check) -> str:
    """' in the first 120s', or '' when the check looks at the whole call."""
    return "" if check.within is None else " in the " + check.within.describe()


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


# -- coaching narratives ------------------------------------------------------------------
def unasked(m: Match) -> str:
    """explain's note on a step match an `asked` check or step did not count."""
    return f"matched ({m.similarity:g}) where nothing is asked, so it does not count (asked: true)"


def step_name(criterion: "Criterion", step_id: str) -> str:
    for st in getattr(criterion.check, "steps", []):
        if st.id == step_id:
            return st.name or st.id.replace("_", " ")
    return step_id.replace("_", " ")


def triggers(result: "CriterionResult") -> list["Moment"]:
    return sorted((m for m in result.moments if m.kind == "trigger"), key=lambda m: m.utterance)


def matches(result: "CriterionResult") -> list["Moment"]:
    return sorted((m for m in result.moments if m.kind == "match"), key=lambda m: m.utterance)


def moment_questions(criterion: "Criterion", utts: "list[Utterance]") -> list[str]:
    """Questions for a criterion with no moment to point at (nothing said, or said too late):
    where the call pushed it out, and where it would have fitted."""
    check, qs = criterion.check, []
    what = prose.lower_first(criterion.title)
    last = next((u for u in reversed(utts) if u.role == "prospect" and u.index < len(utts)), None)
    if first_only(check.within):
        qs.append(f"What happens in the first {prose.span(check.within.first_span)} of your "
                  f"calls that pushes {what} out?")
    elif last is not None:
        qs.append(f"The call ended with {last.speaker} saying {prose.end(prose.quote(last.text))}"
                  f" What did you want to happen next, and what stopped you asking for it?")
    qs.append(f"Where in this call was the natural moment for {what}? What did you do there "
              f"instead?")
    return qs


LAST_TURNS = 4      # turns played when the evidence is the start (or the end) of the call


def first_only(within: "Within | None") -> bool:
    return within is not None and bool(within.first) and not within.last


def unplaced_gap(check, note: str, utts: "list[Utterance]") -> Gap:
    """A failure with no turn to point at: play the window's first turns when the check looks
    only at the start of the call (a disclosure), else the call's last turns (nothing was
    secured before it ended)."""
    if first_only(check.within):
        return Gap(0 if utts else None, note, 0, LAST_TURNS - 1)
    if not utts:
        return Gap(None, note)
    last = len(utts) - 1
    return Gap(last, note, last - LAST_TURNS + 1, last)


def exemplar_of_matches(rep: str, result: "CriterionResult") -> Exemplar:
    """Each matched turn and the reply it drew: what the compliant approach sounds like."""
    found = matches(result)
    if not found:
        return Exemplar(frozenset(), frozenset(), result.reason)
    keep = {i for m in found for i in (m.utterance, m.utterance + 1)}
    return Exemplar(frozenset(m.utterance for m in found), frozenset(keep),
                    f"Where {rep} did it, at {where(found[0].start, found[0].utterance)}.")
