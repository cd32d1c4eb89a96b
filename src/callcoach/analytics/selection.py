"""What to coach: a rep's lowest-scoring criterion in the window, whether it is a pattern,
how many calls to review, and which calls prove it (DOMAIN.md section 3).

Rules (each default is an argument and a CLI flag; docs/coaching.md has them all):
- window: (as_of - days, as_of], 14 days;
- candidates: criteria the rep failed (score below the pass mark) at least once in the window;
  of those, the lowest mean criterion score (N/A excluded); ties → higher weight, then more
  failures, then rubric order. A rep with no failure at all → `no_failures`;
- fewer than `min_calls` scored calls in the window: a pattern cannot be picked, but a call
  that failed within `fresh_hours` is coachable at once as a *first occurrence* (one call, in
  depth: coaching within 48 hours of a flagged interaction matters most) — the criterion is
  chosen as below among those that failed on a fresh call, and the call is that failure with
  the clearest evidence. Without a fresh failure → `too_few_calls` (none → `no_calls`): say so
  instead of guessing;
- pattern confirmed: below the pass mark on >= `confirm_calls` (3) calls;
- calls to review: exactly one failure (first occurrence) → 1, in depth; failure rate
  (failures / calls where the criterion applied) above `review_rate` (30 %) → 2-3 (3 when
  three failed calls exist); otherwise 1-2;
- chosen calls: the failed calls ranked by evidence — lowest criterion score, then the
  clearest moment (most violations, most failing moments, highest similarity) — never by
  recency or overall score; among equally strong calls, ones from an account / call type not
  yet chosen come first.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from itertools import takewhile

import pandas as pd

from callcoach import zones
from callcoach.analytics import frames, lookup
from callcoach.analytics.rules import (CONFIRM_CALLS, DAYS, FRESH_HOURS, MIN_CALLS,  # noqa: F401
                                       REVIEW_RATE, window)
from callcoach.fmt import pct
from callcoach.rubric.model import Rubric
from callcoach.scoring.result import Moment
from callcoach.store import Store

# The statuses that warrant a coaching session (queue: to coach; agenda: a session agenda).
TO_COACH = ("pattern", "first_occurrence")


@dataclass(frozen=True)
class ChosenCall:
    call_id: str
    started_at: datetime
    call_type: str | None
    account: str | None
    score: float                # the criterion's score on this call (0..1)
    overall: float | None
    reason: str                 # the stored criterion reason
    moments: list[Moment]       # that criterion's moments on the call, failing evidence first
    fresh: bool                 # started within `fresh_hours` of as_of
    counts: dict[str, int] = field(default_factory=dict)  # the stored counts, e.g. violations

    def to_dict(self) -> dict:
        return {"call_id": self.call_id, "started_at": self.started_at.isoformat(),
                "call_type": self.call_type, "account": self.account, "score": self.score,
                "overall": self.overall, "reason": self.reason, "fresh": self.fresh,
                "counts": dict(sorted(self.counts.items())),
                "moments": [m.to_dict() for m in self.moments]}


@dataclass(frozen=True)
class Selection:
    rep: str
    rubric_id: str
    as_of: datetime
    days: int
    pass_mark: float
    status: str                 # TO_COACH, or no_failures | too_few_calls | no_calls
    criterion_id: str | None
    criterion_name: str | None
    standard: str | None
    criterion_mean: float | None  # the rep's mean on that criterion in the window (N/A excluded)
    calls_in_window: int
    calls_applicable: int
    failures: int
    failure_rate: float | None
    pattern_confirmed: bool     # below the pass mark on >= confirm_calls calls
    review_min: int
    review_max: int
    chosen: list[ChosenCall]    # failed calls ranked by evidence
    criteria_means: dict[str, float | None]  # every criterion's mean for the rep, rubric order
    message: str
    # how the review count was reached, and the settings it was reached with
    # "first_occurrence" | "fresh_failure" (few calls, one failed lately) | "above_rate" |
    # "at_or_below_rate"
    review_rule: str | None = None
    confirm_calls: int = CONFIRM_CALLS
    min_calls: int = MIN_CALLS
    fresh_hours: int = FRESH_HOURS
    fresh_failures: int = 0          # failed calls (on the criterion) inside the fresh window
    latest_failure: datetime | None = None
    failed_calls: list[str] = field(default_factory=list)  # every failed call, oldest first
    rubric_note: str | None = None   # the rubric was picked among several: why this one

    @property
    def start(self) -> datetime:
        return window(self.as_of, self.days)[0]

    @property
    def fresh(self) -> bool:
        return self.fresh_failures > 0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["as_of"] = self.as_of.isoformat()
        d["timezone"] = zones.name_of(self.as_of.tzinfo)
        d["start"] = self.start.isoformat()
        d["latest_failure"] = self.latest_failure.isoformat() if self.latest_failure else None
        d["chosen"] = [c.to_dict() for c in self.chosen]
        return d


def select(store: Store, rep: str, *, as_of: datetime, days: int = DAYS,
           pass_mark: float | None = None, rubric_id: str | None = None,
           min_calls: int = MIN_CALLS, fresh_hours: int = FRESH_HOURS,
           confirm_calls: int = CONFIRM_CALLS, review_rate: float = REVIEW_RATE) -> Selection:
    """What to coach `rep` on, as of `as_of`. Raises NotFoundError for an unknown rep."""
    stored = lookup.scored_rubric(store, rubric_id)
    rubric = stored.rubric
    rep = lookup.resolve_rep(store, stored.rubric_id, rep)
    pass_mark = rubric.pass_mark if pass_mark is None else pass_mark
    start, _ = window(as_of, days)
    totals = frames.criterion_totals(store, stored.rubric_id, pass_mark=pass_mark, start=start,
                                     end=as_of, rep=rep)
    calls = int(frames.call_totals(store, stored.rubric_id, start=start, end=as_of,
                                   rep=rep)["calls"].sum())
    return select_from_totals(store, rubric, stored.rubric_id, rep, totals, calls, as_of=as_of,
                              days=days, pass_mark=pass_mark, min_calls=min_calls,
                              fresh_hours=fresh_hours, confirm_calls=confirm_calls,
                              review_rate=review_rate, rubric_note=stored.note)


def criterion_stats(totals: pd.DataFrame) -> pd.DataFrame:
    """`frames.criterion_totals` rows summed per criterion_id: mean (NaN when it never
    applied), applicable, failures."""
    stats = totals.groupby("criterion_id")[["total", "scored", "failures"]].sum()
    stats["mean"] = stats["total"] / stats["scored"].where(stats["scored"] > 0)
    return stats.rename(columns={"scored": "applicable"})


def select_from_totals(store: Store, rubric: Rubric, rubric_id: str, rep: str,
                       totals: pd.DataFrame, calls: int, *, as_of: datetime, days: int = DAYS,
                       pass_mark: float | None = None, min_calls: int = MIN_CALLS,
                       fresh_hours: int = FRESH_HOURS, confirm_calls: int = CONFIRM_CALLS,
                       review_rate: float = REVIEW_RATE,
                       rubric_note: str | None = None) -> Selection:
    """The selection from one rep's `frames.criterion_totals` (computed with the same
    pass mark) and call count for the window; queue uses it to read the team's totals once."""
    pass_mark = rubric.pass_mark if pass_mark is None else pass_mark
    stats = criterion_stats(totals)
    means = {c.id: frames.optional_float(stats.at[c.id, "mean"]) if c.id in stats.index else None
             for c in rubric.criteria}
    base = dict(rep=rep, rubric_id=rubric_id, as_of=as_of, days=days, pass_mark=pass_mark,
                calls_in_window=calls, criteria_means=means, confirm_calls=confirm_calls,
                min_calls=min_calls, fresh_hours=fresh_hours, rubric_note=rubric_note)
    empty = dict(criterion_id=None, criterion_name=None, standard=None, criterion_mean=None,
                 calls_applicable=0, failures=0, failure_rate=None, pattern_confirmed=False,
                 review_min=0, review_max=0, chosen=[])
    span = f"in the last {days} day{'s' if days != 1 else ''}"
    if calls == 0:
        return Selection(status="no_calls", message=f"no calls {span}", **base, **empty)
    start, end = window(as_of, days)
    fresh_only: set[str] | None = None   # few calls: only criteria failed on a fresh call
    if calls < min_calls:
        recent = frames.results_frame(store, rubric_id, start=start, end=end, rep=rep,
                                      below=pass_mark)
        recent = recent[recent["started_at"] >= fresh_cut(as_of, fresh_hours)]
        if recent.empty:
            return Selection(status="too_few_calls", **base, **empty, message=(
                f"only {calls} call{'s' if calls != 1 else ''} {span} — too few to pick a "
                f"pattern; need {min_calls}, or a failed call within {fresh_hours} h"))
        fresh_only = set(recent["criterion_id"])

    candidates = []
    for position, c in enumerate(rubric.criteria):
        if fresh_only is not None and c.id not in fresh_only:
            continue
        if c.id in stats.index and stats.at[c.id, "failures"] > 0:
            row = stats.loc[c.id]
            # Means are rounded so float noise cannot decide a tie the rules decide.
            candidates.append((round(float(row["mean"]), 9), -c.weight, -int(row["failures"]),
                               position, c, row))
    if not candidates:
        return Selection(status="no_failures", **base, **empty, message=(
            f"passed every criterion on all {calls} calls {span} — nothing to coach"))
    *_, criterion, row = min(candidates, key=lambda t: t[:4])

    failures, applicable = int(row["failures"]), int(row["applicable"])
    rate = failures / applicable
    confirmed = failures >= confirm_calls and fresh_only is None
    if fresh_only is not None:
        rule, low, high = "fresh_failure", 1, 1
    elif failures == 1:
        rule, low, high = "first_occurrence", 1, 1
    elif rate > review_rate:
        rule, low, high = "above_rate", 2, 3
    else:
        rule, low, high = "at_or_below_rate", 1, 2
    review = min(high, failures)

    failed = frames.results_frame(store, rubric_id, start=start, end=end, rep=rep,
                                  criterion_id=criterion.id, below=pass_mark)
    pool = failed if fresh_only is None else \
        failed[failed["started_at"] >= fresh_cut(as_of, fresh_hours)]
    ranked = rank_failures(store, rubric_id, criterion.id, pool, review)
    chosen = chosen_calls(store, rubric_id, criterion.id, ranked, as_of=as_of,
                          fresh_hours=fresh_hours)
    latest = failed["started_at"].max()
    return Selection(
        status="first_occurrence" if rule in ("first_occurrence", "fresh_failure")
        else "pattern",
        criterion_id=criterion.id, criterion_name=criterion.title, standard=criterion.standard,
        criterion_mean=float(row["mean"]), calls_applicable=applicable, failures=failures,
        failure_rate=rate, pattern_confirmed=confirmed, review_min=low, review_max=high,
        chosen=chosen, review_rule=rule,
        fresh_failures=int((failed["started_at"] >= fresh_cut(as_of, fresh_hours)).sum()),
        latest_failure=zones.like(latest.to_pydatetime(), as_of),
        failed_calls=list(failed["call_id"]),
        message=_message(failures, applicable, calls, rate, confirmed, confirm_calls, rule,
                         review, review_rate, min_calls, fresh_hours, days),
        **base)


def _message(failures: int, applicable: int, calls: int, rate: float, confirmed: bool,
             confirm_calls: int, rule: str, review: int, review_rate: float, min_calls: int,
             fresh_hours: int, days: int) -> str:
    where = "" if applicable == calls else " where it applied"
    head = f"Failed on {failures} of {applicable} calls{where} ({pct(rate)})"
    threshold = f"{review_rate * 100:g}%"
    if rule == "first_occurrence":
        return f"{head} — first occurrence; review 1 in depth"
    if rule == "fresh_failure":
        return (f"{head} — first occurrence, not yet a confirmed pattern (only {calls} "
                f"call{'s' if calls != 1 else ''} in the last {days} days; {min_calls} show a "
                f"pattern); a failed call within {fresh_hours} h: review it in depth")
    state = ("pattern confirmed" if confirmed
             else f"not yet a confirmed pattern (needs {confirm_calls} failed calls)")
    if rule == "above_rate":
        why = f"failure rate above {threshold} → review 2–3 to prove the pattern"
        if failures < 3:
            why += f"; only {failures} failed"
    else:
        why = f"failure rate {threshold} or less → review 1–2"
    return f"{head} — {state}; review {review} ({why})"


def rank_failures(store: Store, rubric_id: str, criterion_id: str, failed: pd.DataFrame,
                  limit: int) -> list[dict]:
    """The best `limit` failed calls (rows of a results frame for one criterion), best
    evidence first.

    Order: lowest criterion score, then most violation moments, most failing moments, highest
    similarity of a failing moment. Among calls equal on all of those, one whose account and
    call type were not yet picked comes first (a rep cannot put a pattern seen across prospects
    down to one prospect); then call_id, so the order is stable. Never recency, never overall.
    Moment statistics are read only for calls whose score could place them in the top `limit`.
    """
    if failed.empty or limit <= 0:
        return []
    ordered = failed.assign(_score=failed["score"].round(9)).sort_values(["_score", "call_id"])
    cutoff = ordered["_score"].iloc[min(limit, len(ordered)) - 1]
    pool = ordered[ordered["_score"] <= cutoff]
    strength = frames.evidence_strength(store, rubric_id, criterion_id, pool["call_id"])
    rows = pool.merge(strength, on="call_id", how="left").to_dict("records")
    for r in rows:
        r["_key"] = (r["_score"], -int(r["violations"]), -int(r["failing"]),
                     -float(r["best_similarity"]))
    rows.sort(key=lambda r: (r["_key"], r["call_id"]))
    ranked: list[dict] = []
    accounts: set = set()
    types: set = set()
    while rows and len(ranked) < limit:
        tied = list(takewhile(lambda r: r["_key"] == rows[0]["_key"], rows))
        best = min(tied, key=lambda r: (-_novelty(r, accounts, types), r["call_id"]))
        rows.remove(best)
        ranked.append(best)
        accounts.add(best["account"])
        types.add(best["call_type"])
    return ranked


def _novelty(row: dict, accounts: set, types: set) -> int:
    return (int(row["account"] is not None and row["account"] not in accounts)
            + int(row["call_type"] is not None and row["call_type"] not in types))


def fresh_cut(as_of: datetime, fresh_hours: int) -> datetime:
    """The earliest start (naive UTC, as in the frames) of a fresh call: `fresh_hours` of
    elapsed time before `as_of`, counted in UTC so a clock change never makes it 47 or 49."""
    return zones.to_utc(as_of) - timedelta(hours=fresh_hours)


def chosen_calls(store: Store, rubric_id: str, criterion_id: str, ranked: list[dict], *,
                 as_of: datetime, fresh_hours: int) -> list[ChosenCall]:
    """Ranked rows → ChosenCall (times in `as_of`'s zone), loading reasons and moments for
    these calls only."""
    ids = [r["call_id"] for r in ranked]
    why, tallies = frames.reasons_and_counts(store, rubric_id, criterion_id, ids)
    evidence = frames.moments(store, rubric_id, criterion_id, ids)
    cut = fresh_cut(as_of, fresh_hours)
    out = []
    for r in ranked:
        started = r["started_at"].to_pydatetime()
        out.append(ChosenCall(
            call_id=r["call_id"], started_at=zones.like(started, as_of), call_type=r["call_type"],
            account=r["account"], score=float(r["score"]), overall=frames.optional_float(r["overall"]),
            reason=why.get(r["call_id"], ""), moments=evidence.get(r["call_id"], []),
            fresh=started >= cut, counts=tallies.get(r["call_id"], {})))
    return out
