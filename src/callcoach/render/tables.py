"""The one table renderer: every table callcoach prints (score, scorecard, queue, progress,
session list, inspect, rubric show) is a rich.Table built here, in one style, and printed
through `print_to`.

- A colour terminal gets its own width. A table wider than that folds its cells, at spaces
  first and inside a word only when it must: nothing is cut or dropped (rich's defaults
  squeezed whole columns out of sight at 80 columns).
- Anything else (a pipe, a file) gets whole lines (a fixed, generous width, so the output is
  the same whatever $COLUMNS says) and no colour; a score below the pass mark then carries
  `✗`, since red cannot show.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterable, Literal, Sequence, TextIO

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from callcoach.fmt import pct
from callcoach.sanitize import strip_controls

NOT_APPLICABLE = "–"
FAIL_MARK = "✗"
PIPE_WIDTH = 1000
GAP = 2   # spaces before a column's cells, beside the one of the column rule


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    justify: Literal["left", "right"] = "left"
    ratio: int | None = None   # long text (notes, a transcript turn): takes the spare width


def table(columns: Sequence[Column], rows: Iterable[Sequence[RenderableType]] = (), *,
          title: str | None = None, header: bool = True,
          widths: Sequence[int] | None = None) -> Table:
    """A table in the house style: a rule under the header, no outer box, three spaces
    between columns (GAP and the rule's own), cells that fold. `widths`: each column's natural width, when a long
    table is printed a slice of rows at a time (every slice then lays out alike);
    `header=False` for the slices after the first."""
    # Rich pads each cell through a Padding renderable, which cost ~3.5x the whole render
    # (score's table: 2,000 rows in 7 s). Two spaces written before each cell of every
    # column but the first, with rich's padding off, lay the table out identically (not
    # after: rich strips a right-justified cell's trailing spaces).
    t = Table(box=box.SIMPLE_HEAD, show_header=header, pad_edge=False, show_edge=False,
              padding=0, header_style="bold", title=None if title is None else cell(title),
              title_justify="left", title_style="bold")
    for i, c in enumerate(columns):
        t.add_column(_indented(c.header, i), justify=c.justify, ratio=c.ratio,
                     overflow="fold", min_width=widths[i] + GAP * (i > 0) if widths else None)
    for row in rows:
        t.add_row(*(_indented(v, i) for i, v in enumerate(row)))
    return t


def _indented(value: RenderableType, i: int) -> RenderableType:
    """A cell of column `i` after the first, with the gap before it (every line of it)."""
    text = cell(value) if isinstance(value, str) else value
    if i == 0 or not isinstance(text, Text):
        return text
    if "\n" not in text.plain:
        return Text.assemble(" " * GAP, text)
    return Text("\n").join(Text.assemble(" " * GAP, line)
                           for line in text.split("\n", allow_blank=True))


def cell(value: str) -> Text:
    """Data as a table cell: literal text, never Rich markup (a note reading "[red]" stays
    those five characters). Every string cell and header passes here: the one place where
    what a table shows is made safe to show (control characters too, for text stored before
    ingestion stripped them)."""
    return Text(strip_controls(value))


def widths(columns: Sequence[Column], rows: Sequence[Sequence[Text | str]]) -> list[int]:
    """Each column's width with nothing folded (cells of one line)."""
    return [max([Text(c.header).cell_len] + [Text(r[i]).cell_len if isinstance(r[i], str)
                                             else r[i].cell_len for r in rows])
            for i, c in enumerate(columns)]


def fits(natural: Sequence[int], width: int) -> bool:
    return sum(natural) + (GAP + 1) * (len(natural) - 1) <= width


def numbered(columns: Sequence[Column], first: int) -> tuple[list[Column], str]:
    """The rule for a table too wide for the terminal: columns from `first` on are headed
    c1, c2, … and a legend names them, so the rows stay on one line and nothing is lost."""
    out = list(columns[:first])
    names = []
    for n, c in enumerate(columns[first:], 1):
        out.append(Column(f"c{n}", c.justify, c.ratio))
        names.append(f"c{n} {c.header}")
    return out, "columns: " + " · ".join(names)


def console_width(out: TextIO, color: bool) -> int:
    """A colour terminal's width; `PIPE_WIDTH` for anything else."""
    return Console(file=out).width if color else PIPE_WIDTH


def print_to(out: TextIO, *renderables: RenderableType, color: bool = False) -> None:
    """Print rich renderables to `out`: a colour terminal at its own width, anything else at
    `PIPE_WIDTH` without colour (deterministic output)."""
    target = out if color else io.StringIO()
    console = Console(file=target, width=console_width(out, color), force_terminal=color,
                      no_color=not color, highlight=False, soft_wrap=False,
                      color_system="auto" if color else None)
    for r in renderables:
        console.print(r)
    if not color:   # plain text: no padding after the last cell (titles are padded to width)
        out.write("".join(line.rstrip() + "\n" for line in target.getvalue().splitlines()))


def score_text(score: float | None, pass_mark: float, *, color: bool,
               suffix: str = "") -> Text:
    """'58%', red below the pass mark, or '58% ✗' where colour cannot show; `–` when not
    applicable. `suffix` (e.g. the critical mark) follows the number."""
    if score is None:
        return Text(NOT_APPLICABLE, style="dim")
    failed = score < pass_mark
    text = pct(score) + suffix + (f" {FAIL_MARK}" if failed and not color else "")
    return Text(text, style="bold red" if failed else "")


def fail_legend(color: bool) -> str:
    return "red: below the pass mark" if color else f"{FAIL_MARK}: below the pass mark"
