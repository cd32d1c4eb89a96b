"""`response`: each trigger (usually the prospect's objection) opens a window of the
`within_turns` utterances after it, in which the steps (by the check's speaker) must follow
in order. Per trigger: the longest run of steps found in order / steps; score = mean over
triggers; not applicable when nothing triggers. `within` filters the triggers only. A step
with `any_turn` is done by any turn of the check's speaker (after the steps before it).
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from callcoach.matching import Match
from callcoach.rubric.model import Criterion, ResponseCheck
from callcoach.scoring.checks.base import Part, missing, step_parts
from callcoach.scoring.result import CriterionResult, Moment

if TYPE_CHECKING:
    from callcoach.scoring.context import CallContext


def parts(check: ResponseCheck) -> list[Part]:
    t = check.trigger
    return [Part("trigger", tuple(t.phrases), t.method or check.method,
                 t.threshold if t.threshold is not None else check.threshold, t.speaker),
            *[replace(p, windowed=False) for p in step_parts(check)]]   # after a trigger


def in_order(steps: list[tuple[str, list[Match]]], after: int) -> list[tuple[str, Match]]:
    """The longest chain of steps, in rubric order, whose matches come strictly one after
    another (and after utterance `after`). Exact, not greedy: a step said early and out of
    order does not block the steps after it. Ties go to the chain that ends earliest."""
    best: dict[int, list[tuple[str, Match]]] = {0: []}
    for step_id, hits in steps:
        for length in sorted(best, reverse=True):
            chain = best[length]
            end = (chain[-1][1].utterance, chain[-1][1].start) if chain else (after, 1 << 30)
            nxt = next((m for m in hits if (m.utterance, m.start) > end), None)
            if nxt is None:
                continue
            longer = best.get(length + 1)
            if longer is None or (nxt.utterance, nxt.start) < (longer[-1][1].utterance,
                                                               longer[-1][1].start):
                best[length + 1] = chain + [(step_id, nxt)]
    return best[max(best)]


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: ResponseCheck = criterion.check
    cid, n, turns = criterion.id, len(check.steps), check.within_turns
    name = check.trigger.name
    triggers = call.hits(cid, "trigger", check.within)
    if not triggers:
        reason = f"no {name} raised (not applicable)" if name else \
            "nothing triggered it (not applicable)"
        return call.result(criterion, None, reason, [], {"triggers": 0, "steps": n})
    step_hits = [(s.id, call.turns(f"{cid}/step/{s.id}", check.speaker) if s.any_turn else
                  sorted(call.hits(cid, f"step/{s.id}"), key=lambda m: (m.utterance, m.start)))
                 for s in check.steps]
    moments: dict[tuple, Moment] = {}
    shares: list[float] = []
    worst: tuple[float, Match, list[str]] | None = None
    for t in triggers:
        window = [(sid, [m for m in hits if t.utterance < m.utterance <= t.utterance + turns])
                  for sid, hits in step_hits]
        chain = in_order(window, t.utterance)
        shares.append(len(chain) / n if n else 1.0)
        moments.setdefault((t.utterance, t.start, "trigger"), call.moment(t, "trigger", "trigger"))
        for sid, m in chain:
            moments.setdefault((m.utterance, m.start, sid), call.moment(m, "match", sid))
        left = [s.id for s in check.steps if s.id not in {sid for sid, _ in chain}]
        if worst is None or shares[-1] < worst[0]:
            worst = (shares[-1], t, left)
    score = sum(shares) / len(shares)
    label = name or "trigger"
    _, t, left = worst
    done = n - len(left)
    if len(triggers) == 1:
        reason = f"{label} at {call.where(t)}: {done} of {n} steps in order within {turns} " \
                 f"turns{missing(left)}"
    else:
        full = sum(1 for s in shares if s >= 1.0)
        reason = f"{len(triggers)} {label}s, {full} fully handled; weakest at {call.where(t)}: " \
                 f"{done} of {n} steps in order{missing(left)}"
    return call.result(criterion, score, reason, list(moments.values()),
                       {"triggers": len(triggers), "steps": n,
                        "handled": sum(1 for s in shares if s >= 1.0)})
