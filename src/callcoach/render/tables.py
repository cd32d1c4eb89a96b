"""Rich tables for the coaching commands: the scorecard (team and rep views) and the queue.
Red marks a score below the pass mark; `–` marks not applicable."""
from __future__ import annotations

from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from callcoach.analytics.queue import Queue
from callcoach.analytics.scorecard import Cell, Scorecard
from callcoach.fmt import pct

NOT_APPLICABLE = "–"
MAX_CALL_COLUMNS = 12


def print_to(out: TextIO, *renderables, color: bool = False) -> None:
    """Print rich renderables to `out`. A colour terminal: its own width. Not a terminal: no
    colour and a fixed, generous width, so a file or a pipe gets whole lines whatever $COLUMNS
    says (deterministic output)."""
    width = Console(file=out).width if color else None
    console = Console(file=out, width=width or 1000, force_terminal=color, no_color=not color,
                      highlight=False, soft_wrap=False, color_system="auto" if color else None)
    for r in renderables:
        console.print(r)


def score_text(score: float | None, pass_mark: float) -> Text:
    if score is None:
        return Text(NOT_APPLICABLE, style="dim")
    return Text(pct(score), style="bold red" if score < pass_mark else "")


def cell_text(cell: Cell, pass_mark: float) -> Text:
    """'58% (4/8 fail)': mean criterion score, then failed / scored calls."""
    if cell.mean is None:
        return Text(NOT_APPLICABLE, style="dim")
    text = score_text(cell.mean, pass_mark)
    text.append(f" ({cell.failures}/{cell.scored} fail)", style="dim")
    return text


def _table() -> Table:
    return Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)


def scorecard_table(sc: Scorecard) -> Table:
    """Team view: reps x criteria and the team row."""
    table = _table()
    table.add_column("rep", no_wrap=True)
    table.add_column("calls", justify="right")
    table.add_column("overall", justify="right")
    for c in sc.criteria:   # names are data: Text, never rich markup
        table.add_column(Text(c.name), justify="right", no_wrap=True)
    rows = list(sc.rows) + ([sc.team] if sc.team else [])
    for row in rows:
        overall = NOT_APPLICABLE if row.overall is None else f"{row.overall:.1f}"
        table.add_row(Text(row.label, style="bold" if row is sc.team else ""), str(row.calls),
                      overall, *[cell_text(row.cells[c.id], sc.pass_mark) for c in sc.criteria])
    return table


def rep_scorecard_table(sc: Scorecard, max_calls: int = MAX_CALL_COLUMNS) -> Table:
    """Rep view: criteria x the rep's calls (the latest `max_calls`), mean, failures, trend."""
    row = sc.rows[0]
    shown = sc.calls[-max_calls:] if max_calls else sc.calls
    table = _table()
    table.add_column("criterion", no_wrap=True)
    table.add_column("mean", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("trend", justify="right", no_wrap=True)
    for call in shown:
        table.add_column(Text(f"{call.started_at:%m-%d}\n{call.call_id}"), justify="right",
                         no_wrap=True)
    for c in sc.criteria:
        cell = row.cells[c.id]
        failed = f"{cell.failures}/{cell.scored}" if cell.scored else NOT_APPLICABLE
        table.add_row(Text(c.name), score_text(cell.mean, sc.pass_mark), failed,
                      sc.trends[c.id].label(),
                      *[score_text(call.scores[c.id], sc.pass_mark) for call in shown])
    return table


def ago(hours: float | None) -> str:
    """'17 h ago' up to two days, then '5 d ago'."""
    if hours is None:
        return ""
    return f"{hours:.0f} h ago" if hours <= 48 else f"{hours / 24:.0f} d ago"


def queue_table(q: Queue) -> Table:
    """Reps with something to coach, most urgent first."""
    table = _table()
    for name, justify in (("#", "right"), ("rep", "left"), ("criterion", "left"),
                          ("mean", "right"), ("failed", "right"), ("pattern", "left"),
                          ("fresh", "left"), ("review", "right")):
        table.add_column(name, justify=justify, no_wrap=True)
    for i, s in enumerate(q.to_coach, 1):
        pattern = ("first occurrence" if s.status == "first_occurrence" else
                   "confirmed" if s.pattern_confirmed else f"{s.failures} of {s.confirm_calls}")
        fresh = Text(f"yes · {ago(q.hours_since_failure(s))}", style="bold") if s.fresh \
            else Text(f"no · {ago(q.hours_since_failure(s))}", style="dim")
        table.add_row(str(i), Text(s.rep), Text(s.criterion_name),
                      score_text(s.criterion_mean, s.pass_mark),
                      f"{s.failures}/{s.calls_applicable} ({pct(s.failure_rate)})", pattern,
                      fresh, str(len(s.chosen)))
    return table
