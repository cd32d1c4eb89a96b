"""The store as pandas frames: the one place analytics reads scores from.

Windows are pushed into SQL (the `calls_window` index on rubric_id, rep, started_at, which
also holds call_id and overall), so a store of 100,000 calls answers a 14-day question
without reading the rest. Moments and
reasons are not in the frames: they are fetched only for the few calls a command shows.

Frames and their columns:

`calls_frame` — one row per scored call, sorted by (started_at, call_id):
    call_id (str), rep (str), started_at (datetime64[ns], naive UTC), call_type (str|None),
    account (str|None), overall (float, 0-100, NaN when no criterion applied)

`results_frame` — one row per (call, criterion), sorted by (started_at, call_id, position):
    the calls_frame columns, plus criterion_id (str), position (int, the criterion's order
    in the rubric the call was scored with), score (float 0..1, NaN = not applicable).
    `criterion_id=` keeps one criterion, `below=` only the scores below that pass mark.

`criterion_totals` — one row per (rep, criterion_id), aggregated in SQL so a team's window
    is never loaded row by row: rep, criterion_id, total (sum of scores), scored (calls where
    it applied), failures (scores below the pass mark). mean = total / scored.

`call_totals` — one row per rep: rep, calls (scored calls in the window), overall_total
    (sum of overall scores), overall_scored (calls with an overall score).

Window bounds follow `analytics.rules.window`: `start < started_at <= end`; either may be None.
Bounds may be aware (a team's zone); `started_at` in the frames is always naive UTC.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

import pandas as pd

from callcoach import zones
from callcoach.scoring.result import Moment
from callcoach.store import Store

CALL_COLUMNS = ["call_id", "rep", "started_at", "call_type", "account", "overall"]
RESULT_COLUMNS = CALL_COLUMNS + ["criterion_id", "position", "score"]

# Failing evidence first when a criterion's moments are shown; then where they are in the call.
FAILING_KINDS = ("violation", "missing")
KIND_ORDER = {"violation": 0, "missing": 1, "trigger": 2, "near_miss": 3, "match": 4}


def _where(rubric_id: str, start: datetime | None, end: datetime | None,
           rep: str | None) -> tuple[str, list]:
    # The WHERE clause on `calls c` that the calls_window index answers.
    sql, args = "c.rubric_id = ?", [rubric_id]
    if rep is not None:
        sql += " AND c.rep = ?"
        args.append(rep)
    # started_at is stored as datetime.isoformat() of a naive UTC instant, so ISO strings
    # compare in time order; bounds in a team's zone are converted first.
    if start is not None:
        sql += " AND c.started_at > ?"
        args.append(utc_text(start))
    if end is not None:
        sql += " AND c.started_at <= ?"
        args.append(utc_text(end))
    return sql, args


def utc_text(t: datetime) -> str:
    """An instant as the store writes it (naive UTC ISO 8601), to compare with started_at."""
    return zones.to_utc(t).isoformat()


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["started_at"] = pd.to_datetime(frame["started_at"], format="ISO8601")
    frame["overall"] = frame["overall"].astype("float64")
    return frame


def calls_frame(store: Store, rubric_id: str, *, start: datetime | None = None,
                end: datetime | None = None, rep: str | None = None) -> pd.DataFrame:
    """The calls scored with `rubric_id` in the window (optionally one rep's)."""
    where, args = _where(rubric_id, start, end, rep)
    rows = store.query(
        f"SELECT c.call_id, c.rep, c.started_at, c.call_type, c.account, c.overall "
        f"FROM calls c WHERE {where} ORDER BY c.started_at, c.call_id", args).fetchall()
    return _typed(pd.DataFrame.from_records(rows, columns=CALL_COLUMNS))


def results_frame(store: Store, rubric_id: str, *, start: datetime | None = None,
                  end: datetime | None = None, rep: str | None = None,
                  criterion_id: str | None = None, below: float | None = None) -> pd.DataFrame:
    """Criterion results of the calls in the window (optionally one rep's, one criterion's,
    only those scoring below `below`)."""
    where, args = _where(rubric_id, start, end, rep)
    if criterion_id is not None:
        where += " AND r.criterion_id = ?"
        args.append(criterion_id)
    if below is not None:
        where += " AND r.score < ?"
        args.append(below)
    # CROSS JOIN keeps SQLite from driving the join from results (all of a rubric's rows).
    rows = store.query(
        f"SELECT c.call_id, c.rep, c.started_at, c.call_type, c.account, c.overall, "
        f"r.criterion_id, r.position, r.score FROM calls c "
        f"CROSS JOIN results r ON r.call_id = c.call_id AND r.rubric_id = c.rubric_id "
        f"WHERE {where} ORDER BY c.started_at, c.call_id, r.position", args).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=RESULT_COLUMNS)
    frame["score"] = frame["score"].astype("float64")
    frame["position"] = frame["position"].astype("int64")
    return _typed(frame)


def criterion_totals(store: Store, rubric_id: str, *, pass_mark: float,
                     start: datetime | None = None, end: datetime | None = None,
                     rep: str | None = None) -> pd.DataFrame:
    """Per (rep, criterion_id) in the window: total, scored, failures (see the module doc)."""
    where, args = _where(rubric_id, start, end, rep)
    rows = store.query(
        f"SELECT c.rep, r.criterion_id, COALESCE(SUM(r.score), 0), COUNT(r.score), "
        f"COALESCE(SUM(CASE WHEN r.score < ? THEN 1 ELSE 0 END), 0) FROM calls c "
        f"CROSS JOIN results r ON r.call_id = c.call_id AND r.rubric_id = c.rubric_id "
        f"WHERE {where} GROUP BY c.rep, r.criterion_id ORDER BY c.rep, r.criterion_id",
        [pass_mark, *args]).fetchall()
    frame = pd.DataFrame.from_records(
        rows, columns=["rep", "criterion_id", "total", "scored", "failures"])
    return frame.astype({"total": "float64", "scored": "int64", "failures": "int64"})


def call_totals(store: Store, rubric_id: str, *, start: datetime | None = None,
                end: datetime | None = None, rep: str | None = None) -> pd.DataFrame:
    """Per rep in the window: calls, overall_total, overall_scored (see the module doc)."""
    where, args = _where(rubric_id, start, end, rep)
    rows = store.query(
        f"SELECT c.rep, COUNT(*), COALESCE(SUM(c.overall), 0), COUNT(c.overall) FROM calls c "
        f"WHERE {where} GROUP BY c.rep ORDER BY c.rep", args).fetchall()
    frame = pd.DataFrame.from_records(
        rows, columns=["rep", "calls", "overall_total", "overall_scored"])
    return frame.astype({"calls": "int64", "overall_total": "float64", "overall_scored": "int64"})


def optional_float(value) -> float | None:
    """A frame cell as a float, None when it is missing (None or NaN)."""
    return None if value is None or pd.isna(value) else float(value)


def _in(call_ids: Iterable[str]) -> tuple[str, list[str]]:
    ids = sorted(set(call_ids))
    return ",".join("?" * len(ids)), ids


def evidence_strength(store: Store, rubric_id: str, criterion_id: str,
                      call_ids: Iterable[str]) -> pd.DataFrame:
    """How clear each call's failing evidence on a criterion is, without loading the moments.

    Columns: call_id, violations (moments of kind 'violation'), failing (violation + missing
    moments), best_similarity (highest similarity of a failing moment, 0 when none).
    Calls without failing moments are present with zeros.
    """
    marks, ids = _in(call_ids)
    columns = ["call_id", "violations", "failing", "best_similarity"]
    if not ids:
        return pd.DataFrame(columns=columns)
    rows = store.query(
        f"SELECT call_id, SUM(CASE WHEN kind = 'violation' THEN 1 ELSE 0 END), COUNT(*), COALESCE(MAX(similarity), 0) "
        f"FROM moments WHERE rubric_id = ? AND criterion_id = ? AND call_id IN ({marks}) "
        f"AND kind IN ('violation', 'missing') GROUP BY call_id",
        [rubric_id, criterion_id, *ids]).fetchall()
    found = pd.DataFrame.from_records(rows, columns=columns)
    frame = pd.DataFrame({"call_id": ids}).merge(found, on="call_id", how="left")
    return frame.fillna({"violations": 0, "failing": 0, "best_similarity": 0.0}).astype(
        {"violations": "int64", "failing": "int64", "best_similarity": "float64"})


def reasons_and_counts(store: Store, rubric_id: str, criterion_id: str, call_ids: Iterable[str]
                       ) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """call_id -> the stored reason, and call_id -> the stored counts (e.g. {"violations": 3}),
    of `criterion_id` on those calls: one query, as both come from the same result rows."""
    marks, ids = _in(call_ids)
    if not ids:
        return {}, {}
    why: dict[str, str] = {}
    tallies: dict[str, dict[str, int]] = {}
    for cid, reason, raw in store.query(
            f"SELECT call_id, reason, counts FROM results WHERE rubric_id = ? "
            f"AND criterion_id = ? AND call_id IN ({marks})",
            [rubric_id, criterion_id, *ids]).fetchall():
        why[cid] = reason
        tallies[cid] = json.loads(raw)
    return why, tallies


def moments(store: Store, rubric_id: str, criterion_id: str,
            call_ids: Iterable[str]) -> dict[str, list[Moment]]:
    """call_id -> the stored moments of `criterion_id`, failing evidence first, then in call
    order. Every requested call is a key (an empty list when it has no moments)."""
    marks, ids = _in(call_ids)
    found: dict[str, list[tuple[int, Moment]]] = {cid: [] for cid in ids}
    if not ids:
        return {}
    for r in store.query(
            f"SELECT call_id, seq, utterance, start, speaker, role, text, kind, matched, step, "
            f"similarity, span_start, span_end FROM moments WHERE rubric_id = ? AND "
            f"criterion_id = ? AND call_id IN ({marks}) ORDER BY call_id, seq",
            [rubric_id, criterion_id, *ids]):
        span = (r[11], r[12]) if r[11] is not None else None
        found[r[0]].append((r[1], Moment(*r[2:11], span=span)))
    return {cid: [m for _, m in sorted(pairs, key=lambda p: (KIND_ORDER.get(p[1].kind, 9),
                                                               p[1].utterance, p[0]))]
            for cid, pairs in found.items()}
