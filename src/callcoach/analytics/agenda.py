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

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from callcoach import prose, zones
from callcoach.analytics import lookup
from callcoach.analytics.excerpts import bounded_turn, excerpt
from callcoach.analytics.rules import FRAMES, window
from callcoach.errors import UsageError
from callcoach.fmt import pct, plural, where
from callcoach.rubric.model import Criterion
from callcoach.scoring.checks import CHECKS
from callcoach.scoring.checks.base import matches, triggers
from callcoach.scoring.result import CriterionResult, Moment
from callcoach.store import Store
from callcoach.transcript import Utterance

CONTEXT_TURNS = 2          # turns either side of a failing moment
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
    text = prose.end(prose.upper_first(text))
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
    statement = (f"Your {prose.lower_first(criterion.title)} score has been "
                 f"{pct(s.criterion_mean)} over the last {s.days} days "
                 f"({plural(s.calls_applicable, 'call')}). "
                 f"The framework requires: {standard}")
    failures = (f"Below the pass mark ({pct(s.pass_mark)}) on {s.failures} of "
                f"{plural(s.calls_applicable, 'call')}")
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
    gap = CHECKS[criterion.check.type].gap(criterion, result, utts)
    lines = _lines(utts, gap.focus, gap.lo, gap.hi, result.moments)
    return Excerpt(call_id=chosen.call_id, rep=rep, started_at=chosen.started_at,
                   call_type=chosen.call_type, account=chosen.account, score=result.score,
                   note=gap.note, lines=lines, reason=result.reason)


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
    # a long turn with a moment shows the moment's excerpt, which holds what matched
    quotes = {m.utterance: m.text for m in moments}
    return tuple(_line(u, u.index == focus, quotes.get(u.index)) for u in chosen)


def _line(u: Utterance, focus: bool = False, quote: str | None = None) -> Line:
    text = bounded_turn(u).text
    if quote is not None and text != u.text:
        text = quote
    return Line(u.index, u.start, u.speaker, u.role, text, focus)


def _moment_summary(excerpts: tuple[Excerpt, ...]) -> str:
    n = len(excerpts)
    if n == 1:
        return "Play the one moment where it failed; stop at the marked turn and ask what happened."
    return (f"Play the {n} moments where it failed, in order; the same gap in {n} calls is a "
            f"pattern, not a circumstance.")


# -- part 3: diagnose together ------------------------------------------------------------
def _questions(criterion: Criterion, anchor: Anchor, ex: Excerpt, result: CriterionResult,
               utts: list[Utterance]) -> list[str]:
    focus = next((ln for ln in ex.lines if ln.focus), None)
    before = _prospect_before(utts, focus.utterance if focus else None, 1)
    heard = before[-1] if before else None
    qs = CHECKS[criterion.check.type].questions(criterion, result, focus, heard, utts)
    if anchor.fail_anchor:
        qs.append(f"The rubric describes failing as {prose.end(prose.quote(anchor.fail_anchor))}"
                  f" Where do you see that in this call, and where not?")
    if anchor.pass_anchor:
        qs.append(f"Passing looks like {prose.end(prose.quote(anchor.pass_anchor))} What would "
                  f"make that easy for you on your next call?")
    qs.append(f"The standard reads {prose.end(prose.quote(anchor.standard))} What gets in the "
              f"way of meeting it on calls like this one?")
    # Unique, in order, three to five.
    seen: list[str] = []
    for q in qs:
        if q not in seen:
            seen.append(q)
    return seen[:5]


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
    summary = (f"{prose.upper_first(whose)} {kind} call {call_id} on {when}"
               + (f" with {score.meta.account}" if score.meta.account else "")
               + f" scored {pct(result.score)} on this criterion: {reason}.")
    source = ("other_rep", "own_call", "own_call", "other_rep_other_type")[tier]
    return ModelMoment(source, summary, ex, pass_anchor)


def _model_excerpt(criterion: Criterion, meta, started: datetime, result: CriterionResult,
                   utts: list[Utterance]) -> Excerpt:
    model = CHECKS[criterion.check.type].exemplar(criterion, meta.rep, result)
    if utts:
        lines = tuple(_line(u, u.index in model.focus) for u in utts if u.index in model.keep)
    else:
        lines = tuple(Line(m.utterance, m.start, m.speaker, m.role, m.text, True)
                      for m in matches(result))
    return Excerpt(call_id=meta.call_id, rep=meta.rep, started_at=started,
                   call_type=meta.call_type, account=meta.account, score=result.score,
                   note=model.note, lines=lines[:MAX_MODEL_LINES], reason=result.reason)


# -- part 5: assign practice --------------------------------------------------------------
def _practice(s, criterion: Criterion, chosen, score, ex: Excerpt, utts: list[Utterance],
              due: date | None) -> Practice:
    focus = next((ln for ln in ex.lines if ln.focus), None)
    upto = focus.utterance if focus else len(utts)
    lines = tuple(_prospect_before(utts, upto, 3))
    # The objection raised, when the coached criterion is about handling one: another
    # criterion's trigger has no place in, say, a next-step practice.
    trig = triggers(score.result(criterion.id))
    objection = Line(trig[0].utterance, trig[0].start, trig[0].speaker, trig[0].role,
                     trig[0].text, True) if trig else None
    kind = _call_kind(chosen.call_type)
    who = f"the prospect at {chosen.account}" if chosen.account else "the prospect"
    situation = (f"Replay the {kind} call {chosen.call_id} from {_date(chosen.started_at)} "
                 f"with a colleague playing {who}, up to the moment at {ex.at or 'the end'}, "
                 f"using their actual lines.")
    if objection:
        situation += (f" They raise the same objection: "
                      f"{prose.end(prose.quote(objection.text))}")
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
def _call_kind(call_type: str | None) -> str:
    return call_type.replace("_", " ") if call_type else "similar"


def _date(when: datetime) -> str:
    return when.date().isoformat()


def _day(day: date) -> str:
    return f"{day.strftime('%a')} {day.isoformat()}"
