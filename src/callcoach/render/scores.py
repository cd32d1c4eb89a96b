"""`callcoach score` output: a calls x criteria table, or JSON / JSON Lines / CSV.

The machine formats stream: calls arrive from the store a chunk at a time and are written as
they come, so a 100,000-call run is never held in memory. The table (render/tables.py, the
one table renderer) needs its column widths first, so it keeps its cells (a few short
strings per call), never the scores. The machine formats are contracts
documented in docs/output.md: extend them, never change a key's meaning.
"""
from __future__ import annotations

import json
from datetime import tzinfo
from typing import TYPE_CHECKING, Iterable, Iterator, TextIO

from rich.text import Text

from callcoach import zones
from callcoach.fmt import pct, when
from callcoach.render.tables import (NOT_APPLICABLE, Column, console_width, fail_legend, fits,
                                     numbered, print_to, score_text, table, widths)
from callcoach.sanitize import CSVWriter
from callcoach.scoring.result import CallScore

if TYPE_CHECKING:  # pydantic loads with the scoring, not with `callcoach --help`
    from callcoach.rubric.model import Rubric

CSV_COLUMNS = ("call_id", "rep", "started_at", "call_type", "overall", "critical_failed",
               "criterion", "score", "passed", "reason")
CRITICAL_MARK = "!"


def write_scores(scores: Iterable[CallScore], fmt: str, out: TextIO, *, rubric: Rubric,
                 color: bool = False, tz: tzinfo | None = None, raw: bool = False) -> None:
    """Write `scores` (already in output order) to `out` in `fmt`. The table shows start
    times in `tz` (None: UTC); the machine formats keep the stored naive UTC instants. `raw`:
    CSV cells as they are, without the formula guard (`sanitize.csv_cell`)."""
    if fmt == "jsonl":
        for s in scores:
            out.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "json":
        write_json(scores, out)
    elif fmt == "csv":
        write_csv(scores, out, raw=raw)
    else:
        write_table(scores, out, rubric=rubric, color=color, tz=tz)


def write_json(scores: Iterable[CallScore], out: TextIO) -> None:
    """One JSON list of the jsonl objects, written item by item."""
    out.write("[")
    for i, s in enumerate(scores):
        body = json.dumps(s.to_dict(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("," if i else "") + "\n  " + body)
    out.write("\n]\n")


def write_csv(scores: Iterable[CallScore], out: TextIO, *, raw: bool = False) -> None:
    """One row per call x criterion, in the rubric's criterion order; an empty score and
    passed mean not applicable."""
    writer = CSVWriter(out, raw=raw)
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


CHUNK = 500   # rows per rich table: a run's table is printed as it is laid out, a slice at a time


def score_rows(scores: Iterable[CallScore], rubric: Rubric, *, color: bool = False,
               tz: tzinfo | None = None) -> Iterator[list[Text]]:
    """Calls x criteria: scores as %, below the pass mark in red (or marked `✗` without
    colour), `–` when not applicable, `!` on a failed critical criterion and on the overall
    of the call it fails. Start times in `tz` (None: UTC)."""
    critical = {c.id for c in rubric.criteria if c.critical}
    for s in scores:
        cells = [Text(s.meta.call_id), Text(s.meta.rep),
                 Text(when(zones.in_zone(s.meta.started_at, tz)))]
        if s.overall is None:
            cells.append(Text(NOT_APPLICABLE, style="dim"))
        else:
            mark = CRITICAL_MARK if s.critical_failed else ""
            cells.append(Text(f"{s.overall:.1f}{mark}", style="bold red" if mark else ""))
        results = {r.id: r for r in s.results}
        for c in rubric.criteria:
            r = results.get(c.id)
            score = None if r is None else r.score
            mark = CRITICAL_MARK if c.id in critical and r is not None and r.passed is False \
                else ""
            cells.append(score_text(score, rubric.pass_mark, color=color, suffix=mark))
        yield cells


def write_table(scores: Iterable[CallScore], out: TextIO, *, rubric: Rubric,
                color: bool = False, tz: tzinfo | None = None) -> None:
    """Call, rep, started, overall, then one column per criterion (`!`: the critical ones),
    through the one table renderer. The cells are kept (a few short strings per call, never
    the scores) because the columns need their widths before the first row is printed."""
    columns = [Column("call"), Column("rep"), Column("started"), Column("overall", "right")]
    columns += [Column(c.id + (CRITICAL_MARK if c.critical else ""), "right")
                for c in rubric.criteria]
    rows = list(score_rows(scores, rubric, color=color, tz=tz))
    room = console_width(out, color)
    legend = []
    natural = widths(columns, rows)
    if not fits(natural, room):
        columns, names = numbered(columns, 4)
        legend.append(Text(names))
        natural = widths(columns, rows)
    if not fits(natural, room):
        # still too wide: one table, which the renderer folds (fixed widths would push
        # columns off the edge)
        print_to(out, table(columns, rows), color=color)
    else:
        for start in range(0, max(len(rows), 1), CHUNK):
            print_to(out, table(columns, rows[start:start + CHUNK], header=start == 0,
                                widths=natural), color=color)
    legend.append(Text(f"rubric {rubric.rubric}" + (f" v{rubric.version}" if rubric.version else "")
                       + f" · pass mark {pct(rubric.pass_mark)} · started: {zones.name_of(tz)} · "
                       f"{fail_legend(color)} · "
                       f"{NOT_APPLICABLE}: not applicable · {CRITICAL_MARK}: critical"))
    print_to(out, *legend, color=color)
