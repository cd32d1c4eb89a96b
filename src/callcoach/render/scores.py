"""`callcoach score` output: a calls x criteria table, or JSON / JSON Lines / CSV.

Every writer streams: calls arrive from the store a chunk at a time and are written as they
come, so a 100,000-call run is never held in memory. The machine formats are contracts
documented in docs/output.md: extend them, never change a key's meaning.
"""
from __future__ import annotations

import csv
import json
from typing import Iterable, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from callcoach.fmt import pct
from callcoach.rubric.model import Rubric
from callcoach.scoring.result import CallScore

FORMATS = ("table", "json", "jsonl", "csv")
CSV_COLUMNS = ("call_id", "rep", "started_at", "call_type", "overall", "critical_failed",
               "criterion", "score", "passed", "reason")
NOT_APPLICABLE = "–"
CRITICAL_MARK = "!"


def write_scores(scores: Iterable[CallScore], fmt: str, out: TextIO, *, rubric: Rubric,
                 color: bool = False, width: int | None = None) -> None:
    """Write `scores` (already in output order) to `out` in `fmt`."""
    if fmt == "jsonl":
        for s in scores:
            out.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "json":
        write_json(scores, out)
    elif fmt == "csv":
        write_csv(scores, out)
    else:
        write_table(scores, out, rubric=rubric, color=color, width=width)


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


def score_table(scores: Iterable[CallScore], rubric: Rubric) -> Table:
    """Calls x criteria: scores as %, red below the pass mark, `–` when not applicable, `!` on
    a failed critical criterion and on the overall of the call it fails."""
    critical = {c.id for c in rubric.criteria if c.critical}
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for name in ("call", "rep", "started"):
        table.add_column(name, no_wrap=True)
    table.add_column("overall", justify="right", no_wrap=True)
    for c in rubric.criteria:
        table.add_column(c.id + (CRITICAL_MARK if c.id in critical else ""), justify="right",
                         no_wrap=True)
    for s in scores:
        cells = [Text(s.meta.call_id), Text(s.meta.rep),
                 Text(s.meta.started_at.strftime("%Y-%m-%d %H:%M"))]
        if s.overall is None:
            cells.append(Text(NOT_APPLICABLE))
        else:
            cells.append(Text(f"{s.overall:.1f}" + (CRITICAL_MARK if s.critical_failed else ""),
                              style="bold red" if s.critical_failed else ""))
        results = {r.id: r for r in s.results}
        for c in rubric.criteria:
            r = results.get(c.id)
            if r is None or r.score is None:
                cells.append(Text(NOT_APPLICABLE, style="dim"))
                continue
            failed_critical = r.passed is False and c.id in critical
            cells.append(Text(pct(r.score) + (CRITICAL_MARK if failed_critical else ""),
                              style="bold red" if failed_critical else
                              "red" if r.passed is False else ""))
        table.add_row(*cells)
    return table


def write_table(scores: Iterable[CallScore], out: TextIO, *, rubric: Rubric, color: bool = False,
                width: int | None = None) -> None:
    table = score_table(scores, rubric)
    legend = (f"rubric {rubric.rubric}" + (f" v{rubric.version}" if rubric.version else "")
              + f" · pass mark {pct(rubric.pass_mark)} · red: below the pass mark · "
              f"{NOT_APPLICABLE}: not applicable · {CRITICAL_MARK}: critical")
    # Not a terminal: a fixed, generous width, so a file or pipe gets whole lines whatever
    # $COLUMNS says (deterministic output).
    console = Console(file=out, width=width or 1000, force_terminal=color,
                      no_color=not color, highlight=False, soft_wrap=False,
                      color_system="auto" if color else None)
    console.print(table)
    console.print(legend, soft_wrap=True)
