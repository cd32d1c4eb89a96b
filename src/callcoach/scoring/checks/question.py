"""`question`: a plain question a language model answers about the call — pass, fail or not
applicable — quoting the transcript (docs/judge.md). For behaviours with too many wordings for
a phrase list: "did the rep tie the next step to the prospect's own goal?".

What is sent: the turns inside `within` (the whole call without it) and CONTEXT_TURNS around
them; with `prefilter: intent`, only the turns around the moments the intent matcher found for
the check's `phrases` (no such moment: nothing is sent). An excerpt longer than
MAX_EXCERPT_TOKENS is cut into parts that overlap by CONTEXT_TURNS; the call passes when a part
passes, is not applicable when every part is, and fails otherwise.

What comes back is checked: every quote must be found (fuzzy, QUOTE_MATCH) in a line sent at
or near the time it names; a quote the transcript does not hold makes the result unverified,
not applicable (neither pass nor fail), with the model's claim as its moment. A pass needs a
verified quote.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import partial
from typing import TYPE_CHECKING, Literal, Optional

from pydantic import Field

from callcoach import prose
from callcoach.fmt import shorten, where
from callcoach.rubric.fields import CheckBase, Phrases
from callcoach.scoring.checks.base import (Exemplar, Gap, Part, Smell, Turn, exemplar_of_matches,
                                           first_phrase, moment_questions, phrase_parts, quote,
                                           unplaced_gap, where_within)
from callcoach.scoring.context import make_result
from callcoach.scoring.result import Ask, CriterionResult, Moment, Pending

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion
    from callcoach.scoring.context import CallContext
    from callcoach.transcript import Utterance

PROMPT_VERSION = 1           # bump when the prompt's wording changes: cached answers expire
CONTEXT_TURNS = 2            # turns sent either side of the window or a prefilter moment
MAX_EXCERPT_TOKENS = 3000    # transcript tokens per request: fits a 4k-context local model
CHARS_PER_TOKEN = 4          # the usual estimate for English text
QUOTE_MATCH = 85             # similarity (0-100) a quote needs with the words of its line
NEAR_SECONDS = 30            # a quote may name a time this far from its line's start
NEAR_TURNS = 2               # ... or, without timestamps, this many turns away
WHO = {"rep": "the rep", "prospect": "the prospect", "any": "either speaker"}
EXAMPLES = "verdict"


class QuestionCheck(CheckBase):
    """A question a language model answers about the call (pass, fail or not applicable),
    quoting the transcript; every quote is checked against it."""

    type: Literal["question"]
    ask: str = Field(min_length=1, description="The question, answered yes (pass) or no (fail).")
    na_when: str = Field("never", description=(
        "When the question does not apply, e.g. 'the prospect raises no objection'; 'never' "
        "(the default): it always applies."))
    prefilter: Optional[Literal["intent"]] = Field(None, description=(
        "intent: ask only about calls where the matcher finds one of `phrases` (inside "
        "`within`), sending the turns around them; a call without one is not sent."))
    phrases: Phrases = Field(default_factory=list)


MODEL = QuestionCheck


def parts(check: QuestionCheck) -> list[Part]:
    return phrase_parts(check) if check.prefilter else []


def looks_for(check: QuestionCheck) -> str:
    pre = f", only where {first_phrase(check.phrases)} is said" if check.prefilter else ""
    return f"asks a model: {check.ask}{where_within(check)}{pre}"


def smells(check: QuestionCheck) -> list[Smell]:
    if check.prefilter and not check.phrases:
        return [Smell(("prefilter",), "prefilter-without-phrases",
                      "prefilter: intent needs phrases to look for; without them no call is "
                      "ever sent", "add phrases: the ways the moment is usually said",
                      "error")]
    if check.phrases and not check.prefilter:
        return [Smell(("phrases",), "phrases-unused",
                      "a question check uses phrases only with prefilter: intent",
                      "add prefilter: intent, or remove phrases")]
    return []


def na_allowed(check: QuestionCheck) -> bool:
    return check.na_when.strip().lower() != "never"


# -- what is sent ---------------------------------------------------------------------------
def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: QuestionCheck = criterion.check
    utts = call.utterances
    if check.prefilter:
        focus = sorted({m.utterance for m in call.hits(criterion.id, "phrases", check.within)})
    else:
        inside = call.window(check.within)
        focus = [i for i in range(call.n) if inside is None or inside[i]]
    if not focus:
        what = ("no moment the prefilter looks for" if check.prefilter
                else "no turn inside the window")
        return call.result(criterion, None if na_allowed(check) else 0.0,
                           f"{what}{where_within(check)}; not sent to the model",
                           [], {"requests": 0})
    asks, sent = [], []
    for turns in excerpt_parts(utts, focus):
        asks.append(ask_for(criterion, utts, turns, call.timed))
        sent.append([utts[i] for i in turns])
    # A pass must quote the window itself, not the context turns sent around it.
    window = None if check.prefilter or check.within is None else \
        (frozenset(focus), check.within.describe("the "))
    finish = partial(_finish, criterion.id, window, na_allowed(check), call.pass_mark,
                     call.timed, sent)
    if call.answers is not None:
        cached = [call.answers(a) for a in asks]
        if all(c is not None for c in cached):
            from callcoach.judge import Answer
            result = finish([Answer.model_validate(c) for c in cached])
            if call.near_misses:
                result.near_misses = call.near_misses_of(criterion)
            return result
    return Pending(criterion.id, None, None, "no answer from the model yet (callcoach score "
                   "asks it when a model is configured)", [], {}, [], asks, finish)


def excerpt_parts(utts: list[Utterance], focus: list[int]) -> list[list[int]]:
    """The turns to send, as parts of at most MAX_EXCERPT_TOKENS: `focus` with CONTEXT_TURNS
    either side, cut into consecutive parts that repeat the last CONTEXT_TURNS turns."""
    keep = sorted({j for i in focus for j in range(i - CONTEXT_TURNS, i + CONTEXT_TURNS + 1)
                   if 0 <= j < len(utts)})
    budget = MAX_EXCERPT_TOKENS * CHARS_PER_TOKEN
    out: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i in keep:
        n = len(utts[i].text) + 24
        if current and size + n > budget:
            out.append(current)
            current = current[-CONTEXT_TURNS:] if CONTEXT_TURNS else []
            size = sum(len(utts[j].text) + 24 for j in current)
        current.append(i)
        size += n
    out.append(current)
    return out


def ask_for(criterion: Criterion, utts: list[Utterance], turns: list[int], timed: bool) -> Ask:
    """The request for one part of the excerpt: a system message with the answer's schema, and
    the criterion (question, standard, anchors) with the transcript lines."""
    from callcoach.judge import answer_schema

    check: QuestionCheck = criterion.check
    verdicts = ("pass", "fail", "na") if na_allowed(check) else ("pass", "fail")
    schema = answer_schema(verdicts)
    na = (f', "na" when the question does not apply: {check.na_when}' if na_allowed(check)
          else "")
    system = (
        "You review recorded sales calls for a sales team's coaching. You answer one question "
        "about one call, using only the transcript lines given. Reply with one JSON object and "
        f"nothing else, following this JSON Schema:\n{json.dumps(schema, sort_keys=True)}\n\n"
        f'verdict: "pass" when the lines show what the question asks, "fail" when they do '
        f"not{na}.\n"
        "evidence: the lines that decide the verdict. For each, copy its time (or turn) and "
        "speaker exactly as shown in brackets, and quote words copied exactly from that one "
        "line. A pass needs at least one quote. Never quote words the transcript does not "
        "hold.\nreason: one sentence.")
    anchors = criterion.anchors
    about = [f"Criterion: {criterion.title}"]
    if criterion.standard:
        about.append(f"Standard: {criterion.standard}")
    if anchors is not None and anchors.pass_:
        about.append(f"What passing looks like: {anchors.pass_}")
    if anchors is not None and anchors.fail:
        about.append(f"What failing looks like: {anchors.fail}")
    about.append(f"Question: {check.ask}")
    about.append(f"Whose behaviour: {WHO[check.speaker]}")
    if check.within is not None and not check.prefilter:
        about.append(f"Where: {check.within.describe('the ')} of the call; the lines around "
                     f"it are context only")
    if na_allowed(check):
        about.append(f"Not applicable when: {check.na_when}")
    scope = "the whole call" if len(turns) == len(utts) else \
        "the part of the call the question is about ('…' marks turns left out)"
    lines, previous = [], None
    for i in turns:
        if previous is not None and i != previous + 1:
            lines.append("…")
        u = utts[i]
        text = shorten(" ".join(u.text.split()), MAX_EXCERPT_TOKENS * CHARS_PER_TOKEN // 2)
        lines.append(f"[{where(u.start if timed else None, u.index)}] {u.speaker} ({u.role}): "
                     f"{text}")
        previous = i
    criterion_text = "\n".join(about) + f"\n\nTranscript ({scope}):\n"
    transcript_text = "\n".join(lines)
    messages = ({"role": "system", "content": system},
                {"role": "user", "content": criterion_text + transcript_text})
    tokens = -(-sum(len(m["content"]) for m in messages) // CHARS_PER_TOKEN)
    return Ask(messages, schema, verdicts, _hash(transcript_text), _hash(system + criterion_text),
               PROMPT_VERSION, tokens)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


# -- what comes back ------------------------------------------------------------------------
def _finish(criterion_id: str, window: tuple | None, na_ok: bool, pass_mark: float,
            timed: bool, sent: list[list[Utterance]], answers: list) -> CriterionResult:
    """The result from one answer (or JudgeError) per part of the excerpt. `window`: the
    turns a pass must quote and how to name them (None: any turn sent)."""
    errors = [a for a in answers if isinstance(a, Exception)]
    if errors:
        return make_result(criterion_id, None, f"not judged: {errors[0].message}", [],
                           {"requests": len(answers), "judge_errors": len(errors)}, pass_mark)
    outcomes = [_verify(a, utts, timed) for a, utts in zip(answers, sent)]
    counts = {"requests": len(answers)}
    if window is not None:
        for k, (a, ok, bad) in enumerate(outcomes):
            outside = [m for m in ok if m.utterance not in window[0]]
            if a.verdict == "pass" and ok and len(outside) == len(ok) and not bad:
                a = a.model_copy(update={"verdict": "outside", "reason": (
                    f"the model answered pass quoting "
                    f"{', '.join(where(m.start, m.utterance) for m in ok)}, outside {window[1]}")})
                outcomes[k] = (a, [], [])
    passing = [(a, ok) for a, ok, bad in outcomes if a.verdict == "pass" and ok and not bad]
    if passing:
        a, ok = passing[0]
        return make_result(criterion_id, 1.0, _reason(a, ok), [_moment(m, "match") for m in ok],
                           counts, pass_mark)
    doubtful = [(a, bad) for a, ok, bad in outcomes if bad or (a.verdict == "pass" and not ok)]
    if doubtful:
        a, bad = doubtful[0]
        counts["unverified"] = 1
        if not bad:
            reason = (f"unverified: the model answered pass without quoting the transcript "
                      f"({shorten(a.reason, 100) or 'no reason given'})")
        else:
            claim, mo = bad[0]
            reason = (f"unverified: the model answered {a.verdict} quoting {quote(claim.quote)} "
                      f"at {claim.time}, which the transcript does not say there (closest: "
                      f"{quote(mo.text)}, {mo.similarity:g}% alike)")
        return make_result(criterion_id, None, reason, [mo for _, mo in bad], counts, pass_mark)
    failing = [(a, ok) for a, ok, _ in outcomes if a.verdict in ("fail", "outside")]
    if failing or not na_ok:
        a, ok = (failing or [(outcomes[0][0], outcomes[0][1])])[0]
        return make_result(criterion_id, 0.0, _reason(a, ok),
                           [_moment(m, "violation") for _, o in failing for m in o],
                           counts, pass_mark)
    a = outcomes[0][0]
    return make_result(criterion_id, None, f"not applicable: {shorten(a.reason, 140)}", [],
                       counts, pass_mark)


def _reason(answer, verified: list) -> str:
    if answer.verdict == "outside":   # a pass that quoted only the context turns
        return answer.reason
    text = f"the model answered {answer.verdict}: {shorten(answer.reason, 140) or 'no reason'}"
    if verified:
        text += f" (quote at {', '.join(where(m.start, m.utterance) for m in verified[:3])} " \
                f"verified)"
    return text


def _moment(m: Moment, kind: str) -> Moment:
    m.kind = kind
    return m


def _verify(answer, utts: list[Utterance], timed: bool) -> tuple:
    """(answer, moments of the quotes found, [(evidence, closest moment)] of those not)."""
    from callcoach.matching import normalize
    from rapidfuzz import fuzz

    found, missing = [], []
    norms = [normalize(u.text) for u in utts] if answer.evidence else []
    for claim in answer.evidence:
        said, at = normalize(claim.quote), _position(claim.time)
        seen = []
        for u, norm in zip(utts, norms):
            hit = fuzz.partial_ratio_alignment(said, norm) if said else None
            if hit is not None:
                seen.append((u, round(hit.score, 1), (hit.dest_start, hit.dest_end)))
        if not seen:
            continue
        good = [x for x in seen if x[1] >= QUOTE_MATCH and _near(x[0], at, timed)]
        if good:
            u, score, span = max(good, key=lambda x: x[1])
        else:   # what the transcript says where the model pointed (else its closest words)
            u, score, span = min(seen, key=lambda x: (_distance(x[0], at, timed), -x[1]))
        mo = Moment(u.index, u.start, u.speaker, u.role, u.text, "unverified", claim.quote,
                    None, score, span)
        (found.append(mo) if good else missing.append((claim, mo)))
    return answer, found, missing


def _near(u: Utterance, at: float | int | None, timed: bool) -> bool:
    """Whether a line is at or near the time (or turn) a quote names; any line sent when the
    model named none that can be read."""
    if at is None:
        return True
    if isinstance(at, int):
        return abs(u.index - at) <= NEAR_TURNS
    return timed and u.start is not None and abs(u.start - at) <= NEAR_SECONDS


def _distance(u: Utterance, at: float | int | None, timed: bool) -> float:
    if isinstance(at, int):
        return abs(u.index - at)
    if isinstance(at, float) and timed and u.start is not None:
        return abs(u.start - at)
    return 0.0


def _position(time: str) -> float | int | None:
    """'01:23' -> 83.0 s; '1:02:03' -> seconds; 'turn 12' -> index 11; else None."""
    t = time.strip().strip("[]").lower()
    m = re.fullmatch(r"turn\s*(\d+)", t)
    if m:
        return int(m.group(1)) - 1
    m = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.\d+)?", t)
    if m:
        h, mi, s = (int(x) if x else 0 for x in m.groups())
        return float(h * 3600 + mi * 60 + s)
    return None


# -- coaching -------------------------------------------------------------------------------
def gap(criterion: Criterion, result: CriterionResult, utts: list[Utterance]) -> Gap:
    """The line the model quoted for its fail; without one, the window's start or the end of
    the call, like a phrase that was never said."""
    check: QuestionCheck = criterion.check
    note = f"Asked {prose.quote(check.ask)}: {_end(result.reason)}"
    said = [m for m in result.moments if m.kind == "violation"]
    return Gap(said[0].utterance, note) if said else unplaced_gap(check, note, utts)


def questions(criterion: Criterion, result: CriterionResult, focus: Turn | None,
              heard: Turn | None, utts: list[Utterance]) -> list[str]:
    ask = criterion.check.ask
    if focus is None or not any(m.kind == "violation" for m in result.moments):
        return [f"We score this by asking: {prose.quote(ask)} How would you answer it for this "
                f"call?", *moment_questions(criterion, utts)]
    qs = [f"At {focus.at} {focus.speaker} said {prose.end(prose.quote(focus.text))} What were "
          f"you aiming for at that moment?"]
    if heard:
        qs.append(f"{heard.speaker} had just said {prose.end(prose.quote(heard.text))} What did "
                  f"you hear in it?")
    qs.append(f"We score this by asking: {prose.quote(ask)} What would a clear yes have "
              f"sounded like here?")
    return qs


def exemplar(criterion: Criterion, rep: str, result: CriterionResult) -> Exemplar:
    return exemplar_of_matches(rep, result)


def _end(text: str) -> str:
    return prose.end(prose.upper_first(text))
