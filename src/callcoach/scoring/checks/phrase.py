"""`phrase`: the phrases occur at least `min_count` times from `speaker` inside `within`.
Score = min(1, found / min_count). Intent counts at most one match per utterance; verbatim
counts every occurrence."""
from __future__ import annotations

from typing import TYPE_CHECKING

from callcoach.rubric.model import Criterion, PhraseCheck
from callcoach.scoring.checks.base import Part, by, none_said, phrase_parts, said, scope
from callcoach.scoring.result import CriterionResult

if TYPE_CHECKING:
    from callcoach.scoring.context import CallContext


def parts(check: PhraseCheck) -> list[Part]:
    return phrase_parts(check)


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
