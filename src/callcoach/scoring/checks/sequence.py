"""`sequence`: steps done before a cut-off.

The cut-off is the first `before` moment; score = steps done before it / steps (steps done
anywhere when the cut-off never comes). Every `before` moment reached while steps are still
outstanding is a violation ("moved to pricing 3 times with steps outstanding"); a violation
moment's `step` lists the outstanding step ids, comma-separated, so stored moments keep it.
Several `before` hits in one utterance are one moment.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Literal, Optional

from pydantic import Field, model_validator

from callcoach import prose
from callcoach.fmt import where
from callcoach.matching import Match
from callcoach.matching.language import MIN_SENTENCE_WORDS, asks_openly, prompts
from callcoach.matching.normalize import normalize, normalize_many
from callcoach.rubric.fields import Before, CheckBase, Step
from callcoach.scoring import forms
from callcoach.scoring.checks.base import (Exemplar, Gap, Part, Smell, Turn, first_phrase, matches,
                                           missing, moment_questions, step_name, step_parts, times,
                                           unasked, where_within)
from callcoach.scoring.result import CriterionResult, Moment

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion
    from callcoach.scoring.context import CallContext
    from callcoach.transcript import Utterance


class SequenceCheck(CheckBase):
    """All steps before a cut-off (`before`); each cut-off with steps outstanding is a violation."""

    type: Literal["sequence"]
    steps: list[Step]
    before: Optional[Before] = None
    asked: bool = Field(False, description=(
        "The steps are questions: a step counts only in a sentence of the speaker's that asks "
        "(ending in '?', or a prompt: 'tell me ...', 'walk me through ...', 'I'm curious how "
        "...'), and a question counts for the one step it is most like (on a tie, the "
        "earlier step). In a transcript with no '?' at all, questions cannot be told: there "
        "every match counts."))

    @model_validator(mode="after")
    def _no_any_turn(self):
        if any(s.any_turn for s in self.steps):
            raise ValueError("any_turn is for the steps of a response check (in a sequence "
                             "every step would be done by the first turn)")
        if any(forms.has_form(s) for s in self.steps):
            raise ValueError("open_question and opening are for the steps of a response check "
                             "(in a sequence they would stand for any question or reply)")
        if any(s.cues for s in self.steps) and not self.asked:
            raise ValueError("cues count only in questions: set asked: true beside the steps")
        if any(s.asked for s in self.steps):
            raise ValueError("in a sequence, asked is the check's (asked: true beside steps), "
                             "not a step's")
        return self


EXAMPLES = "match"   # examples run through the matchers (rubric lint)
MODEL = SequenceCheck


def parts(check: SequenceCheck) -> list[Part]:
    out = step_parts(check)
    if check.before is not None:
        b = check.before
        out.append(Part("before", tuple(b.phrases), b.method or check.method,
                        b.threshold if b.threshold is not None else check.threshold,
                        b.speaker or check.speaker))
    return out


def looks_for(check: SequenceCheck) -> str:
    steps = " → ".join(s.id for s in check.steps)
    cut = (f" before {check.before.name or first_phrase(check.before.phrases)}"
           if check.before is not None else "")
    return f"{steps}{cut}{where_within(check)}"


def smells(check: SequenceCheck) -> list[Smell]:
    if len(check.steps) == 1:
        return [Smell(("steps",), "single-step", "a sequence with one step is a phrase check",
                      "add the other steps, or use type: phrase")]
    found, seen = [], {}
    for i, step in enumerate(check.steps):
        for j, cue in enumerate(step.cues):
            key = " ".join(normalize(cue).split())
            if key in seen and seen[key] != step.id:
                found.append(Smell(("steps", i, "cues", j), "cue-in-two-steps",
                                   f"cue '{cue}' is also step {seen[key]}'s: a question saying it "
                                   f"goes to whichever step's cue comes first",
                                   "keep each cue in one step"))
            seen.setdefault(key, step.id)
    return found


def _pos(m: Match) -> tuple[int, int]:
    return m.utterance, m.start


def _priced(cid: str, check: SequenceCheck, call: CallContext) -> list[Match]:
    """The cut-off's form matches (`price`): sentences of its speaker that state a price."""
    b = check.before
    if b is None or not forms.has_form(b):
        return []
    return forms.matches(b, f"{cid}/before", call,
                         call.spoken(b.speaker or check.speaker, check.within))


def _steps(cid: str, check: SequenceCheck,
           call: CallContext) -> tuple[dict[str, list[Match]], list[tuple[Match, str]]]:
    """Each step's matches that count, and those passed over, each with why. With `asked`, a
    match counts where its sentence asks (CallContext.asks), for the step it is most like:
    where matches of several steps overlap, the most similar (on a tie, the earliest step)
    keeps it, so "who would decide?" is not a timeline question as well."""
    hits = {s.id: call.hits(cid, f"step/{s.id}", check.within) for s in check.steps}
    if not check.asked:
        return hits, []
    passed_over: list[tuple[Match, str]] = []
    said: dict[int, list[tuple[int, str, Match]]] = {}   # utterance -> (step order, step, match)
    for order, (step_id, found) in enumerate(hits.items()):
        for m in found:
            said.setdefault(m.utterance, []).append((order, step_id, m))
    kept: dict[str, list[Match]] = {step_id: [] for step_id in hits}
    for here in said.values():
        passed_over += [(m, unasked(m)) for _, _, m in here if not call.asks_at(m)]
        here = [entry for entry in here if call.asks_at(entry[2])]
        for order, step_id, m in here:
            top, _, best = min((-o.similarity, o_order, o_step) for o_order, o_step, o in here
                               if o.start < m.end and m.start < o.end)   # m is among them
            if best == step_id:
                kept[step_id].append(m)
            else:
                passed_over.append((m, f"matched ({m.similarity:g}), but the question is more "
                                       f"like step {best} ({-top:g})"))
    return _cued(cid, check, call, kept, said), passed_over


def _cued(cid: str, check: SequenceCheck, call: CallContext, kept: dict[str, list[Match]],
          said: dict[int, list]) -> dict[str, list[Match]]:
    """`kept`, and each question of the speaker's that no step's phrase matched, for the step
    whose cue it says first (Step.cues). Where the transcript has no "?", no question can be
    told from a statement, and cues count nowhere. Only a step's first match counts, so once
    every step has one, later turns are not read."""
    index = _index_of(check)
    if not index or not call.punctuated:
        return kept
    firsts = [min((m.utterance for m in found), default=None) for found in kept.values()]
    last_needed = None if None in firsts else max(firsts)   # only a step's first match counts
    for u in call.spoken(check.speaker, check.within):
        if last_needed is not None and u > last_needed:
            break
        norm = call.doc.texts[u]
        # the cheap tests first: no cue word at all, or nothing that could ask
        if index.keys().isdisjoint(norm.words) or (
                "?" not in call.utterances[u].text and not prompts(norm.text, norm.words)):
            continue
        taken = {norm.locate(m.start, m.start + 1)[0] for _, _, m in said.get(u, ())}
        for k, step_id in _cued_sentences(norm, lambda k: call.asks(u)[k], index, taken):
            kept[step_id].append(call.sentence(f"{cid}/step/{step_id}", u, k))
    for found in kept.values():
        found.sort(key=_pos)
    return kept


def _cued_sentences(norm, asks, index: CueIndex, taken=frozenset()):
    """(sentence, step) for each sentence of `norm` not in `taken` that a cue does: the step
    of the first cue it says, in an open question or a prompt (`asks(k)`: does sentence k ask;
    read only where a cue is). "Can you hear me okay right now?" and "Would it be a problem if
    I record this?" ask about no step."""
    for k, sentence in enumerate(norm.sentences):
        if k in taken:
            continue
        words = sentence.split()
        step_id = _first_cue(words, index)
        if step_id is not None and asks(k) and (asks_openly(words, norm.clause_marks(k))
                                                or prompts(sentence, words)):
            yield k, step_id


def cued_step(check: SequenceCheck, text: str) -> tuple[str, str] | None:
    """(the step, the sentence) a cue does in `text`, read alone as scoring reads a turn (lint's
    examples); None without cues, or in a text with no "?"."""
    index = _index_of(check)
    if not index or not check.asked or "?" not in text:
        return None
    norm = normalize_many([text])[0]
    asks = forms.asking(text, norm)
    k, step_id = next(_cued_sentences(norm, asks.__getitem__, index), (None, None))
    return None if k is None else (step_id, norm.sentences[k])


def _index_of(check: SequenceCheck) -> CueIndex:
    return _cue_index(tuple((s.id, tuple(s.cues)) for s in check.steps if s.cues))


CueIndex = dict[str, list[tuple[tuple[str, ...], int, str]]]


@functools.lru_cache(maxsize=64)
def _cue_index(steps: tuple[tuple[str, tuple[str, ...]], ...]) -> CueIndex:
    """first word -> (the cue's words, step order, step id), the rubric's cues normalised."""
    index: CueIndex = {}
    for order, (step_id, cues) in enumerate(steps):
        for cue in cues:
            words = tuple(normalize(cue).split())
            if words:
                index.setdefault(words[0], []).append((words, order, step_id))
    return index


def _first_cue(words: list[str], index: CueIndex) -> str | None:
    """The step of the first cue said in a question (on one word, the earlier step); none
    in a fragment."""
    if len(words) < MIN_SENTENCE_WORDS:   # "budget or timing?" is a fragment
        return None
    for i, w in enumerate(words):
        found = [(order, step_id) for cue, order, step_id in index.get(w, ())
                 if tuple(words[i:i + len(cue)]) == cue]
        if found:
            return min(found)[1]
    return None


def passed_over(criterion: Criterion, call: CallContext) -> list[tuple[Match, str]]:
    """explain's near misses the matchers cannot see: step matches the check did not count."""
    return _steps(criterion.id, criterion.check, call)[1]


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: SequenceCheck = criterion.check
    cid, within = criterion.id, check.within
    first: dict[str, Match] = {}
    for step_id, hits in _steps(cid, check, call)[0].items():
        if hits:
            first[step_id] = min(hits, key=_pos)
    cuts: list[Match] = []
    for m in sorted(call.hits(cid, "before", within) + _priced(cid, check, call), key=_pos):
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


# -- coaching -----------------------------------------------------------------------------
def outstanding(criterion: Criterion, result: CriterionResult, utterance: int) -> list[str]:
    """Steps still outstanding at an utterance: those its violation moment lists in `step`,
    else the steps not matched before it."""
    known = {st.id for st in criterion.check.steps}
    for m in result.moments:
        if m.kind == "violation" and m.utterance == utterance and m.step:
            ids = [x for x in m.step.split(",") if x in known]
            if ids:
                return ids
    done = {m.step for m in result.moments
            if m.kind == "match" and m.step and m.utterance < utterance}
    return [st.id for st in criterion.check.steps if st.id not in done]


def cutoff_name(criterion: Criterion) -> str | None:
    before = criterion.check.before
    return before.name if before is not None and before.name else None


def _names(criterion: Criterion, ids: list[str]) -> str:
    return prose.names([step_name(criterion, x) for x in ids])


def gap(criterion: Criterion, result: CriterionResult, utts: list[Utterance]) -> Gap:
    """The first time the rep moved on with steps outstanding, and which steps."""
    steps = criterion.check.steps
    cutoffs = sorted((m for m in result.moments if m.kind == "violation"),
                     key=lambda m: m.utterance)
    if not cutoffs:
        # The cut-off never came: the steps were simply never all asked.
        left = outstanding(criterion, result, 10 ** 9)
        return Gap(len(utts) - 1 if utts else None,
                   f"{len(left)} of {len(steps)} steps never asked in this call: "
                   f"{_names(criterion, left)}.")
    first = cutoffs[0]
    left = outstanding(criterion, result, first.utterance)
    cut = cutoff_name(criterion)
    moved = f"moved to {cut}" if cut else "moved on"
    note = (f"{len(left)} of {len(steps)} steps outstanding when the rep {moved} at "
            f"{where(first.start, first.utterance)} ({prose.quote(first.text)}): "
            f"{_names(criterion, left)}.")
    n = result.counts.get("violations", len(cutoffs))
    if n > 1:
        again = ", ".join(where(m.start, m.utterance) for m in cutoffs[1:])
        note += (f" {prose.upper_first(moved)} with steps outstanding {prose.times(n)} in "
                 f"this call" + (f" (again at {again})." if again else "."))
    return Gap(first.utterance, note)


def questions(criterion: Criterion, result: CriterionResult, focus: Turn | None,
              heard: Turn | None, utts: list[Utterance]) -> list[str]:
    if focus is None:
        return moment_questions(criterion, utts)
    left = outstanding(criterion, result, focus.utterance)
    names, qs = _names(criterion, left), []
    question = prose.plural(len(left), "question")
    if left and any(m.kind == "violation" for m in result.moments):
        cut = cutoff_name(criterion)
        to = f"to {cut}" if cut else f"on to {prose.quote(focus.text)}"
        qs.append(f"What made you move {to} at {focus.at} before you had the {names} "
                  f"{question}?")
        if heard:
            qs.append(f"Just before that, {heard.speaker} said "
                      f"{prose.end(prose.quote(heard.text))} What did you hear in it that told "
                      f"you they were ready?")
        n = result.counts.get("violations", 0)
        if n > 1:
            qs.append(f"You moved on with questions outstanding {prose.times(n)} in this call. "
                      f"What was pulling you forward each time?")
    else:
        qs.append(f"Which of the {names} {question} did you mean to ask, and what got in the "
                  f"way?")
    qs.append(f"What would the {names} answers have changed about how you pitched?")
    return qs


def exemplar(criterion: Criterion, rep: str, result: CriterionResult) -> Exemplar:
    """The steps asked, each with the reply it drew, and where the rep moved on."""
    found = matches(result)
    if not found:
        return Exemplar(frozenset(), frozenset(), result.reason)
    keep = {i for m in found for i in (m.utterance, m.utterance + 1)}
    cut = [m for m in result.moments if m.kind in ("cutoff", "violation")]
    if cut:
        keep.add(cut[0].utterance)
    steps = list(dict.fromkeys(m.step for m in found if m.step))
    if steps:
        c = cutoff_name(criterion)
        moved = f"moving to {c}" if c else "moving on"
        note = (f"{rep} asked {_names(criterion, steps)}"
                + (f" before {moved} at {where(cut[0].start, cut[0].utterance)}." if cut else "."))
    else:
        note = f"Where {rep} did it, at {where(found[0].start, found[0].utterance)}."
    return Exemplar(frozenset(m.utterance for m in found), frozenset(keep), note)
