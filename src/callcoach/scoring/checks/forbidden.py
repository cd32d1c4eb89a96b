"""`forbidden`: score 1 when none of the phrases is said (by `speaker`, inside `within`),
0 when any is; every occurrence is a moment of kind "violation"."""
from __future__ import annotations

from typing import TYPE_CHECKING

from callcoach.rubric.model import Criterion, ForbiddenCheck
from callcoach.scoring.checks.base import Part, none_said, phrase_parts, said, times
from callcoach.scoring.result import CriterionResult

if TYPE_CHECKING:
    from callcoach.scoring.context import CallContext


def parts(check: ForbiddenCheck) -> list[Part]:
    return phrase_parts(check)


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: ForbiddenCheck = criterion.check
    hits = call.hits(criterion.id, "phrases", check.within)
    if hits:
        first = hits[0]
        reason = said(first, call.phrase(first), check.method, call.where(first))
        if len(hits) > 1:
            reason += f"; forbidden language {times(len(hits))} in all"
    else:
        reason = none_said(check, "forbidden ")
    return call.result(criterion, 0.0 if hits else 1.0, reason,
                       [call.moment(m, "violation") for m in hits], {"violations": len(hits)})
