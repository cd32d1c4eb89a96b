"""`phrase`: the phrases occur at least `min_count` times from `speaker` inside `within`.
Score = min(1, found / min_count). Intent counts at most one match per utterance; verbatim
counts every occurrence."""
from __future__ import annotations

from typing import TYPE_CHECKING

from callcoach.rubric.model import Criterion, PhraseCheck
from callcoach.scoring.checks.base import Part, by, quote, said, scope
from callcoach.scoring.result import CriterionResult

if TYPE_CHECKING:
    from callcoach.scoring.context import CallContext


def parts(check: PhraseCheck) -> list[Part]:
    return [Part("phrases", tuple(check.phrases), check.method, check.threshold, check.speaker)]


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: PhraseCheck = criterion.check
    hits = call.hits(criterion.id, "phrases", check.within)
    found, need = len(hits), check.min_count
    where_ = f"{by(check.speaker)}{scope(check.within)}"
    if not hits:
        reason = (f"never said {quote(check.phrases[0])}{where_}" if len(check.phrases) == 1
                  else f"none of the {len(check.phrases)} phrases said{where_}")
    elif need == 1:
        first = hits[0]
        reason = said(first, call.phrase(first), check.method, call.where(first))
        if found > 1:
            reason += f"; {found} times in all"
    else:
        shown = ", ".join(call.where(m) for m in hits[:5]) + (", …" if found > 5 else "")
        reason = f"{found} of {need} required mentions{where_}: {shown}"
    return call.result(criterion, min(1.0, found / need), reason,
                       [call.moment(m) for m in hits], {"found": found, "required": need})
