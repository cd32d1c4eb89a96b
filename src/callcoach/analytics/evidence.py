"""The dispute pack: the same failure in three separate calls, each with its moments, its
reason and a few turns of context — for when a rep puts the gap down to circumstances.

Calls are picked exactly as `select` picks them (analytics.selection.rank_failures: by the
evidence, spread over accounts and call types when equally strong). When fewer failed calls
exist than asked for, the pack holds what exists and says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callcoach import zones
from callcoach.analytics import frames, lookup
from callcoach.analytics.excerpts import excerpts
from callcoach.analytics.selection import (DAYS, FRESH_HOURS, ChosenCall, chosen_calls,
                                           criterion_stats, rank_failures)
from callcoach.analytics.frames import FAILING_KINDS
from callcoach.analytics.rules import EVIDENCE_CALLS, EVIDENCE_CONTEXT, window
from callcoach.fmt import pct
from callcoach.rubric.model import Criterion
from callcoach.store import Store
from callcoach.transcript import Utterance

CALLS = EVIDENCE_CALLS
CONTEXT = EVIDENCE_CONTEXT
MAX_MOMENTS = 3


@dataclass(frozen=True)
class Excerpt:
    utterances: list[Utterance]
    moments: list[int]           # utterance indices inside it that are evidence
    note: str | None = None      # why these turns, when no moment marks them

    def to_dict(self) -> dict:
        return {"moments": list(self.moments), "note": self.note,
                "utterances": [u.to_dict() for u in self.utterances]}


@dataclass(frozen=True)
class EvidenceCall:
    call: ChosenCall
    excerpts: list[Excerpt]

    def to_dict(self) -> dict:
        d = self.call.to_dict()
        d["excerpts"] = [e.to_dict() for e in self.excerpts]
        return d


@dataclass(frozen=True)
class EvidencePack:
    rep: str
    rubric_id: str
    as_of: datetime
    days: int
    pass_mark: float
    criterion_id: str
    criterion_name: str
    standard: str | None
    fail_anchor: str | None
    criterion_mean: float | None
    calls_in_window: int
    calls_applicable: int
    failures: int
    asked: int                   # how many calls were asked for
    items: list[EvidenceCall]
    message: str
    rubric_note: str | None = None   # the rubric was picked among several: why this one

    @property
    def start(self) -> datetime:
        return window(self.as_of, self.days)[0]

    def to_dict(self) -> dict:
        return {"rep": self.rep, "rubric_id": self.rubric_id, "rubric_note": self.rubric_note,
                "as_of": self.as_of.isoformat(),
                "timezone": zones.name_of(self.as_of.tzinfo),
                "start": self.start.isoformat(), "days": self.days, "pass_mark": self.pass_mark,
                "criterion": {"id": self.criterion_id, "name": self.criterion_name,
                              "standard": self.standard, "fail": self.fail_anchor,
                              "mean": self.criterion_mean},
                "calls_in_window": self.calls_in_window,
                "calls_applicable": self.calls_applicable, "failures": self.failures,
                "asked": self.asked, "message": self.message,
                "calls": [i.to_dict() for i in self.items]}


def evidence(store: Store, rep: str, criterion: str, *, as_of: datetime, days: int = DAYS,
             calls: int = CALLS, pass_mark: float | None = None, rubric_id: str | None = None,
             context: int = CONTEXT, max_moments: int = MAX_MOMENTS,
             fresh_hours: int = FRESH_HOURS) -> EvidencePack:
    """Up to `calls` failed calls of `rep` on `criterion` in the window, with excerpts.
    Raises NotFoundError for an unknown rep or criterion (with a "did you mean")."""
    stored = lookup.scored_rubric(store, rubric_id)
    rubric = stored.rubric
    found = lookup.resolve_criterion(rubric, criterion)
    rep = lookup.resolve_rep(store, stored.rubric_id, rep)
    pass_mark = rubric.pass_mark if pass_mark is None else pass_mark
    bounds = dict(zip(("start", "end"), window(as_of, days)))
    totals = frames.criterion_totals(store, stored.rubric_id, pass_mark=pass_mark, rep=rep,
                                     **bounds)
    stats = criterion_stats(totals[totals["criterion_id"] == found.id])
    applicable = int(stats["applicable"].sum())
    mean = float(stats["mean"].iloc[0]) if applicable else None
    calls_in_window = int(frames.call_totals(store, stored.rubric_id, rep=rep,
                                             **bounds)["calls"].sum())
    failed = frames.results_frame(store, stored.rubric_id, rep=rep, criterion_id=found.id,
                                  below=pass_mark, **bounds)
    ranked = rank_failures(store, stored.rubric_id, found.id, failed, calls)
    chosen = chosen_calls(store, stored.rubric_id, found.id, ranked, as_of=as_of,
                          fresh_hours=fresh_hours)
    items = [EvidenceCall(c, _excerpts(store.utterances(c.call_id), c, found, context,
                                       max_moments)) for c in chosen]
    return EvidencePack(
        rep=rep, rubric_id=stored.rubric_id, as_of=as_of, days=days, pass_mark=pass_mark,
        criterion_id=found.id, criterion_name=found.title, standard=found.standard,
        fail_anchor=found.anchors.fail if found.anchors else None, criterion_mean=mean,
        calls_in_window=calls_in_window, calls_applicable=applicable,
        failures=len(failed), asked=calls, items=items,
        message=_message(found.title, len(failed), applicable, calls, days),
        rubric_note=stored.note)


def _excerpts(turns: list[Utterance], call: ChosenCall, criterion: Criterion, context: int,
              max_moments: int) -> list[Excerpt]:
    failing = [m for m in call.moments if m.kind in FAILING_KINDS] or call.moments
    if failing:
        centers = sorted({m.utterance for m in failing[:max_moments]})
        return [Excerpt(group, [i for i in centers if any(u.index == i for u in group)])
                for group in excerpts(turns, centers, context)]
    # Nothing was said that matched (a disclosure or a next step never came): show the part
    # of the call the check looks at, so the silence itself can be played.
    within, size = criterion.check.within, 2 * context + 1
    if within is not None and within.first is not None and turns:
        return [Excerpt(turns[:size], [], f"the call's first {len(turns[:size])} turns "
                                          f"(the check looks at the first {within.first})")]
    if within is not None and within.last is not None and turns:
        return [Excerpt(turns[-size:], [], f"the call's last {len(turns[-size:])} turns "
                                           f"(the check looks at the last {within.last})")]
    return []


def _message(name: str, failures: int, applicable: int, asked: int, days: int) -> str:
    span = f"in the last {days} day{'s' if days != 1 else ''}"
    if failures == 0:
        return f"{name}: no failed calls {span} — nothing to show"
    rate = f"failed on {failures} of {applicable} calls ({pct(failures / applicable)}) {span}"
    if failures >= asked:
        plural = "s" if asked != 1 else ""
        return f"{name}: the same failure in {asked} separate call{plural}; {rate}"
    return (f"{name}: only {failures} failed call{'s' if failures != 1 else ''} {span} "
            f"(asked for {asked}); showing {'it' if failures == 1 else 'all ' + str(failures)}")
