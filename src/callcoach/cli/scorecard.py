"""callcoach scorecard: reps x criteria for the window, or one rep's calls with trends."""
from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer
from rich.console import Console

from callcoach.cli.options import (AsOfOption, DaysOption, DbOption, PassMarkOption,
                                   RubricIdOption, parse_as_of)
from callcoach.errors import UsageError
from callcoach.store import Store

NAME = "scorecard"


def command(
    rep: Annotated[Optional[str], typer.Option(
        "--rep", help="One rep: criteria x that rep's calls, with a trend per criterion "
                      "against the window before.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="table, json, csv or markdown.")] = "table",
    as_of: AsOfOption = None,
    days: DaysOption = 14,
    pass_mark: PassMarkOption = None,
    db: DbOption = None,
    rubric_id: RubricIdOption = None,
) -> int:
    """How each rep does on each criterion: mean criterion score over the window, calls
    scored and failed (below the pass mark), and the team row. With --rep, that rep's calls
    as columns and a trend per criterion (↑ ↓ → in points) against the previous window.
    Not-applicable results are left out of every mean.

    \b
    Example:
      callcoach scorecard --as-of 2026-11-27
      callcoach scorecard --rep "Dana Ortiz" --days 28 --format markdown
      callcoach scorecard --format csv > scorecard.csv
    """
    # pandas and rich load only when the command runs, not on every callcoach start.
    from callcoach.analytics.scorecard import scorecard
    from callcoach.render.coaching import SCORECARD_FORMATS, write_scorecard

    if fmt not in SCORECARD_FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(SCORECARD_FORMATS)}",
                         key="--format", hint="use --format table, json, csv or markdown")
    with Store(db, readonly=True) as store:
        card = scorecard(store, as_of=parse_as_of(as_of), days=days, rep=rep,
                         pass_mark=pass_mark, rubric_id=rubric_id)
    color = sys.stdout.isatty()
    write_scorecard(card, fmt, sys.stdout, color=color,
                    width=Console(file=sys.stdout).width if color else None)
    return 0
