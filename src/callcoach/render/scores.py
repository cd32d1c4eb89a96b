"""`callcoach score` output: a calls x criteria table, or JSON / JSON Lines / CSV.

The machine formats stream: calls arrive from the store a chunk at a time and are written as
they come, so a 100,000-call run is never held in memory. The table needs its column widths
first, so it keeps its cells (a few short strings per call), never the scores. The machine formats are contracts
documented in docs/output.md: extend them, never change a key's meaning.
"""
from __future__ import annotations

import csv
import json
from datetime import tzinfo
from typing import TYPE_CHECKING, Iterable, Iterator, TextIO

from callcoach import zones
from callcoach.fmt import pct, when
from callcoach.scoring.result import CallScore

if TYPE_CHECKING:  # pydantic loads with the scoring, not with `callcoach --help`
    from callcoach.rubric.model import Rubric

CSV_COLUMNS = ("call_id", "rep", "started_at", "call_type", "overall", "critical_failed",
               "criterion", "score", "passed", "reason")
NOT_APPLICABLE = "–"
CRITICAL_MARK = "!"


def write_scores(scores: Iterable[CallScore], fmt: str, out: TextIO, *, rubric: Rubric,
                 color: bool = False, tz: tzinfo | None = None) -> None:
    """Write `scores` (already in output order) to `out` in `fmt`. The table shows start
    times in `tz` (None: UTC); the machine formats keep the stored naive UTC instants."""
    if fmt == "jsonl":
        for s in scores:
            out.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "json":
        write_json(scores, out)
    elif fmt == "csv":
        write_csv(scores, out)
    else:
        write_table(scores, out, rubric=rubric, color=color, tz=tz)


def write_json(scores: Iterable[CallScore], out: TextIO) -> None:
    """One JSON list of the jsonl objects, written item by item."""
    out.write("[")
    for i, s in enumerate(scores):
        body = json.dumps(s.to_dict(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("," if i else "") + "\n  " + body)
    out.write("\n]\n")


def write_csv(scores: Iterable[CallScore], out: TextIO) -> None:
    """One row per call x criterion, in the rubric's criterion order; an empty score and
    passed mean not applicable."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in scores:
        m = s.meta
        for r in s.results:
            writer.writerow((m.call_id, m.rep, m.started_at.isoformat(), m.call_type or "",
                             "" if s.overall is None else s.overall,
                             "true" if s.critical_failed else "false", r.id,
                             "" if r.score is None else r.score,
                             "" if r.passed is None else ("true" if r.passed else "false"),
                             r.reason))


# ANSI styles for a terminal; a pipe or file gets plain text.
STYLES = {"fail": "\x1b[31m", "critical": "\x1b[1;31m", "na": "\x1b[2m", "head": "\x1b[1m"}
RESET = "\x1b[0m"
GAP = "   "


def score_rows(scores: Iterable[CallScore], rubric: Rubric,
               tz: tzinfo | None = None) -> Iterator[list[tuple[str, str]]]:
    """Calls x criteria as (text, style) cells: scores as %, `fail` below the pass mark, `na`
    (shown `–`) when not applicable, `critical` with `!` on a failed critical criterion and
    on the overall of the call it fails."""
    critical = {c.id for c in rubric.criteria if c.critical}
    for s in scores:
        cells = [(s.meta.call_id, ""), (s.meta.rep, ""),
                 (when(zones.in_zone(s.meta.started_at, tz)), "")]
        if s.overall is None:
            cells.append((NOT_APPLICABLE, "na"))
        elif s.critical_failed:
            cells.append((f"{s.overall:.1f}{CRITICAL_MARK}", "critical"))
        else:
            cells.append((f"{s.overall:.1f}", ""))
        results = {r.id: r for r in s.results}
        for c in rubric.criteria:
            r = results.get(c.id)
            if r is None or r.score is None:
                cells.append((NOT_APPLICABLE, "na"))
            elif r.passed is False and c.id in critical:
                cells.append((pct(r.score) + CRITICAL_MARK, "critical"))
            else:
                cells.append((pct(r.score), "fail" if r.passed is False else ""))
        yield cells


def write_table(scores: Iterable[CallScore], out: TextIO, *, rubric: Rubric,
                color: bool = False, tz: tzinfo | None = None) -> None:
    """A plain aligned table (rich's Table takes seconds for thousands of rows): call, rep,
    started, overall, then one column per criterion, `!` marking the critical ones."""
    header = ["call", "rep", "started", "overall"] + [
        c.id + (CRITICAL_MARK if c.critical else "") for c in rubric.criteria]
    rows = list(score_rows(scores, rubric, tz))
    widths = [max([len(h)] + [len(r[i][0]) for r in rows]) for i, h in enumerate(header)]
    right = [False, False, False] + [True] * (len(header) - 3)

    def line(cells: list[tuple[str, str]]) -> str:
        parts = []
        for (text, style), width, r in zip(cells, widths, right):
            padded = text.rjust(width) if r else text.ljust(width)
            parts.append(f"{STYLES[style]}{padded}{RESET}" if color and style else padded)
        return GAP.join(parts).rstrip() + "\n"

    out.write(line([(h, "head") for h in header]))
    out.write("─" * (sum(widths) + len(GAP) * (len(widths) - 1)) + "\n")
    for row in rows:
        out.write(line(row))
    out.write(f"rubric {rubric.rubric}" + (f" v{rubric.version}" if rubric.version else "")
              + f" · pass mark {pct(rubric.pass_mark)} · started: {zones.name_of(tz)} · "
              f"red: below the pass mark · "
              f"{NOT_APPLICABLE}: not applicable · {CRITICAL_MARK}: critical\n")
