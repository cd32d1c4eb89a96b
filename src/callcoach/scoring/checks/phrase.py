"""`phrase`: the phrases occur at least `min_count` times from `speaker` inside `within`.
Score = min(1, found / min_count). Intent counts at most one match per utterance; verbatim
counts every occurrence."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from callcoach import prose
from callcoach.rubric.fields import CheckBase, Phrases
from callcoach.scoring.checks.base import (Exemplar, Gap, Part, Smell, Turn, by,
                                           exemplar_of_matches, first_only, first_phrase,
                                           moment_questions, none_said, phrase_parts, said, scope,
                                           unplaced_gap, where_within)
from callcoach.scoring.result import CriterionResult

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion
    from callcoach.scoring.context import CallContext
    from callcoach.transcript import Utterance


class PhraseCheck(CheckBase):
    """Passes when the phrases occur at least `min_count` times."""

    type: Literal["phrase"]
    phrases: Phrases
    min_count: int = Field(1, ge=1)


EXAMPLES = "match"   # examples run through the matchers (rubric lint)
MODEL = PhraseCheck
def parts(check: PhraseCheck) -> list[Part]:
    return phrase_parts(check)


def looks_for(check: PhraseCheck) -> str:
    times = f" at least {check.min_count} times" if check.min_count > 1 else ""
    return f"{first_phrase(check.phrases)}{times}{where_within(check)}"


def smells(check: PhraseCheck) -> list[Smell]:
    return []


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: PhraseCheck = criterion.check
    hits = call.hits(criterion.id, "phrases", check.within)
    found, need = len(hits), check.min_count
    if not hits:
        reason = none_said(check)
    elif need == 1:
        first = hits[0]
        reason = said(first, call.phrase(first), check.method, call.where(first))
        if found > 1:
            reason += f"; {found} times in all"
    else:
        shown = ", ".join(call.where(m) for m in hits[:5]) + (", …" if found > 5 else "")
        where = f"{by(check.speaker)}{scope(check.within)}"
        reason = (f"{found} of {need} required mentions{where}: {shown}" if found < need else
                  f"{found} mentions{where} ({need} required): {shown}")
    return call.result(criterion, min(1.0, found / need), reason,
                       [call.moment(m) for m in hits], {"found": found, "required": need})


# -- coaching -----------------------------------------------------------------------------
def gap(criterion: Criterion, result: CriterionResult, utts: list[Utterance]) -> Gap:
    """Nothing to point at: it was not said in the window, or not before the call ended."""
    check: PhraseCheck = criterion.check
    found = [m for m in result.moments if m.kind == "match"]
    need = check.min_count
    what = prose.lower_first(criterion.title)
    if first_only(check.within):
        note = (f"No {what} in the first {prose.span(check.within.first_span)} of the call"
                + (f" (found {len(found)} of {need})." if found else "."))
    elif found:
        note = (f"{prose.upper_first(what)} found {len(found)} of {need} times needed before "
                f"the call ended.")
    else:
        note = f"No {what} secured before the call ended; these were its last turns."
    return unplaced_gap(check, note, utts)


def questions(criterion: Criterion, result: CriterionResult, focus: Turn | None,
              heard: Turn | None, utts: list[Utterance]) -> list[str]:
    return moment_questions(criterion, utts)


def exemplar(criterion: Criterion, rep: str, result: CriterionResult) -> Exemplar:
    return exemplar_of_matches(rep, result)
