"""`sequence`: steps done before a cut-off.

The cut-off is the first `before` moment; score = steps done before it / steps (steps done
anywhere when the cut-off never comes). Every `before` moment reached while steps are still
outstanding is a violation ("moved to pricing 3 times with steps outstanding"); a violation
moment's `step` lists the outstanding step ids, comma-separated, so stored moments keep it.
Several `before` hits in one utterance are one moment.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from callcoach.matching import Match
from callcoach.rubric.model import Criterion, SequenceCheck
from callcoach.scoring.checks.base import Part, missing, step_parts, times
from callcoach.scoring.result import CriterionResult, Moment

if TYPE_CHECKING:
    from callcoach.scoring.context import CallContext


def parts(check: SequenceCheck) -> list[Part]:
    out = step_parts(check)
    if check.before is not None:
        b = check.before
        out.append(Part("before", tuple(b.phrases), b.method or check.method,
                        b.threshold if b.threshold is not None else check.threshold,
                        b.speaker or check.speaker))
    return out


def _pos(m: Match) -> tuple[int, int]:
    return m.utterance, m.start


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: SequenceCheck = criterion.check
    cid, within = criterion.id, check.within
    first: dict[str, Match] = {}
    for s in check.steps:
        hits = call.hits(cid, f"step/{s.id}", within)
        if hits:
            first[s.id] = min(hits, key=_pos)
    cuts: list[Match] = []
    for m in sorted(call.hits(cid, "before", within), key=_pos):
        if not cuts or cuts[-1].utterance != m.utterance:
            cuts.append(m)
    cutoff = cuts[0] if cuts else None

    def done_before(step_id: str, c: Match | None) -> bool:
        return step_id in first and (c is None or _pos(first[step_id]) < _pos(c))

    done = [s.id for s in check.steps if done_before(s.id, cutoff)]
    moments: list[Moment] = [call.moment(first[sid], "match", sid) for sid in done]
    violations = 0
    for c in cuts:
        outstanding = [s.id for s in check.steps if not done_before(s.id, c)]
        if outstanding:
            violations += 1
            moments.append(call.moment(c, "violation", ",".join(outstanding)))
        elif c is cutoff:
            moments.append(call.moment(c, "cutoff", "before"))

    n = len(check.steps)
    name = check.before.name if check.before is not None and check.before.name else None
    left = [s.id for s in check.steps if s.id not in done]
    if cutoff is not None:
        reason = (f"{len(done)} of {n} steps before {name or 'the cut-off'} at "
                  f"{call.where(cutoff)}{missing(left)}")
        if violations:
            reason += (f"; moved to {name} " if name else "; reached the cut-off ") + \
                      f"{times(violations)} with steps outstanding"
    else:
        reason = f"{len(done)} of {n} steps{missing(left)}"
        if check.before is not None:
            reason += f"; never moved to {name}" if name else "; cut-off never reached"
    return call.result(criterion, len(done) / n if n else 1.0, reason, moments,
                       {"steps": n, "steps_done": len(done), "violations": violations})
