"""`response`: each trigger (usually the prospect's objection) opens a window of the
`within_turns` utterances after it, in which the steps (by the check's speaker) must follow
in order. Per trigger: the longest run of steps found in order / steps; score = mean over
triggers; not applicable when nothing triggers. `within` filters the triggers only. A step
with `any_turn` is done by any turn of the check's speaker (after the steps before it); with
`first_answer` too, by the first turn that answers rather than asks, and the steps before it
count only before that answer. A trigger said in the turn right after a step of the trigger
before it, before that one was answered (the prospect answering "what's behind that?"), is
that trigger still, not a new one.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Literal

from pydantic import Field, model_validator

from callcoach import prose
from callcoach.fmt import where
from callcoach.matching import Match
from callcoach.matching.language import FILLERS
from callcoach.rubric.fields import MAX_COUNT, CheckBase, Step, Trigger
from callcoach.scoring import forms
from callcoach.scoring.checks.base import (Exemplar, Gap, Part, Smell, Turn, exemplar_of_matches,
                                           first_phrase, matches, missing, moment_questions,
                                           step_name, step_parts, triggers, unasked)
from callcoach.scoring.result import CriterionResult, Moment

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion
    from callcoach.scoring.context import CallContext
    from callcoach.transcript import Utterance


class ResponseCheck(CheckBase):
    """Each trigger opens `within_turns` turns in which the steps must follow in order.
    Not applicable when nothing triggers it."""

    type: Literal["response"]
    trigger: Trigger
    steps: list[Step]
    within_turns: int = Field(4, ge=1, le=MAX_COUNT)

    @model_validator(mode="after")
    def _one_answer(self):
        if any(s.cues for s in self.steps):
            raise ValueError("cues are for the steps of a sequence with asked: true (the "
                             "questions of a discovery), not of a response")
        if sum(s.first_answer for s in self.steps) > 1:
            raise ValueError("only one step can be the first answer (first_answer: true)")
        return self


EXAMPLES = "match"   # examples run through the matchers (rubric lint)
MODEL = ResponseCheck


def parts(check: ResponseCheck) -> list[Part]:
    t = check.trigger
    return [Part("trigger", tuple(t.phrases), t.method or check.method,
                 t.threshold if t.threshold is not None else check.threshold, t.speaker),
            *[replace(p, windowed=False) for p in step_parts(check)]]   # after a trigger


def looks_for(check: ResponseCheck) -> str:
    steps = " → ".join(s.id for s in check.steps)
    trigger = check.trigger.name or first_phrase(check.trigger.phrases)
    return (f"after {check.trigger.speaker} says {trigger}: {steps} "
            f"within {check.within_turns} turns")


def smells(check: ResponseCheck) -> list[Smell]:
    return []


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


def _step_matches(step: Step, cid: str, check: ResponseCheck, call: CallContext,
                  windows: set[int]) -> list[Match]:
    """A step's matches in call order: its phrases', and those of its form (open_question,
    opening) in the turns of the check's speaker inside a trigger's window."""
    key = f"{cid}/step/{step.id}"
    if step.any_turn:
        return call.turns(key, check.speaker)
    hits = _asked(step, call, call.hits(cid, f"step/{step.id}"))
    if forms.has_form(step):
        hits = hits + forms.matches(step, key, call,
                                    [u for u in call.spoken(check.speaker) if u in windows])
    return sorted(hits, key=lambda m: (m.utterance, m.start))


def _windows(check: ResponseCheck, triggers: list[Match]) -> set[int]:
    """The utterances inside some trigger's window."""
    return {u for t in triggers
            for u in range(t.utterance + 1, t.utterance + check.within_turns + 1)}


def _asked(step: Step, call: CallContext, hits: list[Match]) -> list[Match]:
    """A step's phrase matches that count: with `asked`, those in a sentence that asks."""
    return [m for m in hits if call.asks_at(m)] if step.asked else hits


def passed_over(criterion: Criterion, call: CallContext) -> list[tuple[Match, str]]:
    """explain's near misses the matchers cannot see: step matches where nothing is asked,
    inside a trigger's window (elsewhere they could not have counted anyway)."""
    check: ResponseCheck = criterion.check
    if not any(step.asked for step in check.steps):
        return []
    windows = _windows(check, _triggers(criterion.id, check, call))
    return [(m, unasked(m)) for step in check.steps if step.asked
            for m in call.hits(criterion.id, f"step/{step.id}")
            if m.utterance in windows and not call.asks_at(m)]


def _says_something(sentence: str) -> bool:
    """More than a backchannel: three words or more, not all of them fillers ("mm hmm",
    "okay", "yeah sure")."""
    words = sentence.split()
    return len(words) >= 3 and not all(w in FILLERS for w in words)


def _answered(window: list[tuple[str, list[Match]]], check: ResponseCheck,
              call: CallContext) -> list[tuple[str, list[Match]]]:
    """The window's step matches, with the `first_answer` step done by the first turn of the
    check's speaker that asks nothing and says something more than the steps before it (at
    its first such sentence: more than a backchannel, and not agreeing by the opening of a
    step before it), and those steps cut to before it. Unchanged when no step has
    first_answer, when no turn answers, or when the transcript has no "?" (questions cannot
    be told)."""
    answer_step = next((i for i, s in enumerate(check.steps) if s.first_answer), None)
    if answer_step is None or not call.punctuated:
        return window
    earlier = {sid for sid, _ in window[:answer_step]}
    agreeing = [forms.agreeing(s) for s in check.steps[:answer_step] if forms.has_form(s)]
    for turn in window[answer_step][1]:   # an any_turn step's matches: the speaker's turns
        u = turn.utterance
        norm = call.doc.texts[u]
        if not norm.sentences or any(call.asks(u)):
            continue
        held = {norm.locate(m.start, m.start + 1)[0]
                for sid, hits in window if sid in earlier for m in hits if m.utterance == u}
        said = next((k for k in range(len(norm.sentences))
                     if k not in held and _says_something(norm.sentences[k])
                     and not _agrees_only(norm.sentences[k], agreeing)), None)
        if said is None:   # the steps before it and nothing else: "I hear you.", "Mm-hmm."
            continue
        answer = call.sentence(turn.group, u, said)
        start = answer.start
        return [(sid, [answer] if i == answer_step else
                 [m for m in hits if (m.utterance, m.start) < (u, start)] if sid in earlier
                 else hits)
                for i, (sid, hits) in enumerate(window)]
    return window


def _agrees_only(sentence: str, agreeing: list[Callable[[tuple[str, ...]], bool]]) -> bool:
    """Does the (normalised) sentence only agree, by the opening of some step before?"""
    words = tuple(sentence.split())
    return any(agrees(words) for agrees in agreeing)


def _between(hits: list[Match], at: list[int], after: int, last: int) -> list[Match]:
    """The matches (in call order; `at`: their utterances) after utterance `after`, up to
    and including `last`."""
    return hits[bisect_right(at, after):bisect_right(at, last)]


def _still_on(t: Match, open_: Match, chain: list[tuple[str, Match]], check: ResponseCheck,
              call: CallContext) -> bool:
    """Is trigger `t` a reply to the handling of the trigger `open_` before it: said inside
    its window, right after a turn of the check's speaker that holds one of its steps and
    asks something, before its last step was done (the prospect answering "what's behind
    that?")?"""
    last, before = check.steps[-1].id, t.utterance - 1
    return (t.utterance <= open_.utterance + check.within_turns
            and any(m.utterance == before for _, m in chain)
            and not any(sid == last and m.utterance < t.utterance for sid, m in chain)
            and any(call.asks(before)))


def _triggers(cid: str, check: ResponseCheck, call: CallContext) -> list[Match]:
    """The trigger's matches, one per utterance: its phrases', and its form's (pushback) in
    the turns of its speaker inside `within`."""
    hits, t = call.hits(cid, "trigger", check.within), check.trigger
    return (forms.beside(t, f"{cid}/trigger", hits, call, t.speaker, check.within)
            if forms.has_form(t) else hits)


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: ResponseCheck = criterion.check
    cid, n, turns = criterion.id, len(check.steps), check.within_turns
    name = check.trigger.name
    triggers = _triggers(cid, check, call)
    if not triggers:
        reason = f"no {name} raised (not applicable)" if name else \
            "nothing triggered it (not applicable)"
        return call.result(criterion, None, reason, [], {"triggers": 0, "steps": n})
    windows = _windows(check, triggers)
    step_hits = [(s.id, _step_matches(s, cid, check, call, windows)) for s in check.steps]
    starts = [[m.utterance for m in hits] for _, hits in step_hits]   # sorted: bisect them
    moments: dict[tuple, Moment] = {}
    shares: list[float] = []
    worst: tuple[float, Match, list[str]] | None = None
    kept: list[tuple[Match, list[tuple[str, Match]]]] = []   # each trigger counted, its chain
    for t in triggers:
        if kept and _still_on(t, *kept[-1], check, call):
            continue
        window = _answered([(sid, _between(hits, at, t.utterance, t.utterance + turns))
                            for (sid, hits), at in zip(step_hits, starts)], check, call)
        chain = in_order(window, t.utterance)
        kept.append((t, chain))
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
    if len(kept) == 1:
        reason = f"{label} at {call.where(t)}: {done} of {n} steps in order within {turns} " \
                 f"turns{missing(left)}"
    else:
        full = sum(1 for s in shares if s >= 1.0)
        reason = f"{len(kept)} {label}s, {full} fully handled; weakest at {call.where(t)}: " \
                 f"{done} of {n} steps in order{missing(left)}"
    return call.result(criterion, score, reason, list(moments.values()),
                       {"triggers": len(kept), "steps": n,
                        "handled": sum(1 for s in shares if s >= 1.0)})


# -- coaching -----------------------------------------------------------------------------
def trigger_name(criterion: Criterion) -> str:
    return criterion.check.trigger.name or "objection"


def skipped(criterion: Criterion, result: CriterionResult, trigger: Moment) -> list[str]:
    """Steps not done (in order) in the trigger's window: the check stores a match moment only
    for the steps of the in-order chain."""
    end = trigger.utterance + criterion.check.within_turns
    done = {m.step for m in result.moments
            if m.kind == "match" and m.step and trigger.utterance < m.utterance <= end}
    return [st.id for st in criterion.check.steps if st.id not in done]


def gap(criterion: Criterion, result: CriterionResult, utts: list[Utterance]) -> Gap:
    """The trigger handled worst: which steps were skipped after it."""
    found = triggers(result)
    if not found:
        return Gap(None, result.reason)
    worst, worst_skipped = found[0], None
    gaps = []
    for t in found:
        left = skipped(criterion, result, t)
        gaps.append(left)
        if worst_skipped is None or len(left) > len(worst_skipped):
            worst, worst_skipped = t, left
    steps = criterion.check.steps
    label = trigger_name(criterion)
    note = (f"{prose.upper_first(label)} at {where(worst.start, worst.utterance)} "
            f"({prose.quote(worst.text)}): {len(worst_skipped)} of {len(steps)} steps skipped: "
            f"{prose.names([step_name(criterion, x) for x in worst_skipped])}.")
    if len(found) > 1:
        short = sum(1 for g in gaps if g)
        note += f" {short} of {len(found)} {label}s in this call were not handled in full."
    return Gap(worst.utterance, note, worst.utterance - 1,
               worst.utterance + criterion.check.within_turns)


def questions(criterion: Criterion, result: CriterionResult, focus: Turn | None,
              heard: Turn | None, utts: list[Utterance]) -> list[str]:
    if focus is None:
        return moment_questions(criterion, utts)
    trigger = next((t for t in triggers(result) if t.utterance == focus.utterance), None)
    left = [] if trigger is None else skipped(criterion, result, trigger)
    qs = [f"When {focus.speaker} said {prose.quote(focus.text)} at {focus.at}, what did you "
          f"hear?"]
    if left:
        qs.append(f"What made you go on without "
                  f"{prose.names([step_name(criterion, x) for x in left])}?")
        qs.append(f"What might {step_name(criterion, left[0])} have told you about what was "
                  f"really behind the objection?")
    qs.append("How did you know whether your answer had landed before you moved on?")
    return qs


def exemplar(criterion: Criterion, rep: str, result: CriterionResult) -> Exemplar:
    """The first trigger and the turns after it in which the steps were done."""
    found = triggers(result)
    if not found:
        return exemplar_of_matches(rep, result)
    t, turns = found[0], criterion.check.within_turns
    focus = {t.utterance} | {m.utterance for m in matches(result)
                             if t.utterance < m.utterance <= t.utterance + turns}
    return Exemplar(frozenset(focus), frozenset(range(t.utterance, t.utterance + turns + 1)),
                    f"How {rep} handled the {trigger_name(criterion)} at "
                    f"{where(t.start, t.utterance)}.")
