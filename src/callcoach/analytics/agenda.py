"""The side-by-side coaching session, built from a selection (DOMAIN.md section 4).

`build_agenda` asks `select` which criterion and calls to coach, then turns that evidence
into the five-part session: anchor the criterion, play the moment, diagnose together, model
the alternative, assign practice. The same evidence can be framed as GROW (Goal, Reality,
Options, Way forward). Nothing here formats text for a medium: renderers do that.

Everything is a function of the store and `as_of`: calls after `as_of` are never read, and
every list is sorted, so the same inputs give the same agenda.

>>> agenda = build_agenda(store, "dana", as_of=datetime(2026, 11, 27, 23, 59, 59))  # doctest: +SKIP
>>> [p.title for p in agenda.parts]  # doctest: +SKIP
['Anchor the criterion', 'Play the moment', 'Diagnose together', 'Model the alternative',
 'Assign practice']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from callcoach import zones
from callcoach.analytics import lookup
from callcoach.analytics.excerpts import excerpt
from callcoach.analytics.rules import FRAMES, window
from callcoach.errors import UsageError
from callcoach.fmt import pct, shorten, where
from callcoach.rubric.model import Criterion, Span
from callcoach.scoring.result import CriterionResult, Moment
from callcoach.store import Store
from callcoach.transcript import Utterance

CONTEXT_TURNS = 2          # turns either side of a failing moment
LAST_TURNS = 4             # turns shown when the evidence is the end (or start) of the call
PRACTICE_CALLS = 3         # "your next 3 discovery calls will be scored on this criterion"
MAX_MODEL_LINES = 12


# -- the pieces of evidence ---------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One turn of an excerpt; `focus` marks the turn the evidence is about."""

    utterance: int
    start: float | None
    speaker: str
    role: str
    text: str
    focus: bool = False

    @property
    def at(self) -> str:
        return where(self.start, self.utterance)

    def to_dict(self) -> dict:
        return {"utterance": self.utterance, "start": self.start, "at": self.at,
                "speaker": self.speaker, "role": self.role, "text": self.text,
                "focus": self.focus}


@dataclass(frozen=True)
class Excerpt:
    """A stretch of one call and what it shows (`note`: what was missing, or what passed)."""

    call_id: str
    rep: str
    started_at: datetime
    call_type: str | None
    account: str | None
    score: float | None           # the criterion's score on this call, 0..1
    note: str
    lines: tuple[Line, ...]
    reason: str = ""              # the scorer's one-line reason

    @property
    def at(self) -> str:
        focus = [ln for ln in self.lines if ln.focus]
        return focus[0].at if focus else ""

    def to_dict(self) -> dict:
        return {"call_id": self.call_id, "rep": self.rep,
                "started_at": self.started_at.isoformat(), "call_type": self.call_type,
                "account": self.account, "score": _round(self.score), "at": self.at,
                "note": self.note,
                "reason": self.reason, "lines": [ln.to_dict() for ln in self.lines]}


@dataclass(frozen=True)
class Anchor:
    criterion_id: str
    name: str
    standard: str
    pass_anchor: str | None
    fail_anchor: str | None
    check: str                    # the check type: phrase | forbidden | sequence | response
    score: float | None           # the rep's criterion mean over the window, 0..1
    calls: int                    # calls counted (the criterion applied)
    failures: int
    failure_rate: float | None
    pass_mark: float
    pattern_confirmed: bool
    statement: str                # "Your … score has been 58% over the last 14 days (8 calls). …"
    finding: str                  # select's reason, in a manager's words

    def to_dict(self) -> dict:
        return {"score": _round(self.score), "calls": self.calls, "failures": self.failures,
                "failure_rate": _round(self.failure_rate), "pass_mark": self.pass_mark,
                "pattern_confirmed": self.pattern_confirmed, "standard": self.standard,
                "pass_anchor": self.pass_anchor, "fail_anchor": self.fail_anchor,
                "check": self.check, "finding": self.finding}


ModelSource = Literal["other_rep", "own_call", "other_rep_other_type", "pass_anchor", "none"]


@dataclass(frozen=True)
class ModelMoment:
    """Part 4: the compliant approach, ideally a real moment from another call."""

    source: ModelSource
    summary: str                  # whose call it is, and why this one
    excerpt: Excerpt | None       # None when only the rubric's pass anchor is available
    pass_anchor: str | None

    def to_dict(self) -> dict:
        return {"source": self.source, "summary": self.summary,
                "call": self.excerpt.to_dict() if self.excerpt else None,
                "pass_anchor": self.pass_anchor}


@dataclass(frozen=True)
class Practice:
    """Part 5: a scenario built from the flagged call, and how it will be checked."""

    call_id: str
    call_type: str | None
    account: str | None
    situation: str
    prospect_lines: tuple[Line, ...]   # the prospect's actual words before the failure
    objection: Line | None
    must_do: str                        # the criterion's standard
    pass_anchor: str | None
    check: str
    due: date

    def to_dict(self) -> dict:
        return {"call_id": self.call_id, "call_type": self.call_type, "account": self.account,
                "situation": self.situation,
                "prospect_lines": [ln.to_dict() for ln in self.prospect_lines],
                "objection": self.objection.to_dict() if self.objection else None,
                "must_do": self.must_do, "pass_anchor": self.pass_anchor, "check": self.check,
                "due": self.due.isoformat()}


@dataclass(frozen=True)
class Part:
    """One stage of the session. `shows` names the evidence it presents, in order:
    anchor | goal | excerpts | questions | model | practice."""

    key: str
    title: str
    minutes: tuple[int, int]       # (low, high); equal when the stage has a fixed length
    summary: str
    shows: tuple[str, ...]


# The two frames over the same evidence. Minutes follow DOMAIN.md section 4; GROW merges
# stages, so its ranges are the sums of the five-part stages it covers.
FIVE_PART = (
    ("anchor", "Anchor the criterion", (2, 2), ("anchor",)),
    ("moment", "Play the moment", (5, 10), ("excerpts",)),
    ("diagnose", "Diagnose together", (10, 10), ("questions",)),
    ("model", "Model the alternative", (5, 10), ("model",)),
    ("practice", "Assign practice", (2, 2), ("practice",)),
)
GROW = (
    ("goal", "Goal", (2, 2), ("goal",)),
    ("reality", "Reality", (7, 12), ("anchor", "excerpts")),
    ("options", "Options", (15, 20), ("questions", "model")),
    ("way_forward", "Way forward", (2, 2), ("practice",)),
)


@dataclass(frozen=True)
class Agenda:
    rep: str
    rubric_id: str | None
    as_of: datetime
    days: int
    pass_mark: float | None
    frame: str
    status: str                    # select's status
    message: str                   # select's message, or why there is no session
    criterion: dict | None         # {id, name, standard, score}
    anchor: Anchor | None = None
    excerpts: tuple[Excerpt, ...] = ()
    questions: tuple[str, ...] = ()
    model: ModelMoment | None = None
    practice: Practice | None = None
    goal: str = ""
    rubric_note: str | None = None     # the rubric was picked among several: why this one

    @property
    def session(self) -> bool:
        """Whether the evidence warrants a session (else the agenda is only `message`)."""
        return self.anchor is not None

    @property
    def window(self) -> tuple[datetime, datetime]:
        return window(self.as_of, self.days)

    @property
    def minutes(self) -> tuple[int, int]:
        parts = self.parts
        return sum(p.minutes[0] for p in parts), sum(p.minutes[1] for p in parts)

    @property
    def moment_summary(self) -> str:
        return _moment_summary(self.excerpts)

    @property
    def parts(self) -> list[Part]:
        if not self.session:
            return []
        a, m, pr = self.anchor, self.model, self.practice
        summaries = {
            "anchor": a.statement,
            "moment": self.moment_summary,
            "diagnose": "Ask, then listen: questions, not answers.",
            "model": m.summary,
            "practice": pr.situation if pr else "",
            "goal": self.goal,
            "reality": f"{a.statement} {a.finding}".strip(),
            "options": "Let the rep propose what to do differently, then compare with the model. "
                       + m.summary,
            "way_forward": f"{pr.check} Due {_day(pr.due)}." if pr else "",
        }
        table = GROW if self.frame == "grow" else FIVE_PART
        return [Part(key, title, minutes, summaries[key], shows)
                for key, title, minutes, shows in table]

    def to_dict(self) -> dict:
        """The `agenda --format json` shape (a documented contract, docs/agenda.md)."""
        start, end = self.window
        parts = []
        for p in self.parts:
            d = {"key": p.key, "title": p.title, "minutes": list(p.minutes), "summary": p.summary}
            for piece in p.shows:
                d.update(self._piece(piece))
            parts.append(d)
        lo, hi = self.minutes if parts else (0, 0)
        return {"rep": self.rep, "rubric": self.rubric_id, "rubric_id": self.rubric_id,
                "rubric_note": self.rubric_note,
                "as_of": self.as_of.isoformat(), "timezone": zones.name_of(self.as_of.tzinfo),
                "status": self.status, "session": self.session, "message": self.message,
                "criterion": self.criterion,
                "window": {"days": self.days, "start": start.isoformat(),
                           "end": end.isoformat()},
                "pass_mark": self.pass_mark, "frame": self.frame, "minutes": [lo, hi],
                "parts": parts}

    def _piece(self, piece: str) -> dict:
        if piece == "anchor":
            return self.anchor.to_dict()
        if piece == "goal":
            return {"goal": self.goal, "standard": self.anchor.standard,
                    "pass_anchor": self.anchor.pass_anchor, "pass_mark": self.anchor.pass_mark}
        if piece == "excerpts":
            return {"excerpts": [e.to_dict() for e in self.excerpts]}
        if piece == "questions":
            return {"questions": list(self.questions)}
        if piece == "model":
            return {"model": self.model.to_dict()}
        if piece == "practice":
            return {"practice": self.practice.to_dict() if self.practice else None}
        raise KeyError(piece)


# -- building it --------------------------------------------------------------------------
def build_agenda(store: Store, rep: str, *, as_of: datetime, days: int = 14,
                 pass_mark: float | None = None, rubric_id: str | None = None,
                 due: date | None = None, frame: str = "five-part") -> Agenda:
    """The coaching session for `rep` as of `as_of`, from `select`'s choice of criterion and
    calls. When select finds nothing to coach, the agenda carries only its message."""
    from callcoach.analytics.selection import select

    _check_frame(frame)
    selection = select(store, rep, as_of=as_of, days=days, pass_mark=pass_mark,
                       rubric_id=rubric_id)
    return agenda_from_selection(store, selection, due=due, frame=frame)


def agenda_from_selection(store: Store, selection, *, due: date | None = None,
                          frame: str = "five-part") -> Agenda:
    """The agenda for a selection already made (`build_agenda` without the select step)."""
    # selection (pandas) is loaded already: it made the selection passed in
    from callcoach.analytics.selection import TO_COACH

    _check_frame(frame)
    s = selection
    criterion_ref = None
    if s.criterion_id is not None:
        criterion_ref = {"id": s.criterion_id, "name": s.criterion_name,
                         "standard": s.standard, "score": _round(s.criterion_mean)}
    base = dict(rep=s.rep, rubric_id=s.rubric_id, as_of=s.as_of, days=s.days,
                pass_mark=s.pass_mark, frame=frame, status=s.status, criterion=criterion_ref,
                rubric_note=s.rubric_note)
    if s.status not in TO_COACH or not s.chosen:
        return Agenda(message=_no_session_message(s), **base)

    rubric = lookup.rubric(store, s.rubric_id)
    criterion = rubric.criterion(s.criterion_id)
    anchor = _anchor(s, criterion)
    flagged = []
    for chosen in s.chosen:
        score = store.call(chosen.call_id, s.rubric_id)
        flagged.append((chosen, score, score.result(criterion.id),
                        store.utterances(chosen.call_id)))
    excerpts = tuple(_failure_excerpt(criterion, s.rep, chosen, result, utts)
                     for chosen, _, result, utts in flagged)
    questions = tuple(_questions(criterion, anchor, excerpts[0], flagged[0][2], flagged[0][3]))
    first_chosen, first_score, first_result, first_utts = flagged[0]
    model = _model_moment(store, s, criterion, first_chosen.call_type)
    practice = _practice(s, criterion, first_chosen, first_score, excerpts[0], first_utts, due)
    goal = (f"Score at least {pct(s.pass_mark)} on {criterion.title} in every "
            f"{_call_kind(first_chosen.call_type)} call: {anchor.standard}")
    return Agenda(message=s.message, anchor=anchor, excerpts=excerpts, questions=questions,
                  model=model, practice=practice, goal=goal, **base)


def next_working_day(as_of: datetime | date) -> date:
    """The first Monday-to-Friday day after `as_of`: practice is due before the next shift."""
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _check_frame(frame: str) -> None:
    if frame not in FRAMES:
        raise UsageError(f"unknown frame {frame!r}", hint=f"use one of: {', '.join(FRAMES)}")


def _no_session_message(s) -> str:
    """Why there is no session, plainly: select's finding, then what would change it."""
    from callcoach.analytics.selection import TO_COACH

    text = s.message or s.status.replace("_", " ")
    text = _end(text[:1].upper() + text[1:])
    if s.status in TO_COACH:
        return f"{text} No failing call holds a moment to play, so there is no session agenda."
    hint = {"too_few_calls": "wait for more calls, or widen the window with --days",
            "no_calls": "wait for more calls, or widen the window with --days",
            "no_failures": "nothing failed, so there is nothing to coach on"}.get(s.status, "")
    return f"{text} No session agenda" + (f": {hint}." if hint else ".")


# -- part 1: anchor -----------------------------------------------------------------------
def _anchor(s, criterion: Criterion) -> Anchor:
    anchors = criterion.anchors
    standard = s.standard or criterion.standard or f"Pass {criterion.title}."
    statement = (f"Your {_lower_first(criterion.title)} score has been {pct(s.criterion_mean)} "
                 f"over the last {s.days} days ({_n(s.calls_applicable, 'call')}). "
                 f"The framework requires: {standard}")
    failures = (f"Below the pass mark ({pct(s.pass_mark)}) on {s.failures} of "
                f"{_n(s.calls_applicable, 'call')}")
    if s.failure_rate is not None:
        failures += f" ({pct(s.failure_rate)})"
    failures += " — pattern confirmed." if s.pattern_confirmed else "."
    return Anchor(criterion_id=criterion.id, name=criterion.title, standard=standard,
                  pass_anchor=anchors.pass_ if anchors else None,
                  fail_anchor=anchors.fail if anchors else None, check=criterion.check.type,
                  score=s.criterion_mean, calls=s.calls_applicable, failures=s.failures,
                  failure_rate=s.failure_rate, pass_mark=s.pass_mark,
                  pattern_confirmed=s.pattern_confirmed, statement=statement,
                  finding=s.message or failures)


# -- part 2: play the moment --------------------------------------------------------------
def _failure_excerpt(criterion: Criterion, rep: str, chosen, result: CriterionResult,
                     utts: list[Utterance]) -> Excerpt:
    check = criterion.check
    focus, note, lo, hi = None, result.reason, None, None
    if check.type == "sequence":
        focus, note = _sequence_gap(criterion, result, utts)
    elif check.type == "response":
        focus, note, lo, hi = _response_gap(criterion, result)
    elif check.type == "forbidden":
        focus, note = _forbidden_said(result)
    else:
        focus, note, lo, hi = _phrase_missing(criterion, result, utts)
    lines = _lines(utts, focus, lo, hi, result.moments)
    return Excerpt(call_id=chosen.call_id, rep=rep, started_at=chosen.started_at,
                   call_type=chosen.call_type, account=chosen.account, score=result.score,
                   note=note, lines=lines, reason=result.reason)


def _step_name(criterion: Criterion, step_id: str) -> str:
    for st in getattr(criterion.check, "steps", []):
        if st.id == step_id:
            return st.name or st.id.replace("_", " ")
    return step_id.replace("_", " ")


def _done_before(result: CriterionResult, utterance: int) -> set[str]:
    return {m.step for m in result.moments
            if m.kind == "match" and m.step and m.utterance < utterance}


def _outstanding(criterion: Criterion, result: CriterionResult, utterance: int) -> list[str]:
    """Steps still outstanding at an utterance. The sequence check writes them into its
    violation moment's `step` (comma-separated); otherwise they follow from the step matches."""
    known = {st.id for st in criterion.check.steps}
    for m in result.moments:
        if m.kind == "violation" and m.utterance == utterance and m.step:
            ids = [x for x in m.step.split(",") if x in known]
            if ids:
                return ids
    done = _done_before(result, utterance)
    return [st.id for st in criterion.check.steps if st.id not in done]


def _cutoff_name(criterion: Criterion) -> str | None:
    before = getattr(criterion.check, "before", None)
    return before.name if before is not None and before.name else None


def _sequence_gap(criterion: Criterion, result: CriterionResult,
                  utts: list[Utterance]) -> tuple[int | None, str]:
    steps = criterion.check.steps
    cutoffs = sorted((m for m in result.moments if m.kind == "violation"),
                     key=lambda m: m.utterance)
    if not cutoffs:
        # The cut-off never came: the steps were simply never all asked.
        missing = _outstanding(criterion, result, 10 ** 9)
        names = _names([_step_name(criterion, x) for x in missing])
        return (len(utts) - 1 if utts else None,
                f"{len(missing)} of {len(steps)} steps never asked in this call: {names}.")
    first = cutoffs[0]
    missing = _outstanding(criterion, result, first.utterance)
    names = _names([_step_name(criterion, x) for x in missing])
    said = _quote(first.text)
    cut = _cutoff_name(criterion)
    moved = f"moved to {cut}" if cut else "moved on"
    note = (f"{len(missing)} of {len(steps)} steps outstanding when the rep {moved} at "
            f"{where(first.start, first.utterance)} ({said}): {names}.")
    times = result.counts.get("violations", len(cutoffs))
    if times > 1:
        again = ", ".join(where(m.start, m.utterance) for m in cutoffs[1:])
        note += (f" {_upper_first(moved)} with steps outstanding {_times(times)} in this call"
                 + (f" (again at {again})." if again else "."))
    return first.utterance, note


def _triggers(result: CriterionResult) -> list[Moment]:
    return sorted((m for m in result.moments if m.kind == "trigger"), key=lambda m: m.utterance)


def _skipped(criterion: Criterion, result: CriterionResult, trigger: Moment) -> list[str]:
    """Steps not done (in order) in the trigger's window of within_turns turns: the response
    check stores a match moment only for the steps of the in-order chain."""
    end = trigger.utterance + criterion.check.within_turns
    done = {m.step for m in result.moments
            if m.kind == "match" and m.step and trigger.utterance < m.utterance <= end}
    return [st.id for st in criterion.check.steps if st.id not in done]


def _response_gap(criterion: Criterion, result: CriterionResult):
    triggers = _triggers(result)
    if not triggers:
        return None, result.reason, None, None
    worst, worst_skipped = triggers[0], None
    gaps = []
    for t in triggers:
        skipped = _skipped(criterion, result, t)
        gaps.append(skipped)
        if worst_skipped is None or len(skipped) > len(worst_skipped):
            worst, worst_skipped = t, skipped
    steps = criterion.check.steps
    label = _trigger_name(criterion)
    note = (f"{_upper_first(label)} at {where(worst.start, worst.utterance)} "
            f"({_quote(worst.text)}): {len(worst_skipped)} of {len(steps)} steps skipped: "
            f"{_names([_step_name(criterion, x) for x in worst_skipped])}.")
    short = sum(1 for g in gaps if g)
    if len(triggers) > 1:
        note += (f" {short} of {len(triggers)} {label}s in this call were not handled "
                 f"in full.")
    lo = worst.utterance - 1
    hi = worst.utterance + criterion.check.within_turns
    return worst.utterance, note, lo, hi


def _trigger_name(criterion: Criterion) -> str:
    trigger = getattr(criterion.check, "trigger", None)
    return trigger.name if trigger is not None and trigger.name else "objection"


def _forbidden_said(result: CriterionResult) -> tuple[int | None, str]:
    said = sorted((m for m in result.moments if m.kind in ("violation", "match")),
                  key=lambda m: m.utterance)
    if not said:
        return None, result.reason
    first = said[0]
    note = (f"Said {_quote(first.matched or first.text)} at "
            f"{where(first.start, first.utterance)}: {_end(_quote(first.text))}")
    if len(said) > 1:
        note += (f" Said {_times(len(said))} in this call (also at "
                 f"{', '.join(where(m.start, m.utterance) for m in said[1:])}).")
    return first.utterance, note


def _phrase_missing(criterion: Criterion, result: CriterionResult, utts: list[Utterance]):
    check = criterion.check
    found = [m for m in result.moments if m.kind == "match"]
    within = check.within
    need = check.min_count
    what = _lower_first(criterion.title)
    if within is not None and within.first and not within.last:
        span = within.first_span
        note = (f"No {what} in the first {_span(span)} of the call"
                + (f" (found {len(found)} of {need})." if found else "."))
        return 0 if utts else None, note, 0, LAST_TURNS - 1
    # By default the evidence is the end of the call: nothing was secured before it ended.
    if found:
        note = f"{_upper_first(what)} found {len(found)} of {need} times needed before the call ended."
    else:
        note = f"No {what} secured before the call ended; these were its last turns."
    if not utts:
        return None, note, None, None
    last = len(utts) - 1
    return last, note, last - LAST_TURNS + 1, last


def _lines(utts: list[Utterance], focus: int | None, lo: int | None, hi: int | None,
           moments: list[Moment]) -> tuple[Line, ...]:
    """The excerpt: [lo, hi] when given, else CONTEXT_TURNS either side of the focus. Without
    a stored transcript, the moments themselves are the excerpt."""
    if not utts:
        return tuple(Line(m.utterance, m.start, m.speaker, m.role, m.text,
                          m.utterance == focus)
                     for m in sorted(moments, key=lambda m: m.utterance))
    if focus is None:
        return ()
    if lo is None or hi is None:
        chosen = excerpt(utts, focus, context=CONTEXT_TURNS)
    else:
        chosen = [u for u in utts if max(lo, 0) <= u.index <= hi]
    return tuple(_line(u, u.index == focus) for u in chosen)


def _line(u: Utterance, focus: bool = False) -> Line:
    return Line(u.index, u.start, u.speaker, u.role, u.text, focus)


def _moment_summary(excerpts: tuple[Excerpt, ...]) -> str:
    n = len(excerpts)
    if n == 1:
        return "Play the one moment where it failed; stop at the marked turn and ask what happened."
    return (f"Play the {n} moments where it failed, in order; the same gap in {n} calls is a "
            f"pattern, not a circumstance.")


# -- part 3: diagnose together ------------------------------------------------------------
def _questions(criterion: Criterion, anchor: Anchor, ex: Excerpt, result: CriterionResult,
               utts: list[Utterance]) -> list[str]:
    check = criterion.check
    focus = next((ln for ln in ex.lines if ln.focus), None)
    before = _prospect_before(utts, focus.utterance if focus else None, 1)
    heard = before[-1] if before else None
    qs: list[str] = []
    if check.type == "sequence" and focus is not None:
        missing = _outstanding(criterion, result, focus.utterance)
        names = _names([_step_name(criterion, x) for x in missing], "and")
        if missing and any(m.kind == "violation" for m in result.moments):
            cut = _cutoff_name(criterion)
            to = f"to {cut}" if cut else f"on to {_quote(focus.text)}"
            qs.append(f"What made you move {to} at {focus.at} before you had the {names} "
                      f"{_plural(len(missing), 'question')}?")
            if heard:
                qs.append(f"Just before that, {heard.speaker} said {_end(_quote(heard.text))} "
                          f"What did you hear in it that told you they were ready?")
            times = result.counts.get("violations", 0)
            if times > 1:
                qs.append(f"You moved on with questions outstanding {_times(times)} in this call. "
                          f"What was pulling you forward each time?")
        else:
            qs.append(f"Which of the {names} {_plural(len(missing), 'question')} did you mean "
                      f"to ask, and what got in the way?")
        qs.append(f"What would the {names} answers have changed about how you pitched?")
    elif check.type == "response" and focus is not None:
        skipped = _skipped_at(criterion, result, focus.utterance)
        names = _names([_step_name(criterion, x) for x in skipped], "and")
        qs.append(f"When {focus.speaker} said {_quote(focus.text)} at {focus.at}, what did you "
                  f"hear?")
        if skipped:
            qs.append(f"What made you go on without {names}?")
            qs.append(f"What might {_step_name(criterion, skipped[0])} have told you about what "
                      f"was really behind the objection?")
        qs.append("How did you know whether your answer had landed before you moved on?")
    elif check.type == "forbidden" and focus is not None:
        qs.append(f"At {focus.at} you said {_end(_quote(focus.text))} What were you trying to "
                  f"achieve with it?")
        if heard:
            qs.append(f"{heard.speaker} had just said {_end(_quote(heard.text))} What else "
                      f"could you have said to that?")
        qs.append("What is the risk, for the customer and for us, in that wording?")
    else:
        last_prospect = _prospect_before(utts, len(utts), 1)
        if check.within is not None and check.within.first and not check.within.last:
            qs.append(f"What happens in the first {_span(check.within.first_span)} of your calls "
                      f"that pushes {_lower_first(criterion.title)} out?")
        elif last_prospect:
            lp = last_prospect[-1]
            qs.append(f"The call ended with {lp.speaker} saying {_end(_quote(lp.text))} What "
                      f"did you want to happen next, and what stopped you asking for it?")
        qs.append(f"Where in this call was the natural moment for {_lower_first(criterion.title)}?"
                  f" What did you do there instead?")
    if anchor.fail_anchor:
        qs.append(f"The rubric describes failing as {_end(_quote(anchor.fail_anchor))} Where "
                  f"do you see that in this call, and where not?")
    if anchor.pass_anchor:
        qs.append(f"Passing looks like {_end(_quote(anchor.pass_anchor))} What would make that "
                  f"easy for you on your next call?")
    qs.append(f"The standard reads {_end(_quote(anchor.standard))} What gets in the way of "
              f"meeting it on calls like this one?")
    # Unique, in order, three to five.
    seen: list[str] = []
    for q in qs:
        if q not in seen:
            seen.append(q)
    return seen[:5]


def _skipped_at(criterion: Criterion, result: CriterionResult, utterance: int) -> list[str]:
    for t in _triggers(result):
        if t.utterance == utterance:
            return _skipped(criterion, result, t)
    return []


def _prospect_before(utts: list[Utterance], utterance: int | None, n: int) -> list[Line]:
    if not utts or utterance is None:
        return []
    found = [_line(u) for u in utts if u.index < utterance and u.role == "prospect"]
    return found[-n:]


# -- part 4: model the alternative --------------------------------------------------------
def _model_moment(store: Store, s, criterion: Criterion, call_type: str | None) -> ModelMoment:
    """Prefer another rep's call of the same call type with the highest score on the
    criterion: inside the window first, else any earlier call in the store (never after
    as_of). Fall back to the rep's own best passing call, then to another rep's call of
    another type, then to the rubric's pass anchor."""
    anchors = criterion.anchors
    pass_anchor = anchors.pass_ if anchors else None
    start, end = window(s.as_of, s.days)
    flagged = sorted({c.call_id for c in s.chosen})
    # The best candidate is picked in SQL (one row back, not every passing call of the
    # store: ~85,000 rows at 100,000 calls). Order: tier (another rep's call of the same
    # type, own call of the same type, own call of another type, another rep's call of
    # another type), inside the window first, highest score, latest, then call id.
    # started_at is stored as isoformat(), so ISO strings compare in time order.
    select = (
        "SELECT c.call_id, c.rep, CASE WHEN c.rep != ? AND c.call_type IS ? THEN 0 "
        "WHEN c.rep = ? THEN (CASE WHEN c.call_type IS ? THEN 1 ELSE 2 END) ELSE 3 END AS tier, "
        "c.started_at > ? AS in_window FROM calls c CROSS JOIN results r "
        "ON r.call_id = c.call_id AND r.rubric_id = c.rubric_id AND r.criterion_id = ? "
        "WHERE c.rubric_id = ? AND r.score >= ? AND c.started_at <= ? "
        f"AND c.call_id NOT IN ({','.join('?' * len(flagged))}) ")
    order = "ORDER BY tier, in_window DESC, r.score DESC, c.started_at DESC, c.call_id LIMIT 1"
    start, end = zones.to_utc(start).isoformat(), zones.to_utc(end).isoformat()
    args = (s.rep, call_type, s.rep, call_type, start, criterion.id, s.rubric_id,
            s.pass_mark, end, *flagged)
    # The usual answer, another rep's call of the same type inside the window, is found
    # from the window's calls alone (the calls' (rubric, rep, started_at) index); the whole
    # store is searched only when there is none.
    row = next(store.query(select + "AND c.started_at > ? AND c.rep != ? AND c.call_type IS ? "
                           + order, (*args, start, s.rep, call_type)), None)
    if row is None:
        row = next(store.query(select + order, args), None)
    if row is None:
        if pass_anchor:
            return ModelMoment("pass_anchor", "No call in the store passed this criterion yet; "
                               "use the rubric's pass anchor as the model.", None, pass_anchor)
        return ModelMoment("none", "No call in the store passed this criterion yet, and the "
                           "rubric has no pass anchor: model it live with the standard.",
                           None, None)
    call_id, rep, tier, in_window = row
    score = store.call(call_id, s.rubric_id)
    result = score.result(criterion.id)
    started = zones.like(score.meta.started_at, s.as_of)
    ex = _model_excerpt(criterion, score.meta, started, result, store.utterances(call_id))
    whose = "your own" if rep == s.rep else f"{rep}'s"
    kind = _call_kind(score.meta.call_type)
    when = started.date().isoformat()
    scope = (f"the last {s.days} days" if in_window else "the whole store (none in the window)")
    reason = {0: f"the best-scoring {kind} call by another rep in {scope}",
              1: f"no other rep's {kind} call passed, so the best of your own in {scope}",
              2: f"no {kind} call passed, so the best of your own calls in {scope}",
              3: f"no {kind} call passed, so another rep's best call in {scope}"}[tier]
    summary = (f"{_upper_first(whose)} {kind} call {call_id} on {when}"
               + (f" with {score.meta.account}" if score.meta.account else "")
               + f" scored {pct(result.score)} on this criterion: {reason}.")
    source = ("other_rep", "own_call", "own_call", "other_rep_other_type")[tier]
    return ModelMoment(source, summary, ex, pass_anchor)


def _model_excerpt(criterion: Criterion, meta, started: datetime, result: CriterionResult,
                   utts: list[Utterance]) -> Excerpt:
    check = criterion.check
    matches = sorted((m for m in result.moments if m.kind == "match"), key=lambda m: m.utterance)
    focus_idx: set[int] = set()
    keep: set[int] = set()
    if check.type == "response" and _triggers(result):
        t = _triggers(result)[0]
        focus_idx = {t.utterance} | {m.utterance for m in matches
                                     if t.utterance < m.utterance <= t.utterance + check.within_turns}
        keep = set(range(t.utterance, t.utterance + check.within_turns + 1))
        note = (f"How {meta.rep} handled the {_trigger_name(criterion)} at "
                f"{where(t.start, t.utterance)}.")
    elif check.type == "forbidden":
        note = "The whole call went through without the forbidden wording."
    elif matches:
        # Each matched turn and the reply it drew: what the compliant approach sounds like.
        for m in matches:
            focus_idx.add(m.utterance)
            keep |= {m.utterance, m.utterance + 1}
        if check.type == "sequence":
            cut = [m for m in result.moments if m.kind in ("cutoff", "violation")]
            if cut:  # show where the compliant rep moved on, too
                keep.add(cut[0].utterance)
            steps = [x for x in dict.fromkeys(m.step for m in matches if m.step)]
            if steps:
                cut_name = _cutoff_name(criterion)
                moved = f"moving to {cut_name}" if cut_name else "moving on"
                note = (f"{meta.rep} asked {_names([_step_name(criterion, x) for x in steps])}"
                        + (f" before {moved} at {where(cut[0].start, cut[0].utterance)}."
                           if cut else "."))
            else:
                note = f"Where {meta.rep} did it, at {where(matches[0].start, matches[0].utterance)}."
        else:
            note = f"Where {meta.rep} did it, at {where(matches[0].start, matches[0].utterance)}."
    else:
        note = result.reason
    if utts:
        lines = tuple(_line(u, u.index in focus_idx) for u in utts if u.index in keep)
    else:
        lines = tuple(Line(m.utterance, m.start, m.speaker, m.role, m.text, True)
                      for m in matches)
    return Excerpt(call_id=meta.call_id, rep=meta.rep, started_at=started,
                   call_type=meta.call_type, account=meta.account, score=result.score,
                   note=note, lines=lines[:MAX_MODEL_LINES], reason=result.reason)


# -- part 5: assign practice --------------------------------------------------------------
def _practice(s, criterion: Criterion, chosen, score, ex: Excerpt, utts: list[Utterance],
              due: date | None) -> Practice:
    focus = next((ln for ln in ex.lines if ln.focus), None)
    upto = focus.utterance if focus else len(utts)
    lines = tuple(_prospect_before(utts, upto, 3))
    # The objection raised, when the coached criterion is about handling one: another
    # criterion's trigger has no place in, say, a next-step practice.
    trig = _triggers(score.result(criterion.id))
    objection = Line(trig[0].utterance, trig[0].start, trig[0].speaker, trig[0].role,
                     trig[0].text, True) if trig else None
    kind = _call_kind(chosen.call_type)
    who = f"the prospect at {chosen.account}" if chosen.account else "the prospect"
    situation = (f"Replay the {kind} call {chosen.call_id} from {_date(chosen.started_at)} "
                 f"with a colleague playing {who}, up to the moment at {ex.at or 'the end'}, "
                 f"using their actual lines.")
    if objection:
        situation += f" They raise the same objection: {_end(_quote(objection.text))}"
    standard = s.standard or criterion.standard or f"Pass {criterion.title}."
    anchors = criterion.anchors
    check = (f"Your next {PRACTICE_CALLS} {kind} calls will be scored on "
             f"{criterion.title} (pass mark {pct(s.pass_mark)}).")
    return Practice(call_id=chosen.call_id, call_type=chosen.call_type, account=chosen.account,
                    situation=situation, prospect_lines=lines, objection=objection,
                    must_do=standard, pass_anchor=anchors.pass_ if anchors else None,
                    check=check, due=due or next_working_day(s.as_of))


def _round(x: float | None) -> float | None:
    # Four places: enough for a percentage with two decimals, and no float noise in JSON.
    return None if x is None else round(x, 4)


# -- words --------------------------------------------------------------------------------
def _n(count: int, noun: str) -> str:
    return f"{count} {_plural(count, noun)}"


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _names(items: list[str], last: str = "and") -> str:
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _quote(text: str, limit: int = 140) -> str:
    """Text in curly quotes, once: an anchor written as "..." is not quoted twice, and a
    quotation inside it takes single quotes (“Right after hellos: ‘Before we dive in…’”)."""
    text = " ".join(text.split())
    if len(text) >= 2 and text[0] + text[-1] in ('""', "“”", "''", "‘’"):
        text = text[1:-1].strip()
    text = re.sub(r'"([^"]*)"', "‘\\1’", text)
    return f"“{shorten(text, limit)}”"


def _end(text: str) -> str:
    """A sentence ending in a quotation gets no second full stop: 'said “Hi.”' not '“Hi.”.'"""
    return text if text.rstrip("”’\"'")[-1:] in (".", "?", "!", "…") else text + "."


def _upper_first(text: str) -> str:
    # Start a sentence without str.capitalize(), which would lower-case the rest of it: a
    # rep's name ("Priya Natarajan's ...") or an acronym ("BANT") must keep its capitals.
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    # "Discovery question completion" -> "discovery question completion"; keep "BANT ...".
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _call_kind(call_type: str | None) -> str:
    return call_type.replace("_", " ") if call_type else "similar"


def _span(span: Span | None) -> str:
    if span is None:
        return "part"
    if span.unit == "seconds":
        v = span.value
        return f"{v / 60:g} minutes" if v >= 60 and v % 60 == 0 else f"{v:g} seconds"
    return f"{span.value:g}%" if span.unit == "percent" else f"{span.value:g} turns"


def _date(when: datetime) -> str:
    return when.date().isoformat()


def _day(day: date) -> str:
    return f"{day.strftime('%a')} {day.isoformat()}"
