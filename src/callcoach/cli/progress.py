"""callcoach progress: did each coaching session move the coached criterion?"""
from __future__ import annotations

import io
import sys
from typing import Annotated

import typer
from rich.console import Console

from callcoach.analytics.rules import Settings
from callcoach.cli.options import (AsOfOption, DbOption, OutOption, PassMarkOption,
                                   RepFilterOption, RubricIdOption, TzOption, check_out,
                                   color_stdout, format_option, parse_as_of, write_output)
from callcoach import zones
from callcoach.render import formats
from callcoach.store import Store

NAME = "progress"
FormatOption = format_option(formats.PROGRESS,
                             " (html: a self-contained page with a chart per criterion)")
DEFAULTS = Settings()


def command(
    rep: RepFilterOption = None,
    as_of: AsOfOption = None,
    tz: TzOption = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    baseline_days: Annotated[int, typer.Option(
        "--baseline-days", min=1, help="Days before the session that make its baseline.")]
    = DEFAULTS.baseline_days,
    window_days: Annotated[int, typer.Option(
        "--window-days", min=1, help="Length of each window after the session: days 1-N "
                                     "(weeks 1-2) and N+1-2N (weeks 3-4).")]
    = DEFAULTS.window_days,
    moved: Annotated[float, typer.Option(
        "--moved", min=0.0, help="The smallest change, in points (0-100), that counts as "
                                 "movement: +moved is improving, -moved declining.")]
    = DEFAULTS.moved,
    min_calls: Annotated[int, typer.Option(
        "--min-calls", min=1, help="Scored calls a window needs before it is read.")]
    = DEFAULTS.min_calls,
    intervention_days: Annotated[int, typer.Option(
        "--intervention-days", min=1, help="Two sessions on a criterion within this many days "
                                           "that did not move it: change the intervention.")]
    = DEFAULTS.intervention_days,
    pass_mark: PassMarkOption = None,
    rubric_id: RubricIdOption = None,
    db: DbOption = None,
) -> int:
    """Did the coaching work? Per logged session: the coached criterion before it, 2 and 4
    weeks after it, the change and a verdict (improving, flat, declining, too early, too few
    calls), with the overall score as context only and a weekly chart per criterion.

    Rules, flags and the JSON shape: callcoach docs progress.

    \b
    Example:
      callcoach progress --as-of 2026-11-13
      callcoach progress --rep priya --format markdown
      callcoach progress --format html --out progress.html
    """
    # heavy libraries load only when the command runs, not on every callcoach start
    from callcoach.analytics.progress import progress
    from callcoach.render import progress as render
    from callcoach.render.tables import print_to

    check_out(out)
    settings = Settings(baseline_days, window_days, moved, min_calls, intervention_days)
    with Store(db, must_exist=True) as store:
        result = progress(store, as_of=parse_as_of(as_of, zones.zone(tz)), rep=rep,
                          rubric_id=rubric_id, settings=settings, pass_mark=pass_mark)
    if fmt == "table" and out is None:
        if not result.sessions:
            typer.echo("no coaching sessions logged" + (f" for {rep}" if rep else "")
                       + " (log one with: callcoach session add --rep REP)")
            return 0
        # a pipe gets whole lines whatever $COLUMNS says, as scorecard's table does
        print_to(sys.stdout, render.to_table(result), color=color_stdout())
        return 0
    if fmt == "table":  # a file gets the plain-text table, without colour codes
        console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
        console.print(render.to_table(result))
        text = console.export_text()
    else:
        text = render.render(result, fmt)
    write_output(text, out)
    return 0
