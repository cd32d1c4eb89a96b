"""The queue: the team before the week — whom to see first, on what.

Every rep gets a selection (the same rules as `select`, computed from one read of the team's
window). Reps with something to coach (a pattern or a first occurrence) come first, most
urgent first: a failed call inside the freshness window (48 h) before any without, then the
higher failure rate, then the lower criterion mean, then the rep's name. Reps with nothing to
pick (no failures, too few calls, no calls) follow, in that order, by name. Every rep with
a call scored with the rubric is listed, so a rep with no recent calls is not forgotten.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callcoach import zones
from callcoach.analytics import frames, lookup
from callcoach.analytics.rules import window
from callcoach.analytics.selection import (CONFIRM_CALLS, DAYS, FRESH_HOURS, MIN_CALLS,
                                           REVIEW_RATE, TO_COACH, Selection,
                                           select_from_totals)
from callcoach.store import Store

WAITING_ORDER = {"no_failures": 0, "too_few_calls": 1, "no_calls": 2}


@dataclass(frozen=True)
class Queue:
    rubric_id: str
    as_of: datetime
    days: int
    pass_mark: float
    fresh_hours: int
    to_coach: list[Selection]   # most urgent first
    waiting: list[Selection]    # nothing to pick yet: no failures, too few calls, no calls
    rubric_note: str | None = None   # the rubric was picked among several: why this one

    def hours_since_failure(self, s: Selection) -> float | None:
        if s.latest_failure is None:
            return None
        # elapsed time, in UTC: two times of one zone subtract as wall clocks
        return (zones.to_utc(self.as_of) - zones.to_utc(s.latest_failure)).total_seconds() / 3600

    def to_dict(self) -> dict:
        def entry(s: Selection) -> dict:
            return {"rep": s.rep, "status": s.status, "criterion_id": s.criterion_id,
                    "criterion_name": s.criterion_name, "criterion_mean": s.criterion_mean,
                    "calls_in_window": s.calls_in_window, "calls_applicable": s.calls_applicable,
                    "failures": s.failures, "failure_rate": s.failure_rate,
                    "pattern_confirmed": s.pattern_confirmed, "fresh": s.fresh,
                    "fresh_failures": s.fresh_failures,
                    "latest_failure": s.latest_failure.isoformat() if s.latest_failure else None,
                    "hours_since_failure": (None if s.latest_failure is None
                                            else round(self.hours_since_failure(s), 1)),
                    "review": [s.review_min, s.review_max],
                    "calls": [c.call_id for c in s.chosen], "message": s.message}

        return {"rubric_id": self.rubric_id, "rubric_note": self.rubric_note,
                "as_of": self.as_of.isoformat(),
                "timezone": zones.name_of(self.as_of.tzinfo),
                "days": self.days, "pass_mark": self.pass_mark, "fresh_hours": self.fresh_hours,
                "to_coach": [entry(s) for s in self.to_coach],
                "waiting": [entry(s) for s in self.waiting]}


def urgency(s: Selection) -> tuple:
    return (not s.fresh, -(s.failure_rate or 0.0), s.criterion_mean or 0.0, s.rep)


def queue(store: Store, *, as_of: datetime, days: int = DAYS, pass_mark: float | None = None,
          rubric_id: str | None = None, min_calls: int = MIN_CALLS,
          fresh_hours: int = FRESH_HOURS, confirm_calls: int = CONFIRM_CALLS,
          review_rate: float = REVIEW_RATE) -> Queue:
    stored = lookup.scored_rubric(store, rubric_id)
    rubric = stored.rubric
    mark = rubric.pass_mark if pass_mark is None else pass_mark
    start, _ = window(as_of, days)
    totals = frames.criterion_totals(store, stored.rubric_id, pass_mark=mark, start=start,
                                     end=as_of)
    calls = dict(zip(*frames.call_totals(store, stored.rubric_id, start=start,
                                         end=as_of)[["rep", "calls"]].T.values))
    by_rep = dict(tuple(totals.groupby("rep", sort=True)))
    empty = totals.iloc[0:0]
    selections = [select_from_totals(store, rubric, stored.rubric_id, rep,
                                     by_rep.get(rep, empty), int(calls.get(rep, 0)),
                                     as_of=as_of, days=days, pass_mark=mark,
                                     min_calls=min_calls, fresh_hours=fresh_hours,
                                     confirm_calls=confirm_calls, review_rate=review_rate,
                                     rubric_note=stored.note)
                  for rep in lookup.reps(store, stored.rubric_id)]
    to_coach = sorted((s for s in selections if s.status in TO_COACH), key=urgency)
    waiting = sorted((s for s in selections if s.status not in TO_COACH),
                     key=lambda s: (WAITING_ORDER[s.status], s.rep))
    return Queue(stored.rubric_id, as_of, days, mark, fresh_hours, to_coach, waiting,
                 stored.note)
