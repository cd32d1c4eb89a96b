"""Did the coaching work: the coached criterion before and after each logged session.

The rules (docs/progress.md has them for users):

- Days are counted from the session day (day 0, in no window): the baseline is days
  -baseline_days..-1, the first window days 1..window_days ("weeks 1-2"), the second days
  window_days+1..2*window_days ("weeks 3-4"). A call's day is the calendar day it started on
  in the team's zone (`as_of`'s; UTC for a naive `as_of`). Calls after `as_of` do not exist
  yet.
- A window's score is the mean of the criterion's applicable scores (N/A excluded), 0..1 to
  three decimals (a tenth of a percentage point), like every criterion score; the overall
  score of the rep's calls in it is 0-100 with one decimal, like every overall score. A window
  has *ended* when `as_of` reaches the last second of its last day.
- The verdict reads one window against the baseline: the latest ended window holding at least
  `min_calls` scored calls (weeks 3-4 once they have ended, else weeks 1-2). In order:
  too early (weeks 1-2 have not ended) > too few calls (the baseline, or every ended window,
  has fewer than `min_calls` scored calls) > improving (change >= +moved) / declining
  (change <= -moved) / flat. The change is in percentage points, from the two scores as
  shown (to 0.1 point), so the table's numbers, its change and the verdict agree.
- Overall score is context: when it rose by >= moved in the verdict window while the criterion
  is flat, the session gets an "other dimensions" warning.
- Change the intervention: two sessions on the same rep and criterion at most
  `intervention_days` apart, and the criterion did not improve by >= moved from the first
  session's baseline to days 1..intervention_days after the first (once that period ended and
  both sides have min_calls calls).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable

import pandas as pd

from callcoach import zones
from callcoach.analytics import lookup
from callcoach.analytics.frames import results_frame
from callcoach.analytics.rules import Settings
from callcoach.rubric.model import Rubric
from callcoach.store import Session, Store

IMPROVING, FLAT, DECLINING = "improving", "flat", "declining"
TOO_EARLY, TOO_FEW = "too early", "too few calls"
WINDOWS = ("baseline", "weeks_1_2", "weeks_3_4")
LABELS = {"baseline": "before", "weeks_1_2": "weeks 1-2", "weeks_3_4": "weeks 3-4"}


def percent(share: float | None) -> str:
    """A window's score as shown everywhere: '37.5%', to the tenth its change is in."""
    return "–" if share is None else f"{share * 100:.1f}%"


@dataclass(slots=True)
class Window:
    name: str                    # baseline | weeks_1_2 | weeks_3_4
    first_day: date
    last_day: date
    ended: bool
    score: float | None          # criterion mean, 0..1 (3 decimals); None: no scored call
    call_ids: list[str]          # calls with an applicable criterion score, in time order
    overall: float | None        # overall mean (0-100) of every call of the rep in the window
    overall_call_ids: list[str]

    def to_dict(self) -> dict:
        return {"from": self.first_day.isoformat(), "to": self.last_day.isoformat(),
                "ended": self.ended, "score": self.score, "calls": len(self.call_ids),
                "call_ids": list(self.call_ids), "overall": self.overall,
                "overall_calls": len(self.overall_call_ids)}


@dataclass(frozen=True, slots=True)
class Note:
    code: str                    # other_dimensions | change_intervention
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass(slots=True)
class SessionProgress:
    session: Session
    criterion_name: str
    windows: dict[str, Window]
    verdict: str
    verdict_window: str | None   # the window the verdict read, None when too early
    change: float | None         # percentage points: the verdict window's score minus the baseline's
    overall_change: float | None  # points: the same windows' overall scores
    notes: list[Note] = field(default_factory=list)

    def to_dict(self) -> dict:
        s = self.session
        return {"session_id": s.id, "rep": s.rep, "rubric_id": s.rubric_id,
                "criterion_id": s.criterion_id, "criterion": self.criterion_name,
                "held_on": s.held_on, "session_calls": list(s.calls), "notes": s.notes,
                "windows": {k: w.to_dict() for k, w in self.windows.items()},
                "verdict": self.verdict, "verdict_window": self.verdict_window,
                "change": self.change, "overall_change": self.overall_change,
                "warnings": [n.to_dict() for n in self.notes if n.code != "change_intervention"],
                "flags": [n.to_dict() for n in self.notes if n.code == "change_intervention"]}


@dataclass(frozen=True, slots=True)
class Week:
    monday: date
    score: float | None          # criterion mean, 0..1; None: no scored call that week
    calls: int
    session: bool                # a session was held that week

    def to_dict(self) -> dict:
        return {"week": self.monday.isoformat(), "score": self.score, "calls": self.calls,
                "session": self.session}


@dataclass(slots=True)
class Trend:
    """One coached criterion of one rep, week by week, with its sessions."""

    rep: str
    rubric_id: str
    criterion_id: str
    criterion_name: str
    pass_mark: float             # 0..1, like every pass mark
    session_days: list[date]
    weeks: list[Week]
    change_intervention: bool

    def to_dict(self) -> dict:
        return {"rep": self.rep, "rubric_id": self.rubric_id, "criterion_id": self.criterion_id,
                "criterion": self.criterion_name, "pass_mark": self.pass_mark,
                "sessions": [d.isoformat() for d in self.session_days],
                "change_intervention": self.change_intervention,
                "weeks": [w.to_dict() for w in self.weeks]}


@dataclass(slots=True)
class Progress:
    as_of: datetime
    settings: Settings
    sessions: list[SessionProgress]
    trends: list[Trend]

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "timezone": zones.name_of(self.as_of.tzinfo),
                "settings": self.settings.to_dict(),
                "sessions": [s.to_dict() for s in self.sessions],
                "criteria": [t.to_dict() for t in self.trends]}


def _share(value: float) -> float:
    """A criterion mean as shown: 0..1 to a tenth of a percentage point."""
    return round(float(value), 3)


def _window(frame: pd.DataFrame, name: str, held_on: date, first: int, last: int,
            as_of: datetime) -> Window:
    """`frame`: one rep's calls with columns call_id, day, score (criterion, 0..1), overall."""
    first_day, last_day = held_on + timedelta(days=first), held_on + timedelta(days=last)
    rows = frame[(frame["day"] >= first_day) & (frame["day"] <= last_day)]
    scored = rows[rows["score"].notna()]
    with_overall = rows[rows["overall"].notna()]
    return Window(
        name, first_day, last_day, as_of >= zones.end_of_day(last_day, as_of.tzinfo),
        _share(scored["score"].mean()) if len(scored) else None,
        scored["call_id"].tolist(),
        round(float(with_overall["overall"].mean()), 1) if len(with_overall) else None,
        with_overall["call_id"].tolist())


def points_between(after: float | None, before: float | None, *,
                   per_unit: float = 100.0) -> float | None:
    """after - before in percentage points, to 0.1: of two criterion scores (0..1,
    `per_unit` 100) or of two overall scores (0-100, `per_unit` 1)."""
    if after is None or before is None:
        return None
    return round((after - before) * per_unit, 1)


def _movement(change: float, moved: float) -> str:
    if change >= moved:
        return IMPROVING
    if change <= -moved:
        return DECLINING
    return FLAT


def assess(session: Session, frame: pd.DataFrame, as_of: datetime, settings: Settings,
           criterion_name: str | None = None) -> SessionProgress:
    """The progress of one session's criterion. `frame` holds the rep's calls (call_id,
    started_at, score of the coached criterion 0..1 or NaN, overall 0-100), none after as_of."""
    frame = _with_day(frame, as_of)
    held_on = date.fromisoformat(session.held_on)
    w = settings.window_days
    windows = {
        "baseline": _window(frame, "baseline", held_on, -settings.baseline_days, -1, as_of),
        "weeks_1_2": _window(frame, "weeks_1_2", held_on, 1, w, as_of),
        "weeks_3_4": _window(frame, "weeks_3_4", held_on, w + 1, 2 * w, as_of),
    }
    result = SessionProgress(session, criterion_name or session.criterion_id, windows, TOO_EARLY,
                             None, None, None)
    if not windows["weeks_1_2"].ended:
        return result
    before = windows["baseline"]
    ended = [windows[n] for n in ("weeks_3_4", "weeks_1_2") if windows[n].ended]
    # The latest ended window that holds enough calls speaks; when none does, the latest.
    after = next((x for x in ended if len(x.call_ids) >= settings.min_calls), ended[0])
    result.verdict_window = after.name
    result.change = points_between(after.score, before.score)
    if len(before.overall_call_ids) >= settings.min_calls and \
            len(after.overall_call_ids) >= settings.min_calls:
        result.overall_change = points_between(after.overall, before.overall, per_unit=1)
    if min(len(before.call_ids), len(after.call_ids)) < settings.min_calls:
        result.verdict = TOO_FEW
        return result
    result.verdict = _movement(result.change, settings.moved)
    if result.verdict == FLAT and result.overall_change is not None and \
            result.overall_change >= settings.moved:
        result.notes.append(Note(
            "other_dimensions",
            f"overall score rose {result.overall_change:+.1f} pts ({before.overall:.1f} → "
            f"{after.overall:.1f}, {LABELS['baseline']} → {LABELS[after.name]}) while the "
            f"coached criterion stayed flat ({result.change:+.1f} pts): the rep responded on "
            f"other dimensions"))
    return result


def _with_day(frame: pd.DataFrame, as_of: datetime) -> pd.DataFrame:
    """`frame` with each call's `day`: the calendar day it started on in `as_of`'s zone."""
    frame = frame.copy()
    started = frame["started_at"]
    if as_of.tzinfo is not None:
        started = started.dt.tz_localize("UTC").dt.tz_convert(as_of.tzinfo)
    frame["day"] = started.dt.date
    return frame


def intervention_flags(sessions: list[SessionProgress], frame: pd.DataFrame, as_of: datetime,
                       settings: Settings) -> None:
    """Add "change the intervention" to the later session of each pair on the same criterion
    (sessions of one rep and criterion, in date order) that did not move it within
    `intervention_days` of the first."""
    frame = _with_day(frame, as_of)
    flagged_firsts: set[int] = set()
    for i, later in enumerate(sessions):
        later_day = date.fromisoformat(later.session.held_on)
        for first in sessions[:i]:
            first_day = date.fromisoformat(first.session.held_on)
            if not 0 < (later_day - first_day).days <= settings.intervention_days:
                continue
            if first.session.id in flagged_firsts:
                break
            before = first.windows["baseline"]
            after = _window(frame, "intervention", first_day, 1, settings.intervention_days,
                            as_of)
            if not after.ended or \
                    min(len(before.call_ids), len(after.call_ids)) < settings.min_calls:
                break
            change = points_between(after.score, before.score)
            if change < settings.moved:
                flagged_firsts.add(first.session.id)
                later.notes.append(Note(
                    "change_intervention",
                    f"change the intervention: {later.criterion_name} has not moved in the "
                    f"{settings.intervention_days} days after the session on {first_day} "
                    f"({percent(before.score)} in the {settings.baseline_days} days before "
                    f"it → {percent(after.score)} in days 1-{settings.intervention_days} "
                    f"after it, {change:+.1f} pts) despite sessions on {first_day} and "
                    f"{later_day}; change the practice, not the rep's willingness"))
            break  # each later session is judged against the earliest session in reach


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def weekly(frame: pd.DataFrame, session_days: list[date], as_of: datetime,
           settings: Settings) -> list[Week]:
    """Week-by-week criterion score (Monday weeks) from the first session's baseline to the
    end of the last session's second window, or as_of when that is earlier."""
    frame = _with_day(frame, as_of)
    start = _monday(min(session_days) - timedelta(days=settings.baseline_days))
    end = _monday(min(as_of.date(),
                      max(session_days) + timedelta(days=2 * settings.window_days)))
    scored = frame[frame["score"].notna()].copy()
    scored["monday"] = [_monday(d) for d in scored["day"]]
    by_week = scored.groupby("monday")["score"].agg(["mean", "count"])
    marked = {_monday(d) for d in session_days}
    weeks, monday = [], start
    while monday <= end:
        if monday in by_week.index:
            row = by_week.loc[monday]
            weeks.append(Week(monday, _share(row["mean"]), int(row["count"]),
                              monday in marked))
        else:
            weeks.append(Week(monday, None, 0, monday in marked))
        monday += timedelta(days=7)
    return weeks


def progress(store: Store, *, as_of: datetime, rep: str | None = None,
             rubric_id: str | None = None, settings: Settings = Settings(),
             pass_mark: float | None = None) -> Progress:
    """Every logged session up to `as_of` (optionally one rep's), with its verdict, and one
    weekly trend per coached criterion. Sessions are ordered by rep, criterion, date."""
    if rep is not None:
        rep = lookup.resolve_coached_rep(store, rep, rubric_id)
    sessions = [s for s in store.sessions(rep, rubric_id)
                if s.held_on <= as_of.date().isoformat()]
    results: list[SessionProgress] = []
    trends: list[Trend] = []
    # A rep coached on several criteria: load each rubric and each rep's results once.
    rubrics: dict[str, Rubric] = {}
    rep_results: dict[tuple[str, str], pd.DataFrame] = {}
    for (rid, who, criterion_id), group in _groups(sessions):
        if rid not in rubrics:
            rubrics[rid] = lookup.rubric(store, rid)
        rubric = rubrics[rid]
        name = _criterion_name(rubric, criterion_id)
        if (rid, who) not in rep_results:
            rep_results[rid, who] = results_frame(store, rid, end=as_of, rep=who)
        frame = _criterion_frame(rep_results[rid, who], criterion_id)
        assessed = [assess(s, frame, as_of, settings, name) for s in group]
        intervention_flags(assessed, frame, as_of, settings)
        results.extend(assessed)
        days = sorted({date.fromisoformat(s.held_on) for s in group})
        mark = pass_mark if pass_mark is not None else rubric.pass_mark
        trends.append(Trend(who, rid, criterion_id, name, mark, days,
                            weekly(frame, days, as_of, settings),
                            any(n.code == "change_intervention" for a in assessed
                                for n in a.notes)))
    return Progress(as_of, settings, results, trends)


def _groups(sessions: Iterable[Session]):
    groups: dict[tuple[str, str, str], list[Session]] = {}
    for s in sessions:
        groups.setdefault((s.rubric_id, s.rep, s.criterion_id), []).append(s)
    for key in sorted(groups, key=lambda k: (k[1], k[2], k[0])):
        yield key, sorted(groups[key], key=lambda s: (s.held_on, s.id))


def _criterion_name(rubric: Rubric, criterion_id: str) -> str:
    try:
        return rubric.criterion(criterion_id).title
    except KeyError:  # the rubric changed since the session was logged
        return criterion_id


def _criterion_frame(results: pd.DataFrame, criterion_id: str) -> pd.DataFrame:
    """The rep's calls in `results` (its `results_frame`): call_id, started_at, score (this
    criterion), overall."""
    calls = results.drop_duplicates("call_id")[["call_id", "started_at", "overall"]]
    scores = results.loc[results["criterion_id"] == criterion_id, ["call_id", "score"]]
    return calls.merge(scores, on="call_id", how="left").reset_index(drop=True)
